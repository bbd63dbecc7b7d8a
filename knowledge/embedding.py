"""The semantic half of retrieval: static sentence embeddings, offline, on the CPU.

The model is WordLlama's ``l2_supercat`` (256 dimensions, 16 MB), which ships *inside* the
``wordllama`` wheel next to its tokenizer config. It is loaded from the installed package's own
folder with downloads disabled, so no network is ever used at run time; a missing file fails
loudly at start instead of fetching anything. Embedding a question costs tens of microseconds
(a token lookup and an average), so it runs on every question; the knowledge side is embedded
once when the index is built. See docs/answers.md for the figures and why this model.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

# One short question at a time: the tokenizer's thread pool only adds hand-offs (and tail latency
# on a busy machine). An operator's explicit setting wins.
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_CONFIG = "l2_supercat"
MODEL_DIM = 256


class Embedder(Protocol):
    """Text in, one L2-normalised float32 row per text out."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def _import_wordllama() -> tuple[Any, Any]:
    """The ``wordllama`` module and its ``WordLlama`` class. Importing it calls
    ``logging.basicConfig`` (a root handler at INFO), which would make every library's log
    lines appear on a terminal; whatever it adds to the root logger is taken away again."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import wordllama
        from wordllama import WordLlama
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return wordllama, WordLlama


class WordLlamaEmbedder:
    """WordLlama's static embeddings, loaded from the ``wordllama`` package folder only."""

    name = f"wordllama-{MODEL_CONFIG}-{MODEL_DIM}"

    def __init__(self) -> None:
        wordllama, WordLlama = _import_wordllama()
        package_dir = Path(wordllama.__file__).resolve().parent
        # The loader looks for the tokenizer under cache_dir; the wheel keeps weights and
        # tokenizer in its own folder, so point it there and forbid any download.
        self._model = WordLlama.load(
            config=MODEL_CONFIG, cache_dir=package_dir, dim=MODEL_DIM, disable_download=True
        )
        self._lock = threading.Lock()  # the tokenizer is shared; keep calls serial

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        # Lone surrogates (undecodable bytes from a terminal) cannot reach the tokenizer.
        clean = [t.encode("utf-8", "replace").decode("utf-8") for t in texts]
        with self._lock:
            vectors = self._model.embed(clean, norm=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


@functools.cache
def default_embedder() -> Embedder:
    """The packaged model, loaded once per process."""
    return WordLlamaEmbedder()
