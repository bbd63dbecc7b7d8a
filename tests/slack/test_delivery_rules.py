"""Exactly-once delivery, several people in one channel, bystanders, failed posts."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot import wording
from tests.slack.drive import answer_buttons, button, click_through, factor_of, idle, press, type_in_thread
from tests.slack.payloads import dm, mention, message

ROOT = "1700000200.000100"


@pytest.mark.redis
async def test_retried_and_repeated_events_are_applied_once(fake_slack, serve, redis_store):
    run = await serve(redis_store)
    body = run.sender.event_body(dm("hi"), event_id="EvSAME0001")
    for headers in ({}, {}, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}):
        reply = await run.sender.post(body, "application/json", headers)
        assert reply.status == 200
    await idle(run)
    assert len(fake_slack.of("chat.postMessage")) == 1


@pytest.mark.redis
async def test_double_clicks_are_applied_once(fake_slack, serve, redis_store):
    run = await serve(redis_store)
    await run.sender.command("", respond="start")
    await idle(run)
    first = fake_slack.responses("start")[0]
    chosen = answer_buttons(first)[0]
    # the same press delivered twice (same action_ts), then a second real press of the same button
    body = run.sender.action_body(chosen["action_id"], chosen["value"], block_id=chosen["block_id"],
                                  ephemeral=True, respond="once", action_ts="1700000300.000001")
    replies = await asyncio.gather(run.sender.post(body, "application/x-www-form-urlencoded"),
                                   run.sender.post(body, "application/x-www-form-urlencoded"))
    assert [r.status for r in replies] == [200, 200]
    await idle(run)
    assert len(fake_slack.responses("once")) == 1
    again = await press(run, fake_slack, first, chosen["value"], name="again")
    assert again == []  # an answer already taken: nothing changes, nothing is sent
    await run.sender.command("status", respond="status")
    await idle(run)
    assert "1 answered" in fake_slack.responses("status")[0].text


async def test_skip_pressed_twice_skips_one_question(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    await run.sender.command("", respond="start")
    await idle(run)
    first = fake_slack.responses("start")[0]
    skip = button(first, "skip")
    for name in ("s1", "s2"):
        await run.sender.action("skip", skip["value"], block_id=skip["block_id"], ephemeral=True, respond=name)
        await idle(run)
    assert len(fake_slack.responses("s1")) == 1 and fake_slack.responses("s2") == []
    assert factor_of(fake_slack.responses("s1")[0]) != factor_of(first)


@pytest.mark.redis
async def test_two_people_in_one_channel_keep_separate_assessments(fake_slack, serve, redis_store):
    run = await serve(redis_store)
    await run.sender.command("", user="U1", respond="u1")
    await run.sender.command("", user="U2", respond="u2")
    await idle(run)
    q1, q2 = fake_slack.responses("u1")[0], fake_slack.responses("u2")[0]
    assert all(b["block_id"].startswith("ft:p:U2:") for b in q2.buttons())
    await press(run, fake_slack, q1, user="U1", name="u1-a")
    await press(run, fake_slack, fake_slack.responses("u1-a")[0], user="U1", name="u1-b")
    for user in ("U1", "U2"):
        await run.sender.command("status", user=user, respond=f"status-{user}")
    await idle(run)
    assert "2 answered" in fake_slack.responses("status-U1")[0].text
    assert "0 answered" in fake_slack.responses("status-U2")[0].text
    # U2 finishes; U1 asking "why" on U2's card is answered without touching either assessment
    card, _, _ = await click_through(run, fake_slack, q2, user="U2", tag="u2-")
    assert card.metadata["event_payload"]["verdict"]
    why = button(card, "why")
    await run.sender.action("why", block_id=why["block_id"], user="U1", respond="u1-why")
    await idle(run)
    (answer,) = fake_slack.responses("u1-why")
    assert answer.args["response_type"] == "ephemeral"  # only U1 sees it
    assert wording.OTHERS_QUESTION_NOTE not in answer.text  # a why on a finished card is answered plainly
    await run.sender.command("status", user="U1", respond="status-U1-again")
    await idle(run)
    assert "2 answered" in fake_slack.responses("status-U1-again")[0].text


@pytest.mark.redis
async def test_a_bystander_in_a_thread_is_answered_without_changing_it(fake_slack, serve, redis_store):
    run = await serve(redis_store)
    await run.sender.event(mention("hello", ts=ROOT, user="U1"))
    await idle(run)
    (question,) = fake_slack.of("chat.postMessage")
    calls = await type_in_thread(run, fake_slack, "why does latency matter?", root=ROOT, user="U2")
    (answer,) = [c for c in calls if c.method == "chat.postMessage"]
    assert answer.args["thread_ts"] == ROOT
    assert wording.OTHERS_QUESTION_NOTE in answer.text and "Sources:" in answer.text
    # the bystander presses an answer on the owner's question: nothing changes
    chosen = answer_buttons(question)[0]
    await run.sender.action(chosen["action_id"], chosen["value"], block_id=chosen["block_id"], user="U2",
                            message_ts=question.ts, thread_ts=ROOT, respond="bystander")
    await idle(run)
    (note,) = fake_slack.responses("bystander")
    assert note.args["response_type"] == "ephemeral" and note.args["replace_original"] is False
    assert note.text == wording.OTHERS_QUESTION_NOTE
    # the owner goes on from where they were
    calls = await type_in_thread(run, fake_slack, "1", root=ROOT, user="U1")
    (update,) = [c for c in calls if c.method == "chat.update"]
    assert update.args["ts"] == question.ts and "Question 2" in update.text
    calls = await type_in_thread(run, fake_slack, "status", root=ROOT, user="U1")
    assert "1 answered" in next(c for c in calls if c.method == "chat.postMessage").text


async def test_messages_that_are_not_for_the_bot_are_ignored(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    ignored = [
        message("hello channel"),  # top level: only a mention starts a thread
        message("a reply in someone else's thread", thread_ts="1700000999.000001"),
        dm("edited", subtype="message_changed"),
        dm("from a bot", bot_id="B999"),
        dm("from myself", user="UBOT"),
    ]
    for event in ignored:
        assert (await run.sender.event(event)).status == 200
    await idle(run)
    assert [c.method for c in fake_slack.calls if c.method != "auth.test"] == []
    # a thread reply that mentions the bot is handled once, through app_mention
    await run.sender.event(mention("hi", ts=ROOT))
    await idle(run)
    before = len(fake_slack.calls)
    text = "<@UBOT> 1"
    await run.sender.event(message(text, thread_ts=ROOT))
    await run.sender.event(mention("1", ts="1700000200.000900", thread_ts=ROOT))
    await idle(run)
    assert len([c for c in fake_slack.calls[before:] if c.method in ("chat.update", "chat.postMessage")]) == 1


async def test_a_failed_post_is_reported_and_the_conversation_kept(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    fake_slack.fail["chat.postMessage"] = "not_in_channel"
    await run.sender.event(mention("hello", ts=ROOT))
    await idle(run)
    (notice,) = fake_slack.of("chat.postEphemeral")
    assert notice.args["user"] == "U1" and "not_in_channel" in notice.text
    del fake_slack.fail["chat.postMessage"]
    calls = await type_in_thread(run, fake_slack, "1", root=ROOT)
    (asked,) = [c for c in calls if c.method == "chat.postMessage"]
    assert "Question 2" in asked.text  # the first answer was taken: state survived the failed post


async def test_the_record_falls_back_to_text_where_files_cannot_go(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    await run.sender.command("", respond="start")
    await idle(run)
    card, _, _ = await click_through(run, fake_slack, fake_slack.responses("start")[0])
    fake_slack.fail["files.getUploadURLExternal"] = "not_in_channel"
    record = button(card, "record")
    await run.sender.action("record", block_id=record["block_id"], respond="rec")
    await idle(run)
    (inline,) = fake_slack.responses("rec")
    assert inline.args["response_type"] == "ephemeral" and "```" in str(inline.blocks)


async def test_web_api_429_is_retried(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    fake_slack.rate_limit_once.add("chat.postMessage")
    await run.sender.event(dm("hi"))
    await idle(run)
    first, second = fake_slack.of("chat.postMessage")
    assert first.result == {} and second.ts  # the 429 was retried after Retry-After
    assert fake_slack.of("chat.postEphemeral") == []


async def test_web_api_503_is_retried(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    fake_slack.server_error_once.add("chat.postMessage")
    await run.sender.event(dm("hi"))
    await idle(run)
    first, second = fake_slack.of("chat.postMessage")
    assert first.result == {} and second.ts


@pytest.mark.parametrize("failure", ["server_error_once", "rate_limit_once"])
async def test_response_url_503_and_429_are_retried(fake_slack, serve, embedded_store, failure):
    run = await serve(embedded_store)
    getattr(fake_slack, failure).add("response_url:start")
    await run.sender.command("", respond="start")
    await idle(run)
    first, second = fake_slack.responses("start")
    assert first.args == second.args and answer_buttons(second)  # the same question, sent again
    assert fake_slack.of("chat.postEphemeral") == []


async def test_a_dead_response_url_falls_back_to_an_ephemeral_post(fake_slack, serve, embedded_store, caplog):
    run = await serve(embedded_store)
    fake_slack.fail["response_url:start"] = "expired_url"
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.slack.delivery"):
        await run.sender.command("", respond="start")
        await idle(run)
    assert len(fake_slack.responses("start")) == 1  # a 404 is not retried
    (ephemeral,) = fake_slack.of("chat.postEphemeral")
    assert "Question 1" in ephemeral.text and ephemeral.args["user"]
    assert any(getattr(r, "error", "") == "http_404" and r.method == "response_url" for r in caplog.records)


async def test_card_buttons_double_clicked_act_once(fake_slack, serve, embedded_store):
    """Two real presses (different action_ts) of Start over on the same message restart once."""
    run = await serve(embedded_store)
    await run.sender.command("", respond="start")
    await idle(run)
    block_id = button(fake_slack.responses("start")[0], "skip")["block_id"]
    for name, ts in (("r1", "1700000400.000001"), ("r2", "1700000400.000002")):
        await run.sender.action("restart", block_id=block_id, ephemeral=True, respond=name,
                                action_ts=ts, message_ts="1700000399.000100")
        await idle(run)
    assert len(fake_slack.responses("r1")) >= 1 and fake_slack.responses("r2") == []


@pytest.mark.parametrize("payload", [
    "command=%2Ffinetune&text=&user_id=U1",  # a slash command without channel_id
    "payload=" + '{"type": "block_actions", "actions": [{"action_id": "why"}]}'.replace(" ", "%20"),  # no user
])
async def test_signed_requests_missing_fields_get_400(fake_slack, serve, embedded_store, caplog, payload):
    run = await serve(embedded_store)
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.slack.http"):
        reply = await run.sender.post(payload, "application/x-www-form-urlencoded")
    assert reply.status == 400
    assert any("malformed body" in r.getMessage() for r in caplog.records)


async def test_signed_event_without_channel_gets_400(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    reply = await run.sender.event({"type": "app_mention", "user": "U1", "text": "<@UBOT> hi", "ts": "1.2"})
    assert reply.status == 400
