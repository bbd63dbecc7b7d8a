"""Fine-Tune Advisor in Slack (slack-bolt AsyncApp). The adapter only translates: payloads to
core events (events.py), replies to Block Kit (render.py) and to Web API calls (delivery.py).

``mount(app, service, settings)`` adds to the service's aiohttp app:

* ``POST /slack/events``: Events API, slash commands and interactivity (signature checked);
* ``GET /slack/install`` and ``GET /slack/oauth_redirect`` in multi-workspace OAuth mode;
* a Socket Mode connection, opened on startup, when ``SLACK_APP_TOKEN`` is set.

With no Slack credential at all it mounts nothing and logs that Slack is off.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web

from adapters.bodies import BodyLimits
from adapters.ratelimit import RateLimiter
from adapters.service import TurnService
from adapters.settings import Settings
from bot.errors import ConfigurationError

from . import render, shapes
from .app import BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH, SlackBot
from .routes import EVENTS_PATH, SlackHttp, response_url_problem

__all__ = ["BOT_SCOPES", "EVENTS_PATH", "INSTALL_PATH", "REDIRECT_PATH", "SLACK", "SlackBot", "check_settings", "mount"]

log = logging.getLogger("finetune_advisor.slack")

SLACK: web.AppKey[SlackBot] = web.AppKey("slack", SlackBot)


def _secret(value: Any) -> str:
    return value.get_secret_value().strip() if value is not None else ""


#: Any of these set means Slack is meant to run: the rest must then be complete, or the
#: service refuses to start (check_settings) rather than run with Slack silently off.
SLACK_VARIABLES = ("slack_bot_token", "slack_client_id", "slack_app_token", "slack_signing_secret", "slack_client_secret")


def slack_configured(settings: Settings) -> bool:
    return any(getattr(settings, name) for name in SLACK_VARIABLES)


def check_settings(settings: Settings, *, has_redis: bool) -> None:
    """Raise ConfigurationError naming the missing variable, at build time, not on a request."""
    socket_mode = bool(_secret(settings.slack_app_token))
    if not socket_mode and not _secret(settings.slack_signing_secret):
        raise ConfigurationError(
            "SLACK_SIGNING_SECRET is required to receive Slack requests over HTTP "
            "(or set SLACK_APP_TOKEN for Socket Mode)"
        )
    if _secret(settings.slack_client_secret) and not settings.slack_client_id:
        raise ConfigurationError("SLACK_CLIENT_ID is required with SLACK_CLIENT_SECRET (multi-workspace OAuth)")
    if settings.slack_client_id:
        if not _secret(settings.slack_client_secret):
            raise ConfigurationError("SLACK_CLIENT_SECRET is required with SLACK_CLIENT_ID (multi-workspace OAuth)")
        if not has_redis:
            raise ConfigurationError("multi-workspace OAuth (SLACK_CLIENT_ID) needs a Redis-backed store for installations")
    elif not _secret(settings.slack_bot_token):
        raise ConfigurationError("SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID + SLACK_CLIENT_SECRET (OAuth) is required")


def mount(app: web.Application, service: TurnService, settings: Settings) -> SlackBot | None:
    """Add the Slack routes (and Socket Mode) to ``app``; None when Slack is not configured."""
    if not slack_configured(settings):
        log.info("Slack is off: no SLACK_* credential is set")
        return None
    store = service.store
    redis = getattr(store, "client", None)
    keys = getattr(store, "keys", None)
    prefix = keys.prefix if keys is not None else "ftadvisor"
    check_settings(settings, has_redis=redis is not None)
    if settings.slack_client_id and getattr(store, "backend", "") == "embedded":
        log.warning("Slack installations are kept in the embedded store: they are lost on restart; set REDIS_URL")
    bot = SlackBot(service, settings, redis=redis, prefix=prefix)
    app[SLACK] = bot
    secret = _secret(settings.slack_signing_secret)
    SlackHttp(
        bot.app, secret,
        limits=BodyLimits(settings.body_max_bytes, settings.body_read_timeout_s),
        response_url_prefixes=settings.response_url_prefixes,
        install_limiter=RateLimiter(settings.slack_install_per_minute, burst=max(5, int(settings.slack_install_per_minute // 2))),
    ).add_routes(app)
    app_token = _secret(settings.slack_app_token)
    if app_token:
        _socket_mode(app, bot, app_token, settings.response_url_prefixes)

    async def open_session(_: web.Application) -> None:
        await bot.open_session()
        # Every card the buttons can lead to, built and validated before traffic (~0.5 ms each).
        await asyncio.to_thread(lambda: render.warm_cards(service.advisor.warm()))

    async def close_session(_: web.Application) -> None:
        await bot.close_session()  # after the service's one drain (adapters.server), within its deadline

    service.inflight.track("slack", bot.tasks.tasks)
    app.on_startup.append(open_session)
    app.on_cleanup.append(close_session)
    log.info(
        "Slack is on",
        extra={
            "install": "oauth" if settings.slack_client_id else "single workspace",
            "http": bool(secret),
            "socket_mode": bool(app_token),
            "command": settings.slack_command,
        },
    )
    return bot


#: Socket Mode envelope types -> the payload kinds of shapes.problem.
_ENVELOPE_KINDS = {"events_api": "event", "interactive": "interaction", "slash_commands": "command"}


def _socket_mode(app: web.Application, bot: SlackBot, app_token: str, response_url_prefixes: tuple[str, ...]) -> None:
    """Open a Socket Mode connection on startup and close it on cleanup. Envelopes are checked
    as HTTP requests are (shapes, response_url) before Bolt sees them; a bad one is acked and
    dropped with one warning line."""
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
    from slack_sdk.socket_mode.response import SocketModeResponse

    class CheckedHandler(AsyncSocketModeHandler):
        async def handle(self, client: Any, req: Any) -> None:  # type: ignore[override]
            kind, payload = _ENVELOPE_KINDS.get(req.type), req.payload
            problem = None if isinstance(payload, dict) else "payload is not an object"
            if problem is None and kind is not None:
                problem = shapes.problem(kind, payload) or response_url_problem(payload, response_url_prefixes)
            if problem is not None:
                log.warning("slack request rejected: malformed body", extra={"path": "socket_mode", "problem": problem})
                await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
                return
            await super().handle(client, req)

    holder: dict[str, AsyncSocketModeHandler] = {}

    async def connect(_: web.Application) -> None:
        handler = CheckedHandler(bot.app, app_token, web_client=bot.client)
        holder["handler"] = handler
        await handler.connect_async()
        log.info("Slack Socket Mode connected")

    async def close(_: web.Application) -> None:
        handler = holder.pop("handler", None)
        if handler is not None:
            await handler.close_async()

    app.on_startup.append(connect)
    app.on_cleanup.append(close)
