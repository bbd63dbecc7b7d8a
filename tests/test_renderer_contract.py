"""The renderer contract (issue 17): every renderer by every reply kind.

Renderers: Slack Block Kit, Teams Adaptive Card (and Teams text messages), the rich terminal,
plain text and Markdown. Reply kinds: question, card, details, notice, record. For each pair:

* within the platform's limits (Block Kit validated by slack_sdk, at most 50 blocks and the card
  at most 15; Adaptive Card 1.5 schema and Teams' 28 KB; the fully answered card in 20 lines at
  80 columns in the terminal);
* everything the view puts on show is there: the verdict, every shown reason, step, change and
  citation (everything, for details and the record);
* the verdict, the key reason and the first next step are read first, in that order;
* what each client really shows: no backticks and no raw angle brackets in Teams text, no
  ``#`` heading or single line break between paragraphs in a Teams text message, a readable
  headline colour, labels not factor ids in the change menu;
* every button maps back to the core action its label promises, through the platform's own
  inbound code (Slack ``events.from_action``, Teams ``events.to_event``, the terminal's
  ``command_action``); the core then answers the card's buttons with the right reply kind.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest
from rich.console import Console

from adapters.slack import events as slack_events
from adapters.slack import render as slack
from adapters.teams import cards as teams
from adapters.teams import events as teams_events
from adapters.terminal import render as terminal_render
from adapters.terminal_card import command_action
from adapters.wiring import make_advisor
from bot import answers as answering
from bot import wording
from bot.card_markdown import reply_markdown
from bot.card_wording import card_wording
from bot.engine import Recommendation, recommend
from bot.events import Action, ConversationKey, InboundEvent
from bot.factors import FACTORS, UNKNOWN
from bot.record import decision_record
from bot.replies import Card, ChangeMenu, Details, Document, Option, Question, Reply, Text
from tests.teams.conftest import ADA, Activities
from tests.teams.test_cards import assert_message as assert_teams_message

RENDERERS = ("slack", "teams", "terminal", "plain", "markdown")
KINDS = ("question", "card", "details", "notice", "record")
SLACK_CARD_BLOCKS = 15
TERMINAL_LINES, TERMINAL_COLUMNS = 20, 80
OWNER = "U0OWNER1"
SCOPE = f"p:{OWNER}"


# --- samples ------------------------------------------------------------------------------------


def fully_answered(seed: int, count: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [{f.id: rng.choice(f.values) for f in FACTORS} for _ in range(count)]


FULL_CASE = {f.id: f.values[0] for f in FACTORS}  # the "fully answered case"
ANSWER_SETS: list[dict[str, str]] = [
    FULL_CASE,
    {},
    {"sensitive_data": "yes"},
    {"task_scope": "broad", "context_size": "fits", "latency_critical": "no", "domain_knowledge": "no"},
    {"latency_critical": "yes", "alternatives_tried": "partly"},
    FULL_CASE | {"hosted_cost_sensitive": "no", "needs_vendor_guardrails": "no"},
    *fully_answered(17, 6),
]


@cache
def recommendations() -> tuple[Recommendation, ...]:
    kb = make_advisor().kb
    return tuple(recommend(a, kb) for a in ANSWER_SETS)


def questions() -> list[Question]:
    out = []
    for i, factor in enumerate(FACTORS):
        options = tuple(Option(v, wording.option_label(factor.id, v)) for v in factor.allowed)
        preface = wording.REASK if i % 3 == 0 else ""
        out.append(Question(factor.id, wording.QUESTIONS[factor.id], options, number=i + 1, preface=preface, why="Because."))
    return out


def samples(kind: str) -> list[tuple[Reply, Recommendation | None]]:
    """(reply, the recommendation it shows, if any)."""
    if kind == "question":
        return [(q, None) for q in questions()]
    recs = recommendations()
    if kind == "card":
        return [(Card(r), r) for r in recs]
    if kind == "details":
        return [(Details(r), r) for r in recs]
    if kind == "record":
        return [(decision_record(r, 1_700_000_000), r) for r in recs]
    kb = make_advisor().kb
    notices: list[Reply] = [Text(wording.HELP), Text(wording.STATUS_NONE), Text(wording.UNDERSTOOD_INTRO)]
    notices += [answering.why_verdict(r, kb) for r in recs[:4]]
    notices.append(ChangeMenu(tuple((f.id, wording.SHORT_NAMES[f.id], wording.option_label(f.id, f.values[0])) for f in FACTORS)))
    return [(n, None) for n in notices]


# --- what a renderer produced -----------------------------------------------------------------------


@dataclass
class Rendered:
    read: list[str]  # what a person reads, in reading order
    buttons: list[tuple[str, Action | None]] = field(default_factory=list)  # (label, core action it reaches)
    raw: Any = None

    @property
    def flat(self) -> str:
        """Everything a person reads, buttons included, whitespace normalised."""
        return normalize(" ".join([*self.read, *(label for label, _ in self.buttons)]))


def normalize(text: str) -> str:
    return " ".join(text.split())


def _walk(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


# Slack ---------------------------------------------------------------------------------------------


def slack_press(block: dict[str, Any], element: dict[str, Any]) -> Action | None:
    """The core action a press of ``element`` reaches through Slack's own inbound code."""
    body = {
        "type": "block_actions",
        "user": {"id": OWNER, "team_id": "T1"},
        "team": {"id": "T1"},
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": "C1", "is_ephemeral": False},
        "channel": {"id": "C1"},
        "message": {"ts": "1700000000.000100", "blocks": []},
        "response_url": "https://hooks.slack.invalid/actions/1",
        "actions": [{
            "action_id": element["action_id"], "block_id": block["block_id"], "type": "button",
            "value": element.get("value", ""), "action_ts": "1700000001.000200",
        }],
    }
    inbound = slack_events.from_action(body)
    if inbound is None:
        return None
    assert inbound.event.key.user == OWNER  # the press reaches the owner's conversation
    return inbound.event.action


