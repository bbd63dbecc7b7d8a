"""Reading hosted_cost_sensitive: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/hosted_cost_sensitive.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("hosted_cost_sensitive", "yes, price matters", "yes"),
    ("hosted_cost_sensitive", "cost matters a lot", "yes"),
    ("hosted_cost_sensitive", "it's too expensive", "yes"),
    ("hosted_cost_sensitive", "budget is tight for per-call pricing", "yes"),
    ("hosted_cost_sensitive", "not a concern", "no"),
    ("hosted_cost_sensitive", "budget is fine", "no"),
    ("hosted_cost_sensitive", "we don't care about cost", "no"),
    ("hosted_cost_sensitive", "cost isn't an issue", "no"),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("budget is tight for per-call pricing", {"hosted_cost_sensitive": "yes"}),
    ("budget is not an issue", {"hosted_cost_sensitive": "no"}),
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
