"""Tests for bot.parsing: typed answers, free descriptions, commands and factor names."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import parsing
from bot.events import Action
from bot.factors import BY_ID, FACTOR_IDS, FACTORS, UNKNOWN
from bot.parsing import Understood, factor_from_words, parse_answer, parse_command, understand

YES_NO_FACTORS = tuple(f.id for f in FACTORS if f.values == ("yes", "no"))

# --- parse_answer: factor-specific free text -------------------------------------------

ANSWER_CASES: list[tuple[str, str, str | None]] = [
    # training_data
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
    ("training_data", "yes", None),  # have them, or could make them? ask again
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
    # sensitive_data
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
    # latency_critical
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
    # context_size
    ("context_size", "fits easily", "fits"),
    ("context_size", "it fits", "fits"),
    ("context_size", "yes", "fits"),
    ("context_size", "it's getting long", "strained"),
    ("context_size", "barely fits", "strained"),
    ("context_size", "tight", "strained"),
    ("context_size", "yes, barely", "strained"),
    ("context_size", "doesn't fit", "too_big"),
    ("context_size", "way too long", "too_big"),
    ("context_size", "exceeds the context window", "too_big"),
    ("context_size", "no room left", "too_big"),
    ("context_size", "no", None),  # barely, or not at all?
    # domain_knowledge
    ("domain_knowledge", "lots of jargon", "yes"),
    ("domain_knowledge", "internal product names", "yes"),
    ("domain_knowledge", "it needs our internal product terminology", "yes"),
    ("domain_knowledge", "general knowledge is enough", "no"),
    ("domain_knowledge", "nothing special", "no"),
    # task_scope
    ("task_scope", "one narrow task", "narrow"),
    ("task_scope", "just classification", "narrow"),
    ("task_scope", "specific", "narrow"),
    ("task_scope", "a specific task", "narrow"),
    ("task_scope", "general assistant", "broad"),
    ("task_scope", "many tasks", "broad"),
    ("task_scope", "broad", "broad"),
    ("task_scope", "yes", None),
    # alternatives_tried
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
    # model_fine_tunable
    ("model_fine_tunable", "it can't", "no"),
    ("model_fine_tunable", "no, it's closed", "no"),
    ("model_fine_tunable", "not supported", "no"),
    ("model_fine_tunable", "it can", "yes"),
    ("model_fine_tunable", "it's open source", "yes"),
    # hosted_cost_sensitive
    ("hosted_cost_sensitive", "yes, price matters", "yes"),
    ("hosted_cost_sensitive", "cost matters a lot", "yes"),
    ("hosted_cost_sensitive", "it's too expensive", "yes"),
    ("hosted_cost_sensitive", "budget is tight for per-call pricing", "yes"),
    ("hosted_cost_sensitive", "not a concern", "no"),
    ("hosted_cost_sensitive", "budget is fine", "no"),
    ("hosted_cost_sensitive", "we don't care about cost", "no"),
    # compute_available
    ("compute_available", "no GPUs", "no"),
    ("compute_available", "none", "no"),
    ("compute_available", "we have a GPU cluster", "yes"),
    ("compute_available", "we can rent in the cloud", "yes"),
    # needs_vendor_guardrails
    ("needs_vendor_guardrails", "we have our own moderation", "no"),
    ("needs_vendor_guardrails", "not needed", "no"),
    ("needs_vendor_guardrails", "yes, safety filters are critical", "yes"),
    ("needs_vendor_guardrails", "we rely on them", "yes"),
    ("needs_vendor_guardrails", "we rely on OpenAI's safety filters", "yes"),
    # iteration_capacity
    ("iteration_capacity", "no time", "no"),
    ("iteration_capacity", "small team, no time to iterate", "no"),
    ("iteration_capacity", "plenty of time", "yes"),
    ("iteration_capacity", "we have a dedicated team", "yes"),
    # more everyday phrasings
    ("context_size", "no problem", "fits"),
    ("context_size", "it gets truncated", "too_big"),
    ("context_size", "we're at the limit", "strained"),
    ("latency_critical", "we can live with a few seconds", "no"),
    ("latency_critical", "top priority", "yes"),
    ("sensitive_data", "we strip PII first", "masked"),
    ("compute_available", "a couple of A100s", "yes"),
    ("iteration_capacity", "we're swamped", "no"),
    ("task_scope", "extraction only", "narrow"),
    ("alternatives_tried", "we did some few-shot prompting", "partly"),
    ("alternatives_tried", "tried a lot, still not good", "exhausted"),
    ("alternatives_tried", "we tried prompting, it works ok", None),
    # value ids typed by hand
    ("context_size", "too big", "too_big"),
    ("context_size", "too_big", "too_big"),
    ("training_data", "have_pairs", "have_pairs"),
    ("training_data", "Have pairs", "have_pairs"),
    ("training_data", "can-create", "can_create"),
    ("sensitive_data", "masked", "masked"),
    ("sensitive_data", "MASKED.", "masked"),
]


@pytest.mark.parametrize(("factor_id", "text", "expected"), ANSWER_CASES)
def test_parse_answer_free_text(factor_id: str, text: str, expected: str | None) -> None:
    assert parse_answer(factor_id, text) == expected


NEGATION_CASES: list[tuple[str, str, str | None]] = [
    ("latency_critical", "not fast at all", "no"),
    ("latency_critical", "doesn't need to be fast", "no"),
    ("latency_critical", "it's not critical", "no"),
    ("latency_critical", "not important", "no"),
    ("latency_critical", "no real-time needed", "no"),
    ("context_size", "no, it doesn't fit", "too_big"),
    ("context_size", "it does not fit at all", "too_big"),
    ("sensitive_data", "not sensitive", "no"),
    ("sensitive_data", "nothing sensitive", "no"),
    ("sensitive_data", "no names or emails", "no"),
    ("sensitive_data", "it doesn't contain any PII", "no"),
    ("sensitive_data", "It's not public", None),  # not public is not the same as personal
    ("task_scope", "not broad", "narrow"),
    ("task_scope", "not just one task, many", "broad"),
    ("compute_available", "we don't have GPUs", "no"),
    ("domain_knowledge", "no special knowledge needed", "no"),
    ("hosted_cost_sensitive", "cost isn't an issue", "no"),
    ("iteration_capacity", "not enough", "no"),
    ("training_data", "we have no examples", "none"),
    ("model_fine_tunable", "no, it doesn't support fine-tuning", "no"),
]


@pytest.mark.parametrize(("factor_id", "text", "expected"), NEGATION_CASES)
def test_parse_answer_negation(factor_id: str, text: str, expected: str | None) -> None:
    assert parse_answer(factor_id, text) == expected


LEADING_YES_NO_CASES: list[tuple[str, str, str | None]] = [
    # the leading word answers the question; the rest is about another factor
    ("sensitive_data", "no, but it must answer in under a second", "no"),
    ("sensitive_data", "nope, latency is not an issue", "no"),
    ("sensitive_data", "no, but the customers need answers in real time", "no"),
    ("sensitive_data", "no, but users expect instant replies", "no"),
    ("sensitive_data", "nope, but speed is critical", "no"),
    ("sensitive_data", "yes, and it must be fast", "yes"),
    ("latency_critical", "no, but cost is important", "no"),
    ("latency_critical", "no, but the data contains customer emails", "no"),
    ("latency_critical", "yes, and the data is confidential", "yes"),
    # the rest contradicts the same factor: ask again
    ("sensitive_data", "yes, but no personal data", None),
    ("sensitive_data", "yes, but it's not sensitive", None),
    ("latency_critical", "no, it's important, and budget is tight", None),
]


@pytest.mark.parametrize(("factor_id", "text", "expected"), LEADING_YES_NO_CASES)
def test_leading_yes_no_with_another_factor(factor_id: str, text: str, expected: str | None) -> None:
    assert parse_answer(factor_id, text) == expected


YES_WORDS = ["yes", "y", "yep", "yeah", "yup", "sure", "definitely", "absolutely", "correct", "true",
             "it is", "we do", "YES!!", "Yes.", "  yes  ", "Yes, definitely"]
NO_WORDS = ["no", "n", "nope", "nah", "not really", "no way", "false", "we don't", "it isn't",
            "No.", "NO!", "absolutely not", "we do not", "never"]


@pytest.mark.parametrize("factor_id", YES_NO_FACTORS)
@pytest.mark.parametrize("text", YES_WORDS)
def test_yes_words(factor_id: str, text: str) -> None:
    assert parse_answer(factor_id, text) == "yes"


@pytest.mark.parametrize("factor_id", YES_NO_FACTORS)
@pytest.mark.parametrize("text", NO_WORDS)
def test_no_words(factor_id: str, text: str) -> None:
    assert parse_answer(factor_id, text) == "no"


@pytest.mark.parametrize("text", ["yes", "no", "yep", "nope"])
def test_sensitive_data_reads_bare_yes_no(text: str) -> None:
    assert parse_answer("sensitive_data", text) == ("yes" if text.startswith("y") else "no")


@pytest.mark.parametrize("factor_id", FACTOR_IDS)
@pytest.mark.parametrize(
    "text", ["is personal data a problem?", "why is latency important", "what if it were fast?"]
)
def test_questions_are_not_answers(factor_id: str, text: str) -> None:
    assert parse_answer(factor_id, text) is None


@pytest.mark.parametrize("text", ["yes and no", "no, yes", "yes/no"])
def test_contradicting_yes_no_is_unread(text: str) -> None:
    assert parse_answer("latency_critical", text) is None


UNKNOWN_WORDS = ["not sure", "Not sure.", "unsure", "don't know", "dont know", "I don't know", "idk",
                 "no idea", "dunno", "maybe", "?", "??", "n/a", "N/A", "I'm not sure", "not sure yet",
                 "hard to say", "no clue", "not sure, sorry"]


@pytest.mark.parametrize("factor_id", FACTOR_IDS)
@pytest.mark.parametrize("text", UNKNOWN_WORDS)
def test_unknown_words(factor_id: str, text: str) -> None:
    assert parse_answer(factor_id, text) == UNKNOWN


@pytest.mark.parametrize("factor_id", FACTOR_IDS)
def test_skip_is_a_command_not_an_answer(factor_id: str) -> None:
    assert parse_answer(factor_id, "skip") is None
    assert parse_command("skip") == Action("skip")


# --- option numbers and value ids ---------------------------------------------------------


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_option_numbers_follow_values_order(factor) -> None:  # type: ignore[no-untyped-def]
    for number, value in enumerate(factor.values, start=1):
        assert parse_answer(factor.id, str(number)) == value
        assert parse_answer(factor.id, f" {number}. ") == value
        assert parse_answer(factor.id, f"#{number}") == value
        assert parse_answer(factor.id, f"option {number}") == value
    not_sure = len(factor.values) + 1
    assert parse_answer(factor.id, str(not_sure)) == UNKNOWN
    for out_of_range in (0, not_sure + 1, 99, 999, 1000, 10**30):
        assert parse_answer(factor.id, str(out_of_range)) is None
    assert parse_answer(factor.id, "-1") is None


@pytest.mark.parametrize("factor", FACTORS, ids=lambda f: f.id)
def test_value_ids_read_as_themselves(factor) -> None:  # type: ignore[no-untyped-def]
    for value in factor.allowed:
        assert parse_answer(factor.id, value) == value
        assert parse_answer(factor.id, value.upper().replace("_", " ")) == value


# --- hostile input --------------------------------------------------------------------------

HOSTILE = [
    "",
    " ",
    "\n\t ",
    "x" * 60_000,
    "no " * 20_000,
    "prompt " * 10_000,
    "\x00\x01\x02\x1b[31m\x7f",
    "\u200b\u200b\ufeff",
    "!!!...,,,",
    "İΣß\ufb01" * 1000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
def test_hostile_input_is_handled_quickly(text: str) -> None:
    for factor_id in FACTOR_IDS:
        started = time.perf_counter()
        value = parse_answer(factor_id, text)
        assert time.perf_counter() - started < 0.05
        assert value is None or value in BY_ID[factor_id].allowed
    started = time.perf_counter()
    found = understand(text)
    assert time.perf_counter() - started < 0.2
    assert all(u.evidence in text for u in found.values())
    assert parse_command(text) is None or len(text) <= parsing.MAX_COMMAND_CHARS


@pytest.mark.parametrize("text", ["", " ", "x" * 60_000, "\x00\x01", "!!!"])
def test_empty_or_junk_answers_read_as_none(text: str) -> None:
    for factor_id in FACTOR_IDS:
        assert parse_answer(factor_id, text) is None


def test_unknown_factor_reads_as_none() -> None:
    assert parse_answer("no_such_factor", "yes") is None


def test_normal_input_is_fast() -> None:
    """A loose guard against pathological slowness; typical calls take well under 0.5 ms."""
    description = (
        "a support bot over customer tickets that contain names and emails, must answer in under "
        "a second; we have about 2k labelled examples and tried prompt engineering already"
    )

    def best_of(call, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        return min(times)

    assert best_of(lambda: understand(description)) < 0.005
    for factor_id in FACTOR_IDS:
        assert best_of(lambda: parse_answer(factor_id, "yes, under a second, it matters a lot")) < 0.002


# --- understand ------------------------------------------------------------------------------

UNDERSTAND_CASES: list[tuple[str, dict[str, str]]] = [
    (
        "a support bot over customer tickets that contain names and emails, must answer in under a second",
        {"sensitive_data": "yes", "latency_critical": "yes"},
    ),
    ("we have 5,000 labelled examples", {"training_data": "have_pairs"}),
    ("we have thousands of historical support tickets with agent replies", {"training_data": "have_pairs"}),
    ("we could ask GPT-4 to write examples", {"training_data": "can_create"}),
    ("we have no training data", {"training_data": "none"}),
    ("the data is anonymised", {"sensitive_data": "masked"}),
    ("there is no sensitive data", {"sensitive_data": "no"}),
    ("the data contains no PII", {"sensitive_data": "no"}),
    ("the documents are confidential", {"sensitive_data": "yes"}),
    ("patient records", {"sensitive_data": "yes"}),
    ("we have customer names in the data but we anonymise them", {"sensitive_data": "masked"}),
    ("our prompt is too long for the context window", {"context_size": "too_big"}),
    ("the prompt barely fits in the context", {"context_size": "strained"}),
    ("it needs our internal product terminology", {"domain_knowledge": "yes"}),
    ("the model already knows the domain", {"domain_knowledge": "no"}),
    ("the base model doesn't know our terminology", {"domain_knowledge": "yes"}),
    ("classify invoices into 12 categories", {"task_scope": "narrow"}),
    ("a general-purpose assistant for the whole company", {"task_scope": "broad"}),
    ("a general assistant that also classifies tickets into 5 categories", {"task_scope": "broad"}),
    ("we tried prompt engineering and chaining, not good enough", {"alternatives_tried": "exhausted"}),
    ("we've exhausted prompt engineering", {"alternatives_tried": "exhausted"}),
    ("we haven't tried prompt engineering yet", {"alternatives_tried": "no"}),
    ("we use gpt-4o which can't be fine-tuned", {"model_fine_tunable": "no"}),
    ("we use Llama 3 on our own servers", {"model_fine_tunable": "yes"}),
    ("budget is tight for per-call pricing", {"hosted_cost_sensitive": "yes"}),
    ("budget is not an issue", {"hosted_cost_sensitive": "no"}),
    ("no GPUs", {"compute_available": "no"}),
    ("we can't afford GPUs", {"compute_available": "no"}),
    ("we have access to a GPU cluster", {"compute_available": "yes"}),
    ("we rely on OpenAI's safety filters", {"needs_vendor_guardrails": "yes"}),
    ("we have our own moderation layer", {"needs_vendor_guardrails": "no"}),
    ("we do not need vendor guardrails", {"needs_vendor_guardrails": "no"}),
    ("small team, no time to iterate", {"iteration_capacity": "no"}),
    ("we have 10 engineers but no ML expertise", {"iteration_capacity": "no"}),
    ("latency isn't critical", {"latency_critical": "no"}),
    ("speed doesn't matter", {"latency_critical": "no"}),
    ("doesn't need to be fast", {"latency_critical": "no"}),
    ("no personal data", {"sensitive_data": "no"}),
    ("we process invoices in nightly batches", {"latency_critical": "no"}),
    ("latency is not a concern, but cost is", {"latency_critical": "no"}),
    # hypotheticals, as the what-if handler passes them
    ("what if latency isn't critical?", {"latency_critical": "no"}),
    ("what if we had training data", {"training_data": "have_pairs"}),
    ("what if the data were masked", {"sensitive_data": "masked"}),
    ("what if we had no GPUs?", {"compute_available": "no"}),
    ("what if it were a narrow task", {"task_scope": "narrow"}),
    ("what if the context doesn't fit?", {"context_size": "too_big"}),
    ("what if the documents didn't fit in the context window?", {"context_size": "too_big"}),
    ("what if the prompt were too long?", {"context_size": "too_big"}),
    ("what if the context fits?", {"context_size": "fits"}),
    ("what if everything fits?", {"context_size": "fits"}),
    ("what if response time mattered?", {"latency_critical": "yes"}),
    ("what if speed mattered?", {"latency_critical": "yes"}),
    ("what if latency were important?", {"latency_critical": "yes"}),
    ("what if it had to answer in under a second?", {"latency_critical": "yes"}),
    ("what if we had tried prompting already?", {"alternatives_tried": "exhausted"}),
    ("what if we had already tried prompt engineering?", {"alternatives_tried": "exhausted"}),
    ("what if prompt engineering had failed?", {"alternatives_tried": "exhausted"}),
    ("what if we had no training data?", {"training_data": "none"}),
    ("what if we didn't have any training data?", {"training_data": "none"}),
    ("what if the model could be fine-tuned?", {"model_fine_tunable": "yes"}),
    ("what if the model couldn't be fine-tuned?", {"model_fine_tunable": "no"}),
    # a negated requirement flips the reading
    ("it does not need to answer in under a second", {"latency_critical": "no"}),
    ("it doesn't have to respond in real time", {"latency_critical": "no"}),
    ("there is no need to answer within a second", {"latency_critical": "no"}),
    ("no need for it to reply within a second", {"latency_critical": "no"}),
    ("it is not required to reply in real time", {"latency_critical": "no"}),
    ("it needn't respond instantly", {"latency_critical": "no"}),
    # removing personal data means it is masked
    ("names and emails have been removed from the tickets", {"sensitive_data": "masked"}),
    ("we strip out all PII before training", {"sensitive_data": "masked"}),
    ("customer names are stripped before we train", {"sensitive_data": "masked"}),
    ("all emails are redacted", {"sensitive_data": "masked"}),
    ("we remove customer names", {"sensitive_data": "masked"}),
    ("the tickets are anonymised", {"sensitive_data": "masked"}),
    # inputs without outputs are not pairs
    ("we have thousands of tickets but no answers", {"training_data": "none"}),
    ("we have emails without responses", {"training_data": "none"}),
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


# --- commands ----------------------------------------------------------------------------------

COMMAND_CASES: list[tuple[str, Action | None]] = [
    ("skip", Action("skip")),
    ("Skip", Action("skip")),
    ("/skip", Action("skip")),
    ("skip.", Action("skip")),
    ("back", Action("back")),
    ("undo", Action("back")),
    ("/Back", Action("back")),
    ("change", Action("change")),
    ("change latency", Action("change", factor="latency_critical")),
    ("change sensitive data", Action("change", factor="sensitive_data")),
    ("change training_data", Action("change", factor="training_data")),
    ("/change gpu", Action("change", factor="compute_available")),
    ("change my answer to latency", Action("change", factor="latency_critical")),
    ("change something weird", Action("change")),
    ("restart", Action("restart")),
    ("start over", Action("restart")),
    ("reset", Action("restart")),
    ("start", Action("start")),
    ("begin", Action("start")),
    ("why", Action("why")),
    ("why?", Action("why")),
    ("Why?", Action("why")),
    ("why do you ask", Action("why_ask")),
    ("why do you ask?", Action("why_ask")),
    ("why this question", Action("why_ask")),
    ("help", Action("help")),
    ("commands", Action("help")),
    ("export", Action("record")),
    ("record", Action("record")),
    ("decision record", Action("record")),
    ("status", Action("status")),
    ("?", None),
    ("", None),
    ("why is latency important?", None),
    ("why not fine-tune?", None),
    ("skip this one please", None),
    ("yes", None),
    ("2", None),
    ("help me decide whether to fine-tune", None),
]


@pytest.mark.parametrize(("text", "expected"), COMMAND_CASES)
def test_parse_command(text: str, expected: Action | None) -> None:
    assert parse_command(text) == expected


# --- factor names --------------------------------------------------------------------------------

FACTOR_WORDS: list[tuple[str, str | None]] = [
    ("latency", "latency_critical"),
    ("speed", "latency_critical"),
    ("response time", "latency_critical"),
    ("privacy", "sensitive_data"),
    ("sensitive data", "sensitive_data"),
    ("training data", "training_data"),
    ("examples", "training_data"),
    ("context", "context_size"),
    ("prompt size", "context_size"),
    ("domain", "domain_knowledge"),
    ("scope", "task_scope"),
    ("alternatives", "alternatives_tried"),
    ("prompt engineering", "alternatives_tried"),
    ("fine-tunable", "model_fine_tunable"),
    ("cost", "hosted_cost_sensitive"),
    ("price", "hosted_cost_sensitive"),
    ("compute", "compute_available"),
    ("gpu", "compute_available"),
    ("GPUs", "compute_available"),
    ("guardrails", "needs_vendor_guardrails"),
    ("safety", "needs_vendor_guardrails"),
    ("iteration", "iteration_capacity"),
    ("time to iterate", "iteration_capacity"),
    ("the latency answer", "latency_critical"),
    ("banana", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), FACTOR_WORDS)
def test_factor_from_words(text: str, expected: str | None) -> None:
    assert factor_from_words(text) == expected


@pytest.mark.parametrize("factor_id", FACTOR_IDS)
def test_factor_ids_name_themselves(factor_id: str) -> None:
    assert factor_from_words(factor_id) == factor_id
    assert factor_from_words(factor_id.replace("_", " ")) == factor_id


# --- properties ------------------------------------------------------------------------------------

_VOCABULARY = sorted(
    {
        word
        for _, text, _ in ANSWER_CASES + NEGATION_CASES
        for word in text.split()
    }
    | {word for text, _ in UNDERSTAND_CASES for word in text.split()}
    | {"not", "no", "yes", "n't", "isn't", "but", ",", ".", "?", "İ", "Σ", "’", "\x00", "\u200b"}
)
_phrases = st.lists(st.sampled_from(_VOCABULARY), max_size=25).map(" ".join)
_any_text = st.one_of(st.text(max_size=600), _phrases, _phrases.map(str.upper))


@settings(max_examples=300, deadline=None)
@given(factor_id=st.sampled_from(FACTOR_IDS), text=_any_text)
def test_parse_answer_never_raises_and_stays_in_contract(factor_id: str, text: str) -> None:
    value = parse_answer(factor_id, text)
    assert value is None or value in BY_ID[factor_id].allowed


@settings(max_examples=300, deadline=None)
@given(text=_any_text)
def test_understand_never_raises_and_quotes_the_input(text: str) -> None:
    for factor_id, u in understand(text).items():
        assert factor_id in BY_ID
        assert u.value in BY_ID[factor_id].values  # never "unknown"
        assert u.evidence and u.evidence in text
        assert u.evidence.lower() in text.lower()


@settings(max_examples=200, deadline=None)
@given(text=_any_text)
def test_commands_and_factor_names_stay_in_contract(text: str) -> None:
    action = parse_command(text)
    assert action is None or isinstance(action, Action)
    if action is not None:
        assert action.factor == "" or action.factor in BY_ID
    assert factor_from_words(text) in (None, *FACTOR_IDS)
