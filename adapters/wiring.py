"""The composition root: builds the core's collaborators for every adapter."""

from __future__ import annotations

from functools import cache

from bot.answers import Searcher
from bot.conversation import DEFAULT_IDLE_SECONDS, Advisor
from knowledge import default_index, default_knowledge_base


@cache
def make_advisor(idle_seconds: float = DEFAULT_IDLE_SECONDS, via_langchain: bool = False) -> Advisor:
    """The advisor over the packaged knowledge base; the retrieval index is built on first use.
    ``idle_seconds`` is CONVERSATION_TTL_S: an assessment idle longer is told it expired.
    ``via_langchain`` searches through the langchain-core ``BaseRetriever`` (the service does;
    the terminal skips langchain's ~1.3 s import and searches the same index directly)."""
    kb = default_knowledge_base()
    if not via_langchain:
        return Advisor(kb=kb, index=default_index, idle_seconds=idle_seconds)
    @cache
    def searcher() -> Searcher:
        from knowledge.langchain_retriever import langchain_searcher

        return langchain_searcher(default_index(), kb)

    return Advisor(kb=kb, index=searcher, idle_seconds=idle_seconds)
