"""Follow-up answers after the card: why not X, what if, free questions, citations."""

from __future__ import annotations

import re

import pytest

from adapters.wiring import make_advisor
from bot import wording
from bot.answers import answer_question, follow_up
from bot.engine import recommend

ADVISOR = make_advisor()
KB, INDEX = ADVISOR.kb, ADVISOR.index()
# issue 15: "partly" tried; with nothing tried, neither latency nor context forces fine-tuning
START_SIMPLE = {"sensitive_data": "no", "alternatives_tried": "partly", "latency_critical": "no", "context_size": "fits"}
FORCED = {"sensitive_data": "no", "alternatives_tried": "partly", "latency_critical": "yes"}


def ask(answers: dict[str, str], question: str):
    return follow_up(question, recommend(answers, KB), INDEX, KB)


def test_why_not_the_recommended_alternative_says_it_is_the_recommendation() -> None:
    reply = ask(START_SIMPLE, "why not prompt engineering?")
    assert reply.text == wording.WHY_NOT_ALREADY.format(verdict=recommend(START_SIMPLE, KB).title.lower())


def test_why_not_alternatives_when_fine_tuning_is_recommended_lists_the_reasons_for() -> None:
    reply = ask(FORCED, "why not prompt chaining?")
    assert reply.text.startswith(wording.WHY_NOT_ALTERNATIVES)
    assert wording.REASONS[("latency_critical", "yes")] in reply.text
    assert wording.REASONS[("alternatives_tried", "partly")] not in reply.text


def test_why_not_fine_tune_lists_the_reasons_against() -> None:
    reply = ask(START_SIMPLE, "why not fine-tune now?")
    assert reply.text.startswith(wording.WHY_NOT_FINE_TUNE)
    assert wording.REASONS[("alternatives_tried", "partly")] in reply.text


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


# -- issue 16: the questions new users asked, answered from the knowledge base and the guide -----


def _ids(reply) -> list[str]:
    return [c.id for c in reply.citations]


@pytest.mark.parametrize(("question", "overview_id"), [
    ("when should I NOT fine tune", "when-not-to-fine-tune"),
    ("What are the disadvantages of fine-tuning?", "disadvantages"),
    ("can fine-tuning hurt?", "disadvantages"),
    ("what are the advantages?", "advantages"),
    ("when should I fine-tune?", "when-to-fine-tune"),
])
def test_section_level_questions_get_an_overview_with_every_point_cited(question: str, overview_id: str) -> None:
    overview = next(o for o in INDEX.guide.overviews if o.id == overview_id)
    reply = answer_question(question, INDEX)
    assert _ids(reply) == list(overview.entries)
    lines = reply.text.splitlines()
    assert lines[0] == overview.intro
    assert [line.rsplit("[", 1)[1].rstrip("]") for line in lines[1:]] == list(overview.entries), "one cited point per entry"


@pytest.mark.parametrize(("question", "nearest"), [
    ("how much data do I need?", "training-data-pairs"),
    ("how many examples do I need to fine-tune?", "training-data-pairs"),
    ("is GPT-4 fine-tunable?", "sota-not-fine-tunable"),
    ("how much does a fine-tuned model cost per month?", "hosted-cost"),
    ("how long does fine-tuning take?", "heavy-iteration"),
    ("should I use RAG or fine-tuning?", "domain-specific-context"),
])
def test_what_the_article_does_not_say_is_said_plainly_with_the_nearest_entry(question: str, nearest: str) -> None:
    reply = answer_question(question, INDEX)
    first, rest = reply.text.split("\n", 1)
    assert first.startswith("The article doesn't say"), reply.text
    assert _ids(reply) == [nearest]
    assert KB.get(nearest).summary in rest
    assert not re.search(r"\d", reply.text.replace("GPT-4", "")), "never a made-up number"


@pytest.mark.parametrize("question", ["should I use LoRA?", "what learning rate should I use?", "how do I deploy a fine-tuned model to production?"])
def test_an_on_topic_question_nothing_in_the_article_comes_near_is_said_plainly_with_no_citation(question: str) -> None:
    reply = answer_question(question, INDEX)
    assert reply.text.startswith("The article doesn't say") and reply.citations == ()


