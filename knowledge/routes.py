"""What retrieval returns, kept apart from the index so importing it costs nothing (no numpy,
no model): :class:`Hit` and :class:`Route` and the route kinds."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.base import Entry
from knowledge.guide import HelpEntry, Limit, Overview

ENTRY, OVERVIEW, LIMIT, HELP, OFF_TOPIC = "entry", "overview", "limit", "help", "off_topic"
KINDS: tuple[str, ...] = (ENTRY, OVERVIEW, LIMIT, HELP, OFF_TOPIC)


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: an entry and its combined score (higher is better)."""

    entry: Entry
    score: float


@dataclass(frozen=True, slots=True)
class Route:
    """What a question is about: an ``entry`` question (``hits`` best first), a section
    ``overview``, a ``limit`` of the article, the bot's own ``help``, or ``off_topic``.
    ``hits`` are the best entries for every kind but help and off-topic."""

    kind: str
    hits: tuple[Hit, ...] = ()
    overview: Overview | None = None
    limit: Limit | None = None
    help: HelpEntry | None = None
    score: float = 0.0
