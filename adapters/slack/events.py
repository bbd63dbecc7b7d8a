"""Slack payloads -> neutral :class:`~bot.events.InboundEvent`, plus where to answer.

Pure functions over the dicts Bolt hands to listeners; no I/O. Conversation keys:

* slash command and direct message: ``ConversationKey("slack", team, channel, "", user)``
* a thread under an @mention: ``ConversationKey("slack", team, channel, thread_root_ts, "")``

Every block the bot posts carries a ``block_id`` ``ft:<kind>:<id>:<tag>`` naming the
conversation it belongs to (kind ``t`` thread + root ts, ``d`` direct message + owner,
``p`` slash-command conversation + owner, ``h`` App Home), so a button press, by the owner or
by someone else, reaches the right conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bot.events import Action, ConversationKey, InboundEvent

PLATFORM = "slack"

# How replies are delivered (see delivery.py).
THREAD = "t"  # in a channel thread, visible to everyone there
DIRECT = "d"  # in the user's direct message with the bot
PRIVATE = "p"  # slash-command flow: questions only to the user (response_url), card in_channel
HOME = "h"  # the App Home tab: the conversation moves to the user's direct message

SIMPLE_ACTIONS = ("skip", "back", "why_ask", "why", "change", "restart", "record", "start", "details")
ACTION_ID = re.compile(r"^(?:answer:[a-z_]+|change:[a-z_]+|" + "|".join(SIMPLE_ACTIONS) + r")$")
COMMAND_WORDS = {"": "start", "start": "start", "restart": "restart", "help": "help", "status": "status"}
UNKNOWN = "unknown"

_LINK = re.compile(r"<(?![@#!])([^|>]+)(?:\|([^>]*))?>")
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True, slots=True)
class Surface:
    """Where and how to answer one event.

    ``user`` is who acted (ephemeral notices go to them); ``scope`` goes into every block_id
    of the messages posted for this conversation; ``clicked_ts`` is the message whose button
    was pressed and ``replace_clicked`` whether it was a question or menu that the next
    question replaces in place (through ``response_url``)."""

    mode: str
    team: str
    channel: str
    user: str
    scope: str
    thread_ts: str = ""
    response_url: str = ""
    clicked_ts: str = ""
    replace_clicked: bool = False


@dataclass(frozen=True, slots=True)
class Inbound:
    """One Slack delivery, translated: the neutral event and where its replies go."""

    event: InboundEvent
    surface: Surface
    known_thread_only: bool = False  # a thread reply: pass it on only if the thread has state


def block_id(scope: str, tag: str) -> str:
    return f"ft:{scope}:{tag}"


#: Longest id a block_id of ours carries (a user id or a thread ts; Slack's are under 32).
MAX_ID_LENGTH = 64


def parse_block_id(value: str) -> tuple[str, str, str] | None:
    """(kind, id, tag) of a block_id this app made, else None."""
    parts = value.split(":", 3)
    if len(parts) != 4 or parts[0] != "ft" or parts[1] not in (THREAD, DIRECT, PRIVATE, HOME):
        return None
    if len(parts[2]) > MAX_ID_LENGTH:  # not one of ours: ours would not fit Slack's 255 characters
        return None
    return parts[1], parts[2], parts[3]


def clean(text: str, bot_user_id: str | None = None) -> str:
    """Slack's message markup to what the person typed: the bot's own mention dropped, links to
    their label, and ``&amp; &lt; &gt;`` unescaped (Slack escapes exactly these three)."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def to_action(action_id: str, value: str) -> Action | None:
    """A button's action_id and value as a core action, or None for a button not ours.

    ``skip`` carries the question's factor and becomes "answer it with unknown", which is the
    same as skipping that question but idempotent: a second click changes nothing."""
    if action_id.startswith("answer:"):
        return Action("answer", factor=action_id.split(":", 1)[1], value=value)
    if action_id.startswith("change:"):
        return Action("change", factor=action_id.split(":", 1)[1])
    if action_id == "skip" and value:
        return Action("answer", factor=value, value=UNKNOWN)
    if action_id in ("back", "why_ask") and value:
        return Action(action_id, factor=value)
    if action_id in SIMPLE_ACTIONS:
        return Action(action_id)
    return None


ONCE_PER_MESSAGE = frozenset({"why", "change", "restart", "record", "details"})


def press_id(action: Action, action_ts: str, user: str, message_ts: str) -> str:
    """The event id of a button press. Answer, skip and back presses are made idempotent by the
    core (a press acts only on its own question), so each press counts; the card's buttons
    count once per message and person, so a double click posts one record, one restart."""
    if action.name in ONCE_PER_MESSAGE and not action.factor and message_ts:
        return f"press:{message_ts}:{action.name}:{user}"
    return f"{action_ts}:{user}"


def from_command(body: dict[str, Any]) -> Inbound:
    """``/finetune [start|restart|help|status|ask <question>|<description or answer>]``."""
    team, channel, user = str(body.get("team_id", "")), str(body["channel_id"]), str(body["user_id"])
    text = clean(str(body.get("text") or ""))
    word = text.lower()
    key = ConversationKey(PLATFORM, team, channel, "", user)
    event_id = str(body.get("trigger_id") or "")
    if word in COMMAND_WORDS:
        event = InboundEvent(key=key, user=user, event_id=event_id, action=Action(COMMAND_WORDS[word]))
    elif word == "ask":
        event = InboundEvent(key=key, user=user, event_id=event_id, action=Action("help"))
    else:
        if word.startswith("ask "):
            text = text[4:].strip()
        event = InboundEvent(key=key, user=user, event_id=event_id, text=text)
    surface = Surface(PRIVATE, team, channel, user, f"{PRIVATE}:{user}", response_url=str(body.get("response_url") or ""))
    return Inbound(event, surface)


