"""The embedded store: RedisStore over an in-process fakeredis server (Lua via lupa).

Used when ``REDIS_URL`` is unset. It runs the very same Lua scripts as a real Redis, so its
semantics are the same; but state lives in this process only and is lost on exit.
"""

from __future__ import annotations

from fakeredis import FakeAsyncRedis, FakeServer

from .base import DEFAULT_CONVERSATION_TTL_S, DEFAULT_EVENT_TTL_S
from .keys import KeySpace
from .redis_store import RedisStore


def embedded_store(
    *,
    keys: KeySpace | None = None,
    conversation_ttl_s: float = DEFAULT_CONVERSATION_TTL_S,
    event_ttl_s: float = DEFAULT_EVENT_TTL_S,
    server: FakeServer | None = None,
) -> RedisStore:
    """A store over a fresh in-process server, or over ``server`` to share one between
    several stores (as several clients of one Redis would)."""
    client = FakeAsyncRedis(server=server if server is not None else FakeServer())
    return RedisStore(
        client,
        keys=keys,
        conversation_ttl_s=conversation_ttl_s,
        event_ttl_s=event_ttl_s,
        backend="embedded",
    )