def slack_rendered(message: slack.Message, limit: int = slack.MAX_BLOCKS) -> Rendered:
    assert message.text.strip() and len(message.text) <= slack.FALLBACK_CHARS
    assert 0 < len(message.blocks) <= limit, f"{len(message.blocks)} blocks, limit {limit}"
    read: list[str] = []
    buttons: list[tuple[str, Action | None]] = []
    for block in message.blocks:
        if block["type"] == "actions":
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids)), "action ids must be unique within a block"
            buttons += [(e["text"]["text"], slack_press(block, e)) for e in block["elements"]]
            continue
        texts: list[str] = []
        _walk(block, lambda n: texts.append(n["text"]) if isinstance(n.get("text"), str) and n.get("type") in ("mrkdwn", "plain_text") else None)
        read += texts
    for text in read:  # Slack escapes & < >: a raw bracket may only open Slack's own tokens
        assert not re.search(r"<(?![@#!])", text), text
    return Rendered(read, buttons, message)


def render_slack(reply: Reply) -> Rendered:
    if isinstance(reply, Question):
        return slack_rendered(slack.question_message(reply, [], SCOPE, "Or type `/finetune <your answer>`."))
    if isinstance(reply, Card):
        return slack_rendered(slack.card_message(reply, SCOPE, OWNER), SLACK_CARD_BLOCKS)
    if isinstance(reply, Details):
        return slack_rendered(slack.details_message(reply, SCOPE, OWNER))
    if isinstance(reply, ChangeMenu):
        return slack_rendered(slack.change_menu_message(reply, SCOPE))
    if isinstance(reply, Document):
        return slack_rendered(slack.record_as_text(reply))
    return slack_rendered(slack.text_message([reply]))


# Teams ---------------------------------------------------------------------------------------------

ACTIVITIES = Activities("http://127.0.0.1:9/teams")
PERSONAL = ACTIVITIES.personal(ADA, "start")


def teams_press(data: dict[str, Any]) -> Action | None:
    event = teams_events.to_event(teams_events.parse_activity(ACTIVITIES.submit(ADA, PERSONAL, data, "card-1")))
    return None if event is None else event.action


def teams_card_read(card: dict[str, Any]) -> tuple[list[str], list[tuple[str, Action | None]]]:
    read: list[str] = []
    buttons: list[tuple[str, Action | None]] = []

    def visit(node: dict[str, Any]) -> None:
        kind = node.get("type")
        if kind == "TextBlock":
            read.append(node["text"])
            assert node.get("color") != "Warning", "yellow on white is hard to read"
        elif kind == "FactSet":
            read.extend(f"{f['title']}: {f['value']}" for f in node["facts"])
        elif kind == "Action.Submit":
            buttons.append((node["title"], teams_press(node["data"])))
        elif kind == "Action.ShowCard":  # opened by the client: the details, with no round trip
            buttons.append((node["title"], Action("details")))
        elif kind == "Action.ToggleVisibility":
            buttons.append((node["title"], None))

    _walk(card, visit)
    for text in read:
        assert "`" not in text, f"Adaptive Card text has no code spans: {text!r}"
        assert "<" not in text and ">" not in text, f"raw angle brackets: {text!r}"
    return read, buttons


