"""Inbound HTTP bodies, bounded: size, arrival time, JSON nesting depth.

Both webhook routes (``/slack/events``, ``/api/messages``) read their body through
:func:`read_body` and parse JSON with :func:`loads_json`, so that

* a body over ``max_bytes`` is refused before it is read (``Content-Length``) or as soon as
  the stream passes the limit -> 400;
* a body that has not arrived within ``read_timeout_s`` closes the connection (a client
  sending one byte every few seconds holds no socket for long), logged at info;
* a client that resets the connection mid-body is logged at info, not as an error;
* JSON nested deeper than ``MAX_JSON_DEPTH`` is a 400 before any Python-level parser (which
  would recurse) sees it.

docs/limits.md states the limits.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import orjson
from aiohttp import web

log = logging.getLogger("finetune_advisor.http")

#: Defaults of BODY_MAX_BYTES and BODY_READ_TIMEOUT_S.
DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_READ_TIMEOUT_S = 10.0
#: Deepest JSON nesting accepted on either route. Slack's and Teams' payloads nest about 12
#: deep (a rich-text block inside a message inside an interaction payload).
MAX_JSON_DEPTH = 64

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")


class BodyRejected(Exception):
    """The body cannot be used; ``status`` and ``reason`` for the answer and the log line."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class ClientGone(Exception):
    """The client reset the connection or sent its body too slowly: nothing to answer."""


@dataclass(frozen=True, slots=True)
class BodyLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    read_timeout_s: float = DEFAULT_READ_TIMEOUT_S


async def read_body(request: web.Request, limits: BodyLimits) -> bytes:
    """The whole body within the limits; BodyRejected (answer it) or ClientGone (the
    connection is closed: answer nothing)."""
    declared = request.content_length
    if declared is not None and declared > limits.max_bytes:
        raise BodyRejected(400, f"body of {declared} bytes is over the {limits.max_bytes}-byte limit")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(limits.read_timeout_s):
            while True:
                chunk = await request.content.readany()
                if not chunk:
                    break
                size += len(chunk)
                if size > limits.max_bytes:
                    raise BodyRejected(400, f"body is over the {limits.max_bytes}-byte limit")
                chunks.append(chunk)
    except TimeoutError:
        log.info("closed a connection: body not received in time",
                 extra={"path": request.path, "remote": request.remote, "timeout_s": limits.read_timeout_s,
                        "received": size})
        _close(request)
        raise ClientGone() from None
    except (ConnectionError, OSError, asyncio.IncompleteReadError) as exc:
        _client_reset(request, exc)
    except Exception as exc:  # aiohttp's payload errors (the client went away mid-body)
        if type(exc).__module__.startswith("aiohttp"):
            _client_reset(request, exc)
        raise
    return b"".join(chunks)


def _client_reset(request: web.Request, exc: BaseException) -> None:
    log.info("client went away while sending its body",
             extra={"path": request.path, "remote": request.remote, "error": type(exc).__name__})
    _close(request)
    raise ClientGone() from None


def _close(request: web.Request) -> None:
    transport = request.transport
    if transport is not None and not transport.is_closing():
        transport.close()


def json_depth(raw: bytes) -> int:
    """The deepest nesting of ``[``/``{`` in ``raw`` outside strings, or 0 when ``raw`` holds
    too few brackets to pass MAX_JSON_DEPTH at all (the usual case: two C-speed counts). Else
    C-speed regexes drop strings and non-brackets, and a Python loop runs over the brackets."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_DEPTH:
        return 0
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", raw))
    return max(accumulate(1 if c in (91, 123) else -1 for c in brackets), default=0)


def loads_json(raw: bytes | str) -> Any:
    """Parse JSON of any shape; ValueError (with a reason) when it is not JSON or is nested
    deeper than MAX_JSON_DEPTH. orjson first (several times faster); the stdlib for what only
    it reads (lone surrogate escapes, NaN, numbers out of range)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if json_depth(data) > MAX_JSON_DEPTH:
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH}")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ValueError("not JSON") from exc

