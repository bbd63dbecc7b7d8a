"""Lexical search over the knowledge base, with an off-topic gate and typo tolerance.

:class:`KnowledgeIndex` is built once from a :class:`~knowledge.base.KnowledgeBase`: every entry's
title, summary, body and keywords are tokenised, stop-worded and stemmed (PyStemmer) and scored
with BM25 (bm25s). ``search`` then

1. truncates the query, splits it into words and joins "fine tune"/"fine-tuning" into one term;
2. corrects words the base does not know to a close word it does know (neighbour swap, difflib);
3. applies the **off-topic gate**: generic words ("model", "time", "problem", ...) are ignored;
   the query passes if it names a domain anchor ("llm", "prompt", "latency", "pii", ...), or if
   at least two thirds of its remaining words belong to the curated vocabulary (entry titles and
   keywords) *and*, when two or more of them do, they meet in the best entry (so two incidental
   words pointing at unrelated entries do not pass);
4. ranks entries with BM25 and returns the best ``k`` as :class:`Hit` objects.

A question the base does not cover gets ``[]``, never an unrelated entry. This module does not
import langchain_core (slow to import); the LangChain retriever is in
:mod:`knowledge.langchain_retriever`.
"""

from __future__ import annotations

import difflib
import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import bm25s
import numpy as np
import Stemmer

from knowledge.base import Entry, KnowledgeBase, default_knowledge_base

MAX_QUERY_CHARS = 2_000
"""Queries are cut to this many characters before anything else happens."""
MAX_QUERY_TERMS = 48
"""At most this many distinct terms of a query are used (hostile or pasted input)."""
MAX_CORRECTIONS = 4
"""At most this many unknown words per query are spell-corrected (difflib is the slow part)."""
TYPO_CUTOFF = 0.8
"""difflib similarity a correction needs (one slip in a five-letter word is 0.8)."""
TRUSTED_TYPO_CUTOFF = 0.85
"""A correction to a non-anchor word counts toward the gate only from this similarity on."""
MIN_TYPO_LEN = 4
"""Words shorter than this are never corrected."""
MIN_COVERAGE = 2 / 3
"""Without an anchor, this share of a query's non-generic words must be known to the base."""
MIN_SCORE = 1e-6
"""A hit must score above this (i.e. share at least one term with the query)."""

MAX_WORD_LEN = 30
"""Longer "words" are junk (pasted hashes, keyboard mashing) and are dropped before stemming."""

_WORD_RE = re.compile(r"[^\W\d_]+")

STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn doing
    don down during each either else etc ever every few for from further get gets got had hadn has
    hasn have haven having he her here hers herself him himself his how however i if in into is
    isn it its itself just let ll me might mine more most much must mustn my myself neither no nor
    not now of off on once only or other ought our ours ourselves out over own per please quite
    rather re really same shall shan she should shouldn so some still such than that thats the
    their theirs them themselves then there these they this those though through thus to too
    under until up upon us ve very via was wasn we were weren what whats when whenever where
    whether which while who whom whose why will with won would wouldn yet you your yours
    yourself yourselves""".split()
)
"""English stopwords, dropped from documents and queries (a superset of bm25s' English list)."""

GENERIC_WORDS: frozenset[str] = frozenset(
    """able actually already alright always anything anyway around ask asked asking back bad
    best better big bit case cases certain certainly come comes couple day days definitely
    doing done easy enough everything explain find fine give go going good great guess hard
    hello help hey hi idea important issue issues keep kind know large learn learning let like
    likely long look looking lot lots make makes making manage matter matters maybe mean means
    model models need needed needs never new nice ok okay one people perhaps point possible
    pretty probably problem problems question questions right say see seem seems small
    something sort stuff sure take tell thank thanks thing things think time times today two
    use used useful uses using want wants way ways well whatever work works worth yes""".split()
)
"""Words too common to say anything about the topic: ignored by the gate and by ranking."""

ANCHOR_WORDS: frozenset[str] = frozenset(
    """annotation annotators chaining chatgpt claude dataset datasets finetune gdpr gemini gpt
    gpu gpus guardrail guardrails hipaa labeled labelled labeling labelling latency latencies
    llm openai pii pretrained privacy prompt prompting prompts sota synthetic""".split()
)
"""Unambiguous domain words: one of them in a query is enough to pass the gate."""

_ALIASES: dict[str, str] = {"llms": "llm", "gpts": "gpt"}


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: an entry and its BM25 score (higher is better)."""

    entry: Entry
    score: float


@dataclass(frozen=True, slots=True)
class _Query:
    """A query after normalisation: stemmed terms and what the gate needs to know."""

    stems: tuple[str, ...]
    content: int
    known: frozenset[str]
    exact: int
    anchored: bool


def _words(text: str) -> Iterator[str]:
    """Lower-cased words of ``text`` (letters only, 2-30 chars) with "fine tune" variants joined.

    A generator, so a caller that has seen enough words stops the work early.
    """
    raw = _WORD_RE.findall(text.lower())
    last = len(raw) - 1
    skip = False
    for i, word in enumerate(raw):
        if skip:
            skip = False
        elif word == "fine" and i < last and raw[i + 1].startswith("tun"):
            skip = True
            yield "finetune"
        elif word.startswith("finetun"):
            yield "finetune"
        elif 1 < len(word) <= MAX_WORD_LEN:
            yield _ALIASES.get(word, word)


class KnowledgeIndex:
    """A BM25 index over a knowledge base; build once, then call :meth:`search` many times."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._entries: tuple[Entry, ...] = kb.entries
        self._stemmer = Stemmer.Stemmer("english")
        self._stem_lock = threading.Lock()
        self._stem_cache: dict[str, str] = {}
        self._fix_cache: dict[str, tuple[str, bool] | None] = {}
        docs = [self._doc_terms(e) for e in self._entries]
        self._terms: tuple[frozenset[str], ...] = tuple(frozenset(d) for d in docs)
        self._surface: frozenset[str] = frozenset(
            w for e in self._entries for w in self._doc_words(e)
        )
        self._by_len: dict[tuple[str, int], list[str]] = {}
        for word in sorted(self._surface):
            if len(word) >= MIN_TYPO_LEN:
                self._by_len.setdefault((word[0], len(word)), []).append(word)
        self._bm25 = bm25s.BM25()
        self._bm25.index(docs, show_progress=False)
        self._vocab: dict[str, int] = {t: i for t, i in self._bm25.vocab_dict.items() if t}
        self._generic = frozenset(self._stem(w) for w in GENERIC_WORDS | STOPWORDS)
        # Only curated words (titles and keywords) vouch for the topic: bodies are prose and
        # contain everyday words ("run", "cover", "internet") that off-topic questions share.
        self._topical = frozenset(
            self._stem(w)
            for e in self._entries
            for w in _words(" ".join((e.title, *e.keywords)))
            if w not in STOPWORDS
        ) - self._generic

    # -- building ------------------------------------------------------------------------------

    @staticmethod
    def _doc_words(entry: Entry) -> list[str]:
        """Non-stopword words of an entry; the title and keywords count twice."""
        text = " ".join(
            (entry.title, entry.title, entry.summary, entry.body, *entry.keywords, *entry.keywords)
        )
        return [w for w in _words(text) if w not in STOPWORDS]

    def _doc_terms(self, entry: Entry) -> list[str]:
        return [self._stem(w) for w in self._doc_words(entry)]

    def _stem(self, word: str) -> str:
        """The stem of ``word``, cached (PyStemmer objects are not thread-safe, hence the lock)."""
        stem = self._stem_cache.get(word)
        if stem is None:
            with self._stem_lock:
                stem = self._stemmer.stemWord(word)
            if len(self._stem_cache) < 50_000:
                self._stem_cache[word] = stem
        return stem

    # -- query side ----------------------------------------------------------------------------

    def _correct(self, word: str) -> tuple[str, bool] | None:
        """The known word closest to an unknown ``word`` and whether the fix is trustworthy.

        A swap of two neighbouring letters ("cots" -> "cost") is trusted; otherwise difflib picks
        the closest word with the same first letter (typos rarely hit it, and insisting on it keeps
        "bread" from becoming "spread"), trusted only when it is very close.
        """
        if word in self._fix_cache:
            return self._fix_cache[word]
        fixed: tuple[str, bool] | None = None
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if swapped in self._surface:
                fixed = (swapped, True)
                break
        if fixed is None:
            candidates: list[str] = []
            for length in range(len(word) - 2, len(word) + 3):
                candidates.extend(self._by_len.get((word[0], length), ()))
            match = difflib.get_close_matches(word, candidates, n=1, cutoff=TYPO_CUTOFF)
            if match:
                ratio = difflib.SequenceMatcher(None, word, match[0]).ratio()
                fixed = (match[0], ratio >= TRUSTED_TYPO_CUTOFF)
        if len(self._fix_cache) >= 20_000:
            self._fix_cache.clear()
        self._fix_cache[word] = fixed
        return fixed

    def _parse(self, query: str) -> _Query:
        """Normalise ``query``: stem, spell-correct and classify its words for the gate."""
        stems: dict[str, None] = {}
        content: set[str] = set()
        known: set[str] = set()
        exact = 0
        anchored = False
        corrections = 0
        for word in _words(query[:MAX_QUERY_CHARS]):
            if len(content) >= MAX_QUERY_TERMS:
                break
            if word in STOPWORDS or word in GENERIC_WORDS:
                continue
            stem = self._stem(word)
            if stem in self._generic or stem in content:
                continue
            content.add(stem)
            if stem in self._vocab:
                # Body prose has everyday words ("run", "cover"): only curated ones vouch.
                vouches = stem in self._topical or word in ANCHOR_WORDS
                exact += vouches
            elif len(word) >= MIN_TYPO_LEN and corrections < MAX_CORRECTIONS:
                corrections += 1
                fix = self._correct(word)
                if fix is None:
                    continue
                word, trusted = fix
                stem = self._stem(word)
                # A loose fix is good enough to rank with, too loose to vouch for the topic.
                vouches = word in ANCHOR_WORDS or (trusted and stem in self._topical)
            else:
                continue
            stems.setdefault(stem, None)
            anchored = anchored or word in ANCHOR_WORDS
            if vouches:
                known.add(stem)
        return _Query(tuple(stems), len(content), frozenset(known), exact, anchored)

    def on_topic(self, query: str) -> bool:
        """Whether ``query`` is about something the knowledge base covers (the off-topic gate)."""
        return bool(self.search(query, k=1))

    @staticmethod
    def _passes(q: _Query) -> bool:
        """The word-level part of the gate (before ranking)."""
        if q.anchored:
            return True
        # A typo fix alone never opens the gate ("world" -> "words" in "who won the world cup").
        return q.exact > 0 and len(q.known) / q.content >= MIN_COVERAGE

    def _coherent(self, q: _Query, best: int) -> bool:
        """The ranking part of the gate: without an anchor, known words must meet in the best entry.

        "Examples of good names for a cat" has two known words, each incidental to a different
        entry; a real question's words describe one topic and so co-occur in one entry.
        """
        return q.anchored or len(q.known) < 2 or len(q.known & self._terms[best]) >= 2

    def search(self, query: str, k: int = 3) -> list[Hit]:
        """The ``k`` best entries for ``query``, best first; ``[]`` if the query is off topic."""
        if not isinstance(query, str) or k <= 0:
            return []
        q = self._parse(query)
        if not self._passes(q):
            return []
        ids = [self._vocab[s] for s in q.stems]
        if not ids:
            return []
        scores = self._bm25.get_scores_from_ids(ids)
        order = np.argsort(-scores, kind="stable")[:k].tolist()
        if not self._coherent(q, order[0]):
            return []
        return [Hit(self._entries[i], float(scores[i])) for i in order if scores[i] > MIN_SCORE]

    def vocabulary(self) -> tuple[str, ...]:
        """The words of the base that typos are corrected to, sorted (for tests and diagnostics)."""
        return tuple(sorted(self._surface))


@functools.cache
def default_index() -> KnowledgeIndex:
    """An index over :func:`~knowledge.base.default_knowledge_base`, built once per process."""
    return KnowledgeIndex(default_knowledge_base())
