"""Reading task_scope: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/task_scope.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("task_scope", "one narrow task", "narrow"),
    ("task_scope", "just classification", "narrow"),
    ("task_scope", "specific", "narrow"),
    ("task_scope", "a specific task", "narrow"),
    ("task_scope", "general assistant", "broad"),
    ("task_scope", "many tasks", "broad"),
    ("task_scope", "broad", "broad"),
    ("task_scope", "yes", None),
    ("task_scope", "extraction only", "narrow"),
    ("task_scope", "not broad", "narrow"),
    ("task_scope", "not just one task, many", "broad"),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("classify invoices into 12 categories", {"task_scope": "narrow"}),
    ("a general-purpose assistant for the whole company", {"task_scope": "broad"}),
    ("a general assistant that also classifies tickets into 5 categories", {"task_scope": "broad"}),
    ("what if it were a narrow task", {"task_scope": "narrow"}),
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
