"""The ActivityHandler on botbuilder's TestAdapter: fast checks of the translation both ways
(replies go through the TurnContext here, since a TestAdapter turn has no lean Route)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity

from adapters.service import TurnService
from adapters.teams import cards
from adapters.teams.bot import AdvisorBot
from adapters.teams.outbox import Outbox
from adapters.wiring import make_advisor
from bot import wording
from bot.errors import StoreError
from store import KeySpace, embedded_store

from .conftest import ADA, Activities

A = Activities("https://smba.trafficmanager.net/amer/")
CARD = "application/vnd.microsoft.card.adaptive"


def template(body: dict[str, Any]) -> Activity:
    return Activity().deserialize(body)


@pytest.fixture
async def service(redis_prefix: str) -> AsyncIterator[TurnService]:
    store = embedded_store(keys=KeySpace(redis_prefix))
    await store.prepare()
    yield TurnService(make_advisor(), store)
    await store.close()


def adapter_for(body: dict[str, Any]) -> TestAdapter:
    return TestAdapter(template_or_conversation=template(body))


def card_of(activity: Activity) -> dict[str, Any]:
    (attachment,) = activity.attachments
    assert attachment.content_type == CARD
    return attachment.content


async def turn(adapter: TestAdapter, bot: AdvisorBot, body: dict[str, Any]) -> tuple[list[Activity], list[Activity]]:
    """Run one activity; (sent, updated) during it."""
    sent_before, updated_before = len(adapter.activity_buffer), len(adapter.updated_activities)
    await adapter.process_activity(template(body), bot.on_turn)
    return adapter.activity_buffer[sent_before:], adapter.updated_activities[updated_before:]


async def test_typed_flow_posts_then_updates_the_question_in_place(service: TurnService) -> None:
    body = A.personal(ADA, "start")
    adapter, bot = adapter_for(body), AdvisorBot(service, Outbox())
    sent, updated = await turn(adapter, bot, body)
    assert [a.text for a in sent[:1]] == [wording.WELCOME] and not updated
    question = card_of(sent[1])
    assert question["fallbackText"].startswith("Question 1") and sent[1].summary
    question_id = str(adapter._next_id)  # TestAdapter's id for the last message it took

    sent, updated = await turn(adapter, bot, A.personal(ADA, "not sure"))
    assert not sent and len(updated) == 1
    assert updated[0].id == question_id and card_of(updated[0])["fallbackText"].startswith("Question 2")


async def test_submit_updates_the_clicked_card(service: TurnService) -> None:
    body = A.personal(ADA, "start")
    adapter, bot = adapter_for(body), AdvisorBot(service, Outbox())
    sent, _ = await turn(adapter, bot, body)
    data = next(a for a in card_of(sent[1])["body"][-1]["actions"] if a["data"]["action"] == "answer")["data"]
    sent, updated = await turn(adapter, bot, A.submit(ADA, body, data, reply_to="card-7"))
    assert not sent and [u.id for u in updated] == ["card-7"]


async def test_why_do_you_ask_and_help_are_plain_text(service: TurnService) -> None:
    body = A.personal(ADA, "start")
    adapter, bot = adapter_for(body), AdvisorBot(service, Outbox())
    await turn(adapter, bot, body)
    sent, updated = await turn(adapter, bot, A.submit(ADA, body, {"action": "why_ask"}, reply_to="card-1"))
    assert len(sent) == 1 and sent[0].text.startswith(wording.WHY_ASK_PREFIX) and not updated
    assert sent[0].text_format == "markdown"
    sent, _ = await turn(adapter, bot, A.personal(ADA, "help"))
    assert [a.text for a in sent] == [cards.text_message(wording.HELP)["text"]]  # as Teams shows it


async def test_channel_install_welcome_through_conversation_update(service: TurnService) -> None:
    conversation, channel_data = A.team_conversation()
    body = A.bot_added(conversation, channel_data)
    adapter, bot = adapter_for(body), AdvisorBot(service, Outbox())
    sent, _ = await turn(adapter, bot, body)
    assert len(sent) == 1 and card_of(sent[0])["fallbackText"] == wording.WELCOME
    sent, _ = await turn(adapter, bot, A.installed(conversation, channel_data))
    assert sent == []


async def test_store_failure_gives_the_polite_message(service: TurnService) -> None:
    class Broken:
        async def load(self, *args: Any, **kwargs: Any) -> Any:
            raise StoreError("down")

        save = ping = load

        async def close(self) -> None:
            return None

    broken = TurnService(service.advisor, Broken())  # type: ignore[arg-type]
    body = A.personal(ADA, "start")
    adapter, bot = adapter_for(body), AdvisorBot(broken, Outbox())
    sent, _ = await turn(adapter, bot, body)
    assert [a.text for a in sent] == [wording.STORE_UNAVAILABLE]
    # a welcome is still sent when the store cannot tell whether it was already
    conversation, channel_data = A.team_conversation()
    installed = A.installed(conversation, channel_data)
    sent, _ = await turn(adapter_for(installed), bot, installed)
    assert len(sent) == 1
