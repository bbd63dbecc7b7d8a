"""Hostile but signed Slack input (issue 20): 400 naming the field, never 500, never a turn
that dies after the ack; response_url only to allowed hosts; /slack/install bounded."""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import time
import logging
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
import redis

from tests.slack.drive import idle
from tests.slack.payloads import FORM, JSON, dm


def _payload_form(payload: dict) -> str:
    return urlencode({"payload": json.dumps(payload)})


def _problems(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.problem for r in caplog.records if r.getMessage() == "slack request rejected: malformed body"]


async def test_block_actions_with_a_null_action_is_400_naming_the_field(fake_slack, serve, embedded_store, caplog):
    run = await serve(embedded_store)
    payload = json.loads(dict(parse_qsl(run.sender.action_body("start")))["payload"])
    payload["actions"] = [None]
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.slack.http"):
        reply = await run.sender.post(_payload_form(payload), FORM)
    assert reply.status == 400
    assert len(_problems(caplog)) == 1 and "actions.0" in _problems(caplog)[0]
    assert fake_slack.calls == []


async def test_view_submission_without_view_type_is_400(fake_slack, serve, embedded_store, caplog):
    run = await serve(embedded_store)
    payload = {"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1", "team_id": "T1"},
               "api_app_id": "A1", "trigger_id": "1.2.3", "view": {"id": "V1", "callback_id": "x", "state": {}}}
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.slack.http"):
        reply = await run.sender.post(_payload_form(payload), FORM)
    assert reply.status == 400
    assert "view.type" in _problems(caplog)[0]
    # and the well-formed one is Bolt's 404 (no listener), not an error
    payload["view"]["type"] = "modal"
    assert (await run.sender.post(_payload_form(payload), FORM)).status == 404


async def test_dm_whose_user_is_an_object_is_400_not_a_dead_turn(fake_slack, serve, embedded_store, caplog):
    """The autouse _no_adapter_errors fixture fails this test if a background turn raises."""
    run = await serve(embedded_store)
    event = dm("start")
    event["user"] = {"id": "U1", "name": "ada"}
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.slack.http"):
        reply = await run.sender.event(event)
    await idle(run)
    assert reply.status == 400
    assert "event.user" in _problems(caplog)[0]
    assert fake_slack.calls == []


@pytest.mark.parametrize("where", ["command", "action"])
async def test_response_url_outside_the_allowed_prefixes_is_refused(fake_slack, serve, embedded_store, caplog, where):
    run = await serve(embedded_store)
    elsewhere = f"{fake_slack.url}/metrics"  # same host, not under /respond/
    if where == "command":
        body = run.sender.command_body("").replace(
            urlencode({"x": f"{fake_slack.url}/respond/"})[2:], urlencode({"x": elsewhere + "/"})[2:])
    else:
        form = dict(parse_qsl(run.sender.action_body("start")))
        payload = json.loads(form["payload"])
        payload["response_url"] = "http://127.0.0.1:6379/"
        body = _payload_form(payload)
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.slack.http"):
        reply = await run.sender.post(body, FORM)
    await idle(run)
    assert reply.status == 400
    assert "response_url" in _problems(caplog)[0]
    assert fake_slack.calls == []


def test_response_url_prefixes_default_to_slack_hooks_only():
    from adapters.settings import Settings

    assert Settings(_env_file=None).response_url_prefixes == ("https://hooks.slack.com/",)  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        Settings(_env_file=None, SLACK_RESPONSE_URL_PREFIXES="https://hooks.slack.com")  # type: ignore[call-arg]


async def test_install_is_rate_limited_per_client_and_states_are_capped(fake_slack, serve, redis_store, redis_url,
                                                                       redis_prefix):
    run = await serve(redis_store, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="client-secret",
                      SLACK_INSTALL_PER_MINUTE="6000", SLACK_OAUTH_MAX_PENDING_STATES="7")
    statuses = []
    async with aiohttp.ClientSession() as http:
        for _ in range(12):
            async with http.get(f"{run.url}/slack/install", allow_redirects=False) as resp:
                statuses.append(resp.status)
    assert statuses[:7] == [200] * 7 and set(statuses[7:]) == {503}
    client = redis.Redis.from_url(redis_url)
    try:
        states = list(client.scan_iter(match=f"{redis_prefix}:slack:oauth_state:*"))
    finally:
        client.close()
    assert len(states) == 7


