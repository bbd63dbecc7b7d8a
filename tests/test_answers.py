"""Follow-up answers after the card: why not X, what if, free questions, citations."""

from __future__ import annotations

import pytest

from adapters.wiring import make_advisor
from bot import wording
from bot.answers import answer_question, follow_up
from bot.engine import recommend

ADVISOR = make_advisor()
KB, INDEX = ADVISOR.kb, ADVISOR.index()
START_SIMPLE = {"sensitive_data": "no", "alternatives_tried": "no", "latency_critical": "no", "context_size": "fits"}
FORCED = {"sensitive_data": "no", "alternatives_tried": "no", "latency_critical": "yes"}


def ask(answers: dict[str, str], question: str):
    return follow_up(question, recommend(answers, KB), INDEX, KB)


def test_why_not_the_recommended_alternative_says_it_is_the_recommendation() -> None:
    reply = ask(START_SIMPLE, "why not prompt engineering?")
    assert reply.text == wording.WHY_NOT_ALREADY.format(verdict=recommend(START_SIMPLE, KB).title.lower())


def test_why_not_alternatives_when_fine_tuning_is_recommended_lists_the_reasons_for() -> None:
    reply = ask(FORCED, "why not prompt chaining?")
    assert reply.text.startswith(wording.WHY_NOT_ALTERNATIVES)
    assert wording.REASONS[("latency_critical", "yes")] in reply.text
    assert wording.REASONS[("alternatives_tried", "no")] not in reply.text


def test_why_not_fine_tune_lists_the_reasons_against() -> None:
    reply = ask(START_SIMPLE, "why not fine-tune now?")
    assert reply.text.startswith(wording.WHY_NOT_FINE_TUNE)
    assert wording.REASONS[("alternatives_tried", "no")] in reply.text


def test_why_not_something_else_is_a_knowledge_question() -> None:
    reply = ask(START_SIMPLE, "why not order pizza?")
    assert reply.text == wording.OFF_TOPIC and reply.citations == ()
    # RAG is on topic, but the article never discusses it: said plainly, nearest entry cited.
    reply = ask(START_SIMPLE, "why not use RAG?")
    assert reply.text.startswith("The article doesn't say") and "RAG" in reply.text
    assert [c.id for c in reply.citations] == ["domain-specific-context"]


def test_why_cant_i_fine_tune_a_model_is_answered_from_the_knowledge_base() -> None:
    reply = ask(FORCED, "why can't I fine-tune GPT-4?")
    assert [c.id for c in reply.citations] == ["sota-not-fine-tunable"]


def test_what_if_names_a_factor_and_its_value() -> None:
    reply = ask(START_SIMPLE, "what if the context doesn't fit?")
    assert 'Context size = "It doesn\'t fit"' in reply.text
    assert "would change from" in reply.text


def test_answers_cite_only_entries_on_the_same_topic_and_recall_the_users_own_answer_for_the_top_one() -> None:
    reply = answer_question("how much data do I need?", INDEX, {"sensitive_data": "no"})
    cited = [KB.get(c.id) for c in reply.citations]
    assert cited and all("training_data" in e.factors for e in cited)
    assert not reply.text.startswith("You said the training data holds no private information")


@pytest.mark.parametrize(("question", "shown"), [
    ("what if response time mattered?", 'Latency critical = "Yes"'),
    ("what if we had tried prompting already?", 'Alternatives tried = "Yes, both fell short"'),
])
def test_what_if_past_and_conditional_phrasings(question: str, shown: str) -> None:
    reply = ask(START_SIMPLE, question)
    assert shown in reply.text
