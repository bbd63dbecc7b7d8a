"""Reading latency_critical: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/latency_critical.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("latency_critical", "it must be fast", "yes"),
    ("latency_critical", "real-time", "yes"),
    ("latency_critical", "realtime chat", "yes"),
    ("latency_critical", "yes, under a second", "yes"),
    ("latency_critical", "under 200ms", "yes"),
    ("latency_critical", "speed doesn't matter", "no"),
    ("latency_critical", "latency isn't critical", "no"),
    ("latency_critical", "batch job overnight", "no"),
    ("latency_critical", "a few seconds is fine", "no"),
    ("latency_critical", "yes, but speed doesn't matter", None),
    # a negated requirement is not a requirement
    ("latency_critical", "it does not need to answer in under a second", "no"),
    ("latency_critical", "it doesn't have to respond in real time", "no"),
    ("latency_critical", "no need to reply within a second", "no"),
    ("latency_critical", "we can live with a few seconds", "no"),
    ("latency_critical", "top priority", "yes"),
    ("latency_critical", "not fast at all", "no"),
    ("latency_critical", "doesn't need to be fast", "no"),
    ("latency_critical", "it's not critical", "no"),
    ("latency_critical", "not important", "no"),
    ("latency_critical", "no real-time needed", "no"),
    ("latency_critical", "no, but cost is important", "no"),
    ("latency_critical", "no, but the data contains customer emails", "no"),
    ("latency_critical", "yes, and the data is confidential", "yes"),
    ("latency_critical", "no, it's important, and budget is tight", None),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("latency isn't critical", {"latency_critical": "no"}),
    ("speed doesn't matter", {"latency_critical": "no"}),
    ("doesn't need to be fast", {"latency_critical": "no"}),
    ("we process invoices in nightly batches", {"latency_critical": "no"}),
    ("latency is not a concern, but cost is", {"latency_critical": "no"}),
    # hypotheticals, as the what-if handler passes them
    ("what if latency isn't critical?", {"latency_critical": "no"}),
    ("what if response time mattered?", {"latency_critical": "yes"}),
    ("what if speed mattered?", {"latency_critical": "yes"}),
    ("what if latency were important?", {"latency_critical": "yes"}),
    ("what if it had to answer in under a second?", {"latency_critical": "yes"}),
    # a negated requirement flips the reading
    ("it does not need to answer in under a second", {"latency_critical": "no"}),
    ("it doesn't have to respond in real time", {"latency_critical": "no"}),
    ("there is no need to answer within a second", {"latency_critical": "no"}),
    ("no need for it to reply within a second", {"latency_critical": "no"}),
    ("it is not required to reply in real time", {"latency_critical": "no"}),
    ("it needn't respond instantly", {"latency_critical": "no"}),
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