@pytest.mark.parametrize("question", [
    "how do I fine-tune my guitar",
    "fine-tune a ResNet image classifier on my photos",
    "how do I fine-tune my car's engine",
    "what's the weather in Berlin",
    "can I cut my hair short?",
])
def test_fine_tuning_things_that_are_not_language_models_is_declined_with_no_citation(question: str) -> None:
    reply = answer_question(question, INDEX)
    assert reply.text == wording.OFF_TOPIC and reply.citations == ()


def test_a_question_about_personal_data_is_answered_not_declined() -> None:
    reply = answer_question("my data has SSNs in it, ok?", INDEX)
    assert set(_ids(reply)) <= {"privacy-risk", "sensitive-private-data"} and reply.citations
    assert "SSNs" in reply.text.splitlines()[0], "the article never names SSNs, and the answer says so"


def test_a_question_asking_for_a_figure_gets_no_figure() -> None:
    reply = answer_question("we only have 150 examples, is that enough?", INDEX)
    assert reply.text.startswith("The article doesn't say") and reply.citations
    assert "150" not in reply.text


# -- the bot explains itself ----------------------------------------------------------------------


@pytest.mark.parametrize(("question", "help_id"), [
    ("what does decisive mean?", "decisive"),
    ("what are prerequisites?", "prerequisites"),
    ("what does confidence mean?", "confidence"),
    ("why did you ask that?", "why-asked"),
    ("what?", "clarify"),
    ("what should I do next?", "next-steps"),
])
def test_the_bot_explains_its_own_terms_and_moves_from_help_entries(question: str, help_id: str) -> None:
    reply = answer_question(question, INDEX)
    entry = INDEX.guide.help_entry(help_id)
    assert reply.citations == ()
    assert reply.text.startswith(entry.text.split("{")[0]) and "{" not in reply.text


def test_help_fills_in_the_rules_own_terms() -> None:
    from bot.rules import PREREQUISITES

    prerequisites = answer_question("what are prerequisites?", INDEX).text
    assert all(wording.SHORT_NAMES[f].lower() in prerequisites for f in PREREQUISITES)
    verdicts = answer_question("what verdicts can you give?", INDEX).text
    assert all(title in verdicts for title in wording.VERDICT_TITLES.values())


def test_what_should_i_do_next_after_the_card_lists_the_cases_next_steps() -> None:
    rec = recommend(START_SIMPLE, KB)
    reply = follow_up("what should I do next?", rec, INDEX, KB)
    assert reply.text.splitlines()[0] == INDEX.guide.help_entry("next-steps").after_verdict
    assert [line[2:] for line in reply.text.splitlines()[1:]] == list(rec.next_steps)


def test_what_while_a_question_is_open_explains_it_and_asks_again() -> None:
    from bot.conversation import ConversationState
    from bot.events import Action, InboundEvent
    from bot.replies import Question

    from bot.events import ConversationKey

    key = ConversationKey(*(["t"] * len(ConversationKey.__dataclass_fields__)))
    state, _ = ADVISOR.step(None, InboundEvent(key=key, user="u", event_id="e1", action=Action("start")), 1.0)
    pending = state.pending
    _, replies = ADVISOR.step(state, InboundEvent(key=key, user="u", event_id="e2", text="what?"), 2.0)
    assert replies[0].text == INDEX.guide.help_entry("clarify").text
    assert isinstance(replies[1], Question) and replies[1].factor == pending
    assert isinstance(state, ConversationState)


# -- the user's own answer opens a reply only when it bears on it and agrees ------------------------


def test_the_users_answer_opens_a_reply_only_when_it_bears_on_the_question_and_agrees() -> None:
    said_yes = wording.REASONS[("sensitive_data", "yes")]
    reply = answer_question("can a fine-tuned model leak personal data?", INDEX, {"sensitive_data": "yes"})
    assert reply.text.startswith(said_yes)
    # The same answer does not open a reply about another topic ...
    other = answer_question("does fine-tuning make responses faster?", INDEX, {"sensitive_data": "yes"})
    assert said_yes not in other.text
    # ... nor one whose entry argues the other way ("no private data" before a leak warning).
    opposite = answer_question("can a fine-tuned model leak personal data?", INDEX, {"sensitive_data": "no"})
    assert wording.REASONS[("sensitive_data", "no")] not in opposite.text
    # "You already have pairs" never opens "data is hard to get".
    data = answer_question("is it hard to get training data?", INDEX, {"training_data": "have_pairs"})
    assert _ids(data)[0] == "data-hard-to-obtain" and wording.REASONS[("training_data", "have_pairs")] not in data.text
