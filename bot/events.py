"""Neutral inbound data: what an adapter hands to the core.

No platform type crosses this boundary: adapters build these from Slack or Teams payloads
(or terminal input) and the core never sees anything else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """Names one conversation: who is talking to the bot, where.

    ``workspace`` is the Slack team id or the Teams tenant id; ``thread`` is the Slack thread
    ts or the Teams reply-chain id ("" outside a thread); ``user`` is the person who owns the
    assessment, so several people in one channel never share state.
    """

    platform: str
    workspace: str
    channel: str
    thread: str
    user: str

    def parts(self) -> tuple[str, str, str, str, str]:
        return (self.platform, self.workspace, self.channel, self.thread, self.user)


@dataclass(frozen=True, slots=True)
class Action:
    """A button press or command with structured data.

    ``name`` is one of: ``start``, ``answer`` (``factor`` and ``value`` set), ``skip``, ``back``
    (with ``factor``: only while that question is the current one, so a doubled press undoes
    once), ``why_ask`` (why do you ask the current question, or ``factor``'s), ``why`` (why this verdict),
    ``change`` (``factor`` optional), ``restart``, ``record`` (decision record), ``status``, ``help``,
    ``resume`` (show where the conversation stands), and ``message_sent`` (``value`` is the
    platform id of the question message just posted, so the next one can replace it in place).
    """

    name: str
    factor: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class InboundEvent:
    """One thing that happened: a typed message or an action, exactly one of the two.

    ``event_id`` is the platform's id for the delivery (Slack ``event_id`` or action ts + user,
    Teams activity id); the store records it so a retried delivery changes state once.
    ``user`` is who sent it (may differ from ``key.user`` when someone else asks in a thread).
    """

    key: ConversationKey
    user: str
    event_id: str
    text: str | None = None
    action: Action | None = None

    def __post_init__(self) -> None:
        if (self.text is None) == (self.action is None):
            raise ValueError("an InboundEvent carries exactly one of text or action")

    @property
    def platform(self) -> str:
        return self.key.platform
