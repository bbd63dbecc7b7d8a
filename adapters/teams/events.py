"""Teams Activity -> :class:`~bot.events.InboundEvent`: the inbound half of the translation.

Keys (fixed by the lead): ``ConversationKey("teams", tenant id, channel-or-conversation id,
reply-chain id, user)`` where a channel conversation id ``19:...@thread.tacv2;messageid=M``
splits into channel ``19:...@thread.tacv2`` and thread ``M`` (``""`` outside a thread), and
the user is ``from.aadObjectId`` (or ``from.id`` when Teams sends none). The event id is the
activity id, for typed messages and Action.Submit clicks alike.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.events import Action, ConversationKey, InboundEvent
from bot.factors import UNKNOWN

log = logging.getLogger("finetune_advisor.teams")

PLATFORM = "teams"
_THREAD_MARK = ";messageid="

#: Action.Submit ``data.action`` names a card may carry. ``message_sent`` is deliberately
#: absent: only the adapter reports posted message ids, a client must never forge one.
SUBMIT_ACTIONS = frozenset(
    {"start", "answer", "skip", "back", "why_ask", "why", "change", "restart", "record", "status", "help", "resume"}
)
#: Scopes where the bot sees only messages that @mention it (or card clicks).
SHARED_SCOPES = frozenset({"channel", "groupChat"})


def parse_activity(body: Mapping[str, Any]) -> Activity:
    """botbuilder's Activity from the JSON body (raises on a shape msrest cannot read)."""
    return Activity().deserialize(dict(body))


def split_conversation_id(conversation_id: str) -> tuple[str, str]:
    """``19:x@thread.tacv2;messageid=17`` -> (``19:x@thread.tacv2``, ``17``); other ids -> (id, "")."""
    channel, mark, thread = conversation_id.partition(_THREAD_MARK)
    return (channel, thread) if mark else (conversation_id, "")


def tenant_id(activity: Activity) -> str:
    data = activity.channel_data if isinstance(activity.channel_data, Mapping) else {}
    tenant = data.get("tenant")
    if isinstance(tenant, Mapping) and isinstance(tenant.get("id"), str) and tenant["id"]:
        return tenant["id"]
    conversation = activity.conversation
    if conversation is None:
        return ""
    # botbuilder maps ``tenantID``; Teams sends ``tenantId``, which lands in additional_properties
    extra = getattr(conversation, "additional_properties", None) or {}
    value = conversation.tenant_id or extra.get("tenantId")
    return value if isinstance(value, str) else ""


def sender_id(activity: Activity) -> str:
    sender = activity.from_property
    if sender is None:
        return ""
    return sender.aad_object_id or sender.id or ""


def conversation_key(activity: Activity, user: str) -> ConversationKey:
    conversation_id = activity.conversation.id if activity.conversation is not None else ""
    channel, thread = split_conversation_id(conversation_id or "")
    return ConversationKey(PLATFORM, tenant_id(activity), channel, thread, user)


def scope(activity: Activity) -> str:
    """``personal``, ``channel`` or ``groupChat`` (``personal`` when Teams does not say)."""
    conversation = activity.conversation
    return (conversation.conversation_type if conversation is not None else None) or "personal"


def mentions_bot(activity: Activity) -> bool:
    bot_id = activity.recipient.id if activity.recipient is not None else None
    for mention in TurnContext.get_mentions(activity):
        mentioned = mention.additional_properties.get("mentioned") or {}
        if bot_id and isinstance(mentioned, Mapping) and mentioned.get("id") == bot_id:
            return True
    return False


def strip_bot_mention(activity: Activity) -> str:
    """The message text without the bot's ``<at>Name</at>`` (other people's mentions stay).

    Like botbuilder's ``TurnContext.remove_recipient_mention``, but literal (the bot's name is
    not used as a regular expression) and also for an entity without a ``text``.
    """
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient is not None else None
    for mention in TurnContext.get_mentions(activity):
        props = mention.additional_properties
        mentioned = props.get("mentioned") or {}
        if not bot_id or not isinstance(mentioned, Mapping) or mentioned.get("id") != bot_id:
            continue
        literal = props.get("text")
        if not isinstance(literal, str) or not literal:
            literal = f"<at>{mentioned.get('name') or ''}</at>"
        text = text.replace(literal, " ")
    return " ".join(text.replace("\u00a0", " ").split())


def submit_action(value: Any) -> tuple[Action, str] | None:
    """An Action.Submit ``data`` -> (action, owner), or None when it is not one of ours.

    ``owner`` is the assessment owner stamped on the card ("" when absent), so a click by
    someone else in a channel reaches the owner's conversation as a bystander's.
    """
    if not isinstance(value, Mapping):
        return None
    name = value.get("action")
    if not isinstance(name, str) or name not in SUBMIT_ACTIONS:
        return None
    factor, val, owner = value.get("factor", ""), value.get("value", ""), value.get("owner", "")
    if not all(isinstance(x, str) for x in (factor, val, owner)):
        return None
    if name == "skip" and factor:
        # Skip on a card means "not sure" to that card's question. As an answer, a doubled
        # click is a second click on an answer already taken, which the core ignores.
        return Action("answer", factor=factor, value=UNKNOWN), owner
    return Action(name, factor=factor, value=val), owner


ONCE_PER_CARD = frozenset({"why", "change", "restart", "record"})


def submit_id(activity: Activity, action: Action, sender: str) -> str:
    """The event id of a card submit. Answers, skip and back act only on their own question
    (the core makes them idempotent), so each activity counts; the recommendation card's
    buttons count once per card and person, so a double click posts one record, one restart."""
    if action.name in ONCE_PER_CARD and not action.factor and activity.reply_to_id:
        return f"press:{activity.reply_to_id}:{action.name}:{sender}"
    return str(activity.id)


def to_event(activity: Activity) -> InboundEvent | None:
    """The event a message activity means, or None when the bot should stay silent
    (a message from itself, an un-mentioned message in a channel or group chat, a foreign
    card's submit)."""
    sender = sender_id(activity)
    if not sender or not activity.id:
        return None
    if activity.recipient is not None and activity.from_property is not None:
        if activity.from_property.id == activity.recipient.id:
            return None
    if activity.value is not None and not activity.text:
        parsed = submit_action(activity.value)
        if parsed is None:
            log.info("ignored a card submit that is not ours", extra={"activity_id": activity.id})
            return None
        action, owner = parsed
        key = conversation_key(activity, owner or sender)
        return InboundEvent(key=key, user=sender, event_id=submit_id(activity, action, sender), action=action)
    if scope(activity) in SHARED_SCOPES and not mentions_bot(activity):
        return None
    text = strip_bot_mention(activity)
    key = conversation_key(activity, sender)
    if not text:  # a bare @mention: show where the assessment stands (or start one)
        return InboundEvent(key=key, user=sender, event_id=activity.id, action=Action("resume"))
    return InboundEvent(key=key, user=sender, event_id=activity.id, text=text)


def sent_event(key: ConversationKey, message_id: str) -> InboundEvent:
    """Reports a posted question card's id to the core so the next question replaces it."""
    return InboundEvent(
        key=key, user=key.user, event_id=f"sent:{message_id}", action=Action("message_sent", value=message_id)
    )
