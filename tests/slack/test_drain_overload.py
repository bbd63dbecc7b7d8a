"""Shutdown inside its budget and overload bounded (issue 20, findings 10 and 11).

A "slow platform" stand-in holds every Web API call and connector post until released (or
answers the connector 503 with a long Retry-After), so turns and replies stay in flight.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from tests.slack.payloads import dm
from tests.teams.conftest import ADA, Activities, _serve


class SlowPlatform:
    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.url = ""
        self.calls = 0

    async def api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "auth.test":  # Bolt's authorization: answered at once
            return web.json_response({"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"})
        self.calls += 1
        await self.release.wait()
        return web.json_response({"ok": True, "ts": f"{time.time():.6f}", "channel": "D1"})

    async def connector(self, request: web.Request) -> web.Response:
        self.calls += 1
        if not self.release.is_set():
            return web.json_response({"error": "busy"}, status=503, headers={"Retry-After": "30"})
        return web.json_response({"id": "1"})


@pytest.fixture
async def slow() -> AsyncIterator[SlowPlatform]:
    platform = SlowPlatform()
    app = web.Application()
    app.router.add_post("/api/{method}", platform.api)
    app.router.add_route("*", "/teams/{tail:.*}", platform.connector)
    runner, url = await _serve(app)
    platform.url = url
    yield platform
    platform.release.set()
    await runner.cleanup()


async def _wait(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_one_drain_for_slack_and_teams_within_the_deadline(fake_slack, serve, embedded_store, slow, caplog):
    run = await serve(embedded_store, SLACK_API_URL=f"{slow.url}/api/", TEAMS_EMULATOR="1", SHUTDOWN_DEADLINE_S="2")
    caplog.set_level(logging.INFO)
    for user in ("U1", "U2"):
        assert (await run.sender.event(dm("start", user=user))).status == 200
    teams = Activities(f"{slow.url}/teams/")
    async with aiohttp.ClientSession() as http:
        for text in ("start", "help"):
            async with http.post(f"{run.url}/api/messages", json=teams.personal(ADA, text)) as resp:
                assert resp.status == 201
    await _wait(lambda: slow.calls >= 3)
    started = time.monotonic()
    await run.stop()
    took = time.monotonic() - started
    assert took < 2 + 2.5, took  # one deadline for both, plus cancelling and closing (before: 50 s)
    lines = [r for r in caplog.records if r.getMessage() == "not delivered at shutdown: the drain deadline passed"]
    assert len(lines) == 1
    assert lines[0].count >= 3 and lines[0].slack >= 2 and lines[0].teams >= 1
    after = caplog.records[caplog.records.index(lines[0]):]
    assert not [r for r in after if "retried" in r.getMessage()]  # retries stopped at the deadline


async def _metric(url: str, name: str) -> float:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{url}/metrics") as resp:
            text = await resp.text()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(name))


async def test_past_the_queue_limit_turns_are_shed_honestly(fake_slack, serve, embedded_store, slow):
    run = await serve(embedded_store, SLACK_API_URL=f"{slow.url}/api/", TEAMS_EMULATOR="1", TURN_QUEUE_LIMIT="3")
    shed_before = await _metric(run.url, 'ftadvisor_turns_shed_total{platform="slack"}')
    for user in ("U1", "U2", "U3"):  # three turns held by the slow Web API fill the queue
        assert (await run.sender.event(dm("start", user=user))).status == 200
    await _wait(lambda: slow.calls >= 3)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{run.url}/readyz") as resp:
            assert resp.status == 503
            assert (await resp.json())["reason"] == "saturated"
        # the slash command's ack itself says so, ephemerally
        reply = await run.sender.command("start", user="U4")
        assert reply.status == 200 and "busy" in reply.text and "ephemeral" in reply.text
        # Teams: 503 with Retry-After
        teams = Activities(f"{slow.url}/teams/")
        async with http.post(f"{run.url}/api/messages", json=teams.personal(ADA, "start")) as resp:
            assert resp.status == 503 and resp.headers["Retry-After"]
        async with http.get(f"{run.url}/healthz") as resp:
            assert resp.status == 200
    # a direct message: acked (Slack must not retry it), shed, and the person told ephemerally
    calls = slow.calls
    assert (await run.sender.event(dm("start", user="U5"))).status == 200
    await _wait(lambda: slow.calls == calls + 1)  # the chat.postEphemeral busy notice
    assert await _metric(run.url, 'ftadvisor_turns_shed_total{platform="slack"}') == shed_before + 2
    assert await _metric(run.url, 'ftadvisor_turns_shed_total{platform="teams"}') >= 1
    slow.release.set()
    await _wait(lambda: run.bot.service.queue.size == 0)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{run.url}/readyz") as resp:
            assert resp.status == 200


async def test_teams_deliveries_held_by_a_slow_connector_count_against_the_limit(fake_slack, serve, embedded_store,
                                                                                slow):
    run = await serve(embedded_store, TEAMS_EMULATOR="1", TURN_QUEUE_LIMIT="2", SHUTDOWN_DEADLINE_S="1")
    teams = Activities(f"{slow.url}/teams/")
    async with aiohttp.ClientSession() as http:
        statuses = []
        for user in range(4):  # the connector answers 503 Retry-After: 30, so deliveries wait
            activity = teams.personal(ADA, "start")
            activity["from"]["aadObjectId"] = f"user-{user}"
            async with http.post(f"{run.url}/api/messages", json=activity) as resp:
                statuses.append(resp.status)
    assert statuses == [201, 201, 503, 503]
