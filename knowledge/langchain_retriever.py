"""LangChain adapter: the knowledge index as a ``langchain_core`` retriever.

Kept in its own module because importing langchain_core takes over a second; nothing in
:mod:`knowledge` imports this module, so only code that wants a LangChain retriever pays for it.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from knowledge.base import KnowledgeBase
from knowledge.retrieval import Hit, KnowledgeIndex
from knowledge.routes import ENTRY, OFF_TOPIC, Route


def hit_to_document(hit: Hit) -> Document:
    """A hit as a LangChain document: the entry body plus id, title, section, stance, score."""
    entry = hit.entry
    return Document(
        page_content=entry.body,
        metadata={
            "id": entry.id,
            "title": entry.title,
            "section": entry.section,
            "stance": entry.stance,
            "score": hit.score,
        },
    )


class KnowledgeRetriever(BaseRetriever):
    """Retrieves knowledge-base entries for a question; off-topic questions get no documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: KnowledgeIndex
    k: int = 3

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [hit_to_document(h) for h in self.index.search(query, k=self.k)]


def make_retriever(index: KnowledgeIndex, k: int = 3) -> KnowledgeRetriever:
    """A LangChain retriever over ``index`` returning up to ``k`` documents, best first."""
    return KnowledgeRetriever(index=index, k=k)


class RetrieverSearcher:
    """The other direction: any LangChain retriever whose documents carry an entry ``id`` (and a
    ``score``) used where the bot searches the knowledge base (``bot.answers.Searcher``).

    The service answers through this over :class:`KnowledgeRetriever`, so a team can swap in
    another LangChain retriever; the terminal commands search the index directly to start fast.
    """

    def __init__(self, retriever: BaseRetriever, kb: KnowledgeBase) -> None:
        self.retriever = retriever
        self.kb = kb

    def search(self, query: str, k: int = 3) -> list[Hit]:
        documents = self.retriever.invoke(query)[:k]
        return [Hit(self.kb.get(d.metadata["id"]), float(d.metadata.get("score", 0.0))) for d in documents]

    def route(self, query: str, k: int = 3) -> Route:
        """Where ``query`` belongs. Over our own :class:`KnowledgeRetriever` this is its index's
        route (overviews, limits, help, off-topic, and entries ranked as the retriever ranks
        them); another retriever only finds entries, so it answers entry questions or declines."""
        index = getattr(self.retriever, "index", None)
        if isinstance(index, KnowledgeIndex):
            return index.route(query, k)
        hits = tuple(self.search(query, k))
        return Route(ENTRY, hits=hits) if hits else Route(OFF_TOPIC)


def langchain_searcher(index: KnowledgeIndex, kb: KnowledgeBase, k: int = 3) -> RetrieverSearcher:
    """The knowledge index behind a LangChain ``BaseRetriever``, searchable like the index."""
    return RetrieverSearcher(make_retriever(index, k=k), kb)
