"""Reading needs_vendor_guardrails: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/needs_vendor_guardrails.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("needs_vendor_guardrails", "we have our own moderation", "no"),
    ("needs_vendor_guardrails", "not needed", "no"),
    ("needs_vendor_guardrails", "yes, safety filters are critical", "yes"),
    ("needs_vendor_guardrails", "we rely on them", "yes"),
    ("needs_vendor_guardrails", "we rely on OpenAI's safety filters", "yes"),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("we rely on OpenAI's safety filters", {"needs_vendor_guardrails": "yes"}),
    ("we have our own moderation layer", {"needs_vendor_guardrails": "no"}),
    ("we do not need vendor guardrails", {"needs_vendor_guardrails": "no"}),
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
