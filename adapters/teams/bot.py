"""The Teams bot: botbuilder's ActivityHandler, translating only.

Message -> :func:`events.to_event` -> ``TurnService.handle`` -> :func:`plan.plan` -> delivered
through the lean connector in the background (:class:`Outbox`), or through the TurnContext
when the turn has no :class:`Route` (botbuilder's TestAdapter, stock CloudAdapter).
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from adapters.service import TurnService
from bot.errors import StoreError
from bot.events import ConversationKey
from store import SaveOutcome

from . import cards, events, plan
from .adapter import LeanCloudAdapter, Route
from .outbox import Outbox

log = logging.getLogger("finetune_advisor.teams")

_WELCOME_EVENT = "welcome"


class RouteSink:
    """Posts and updates through the lean connector, routed like botbuilder's replies."""

    def __init__(self, route: Route, activity: Activity) -> None:
        self._route = route
        self._conversation_id = activity.conversation.id
        self._reply_to = activity.id if activity.type == ActivityTypes.message else None
        self._envelope = _envelope(activity)

    async def post(self, body: dict[str, Any]) -> str:
        message = {**body, **self._envelope}
        if self._reply_to:
            message["replyToId"] = self._reply_to
        return await self._route.connector.post(
            self._route.service_url, self._conversation_id, message,
            reply_to_id=self._reply_to, tokens=self._route.tokens,
        )

    async def update(self, message_id: str, body: dict[str, Any]) -> None:
        await self._route.connector.update(
            self._route.service_url, self._conversation_id, message_id, {**body, **self._envelope},
            tokens=self._route.tokens,
        )


class TurnContextSink:
    """Posts and updates through botbuilder's TurnContext (TestAdapter, stock adapter)."""

    def __init__(self, context: TurnContext) -> None:
        self._context = context

    async def post(self, body: dict[str, Any]) -> str:
        response = await self._context.send_activity(Activity().deserialize(body))
        return (response.id or "") if response is not None else ""

    async def update(self, message_id: str, body: dict[str, Any]) -> None:
        activity = Activity().deserialize(body)
        activity.id = message_id
        await self._context.update_activity(activity)


def _account(account: ChannelAccount | None) -> dict[str, str]:
    if account is None:
        return {}
    out = {"id": account.id or ""}
    if account.name:
        out["name"] = account.name
    return out


def _envelope(activity: Activity) -> dict[str, Any]:
    """The routing fields of a reply: from the bot, to the sender, in the same conversation."""
    conversation: dict[str, Any] = {"id": activity.conversation.id}
    if activity.conversation.conversation_type:
        conversation["conversationType"] = activity.conversation.conversation_type
    tenant = events.tenant_id(activity)
    if tenant:
        conversation["tenantId"] = tenant
    return {
        "from": _account(activity.recipient),
        "recipient": _account(activity.from_property),
        "conversation": conversation,
        "channelId": activity.channel_id or "msteams",
        "serviceUrl": activity.service_url,
    }


class AdvisorBot(ActivityHandler):
    def __init__(self, service: TurnService, outbox: Outbox) -> None:
        self.service = service
        self.outbox = outbox

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        event = events.to_event(activity)
        if event is None:
            return
        handled = await self.service.handle(event)
        if not handled.replies:
            return
        ops = plan.plan(handled.replies, owner=event.key.user, action=event.action, reply_to_id=activity.reply_to_id or "")
        await self._deliver(turn_context, ops, event.key)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if bot_id and any(member.id == bot_id for member in members_added):
            await self._welcome(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        if turn_context.activity.action == "add":  # not on "add-upgrade": an app update is no install
            await self._welcome(turn_context)

    # --- delivery ---------------------------------------------------------------------

    async def _deliver(self, turn_context: TurnContext, ops: list[plan.Op], key: ConversationKey | None) -> None:
        async def report(message_id: str) -> None:
            if key is not None:
                await self.service.handle(events.sent_event(key, message_id))

        route = LeanCloudAdapter.route(turn_context)
        if route is None:
            await plan.run(ops, TurnContextSink(turn_context), report)
            return
        sink = RouteSink(route, turn_context.activity)
        self.outbox.submit(turn_context.activity.conversation.id, plan.run(ops, sink, report))

    async def _welcome(self, turn_context: TurnContext) -> None:
        """Greet once per conversation, although Teams announces an install twice
        (``conversationUpdate`` and ``installationUpdate``)."""
        if await self._first_welcome(turn_context.activity):
            await self._deliver(turn_context, [plan.Post(cards.welcome_message())], None)

    async def _first_welcome(self, activity: Activity) -> bool:
        channel, _ = events.split_conversation_id(activity.conversation.id if activity.conversation else "")
        key = ConversationKey(events.PLATFORM, events.tenant_id(activity), channel, "", "")
        store = self.service.store
        try:
            loaded = await store.load(key, _WELCOME_EVENT)
            if loaded.duplicate:
                return False
            saved = await store.save(key, expected_version=loaded.version, data={"welcomed": True}, event_id=_WELCOME_EVENT)
        except StoreError as exc:
            log.warning("welcome dedup unavailable; greeting anyway", extra={"error": str(exc)})
            return True
        return saved is SaveOutcome.SAVED
