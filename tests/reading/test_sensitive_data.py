"""Reading sensitive_data: typed answers to its question and free descriptions that state it
(the rules in ``bot/reading/factors/sensitive_data.py``)."""

from __future__ import annotations

import pytest

from bot.reading import parse_answer, understand

ANSWERS: list[tuple[str, str, str | None]] = [
    ("sensitive_data", "no personal data", "no"),
    ("sensitive_data", "it's all public", "no"),
    ("sensitive_data", "yes, customer emails", "yes"),
    ("sensitive_data", "contains PII", "yes"),
    ("sensitive_data", "health records", "yes"),
    ("sensitive_data", "anonymised", "masked"),
    ("sensitive_data", "anonymized", "masked"),
    ("sensitive_data", "pseudonymised", "masked"),
    ("sensitive_data", "we mask it", "masked"),
    ("sensitive_data", "redacted", "masked"),
    ("sensitive_data", "yes, but it's masked", "masked"),
    ("sensitive_data", "no, customer emails", None),  # says no, then names personal data
    # taking personal data out means masked
    ("sensitive_data", "names and emails have been removed from the tickets", "masked"),
    ("sensitive_data", "we strip out all PII before training", "masked"),
    ("sensitive_data", "customer names are stripped before we train", "masked"),
    ("sensitive_data", "PII is removed", "masked"),
    ("sensitive_data", "phone numbers are hashed", "masked"),
    ("sensitive_data", "we delete all personal data first", "masked"),
    ("sensitive_data", "emails get scrubbed", "masked"),
    ("sensitive_data", "user data is pseudonymised", "masked"),
    ("sensitive_data", "names and emails have not been removed", "yes"),
    ("sensitive_data", "we take names and emails", "yes"),
    ("sensitive_data", "we strip PII first", "masked"),
    ("sensitive_data", "masked", "masked"),
    ("sensitive_data", "MASKED.", "masked"),
    ("sensitive_data", "not sensitive", "no"),
    ("sensitive_data", "nothing sensitive", "no"),
    ("sensitive_data", "no names or emails", "no"),
    ("sensitive_data", "it doesn't contain any PII", "no"),
    ("sensitive_data", "It's not public", None),  # not public is not the same as personal
    # the leading word answers the question; the rest is about another factor
    ("sensitive_data", "no, but it must answer in under a second", "no"),
    ("sensitive_data", "nope, latency is not an issue", "no"),
    ("sensitive_data", "no, but the customers need answers in real time", "no"),
    ("sensitive_data", "no, but users expect instant replies", "no"),
    ("sensitive_data", "nope, but speed is critical", "no"),
    ("sensitive_data", "yes, and it must be fast", "yes"),
    # the rest contradicts the same factor: ask again
    ("sensitive_data", "yes, but no personal data", None),
    ("sensitive_data", "yes, but it's not sensitive", None),
]
"""(factor, typed answer, expected value or None for "ask again")."""

DESCRIPTIONS: list[tuple[str, dict[str, str]]] = [
    ("the data is anonymised", {"sensitive_data": "masked"}),
    ("there is no sensitive data", {"sensitive_data": "no"}),
    ("the data contains no PII", {"sensitive_data": "no"}),
    ("the documents are confidential", {"sensitive_data": "yes"}),
    ("patient records", {"sensitive_data": "yes"}),
    ("we have customer names in the data but we anonymise them", {"sensitive_data": "masked"}),
    ("no personal data", {"sensitive_data": "no"}),
    ("what if the data were masked", {"sensitive_data": "masked"}),
    # removing personal data means it is masked
    ("names and emails have been removed from the tickets", {"sensitive_data": "masked"}),
    ("we strip out all PII before training", {"sensitive_data": "masked"}),
    ("customer names are stripped before we train", {"sensitive_data": "masked"}),
    ("all emails are redacted", {"sensitive_data": "masked"}),
    ("we remove customer names", {"sensitive_data": "masked"}),
    ("the tickets are anonymised", {"sensitive_data": "masked"}),
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
