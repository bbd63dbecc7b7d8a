"""Reading alternatives_tried: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/alternatives_tried.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("alternatives_tried", "yes we tried everything", "exhausted"),
    ("alternatives_tried", "prompting and chaining both failed", "exhausted"),
    ("alternatives_tried", "yes, and it wasn't enough", "exhausted"),
    ("alternatives_tried", "yes", "exhausted"),
    ("alternatives_tried", "some prompt engineering", "partly"),
    ("alternatives_tried", "a bit", "partly"),
    ("alternatives_tried", "partially", "partly"),
    ("alternatives_tried", "yes, a bit", "partly"),
    ("alternatives_tried", "only prompt engineering", "partly"),
    ("alternatives_tried", "we tried prompting but not chaining", "partly"),
    ("alternatives_tried", "not yet", "no"),
    ("alternatives_tried", "haven't tried", "no"),
    ("alternatives_tried", "never", "no"),
    ("alternatives_tried", "we did some few-shot prompting", "partly"),
    ("alternatives_tried", "tried a lot, still not good", "exhausted"),
    ("alternatives_tried", "we tried prompting, it works ok", None),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("we tried prompt engineering and chaining, not good enough", {"alternatives_tried": "exhausted"}),
    ("we've exhausted prompt engineering", {"alternatives_tried": "exhausted"}),
    ("we haven't tried prompt engineering yet", {"alternatives_tried": "no"}),
    ("what if we had tried prompting already?", {"alternatives_tried": "exhausted"}),
    ("what if we had already tried prompt engineering?", {"alternatives_tried": "exhausted"}),
    ("what if prompt engineering had failed?", {"alternatives_tried": "exhausted"}),
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
