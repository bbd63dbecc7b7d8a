"""Reading training_data: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/training_data.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("training_data", "we have about 2k labelled examples", "have_pairs"),
    ("training_data", "we have input/output pairs", "have_pairs"),
    ("training_data", "We have 5,000 labeled examples.", "have_pairs"),
    ("training_data", "yes, thousands of annotated pairs", "have_pairs"),
    ("training_data", "our experts could write them", "can_create"),
    ("training_data", "we could generate synthetic data with GPT-4", "can_create"),
    ("training_data", "GPT-4 could generate them", "can_create"),
    ("training_data", "no, but we could create some", "can_create"),
    ("training_data", "no data at all", "none"),
    ("training_data", "none", "none"),
    ("training_data", "nothing", "none"),
    ("training_data", "Nothing yet.", "none"),
    ("training_data", "we have none", "none"),
    ("training_data", "no", "none"),
    ("training_data", "nope", "none"),
    ("training_data", "we don't have labelled data", "none"),
    ("training_data", "yes", "have_pairs"),  # the question asks whether they already have them
    ("training_data", "we have lots of raw unlabelled logs", None),
    ("training_data", "we'd need to label examples", None),
    # inputs without outputs are not pairs
    ("training_data", "we have thousands of tickets but no answers", "none"),
    ("training_data", "we have lots of inputs but no labels", "none"),
    ("training_data", "only raw logs, no answers", "none"),
    ("training_data", "we have tickets but no replies", "none"),
    ("training_data", "lots of questions, no answers", "none"),
    ("training_data", "we have the questions but not the answers", "none"),
    ("training_data", "we have emails without responses", "none"),
    ("training_data", "we have plenty of data but no labels", "none"),
    ("training_data", "we have inputs only", "none"),
    ("training_data", "we have thousands of tickets with answers", "have_pairs"),
    ("training_data", "we have labelled data only", "have_pairs"),
    ("training_data", "have_pairs", "have_pairs"),
    ("training_data", "Have pairs", "have_pairs"),
    ("training_data", "can-create", "can_create"),
    ("training_data", "we have no examples", "none"),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("we have 5,000 labelled examples", {"training_data": "have_pairs"}),
    ("we have thousands of historical support tickets with agent replies", {"training_data": "have_pairs"}),
    ("we could ask GPT-4 to write examples", {"training_data": "can_create"}),
    ("we have no training data", {"training_data": "none"}),
    ("what if we had training data", {"training_data": "have_pairs"}),
    ("what if we had no training data?", {"training_data": "none"}),
    ("what if we didn't have any training data?", {"training_data": "none"}),
    # inputs without outputs are not pairs
    ("we have thousands of tickets but no answers", {"training_data": "none"}),
    ("we have emails without responses", {"training_data": "none"}),
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
