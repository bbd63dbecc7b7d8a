"""Reading context_size: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/context_size.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("context_size", "fits easily", "fits"),
    ("context_size", "it fits", "fits"),
    ("context_size", "yes", "fits"),
    ("context_size", "it's getting long", "strained"),
    ("context_size", "barely fits", "strained"),
    ("context_size", "tight", "strained"),
    ("context_size", "yes, barely", "strained"),
    ("context_size", "doesn't fit", "too_big"),
    ("context_size", "way too long", "too_big"),
    ("context_size", "exceeds the context window", "too_big"),
    ("context_size", "no room left", "too_big"),
    ("context_size", "no", None),  # barely, or not at all?
    # more everyday phrasings
    ("context_size", "no problem", "fits"),
    ("context_size", "it gets truncated", "too_big"),
    ("context_size", "we're at the limit", "strained"),
    # value ids typed by hand
    ("context_size", "too big", "too_big"),
    ("context_size", "too_big", "too_big"),
    ("context_size", "no, it doesn't fit", "too_big"),
    ("context_size", "it does not fit at all", "too_big"),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("our prompt is too long for the context window", {"context_size": "too_big"}),
    ("the prompt barely fits in the context", {"context_size": "strained"}),
    ("what if the context doesn't fit?", {"context_size": "too_big"}),
    ("what if the documents didn't fit in the context window?", {"context_size": "too_big"}),
    ("what if the prompt were too long?", {"context_size": "too_big"}),
    ("what if the context fits?", {"context_size": "fits"}),
    ("what if everything fits?", {"context_size": "fits"}),
]


@pytest.mark.parametrize(("factor_id", "text", "expected"), ANSWERS)
def test_typed_answers(factor_id: str, text: str, expected: str | None) -> None:
    assert parse_answer(factor_id, text) == expected


@pytest.mark.parametrize(("text", "expected"), DESCRIPTIONS)
def test_descriptions(text: str, expected: dict[str, str]) -> None:
    found = understand(text)
    assert {f: u.value for f, u in found.items()} == expected
    for u in found.values():
        assert u.evidence and u.evidence in text