def _event_team(body: dict[str, Any], event: dict[str, Any]) -> str:
    return str(body.get("team_id") or event.get("team") or "")


def from_mention(body: dict[str, Any], bot_user_id: str | None) -> Inbound | None:
    """An @mention starts or continues the assessment of the thread under it."""
    event = body["event"]
    user = event.get("user")
    if not user or event.get("bot_id"):
        return None
    team, channel = _event_team(body, event), str(event["channel"])
    root = str(event.get("thread_ts") or event["ts"])
    key = ConversationKey(PLATFORM, team, channel, root, "")
    text = clean(str(event.get("text") or ""), bot_user_id)
    event_id = str(body.get("event_id") or "")
    inbound = (
        InboundEvent(key=key, user=user, event_id=event_id, text=text)
        if text
        else InboundEvent(key=key, user=user, event_id=event_id, action=Action("start"))
    )
    return Inbound(inbound, Surface(THREAD, team, channel, user, f"{THREAD}:{root}", thread_ts=root))


def from_message(body: dict[str, Any], bot_user_id: str | None) -> Inbound | None:
    """A direct message, or a reply in a channel thread (passed on only if the thread is ours).

    Ignored: bot messages, edits and other subtypes, top-level channel messages (only a
    mention starts a thread) and thread replies that mention the bot (the ``app_mention``
    event for the same message handles those)."""
    event = body["event"]
    user = event.get("user")
    if event.get("subtype") not in (None, "thread_broadcast") or event.get("bot_id") or not user:
        return None
    if bot_user_id and user == bot_user_id:
        return None
    team, channel = _event_team(body, event), str(event.get("channel") or "")
    raw = str(event.get("text") or "")
    event_id = str(body.get("event_id") or "")
    kind = event.get("channel_type")
    if kind == "im":
        key = ConversationKey(PLATFORM, team, channel, "", user)
        inbound = InboundEvent(key=key, user=user, event_id=event_id, text=clean(raw, bot_user_id))
        return Inbound(inbound, Surface(DIRECT, team, channel, user, f"{DIRECT}:{user}"))
    if kind not in ("channel", "group"):
        return None
    root = event.get("thread_ts")
    if not root or root == event.get("ts"):
        return None
    if bot_user_id and f"<@{bot_user_id}" in raw:
        return None
    key = ConversationKey(PLATFORM, team, channel, str(root), "")
    inbound = InboundEvent(key=key, user=user, event_id=event_id, text=clean(raw, bot_user_id))
    surface = Surface(THREAD, team, channel, user, f"{THREAD}:{root}", thread_ts=str(root))
    return Inbound(inbound, surface, known_thread_only=True)


def from_action(body: dict[str, Any]) -> Inbound | None:
    """A ``block_actions`` payload (one button press) -> the conversation it belongs to."""
    actions = body.get("actions") or []
    if not actions:
        return None
    pressed = actions[0]
    action = to_action(str(pressed.get("action_id", "")), str(pressed.get("value") or ""))
    if action is None:
        return None
    user = str(body["user"]["id"])
    team = str((body.get("team") or {}).get("id") or body["user"].get("team_id") or "")
    container = body.get("container") or {}
    message = body.get("message") or {}
    event_id = press_id(action, str(pressed.get("action_ts", "")), user, str(container.get("message_ts") or message.get("ts") or ""))
    channel = str((body.get("channel") or {}).get("id") or container.get("channel_id") or "")
    parsed = parse_block_id(str(pressed.get("block_id") or ""))
    if container.get("type") == "view" or (parsed is not None and parsed[0] == HOME):
        key = ConversationKey(PLATFORM, team, "", "", user)
        return Inbound(InboundEvent(key=key, user=user, event_id=event_id, action=action), Surface(HOME, team, "", user, ""))
    if parsed is None:  # a message without our block ids: infer from where it sits
        thread = str(message.get("thread_ts") or "")
        if thread:
            parsed = (THREAD, thread, "")
        elif container.get("is_ephemeral") or not channel.startswith("D"):
            parsed = (PRIVATE, user, "")
        else:
            parsed = (DIRECT, user, "")
    kind, ident, tag = parsed
    if kind == THREAD:
        key = ConversationKey(PLATFORM, team, channel, ident, "")
    else:
        key = ConversationKey(PLATFORM, team, channel, "", ident)
    surface = Surface(
        kind,
        team,
        channel,
        user,
        f"{kind}:{ident}",
        thread_ts=ident if kind == THREAD else "",
        response_url=str(body.get("response_url") or ""),
        clicked_ts=str(container.get("message_ts") or message.get("ts") or ""),
        replace_clicked=tag.startswith(("q", "m")),
    )
    return Inbound(InboundEvent(key=key, user=user, event_id=event_id, action=action), surface)


def in_direct_message(inbound: Inbound, channel: str) -> Inbound:
    """An App Home press moved into the user's direct message ``channel``."""
    event, user = inbound.event, inbound.event.user
    key = ConversationKey(PLATFORM, event.key.workspace, channel, "", user)
    return Inbound(replace(event, key=key), Surface(DIRECT, event.key.workspace, channel, user, f"{DIRECT}:{user}"))
