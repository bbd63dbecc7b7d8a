"""What to post and what to update for one turn's replies, and running that plan.

In-place updates: a :class:`~bot.replies.Question` replaces the question card the user just
clicked (the submit's ``replyToId``) or, for a typed answer, ``Question.replaces``; a
:class:`~bot.replies.Card` retires the question card it supersedes into a summary of the
answers and is posted anew, so the channel sees it. Every newly posted question card's id is
reported back to the core (``message_sent``) so a typed answer can update it later.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.events import Action
from bot.replies import Card, Question, Reply

from . import cards

log = logging.getLogger("finetune_advisor.teams")

#: Clicks on a question card whose reply replaces that very card (Skip arrives as an answer).
_IN_PLACE_ACTIONS = frozenset({"answer", "skip", "back"})


@dataclass(frozen=True, slots=True)
class Post:
    body: dict[str, Any]
    report_sent: bool = False  # a question card: tell the core its id


@dataclass(frozen=True, slots=True)
class Update:
    message_id: str
    body: dict[str, Any]
    fallback_post: bool = False  # post anew when the update fails (message deleted, too old)
    report_sent: bool = False


Op = Post | Update


def plan(replies: Sequence[Reply], *, owner: str, action: Action | None = None, reply_to_id: str = "") -> list[Op]:
    """The operations showing ``replies``. ``action``/``reply_to_id`` describe the card click
    that caused the turn, if any."""
    clicked = reply_to_id if action is not None and action.name in _IN_PLACE_ACTIONS else ""
    ops: list[Op] = []
    for reply in replies:
        body = cards.render(reply, owner)
        if isinstance(reply, Question):
            target = clicked or reply.replaces
            if target:
                ops.append(Update(target, body, fallback_post=True, report_sent=target != reply.replaces))
            else:
                ops.append(Post(body, report_sent=True))
        elif isinstance(reply, Card):
            retired = clicked or reply.supersedes
            if retired:
                ops.append(Update(retired, cards.answers_message(reply.recommendation)))
            ops.append(Post(body))
        else:
            ops.append(Post(body))
    return ops


class Sink(Protocol):
    """Where a plan goes: the lean connector, or botbuilder's TurnContext."""

    async def post(self, body: dict[str, Any]) -> str:
        """Post a new message; its id ("" when the channel gave none)."""
        ...

    async def update(self, message_id: str, body: dict[str, Any]) -> None: ...


Report = Callable[[str], Awaitable[None]]


async def run(ops: Sequence[Op], sink: Sink, report: Report) -> int:
    """Carry out ``ops`` in order; a failed one is logged and the rest still run. Returns how
    many failed. The conversation itself is already saved, so nothing here can lose it."""
    failed = 0
    for op in ops:
        try:
            report_sent = op.report_sent
            if isinstance(op, Update):
                try:
                    await sink.update(op.message_id, op.body)
                    message_id = op.message_id
                except Exception as exc:  # noqa: BLE001 - any failure: fall back or give up on this op
                    if not op.fallback_post:
                        raise
                    log.warning("update failed; posting anew", extra={"message_id": op.message_id, "error": str(exc)})
                    message_id, report_sent = await sink.post(op.body), True
            else:
                message_id = await sink.post(op.body)
            if report_sent and message_id:
                await report(message_id)
        except Exception as exc:  # noqa: BLE001 - logged; delivery is best effort per message
            failed += 1
            log.error("reply not delivered", extra={"op": type(op).__name__, "error": f"{type(exc).__name__}: {exc}"})
    return failed
