"""Putting replies on Slack: post, update in place, answer through ``response_url``, upload.

Rules (see events.Surface for the modes):

* Questions update in place: a button press replaces the pressed question (``response_url``
  ``replace_original``); a typed answer ``chat.update``s the message the core names in
  ``Question.replaces``; a newly posted question is reported back to the core with the
  ``message_sent`` action so the next one can replace it.
* Slash-command conversations are private: questions and notes go to the user only
  (``response_url``, ephemeral); the card goes ``in_channel`` through ``response_url``, which
  works in channels the bot has not joined.
* Threads and direct messages: ``chat.postMessage`` (in the thread); but text and menus
  that answer a button press go to the presser only (ephemeral), as only they asked.
* The card carries ``finetune_recommendation`` metadata and, once posted, is remembered for
  the App Home. The decision record is uploaded with ``files_upload_v2`` into the card's
  thread: the conversation's thread, else the thread of the message whose button was pressed
  (a top-level card's own ts), else (a typed ``export`` outside a thread) the channel or DM.
* Any failed call is logged (method and Slack's error code, never text or tokens) and, where
  possible, the user is told ephemerally. The conversation state is already saved.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from typing import Any

import aiohttp
import orjson
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest as RetryHttpRequest
from slack_sdk.http_retry.response import HttpResponse as RetryHttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.internal_utils import get_user_agent
from slack_sdk.web.async_client import AsyncWebClient

from adapters import metrics
from adapters.service import TurnService
from bot.events import Action, InboundEvent
from bot.replies import Card, ChangeMenu, Details, Document, Question, Reply, Text

from . import render
from .events import PRIVATE, THREAD, Inbound, Surface
from .home import RecentRecommendations
from .render import Message
from .wording import SLACK

log = logging.getLogger("finetune_advisor.slack.delivery")

_JSON = {"Content-Type": "application/json; charset=utf-8", "User-Agent": get_user_agent()}
#: Every Web API call and response_url post on the shared session, start to end.
SESSION_TIMEOUT = aiohttp.ClientTimeout(total=30)
_MAX_ATTEMPTS = 10  # a safety cap over the retry handlers' own limits (as slack_sdk has)
_CALL_ERRORS = (SlackApiError, SlackRequestError, aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError)


def group(replies: Sequence[Reply]) -> list[tuple[str, Any, list[Text]]]:
    """Replies -> messages: consecutive texts share one message, and plain notes (texts with
    no sources, like "Undone: …" or the welcome) ride on the question that follows them."""
    out: list[tuple[str, Any, list[Text]]] = []
    pending: list[Text] = []
    for reply in replies:
        if isinstance(reply, Text):
            pending.append(reply)
            continue
        if isinstance(reply, Question) and not any(t.citations for t in pending):
            out.append(("question", reply, pending))
            pending = []
            continue
        if pending:
            out.append(("texts", None, pending))
            pending = []
        kind = {Question: "question", Card: "card", ChangeMenu: "menu", Document: "document", Details: "details"}[type(reply)]
        out.append((kind, reply, []))
    if pending:
        out.append(("texts", None, pending))
    return out


class Delivery:
    def __init__(
        self,
        client: AsyncWebClient,
        service: TurnService,
        recent: RecentRecommendations | None,
        command: str,
        retry_handlers: list[AsyncRetryHandler],
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.client = client
        self.session = session
        self.service = service
        self.recent = recent
        self.command = command
        self.retry_handlers = retry_handlers
        self.last_error = ""

    # --- entry point ----------------------------------------------------------------

    async def deliver(self, inbound: Inbound, replies: Sequence[Reply]) -> None:
        for kind, reply, notes in group(replies):
            if kind == "question":
                await self._question(inbound, reply, notes)
            elif kind == "card":
                await self._card(inbound, reply)
            elif kind == "document":
                await self._document(inbound.surface, reply)
            elif kind == "details":
                await self._details(inbound, reply)
            elif kind == "menu":
                await self._say(inbound.surface, render.change_menu_message(reply, inbound.surface.scope))
            else:
                await self._say(inbound.surface, render.text_message(notes))

    # --- reply kinds ----------------------------------------------------------------

    def _hint(self, surface: Surface) -> str:
        if surface.mode == PRIVATE:
            return SLACK["type_hint_command"].format(command=self.command)
        return SLACK["type_hint_thread"]

    async def _question(self, inbound: Inbound, question: Question, notes: list[Text]) -> None:
        surface = inbound.surface
        message = render.question_message(question, notes, surface.scope, self._hint(surface))
        if surface.replace_clicked and surface.response_url and await self._respond(surface, message, replace=True):
            return
        if surface.mode == PRIVATE:
            await self._say(surface, message)
            return
        if question.replaces and await self._update(surface, question.replaces, message):
            return
        ts = await self._post(surface, message)
        if ts is None:
            await self._report(surface)
        elif ts:
            await self._message_sent(inbound.event, ts)

    async def _card(self, inbound: Inbound, card: Card) -> None:
        surface = inbound.surface
        message = render.card_message(card, surface.scope, inbound.event.user)
        posted = False
        if surface.mode == PRIVATE and surface.response_url:
            posted = await self._respond(surface, message, in_channel=True)
        if not posted:
            posted = await self._post(surface, message) is not None
        retired = render.retired_question()
        if surface.replace_clicked and surface.response_url:
            await self._respond(surface, retired, replace=True)
        elif card.supersedes and surface.mode != PRIVATE:
            await self._update(surface, card.supersedes, retired)
        if not posted:
            await self._report(surface)
            return
        if self.recent is not None:
            rec = card.recommendation
            await self.recent.add(surface.team, inbound.event.user, verdict=rec.verdict,
                                  confidence=rec.confidence, channel=surface.channel)

    async def _details(self, inbound: Inbound, details: Details) -> None:
        """The Details button expands the pressed card in place (``response_url``
        ``replace_original``); anywhere else, or if that fails, the details go to whoever asked."""
        surface = inbound.surface
        message = render.details_message(details, surface.scope, inbound.event.key.user or inbound.event.user)
        if surface.clicked_ts and surface.response_url and await self._respond(surface, message, replace=True):
            return
        await self._say(surface, message)

    async def _document(self, surface: Surface, document: Document) -> None:
        uploaded = await self.call("files_upload_v2", self.client.files_upload_v2(
            channel=surface.channel,
            thread_ts=surface.thread_ts or surface.clicked_ts or None,
            content=document.markdown,
            filename=document.filename,
            title=document.title,
        ))
        if uploaded is None:
            await self._privately(surface, render.record_as_text(document))

    async def _say(self, surface: Surface, message: Message) -> None:
        """Text or a menu: privately in the slash-command flow and in answer to a button press
        (only the presser asked), else posted in the thread or direct message."""
        if surface.mode == PRIVATE or surface.clicked_ts:
            if not await self._privately(surface, message):
                log.warning("could not answer privately", extra={"channel": surface.channel})
            return
        if await self._post(surface, message) is None:
            await self._report(surface)

    # --- the core handshake -----------------------------------------------------------

    async def _message_sent(self, event: InboundEvent, ts: str) -> None:
        sent = InboundEvent(key=event.key, user=event.user, event_id=f"sent:{ts}", action=Action("message_sent", value=ts))
        handled = await self.service.handle(sent)
        if handled.outcome not in ("ok", "duplicate"):
            log.warning("could not record the question message", extra={"outcome": handled.outcome})

    # --- Slack calls ------------------------------------------------------------------

    async def call(self, method: str, call: Awaitable[Any]) -> Any | None:
        try:
            return await call
        except _CALL_ERRORS as exc:
            if isinstance(exc, SlackApiError):
                code = str(exc.response.get("error") or exc.response.status_code)
            else:
                code = type(exc).__name__
            self.last_error = code
            metrics.PLATFORM_API_ERRORS.labels("slack", code).inc()
            log.warning("slack call failed", extra={"method": method, "error": code})
            return None

    async def _post(self, surface: Surface, message: Message) -> str | None:
        response = await self.call("chat.postMessage", self.client.chat_postMessage(
            channel=surface.channel,
            thread_ts=surface.thread_ts or None,
            unfurl_links=False,
            unfurl_media=False,
            **message.args(),
        ))
        return None if response is None else str(response.get("ts") or "")

    async def _update(self, surface: Surface, ts: str, message: Message) -> bool:
        args = message.args()
        args.pop("metadata", None)
        response = await self.call("chat.update", self.client.chat_update(channel=surface.channel, ts=ts, **args))
        return response is not None

    async def _respond(self, surface: Surface, message: Message, *, replace: bool = False, in_channel: bool = False) -> bool:
        """One ``response_url`` request: replace the pressed message, or a new ephemeral or
        in-channel message."""
        body: dict[str, Any] = {
            "text": message.text,
            "blocks": message.blocks,
            "response_type": "in_channel" if in_channel else "ephemeral",
            "replace_original": replace,
        }
        if message.metadata is not None:
            body["metadata"] = message.metadata
        status = await self.call("response_url", self._post_json(surface.response_url, orjson.dumps(body)))
        if status is None:
            return False
        if status != 200:
            self.last_error = f"http_{status}"
            metrics.PLATFORM_API_ERRORS.labels("slack", self.last_error).inc()
            log.warning("slack call failed", extra={"method": "response_url", "error": self.last_error})
            return False
        return True

    async def _post_json(self, url: str, data: bytes) -> int:
        """POST ``data`` over the shared session; the status of the last attempt. Failed
        attempts go through slack_sdk's retry handlers (connection errors, 429 after
        Retry-After, 500/503), as its webhook client would; a success costs one request."""
        if self.session is None or self.session.closed:
            async with aiohttp.ClientSession(timeout=SESSION_TIMEOUT) as session:
                return await self._post_json_on(session, url, data)
        return await self._post_json_on(self.session, url, data)

    async def _post_json_on(self, session: aiohttp.ClientSession, url: str, data: bytes) -> int:
        state, request = RetryState(), None
        response: RetryHttpResponse | None = None
        error: Exception | None = None
        for _ in range(_MAX_ATTEMPTS):
            state.next_attempt_requested = False
            response, error = None, None
            try:
                async with session.post(url, data=data, headers=_JSON) as res:
                    await res.read()
                    if res.status < 400:
                        return res.status
                    response = RetryHttpResponse(status_code=res.status, headers=dict(res.headers))
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                error = exc
            request = request or RetryHttpRequest(method="POST", url=url, headers=dict(_JSON), data=data)
            for handler in self.retry_handlers:
                if await handler.can_retry_async(state=state, request=request, response=response, error=error):
                    await handler.prepare_for_next_attempt_async(state=state, request=request, response=response, error=error)
                    break
            if not state.next_attempt_requested:
                break
        if error is not None:
            raise error
        assert response is not None
        return response.status_code

    async def _privately(self, surface: Surface, message: Message) -> bool:
        """To the acting user only: through response_url when there is one, else chat.postEphemeral."""
        if surface.response_url and await self._respond(surface, message):
            return True
        if not surface.channel:
            return False
        response = await self.call("chat.postEphemeral", self.client.chat_postEphemeral(
            channel=surface.channel,
            user=surface.user,
            thread_ts=surface.thread_ts if surface.mode == THREAD else None,
            **{k: v for k, v in message.args().items() if k != "metadata"},
        ))
        return response is not None

    async def _report(self, surface: Surface) -> None:
        """Tell the user a post failed, if Slack lets us reach them at all."""
        notice = render.notice(SLACK["post_failed"].format(error=render.escape(self.last_error or "unknown"), command=self.command))
        if not await self._privately(surface, notice):
            log.warning("could not tell the user about a failed post", extra={"channel": surface.channel})
