"""Understanding through the model: the description and answers the rules cannot read.

Every flow runs through the real TurnService (embedded store) and the real langchain-openai
client talking HTTP to the stand-in.
"""

from __future__ import annotations

import pytest

from bot import wording
from bot.conversation import ConversationState
from bot.events import Hint, InboundEvent
from bot.reading import parse_answer, understand
from bot.replies import Question, Text
from tests.llm.conftest import Person
from tests.llm.stand_in import UNDERSTANDING, human_text, understood

LOOSE_LATENCY = "people lose patience if the thing makes them wait around"
LOOSE_CONTEXT = "our playbook runs to forty pages and the model keeps forgetting parts of it"
LOOSE_DATA = "the old helpdesk export holds everything our agents ever typed back"


def test_the_sample_texts_are_beyond_the_rules() -> None:
    for text in (LOOSE_LATENCY, LOOSE_CONTEXT, LOOSE_DATA):
        assert understand(text) == {}
        assert parse_answer("sensitive_data", text) is None


async def stored(person: Person) -> ConversationState:
    loaded = await person.service.store.load(person.key, None)
    assert loaded.data is not None
    return ConversationState.from_dict(loaded.data)


async def test_a_description_is_understood_through_the_model(with_model, stand_in, thread) -> None:
    stand_in.prepare(UNDERSTANDING, understood(
        ("latency_critical", "yes", "people lose patience"),
        ("context_size", "too_big", "playbook runs to forty pages"),
    ))
    person = Person(with_model(), thread)
    handled = await person.say(f"{LOOSE_LATENCY}, and {LOOSE_CONTEXT}")

    assert handled.outcome == "ok" and handled.hints == 2
    shown = handled.replies[0]
    assert isinstance(shown, Text) and shown.text.startswith(wording.UNDERSTOOD_INTRO)
    assert '- Latency critical: Yes (from "people lose patience")' in shown.text
    assert "- Context size: It doesn't fit (from \"playbook runs to forty pages\")" in shown.text
    assert isinstance(handled.replies[-1], Question)
    assert handled.replies[-1].factor not in ("latency_critical", "context_size")
    state = await stored(person)
    assert state.answers == {"context_size": "too_big", "latency_critical": "yes"}

    [request] = stand_in.calls(UNDERSTANDING)
    assert LOOSE_LATENCY in human_text(request)
    assert request["model"] == "gpt-4o-mini" and request["temperature"] == 0


async def test_what_the_model_understood_can_be_corrected(with_model, stand_in, thread) -> None:
    stand_in.prepare(UNDERSTANDING, understood(("latency_critical", "yes", "people lose patience")))
    person = Person(with_model(), thread)
    await person.say(LOOSE_LATENCY)
    handled = await person.say("change latency")
    assert isinstance(handled.replies[-1], Question) and handled.replies[-1].factor == "latency_critical"
    await person.press("answer", "latency_critical", "no")
    assert (await stored(person)).answers["latency_critical"] == "no"


async def test_an_answer_the_rules_cannot_read_is_read_by_the_model(with_model, stand_in, thread) -> None:
    person = Person(with_model(), thread)
    first = await person.press("start")
    pending = first.replies[-1]
    assert isinstance(pending, Question)
    assert stand_in.requests == []  # a button press never reaches the model

    words = "honestly that part sits on a spreadsheet nobody looked at"
    value = next(v for v in pending.options if v.value != "unknown").value
    stand_in.prepare(UNDERSTANDING, understood((pending.factor, value, "sits on a spreadsheet")))
    handled = await person.say(words)

    [request] = stand_in.calls(UNDERSTANDING)
    assert f"(factor {pending.factor})" in human_text(request) and words in human_text(request)
    assert isinstance(handled.replies[0], Text) and "from \"sits on a spreadsheet\"" in handled.replies[0].text
    assert (await stored(person)).answers[pending.factor] == value


async def test_text_the_rules_read_never_reaches_the_model(with_model, stand_in, thread) -> None:
    person = Person(with_model(), thread)
    await person.say("hello")
    await person.say("no")  # an answer the rules read
    await person.say("skip")  # a command
    await person.say("our replies must feel instant and the data has customer emails")  # a description the rules read
    assert stand_in.calls(UNDERSTANDING) == []


