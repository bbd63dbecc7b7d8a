"""Reading a free description: every factor it states clearly, with the user's own words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.factors import FACTOR_IDS, UNKNOWN
from bot.reading.factors import TABLES
from bot.reading.implications import self_hosting
from bot.reading.rules import read
from bot.reading.topics import by_topic
from bot.reading.text import normalize

MAX_DESCRIPTION_CHARS = 4000
"""Free descriptions are cut to this many characters before they are read (a pasted brief of a
few paragraphs fits)."""


@dataclass(frozen=True, slots=True)
class Understood:
    """A factor value read from a free description, with the user's words that support it."""

    value: str
    evidence: str
    implied: bool = False
    """True when the value follows from a statement about something else (a self-hosted
    model settles the hosted price): shown as implied, so the user can correct it."""


def understand(text: str) -> dict[str, Understood]:
    """Read the factors a free description states clearly, with the words that support each.

    Never returns ``unknown``; leaves out anything not clearly stated. Also reads hypotheticals
    ("what if latency isn't critical?"). ``evidence`` is a slice of ``text``. A self-hosted model
    on the team's own hardware also settles the factors it implies (``implied`` set; see
    :mod:`bot.reading.implications`) unless the text states them outright.
    """
    if not isinstance(text, str):
        return {}
    raw = text[:MAX_DESCRIPTION_CHARS]
    norm = normalize(raw)
    found: dict[str, Understood] = {}
    for factor_id in FACTOR_IDS:
        reading = read(TABLES[factor_id].DESCRIPTION_RULES, norm, strict=True)
        if reading is None or reading[0] is None:
            continue
        value, start, end = reading
        evidence = raw[start:end].strip()
        if evidence:
            found[factor_id] = Understood(value, evidence)
    found.update(_labelled_lines(raw))  # "PII: none" says more about PII than the word "PII"
    for factor_id, (value, sentence) in by_topic(raw, set(found)).items():
        found[factor_id] = Understood(value, sentence)
    implication = self_hosting(raw, norm)
    if implication is not None:
        for factor_id, value in implication.values.items():
            found.setdefault(factor_id, Understood(value, implication.evidence, implied=True))
    return {f: found[f] for f in FACTOR_IDS if f in found}


_LABELLED = re.compile(r"^[\s\-*\u2022>#\d.)]*([A-Za-z][\w /&'-]{1,40}?)\s*[:=\u2013\u2014]\s*(\S.{0,300}?)\s*$")
"""A line or clause of the form "label: answer" ("PII: none", "- Latency: must be under 1s")."""
_PIECES = re.compile(r"[^\n;]+")


def _labelled_lines(raw: str) -> dict[str, Understood]:
    """Factors a brief states as "label: answer", each answer read as a typed answer to the
    labelled factor's question ("Latency: dont care, it's batch")."""
    from bot.reading.answers import parse_answer
    from bot.reading.names import factor_from_words

    found: dict[str, Understood] = {}
    for piece in _PIECES.finditer(raw):
        match = _LABELLED.match(piece.group())
        if match is None:
            continue
        factor_id = factor_from_words(match.group(1))
        if factor_id is None or factor_id in found:
            continue
        value = parse_answer(factor_id, match.group(2))
        if value is not None and value != UNKNOWN:
            found[factor_id] = Understood(value, piece.group().strip(" -*\u2022"))
    return found
