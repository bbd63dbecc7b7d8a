"""Reading domain_knowledge: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/domain_knowledge.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("domain_knowledge", "lots of jargon", "yes"),
    ("domain_knowledge", "internal product names", "yes"),
    ("domain_knowledge", "it needs our internal product terminology", "yes"),
    ("domain_knowledge", "general knowledge is enough", "no"),
    ("domain_knowledge", "nothing special", "no"),
    ("domain_knowledge", "no special knowledge needed", "no"),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("it needs our internal product terminology", {"domain_knowledge": "yes"}),
    ("the model already knows the domain", {"domain_knowledge": "no"}),
    ("the base model doesn't know our terminology", {"domain_knowledge": "yes"}),
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
