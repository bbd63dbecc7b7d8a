"""Helpers that play a Slack user against the running app: press the buttons of a question
message, type answers in a thread, wait for background turns to finish."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.slack.conftest import Running
from tests.slack.fake_slack import Call, FakeSlack
from tests.slack.payloads import message

METADATA_EVENT = "finetune_recommendation"


async def idle(run: Running, timeout: float = 10.0) -> None:
    """Wait until no background turn is running (polling, with a timeout)."""
    deadline = time.monotonic() + timeout
    while len(run.bot.tasks):
        if time.monotonic() > deadline:
            raise AssertionError("background turns did not finish")
        await asyncio.sleep(0.01)


def answer_buttons(call: Call) -> list[dict[str, Any]]:
    return [b for b in call.buttons() if b["action_id"].startswith("answer:")]


def factor_of(call: Call) -> str | None:
    buttons = answer_buttons(call)
    return buttons[0]["action_id"].split(":", 1)[1] if buttons else None


def is_card(call: Call) -> bool:
    return call.metadata.get("event_type") == METADATA_EVENT


def button(call: Call, action_id: str, value: str | None = None) -> dict[str, Any]:
    for b in call.buttons():
        if b["action_id"] == action_id and (value is None or b.get("value") == value):
            return b
    raise AssertionError(f"no button {action_id}={value} in {call.action_ids()}")


async def press(
    run: Running, fake: FakeSlack, question: Call, value: str | None = None, *, user: str = "U1",
    channel: str = "C1", ephemeral: bool = True, thread_ts: str = "", name: str,
) -> list[Call]:
    """Press the answer ``value`` (default: the first option) on ``question``; return the
    response_url calls the press produced once the turn is done."""
    buttons = answer_buttons(question)
    chosen = buttons[0] if value is None else next(b for b in buttons if b["value"] == value)
    await run.sender.action(
        chosen["action_id"], chosen["value"], block_id=chosen["block_id"], user=user, channel=channel,
        ephemeral=ephemeral, thread_ts=thread_ts, message_ts=question.ts or "1700000000.000100", respond=name,
    )
    await idle(run)
    return fake.responses(name)


async def click_through(
    run: Running, fake: FakeSlack, first: Call, choose: dict[str, str] | None = None, *,
    user: str = "U1", channel: str = "C1", tag: str = "c",
) -> tuple[Call, dict[str, str], Call]:
    """Answer every question on the ephemeral slash-command messages by pressing buttons until
    the card is posted. Returns (card call, answers pressed, the retired last question)."""
    choose = choose or {}
    current, pressed = first, {}
    for i in range(20):
        factor = factor_of(current)
        assert factor is not None, f"not a question: {current.text[:80]}"
        value = choose.get(factor, answer_buttons(current)[0]["value"])
        pressed[factor] = value
        responses = await press(run, fake, current, value, user=user, channel=channel, name=f"{tag}{i}")
        replaced = [r for r in responses if r.args.get("replace_original")]
        assert len(replaced) == 1, responses
        cards = [r for r in responses if is_card(r)]
        if cards:
            return cards[0], pressed, replaced[0]
        current = replaced[0]
    raise AssertionError("no card after 20 questions")


async def type_in_thread(
    run: Running, fake: FakeSlack, text: str, *, root: str, user: str = "U1", channel: str = "C1",
) -> list[Call]:
    """Type ``text`` as a thread reply; return the Web API calls it caused."""
    before = len(fake.calls)
    await run.sender.event(message(text, user=user, channel=channel, thread_ts=root))
    await idle(run)
    return fake.calls[before:]
