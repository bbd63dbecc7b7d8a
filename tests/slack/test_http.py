"""The HTTP front: signatures, malformed bodies, url_verification, acking fast, draining."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import aiohttp
import pytest

from tests.slack.drive import idle
from tests.slack.payloads import FORM, JSON, dm


async def _raw(url: str, body: str, headers: dict[str, str]) -> int:
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body.encode(), headers=headers) as response:
            return response.status


async def test_forged_stale_and_unsigned_requests_get_401(fake_slack, serve, embedded_store, caplog):
    run = await serve(embedded_store)
    sender = run.sender
    body = sender.command_body("")
    forged = sender.headers(body, FORM)
    forged["X-Slack-Signature"] = "v0=" + "0" * 64
    stale_ts = int(time.time()) - 301
    stale = sender.headers(body, FORM, timestamp=stale_ts)  # correctly signed, over five minutes old
    sender.secret, good = "not-the-secret", sender.secret
    other_secret = sender.headers(body, FORM)
    sender.secret = good
    not_a_number = {**sender.headers(body, FORM), "X-Slack-Request-Timestamp": "soon"}
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.slack.http"):
        for headers in (forged, stale, other_secret, not_a_number, {"Content-Type": FORM}):
            assert await _raw(sender.url, body, headers) == 401
    assert sum("bad or stale signature" in r.getMessage() for r in caplog.records) == 5
    assert fake_slack.calls == []


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (JSON, "{not json"),
        (JSON, "[1, 2]"),
        (FORM, "payload=%7Bnot%20json"),
        (FORM, "payload=%5B%5D"),
        (FORM, "just=a&form=here"),
        (FORM, "%%%"),
        ("text/plain", "hello"),
    ],
)
async def test_malformed_bodies_get_400(fake_slack, serve, embedded_store, caplog, content_type, body):
    run = await serve(embedded_store)
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.slack.http"):
        reply = await run.sender.post(body, content_type)
    assert reply.status == 400
    assert any("malformed body" in r.getMessage() for r in caplog.records)
    assert fake_slack.calls == []


async def test_url_verification_echoes_the_challenge(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    body = json.dumps({"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"})
    reply = await run.sender.post(body, JSON)
    assert reply.status == 200
    assert json.loads(reply.text)["challenge"].startswith("3eZbrw1a")


async def test_every_subscribed_event_has_a_listener(fake_slack, serve, embedded_store):
    """Nothing the manifest subscribes to gets Bolt's 404."""
    run = await serve(embedded_store)
    events = [
        {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages", "event_ts": "1.2"},
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": ["U1"], "bot": ["UBOT"]}},
        {"type": "message", "subtype": "message_deleted", "channel": "C1", "channel_type": "channel",
         "ts": "1.3", "deleted_ts": "1.1", "hidden": True},
        {"type": "message", "subtype": "bot_message", "bot_id": "B1", "channel": "G1", "channel_type": "group",
         "text": "hi", "ts": "1.4"},
    ]
    for event in events:
        assert (await run.sender.event(event)).status == 200


async def test_slack_is_acked_at_once_and_turns_drain_on_shutdown(fake_slack, serve, embedded_store):
    run = await serve(embedded_store)
    release = asyncio.Event()
    service = run.bot.service
    real_handle = service.handle

    async def slow_handle(event):  # a turn that takes as long as the test wants
        await release.wait()
        return await real_handle(event)

    service.handle = slow_handle  # type: ignore[method-assign]
    reply = await run.sender.command("", respond="slow")
    assert reply.status == 200 and reply.elapsed < 1.0  # acked while the turn is still running
    reply = await run.sender.event(dm("hi"))
    assert reply.status == 200 and reply.elapsed < 1.0
    assert len(run.bot.tasks) == 2 and fake_slack.responses("slow") == []

    runner_cleanup = asyncio.ensure_future(run.stop())
    await asyncio.sleep(0.05)  # let shutdown begin; it must wait for the turns
    assert not runner_cleanup.done()
    release.set()
    await asyncio.wait_for(runner_cleanup, 10)
    assert len(fake_slack.responses("slow")) == 1 and len(fake_slack.of("chat.postMessage")) == 1


async def test_background_turn_failures_are_contained(fake_slack, serve, embedded_store, caplog):
    run = await serve(embedded_store)
    fake_slack.fail["chat.postMessage"] = "channel_not_found"
    fake_slack.fail["chat.postEphemeral"] = "channel_not_found"
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.slack"):
        await run.sender.event(dm("hi"))
        await idle(run)
    messages = [r.getMessage() for r in caplog.records]
    assert "slack call failed" in messages and "could not tell the user about a failed post" in messages
    assert all("hi" != getattr(r, "text", None) for r in caplog.records)


# --- form parsing: yarl's unquoter must read a form exactly as the stdlib does -----------------

from urllib.parse import parse_qsl, urlencode  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from adapters.slack.routes import parse_form  # noqa: E402


def _stdlib_form(body: str) -> dict[str, str] | str:
    try:
        return dict(parse_qsl(body, keep_blank_values=True, strict_parsing=True))
    except ValueError:
        return "ValueError"


def _our_form(body: str) -> dict[str, str] | str:
    try:
        return parse_form(body)
    except ValueError:
        return "ValueError"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=40)), max_size=6))
def test_parse_form_reads_encoded_forms_as_the_stdlib(pairs):
    body = urlencode(pairs)
    assert _our_form(body) == _stdlib_form(body)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab=&%+#;?/ 29CEF\n\u00e9\u2713")), max_size=40))
def test_parse_form_reads_arbitrary_text_as_the_stdlib(body):
    # broken escapes, '+', ';', '#', raw non-ASCII, empty fields: same dict or same ValueError
    assert _our_form(body) == _stdlib_form(body)


def test_parse_form_reads_a_real_button_press():
    from tests.slack.payloads import SlackSender

    body = SlackSender("http://127.0.0.1/slack/events", "http://127.0.0.1").action_body("answer:task_scope", "narrow")
    form = parse_form(body)
    assert form == _stdlib_form(body)
    assert json.loads(form["payload"])["actions"][0]["action_id"] == "answer:task_scope"


def test_parse_form_reads_large_forms_as_the_stdlib():
    from adapters.slack.routes import YARL_FORM_LIMIT

    body = urlencode([("payload", "é%+&=" * YARL_FORM_LIMIT), ("b", "")])
    assert len(body) > YARL_FORM_LIMIT
    assert _our_form(body) == _stdlib_form(body)
    assert _our_form(body + "&broken") == _stdlib_form(body + "&broken") == "ValueError"


def test_json_bodies_the_stdlib_reads_but_orjson_refuses_are_still_read():
    from adapters.slack.routes import parse_body

    text = '{"type": "event_callback", "event": {"type": "app_home_opened", "x": "\\ud800", "n": NaN}}'
    parsed, problem = parse_body("application/json", text)
    assert problem is None
    assert parsed["event"]["x"] == "\ud800"
    assert parse_body("application/json", "[" * 100_000)[1].startswith("body is not JSON")
