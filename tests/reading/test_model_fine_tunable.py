"""Reading model_fine_tunable: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/model_fine_tunable.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("model_fine_tunable", "it can't", "no"),
    ("model_fine_tunable", "no, it's closed", "no"),
    ("model_fine_tunable", "not supported", "no"),
    ("model_fine_tunable", "it can", "yes"),
    ("model_fine_tunable", "it's open source", "yes"),
    ("model_fine_tunable", "no, it doesn't support fine-tuning", "no"),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("we use gpt-4o which can't be fine-tuned", {"model_fine_tunable": "no"}),
    # a self-hosted model on the team's own hardware also settles what it implies
    (
        "we use Llama 3 on our own servers",
        {
            "model_fine_tunable": "yes",
            "compute_available": "yes",
            "hosted_cost_sensitive": "no",
            "needs_vendor_guardrails": "no",
        },
    ),
    ("what if the model could be fine-tuned?", {"model_fine_tunable": "yes"}),
    ("what if the model couldn't be fine-tuned?", {"model_fine_tunable": "no"}),
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
