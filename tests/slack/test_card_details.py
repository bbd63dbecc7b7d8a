"""The card's Details button over real HTTP: the pressed card expands in place."""

from __future__ import annotations

import json

from adapters.slack.render import MAX_BLOCKS
from bot.card_wording import card_wording
from tests.slack.drive import button, click_through, idle


async def test_details_expand_the_card_in_place_keeping_its_metadata(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    await run.sender.command("", respond="start")
    await idle(run)
    card, _, _ = await click_through(run, fake_slack, fake_slack.responses("start")[0])
    assert card.action_ids()[0] == "details" and len(card.blocks) <= 15
    details = button(card, "details")
    assert details["text"]["text"] == card_wording().labels["details"]

    await run.sender.action("details", block_id=details["block_id"], message_ts="1700000200.000100", respond="details")
    await idle(run)
    (expanded,) = fake_slack.responses("details")
    assert expanded.args["replace_original"] is True  # in place, not a new message
    assert expanded.metadata == card.metadata  # the message metadata keeps its schema and values
    assert "details" not in expanded.action_ids()
    assert {"why", "change", "restart", "record"} <= set(expanded.action_ids())
    assert len(expanded.blocks) <= MAX_BLOCKS
    shown = json.dumps(expanded.blocks)
    labels = card_wording().labels
    for heading in (labels["all_reasons_for"], labels["all_changes"], labels["all_sources"]):
        assert heading in shown
    assert card.blocks[0] == expanded.blocks[0]  # the face stays on top

    # a double click expands once
    await run.sender.action("details", block_id=details["block_id"], message_ts="1700000200.000100", respond="again")
    await idle(run)
    assert not fake_slack.responses("again")
