"""Retrieval that survives paraphrase: BM25 and a semantic model together, then a route.

Everything a question can be matched to is a *target*: a knowledge entry (its title, summary,
body, keywords and example questions), a section overview, a limit of the article, a help
entry, or an off-topic look-alike (see ``knowledge/data/guide.toml``). Each target scores

    semantic = (1 - CENTROID_WEIGHT) * max cosine(question, its texts) + CENTROID_WEIGHT * cosine(question, their mean)
    score    = semantic + LEXICAL_WEIGHT * bm25 / (bm25 + LEXICAL_HALF)

with static sentence embeddings (:mod:`knowledge.embedding`; the targets' texts are embedded
once, when the index is built) and BM25 (:mod:`knowledge.lexical`, which also fixes typos).
:meth:`KnowledgeIndex.route` returns what the best target is (:class:`knowledge.routes.Route`):
``off_topic`` (see :meth:`KnowledgeIndex.route` for when), ``entry`` with the best entries as
:class:`Hit` values, or ``overview``, ``limit`` or ``help`` with that item.

:meth:`KnowledgeIndex.search` keeps the old contract: the best entries, ``[]`` off topic.
This module does not import langchain_core; the LangChain retriever is in
:mod:`knowledge.langchain_retriever`. docs/answers.md explains the choices and the figures.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from knowledge.base import KnowledgeBase, default_knowledge_base
from knowledge.embedding import Embedder, default_embedder
from knowledge.guide import Guide, Limit, Overview, default_guide
from knowledge.lexical import MAX_QUERY_CHARS, LexicalIndex
from knowledge.routes import ENTRY, HELP, LIMIT, OFF_TOPIC, OVERVIEW, Hit, Route

__all__ = ["MAX_QUERY_CHARS", "Hit", "KnowledgeIndex", "Route", "default_index"]

LEXICAL_WEIGHT = 0.5
"""How much a full lexical match adds to the cosine (tuned on the tune split only)."""
LEXICAL_HALF = 3.0
"""The BM25 score that counts as half a lexical match."""
MIN_SCORE = 0.35
"""Below this best score a question is off topic."""
MIN_SEMANTIC = 0.15
"""A target needs at least this cosine to be chosen at all (a lexical match alone is not enough)."""
OFF_TOPIC_PULL = 0.3
"""How far the share of a question's words the knowledge side never uses moves the off-topic
look-alikes: a question made only of our own words ("latency?", "tokens") stays with the
knowledge base; one full of other words ("... in postgres") leans to the look-alikes."""
OFF_TOPIC_PENALTY = 0.05
"""How much that share lowers every knowledge target."""
MIN_SEMANTIC_ALONE = 0.7
"""Without a single word the knowledge side uses ("model time", "good question"), a question
needs this cosine: it must say nearly what an example question says ("what?", "is it worth it?")."""
MIN_SEMANTIC_WITH_OTHER_WORDS = 0.4
"""A question with words the knowledge side never uses needs this cosine for its best target:
lexical overlap alone ("data model in postgres", "names for a cat") does not make it ours."""
_TUNING_RE = re.compile(r"\bfine-tuning\b|\b(?:re)?tun(?:e|ed|es|ing)\b|\btrain(?:ed|s|ing)?\b", re.I)
MAX_EMBED_CHARS = 400
"""Only this much of a question is embedded (a question is short; pasted walls are not)."""
LIMIT_MARGIN = 0.05
"""A limit of the article must beat the best answerable target by this much to win: say what
the article does say unless the question is clearly about something it does not."""
CENTROID_WEIGHT = 0.3
"""Share of a target's ranking cosine taken from the mean of its texts rather than its closest
text (a target with many example questions should not win on one lucky near-match)."""


@dataclass(frozen=True, slots=True)
class _Target:
    kind: str
    item: object
    texts: tuple[str, ...]
    document: str


_ABOUT_THE_ARTICLE_RE = re.compile(
    r"^\s*(?:so\s+)?(?:what|how)\s+(?:does|do|did)\s+(?:the|this|your)\s+(?:article|post|source|text)\s+"
    r"(?:say|said|tell\s+(?:me|us)|mention|think)\s+(?:about|on|regarding)\s+"
    r"|\b(?:according\s+to|in|from)\s+(?:the|this|your)\s+(?:article|post|source)\b"
    r"|^\s*(?:does|do|did)\s+(?:the|this|your)\s+(?:article|post|source)\s+(?:say|mention|talk\s+about|cover)\s+(?:anything\s+(?:about|on)\s+)?",
    re.I,
)
"""Framing that points at the article rather than asking anything ("what does the article say
about privacy?", "according to the article, ..."): taken off before retrieval."""

_FINE_TUNE_RE = re.compile(r"\bfine[\s-]*tun(?:e|ed|es|ing|ning|ning)?\b|\bfinetun\w*", re.I)


def _canonical(text: str) -> str:
    """``text`` lower-cased with every spelling of fine-tuning written one way: the embedder's
    tokenizer is case-sensitive ("What" and "what" differ) and splits "fine tuning",
    "fine-tuned" and "finetuning" differently."""
    return _FINE_TUNE_RE.sub("fine-tuning", text).lower()


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def _targets(kb: KnowledgeBase, guide: Guide) -> list[_Target]:
    out = [
        _Target(
            ENTRY, e, (e.title, e.summary, *e.questions),
            " ".join((e.title, e.title, e.summary, e.body, *e.keywords, *e.questions)),
        )
        for e in kb
    ]
    out += [_Target(OVERVIEW, o, o.questions, " ".join(o.questions)) for o in guide.overviews]
    out += [_Target(LIMIT, m, m.questions, " ".join((m.topic, *m.questions))) for m in guide.limits]
    out += [_Target(HELP, h, h.questions, " ".join((h.title, *h.questions))) for h in guide.help]
    out += [_Target(OFF_TOPIC, q, (q,), q) for q in guide.off_topic]
    return out


@dataclass
class _Scores:
    combined: np.ndarray
    semantic: np.ndarray  # each target's cosine to its closest text (the thresholds use this)
    lexical: np.ndarray = field(repr=False)
    elsewhere: float = 0.0  # share of the question's words that belong to another topic


class KnowledgeIndex:
    """The hybrid index over a knowledge base and its guide; build once, query many times."""

    def __init__(self, kb: KnowledgeBase, guide: Guide | None = None, embedder: Embedder | None = None) -> None:
        self.kb = kb
        self.guide = guide if guide is not None else default_guide()
        self.embedder = embedder if embedder is not None else default_embedder()
        self._targets = _targets(kb, self.guide)
        self._lexical = LexicalIndex([t.document for t in self._targets])
        rows = [text for t in self._targets for text in t.texts]
        self._owner = np.array([i for i, t in enumerate(self._targets) for _ in t.texts], dtype=np.intp)
        self._vectors = _normalise(self.embedder.embed([_canonical(r) for r in rows]))
        sums = np.zeros((len(self._targets), self._vectors.shape[1]), dtype=np.float32)
        np.add.at(sums, self._owner, self._vectors)
        self._centroids = _normalise(sums)
        self._domain_stems = frozenset(
            self._lexical.stem(w)
            for t in self._targets
            if t.kind != OFF_TOPIC
            for w in self._lexical.content_words(t.document)
        )
        self._off_targets = np.array([t.kind == OFF_TOPIC for t in self._targets])
        self._off_rows = self._off_targets[self._owner]
        self._limit_targets = np.array([t.kind == LIMIT for t in self._targets])
        self._entry_rows = np.array([i for i, t in enumerate(self._targets) if t.kind == ENTRY], dtype=np.intp)

    # -- scoring -------------------------------------------------------------------------------

    def _scores(self, query: str) -> _Scores | None:
        query = query[:MAX_QUERY_CHARS].strip()
        asked = _ABOUT_THE_ARTICLE_RE.sub(" ", query).strip(" ?.!,")
        if any(c.isalpha() for c in asked):
            query = asked  # "what does the article say about privacy?" asks about privacy
        if not query:
            return None
        stems, fixed, meant = self._lexical.parse(query)
        texts = [_canonical(query[:MAX_EMBED_CHARS])]
        if fixed and fixed != query.lower():
            texts.append(_canonical(fixed[:MAX_EMBED_CHARS]))
        raw = self.embedder.embed(texts)
        if not np.any(raw):
            return None  # nothing the model has a vector for (emoji, digits, junk)
        q = _normalise(raw)
        row_cos = (self._vectors @ q.T).max(axis=1)
        semantic = np.full(len(self._targets), -1.0, dtype=np.float32)
        np.maximum.at(semantic, self._owner, row_cos)
        closest = semantic
        if CENTROID_WEIGHT:
            centroid = (self._centroids @ q.T).max(axis=1)
            semantic = (1 - CENTROID_WEIGHT) * semantic + CENTROID_WEIGHT * centroid
        bm25 = self._lexical.scores(stems)
        lexical = bm25 / (bm25 + LEXICAL_HALF)
        elsewhere = self._elsewhere_share(meant)
        combined = semantic + LEXICAL_WEIGHT * lexical
        combined = np.where(
            self._off_targets, combined + OFF_TOPIC_PULL * (2 * elsewhere - 1), combined - OFF_TOPIC_PENALTY * elsewhere
        )
        return _Scores(combined, closest, lexical, elsewhere)

    def _about_something_else(self, query: str, scores: _Scores) -> bool:
        """Whether a question that names fine-tuning is about tuning something else: with the
        words for tuning taken out, what is left ("my guitar", "my car's engine", "a ResNet on
        photos") lies nearer an off-topic look-alike than anything in the knowledge base."""
        if not _TUNING_RE.search(query) or scores.elsewhere == 0:
            return False
        subject = _TUNING_RE.sub(" ", _canonical(query[:MAX_EMBED_CHARS]))
        vector = _normalise(self.embedder.embed([subject]))[0]
        if not np.any(vector):
            return False
        cos = self._vectors @ vector
        return float(cos[self._off_rows].max()) > float(cos[~self._off_rows].max())

    def _elsewhere_share(self, meant: Sequence[str]) -> float:
        """Share of the question's content words (as the user meant them) that the knowledge
        side never uses: "postgres" in "is the data model in postgres slow"."""
        if not meant:
            return 0.0
        return sum(self._lexical.stem(w) not in self._domain_stems for w in meant) / len(meant)

    def route(self, query: str, k: int = 3) -> Route:
        """Where ``query`` belongs. Off topic when the best target is an off-topic look-alike,
        scores under MIN_SCORE, has words we never use and a cosine under
        MIN_SEMANTIC_WITH_OTHER_WORDS, or is about tuning something else; a question with none
        of our words must reach MIN_SEMANTIC_ALONE to match anything."""
        if not isinstance(query, str):
            return Route(OFF_TOPIC)
        scores = self._scores(query)
        if scores is None:
            return Route(OFF_TOPIC)
        floor = MIN_SEMANTIC if scores.lexical.any() else MIN_SEMANTIC_ALONE
        eligible = np.where(scores.semantic >= floor, scores.combined, -np.inf)
        eligible = np.where(self._limit_targets, eligible - LIMIT_MARGIN, eligible)
        best = int(np.argmax(eligible))
        top = float(eligible[best])
        target = self._targets[best]
        weak = scores.elsewhere > 0 and float(scores.semantic[best]) < MIN_SEMANTIC_WITH_OTHER_WORDS
        if top < MIN_SCORE or target.kind == OFF_TOPIC or weak or self._about_something_else(query, scores):
            return Route(OFF_TOPIC, score=max(top, 0.0))
        hits = self._entry_hits(scores, k)
        if target.kind == ENTRY:
            return Route(ENTRY, hits=hits, score=top)
        if target.kind == OVERVIEW:
            overview: Overview = target.item  # type: ignore[assignment]
            return Route(OVERVIEW, hits=self._hits_for(overview.entries, scores), overview=overview, score=top)
        if target.kind == LIMIT:
            limit: Limit = target.item  # type: ignore[assignment]
            return Route(LIMIT, hits=self._hits_for(limit.nearest, scores), limit=limit, score=top)
        return Route(HELP, help=target.item, score=top)  # type: ignore[arg-type]

    def _hits_for(self, entry_ids: Sequence[str], scores: _Scores) -> tuple[Hit, ...]:
        """The named entries as hits, in the order given (what an overview or a limit cites)."""
        position = {self._targets[i].item.id: i for i in self._entry_rows}  # type: ignore[attr-defined]
        return tuple(
            Hit(self._targets[position[e]].item, max(float(scores.combined[position[e]]), 1e-6))  # type: ignore[arg-type]
            for e in entry_ids
        )

    def _entry_hits(self, scores: _Scores, k: int) -> tuple[Hit, ...]:
        entry_scores = scores.combined[self._entry_rows]
        order = np.argsort(-entry_scores, kind="stable")[: max(k, 0)]
        return tuple(
            Hit(self._targets[self._entry_rows[i]].item, float(entry_scores[i]))  # type: ignore[arg-type]
            for i in order
            if entry_scores[i] > 0 and scores.semantic[self._entry_rows[i]] >= MIN_SEMANTIC
        )

    def search(self, query: str, k: int = 3) -> list[Hit]:
        """The ``k`` best entries for ``query``, best first; ``[]`` if the query is off topic
        (or is about the bot itself rather than the article)."""
        if not isinstance(query, str) or k <= 0:
            return []
        route = self.route(query, k)
        if route.kind in (OFF_TOPIC, HELP):
            return []
        return sorted(route.hits, key=lambda h: -h.score)[:k]

    def on_topic(self, query: str) -> bool:
        """Whether ``query`` is about something the knowledge base covers."""
        return bool(self.search(query, k=1))

    def vocabulary(self) -> tuple[str, ...]:
        """The words typos are corrected to, sorted (for tests and diagnostics)."""
        return self._lexical.vocabulary()

    def clear_caches(self) -> None:
        """Forget typo fixes (benchmarks measure a never-seen question this way)."""
        self._lexical.clear_caches()


@functools.cache
def default_index() -> KnowledgeIndex:
    """An index over :func:`~knowledge.base.default_knowledge_base`, built once per process."""
    return KnowledgeIndex(default_knowledge_base())


def explain(index: KnowledgeIndex, query: str, n: int = 5) -> Sequence[tuple[str, str, float, float, float]]:
    """The ``n`` best targets with (kind, id, combined, cosine, lexical) — for tuning and bench."""
    scores = index._scores(query)  # noqa: SLF001 - diagnostics for this module's own numbers
    if scores is None:
        return []
    order = np.argsort(-scores.combined)[:n]
    out = []
    for i in order:
        t = index._targets[i]  # noqa: SLF001
        ident = getattr(t.item, "id", t.item if isinstance(t.item, str) else "?")
        out.append((t.kind, str(ident), float(scores.combined[i]), float(scores.semantic[i]), float(scores.lexical[i])))
    return out
