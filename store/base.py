"""The conversation store interface: what the bot needs from its memory, nothing more.

A conversation is one JSON-able dict stored under a version number. Every write is a
compare-and-set on that version and records the delivering event id, so a retried or
concurrent delivery changes state exactly once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from bot.events import ConversationKey

#: Schema of the stored envelope ``{"schema": 1, "version": n, "data": {...}}``.
#: A stored value with another schema reads back as unreadable (``data == {}``).
SCHEMA = 1

DEFAULT_PREFIX = "ftadvisor"
DEFAULT_CONVERSATION_TTL_S = 7 * 24 * 3600
DEFAULT_EVENT_TTL_S = 24 * 3600


@dataclass(frozen=True, slots=True)
class Loaded:
    """What :meth:`ConversationStore.load` found.

    ``version`` is 0 and ``data`` is ``None`` when there is no conversation. ``data == {}``
    means something was stored but could not be read (bad JSON or an old schema): the core
    starts over. ``duplicate`` is true when the event id was already recorded.
    """

    version: int
    data: dict[str, Any] | None
    duplicate: bool


class SaveOutcome(enum.Enum):
    """Result of a compare-and-set :meth:`ConversationStore.save`."""

    SAVED = "saved"
    CONFLICT = "conflict"  # someone else saved first: reload and retry
    DUPLICATE = "duplicate"  # this event id was already applied


@runtime_checkable
class ConversationStore(Protocol):
    """Async conversation memory. ``load``, ``save`` and ``ping`` are one round trip each
    and raise :class:`bot.errors.StoreError` (chained to the cause) when the backend fails."""

    async def load(self, key: ConversationKey, event_id: str | None) -> Loaded:
        """Read the conversation and whether ``event_id`` was already applied."""
        ...

    async def save(
        self,
        key: ConversationKey,
        *,
        expected_version: int,
        data: dict[str, Any],
        event_id: str | None,
    ) -> SaveOutcome:
        """Atomically write ``data`` as version ``expected_version + 1`` and record
        ``event_id``, unless the event was seen (DUPLICATE) or the version moved (CONFLICT)."""
        ...

    async def ping(self) -> None:
        """Check the backend answers."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
