"""A local stand-in for Slack's Web API, file uploads and response_url endpoints.

An aiohttp server on a free port records every call (method and its merged query, form and
JSON arguments) and answers like Slack. Tests point ``SLACK_API_URL`` and the payloads'
``response_url`` at it, and wait for calls with :meth:`FakeSlack.wait_for` (polling with a
timeout, never a fixed sleep).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web


@dataclass
class Call:
    method: str  # Web API method, "upload", or "response_url"
    args: dict[str, Any]
    path: str = ""  # response_url name, upload file id, or the Authorization header
    result: dict[str, Any] = field(default_factory=dict)  # what the stand-in answered

    @property
    def blocks(self) -> list[dict[str, Any]]:
        blocks = self.args.get("blocks") or []
        return json.loads(blocks) if isinstance(blocks, str) else blocks

    def action_ids(self) -> list[str]:
        return [e.get("action_id", "") for b in self.blocks if b.get("type") == "actions" for e in b["elements"]]

    def buttons(self) -> list[dict[str, Any]]:
        """Every button with its block_id."""
        return [
            {**e, "block_id": b.get("block_id", "")}
            for b in self.blocks
            if b.get("type") == "actions"
            for e in b["elements"]
        ]

    @property
    def text(self) -> str:
        return str(self.args.get("text") or "")

    @property
    def ts(self) -> str:
        return str(self.result.get("ts") or "")

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.args.get("metadata") or {}
        return json.loads(meta) if isinstance(meta, str) else meta


@dataclass
class FakeSlack:
    team: str = "T1"
    bot_user: str = "UBOT"
    calls: list[Call] = field(default_factory=list)
    fail: dict[str, str] = field(default_factory=dict)  # method -> Slack error code ("response_url:<name>": 404)
    rate_limit_once: set[str] = field(default_factory=set)  # method, or "response_url:<name>"
    server_error_once: set[str] = field(default_factory=set)  # answer 503 once (same keys)
    url: str = ""
    sockets: list[web.WebSocketResponse] = field(default_factory=list)  # Socket Mode connections
    socket_messages: list[dict[str, Any]] = field(default_factory=list)  # what the app sent on them
    _runner: web.AppRunner | None = None
    _ts: Any = field(default_factory=lambda: itertools.count(1))

    # --- lifecycle ---------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        for ws in self.sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/respond/{name}"

    # --- queries -------------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def responses(self, name: str) -> list[Call]:
        return [c for c in self.calls if c.method == "response_url" and c.path == name]

    async def wait_for(self, predicate: Callable[[list[Call]], Any], timeout: float = 10.0) -> Any:
        """Poll the recorded calls until ``predicate(calls)`` is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate(self.calls)
            if result:
                return result
            if time.monotonic() > deadline:
                methods = [(c.method, c.path) for c in self.calls]
                raise AssertionError(f"timed out waiting; calls so far: {methods}")
            await asyncio.sleep(0.01)

    async def wait_count(self, method: str, count: int, timeout: float = 10.0, path: str | None = None) -> list[Call]:
        def enough(calls: list[Call]) -> list[Call] | None:
            found = [c for c in calls if c.method == method and (path is None or c.path == path)]
            return found if len(found) >= count else None

        return await self.wait_for(enough, timeout)

    # --- handlers ------------------------------------------------------------------------

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if request.content_type == "application/json" and raw:
            args.update(json.loads(raw))
        elif request.content_type == "application/x-www-form-urlencoded" and raw:
            args.update(parse_qsl(raw.decode(), keep_blank_values=True))
        return args

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        call = Call(method, args, request.headers.get("Authorization", ""))
        self.calls.append(call)
        if method in self.rate_limit_once:
            self.rate_limit_once.discard(method)
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"})
        if method in self.server_error_once:
            self.server_error_once.discard(method)
            return web.Response(status=503, text="service unavailable")
        if method in self.fail:
            return web.json_response({"ok": False, "error": self.fail[method]})
        call.result = self._answer(method, args)
        return web.json_response(call.result)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "finetune",
                    "team_id": self.team, "user_id": self.bot_user, "bot_id": "BBOT", "is_enterprise_install": False}
        if method == "chat.postMessage":
            return {"ok": True, "channel": args.get("channel"), "ts": self._next_ts(),
                    "message": {"text": args.get("text"), "user": self.bot_user}}
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "X"))[1:]}}
        if method == "views.publish":
            view = args.get("view")
            return {"ok": True, "view": json.loads(view) if isinstance(view, str) else view}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.url.replace("http://", "ws://") + "/socket"}
        if method == "oauth.v2.access":
            return {
                "ok": True, "app_id": "A1", "authed_user": {"id": "U1"}, "scope": "commands,chat:write",
                "token_type": "bot", "access_token": "xoxb-installed", "bot_user_id": self.bot_user,
                "team": {"id": self.team, "name": "Test"}, "enterprise": None, "is_enterprise_install": False,
            }
        return {"ok": True}

    async def _upload(self, request: web.Request) -> web.Response:
        raw = await request.read()
        self.calls.append(Call("upload", {"size": len(raw), "body": raw}, request.match_info["file_id"]))
        return web.Response(text=f"OK - {len(raw)}")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then record every envelope ack the app sends back."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "stand-in"},
                            "connection_info": {"app_id": "A1"}})
        async for frame in ws:
            if frame.type == WSMsgType.TEXT:
                self.socket_messages.append(json.loads(frame.data))
        return ws

    async def _respond(self, request: web.Request) -> web.Response:
        args = await self._args(request)
        name = request.match_info["name"]
        self.calls.append(Call("response_url", args, name))
        key = f"response_url:{name}"
        if key in self.rate_limit_once:
            self.rate_limit_once.discard(key)
            return web.Response(status=429, text="rate limited", headers={"Retry-After": "1"})
        if key in self.server_error_once:
            self.server_error_once.discard(key)
            return web.Response(status=503, text="service unavailable")
        if key in self.fail:  # e.g. an expired response_url: Slack answers 404 "expired_url"
            return web.Response(status=404, text=self.fail[key])
        return web.Response(text="ok")
