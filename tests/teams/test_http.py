"""The Teams bot end to end: real ``/api/messages`` over HTTP, real botbuilder CloudAdapter,
a stand-in Bot Connector recording replies and updates, the real Redis (and the embedded store)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import jwt
import pytest

from adapters.teams import cards, events
from bot import wording
from store import StoreSettings, store_from_settings
from tests.redis_servers import RedisServer

from .conftest import ADA, BOB, CHANNEL, GROUP_CHAT, Call, StubConnector, TeamsBot, settings, start_bot

redis = pytest.mark.redis
APP_ID = "0b3b1c1e-5f67-4a2d-9d0e-1f2a3b4c5d6e"


def channel_id(activity: dict[str, Any]) -> str:
    return activity["conversation"]["id"]


async def click_through(bot: TeamsBot, user: Any, like: dict[str, Any], *, pick: int = 0, limit: int = 14) -> tuple[Call, list[Call]]:
    """Answer every question card in ``like``'s conversation by clicking option ``pick``
    until the recommendation card is posted; (the card call, every call made meanwhile)."""
    conversation = channel_id(like)
    seen: list[Call] = []
    for _ in range(limit):
        question = bot.latest("question", conversation)
        options = [d for d in question.submits() if d["action"] == "answer"]
        calls = await bot.send(bot.a.submit(user, like, options[min(pick, len(options) - 2)], question.message_id))
        seen.extend(calls)
        cards = [c for c in calls if c.kind == "recommendation"]
        if cards:
            return cards[0], seen
    raise AssertionError("no recommendation card after answering every question")


# --- a whole assessment ---------------------------------------------------------------------


@redis
async def test_channel_mention_to_recommendation_card_in_the_thread(redis_bot: TeamsBot) -> None:
    start = redis_bot.a.channel(ADA, "start")
    calls = await redis_bot.send(start)
    thread = channel_id(start)
    assert thread == f"{CHANNEL};messageid={start['id']}"
    assert [c.method for c in calls] == ["POST", "POST"]
    welcome, question = calls
    assert welcome.kind == "text" and welcome.body["text"] == wording.WELCOME
    assert question.kind == "question"
    # replies go into the reply chain of the mention, from the bot, to the sender
    assert all(c.conversation_id == thread and c.activity_id == start["id"] for c in calls)
    assert question.body["from"]["id"] == start["recipient"]["id"]
    assert question.body["recipient"]["id"] == ADA.id
    assert question.body["summary"]
    assert question.card["version"] == "1.5" and question.card["fallbackText"].startswith("Question 1")
    # every answer button carries the owner and the factor/value contract
    answers = [d for d in question.submits() if d["action"] == "answer"]
    assert answers and all(set(d) == {"action", "factor", "value", "owner"} and d["owner"] == ADA.aad for d in answers)
    assert {d["action"] for d in question.submits()} >= {"answer", "skip", "back", "why_ask"}

    card, seen = await click_through(redis_bot, ADA, start)
    # every click updated the one question card in place; the card then became the answers summary
    question_id = question.message_id
    updates = [c for c in seen if c.method == "PUT"]
    assert updates and all(c.activity_id == question_id for c in updates)
    assert updates[-1].kind == "answers"
    assert [c.kind for c in seen if c.method == "POST"] == ["recommendation"]
    assert card.conversation_id == thread
    content = card.card
    assert content["fallbackText"].startswith("Recommendation: ")
    assert {d["action"] for d in card.submits()} == {"why", "change", "restart", "record"}
    assert card.body["summary"].startswith("Recommendation: ")


@redis
async def test_why_and_decision_record_after_the_card(redis_bot: TeamsBot) -> None:
    start = redis_bot.a.channel(ADA, "hi")
    await redis_bot.send(start)
    card, _ = await click_through(redis_bot, ADA, start)
    thread = start["conversation"]["id"].split(";")[1].split("=")[1]

    typed = await redis_bot.send(redis_bot.a.channel(ADA, "why?", thread=thread))
    assert [c.kind for c in typed] == ["text"] and typed[0].body["text"]
    clicked = await redis_bot.send(redis_bot.a.submit(ADA, start, {"action": "why", "owner": ADA.aad}, card.message_id))
    assert [c.kind for c in clicked] == ["text"] and clicked[0].method == "POST"
    record = await redis_bot.send(redis_bot.a.submit(ADA, start, {"action": "record", "owner": ADA.aad}, card.message_id))
    assert len(record) == 1 and record[0].body["textFormat"] == "markdown"
    assert record[0].body["text"].startswith(f"**{wording.RECORD_TITLE}**\n\n")  # no "#" header in a text message
    # the card itself was never overwritten by these
    assert not [c for c in typed + clicked + record if c.method == "PUT"]


async def test_typed_answers_update_the_question_card_in_place(embedded_bot: TeamsBot) -> None:
    first = await embedded_bot.send(embedded_bot.a.personal(ADA, "start"))
    question = [c for c in first if c.kind == "question"][0]
    replies = await embedded_bot.send(embedded_bot.a.personal(ADA, "not sure"))
    assert [(c.method, c.activity_id, c.kind) for c in replies] == [("PUT", question.message_id, "question")]
    assert replies[0].card["body"] != question.card["body"]


async def test_change_menu_then_change_an_answer(embedded_bot: TeamsBot) -> None:
    start = embedded_bot.a.personal(ADA, "start")
    await embedded_bot.send(start)
    card, _ = await click_through(embedded_bot, ADA, start)
    menu = await embedded_bot.send(embedded_bot.a.submit(ADA, start, {"action": "change", "owner": ADA.aad}, card.message_id))
    assert [c.kind for c in menu] == ["menu"]
    choices = menu[0].submits()
    assert choices and all(d["action"] == "change" and d["factor"] for d in choices)
    asked = await embedded_bot.send(embedded_bot.a.submit(ADA, start, choices[0], menu[0].message_id))
    assert [(c.method, c.kind) for c in asked] == [("POST", "question")]  # the card and menu stay
    options = [d for d in asked[0].submits() if d["action"] == "answer"]
    done = await embedded_bot.send(embedded_bot.a.submit(ADA, start, options[-2], asked[0].message_id))
    assert [(c.method, c.kind) for c in done] == [("PUT", "answers"), ("POST", "recommendation")]
    assert done[0].activity_id == asked[0].message_id


# --- several people ---------------------------------------------------------------------------


@redis
async def test_two_users_in_one_thread_keep_their_own_assessments(redis_bot: TeamsBot) -> None:
    start = redis_bot.a.channel(ADA, "start")
    await redis_bot.send(start)
    thread = start["id"]
    ada_question = redis_bot.latest("question")
    bob_calls = await redis_bot.send(redis_bot.a.channel(BOB, "start", thread=thread))
    bob_question = [c for c in bob_calls if c.kind == "question"][0]
    assert bob_question.message_id != ada_question.message_id
    assert all(d.get("owner") == BOB.aad for d in bob_question.submits())

    # Bob clicks an answer on Ada's card: a bystander's click changes nothing of Ada's
    ada_option = [d for d in ada_question.submits() if d["action"] == "answer"][0]
    meddling = await redis_bot.send(redis_bot.a.submit(BOB, start, ada_option, ada_question.message_id))
    assert [(c.method, c.kind) for c in meddling] == [("POST", "text")]
    assert meddling[0].body["text"].endswith(wording.OTHERS_QUESTION_NOTE)

    # Ada answers; only her card moves on, Bob's stays at question 1
    moved = await redis_bot.send(redis_bot.a.submit(ADA, start, ada_option, ada_question.message_id))
    assert [(c.method, c.activity_id) for c in moved] == [("PUT", ada_question.message_id)]
    assert "Question 2" in moved[0].card["fallbackText"]
    bob_status = await redis_bot.send(redis_bot.a.channel(BOB, "status", thread=thread))
    assert "0 answered" in bob_status[0].body["text"]
    # their keys: same tenant, channel and reply chain; different users
    assert events.split_conversation_id(channel_id(start)) == (CHANNEL, thread)


async def test_group_chat_mentions_are_per_user_and_unmentioned_messages_ignored(embedded_bot: TeamsBot) -> None:
    ada = await embedded_bot.send(embedded_bot.a.group(ADA, "start"))
    assert [c.kind for c in ada] == ["text", "question"] and ada[1].conversation_id == GROUP_CHAT
    bob = await embedded_bot.send(embedded_bot.a.group(BOB, "status"))
    assert bob[0].body["text"] == cards.text_message(wording.STATUS_NONE)["text"]
    chatter = embedded_bot.a.channel(BOB, "lunch anyone?", mention=False)
    assert await embedded_bot.send(chatter) == []


# --- exactly once ------------------------------------------------------------------------------


@redis
async def test_redelivered_activity_and_double_click_change_state_once(redis_bot: TeamsBot) -> None:
    start = redis_bot.a.personal(ADA, "start")
    assert len(await redis_bot.send(start)) == 2
    assert await redis_bot.send(start) == []  # the same activity again: nothing

    question = redis_bot.latest("question")
    option = [d for d in question.submits() if d["action"] == "answer"][0]
    clicks = [redis_bot.a.submit(ADA, start, option, question.message_id) for _ in range(2)]
    before = len(redis_bot.connector.ok)
    statuses = await asyncio.gather(*(redis_bot.post(c) for c in clicks))
    assert [r.status for r in statuses] == [201, 201]
    assert await redis_bot.endpoint.outbox.drain(10)
    updates = redis_bot.connector.ok[before:]
    assert [(c.method, c.activity_id) for c in updates] == [("PUT", question.message_id)]
    assert await redis_bot.send(clicks[0]) == []  # redelivery of a click
    status = await redis_bot.send(redis_bot.a.personal(ADA, "status"))
    assert "1 answered" in status[0].body["text"]

    # Skip and Back double-clicked on the (updated) card: each acts once
    for name, answered in (("skip", "2 answered"), ("back", "1 answered")):
        card = redis_bot.latest("question")
        data = next(d for d in card.submits() if d["action"] == name)
        doubled = [redis_bot.a.submit(ADA, start, data, card.message_id) for _ in range(2)]
        for click in doubled:  # one after the other: the second comes after the first took effect
            await redis_bot.send(click)
        status = await redis_bot.send(redis_bot.a.personal(ADA, "status"))
        assert answered in status[0].body["text"], name


# --- welcome -----------------------------------------------------------------------------------


async def test_install_in_a_team_welcomes_once(embedded_bot: TeamsBot) -> None:
    conversation, channel_data = embedded_bot.a.team_conversation()
    first = await embedded_bot.send(embedded_bot.a.bot_added(conversation, channel_data))
    assert [(c.method, c.kind, c.activity_id) for c in first] == [("POST", "welcome", "")]
    assert first[0].card["fallbackText"] == wording.WELCOME
    assert await embedded_bot.send(embedded_bot.a.installed(conversation, channel_data)) == []
    # someone else joining the team is not greeted
    joined = embedded_bot.a.bot_added(conversation, channel_data)
    joined["membersAdded"] = [{"id": BOB.id, "aadObjectId": BOB.aad}]
    assert await embedded_bot.send(joined) == []


async def test_personal_install_welcomes_and_start_button_begins(embedded_bot: TeamsBot) -> None:
    personal = embedded_bot.a.personal(ADA, "")
    conversation, channel_data = personal["conversation"], personal["channelData"]
    welcome = await embedded_bot.send(embedded_bot.a.installed(conversation, channel_data))
    assert [c.kind for c in welcome] == ["welcome"]
    assert await embedded_bot.send(embedded_bot.a.bot_added(conversation, channel_data)) == []
    started = await embedded_bot.send(embedded_bot.a.submit(ADA, personal, {"action": "start"}, welcome[0].message_id))
    assert [(c.method, c.kind) for c in started] == [("POST", "text"), ("POST", "question")]


async def test_app_upgrade_does_not_welcome_again_and_invokes_get_501(embedded_bot: TeamsBot) -> None:
    personal = embedded_bot.a.personal(ADA, "")
    upgrade = embedded_bot.a.installed(personal["conversation"], personal["channelData"])
    upgrade["action"] = "add-upgrade"
    assert await embedded_bot.send(upgrade) == []
    invoke = embedded_bot.a.personal(ADA, "")
    invoke.update(type="invoke", name="adaptiveCard/action", value={"action": {"type": "Action.Execute", "verb": "x"}})
    resp = await embedded_bot.post(invoke)
    assert resp.status == 501  # Action.Execute is not implemented
    assert embedded_bot.connector.calls == []


# --- the wire --------------------------------------------------------------------------------


async def test_auth_on_rejects_a_request_without_a_token(connector: StubConnector, redis_prefix: str) -> None:
    from store import KeySpace, embedded_store

    store = embedded_store(keys=KeySpace(redis_prefix))
    config = settings(MICROSOFT_APP_ID=APP_ID, MICROSOFT_APP_PASSWORD="s3cret")
    bot, stop = await start_bot(connector, store, config)
    try:
        forged = jwt.encode({"iss": "https://sts.example.com/", "aud": APP_ID, "exp": int(time.time()) + 600},
                            "k" * 32, algorithm="HS256")
        for headers in ({}, {"Authorization": ""}, {"Authorization": "Bearer abc"},
                        {"Authorization": "Basic Zm9vOmJhcg=="}, {"Authorization": f"Bearer {forged}"}):
            resp = await bot.post(bot.a.personal(ADA, "start"), headers=headers)
            assert resp.status == 401, headers
        assert connector.calls == []
    finally:
        await stop()


async def test_malformed_bodies_get_4xx_with_a_log_line(embedded_bot: TeamsBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="finetune_advisor.teams")
    good = embedded_bot.a.personal(ADA, "start")
    cases: list[tuple[Any, str, int]] = [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ('{"text": "no type"}', "application/json", 400),
        ('{"type": "message", "text": "no conversation"}', "application/json", 400),
        ('{"type": "message", "entities": 7, "conversation": {"id": "x"}, "serviceUrl": "http://x"}', "application/json", 400),
        (b"\xff\xfe\x00garbage", "application/json", 400),
        ("type=message", "application/x-www-form-urlencoded", 415),
        (__import__("json").dumps(good), "text/plain", 415),
    ]
    for body, content_type, status in cases:
        caplog.clear()
        resp = await embedded_bot.post(body, content_type=content_type)
        assert resp.status == status, (body, resp.status)
        assert any(r.getMessage() == "rejected a Teams request" and r.status == status for r in caplog.records)
    assert embedded_bot.connector.calls == []
    async with embedded_bot.http.get(embedded_bot.url + "/api/messages") as resp:
        assert resp.status == 405
    # and the endpoint still works
    assert len(await embedded_bot.send(good)) == 2


async def test_throttled_connector_is_retried_honouring_retry_after(embedded_bot: TeamsBot) -> None:
    stub = embedded_bot.connector
    stub.failures = [(429, {"Retry-After": "1"}), (503, {})]
    replies = await embedded_bot.send(embedded_bot.a.personal(ADA, "start"))
    assert [c.kind for c in replies] == ["text", "question"]
    attempts = [c for c in stub.calls if c.body.get("text") == wording.WELCOME]
    assert [c.status for c in attempts] == [429, 503, 200]
    assert attempts[1].at - attempts[0].at >= 0.95  # Retry-After: 1 honoured
    # the question card's id still reached the core: a typed answer updates it in place
    typed = await embedded_bot.send(embedded_bot.a.personal(ADA, "not sure"))
    assert [(c.method, c.activity_id) for c in typed] == [("PUT", replies[1].message_id)]


async def test_gone_question_card_is_posted_anew(embedded_bot: TeamsBot) -> None:
    start = embedded_bot.a.personal(ADA, "start")
    await embedded_bot.send(start)
    embedded_bot.connector.failures = [(404, {})]
    replies = await embedded_bot.send(embedded_bot.a.personal(ADA, "not sure"))
    assert [(c.method, c.kind) for c in replies] == [("POST", "question")]
    again = await embedded_bot.send(embedded_bot.a.personal(ADA, "not sure"))
    assert [(c.method, c.activity_id) for c in again] == [("PUT", replies[0].message_id)]


# --- Redis goes away and comes back ---------------------------------------------------------------


@redis
async def test_redis_down_gives_the_polite_message_and_the_conversation_continues(
    connector: StubConnector, tmp_path: Any, redis_prefix: str
) -> None:
    server = RedisServer(tmp_path / "redis", persistent=True).start()
    store = store_from_settings(StoreSettings(url=server.url, prefix=redis_prefix, timeout_s=0.5))
    await store.prepare()
    bot, stop = await start_bot(connector, store)
    try:
        start = bot.a.personal(ADA, "start")
        first = await bot.send(start)
        question = first[1]
        server.stop()
        down = await bot.send(bot.a.personal(ADA, "not sure"))
        assert [(c.method, c.kind) for c in down] == [("POST", "text")]
        assert down[0].body["text"] == wording.STORE_UNAVAILABLE

        server = RedisServer(tmp_path / "redis", port=server.port, persistent=True).start()
        back = await bot.send(bot.a.personal(ADA, "not sure"))
        assert [(c.method, c.activity_id) for c in back] == [("PUT", question.message_id)]
        assert "Question 2" in back[0].card["fallbackText"]
    finally:
        await stop()
        server.stop()


# --- outbound authentication -------------------------------------------------------------------


async def test_replies_carry_a_cached_bearer_token_when_an_app_id_is_set(
    connector: StubConnector, embedded_bot: TeamsBot
) -> None:
    """Inbound auth is faked (no network); outbound, botbuilder's credentials are obtained once
    per app id and audience and their token is reused for every reply."""
    from botframework.connector.auth import AuthenticateRequestResult, AuthenticationConstants, ClaimsIdentity

    from adapters.teams.adapter import LeanAuthentication, LeanCloudAdapter

    token = jwt.encode({"aud": "https://api.botframework.com", "exp": int(time.time()) + 3600}, "k" * 32, algorithm="HS256")

    class Credentials:
        microsoft_app_id = APP_ID
        fetched = 0

        def get_access_token(self, force_refresh: bool = False) -> str:
            Credentials.fetched += 1
            return token

    class Factory:
        created = 0

        async def create(self, service_url: str, audience: str | None = None) -> Any:
            Factory.created += 1
            return type("Client", (), {"config": type("Config", (), {"credentials": Credentials()})()})()

    class Inner:
        async def authenticate_request(self, activity: Any, auth_header: str) -> AuthenticateRequestResult:
            if auth_header != "Bearer from-teams":
                raise PermissionError("no")
            result = AuthenticateRequestResult()
            result.claims_identity = ClaimsIdentity({AuthenticationConstants.AUDIENCE_CLAIM: APP_ID}, True)
            result.audience, result.caller_id, result.connector_factory = "https://api.botframework.com", None, Factory()
            return result

        async def create_user_token_client(self, claims: Any) -> object:
            return object()

    endpoint = embedded_bot.endpoint
    endpoint.adapter = LeanCloudAdapter(LeanAuthentication(Inner(), endpoint.connector))  # type: ignore[arg-type]
    headers = {"Authorization": "Bearer from-teams"}
    assert (await embedded_bot.post(embedded_bot.a.personal(ADA, "start"), headers=headers)).status == 201
    assert await endpoint.outbox.drain(10)
    assert (await embedded_bot.post(embedded_bot.a.personal(ADA, "not sure"), headers=headers)).status == 201
    assert (await embedded_bot.post(embedded_bot.a.personal(ADA, "status"))).status == 401
    assert await endpoint.outbox.drain(10)
    calls = embedded_bot.connector.ok
    assert [c.method for c in calls] == ["POST", "POST", "PUT"]
    assert {c.authorization for c in calls} == {f"Bearer {token}"}
    assert Factory.created == 1 and Credentials.fetched == 1
