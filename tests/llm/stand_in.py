"""A local stand-in for an OpenAI-compatible chat completions endpoint, over real HTTP.

An aiohttp server on a free port serves ``POST /v1/chat/completions``. It records every request
body and answers from what the test prepared, per purpose (the structured-output schema the
request asks for: ``Understanding`` or ``GroundedAnswer``):

* :func:`structured` arguments, rendered as a tool call when the request offers tools (langchain's
  ``function_calling``) or as JSON content when it asks for ``response_format`` (``json_schema``);
* :func:`content` (plain text, for nonsense), :func:`broken_tool_call` (arguments that are not JSON),
  :func:`error` (an HTTP status with an OpenAI-style error body), :func:`garbage` (a 200 that is
  not JSON at all);
* any of these delayed by ``delay_s`` (a slow model).

Point the real ``langchain-openai`` client at it with ``LLM_BASE_URL=stand_in.base_url``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import web

UNDERSTANDING, PHRASING = "Understanding", "GroundedAnswer"


@dataclass(frozen=True)
class Prepared:
    """One prepared answer. ``kind``: structured, content, broken, error, garbage."""

    kind: str
    payload: Any = None
    status: int = 200
    delay_s: float = 0.0

    def slow(self, delay_s: float) -> Prepared:
        return replace(self, delay_s=delay_s)


def structured(arguments: dict[str, Any]) -> Prepared:
    return Prepared("structured", arguments)


def understood(*readings: tuple[str, str, str]) -> Prepared:
    """Readings (factor, value, evidence) as the Understanding schema's arguments."""
    return structured({"readings": [{"factor": f, "value": v, "evidence": e} for f, v, e in readings]})


def answered(answer: str, *cited: str) -> Prepared:
    return structured({"answer": answer, "cited_ids": list(cited)})


def content(text: str) -> Prepared:
    return Prepared("content", text)


def broken_tool_call() -> Prepared:
    return Prepared("broken")


def error(status: int, message: str = "stand-in error") -> Prepared:
    return Prepared("error", message, status=status)


def garbage() -> Prepared:
    return Prepared("garbage")


Responder = Callable[[dict[str, Any]], Prepared]


def purpose_of(body: dict[str, Any]) -> str:
    for tool in body.get("tools") or []:
        return str(tool.get("function", {}).get("name", ""))
    schema = (body.get("response_format") or {}).get("json_schema") or {}
    return str(schema.get("name", ""))


def human_text(body: dict[str, Any]) -> str:
    """The last user message of a request (what the bot sent as the human turn)."""
    for message in reversed(body.get("messages") or []):
        if message.get("role") == "user":
            c = message.get("content")
            return c if isinstance(c, str) else json.dumps(c)
    return ""


@dataclass
class StandIn:
    """``prepare(purpose, *answers)`` queues answers; ``responders[purpose]`` answers when the queue
    is empty (default: an empty reading, or an error for an unexpected phrasing call)."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    queues: dict[str, list[Prepared]] = field(default_factory=dict)
    responders: dict[str, Responder] = field(default_factory=dict)
    base_url: str = ""
    _runner: web.AppRunner | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: Any = field(default_factory=itertools.count)

    async def start(self) -> StandIn:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self

    async def stop(self) -> None:
        self._stopping.set()  # ends slow answers still waiting
        if self._runner is not None:
            await self._runner.cleanup()

    def prepare(self, purpose: str, *answers: Prepared) -> None:
        self.queues.setdefault(purpose, []).extend(answers)

    def calls(self, purpose: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.requests if purpose is None or purpose_of(r) == purpose]

    def clear(self) -> None:
        self.requests.clear()
        self.queues.clear()

    def _next(self, body: dict[str, Any]) -> Prepared:
        purpose = purpose_of(body)
        queue = self.queues.get(purpose)
        if queue:
            return queue.pop(0)
        if purpose in self.responders:
            return self.responders[purpose](body)
        if purpose == UNDERSTANDING:
            return understood()
        return error(500, f"nothing prepared for {purpose or 'this request'}")

    async def _completions(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        prepared = self._next(body)
        if prepared.delay_s:
            try:
                await asyncio.wait_for(self._stopping.wait(), prepared.delay_s)
            except asyncio.TimeoutError:
                pass
        if prepared.kind == "error":
            kind = "rate_limit_exceeded" if prepared.status == 429 else "server_error"
            return web.json_response(
                {"error": {"message": prepared.payload, "type": kind, "param": None, "code": kind}},
                status=prepared.status, headers={"retry-after": "0"} if prepared.status == 429 else None,
            )
        if prepared.kind == "garbage":
            return web.Response(text="<html>teapot</html>", content_type="application/json")
        message: dict[str, Any] = {"role": "assistant", "content": None}
        finish = "stop"
        if prepared.kind == "content":
            message["content"] = prepared.payload
        elif prepared.kind == "broken":
            message["tool_calls"] = [self._tool_call(purpose_of(body), "{\"readings\": [")]
            finish = "tool_calls"
        elif body.get("tools"):
            message["tool_calls"] = [self._tool_call(purpose_of(body), json.dumps(prepared.payload))]
            finish = "tool_calls"
        else:
            message["content"] = json.dumps(prepared.payload)
        return web.json_response({
            "id": f"chatcmpl-{next(self._ids)}",
            "object": "chat.completion",
            "created": 1700000000,
            "model": body.get("model", "stand-in"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        })

    def _tool_call(self, name: str, arguments: str) -> dict[str, Any]:
        return {"id": f"call_{next(self._ids)}", "type": "function", "function": {"name": name, "arguments": arguments}}
