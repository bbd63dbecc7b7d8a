"""The curated knowledge base of the Fine-Tune Advisor and search over it.

Public surface::

    from knowledge import default_knowledge_base, default_index
    kb = default_knowledge_base()          # validated once, cached
    kb.primary("sensitive_data")           # the "why do you ask?" entry of a factor
    default_index().search("latency?")     # [Hit(entry, score), ...]; [] when off topic

Search names (``KnowledgeIndex``, ``Hit``, ``default_index``) are imported lazily, so
``import knowledge`` stays cheap (no numpy/bm25s until first use). langchain_core is never
imported here: use :func:`knowledge.langchain_retriever.make_retriever` for a LangChain retriever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from knowledge.base import (
    SECTIONS,
    STANCES,
    Entry,
    KnowledgeBase,
    default_knowledge_base,
    load_knowledge_base,
)

if TYPE_CHECKING:
    from knowledge.retrieval import Hit, KnowledgeIndex, default_index

__all__ = [
    "SECTIONS",
    "STANCES",
    "Entry",
    "Hit",
    "KnowledgeBase",
    "KnowledgeIndex",
    "default_index",
    "default_knowledge_base",
    "load_knowledge_base",
]

_LAZY = frozenset({"Hit", "KnowledgeIndex", "default_index"})


def __getattr__(name: str) -> Any:
    """Import the search names on first use (PEP 562)."""
    if name in _LAZY:
        from knowledge import retrieval

        return getattr(retrieval, name)
    raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
