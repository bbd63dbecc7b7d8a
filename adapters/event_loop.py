"""The event loop ``serve`` runs on: uvloop where it is installed (Linux and macOS, a
dependency there), else the standard asyncio loop.

uvloop runs the same asyncio code on libuv; on the load benchmark it cut, with hiredis, the
server's CPU per Slack turn by about a third (network round trips to Redis, Slack and the
connector are most of a turn), while a bare ack barely changes.
"""

from __future__ import annotations

import asyncio


def new_event_loop() -> asyncio.AbstractEventLoop:
    """A new loop: uvloop's when importable, else asyncio's default."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def loop_name(loop: asyncio.AbstractEventLoop) -> str:
    """``uvloop`` or ``asyncio``, for the start-up log line."""
    return "uvloop" if type(loop).__module__.startswith("uvloop") else "asyncio"
