"""Reading iteration_capacity: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/iteration_capacity.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("iteration_capacity", "no time", "no"),
    ("iteration_capacity", "small team, no time to iterate", "no"),
    ("iteration_capacity", "plenty of time", "yes"),
    ("iteration_capacity", "we have a dedicated team", "yes"),
    ("iteration_capacity", "we're swamped", "no"),
    ("iteration_capacity", "not enough", "no"),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("small team, no time to iterate", {"iteration_capacity": "no"}),
    ("we have 10 engineers but no ML expertise", {"iteration_capacity": "no"}),
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