async def test_install_rate_limit_per_client(fake_slack, serve, redis_store):
    run = await serve(redis_store, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="client-secret",
                      SLACK_INSTALL_PER_MINUTE="1")
    statuses = []
    async with aiohttp.ClientSession() as http:
        for _ in range(8):
            async with http.get(f"{run.url}/slack/install", allow_redirects=False) as resp:
                statuses.append((resp.status, resp.headers.get("Retry-After")))
    assert [s for s, _ in statuses[:5]] == [200] * 5  # a burst of five
    assert all(s == 429 and retry for s, retry in statuses[5:])


async def test_deep_json_is_400_on_both_routes(fake_slack, serve, embedded_store, caplog):
    run = await serve(embedded_store, TEAMS_EMULATOR="1")
    deep = "[" * 100_000 + "]" * 100_000
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        slack = await run.sender.post(deep, JSON)
        slack_form = await run.sender.post(urlencode({"payload": deep}), FORM)
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{run.url}/api/messages", data=deep,
                                 headers={"Content-Type": "application/json"}) as resp:
                teams = resp.status
    assert (slack.status, slack_form.status) == (400, 400)
    assert teams == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert all(len(r.getMessage()) < 200 for r in caplog.records)


async def test_huge_body_is_400_before_it_is_read(fake_slack, serve, embedded_store, caplog):
    run = await serve(embedded_store, BODY_MAX_BYTES="4096")
    body = run.sender.command_body("x" * 5000)
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.slack.http"):
        reply = await run.sender.post(body, FORM)
    assert reply.status == 400
    assert "limit" in _problems(caplog)[0]


async def _open(url: str, path: str, length: int, first: bytes) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {length}\r\n\r\n".encode() + first)
    await writer.drain()
    return reader, writer


@pytest.mark.parametrize("path", ["/slack/events", "/api/messages"])
async def test_a_body_that_trickles_in_is_cut_off_at_the_read_timeout(fake_slack, serve, embedded_store, caplog, path):
    run = await serve(embedded_store, BODY_READ_TIMEOUT_S="0.5", TEAMS_EMULATOR="1")
    caplog.set_level(logging.INFO)
    reader, writer = await _open(run.url, path, 100, b"{")
    started = time.monotonic()
    closed_after = None
    try:
        for _ in range(10):  # one byte every 0.3 s: 3 s if never cut off
            await asyncio.sleep(0.3)
            if reader.at_eof() or writer.is_closing():
                break
            writer.write(b" ")
            await writer.drain()
        closed_after = time.monotonic() - started if (await asyncio.wait_for(reader.read(), 2)) is not None else None
    except (ConnectionError, OSError):
        closed_after = time.monotonic() - started
    finally:
        writer.close()
    assert closed_after is not None and closed_after < 2.0
    info = [r for r in caplog.records if r.getMessage() == "closed a connection: body not received in time"]
    assert len(info) == 1 and info[0].levelno == logging.INFO
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("path", ["/slack/events", "/api/messages"])
async def test_a_client_reset_mid_body_is_logged_at_info(fake_slack, serve, embedded_store, caplog, path):
    run = await serve(embedded_store, TEAMS_EMULATOR="1")
    caplog.set_level(logging.INFO)
    _, writer = await _open(run.url, path, 1000, b'{"type": "mess')
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST
    writer.transport.abort()
    for _ in range(100):
        if any(r.getMessage() == "client went away while sending its body" for r in caplog.records):
            break
        await asyncio.sleep(0.02)
    gone = [r for r in caplog.records if r.getMessage() == "client went away while sending its body"]
    assert len(gone) == 1 and gone[0].levelno == logging.INFO
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{run.url}/healthz") as resp:
            assert resp.status == 200
