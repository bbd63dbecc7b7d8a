"""The Bolt app: listeners that ack at once and run the turn in a tracked background task.

``process_before_response=True`` makes Bolt answer Slack as soon as a listener returns (its
default polls for the ack every 10 ms); every listener acks first and hands the turn to
:class:`TaskTracker`, so Slack always gets its answer well within 3 seconds.
"""

from __future__ import annotations

import aiohttp

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.service import TurnService
from adapters.settings import Settings
from bot.errors import StoreError

from . import events
from .delivery import SESSION_TIMEOUT, Delivery
from .events import Inbound
from .home import RecentRecommendations, home_view
from .installation_store import RedisInstallationStore, RedisOAuthStateStore

log = logging.getLogger("finetune_advisor.slack")


class _NotTheTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns, on every
    start, that the client we give it (which already has that token, or none in OAuth mode)
    wins over it. That is the intended setup, not a problem for the operator to look at."""

    _text = warning_client_prioritized_and_token_skipped()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != self._text


logging.getLogger("slack_bolt.AsyncApp").addFilter(_NotTheTokenWarning())

#: The ephemeral answer to work shed because TURN_QUEUE_LIMIT turns are queued already.
BUSY = "The advisor is busy right now: please try again in a minute."
#: Busy notices sent at once at most (each is one Slack call); past it shed work goes unanswered.
_NOTICES_AT_ONCE = 32

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
#: The bot scopes the app asks for (deploy/slack/manifest.yml lists the same).
BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:write",
    "groups:history",
    "im:history",
    "im:write",
)


def retry_handlers() -> list[AsyncRetryHandler]:
    """Connection errors (slack_sdk's default), HTTP 429 (waits Retry-After) and 500/503."""
    return [
        AsyncConnectionErrorRetryHandler(),
        AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


class TaskTracker:
    """Background turns: kept referenced while running, drained on shutdown."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def tasks(self) -> set[asyncio.Task[None]]:
        """The turns still running (for the service's drain at shutdown)."""
        return set(self._tasks)

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("slack background turn failed", exc_info=task.exception(), extra={"task": task.get_name()})


class SlackBot:
    """The AsyncApp with its listeners, web client, background tasks and Redis helpers."""

    def __init__(self, service: TurnService, settings: Settings, *, redis: Any | None, prefix: str) -> None:
        self.service = service
        self.settings = settings
        self.tasks = TaskTracker()
        self._notices = 0
        self.recent = RecentRecommendations(redis, prefix) if redis is not None else None
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        self.oauth = bool(settings.slack_client_id)
        # Retry handlers keep no per-request state (that is in each request's RetryState), so
        # one set serves every Delivery instead of three new objects per turn.
        self.retry_handlers = retry_handlers()
        self.client = AsyncWebClient(
            token=None if self.oauth else token,
            base_url=settings.slack_api_url.rstrip("/") + "/",
            retry_handlers=retry_handlers(),
        )
        self.session: aiohttp.ClientSession | None = None
        self.installations: RedisInstallationStore | None = None
        oauth_settings = None
        if self.oauth:
            assert settings.slack_client_secret is not None and redis is not None
            self.installations = RedisInstallationStore(redis, prefix)
            oauth_settings = AsyncOAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=settings.slack_client_secret.get_secret_value(),
                scopes=list(BOT_SCOPES),
                installation_store=self.installations,
                installation_store_bot_only=True,
                state_store=RedisOAuthStateStore(redis, prefix, max_pending=settings.slack_oauth_max_pending_states),
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
            )
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
        self.app = AsyncApp(
            name="finetune-advisor",
            client=self.client,
            signing_secret=secret,
            # routes.py verifies every HTTP request's signature (401) before Bolt sees it, and
            # Socket Mode requests are not signed: a second check here would only cost CPU.
            request_verification_enabled=False,
            process_before_response=True,
            # No custom workflow functions here: no function token to look for in every request.
            attaching_function_token_enabled=False,
            oauth_settings=oauth_settings,
            installation_store_bot_only=True if self.oauth else None,
        )
        self._register()

    def _register(self) -> None:
        app = self.app
        # Bolt tries the listeners in this order, building each matcher's arguments anew: the
        # most frequent request (a button press) first, then the slash command.
        app.action(events.ACTION_ID)(self.on_action)
        app.command(self.settings.slack_command)(self.on_command)
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home_opened)
        if self.installations is not None:
            app.enable_token_revocation_listeners()  # deletes from the installation store
        else:
            app.event("app_uninstalled")(self.on_uninstalled)
            app.event("tokens_revoked")(self.on_uninstalled)

    # --- listeners: ack, translate, hand over -----------------------------------------

    async def on_command(self, ack: Any, body: dict[str, Any], context: Any) -> None:
        if not self.service.queue.try_enter(events.PLATFORM):
            await ack(text=BUSY, response_type="ephemeral")  # shed: the user reads why at once
            return
        await ack()
        self._start(events.from_command(body), context.client, admitted=True)

    async def on_mention(self, body: dict[str, Any], context: Any) -> None:
        inbound = events.from_mention(body, context.bot_user_id)
        if inbound is not None:
            self._start(inbound, context.client)

    async def on_message(self, body: dict[str, Any], context: Any) -> None:
        inbound = events.from_message(body, context.bot_user_id)
        if inbound is not None:
            self._start(inbound, context.client)

    async def on_action(self, ack: Any, body: dict[str, Any], context: Any) -> None:
        await ack()
        inbound = events.from_action(body)
        if inbound is not None:
            self._start(inbound, context.client)

    async def on_home_opened(self, body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        if event.get("tab") == "home" and event.get("user") and not self.service.queue.saturated:
            team = str(body.get("team_id") or "")
            self.tasks.spawn(self.publish_home(context.client, team, str(event["user"])), "slack-home")

    async def on_uninstalled(self, body: dict[str, Any]) -> None:
        log.info("slack app uninstalled or tokens revoked", extra={"team": body.get("team_id", "")})

    # --- background work ------------------------------------------------------------

    def _start(self, inbound: Inbound, client: AsyncWebClient, *, admitted: bool = False) -> None:
        """Run the turn in the background, or, with TURN_QUEUE_LIMIT turns queued, shed it and
        tell the user (ephemerally) to try again in a minute."""
        if not admitted and not self.service.queue.try_enter(events.PLATFORM):
            self._busy(inbound, client)
            return
        self.tasks.spawn(self._queued(inbound, client), f"slack-turn:{inbound.event.event_id}")

    async def _queued(self, inbound: Inbound, client: AsyncWebClient) -> None:
        try:
            await self.turn(inbound, client)
        finally:
            self.service.queue.leave()

    def _busy(self, inbound: Inbound, client: AsyncWebClient) -> None:
        if self._notices >= _NOTICES_AT_ONCE:
            return
        self._notices += 1
        self.tasks.spawn(self._busy_notice(inbound.surface, client), "slack-busy")

    async def _busy_notice(self, surface: events.Surface, client: AsyncWebClient) -> None:
        try:
            if surface.response_url and self.session is not None:
                notice = {"response_type": "ephemeral", "replace_original": False, "text": BUSY}
                async with self.session.post(surface.response_url, json=notice) as response:
                    await response.read()
            elif surface.channel:
                await client.chat_postEphemeral(channel=surface.channel, user=surface.user, text=BUSY,
                                                thread_ts=surface.thread_ts or None)
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            log.info("could not send the busy notice", extra={"error": type(exc).__name__})
        finally:
            self._notices -= 1

    async def open_session(self) -> None:
        """One HTTP session (connection pool) for every Web API and response_url call; without
        it slack_sdk opens a new session and connection (and TLS handshake) per call. Slack's
        APIs set no cookies we need: no cookie jar to update on every response. The session's
        total timeout bounds every call on it: slack_sdk passes none of its own on a given
        session."""
        self.session = aiohttp.ClientSession(timeout=SESSION_TIMEOUT, cookie_jar=aiohttp.DummyCookieJar())
        self.client.session = self.session

    async def close_session(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None
            self.client.session = None

    def delivery(self, client: AsyncWebClient) -> Delivery:
        return Delivery(client, self.service, self.recent, self.settings.slack_command, self.retry_handlers, self.session)

    async def turn(self, inbound: Inbound, client: AsyncWebClient) -> None:
        """One turn: (resolve the DM for App Home presses; check a thread is ours), the core
        through the store, then the replies on Slack."""
        if inbound.surface.mode == events.HOME:
            opened = await self.delivery(client).call("conversations.open", client.conversations_open(users=inbound.event.user))
            if opened is None:
                return
            inbound = events.in_direct_message(inbound, str(opened["channel"]["id"]))
        if inbound.known_thread_only and not await self._is_known_thread(inbound):
            return
        handled = await self.service.handle(inbound.event)
        if handled.outcome == "duplicate":
            return
        await self.delivery(client).deliver(inbound, handled.replies)

    async def _is_known_thread(self, inbound: Inbound) -> bool:
        """A channel thread reply is ours only if the thread's conversation exists."""
        try:
            loaded = await self.service.store.load(inbound.event.key, None)
        except StoreError:
            log.warning("could not check a thread reply: store unavailable", extra={"channel": inbound.surface.channel})
            return False
        return loaded.data is not None

    async def publish_home(self, client: AsyncWebClient, team: str, user: str) -> None:
        recent = await self.recent.list(team, user) if self.recent is not None else []
        view = home_view(recent, self.settings.slack_command)
        await self.delivery(client).call("views.publish", client.views_publish(user_id=user, view=view))
