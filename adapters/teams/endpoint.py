"""``POST /api/messages``: the Bot Framework messaging endpoint.

Parses the body itself (so malformed JSON or a wrong content type is a logged 4xx, without
botbuilder's app-wide ``aiohttp_error_middleware``), then hands the Activity to the
CloudAdapter, which authenticates it (401 without a valid token when an app id is set).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from botbuilder.core import TurnContext, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter

from adapters.bodies import BodyLimits, BodyRejected, ClientGone, loads_json, read_body
from adapters.inflight import TurnQueue
from adapters.service import TurnService
from adapters.settings import Settings
from bot.errors import AdvisorError

from .adapter import build_adapter
from .bot import AdvisorBot
from .events import parse_activity
from . import shapes
from .connector import Connector, RetryPolicy
from .keys import KeysUnavailable
from .outbox import Outbox

log = logging.getLogger("finetune_advisor.teams")

ROUTE = "/api/messages"


def _problem(status: int, reason: str, request: web.Request, **fields: Any) -> web.Response:
    log.warning("rejected a Teams request", extra={"status": status, "reason": reason, "remote": request.remote, **fields})
    return web.json_response({"error": reason}, status=status)


@dataclass
class TeamsEndpoint:
    adapter: CloudAdapter
    bot: AdvisorBot
    connector: Connector
    outbox: Outbox
    limits: BodyLimits = field(default_factory=BodyLimits)
    queue: TurnQueue | None = None

    @classmethod
    def build(cls, service: TurnService, settings: Settings, *, lean: bool = True,
              policy: RetryPolicy | None = None) -> TeamsEndpoint:
        connector = Connector(policy)
        outbox = Outbox()
        adapter = build_adapter(settings, connector, lean=lean)
        endpoint = cls(adapter, AdvisorBot(service, outbox), connector, outbox,
                       BodyLimits(settings.body_max_bytes, settings.body_read_timeout_s), service.queue)
        adapter.on_turn_error = endpoint._on_turn_error
        return endpoint

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.content_type != "application/json":
            return _problem(415, "content type must be application/json", request, content_type=request.content_type)
        try:
            raw = await read_body(request, self.limits)
        except BodyRejected as exc:
            return _problem(exc.status, exc.reason, request)
        except ClientGone:
            return web.Response(status=408)  # the connection is closed: nobody reads this
        try:
            body = loads_json(raw)
        except ValueError as exc:
            return _problem(400, "body is not valid JSON", request, error=str(exc)[:200])
        if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
            return _problem(400, "body is not an Activity (an object with a type)", request)
        problem = shapes.problem(body)
        if problem is not None:
            return _problem(400, "body is not a valid Activity", request, field=problem)
        try:
            activity = parse_activity(body)
        except Exception as exc:  # noqa: BLE001 - msrest raises several kinds for a bad shape
            return _problem(400, "body is not a valid Activity", request, error=f"{type(exc).__name__}")
        if activity.conversation is None or not activity.conversation.id or not activity.service_url:
            return _problem(400, "activity lacks conversation.id or serviceUrl", request)
        queued = activity.type == "message" and self.queue is not None
        # deliveries still in the outbox count against the same limit: a slow connector
        # (Retry-After) must not let them pile up without bound either
        if queued and not self.queue.try_enter("teams", waiting=self.outbox.pending):  # type: ignore[union-attr]
            log.debug("shed a Teams turn: the turn queue is full")
            return web.json_response({"error": "busy, try again in a minute"}, status=503, headers={"Retry-After": "60"})
        try:
            return await self._process(request, activity)
        finally:
            if queued:
                self.queue.leave()  # type: ignore[union-attr]

    async def _process(self, request: web.Request, activity: Any) -> web.StreamResponse:
        auth_header = request.headers.get("Authorization", "")
        try:
            invoke = await self.adapter.process_activity(auth_header, activity, self.bot.on_turn)
        except (PermissionError, jwt.PyJWTError):  # missing, malformed or rejected token
            return _problem(401, "unauthorized", request, activity_type=activity.type)
        except KeysUnavailable as exc:
            log.warning("rejected a Teams request", extra={"status": 503, "reason": "signing keys unavailable",
                                                           "remote": request.remote, "error": str(exc)})
            return web.json_response({"error": "signing keys unavailable"}, status=503, headers={"Retry-After": "10"})
        except Exception:  # noqa: BLE001 - turn errors are handled in on_turn_error; this is auth or setup
            log.exception("Teams request failed", extra={"activity_type": activity.type})
            return web.json_response({"error": "internal error"}, status=500)
        if invoke is not None:
            try:  # botbuilder's own error bodies for a malformed invoke hold an Exception object
                body = serializer_helper(invoke.body)
            except Exception:  # noqa: BLE001 - msrest raises several kinds for what it cannot serialise
                body = {"error": "invoke not handled"}
            return web.json_response(data=body, status=invoke.status, dumps=lambda o: json.dumps(o, default=str))
        return web.Response(status=201)

    async def _on_turn_error(self, context: TurnContext, error: Exception) -> None:
        log.error("Teams turn failed", exc_info=error, extra={"activity_id": context.activity.id})
        try:
            await context.send_activity(AdvisorError.user_message)
        except Exception as exc:  # noqa: BLE001 - nothing more to do than log
            log.error("could not tell the user about the failure", extra={"error": f"{type(exc).__name__}: {exc}"})

    async def on_cleanup(self, _: web.Application) -> None:
        await self.connector.close()
