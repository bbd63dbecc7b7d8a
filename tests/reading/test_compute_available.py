"""Reading compute_available: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/compute_available.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("compute_available", "no GPUs", "no"),
    ("compute_available", "none", "no"),
    ("compute_available", "we have a GPU cluster", "yes"),
    ("compute_available", "we can rent in the cloud", "yes"),
    ("compute_available", "a couple of A100s", "yes"),
    ("compute_available", "we don't have GPUs", "no"),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("no GPUs", {"compute_available": "no"}),
    ("we can't afford GPUs", {"compute_available": "no"}),
    ("we have access to a GPU cluster", {"compute_available": "yes"}),
    ("what if we had no GPUs?", {"compute_available": "no"}),
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