def teams_text_checks(text: str) -> None:
    assert "`" not in text and "<" not in text and ">" not in text, text
    lines = text.split("\n")
    assert not any(line.lstrip().startswith("#") for line in lines), "no # headings in a text-only message"
    item = re.compile(r"^\s*(?:[-*•]|\d+\.)\s")
    for before, after in zip(lines, lines[1:]):
        if before.strip() and after.strip():  # a single line break: Teams joins the two lines
            assert item.match(before) and item.match(after), f"lost line break between {before!r} and {after!r}"


def render_teams(reply: Reply) -> Rendered:
    message = teams.render(reply, ADA.aad)
    assert len(json.dumps(message).encode()) < 28 * 1024
    if "attachments" not in message:
        teams_text_checks(message["text"])
        return Rendered([message["text"]], [], message)
    card = assert_teams_message(message)
    read, buttons = teams_card_read(card)
    return Rendered(read, buttons, card)


# Terminal, plain text, Markdown -------------------------------------------------------------------


def render_terminal(reply: Reply) -> Rendered:
    console = Console(width=TERMINAL_COLUMNS, record=True, file=open("/dev/null", "w"), color_system=None)  # noqa: SIM115
    console.print(terminal_render(reply))
    text = console.export_text()
    shown = re.sub(r"[│╭╮╰╯─]", " ", text)  # a panel's frame is no part of the words
    buttons: list[tuple[str, Action | None]] = []
    if isinstance(reply, Card):  # the card's hint names the terminal's own command
        assert "details" in text
        buttons.append(("Details", command_action("details")))
    return Rendered([shown], buttons, text)


def render_plain(reply: Reply) -> Rendered:
    return Rendered([reply.plain_text()])


def render_markdown(reply: Reply) -> Rendered:
    return Rendered([reply_markdown(reply)])


RENDER = {"slack": render_slack, "teams": render_teams, "terminal": render_terminal, "plain": render_plain, "markdown": render_markdown}


def shows(renderer: str, text: str) -> str:
    """``text`` as the renderer writes it (Slack escapes, Teams drops code spans), normalised."""
    if renderer == "slack":
        text = slack.escape(text)
    elif renderer == "teams":
        text = teams.teams_text(text)
    return normalize(text)


# --- what each button must reach ----------------------------------------------------------------------


def expected_actions(reply: Reply) -> dict[str, Action]:
    """By label: what pressing that button must do, as the label promises."""
    labels = wording.BUTTON_LABELS
    if isinstance(reply, Question):
        expected = {o.label: Action("answer", factor=reply.factor, value=o.value) for o in reply.options}
        expected[labels["skip"]] = Action("answer", factor=reply.factor, value=UNKNOWN)
        expected[labels["back"]] = Action("back", factor=reply.factor)
        expected[labels["why_ask"]] = Action("why_ask", factor=reply.factor)
        return expected
    if isinstance(reply, Card | Details):
        expected = {labels[n]: Action(n) for n in ("why", "change", "restart", "record")}
        if isinstance(reply, Card):  # once open, the details have no Details button
            expected[card_wording().labels["details"]] = Action("details")
        return expected
    if isinstance(reply, ChangeMenu):
        return {reply.entry(name, current): Action("change", factor=f) for f, name, current in reply.choices}
    return {}


# --- the contract ----------------------------------------------------------------------------------


def check_shown(renderer: str, reply: Reply, rec: Recommendation | None, out: Rendered) -> None:
    flat = out.flat
    if isinstance(reply, Question):
        assert shows(renderer, reply.text) in flat
        for option in reply.options:
            assert shows(renderer, option.label) in flat
        return
    if isinstance(reply, Card):
        view = reply.view
        first = [view.headline, *(r.text for r in view.reasons[:1]), *view.next_steps[:1]]
        positions = [flat.find(shows(renderer, t)) for t in first]
        assert all(p >= 0 for p in positions), (renderer, first, flat[:400])
        assert positions == sorted(positions), "the verdict, the key reason and the first next step are read first"
        for text in [view.why, *(r.text for r in view.reasons), *view.next_steps, view.would_change]:
            if text:
                assert shows(renderer, text) in flat, (renderer, text)
        for citation in view.sources:
            assert shows(renderer, citation.title) in flat, (renderer, citation.title)
        if renderer in ("slack", "teams", "terminal"):  # a key reason is marked as such
            for reason in view.key_reasons:
                assert card_wording().labels["decided"] in flat
        return
    if isinstance(reply, Details | Document):
        assert rec is not None
        assert shows(renderer, rec.title) in flat
        for reason in rec.reasons:
            assert shows(renderer, reason.text) in flat, (renderer, reason.text)
        for step in rec.next_steps:
            assert shows(renderer, step) in flat
        for citation in rec.citations:
            assert shows(renderer, citation.title) in flat, (renderer, citation.title)
        if isinstance(reply, Details):
            for change in reply.view.details.changes:
                assert shows(renderer, change.sentence) in flat
        return
    if isinstance(reply, ChangeMenu):
        for f, name, current in reply.choices:
            assert shows(renderer, reply.entry(name, current)) in flat
            if renderer != "plain" and "_" in f:
                assert f not in flat, f"the change menu shows labels, not ids like {f}"
        return
    assert isinstance(reply, Text)
    for citation in reply.citations:
        assert shows(renderer, citation.title) in flat



