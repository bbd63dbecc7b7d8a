"""Free descriptions that state several factors at once, evidence, and what is left out.
Descriptions of one factor are tested in ``test_<factor>.py``."""

from __future__ import annotations

import pytest

from bot.factors import UNKNOWN
from bot.reading import Understood, understand


UNDERSTAND_CASES: list[tuple[str, dict[str, str]]] = [
    (
        "a support bot over customer tickets that contain names and emails, must answer in under a second",
        {"sensitive_data": "yes", "latency_critical": "yes"},
    ),
]


@pytest.mark.parametrize(("text", "expected"), UNDERSTAND_CASES)
def test_understand(text: str, expected: dict[str, str]) -> None:
    found = understand(text)
    assert {f: u.value for f, u in found.items()} == expected
    for u in found.values():
        assert u.evidence and u.evidence in text


def test_understand_evidence_quotes_the_user() -> None:
    text = "a support bot over customer tickets that contain names and emails, must answer in under a second"
    found = understand(text)
    assert found["sensitive_data"] == Understood("yes", "contain names and emails")
    assert found["latency_critical"] == Understood("yes", "answer in under a second")
    assert understand("No personal data")["sensitive_data"] == Understood("no", "No personal data")
    assert understand("We Rely On OpenAI’s Safety Filters")["needs_vendor_guardrails"].evidence == (
        "Rely On OpenAI’s Safety Filters"
    )


UNDERSTAND_NOTHING = [
    "hello",
    "we want to fine-tune a model",
    "should we fine-tune?",
    "we need a chatbot for HR questions",
    "the bot summarises meeting notes for the team",
    "our public-facing website chatbot",
    "we have to label examples ourselves",
    "the model is not fine-tuned yet",
    "we haven't tried fine-tuning",
    "it's a real-time data pipeline",
    "the team must be fast to ship this",
    "no data leaves our network",
    "fine-tuning is expensive",
    "we use gpt-4o",
    "customer support",
    "it needs to be accurate",
    "not sure about latency",
    "I'm not sure whether we have GPUs",
    "maybe the prompt is too long for the context window",
    "what if we tried prompt chaining",
    # questions about a factor state nothing about the use case
    "is personal data a problem?",
    "why is latency important?",
    "does it matter that our data has PII?",
    "Should the bot answer in under a second?",
    # a fact about today's system, not a requirement either way
    "it doesn't answer in under a second",
    # "fit" that is not about size; a suggestion, not a state
    "the context fits our needs",
    "this fits the bill",
    "what if we had tried prompting a bit?",
    "we removed the tickets with names",
    "our bot handles customer questions with no answers in the FAQ",
]


@pytest.mark.parametrize("text", UNDERSTAND_NOTHING)
def test_understand_leaves_out_what_is_not_clearly_stated(text: str) -> None:
    assert understand(text) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we have 2k labelled examples, is that enough?", {"training_data": "have_pairs"}),
        ("Latency is critical - why does that matter?", {"latency_critical": "yes"}),
        ("what happens if we have no GPUs?", {"compute_available": "no"}),
        ("Should answer in under a second", {"latency_critical": "yes"}),
    ],
)
def test_understand_reads_statements_next_to_questions(text: str, expected: dict[str, str]) -> None:
    assert {f: u.value for f, u in understand(text).items()} == expected


def test_understand_never_returns_unknown() -> None:
    for text, _ in UNDERSTAND_CASES:
        assert all(u.value != UNKNOWN for u in understand(text).values())



BRIEFS: list[tuple[str, dict[str, str]]] = [
    (
        "Our project:\n- Training data: 5k labelled pairs\n- PII: none\n- Latency: must be under 1s",
        {"training_data": "have_pairs", "sensitive_data": "no", "latency_critical": "yes"},
    ),
    (
        "We'd like a Slack bot that answers any question employees have about anything: HR, IT, travel. "
        "No budget for GPUs and the team is two people.",
        {"task_scope": "broad", "compute_available": "no", "iteration_capacity": "no"},
    ),
    (
        "Latency budget is 500ms. Our prompt is already around 6k tokens and we're near the limit.",
        {"latency_critical": "yes", "context_size": "strained"},
    ),
    ("they are confidential, but no customer PII", {"sensitive_data": "yes"}),
    ("Legal memo classifier on privileged memos, all confidential; we're not planning any redaction.",
     {"task_scope": "narrow", "sensitive_data": "yes"}),
]


@pytest.mark.parametrize(("text", "expected"), BRIEFS)
def test_briefs_label_lines_and_topics(text: str, expected: dict[str, str]) -> None:
    found = {f: u.value for f, u in understand(text).items()}
    assert {f: found.get(f) for f in expected} == expected
