"""Compare semantic halves for retrieval on the article-only question set (both splits).

Each option runs through the same router and the same answers as ``ask``; only the embedder
(and, for "BM25 alone", the lexical weight) changes. Options, all offline and on the CPU:

* ``wordllama-256``: WordLlama l2_supercat, the 16 MB 256-dim static embeddings inside the
  ``wordllama`` wheel (the choice);
* ``wordllama-64``: the same model cut to its first 64 dimensions (Matryoshka-trained);
* ``lsa-<n>``: latent semantic analysis fitted on our own knowledge texts (TF-IDF + SVD,
  numpy only, no package and no download);
* ``bm25-alone``: no semantic model (every cosine is the same), lexical ranking only.

A model2vec model was the suggested comparison; no package on the index ships one's weights
(model2vec itself downloads from a model hub at run time, which this bot never does), so it
could not be tried here. Held-out cases are only counted, never printed. Run from the repo
root::

    .venv/bin/python bench/compare_retrieval.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.eval_why import score_splits  # noqa: E402
from bot.answers import answer_question  # noqa: E402
from knowledge import retrieval  # noqa: E402
from knowledge.base import default_knowledge_base  # noqa: E402
from knowledge.embedding import WordLlamaEmbedder  # noqa: E402
from knowledge.guide import default_guide  # noqa: E402
from knowledge.lexical import STOPWORDS, words  # noqa: E402


class TruncatedEmbedder:
    """The first ``dim`` dimensions of another embedder's vectors, renormalised."""

    def __init__(self, inner: WordLlamaEmbedder, dim: int) -> None:
        self.inner, self.dim, self.name = inner, dim, f"wordllama-{dim}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        v = self.inner.embed(texts)[:, : self.dim]
        n = np.linalg.norm(v, axis=1, keepdims=True)
        return v / np.where(n == 0, 1, n)


class LsaEmbedder:
    """TF-IDF over our own knowledge texts, reduced by SVD to ``dim`` dimensions."""

    def __init__(self, corpus: Sequence[str], dim: int = 64) -> None:
        docs = [[w for w in words(t) if w not in STOPWORDS] for t in corpus]
        vocab = sorted({w for d in docs for w in d})
        self.index = {w: i for i, w in enumerate(vocab)}
        df = np.zeros(len(vocab))
        for d in docs:
            for w in set(d):
                df[self.index[w]] += 1
        self.idf = np.log((1 + len(docs)) / (1 + df)) + 1
        matrix = np.stack([self._tfidf(d) for d in docs])
        _, _, vt = np.linalg.svd(matrix, full_matrices=False)
        self.basis = vt[:dim].T
        self.name = f"lsa-{dim}"

    def _tfidf(self, d: Sequence[str]) -> np.ndarray:
        v = np.zeros(len(self.index))
        for w in d:
            i = self.index.get(w)
            if i is not None:
                v[i] += 1
        return v * self.idf

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        v = np.stack([self._tfidf([w for w in words(t) if w not in STOPWORDS]) for t in texts]) @ self.basis
        n = np.linalg.norm(v, axis=1, keepdims=True)
        return (v / np.where(n == 0, 1, n)).astype(np.float32)


class ConstantEmbedder:
    """Every text gets the same vector: no semantic signal at all."""

    name = "bm25-alone"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.ones((len(texts), 1), dtype=np.float32)


def knowledge_texts() -> list[str]:
    kb, guide = default_knowledge_base(), default_guide()
    texts = [" ".join((e.title, e.summary, e.body, *e.questions)) for e in kb]
    texts += [" ".join(o.questions) for o in guide.overviews] + [" ".join(m.questions) for m in guide.limits]
    texts += [" ".join(h.questions) for h in guide.help] + list(guide.off_topic)
    return texts


def main() -> int:
    kb = default_knowledge_base()
    wordllama = WordLlamaEmbedder()
    options = [
        (wordllama, None),
        (TruncatedEmbedder(wordllama, 64), None),
        (LsaEmbedder(knowledge_texts(), 64), None),
        (LsaEmbedder(knowledge_texts(), 128), None),
        (ConstantEmbedder(), 1.0),
    ]
    print(f"{'option':16} {'tune right':>12} {'held-out right':>15} {'off-topic (held)':>17} {'unrelated (held)':>17} {'build ms':>9}")
    for embedder, weight in options:
        saved = retrieval.LEXICAL_WEIGHT
        if weight is not None:
            retrieval.LEXICAL_WEIGHT = weight
        try:
            start = time.perf_counter()
            index = retrieval.KnowledgeIndex(kb, embedder=embedder)
            build_ms = (time.perf_counter() - start) * 1000
            results = score_splits(lambda q: answer_question(q, index))
        finally:
            retrieval.LEXICAL_WEIGHT = saved
        tune, held = results["tune"][0], results["held_out"][0]
        print(
            f"{embedder.name:16} {tune['right']:>4}/{tune['cases']} {tune['right_share']:>6.1%} "
            f"{held['right']:>4}/{held['cases']} {held['right_share']:>7.1%} "
            f"{held['off_topic_declined']:>8}/{held['off_topic']:<8} {held['unrelated_citations']:>17} {build_ms:>9.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