@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("renderer", RENDERERS)
def test_renderer_contract(renderer: str, kind: str) -> None:
    for reply, rec in samples(kind):
        out = RENDER[renderer](reply)
        assert out.flat, (renderer, kind)
        check_shown(renderer, reply, rec, out)
        expected = expected_actions(reply)
        for label, action in out.buttons:
            assert label in expected, f"{renderer} {kind}: a button {label!r} with no promised action"
            assert action == expected[label], f"{renderer} {kind}: {label!r} reached {action}, not {expected[label]}"
        teams_details = renderer == "teams" and isinstance(reply, Details)  # a card of its own, no buttons
        if renderer in ("slack", "teams") and expected and not teams_details:
            assert {label for label, _ in out.buttons} == set(expected), f"{renderer} {kind}: missing buttons"


@pytest.mark.parametrize("sample", [
    "example",
    pytest.param("sampled", marks=pytest.mark.xfail(strict=True, reason=(
        "issue 17 open: since the article-based rules (issue 15) landed, their longer summaries, reasons "
        "and steps put ~15% of fully answered cases at 21-23 terminal lines; the texts need shortening"))),
])
def test_the_fully_answered_card_fits_the_targets(sample: str) -> None:
    """20 lines at 80 columns in the terminal, at most 15 Slack blocks, and ``recommend --format
    text`` is exactly the face (``Card.plain_text``), for every fully answered case sampled."""
    kb = make_advisor().kb
    for answers in [FULL_CASE] if sample == "example" else fully_answered(3, 60):
        card = Card(recommend(answers, kb))
        lines = render_terminal(card).raw.rstrip("\n").split("\n")
        assert len(lines) <= TERMINAL_LINES, f"{len(lines)} lines for {answers}"
        assert all(len(line.rstrip()) <= TERMINAL_COLUMNS for line in lines)
        assert len(slack.card_message(card, SCOPE, OWNER).blocks) <= SLACK_CARD_BLOCKS
        assert len(card.view.reasons) <= 3 and len(card.view.key_reasons) <= 2 and len(card.view.next_steps) <= 3


def test_the_core_answers_each_card_button_with_its_reply_kind() -> None:
    """Finish an assessment through the core, then press every card button as Slack and Teams
    deliver it: Details gives the details, Why? a text, Change a menu, the record a document."""
    advisor = make_advisor()
    key = ConversationKey("slack", "T1", "C1", "", OWNER)
    state, replies = advisor.step(None, InboundEvent(key=key, user=OWNER, event_id="e0", action=Action("start")), 0.0)
    for i in range(1, 30):  # answer each question asked from the fully answered case, until the card
        question = next((r for r in replies if isinstance(r, Question)), None)
        if question is None:
            break
        answer = Action("answer", factor=question.factor, value=FULL_CASE[question.factor])
        state, replies = advisor.step(state, InboundEvent(key=key, user=OWNER, event_id=f"e{i}", action=answer), 0.0)
    card = next(r for r in replies if isinstance(r, Card))
    reached = {label: action for label, action in render_slack(card).buttons}
    assert reached == {label: action for label, action in render_teams(card).buttons}
    kinds = {"details": Details, "why": Text, "change": ChangeMenu, "record": Document}
    for label, action in reached.items():
        assert action is not None
        _, answer = advisor.step(state, InboundEvent(key=key, user=OWNER, event_id=f"press-{label}", action=action), 1.0)
        if action.name in kinds:
            assert any(isinstance(r, kinds[action.name]) for r in answer), (label, answer)
    details = next(r for r in advisor.step(state, InboundEvent(key=key, user=OWNER, event_id="d", action=Action("details")), 1.0)[1])
    assert isinstance(details, Details) and details.recommendation == card.recommendation
