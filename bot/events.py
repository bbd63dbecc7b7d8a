"""Neutral inbound data: what an adapter hands to the core.

No platform type crosses this boundary: adapters build these from Slack or Teams payloads
(or terminal input) and the core never sees anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.factors import BY_ID

MAX_HINT_EVIDENCE_CHARS = 200


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
    ``change`` (``factor`` optional), ``restart``, ``record`` (decision record), ``details`` (everything behind the card's face), ``status``, ``help``,
    ``resume`` (show where the conversation stands), and ``message_sent`` (``value`` is the
    platform id of the question message just posted, so the next one can replace it in place).
    """

    name: str
    factor: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class Hint:
    """A factor value an outside reader (an optional language model) found in the event's text,
    with the user's own words that support it.

    Only a factor id and one of its values from the public contract are accepted (never
    ``unknown``). The core uses a hint only where its own rules read nothing, and only when
    ``evidence`` really occurs in the text; it then shows what it understood, as for its own
    reading, so the user can correct it.
    """

    factor: str
    value: str
    evidence: str

    def __post_init__(self) -> None:
        factor = BY_ID.get(self.factor)
        if factor is None:
            raise ValueError(f"hint for an unknown factor {self.factor!r}")
        if self.value not in factor.values:
            raise ValueError(f"hint value {self.value!r} is not one of {self.factor}'s values")
        if not isinstance(self.evidence, str) or not self.evidence.strip() or len(self.evidence) > MAX_HINT_EVIDENCE_CHARS:
            raise ValueError(f"hint evidence must be 1 to {MAX_HINT_EVIDENCE_CHARS} characters")


@dataclass(frozen=True, slots=True)
class InboundEvent:
    """One thing that happened: a typed message or an action, exactly one of the two.

    ``event_id`` is the platform's id for the delivery (Slack ``event_id`` or action ts + user,
    Teams activity id); the store records it so a retried delivery changes state once.
    ``user`` is who sent it (may differ from ``key.user`` when someone else asks in a thread).
    ``hints`` (text events only) are readings of the text supplied from outside the core, by the
    optional language model; empty unless one is configured.
    """

    key: ConversationKey
    user: str
    event_id: str
    text: str | None = None
    action: Action | None = None
    hints: tuple[Hint, ...] = ()

    def __post_init__(self) -> None:
        if (self.text is None) == (self.action is None):
            raise ValueError("an InboundEvent carries exactly one of text or action")
        if self.hints and self.text is None:
            raise ValueError("hints go with a text event only")
        if not isinstance(self.hints, tuple) or not all(isinstance(h, Hint) for h in self.hints):
            raise ValueError("hints must be Hint values")

    @property
    def platform(self) -> str:
        return self.key.platform
