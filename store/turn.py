"""One turn of a conversation: load, run the pure transition, compare-and-set save.

An ordinary turn is exactly two store round trips. When another worker saved first
(CONFLICT) the turn reloads and re-runs the transition on the fresh state, so every event
is applied once, on the latest state, whatever the concurrency.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from bot.errors import StoreError
from bot.events import InboundEvent

from .base import ConversationStore, SaveOutcome

#: ``transition(data, event, now) -> (new_data, replies)``: pure, supplied by the core.
#: ``data`` is None for a new conversation and ``{}`` for an unreadable one.
Transition = Callable[[dict[str, Any] | None, InboundEvent, float], tuple[dict[str, Any], list[Any]]]

_BACKOFF_BASE_S = 0.002
_BACKOFF_CAP_S = 0.1


@dataclass(frozen=True, slots=True)
class TurnResult:
    """What a turn produced. ``duplicate`` turns have no replies and changed nothing;
    ``retries`` counts CAS conflicts; ``version`` is the stored version after the turn."""

    replies: list[Any] = field(default_factory=list)
    duplicate: bool = False
    retries: int = 0
    version: int = 0


def _backoff(attempt: int) -> float:
    """Full-jitter exponential backoff: a few ms at first, at most 100 ms."""
    return random.uniform(0, min(_BACKOFF_CAP_S, _BACKOFF_BASE_S * 2**attempt))


async def run_turn(
    store: ConversationStore,
    event: InboundEvent,
    transition: Transition,
    *,
    now: float | None = None,
    max_retries: int = 8,
    slot: Callable[[], AbstractAsyncContextManager[Any]] | None = None,
) -> TurnResult:
    """Apply ``event`` to its conversation once.

    Raises StoreError when the store fails or after ``max_retries`` conflicts in a row
    (``max_retries + 1`` attempts). Exceptions from ``transition`` propagate unchanged.
    ``slot``, if given, is entered around each attempt (load, transition, save) and left
    during the backoff between attempts.
    """
    key, event_id = event.key, event.event_id or None
    retries = 0
    while True:
        async with slot() if slot is not None else nullcontext():
            loaded = await store.load(key, event_id)
            if loaded.duplicate:
                return TurnResult(replies=[], duplicate=True, retries=retries, version=loaded.version)
            at = time.time() if now is None else now
            data, replies = transition(loaded.data, event, at)
            outcome = await store.save(
                key, expected_version=loaded.version, data=data, event_id=event_id
            )
        if outcome is SaveOutcome.SAVED:
            return TurnResult(replies=list(replies), duplicate=False, retries=retries, version=loaded.version + 1)
        if outcome is SaveOutcome.DUPLICATE:
            return TurnResult(replies=[], duplicate=True, retries=retries, version=loaded.version)
        if retries >= max_retries:
            raise StoreError(
                f"conversation kept changing under this turn: {retries + 1} attempts conflicted"
            )
        retries += 1
        await asyncio.sleep(_backoff(retries))
