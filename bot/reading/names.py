"""Which factor a loose name refers to ("latency", "sensitive data", "gpu")."""

from __future__ import annotations

import re

from bot.factors import BY_ID, FACTOR_IDS
from bot.reading.answers import MAX_ANSWER_CHARS
from bot.reading.factors import TABLES
from bot.reading.text import core, normalize

_VALUE_SEPARATORS = re.compile(r"[\s_-]+")
_FACTOR_ALIASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (fid, re.compile(r"\b(?:" + TABLES[fid].ALIASES + r")\b")) for fid in FACTOR_IDS
)


def factor_from_words(text: str) -> str | None:
    """The factor id a loose name refers to ("latency", "sensitive data", "gpu"), or None.

    The longest matching name wins; a tie between two factors is ambiguous and reads as None.
    """
    if not isinstance(text, str):
        return None
    bare = core(normalize(text[:MAX_ANSWER_CHARS]))
    if not bare:
        return None
    exact = _VALUE_SEPARATORS.sub("_", bare)
    if exact in BY_ID:
        return exact
    best: dict[str, int] = {}
    for fid, pattern in _FACTOR_ALIASES:
        longest = max((len(m.group()) for m in pattern.finditer(bare)), default=0)
        if longest:
            best[fid] = longest
    if not best:
        return None
    top = max(best.values())
    winners = [fid for fid, length in best.items() if length == top]
    return winners[0] if len(winners) == 1 else None
