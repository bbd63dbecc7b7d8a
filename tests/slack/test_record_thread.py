"""The decision record goes into the card's thread, over real HTTP against the fake Slack.

A press carries the card's message (``container.message_ts``): a card in a mention thread
already has its thread; a top-level card (the slash command's, posted through ``response_url``,
or one in a direct message) becomes the thread root, so the file does not land in the channel.
"""

from __future__ import annotations

from bot.factors import BY_ID
from tests.slack.drive import button, click_through, idle, is_card
from tests.slack.payloads import dm

CARD_TS = "1700000555.000300"  # where Slack put the slash command's in_channel card
RAW_DATA_YES = str(BY_ID["sensitive_data"].allowed.index("yes") + 1)  # settles the verdict at once


async def test_a_record_pressed_on_a_slash_command_card_goes_into_its_thread(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    await run.sender.command("", respond="start")
    await idle(run)
    card, _, _ = await click_through(run, fake_slack, fake_slack.responses("start")[0])
    assert card.args["response_type"] == "in_channel"  # top-level in the channel
    record = button(card, "record")
    await run.sender.action("record", block_id=record["block_id"], channel="C1", message_ts=CARD_TS, respond="rec")
    await idle(run)
    (complete,) = await fake_slack.wait_count("files.completeUploadExternal", 1)
    assert complete.args["channel_id"] == "C1" and complete.args["thread_ts"] == CARD_TS


async def test_a_record_pressed_on_a_direct_message_card_threads_under_it(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    await run.sender.event(dm("hi"))
    await idle(run)
    await run.sender.event(dm(RAW_DATA_YES))
    await idle(run)
    (card,) = [c for c in fake_slack.of("chat.postMessage") if is_card(c)]
    assert card.ts and "thread_ts" not in card.args
    record = button(card, "record")
    await run.sender.action("record", block_id=record["block_id"], channel="D1", message_ts=card.ts, respond="rec")
    await idle(run)
    (complete,) = await fake_slack.wait_count("files.completeUploadExternal", 1)
    assert complete.args["channel_id"] == "D1" and complete.args["thread_ts"] == card.ts


async def test_a_typed_export_in_a_direct_message_stays_in_the_conversation(fake_slack, serve, embedded_store):
    """No press, no card message to hang it on: the file goes where the user typed."""
    run = await serve(embedded_store)
    await run.sender.event(dm("hi"))
    await idle(run)
    await run.sender.event(dm(RAW_DATA_YES))
    await idle(run)
    await run.sender.event(dm("export"))
    await idle(run)
    (complete,) = await fake_slack.wait_count("files.completeUploadExternal", 1)
    assert complete.args["channel_id"] == "D1" and not complete.args.get("thread_ts")
