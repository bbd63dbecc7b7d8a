"""Configuration at build time, the manifest, payload translation and Block Kit rendering."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest
import yaml
from aiohttp import web
from slack_sdk.models.blocks import Block

from adapters.service import TurnService
from adapters.slack import BOT_SCOPES, mount
from adapters.slack import events as slack_events
from adapters.slack import render
from adapters.slack.home import home_view
from adapters.wiring import make_advisor
from bot import wording
from bot.engine import recommend
from bot.errors import ConfigurationError
from bot.events import Action
from bot.factors import FACTOR_IDS, FACTORS
from bot.record import decision_record
from bot.replies import Card, ChangeMenu, Document, Option, Question, Text
from tests.slack.conftest import build, make_settings

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "slack" / "manifest.yml"


def _routes(app: web.Application) -> set[str]:
    return {r.resource.canonical for r in app.router.routes() if r.resource is not None}


def test_no_slack_credentials_mounts_nothing(fake_slack, embedded_store, caplog):
    settings = make_settings(fake_slack, "p", SLACK_BOT_TOKEN=None, SLACK_SIGNING_SECRET=None)
    with caplog.at_level(logging.INFO, logger="finetune_advisor.slack"):
        app = web.Application()
        assert mount(app, TurnService(make_advisor(), embedded_store), settings) is None
    assert not any(path.startswith("/slack") for path in _routes(app))
    assert any("Slack is off" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SLACK_SIGNING_SECRET": None}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "  "}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": None, "SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"),
        ({"SLACK_BOT_TOKEN": None, "SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
        # half a configuration is named at start, not Slack silently off
        ({"SLACK_BOT_TOKEN": None}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": None, "SLACK_CLIENT_SECRET": "cs"}, "SLACK_CLIENT_ID is required with SLACK_CLIENT_SECRET"),
        ({"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN"),
    ],
)
def test_missing_settings_fail_at_build_time(fake_slack, embedded_store, overrides, named):
    with pytest.raises(ConfigurationError, match=named):
        build(make_settings(fake_slack, "p", **overrides), embedded_store)


def test_routes_per_mode(fake_slack, embedded_store):
    single = build(make_settings(fake_slack, "p"), embedded_store)
    assert {"/slack/events"} <= _routes(single) and "/slack/install" not in _routes(single)
    oauth = build(make_settings(fake_slack, "p", SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="1.2",
                                SLACK_CLIENT_SECRET="s"), embedded_store)
    assert {"/slack/events", "/slack/install", "/slack/oauth_redirect"} <= _routes(oauth)
    socket_only = build(make_settings(fake_slack, "p", SLACK_SIGNING_SECRET=None, SLACK_APP_TOKEN="xapp-1"),
                        embedded_store)
    assert "/slack/events" not in _routes(socket_only)


def test_manifest_matches_the_code():
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"app_mention", "message.im", "message.channels", "message.groups", "app_home_opened",
                      "app_uninstalled", "tokens_revoked"}
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/finetune" and command["url"].endswith("/slack/events")
    assert manifest["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    assert manifest["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert manifest["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


# --- translation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "action", "typed"),
    [
        ("", Action("start"), None),
        ("start", Action("start"), None),
        ("RESTART", Action("restart"), None),
        ("help", Action("help"), None),
        ("status", Action("status"), None),
        ("ask why does latency matter?", None, "why does latency matter?"),
        ("a chatbot over &lt;private&gt; tickets &amp; emails", None, "a chatbot over <private> tickets & emails"),
    ],
)
def test_slash_command_text(text, action, typed):
    inbound = slack_events.from_command({"team_id": "T1", "channel_id": "C1", "user_id": "U1", "text": text,
                                         "trigger_id": "1.2.3", "response_url": "https://x"})
    assert inbound.event.action == action and inbound.event.text == typed
    assert inbound.event.key.parts() == ("slack", "T1", "C1", "", "U1")
    assert inbound.event.event_id == "1.2.3" and inbound.surface.mode == slack_events.PRIVATE


def test_button_ids_translate_to_core_actions():
    assert slack_events.to_action("answer:latency_critical", "yes") == Action("answer", "latency_critical", "yes")
    assert slack_events.to_action("change:task_scope", "task_scope") == Action("change", "task_scope")
    assert slack_events.to_action("skip", "task_scope") == Action("answer", "task_scope", "unknown")
    for name in ("back", "why_ask", "why", "change", "restart", "record", "start"):
        assert slack_events.to_action(name, "") == Action(name)
    assert slack_events.to_action("something_else", "") is None
    assert slack_events.ACTION_ID.match("answer:training_data") and not slack_events.ACTION_ID.match("answerx")


def test_mention_keys_the_thread_and_strips_the_mention():
    body = {"team_id": "T1", "event_id": "Ev1", "event": {
        "type": "app_mention", "user": "U1", "text": "<@UBOT> we have <https://x.y|docs>", "ts": "5.5",
        "channel": "C1"}}
    inbound = slack_events.from_mention(body, "UBOT")
    assert inbound is not None
    assert inbound.event.key.parts() == ("slack", "T1", "C1", "5.5", "")
    assert inbound.event.text == "we have docs" and inbound.surface.thread_ts == "5.5"


# --- rendering --------------------------------------------------------------------------


def _round_trip(message: render.Message) -> None:
    blocks = list(message.blocks)
    assert 0 < len(blocks) <= render.MAX_BLOCKS
    assert [b.to_dict() for b in Block.parse_all(blocks)] == blocks
    assert message.text and len(message.text) <= render.FALLBACK_CHARS


def test_every_reply_kind_round_trips_within_limits():
    kb = make_advisor().kb
    huge = "word " * 40_000 + "\n" + ("x" * 7000 + "\n") * 30
    _round_trip(render.text_message([Text(huge), Text("<b>&</b>", (recommend({}, kb).citations[:1]))]))
    for factor in FACTORS:
        question = Question(factor.id, wording.QUESTIONS[factor.id],
                            tuple(Option(v, "label " * 30) for v in factor.allowed), 3, preface="p " * 2000)
        _round_trip(render.question_message(question, [Text(huge)], "t:1.2", "hint"))
    menu = ChangeMenu(tuple((f, wording.SHORT_NAMES[f], "a very long current answer " * 5) for f in FACTOR_IDS))
    _round_trip(render.change_menu_message(menu, "d:U1"))
    answer_sets = [{}, {f: FACTORS[i].allowed[0] for i, f in enumerate(FACTOR_IDS)},
                   {f: FACTORS[i].allowed[-2] for i, f in enumerate(FACTOR_IDS)}, {"sensitive_data": "yes"}]
    for answers in answer_sets:
        rec = recommend(answers, kb)
        card = render.card_message(Card(rec), "p:U1", "U1")
        _round_trip(card)
        assert card.metadata is not None and card.metadata["event_payload"]["verdict"] == rec.verdict
        _round_trip(render.record_as_text(decision_record(rec, 1_700_000_000)))
    _round_trip(render.record_as_text(Document("t", "f.md", huge)))
    view = home_view([{"verdict": "avoid", "confidence": "high", "channel": "C1", "at": 1}] * 5, "/finetune")
    blocks = view.to_dict()["blocks"]
    assert [b.to_dict() for b in Block.parse_all(blocks)] == blocks


def test_action_ids_are_unique_within_each_block():
    kb = make_advisor().kb
    question = Question("task_scope", "q", (Option("narrow", "a"), Option("broad", "b"), Option("unknown", "c")), 1)
    messages = [render.question_message(question, [], "p:U1", "h"),
                render.card_message(Card(recommend({}, kb)), "p:U1", "U1"),
                render.change_menu_message(ChangeMenu(tuple((f, f, "x") for f in FACTOR_IDS)), "p:U1")]
    for message in messages:
        block_ids = [b["block_id"] for b in list(message.blocks) if "block_id" in b]
        assert len(block_ids) == len(set(block_ids))
        for block in list(message.blocks):
            if block["type"] == "actions":
                ids = [e["action_id"] for e in block["elements"]]
                assert len(ids) == len(set(ids))


def test_cached_questions_and_cards_are_filled_in_per_conversation():
    """One validated template per content; each conversation gets its own block ids (and the
    card its author), and no stand-in mark is ever sent."""
    kb = make_advisor().kb
    question = Question("task_scope", "Is it narrow?", (Option("narrow", "Narrow"), Option("unknown", "Not sure")), 1)
    a = render.question_message(question, [], "p:UA1", "hint")
    b = render.question_message(question, [], "t:1700000000.000100", "hint")
    ids_a = [x["block_id"] for x in a.blocks if "block_id" in x]
    ids_b = [x["block_id"] for x in b.blocks if "block_id" in x]
    assert ids_a == [slack_events.block_id("p:UA1", t) for t in ("q0", "q1", "qc")]
    assert ids_b == [slack_events.block_id("t:1700000000.000100", t) for t in ("q0", "q1", "qc")]
    strip = lambda m: [{k: v for k, v in x.items() if k != "block_id"} for x in m.blocks]  # noqa: E731
    assert strip(a) == strip(b) and a.text == b.text
    rec = recommend({"task_scope": "narrow", "latency_critical": "yes"}, kb)
    cards_before = len(render._CARDS)  # noqa: SLF001 - the cache under test
    mine = render.card_message(Card(rec), "p:UA1", "UA1")
    theirs = render.card_message(Card(recommend({"task_scope": "narrow", "latency_critical": "yes"}, kb)), "p:UB2", "UB2")
    assert len(render._CARDS) - cards_before <= 1  # noqa: SLF001 - equal recommendations share one template
    assert "<@UA1>" in str(mine.blocks) and "<@UB2>" not in str(mine.blocks)
    assert "<@UB2>" in str(theirs.blocks) and "<@UA1>" not in str(theirs.blocks)
    assert slack_events.block_id("p:UB2", "c") in str(theirs.blocks)
    other = render.card_message(Card(recommend({"sensitive_data": "yes"}, kb)), "p:UA1", "UA1")
    assert other.metadata["event_payload"]["verdict"] != mine.metadata["event_payload"]["verdict"]
    for message in (a, b, mine, theirs, other):
        sent = str(message.args())
        assert render.SCOPE_MARK not in sent and render.OWNER_MARK not in sent
        _round_trip(message)
    with pytest.raises(ValueError, match="block_id"):
        render.question_message(question, [], "p:" + "U" * 300, "hint")


def test_the_message_to_replace_is_no_part_of_a_question_template():
    """In threads every question names the message it replaces; the rendered question is the
    same, so it comes from one template."""
    question = Question("task_scope", "Is it narrow?", (Option("narrow", "Narrow"), Option("unknown", "Not sure")), 2)
    before = render._question_template.cache_info()  # noqa: SLF001 - the cache under test
    first = render.question_message(dataclasses.replace(question, replaces="1700000000.000001"), [], "t:1.2", "hint")
    second = render.question_message(dataclasses.replace(question, replaces="1700000000.000002"), [], "t:1.2", "hint")
    after = render._question_template.cache_info()  # noqa: SLF001
    assert first == second
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


async def test_startup_builds_every_card_the_buttons_can_lead_to(fake_slack, embedded_store):
    from adapters.server import SERVICE
    from bot.questions import decision_tree_ends

    app = build(make_settings(fake_slack, "warm"), embedded_store)
    runner = web.AppRunner(app)
    await runner.setup()  # runs the start-up hooks
    try:
        advisor = app[SERVICE].advisor
        ends = decision_tree_ends()
        recs = [advisor.recommend(answers) for answers in ends]
        assert len(advisor._recommendations) >= len(ends)  # noqa: SLF001 - warmed before traffic
        keys = {(repr(rec), Card(rec).max_flips, True) for rec in recs}
        assert all(key in render._CARDS for key in keys)  # noqa: SLF001
    finally:
        await runner.cleanup()
