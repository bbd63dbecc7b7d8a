"""Activity -> InboundEvent translation (fast, no I/O), on botbuilder's own Activity objects."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.schema import Activity

from adapters.teams import events
from bot.events import Action, ConversationKey

from .conftest import ADA, BOB, BOT_ID, BOT_NAME, CHANNEL, GROUP_CHAT, TENANT, Activities

A = Activities("https://smba.trafficmanager.net/amer/")


def act(body: dict[str, Any]) -> Activity:
    return Activity().deserialize(body)


def test_channel_mention_is_stripped_and_keyed_by_reply_chain_and_user() -> None:
    body = A.channel(ADA, "we have about 2k labelled examples")
    event = events.to_event(act(body))
    assert event is not None
    assert event.text == "we have about 2k labelled examples"
    assert event.key == ConversationKey("teams", TENANT, CHANNEL, body["id"], ADA.aad)
    assert event.user == ADA.aad and event.event_id == body["id"]


def test_reply_in_a_thread_continues_that_thread() -> None:
    reply = A.channel(BOB, "status", thread="1700000000042")
    event = events.to_event(act(reply))
    assert event is not None and event.key.thread == "1700000000042" and event.key.channel == CHANNEL
    assert event.key.user == BOB.aad


def test_only_the_bots_own_mention_is_removed() -> None:
    body = A.channel(ADA, "ask <at>Bob Babbage</at> about latency?")
    body["entities"].append({"mentioned": {"id": BOB.id, "name": BOB.name}, "text": "<at>Bob Babbage</at>", "type": "mention"})
    event = events.to_event(act(body))
    assert event is not None and event.text == "ask <at>Bob Babbage</at> about latency?"


def test_mention_entity_without_text_falls_back_to_botbuilder() -> None:
    body = A.channel(ADA, "help")
    body["entities"] = [{"mentioned": {"id": BOT_ID, "name": BOT_NAME}, "type": "mention"}]
    event = events.to_event(act(body))
    assert event is not None and event.text == "help"


def test_bare_mention_resumes() -> None:
    body = A.channel(ADA, "")
    body["text"] = f"<at>{BOT_NAME}</at>\u00a0\n"
    event = events.to_event(act(body))
    assert event is not None and event.action == Action("resume") and event.text is None


def test_channel_and_group_messages_without_the_bots_mention_are_ignored() -> None:
    assert events.to_event(act(A.channel(ADA, "hello all", mention=False))) is None
    group = A.group(ADA, "x")
    group["entities"] = []
    assert events.to_event(act(group)) is None


def test_group_chat_key_has_no_thread() -> None:
    event = events.to_event(act(A.group(BOB, "start")))
    assert event is not None and event.key == ConversationKey("teams", TENANT, GROUP_CHAT, "", BOB.aad)


def test_personal_message_key_and_user_fallback_to_from_id() -> None:
    body = A.personal(ADA, "  why do you ask?  ")
    event = events.to_event(act(body))
    assert event is not None and event.text == "why do you ask?"
    assert event.key == ConversationKey("teams", TENANT, ADA.personal_conversation, "", ADA.aad)
    del body["from"]["aadObjectId"]
    body["channelData"] = {}
    event = events.to_event(act(body))
    assert event is not None and event.key.user == ADA.id and event.key.workspace == TENANT  # conversation.tenantId


def test_submit_becomes_an_action_in_the_owners_conversation() -> None:
    start = A.channel(ADA, "start")
    data = {"action": "answer", "factor": "latency_critical", "value": "yes", "owner": ADA.aad}
    event = events.to_event(act(A.submit(ADA, start, data, reply_to="1700000001001")))
    assert event is not None and event.action == Action("answer", "latency_critical", "yes")
    assert event.key.user == ADA.aad and event.user == ADA.aad and event.key.thread == start["id"]
    by_bob = events.to_event(act(A.submit(BOB, start, data, reply_to="1700000001001")))
    assert by_bob is not None and by_bob.key.user == ADA.aad and by_bob.user == BOB.aad  # a bystander
    no_owner = events.to_event(act(A.submit(BOB, start, {"action": "why"}, reply_to="1")))
    assert no_owner is not None and no_owner.key.user == BOB.aad


def test_question_card_navigation_is_tied_to_its_factor() -> None:
    like = A.personal(ADA, "x")

    def action(data: dict[str, str]) -> Action | None:
        event = events.to_event(act(A.submit(ADA, like, data, reply_to="1")))
        return event.action if event else None

    assert action({"action": "skip", "factor": "context_size"}) == Action("answer", "context_size", "unknown")
    assert action({"action": "skip"}) == Action("skip")
    assert action({"action": "back", "factor": "context_size"}) == Action("back", "context_size")
    assert action({"action": "why_ask", "factor": "context_size"}) == Action("why_ask", "context_size")


@pytest.mark.parametrize("value", [
    {"action": "message_sent", "value": "1700000009999"},  # only the adapter reports sent ids
    {"action": "drop_tables"},
    {"action": "answer", "factor": 3},
    {"msteams": {"type": "messageBack"}},
    "answer",
])
def test_foreign_or_forged_submits_are_ignored(value: Any) -> None:
    assert events.to_event(act(A.submit(ADA, A.personal(ADA, "x"), value, reply_to="1"))) is None


def test_messages_from_the_bot_itself_are_ignored() -> None:
    body = A.personal(ADA, "echo")
    body["from"] = {"id": BOT_ID, "name": BOT_NAME}
    assert events.to_event(act(body)) is None


def test_sent_event_reports_in_the_owners_name() -> None:
    key = ConversationKey("teams", TENANT, CHANNEL, "17", ADA.aad)
    event = events.sent_event(key, "1700000001001")
    assert event.user == ADA.aad and event.event_id == "sent:1700000001001"
    assert event.action == Action("message_sent", value="1700000001001")


def test_split_conversation_id() -> None:
    assert events.split_conversation_id(f"{CHANNEL};messageid=1") == (CHANNEL, "1")
    assert events.split_conversation_id("a:1xyz") == ("a:1xyz", "")
