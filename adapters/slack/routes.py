"""HTTP in front of Bolt: ``/slack/events`` (events, slash commands, interactivity) and, in
OAuth mode, ``/slack/install`` + ``/slack/oauth_redirect``.

Every POST is checked before Bolt sees it: the signature (and its timestamp, at most five
minutes old) with slack_sdk's SignatureVerifier -> 401, then that the body parses for its
content type -> 400, each with a log line. Bolt gets the parsed body (parsed once).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from yarl import URL

from adapters.bodies import BodyLimits, BodyRejected, ClientGone, loads_json, read_body
from adapters.ratelimit import RateLimiter

from . import shapes

log = logging.getLogger("finetune_advisor.slack.http")

EVENTS_PATH = "/slack/events"
_FORM_KEYS = ("payload", "command", "ssl_check")


#: Larger forms go to the stdlib: yarl keeps its last 128 built URLs (an lru_cache), bodies
#: included, so this bounds what that cache can hold to about 2 MB.
YARL_FORM_LIMIT = 16_384


def parse_form(body: str) -> dict[str, str]:
    """A strictly formed ``application/x-www-form-urlencoded`` body as a dict (the last value
    of a repeated name wins), read as ``dict(parse_qsl(body, keep_blank_values=True,
    strict_parsing=True))`` reads it; ValueError when a field has no ``=``. Decoded by yarl's C
    unquoter (yarl comes with aiohttp): 14 µs for a 1.2 kB button press, where the stdlib's
    pure-Python ``parse_qsl`` takes 115 µs. Property tests hold the two to the same result."""
    if len(body) > YARL_FORM_LIMIT:
        return dict(parse_qsl(body, keep_blank_values=True, strict_parsing=True))
    if body and not all("=" in field for field in body.split("&")):
        raise ValueError("bad form field")
    return dict(URL.build(query_string=body, encoded=True).query.items())


def parse_body(content_type: str, body: str) -> tuple[dict[str, Any], str | None]:
    """The body as Bolt reads it (a JSON object, an interaction's ``payload``, or the form) and
    None; or ``({}, why)`` when it is not a Slack request body of ``content_type``."""
    if content_type == "application/json":
        try:
            parsed = loads_json(body)
        except ValueError as exc:
            return {}, f"body is not JSON ({exc})" if "deeper" in str(exc) else "body is not JSON"
        if not isinstance(parsed, dict):
            return {}, "JSON body is not an object"
        return parsed, shapes.problem("event", parsed)
    if content_type == "application/x-www-form-urlencoded":
        try:
            form = parse_form(body)
        except ValueError:
            return {}, "body is not a form"
        if "payload" in form:
            try:
                payload = loads_json(form["payload"])
            except ValueError as exc:
                return {}, f"payload field is not JSON ({exc})" if "deeper" in str(exc) else "payload field is not JSON"
            if not isinstance(payload, dict):
                return {}, "payload field is not an object"
            return payload, shapes.problem("interaction", payload)
        if "command" in form:
            return form, shapes.problem("command", form)
        return form, None if any(k in form for k in _FORM_KEYS) else "form has no payload, command or ssl_check"
    return {}, f"unsupported content type {content_type or 'none'}"


def response_url_problem(data: dict[str, Any], allowed: Sequence[str]) -> str | None:
    """A ``response_url`` (or ``response_urls[].response_url``) not under an allowed prefix."""
    urls = [data.get("response_url")]
    urls += [entry.get("response_url") for entry in data.get("response_urls") or [] if isinstance(entry, dict)]
    for url in urls:
        if url and not str(url).startswith(tuple(allowed)):
            return "response_url (not under an allowed prefix, see SLACK_RESPONSE_URL_PREFIXES)"
    return None


class SlackHttp:
    """The aiohttp handlers for one Bolt app."""

    def __init__(
        self, bolt: AsyncApp, signing_secret: str, *, limits: BodyLimits | None = None,
        response_url_prefixes: Sequence[str] = ("https://hooks.slack.com/",),
        install_limiter: RateLimiter | None = None,
    ) -> None:
        self.bolt = bolt
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self.limits = limits or BodyLimits()
        self.response_url_prefixes = tuple(response_url_prefixes)
        self.install_limiter = install_limiter

    def add_routes(self, app: web.Application) -> None:
        """``/slack/events`` when there is a signing secret (HTTP mode); the OAuth pages in
        OAuth mode."""
        if self.verifier is not None:
            app.router.add_post(EVENTS_PATH, self.events)
        flow = self.bolt.oauth_flow
        if flow is not None:
            app.router.add_get(flow.install_path, self.install)
            app.router.add_get(flow.redirect_uri_path, self.oauth_redirect)

    def _valid_signature(self, request: web.Request, body: str) -> bool:
        assert self.verifier is not None
        try:
            return self.verifier.is_valid(
                body=body,
                timestamp=request.headers.get("X-Slack-Request-Timestamp", ""),
                signature=request.headers.get("X-Slack-Signature", ""),
            )
        except (ValueError, TypeError):  # a timestamp that is not a number
            return False

    @staticmethod
    def _malformed(request: web.Request, problem: str) -> web.Response:
        log.warning("slack request rejected: malformed body", extra={"path": request.path, "problem": problem})
        return web.Response(status=400, text="malformed request")

    async def events(self, request: web.Request) -> web.StreamResponse:
        try:
            raw = await read_body(request, self.limits)
        except BodyRejected as exc:
            return self._malformed(request, exc.reason)
        except ClientGone:
            return web.Response(status=408)  # the connection is closed: nobody reads this
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            body = None
        if body is None or not self._valid_signature(request, body):
            log.warning("slack request rejected: bad or stale signature", extra={"path": request.path})
            return web.Response(status=401, text="invalid signature")
        parsed, problem = parse_body(request.content_type, body)
        if problem is None:
            problem = response_url_problem(parsed, self.response_url_prefixes)
        if problem is not None:
            return self._malformed(request, problem)
        # Bolt takes an already parsed body in its "socket_mode" request mode (in "http" mode it
        # parses the text again); the mode decides nothing else here, as Bolt's own signature
        # check is off (ours ran above).
        bolt_request = AsyncBoltRequest(body=parsed, query=request.query_string, headers=request.headers,  # type: ignore[arg-type]
                                        mode="socket_mode")
        response = await self.bolt.async_dispatch(bolt_request)
        return await to_aiohttp_response(response)

    async def install(self, request: web.Request) -> web.Response:
        """Bolt's install page, at most SLACK_INSTALL_PER_MINUTE a minute per client address;
        503 when too many OAuth states are outstanding (SLACK_OAUTH_MAX_PENDING_STATES)."""
        from .installation_store import TooManyPendingStates

        flow = self.bolt.oauth_flow
        assert flow is not None
        limiter = self.install_limiter
        if limiter is not None and not limiter.allow(request.remote or "-"):
            log.warning("slack install refused: rate limit", extra={"remote": request.remote})
            return web.Response(status=429, text="too many install requests; try again in a minute",
                                headers={"Retry-After": str(limiter.retry_after_s())})
        try:
            return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))
        except TooManyPendingStates as exc:
            log.warning("slack install refused: too many pending OAuth states", extra={"pending": exc.pending})
            return web.Response(status=503, text="too many installs in progress; try again in a few minutes",
                                headers={"Retry-After": "60"})

    async def oauth_redirect(self, request: web.Request) -> web.Response:
        flow = self.bolt.oauth_flow
        assert flow is not None
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))
