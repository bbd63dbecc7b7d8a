"""The lexical half of retrieval: words, stems, typo fixes and BM25 over any set of documents.

Documents and queries are split into lower-cased words ("fine tune", "fine-tuning" and
"finetuned" become one term), stopwords and a few everyday words are dropped, the rest is
stemmed (PyStemmer) and scored with BM25 (bm25s). A query word the documents do not know is
corrected to a close word they do know (a swap of neighbouring letters, or difflib), so
"latncy" still scores like "latency". Whether a question is on topic is not decided here: the
semantic half (:mod:`knowledge.embedding`) and the router in :mod:`knowledge.retrieval` do that.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Iterator, Sequence

import bm25s
import numpy as np
import Stemmer

MAX_QUERY_CHARS = 2_000
"""Queries are cut to this many characters before anything else happens."""
MAX_QUERY_TERMS = 48
"""At most this many distinct terms of a query are used (hostile or pasted input)."""
MAX_CORRECTIONS = 4
"""At most this many unknown words per query are spell-corrected (difflib is the slow part)."""
TYPO_CUTOFF = 0.8
"""difflib similarity a correction needs (one slip in a five-letter word is 0.8)."""
TRUSTED_TYPO_CUTOFF = 0.85
"""From this similarity on (or for a swap of neighbouring letters) a fix also counts as the word
the user meant when judging the topic; a looser fix ("bread" -> "broad") only helps ranking."""
MIN_TYPO_LEN = 4
"""Words shorter than this are never corrected."""
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
"""Words that say nothing about which document a question wants: left out of BM25."""

_ALIASES: dict[str, str] = {"llms": "llm", "gpts": "gpt"}


def words(text: str) -> Iterator[str]:
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


class LexicalIndex:
    """BM25 over ``documents`` (plain texts), with stemming and typo correction on the query."""

    def __init__(self, documents: Sequence[str]) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._stem_lock = threading.Lock()
        self._stem_cache: dict[str, str] = {}
        self._fix_cache: dict[str, tuple[str, bool] | None] = {}
        doc_words = [[w for w in words(d) if w not in STOPWORDS] for d in documents]
        self._surface: frozenset[str] = frozenset(w for ws in doc_words for w in ws)
        self._by_len: dict[tuple[str, int], list[str]] = {}
        for word in sorted(self._surface):
            if len(word) >= MIN_TYPO_LEN:
                self._by_len.setdefault((word[0], len(word)), []).append(word)
        self._bm25 = bm25s.BM25()
        self._bm25.index([[self._stem(w) for w in ws] or ["_"] for ws in doc_words], show_progress=False)
        self._vocab: dict[str, int] = {t: i for t, i in self._bm25.vocab_dict.items() if t}
        self._generic = frozenset(self._stem(w) for w in GENERIC_WORDS | STOPWORDS)
        self.size = len(documents)

    def stem(self, word: str) -> str:
        """The stem of ``word`` as the documents were indexed."""
        return self._stem(word)

    def _stem(self, word: str) -> str:
        """The stem of ``word``, cached (PyStemmer objects are not thread-safe, hence the lock)."""
        stem = self._stem_cache.get(word)
        if stem is None:
            with self._stem_lock:
                stem = self._stemmer.stemWord(word)
            if len(self._stem_cache) < 50_000:
                self._stem_cache[word] = stem
        return stem

    def correct(self, word: str) -> tuple[str, bool] | None:
        """The known word closest to an unknown ``word`` and whether the fix is trustworthy.

        A swap of two neighbouring letters ("cots" -> "cost") wins; otherwise difflib picks the
        closest word with the same first letter (typos rarely hit it, and insisting on it keeps
        "bread" from becoming "spread").
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

    def clear_caches(self) -> None:
        """Forget typo fixes (to measure the path of a never-seen question)."""
        self._fix_cache.clear()

    def parse(self, query: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
        """(stems the documents know, the query's words with trusted typo fixes applied, every
        content word of the query as the user meant it: trusted fixes applied, others as typed)."""
        stems: dict[str, None] = {}
        fixed_words: list[str] = []
        meant: dict[str, None] = {}
        corrections = 0
        for word in words(query[:MAX_QUERY_CHARS]):
            if len(stems) >= MAX_QUERY_TERMS:
                break
            if word in STOPWORDS or word in GENERIC_WORDS:
                fixed_words.append(word)
                continue
            stem = self._stem(word)
            typed = word
            if stem not in self._vocab and len(word) >= MIN_TYPO_LEN and corrections < MAX_CORRECTIONS:
                corrections += 1
                fix = self.correct(word)
                if fix is not None:
                    word, stem = fix[0], self._stem(fix[0])
                    typed = word if fix[1] else typed
            fixed_words.append(typed)
            if stem in self._generic:
                continue
            meant.setdefault(typed, None)
            if stem in self._vocab:
                stems.setdefault(stem, None)
        return tuple(stems), " ".join(fixed_words), tuple(meant)

    def content_words(self, text: str) -> frozenset[str]:
        """The content words of ``text`` (as documents are read: no typo fixing)."""
        return frozenset(w for w in words(text) if w not in STOPWORDS and self._stem(w) not in self._generic)

    def scores(self, stems: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for already parsed ``stems`` (zeros for none)."""
        if not stems:
            return np.zeros(self.size, dtype=np.float32)
        return self._bm25.get_scores_from_ids([self._vocab[s] for s in stems]).astype(np.float32)

    def vocabulary(self) -> tuple[str, ...]:
        """The words typos are corrected to, sorted (for tests and diagnostics)."""
        return tuple(sorted(self._surface))
