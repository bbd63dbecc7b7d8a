"""The composition root: builds the core's collaborators for every adapter."""

from __future__ import annotations

from functools import cache

from bot.conversation import DEFAULT_IDLE_SECONDS, Advisor
from knowledge import default_index, default_knowledge_base


@cache
def make_advisor(idle_seconds: float = DEFAULT_IDLE_SECONDS) -> Advisor:
    """The advisor over the packaged knowledge base; the retrieval index is built on first use.
    ``idle_seconds`` is CONVERSATION_TTL_S: an assessment idle longer is told it expired."""
    return Advisor(kb=default_knowledge_base(), index=default_index, idle_seconds=idle_seconds)
