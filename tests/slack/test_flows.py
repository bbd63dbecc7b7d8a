"""Whole conversations over real HTTP: slash command, @mention thread, direct message."""

from __future__ import annotations

import pytest

from bot import wording
from bot.factors import FACTOR_IDS
from tests.slack.drive import answer_buttons, button, click_through, factor_of, idle, is_card, type_in_thread
from tests.slack.payloads import dm, mention

ROOT = "1700000100.000100"


@pytest.mark.redis
async def test_slash_command_runs_a_whole_assessment_to_the_card(fake_slack, serve, redis_store):
    run = await serve(redis_store)
    reply = await run.sender.command("", respond="start")
    assert (reply.status, reply.text) == (200, "")
    assert reply.elapsed < 3
    first = (await fake_slack.wait_count("response_url", 1, path="start"))[0]
    assert first.args["response_type"] == "ephemeral"
    assert first.text.startswith(wording.WELCOME[:20])
    assert {"skip", "back", "why_ask"} <= set(first.action_ids())
    assert all(b["block_id"].startswith("ft:p:U1:") for b in first.buttons())

    card, pressed, retired = await click_through(run, fake_slack, first)

    assert card.args["response_type"] == "in_channel" and card.args["replace_original"] is False
    meta = card.metadata
    assert meta["event_type"] == "finetune_recommendation"
    assert meta["event_payload"]["verdict"] in wording.VERDICT_TITLES
    answers = meta["event_payload"]["answers"]
    assert set(answers) == set(FACTOR_IDS)
    assert all(answers[f] == v for f, v in pressed.items())
    assert card.blocks[0]["type"] == "header"
    assert wording.VERDICT_TITLES[meta["event_payload"]["verdict"]] in card.blocks[0]["text"]["text"]
    assert {"why", "change", "restart", "record"} <= set(card.action_ids())
    assert card.text.startswith("Recommendation:")
    assert "<@U1>" in str(card.blocks)
    # the last question message was retired in place: no buttons left on it
    assert retired.args["replace_original"] is True and not retired.action_ids()
    # nothing was posted with chat.postMessage: the bot need not be in the channel
    assert not fake_slack.of("chat.postMessage")


async def test_slash_subcommands(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    for text, name in (("status", "s"), ("help", "h"), ("ask why does latency matter?", "a")):
        await run.sender.command(text, respond=name)
    await idle(run)
    assert fake_slack.responses("s")[0].text == wording.STATUS_NONE
    assert fake_slack.responses("h")[0].text.startswith(wording.HELP[:30])
    asked = fake_slack.responses("a")[0]
    assert "Sources:" in asked.text and asked.args["response_type"] == "ephemeral"
    await run.sender.command("restart", respond="r")
    await idle(run)
    restarted = fake_slack.responses("r")[0]
    assert restarted.text.startswith(wording.RESTARTED) and factor_of(restarted)
    # a description pre-fills answers and asks only the rest
    await run.sender.command("a support bot over tickets with names and emails, must answer in under a second",
                             user="U7", respond="d")
    await idle(run)
    described = fake_slack.responses("d")[0]
    assert wording.UNDERSTOOD_INTRO[:20] in described.text


@pytest.mark.redis
async def test_mention_thread_typed_answers_why_and_decision_record(fake_slack, serve, redis_store):
    run = await serve(redis_store)
    await run.sender.event(mention("", ts=ROOT))  # a bare mention starts
    await idle(run)
    (question,) = fake_slack.of("chat.postMessage")
    assert question.args["thread_ts"] == ROOT and question.args["channel"] == "C1"
    assert all(b["block_id"].startswith(f"ft:t:{ROOT}:") for b in question.buttons())

    card = None
    for _ in range(20):
        calls = await type_in_thread(run, fake_slack, "1", root=ROOT)
        posted = [c for c in calls if c.method == "chat.postMessage"]
        if posted and is_card(posted[0]):
            card = posted[0]
            break
        (update,) = [c for c in calls if c.method == "chat.update"]
        assert update.args["ts"] == question.ts  # the question message updates in place
        assert factor_of(update)
    assert card is not None
    assert card.args["thread_ts"] == ROOT
    assert card.metadata["event_payload"]["verdict"] in wording.VERDICT_TITLES
    retired = [c for c in fake_slack.of("chat.update") if not c.action_ids()]
    assert retired and retired[-1].args["ts"] == question.ts

    calls = await type_in_thread(run, fake_slack, "why?", root=ROOT)
    (why,) = [c for c in calls if c.method == "chat.postMessage"]
    assert why.args["thread_ts"] == ROOT and "Sources:" in why.text

    record = button(card, "record")
    await run.sender.action("record", block_id=record["block_id"], message_ts=card.ts, thread_ts=ROOT)
    await idle(run)
    (complete,) = fake_slack.of("files.completeUploadExternal")
    assert complete.args["channel_id"] == "C1" and complete.args["thread_ts"] == ROOT
    (upload,) = fake_slack.of("upload")
    verdict = card.metadata["event_payload"]["verdict"]
    assert wording.VERDICT_TITLES[verdict].encode() in upload.args["body"]
    assert fake_slack.of("files.getUploadURLExternal")[0].args["filename"].endswith(".md")


async def test_direct_message_conversation_with_buttons(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    await run.sender.event(dm("hi"))
    await idle(run)
    (question,) = fake_slack.of("chat.postMessage")
    assert question.args["channel"] == "D1" and "thread_ts" not in question.args
    first = answer_buttons(question)[0]
    assert first["block_id"].startswith("ft:d:U1:")
    await run.sender.action(first["action_id"], first["value"], block_id=first["block_id"], channel="D1",
                            message_ts=question.ts, respond="b1")
    await idle(run)
    (replaced,) = fake_slack.responses("b1")
    assert replaced.args["replace_original"] is True and factor_of(replaced) != factor_of(question)
    # a typed answer now updates the same message in place
    before = len(fake_slack.calls)
    await run.sender.event(dm("2"))
    await idle(run)
    (update,) = [c for c in fake_slack.calls[before:] if c.method == "chat.update"]
    assert update.args["ts"] == question.ts and update.args["channel"] == "D1"


async def test_change_an_answer_and_why_from_the_card(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    await run.sender.command("", respond="start")
    await idle(run)
    card, _, _ = await click_through(run, fake_slack, fake_slack.responses("start")[0])
    why = button(card, "why")
    await run.sender.action("why", block_id=why["block_id"], respond="why")
    await idle(run)
    (answer,) = fake_slack.responses("why")
    assert answer.args["response_type"] == "ephemeral" and "Sources:" in answer.text

    change = button(card, "change")
    await run.sender.action("change", block_id=change["block_id"], respond="menu")
    await idle(run)
    (menu,) = fake_slack.responses("menu")
    choices = [b for b in menu.buttons() if b["action_id"].startswith("change:")]
    assert choices and all(b["block_id"].split(":")[3].startswith("m") for b in choices)
    await run.sender.action(choices[0]["action_id"], choices[0]["value"], block_id=choices[0]["block_id"],
                            ephemeral=True, respond="pick")
    await idle(run)
    (asked,) = fake_slack.responses("pick")
    assert asked.args["replace_original"] is True  # the menu turns into the question
    assert factor_of(asked) == choices[0]["value"]
