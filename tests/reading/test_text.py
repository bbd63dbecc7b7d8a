"""The one place that decides what a question, a hypothetical and a bare topic are."""

from __future__ import annotations

import pytest

from bot.reading import hypothesis_body, is_hypothetical, is_question, is_topic
from bot.reading.text import normalize

QUESTIONS = [
    "pii?", "gdpr?", "personal data?", "Is personal data a problem?", "why is latency important",
    "what does masking mean", "explain guardrails", "can you explain prompt chaining",
    "does it matter that our data has PII", "We use GPT-4. Is that a problem?", "how much data do we need",
    "what if we had no data?", "what if latency isn't critical", "suppose the prompt fit",
]
NOT_QUESTIONS = [
    "yes?", "not sure?", "3?", "no", "we have 2k labelled examples", "the data has PII",
    "customer emails, must answer in under a second", "I just told you, it's self-hosted", "",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize("text", NOT_QUESTIONS)
def test_not_questions(text: str) -> None:
    assert not is_question(text)


@pytest.mark.parametrize(
    ("text", "body"),
    [("what if we had no data?", "we had no data"), ("Suppose latency did not matter", "latency did not matter"),
     ("and if the prompt fit?", "the prompt fit")],
)
def test_hypotheticals_and_what_they_suppose(text: str, body: str) -> None:
    assert is_hypothetical(text) and hypothesis_body(text) == body


def test_plain_statements_are_not_hypothetical() -> None:
    assert not is_hypothetical("we tried prompting, but it failed")
    assert not is_hypothetical("is the data sensitive?")


@pytest.mark.parametrize(("text", "topic"), [("PII", True), ("personal data", True), ("vendor guardrails", True),
                                              ("no PII", False), ("we have PII", False), ("it's fine", False)])
def test_bare_topics(text: str, topic: bool) -> None:
    assert is_topic(text) is topic


def test_normalising_keeps_the_length_so_evidence_quotes_the_user() -> None:
    for text in ["İstanbul’s DATA\u200b\nnext line", "x\x00y", "ﬁne-tuning"]:
        assert len(normalize(text)) == len(text)
