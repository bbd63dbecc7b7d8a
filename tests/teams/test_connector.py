"""The lean Bot Connector client: URLs, retries, Retry-After, token refresh."""

from __future__ import annotations

import email.utils
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from adapters.teams.connector import Connector, ConnectorError, RetryPolicy, activities_url, retry_after_seconds

FAST = RetryPolicy(attempts=4, base_s=0.01, cap_s=0.02, timeout_s=2)


class Tokens:
    def __init__(self) -> None:
        self.issued = 0

    async def token(self) -> str | None:
        return f"tok{self.issued}"

    def invalidate(self) -> None:
        self.issued += 1


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[tuple[int, dict[str, str]]], list[web.Request]]]:
    script: list[tuple[int, dict[str, str]]] = []
    seen: list[web.Request] = []

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        seen.append(request)
        status, headers = script.pop(0) if script else (200, {})
        return web.json_response({"id": "m1"} if status < 300 else {"error": {}}, status=status, headers=headers)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/emea/", script, seen
    await runner.cleanup()


def test_urls_percent_encode_whole_ids() -> None:
    url = activities_url("https://smba.trafficmanager.net/amer/", "19:ab@thread.tacv2;messageid=17", "17/x")
    assert str(url) == (
        "https://smba.trafficmanager.net/amer/v3/conversations/19%3Aab%40thread.tacv2%3Bmessageid%3D17/activities/17%2Fx"
    )
    assert str(activities_url("https://x/", "a:1")).endswith("/v3/conversations/a%3A1/activities")


def test_retry_after_forms() -> None:
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(" 0.5 ") == 0.5
    assert retry_after_seconds("-4") == 0.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    now = time.time()
    assert 9 <= retry_after_seconds(email.utils.formatdate(now + 10, usegmt=True), now=now) <= 10  # type: ignore[operator]


async def test_post_returns_the_id_and_sends_the_bearer_token(server: Any) -> None:
    url, _, seen = server
    connector = Connector(FAST)
    try:
        message_id = await connector.post(url, "a:1", {"type": "message", "text": "é"}, reply_to_id="5", tokens=Tokens())
    finally:
        await connector.close()
    assert message_id == "m1"
    assert seen[0].method == "POST" and seen[0].raw_path == "/emea/v3/conversations/a%3A1/activities/5"
    assert seen[0].headers["Authorization"] == "Bearer tok0"


async def test_5xx_and_429_are_retried_then_give_up(server: Any) -> None:
    url, script, seen = server
    script.extend([(503, {}), (429, {"Retry-After": "0"}), (500, {}), (502, {})])
    connector = Connector(FAST)
    try:
        with pytest.raises(ConnectorError) as failure:
            await connector.update(url, "a:1", "m1", {"type": "message"})
    finally:
        await connector.close()
    assert len(seen) == 4 and failure.value.status == 502
    assert all(r.method == "PUT" and "Authorization" not in r.headers for r in seen)  # no token source: no header


async def test_401_refreshes_the_token_once_and_4xx_is_final(server: Any) -> None:
    url, script, seen = server
    script.extend([(401, {}), (200, {})])
    tokens = Tokens()
    connector = Connector(FAST)
    try:
        assert await connector.post(url, "a:1", {"type": "message"}, tokens=tokens) == "m1"
        assert [r.headers["Authorization"] for r in seen] == ["Bearer tok0", "Bearer tok1"]
        script.extend([(403, {})])
        with pytest.raises(ConnectorError) as failure:
            await connector.post(url, "a:1", {"type": "message"}, tokens=tokens)
        assert failure.value.status == 403 and len(seen) == 3
    finally:
        await connector.close()


async def test_unreachable_service_is_retried_then_reported() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    connector = Connector(FAST)
    try:
        with pytest.raises(ConnectorError, match="after 4 attempts"):
            await connector.post(f"http://127.0.0.1:{port}/", "a:1", {"type": "message"})
    finally:
        await connector.close()
