"""A real ``serve`` process stopped with SIGTERM while Slack and Teams replies hang on a slow
platform exits within SHUTDOWN_DEADLINE_S, and says once how much it could not deliver
(issue 20, finding 10: 50.6 s before, the Slack and Teams drains one after the other)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from tests.replica_support import ServeProcess, clean_env
from tests.slack.payloads import SECRET, SlackSender, dm
from tests.teams.conftest import ADA, Activities, _serve

DEADLINE_S = 2.0


async def test_sigterm_with_replies_in_flight_exits_within_the_deadline(tmp_path: Path) -> None:
    calls: list[str] = []
    release = asyncio.Event()

    async def api(request: web.Request) -> web.Response:
        if request.match_info["method"] == "auth.test":
            return web.json_response({"ok": True, "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"})
        calls.append(request.match_info["method"])
        await release.wait()  # a Web API that does not answer before the test is over
        return web.json_response({"ok": True})

    async def connector(request: web.Request) -> web.Response:
        calls.append("connector")
        return web.json_response({"error": "busy"}, status=503, headers={"Retry-After": "30"})

    app = web.Application()
    app.router.add_post("/api/{method}", api)
    app.router.add_route("*", "/teams/{tail:.*}", connector)
    runner, url = await _serve(app)
    server = ServeProcess(clean_env(SLACK_SIGNING_SECRET=SECRET, SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=f"{url}/api/",
                                    TEAMS_EMULATOR="1", SHUTDOWN_DEADLINE_S=str(DEADLINE_S), LOG_LEVEL="INFO"),
                          tmp_path, name="sigterm").start()
    try:
        await server.wait_ready()
        sender = SlackSender(f"{server.url}/slack/events", url)
        async with aiohttp.ClientSession() as http:
            for user in ("U1", "U2"):
                body = sender.event_body(dm("start", user=user))
                async with http.post(sender.url, data=body.encode(), headers=sender.headers(body, "application/json")) as resp:
                    assert resp.status == 200
            async with http.post(f"{server.url}/api/messages", json=Activities(f"{url}/teams/").personal(ADA, "start")) as resp:
                assert resp.status == 201
        deadline = time.monotonic() + 10
        while len(calls) < 3 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert len(calls) >= 3, calls
        code, took = await server.terminate(30)
    finally:
        server.kill()
        release.set()
        await runner.cleanup()
    assert code == 0
    assert took < DEADLINE_S + 3, took
    lines = [json.loads(line) for line in server.stderr().splitlines() if line.startswith("{")]
    undelivered = [r for r in lines if r["msg"] == "not delivered at shutdown: the drain deadline passed"]
    assert len(undelivered) == 1 and undelivered[0]["count"] >= 3, undelivered
    assert not [r for r in lines if r["level"] == "error"]
