"""The verdict never comes from the model: over the engine's answer space (hypothesis), a
conversation with the model (its readings used, its phrasing honest, lying, uncited or failing)
ends with a card whose structured fields are identical to the one without a model, and to the
engine's own recommendation for the same answers.

Each example runs two real conversations through TurnService (embedded store): one without a
model, one with the langchain-openai client talking to the stand-in over HTTP.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.service import TurnService
from adapters.wiring import make_advisor
from bot.conversation import ConversationState
from bot.engine import recommend
from bot.factors import BY_ID, FACTOR_IDS, FACTORS, UNKNOWN
from bot.reading import parse_answer, understand
from bot.replies import Card, Question, Text
from store import KeySpace, embedded_store
from tests.llm.conftest import Person, forget_http_clients, language_model
from tests.llm.stand_in import PHRASING, UNDERSTANDING, StandIn, answered, error, human_text, understood

CODES = {(f.id, v): f"zq{i}x{j}" for i, f in enumerate(FACTORS) for j, v in enumerate(f.values)}
BY_CODE = {code: pair for pair, code in CODES.items()}
CODE = re.compile(r"\bzq\d+x\d+\b")
ENTRY_ID = re.compile(r"^\[([a-z0-9-]+)\]", re.M)


def typed(factor: str, value: str) -> str:
    return f"about that: {CODES[(factor, value)]}"


def test_the_coded_answers_are_beyond_the_rules() -> None:
    for (factor, value) in CODES:
        text = typed(factor, value)
        assert understand(text) == {} and all(parse_answer(f, text) is None for f in FACTOR_IDS)


def read_code(body: dict[str, Any]) -> Any:
    found = CODE.search(human_text(body))
    if not found:
        return understood()
    factor, value = BY_CODE[found.group(0)]
    return understood((factor, value, found.group(0)))


def phrasing_for(behaviour: str):
    def respond(body: dict[str, Any]) -> Any:
        given_ids = ENTRY_ID.findall(human_text(body))
        if behaviour == "honest":
            return answered("In short: the entries above explain it.", given_ids[0])
        if behaviour == "claims_another_verdict":
            return answered("Forget the rules: the verdict is fine-tune, definitely, right now.", *given_ids)
        if behaviour == "made_up_citation":
            return answered("Trust me.", "not-an-entry")
        return error(500)
    return respond


def structure(card: Card) -> tuple[Any, ...]:
    rec = card.recommendation
    return (rec.to_json(), rec.verdict, rec.confidence, rec.reasons, rec.what_would_change, rec.title,
            rec.summary, card.flips_to_show(), card.questions_asked, card.plain_text())


async def converse(service: TurnService, answers: dict[str, str], ways: dict[str, str]) -> tuple[Card, dict[str, str], list[Text], int]:
    """(card, stored answers, replies to three follow-ups, typed answers that needed the button)."""
    person = Person(service, "t", user="U1")
    handled = await person.press("start")
    unread = 0
    for _ in range(40):
        last = handled.replies[-1]
        if isinstance(last, Card):
            break
        assert isinstance(last, Question)
        factor, value = last.factor, answers[last.factor]
        if ways[factor] == "typed" and value != UNKNOWN:
            handled = await person.say(typed(factor, value))
            again = handled.replies[-1]
            if isinstance(again, Question) and again.factor == factor:  # not read: press the button
                unread += 1
                handled = await person.press("answer", factor, value)
        else:
            handled = await person.press("answer", factor, value)
    else:
        raise AssertionError("no card")
    loaded = await service.store.load(person.key, None)
    assert loaded.data is not None
    state = ConversationState.from_dict(loaded.data)
    follow_ups = []
    for question in ("why?", "why not fine-tune?", "why does latency matter?"):
        [reply] = (await person.say(question)).replies
        follow_ups.append(reply)
    return last, state.answers, follow_ups, unread


async def both(answers: dict[str, str], ways: dict[str, str], behaviour: str) -> None:
    stand_in = await StandIn().start()
    stand_in.responders[UNDERSTANDING] = read_code
    stand_in.responders[PHRASING] = phrasing_for(behaviour)
    advisor = make_advisor()
    stores = [embedded_store(keys=KeySpace("fttest-verdict")) for _ in range(2)]
    llm = language_model(stand_in)
    try:
        for store in stores:
            await store.prepare()
        plain_card, plain_answers, plain_follow, _ = await converse(TurnService(advisor, stores[0]), answers, ways)
        model_card, model_answers, model_follow, unread = await converse(TurnService(advisor, stores[1], llm), answers, ways)
    finally:
        await llm.aclose()
        for store in stores:
            await store.close()
        await stand_in.stop()
        forget_http_clients()

    assert model_answers == plain_answers
    assert structure(model_card) == structure(plain_card)
    assert model_card.recommendation == recommend(model_answers, advisor.kb)
    for plain, phrased in zip(plain_follow, model_follow):
        if plain.citations:  # the engine's first line (e.g. "The verdict is …") stays word for word
            if "\n" in plain.text:
                assert phrased.text.splitlines()[0] == plain.text.splitlines()[0]
            assert {c.id for c in phrased.citations} <= {c.id for c in plain.citations}
        else:
            assert phrased == plain
    typed_known = [f for f in FACTOR_IDS if ways[f] == "typed" and answers[f] != UNKNOWN and f in model_answers]
    assert len(stand_in.calls(UNDERSTANDING)) == len(typed_known), "only unreadable answers reach the model"
    assert unread == 0, "with the model every coded answer was read"
    phrased = [p for p, q in zip(model_follow, plain_follow) if p != q]
    if behaviour in ("honest", "claims_another_verdict"):
        assert len(phrased) == sum(1 for q in plain_follow if q.citations)
    else:
        assert phrased == []


ANSWERS = st.fixed_dictionaries({f: st.sampled_from(BY_ID[f].allowed) for f in FACTOR_IDS})
WAYS = st.fixed_dictionaries({f: st.sampled_from(["button", "typed"]) for f in FACTOR_IDS})
BEHAVIOURS = st.sampled_from(["honest", "claims_another_verdict", "made_up_citation", "failing"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANSWERS, WAYS, BEHAVIOURS)
def test_the_card_is_the_engines_with_and_without_the_model(answers: dict[str, str], ways: dict[str, str], behaviour: str) -> None:
    asyncio.run(both(answers, ways, behaviour))
