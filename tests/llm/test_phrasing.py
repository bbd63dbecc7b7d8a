"""Grounded answers: the model rephrases knowledge-base answers from the cited entries only.

Through the real TurnService and the langchain-openai client over HTTP to the stand-in.
"""

from __future__ import annotations

from prometheus_client import REGISTRY

from bot import wording
from bot.replies import Card, Question, Text
from tests.llm.conftest import Person
from tests.llm.stand_in import PHRASING, UNDERSTANDING, answered, human_text

LATENCY_QUESTION = "why does latency matter?"
OFF_TOPIC = ("what is the best pizza in Naples?", "who won the football world cup in 1998?")


def fallbacks(purpose: str, reason: str) -> float:
    return REGISTRY.get_sample_value("ftadvisor_llm_fallbacks_total", {"purpose": purpose, "reason": reason}) or 0.0


async def rule_based(without_model, thread: str, *texts: str) -> list:
    person = Person(without_model, thread + "-plain")
    handled = None
    for text in texts:
        handled = await person.say(text)
    assert handled is not None
    return handled.replies


async def test_an_answer_is_grounded_and_cited(with_model, without_model, stand_in, thread) -> None:
    [plain] = await rule_based(without_model, thread, LATENCY_QUESTION)
    assert isinstance(plain, Text) and plain.citations
    used = plain.citations[-1].id
    stand_in.prepare(PHRASING, answered("Speed matters because each extra prompt step adds a wait; one tuned call avoids that.", used))

    handled = await Person(with_model(), thread).say(LATENCY_QUESTION)

    [reply] = handled.replies
    assert handled.phrased == (0,)
    assert reply.text == "Speed matters because each extra prompt step adds a wait; one tuned call avoids that."
    assert [c.id for c in reply.citations] == [used], "the reply cites exactly the entries the model used"
    [request] = stand_in.calls(PHRASING)
    sent = human_text(request)
    assert LATENCY_QUESTION in sent and plain.text in sent
    for citation in plain.citations:
        assert f"[{citation.id}]" in sent, "every retrieved entry is given to the model"
    assert stand_in.calls(UNDERSTANDING) == [], "a question is answered, not read as an answer"


async def test_a_made_up_citation_is_discarded(with_model, without_model, stand_in, thread) -> None:
    [plain] = await rule_based(without_model, thread, LATENCY_QUESTION)
    before = fallbacks("phrasing", "uncited")
    stand_in.prepare(PHRASING, answered("Latency is everything, trust me.", plain.citations[0].id, "made-up-entry"))
    handled = await Person(with_model(), thread).say(LATENCY_QUESTION)
    assert handled.replies == [plain] and handled.phrased == ()
    assert fallbacks("phrasing", "uncited") == before + 1


async def test_an_answer_citing_nothing_is_discarded(with_model, without_model, stand_in, thread) -> None:
    [plain] = await rule_based(without_model, thread, LATENCY_QUESTION)
    stand_in.prepare(PHRASING, answered("Latency is everything, trust me."))
    handled = await Person(with_model(), thread).say(LATENCY_QUESTION)
    assert handled.replies == [plain] and handled.phrased == ()


async def test_off_topic_never_reaches_the_model(with_model, without_model, stand_in, thread) -> None:
    person = Person(with_model(), thread)
    for text in OFF_TOPIC:  # at the opening
        handled = await person.say(text)
        assert handled.replies == [Text(wording.OFF_TOPIC)]
    await person.press("start")
    for text in OFF_TOPIC:  # while a question is pending
        handled = await person.say(text)
        assert handled.replies[0] == Text(wording.OFF_TOPIC) and isinstance(handled.replies[1], Question)
    for _ in range(12):  # after the card
        handled = await person.press("skip")
        if isinstance(handled.replies[-1], Card):
            break
    for text in OFF_TOPIC:
        handled = await person.say(text)
        assert handled.replies == [Text(wording.OFF_TOPIC)]
    assert stand_in.requests == [], "the stand-in recorded no request at all"


async def test_the_card_is_never_sent_and_why_keeps_the_engines_first_line(with_model, stand_in, thread) -> None:
    person = Person(with_model(), thread)
    await person.say("our data has customer emails in it")  # settles sensitive_data = yes: the card comes at once
    assert stand_in.requests == []
    handled = await person.say("why?")
    [plain_why] = [r for r in handled.replies if isinstance(r, Text)]
    assert handled.phrased == () and stand_in.calls(PHRASING), "tried, but the stand-in had nothing prepared (500)"

    first_line = plain_why.text.splitlines()[0]
    stand_in.prepare(PHRASING, answered("Personal data could resurface in answers to other users.", plain_why.citations[0].id))
    handled = await person.say("why?")
    [reply] = handled.replies
    assert handled.phrased == (0,)
    assert reply.text == f"{first_line}\nPersonal data could resurface in answers to other users."
    assert "stays as it is: " + first_line in human_text(stand_in.calls(PHRASING)[-1])
    assert "- Sensitive data: Yes" in human_text(stand_in.calls(PHRASING)[-1]), "the user's answers are given"


async def test_another_persons_answers_are_not_sent(with_model, stand_in, thread) -> None:
    service = with_model()
    await Person(service, thread).say("our data has customer emails in it")
    stand_in.prepare(PHRASING, answered("Private data can leak.", "privacy-risk", "sensitive-private-data"))
    await Person(service, thread, user="U2", owner="U1").say("is personal data a problem for fine-tuning?")
    [request] = stand_in.calls(PHRASING)
    assert "(none yet)" in human_text(request) and "- Sensitive data: Yes" not in human_text(request)


async def test_an_answer_that_adds_a_figure_is_discarded(with_model, without_model, stand_in, thread) -> None:
    [plain] = await rule_based(without_model, thread, LATENCY_QUESTION)
    before = fallbacks("phrasing", "ungrounded")
    stand_in.prepare(PHRASING, answered("A tuned model answers about 300 ms sooner.", plain.citations[0].id))
    handled = await Person(with_model(), thread).say(LATENCY_QUESTION)
    assert handled.replies == [plain] and handled.phrased == (), "the model added a fact; the rules' answer stays"
    assert fallbacks("phrasing", "ungrounded") == before + 1


async def test_what_the_article_does_not_say_stays_said_when_the_model_phrases(with_model, without_model, stand_in, thread) -> None:
    question = "how many examples do I need to fine-tune?"
    [plain] = await rule_based(without_model, thread, question)
    first_line = plain.text.splitlines()[0]
    assert first_line.startswith("The article doesn't say") and plain.citations
    stand_in.prepare(PHRASING, answered("It asks for realistic inputs, each with a good answer.", plain.citations[0].id))
    handled = await Person(with_model(), thread).say(question)
    [reply] = handled.replies
    assert handled.phrased == (0,)
    assert reply.text == f"{first_line}\nIt asks for realistic inputs, each with a good answer."
    [request] = stand_in.calls(PHRASING)
    assert f"[{plain.citations[0].id}]" in human_text(request), "the same retrieval feeds the model"


async def test_help_is_never_sent_to_the_model(with_model, stand_in, thread) -> None:
    handled = await Person(with_model(), thread).say("what does decisive mean?")
    [reply] = handled.replies
    assert reply.citations == () and "decisive" in reply.text.lower()
    assert stand_in.requests == []
