"""The composition root: builds the core's collaborators for every adapter."""

from __future__ import annotations

from functools import cache

from bot.conversation import Advisor
from knowledge import default_index, default_knowledge_base


@cache
def make_advisor() -> Advisor:
    """The advisor over the packaged knowledge base; the retrieval index is built on first use."""
    return Advisor(kb=default_knowledge_base(), index=default_index)