async def test_readings_outside_the_contract_or_the_text_are_dropped(with_model, without_model, stand_in, thread) -> None:
    stand_in.prepare(UNDERSTANDING, understood(
        ("training_data", "bogus_value", "the old helpdesk export"),  # not a value of the factor
        ("made_up_factor", "yes", "the old helpdesk export"),  # not a factor
        ("latency_critical", "unknown", "the old helpdesk export"),  # unknown is never a hint
        ("domain_knowledge", "yes", "words the user never wrote"),  # evidence not in the text
        ("task_scope", "narrow", "helpdesk export"), ("task_scope", "broad", "everything our agents ever typed"),  # disagree
    ))
    with_llm = await Person(with_model(), thread).say(LOOSE_DATA)
    plain = await Person(without_model, thread + "-plain").say(LOOSE_DATA)
    assert len(stand_in.calls(UNDERSTANDING)) == 1
    assert [r.plain_text() for r in with_llm.replies] == [r.plain_text() for r in plain.replies]
    assert with_llm.replies[1] == Text(wording.NOTHING_UNDERSTOOD)


async def test_the_json_schema_shape_works_too(with_model, stand_in, thread) -> None:
    stand_in.prepare(UNDERSTANDING, understood(("training_data", "have_pairs", "helpdesk export holds everything")))
    handled = await Person(with_model("json_schema"), thread).say(LOOSE_DATA)
    [request] = stand_in.calls(UNDERSTANDING)
    assert request["response_format"]["type"] == "json_schema" and "tools" not in request
    assert handled.hints == 1 and "(from \"helpdesk export holds everything\")" in handled.replies[0].plain_text()


async def test_someone_elses_words_in_a_thread_are_not_read(with_model, stand_in, thread) -> None:
    service = with_model()
    await Person(service, thread).press("start")
    await Person(service, thread, user="U2", owner="U1").say(LOOSE_LATENCY)
    assert stand_in.calls(UNDERSTANDING) == []


# --- the pure core with hints ------------------------------------------------------------


def test_hints_are_checked_against_the_factor_contract() -> None:
    Hint("latency_critical", "yes", "wait around")
    for factor, value, evidence in (
        ("latency", "yes", "x"), ("latency_critical", "unknown", "x"), ("latency_critical", "maybe", "x"),
        ("latency_critical", "yes", " "), ("latency_critical", "yes", "x" * 201),
    ):
        with pytest.raises(ValueError):
            Hint(factor, value, evidence)


def test_hints_go_with_text_events_only() -> None:
    from bot.events import Action, ConversationKey

    key = ConversationKey("test", "T", "C", "", "U")
    with pytest.raises(ValueError):
        InboundEvent(key, "U", "e", action=Action("start"), hints=(Hint("latency_critical", "yes", "x"),))
    with pytest.raises(ValueError):
        InboundEvent(key, "U", "e", text="x", hints=[Hint("latency_critical", "yes", "x")])  # type: ignore[arg-type]


def test_the_rules_come_first() -> None:
    from adapters.wiring import make_advisor
    from bot.events import ConversationKey

    advisor = make_advisor()
    key = ConversationKey("test", "T", "C", "", "U")
    text = "our replies must feel instant"  # the rules read latency_critical = yes
    event = InboundEvent(key, "U", "e", text=text, hints=(Hint("latency_critical", "no", "replies must feel instant"),))
    assert advisor.reading_wanted(None, InboundEvent(key, "U", "e", text=text), 0.0) is None
    state, _ = advisor.step(None, event, 0.0)
    assert state.answers["latency_critical"] == "yes"


def test_step_is_deterministic_with_hints() -> None:
    from adapters.wiring import make_advisor
    from bot.events import ConversationKey

    advisor = make_advisor()
    key = ConversationKey("test", "T", "C", "", "U")
    event = InboundEvent(key, "U", "e", text=LOOSE_LATENCY, hints=(Hint("latency_critical", "yes", "People lose  PATIENCE"),))
    wanted = advisor.reading_wanted(None, InboundEvent(key, "U", "e", text=LOOSE_LATENCY), 0.0)
    assert wanted is not None and wanted.pending is None and wanted.text == LOOSE_LATENCY
    first, second = advisor.step(None, event, 5.0), advisor.step(None, event, 5.0)
    assert first == second
    assert first[0].answers == {"latency_critical": "yes"}
    assert '(from "People lose PATIENCE")' in first[1][0].plain_text()


def test_a_short_opening_is_not_worth_a_reading() -> None:
    from adapters.wiring import make_advisor
    from bot.events import ConversationKey

    key = ConversationKey("test", "T", "C", "", "U")
    advisor = make_advisor()
    assert advisor.reading_wanted(None, InboundEvent(key, "U", "e", text="ok thanks"), 0.0) is None
    assert advisor.reading_wanted(None, InboundEvent(key, "U", "e", text="why does latency matter?"), 0.0) is None
    assert advisor.reading_wanted(None, InboundEvent(key, "U", "e", text="skip"), 0.0) is None
