"""RedisStore: the conversation store over any redis-py asyncio client.

The same class serves a real Redis (standalone or Cluster) and the embedded fakeredis
server: only the client differs, the Lua scripts and the envelope are the same.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Union

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError, RedisClusterException, RedisError

from bot.errors import StoreError
from bot.events import ConversationKey

from . import scripts
from .base import (
    DEFAULT_CONVERSATION_TTL_S,
    DEFAULT_EVENT_TTL_S,
    SCHEMA,
    Loaded,
    SaveOutcome,
)
from .keys import KeySpace

Client = Union[Redis, RedisCluster]

#: Everything a backend failure can raise; anything else is a bug and propagates as is.
BACKEND_ERRORS: tuple[type[BaseException], ...] = (
    RedisError,
    RedisClusterException,
    OSError,
    TimeoutError,
)

_OUTCOMES = {
    scripts.SAVED: SaveOutcome.SAVED,
    scripts.CONFLICT: SaveOutcome.CONFLICT,
    scripts.DUPLICATE: SaveOutcome.DUPLICATE,
}


def encode_envelope(version: int, data: dict[str, Any]) -> str:
    """The stored JSON: compact, UTF-8, no NaN (raises TypeError/ValueError on non-JSON data)."""
    return json.dumps(
        {"schema": SCHEMA, "version": version, "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def decode_data(raw: bytes | str) -> dict[str, Any]:
    """The ``data`` of a stored envelope, or ``{}`` when it is unreadable or of another schema."""
    try:
        env = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(env, dict):
        return {}
    schema, data = env.get("schema"), env.get("data")
    if type(schema) is not int or schema != SCHEMA or not isinstance(data, dict):
        return {}
    return data


def _ttl_ms(seconds: float) -> int:
    ms = int(seconds * 1000)
    if ms <= 0:
        raise ValueError(f"TTL must be positive, got {seconds!r} s")
    return ms


class RedisStore:
    """A :class:`~store.base.ConversationStore` over a redis-py asyncio client.

    ``client`` may be ``redis.asyncio.Redis``, ``redis.asyncio.RedisCluster`` or
    ``fakeredis.FakeAsyncRedis``. ``load`` and ``save`` are one EVALSHA each (after
    :meth:`prepare`, or after the first NOSCRIPT fallback).
    """

    def __init__(
        self,
        client: Client,
        *,
        keys: KeySpace | None = None,
        conversation_ttl_s: float = DEFAULT_CONVERSATION_TTL_S,
        event_ttl_s: float = DEFAULT_EVENT_TTL_S,
        backend: str = "redis",
    ) -> None:
        self.client = client
        self.keys = keys or KeySpace()
        self.backend = backend
        self.conversation_ttl_ms = _ttl_ms(conversation_ttl_s)
        self.event_ttl_ms = _ttl_ms(event_ttl_s)
        self._load = client.register_script(scripts.LOAD)
        self._save = client.register_script(scripts.SAVE)

    def __repr__(self) -> str:
        return f"RedisStore(backend={self.backend!r}, prefix={self.keys.prefix!r})"

    @asynccontextmanager
    async def _guard(self, what: str) -> AsyncIterator[None]:
        try:
            yield
        except BACKEND_ERRORS as exc:
            raise StoreError(f"{self.backend} store {what} failed: {type(exc).__name__}: {exc}") from exc

    def _keys(self, key: ConversationKey, event_id: str | None) -> list[str]:
        conv = self.keys.conversation(key)
        return [conv] if event_id is None else [conv, self.keys.event(key, event_id)]

    async def _run(self, script: AsyncScript, keys: list[str], *args: Any) -> Any:
        """EVALSHA straight through ``execute_command`` (redis-py's ``Script.__call__`` costs
        ~30 µs more per call); on NOSCRIPT (a restarted or failed-over server) the script is
        loaded again and the call repeated once, as ``Script.__call__`` does."""
        try:
            return await self.client.execute_command("EVALSHA", script.sha, len(keys), *keys, *args)
        except NoScriptError:
            script.sha = await self.client.script_load(script.script)
            return await self.client.execute_command("EVALSHA", script.sha, len(keys), *keys, *args)

    async def load(self, key: ConversationKey, event_id: str | None) -> Loaded:
        """One round trip: the envelope and whether ``event_id`` was already applied."""
        async with self._guard("load"):
            version, raw, dup = await self._run(self._load, self._keys(key, event_id))
        if raw is None:
            return Loaded(version=0, data=None, duplicate=bool(dup))
        return Loaded(version=int(version), data=decode_data(raw), duplicate=bool(dup))

    async def save(
        self,
        key: ConversationKey,
        *,
        expected_version: int,
        data: dict[str, Any],
        event_id: str | None,
    ) -> SaveOutcome:
        """One round trip: compare-and-set the envelope and record the event, atomically."""
        envelope = encode_envelope(expected_version + 1, data)
        nonce = secrets.token_hex(8)
        args = (expected_version, envelope, self.conversation_ttl_ms, self.event_ttl_ms, nonce)
        async with self._guard("save"):
            code = await self._run(self._save, self._keys(key, event_id), *args)
        try:
            return _OUTCOMES[int(code)]
        except (KeyError, ValueError, TypeError) as exc:
            raise StoreError(f"{self.backend} store save answered {code!r}") from exc

    async def prepare(self) -> None:
        """Ping and load both scripts (on every primary in a cluster), so that even the first
        turn costs two round trips."""
        async with self._guard("prepare"):
            await self.client.ping()
            for script in (self._load, self._save):
                script.sha = await self.client.script_load(script.script)

    async def ping(self) -> None:
        """One PING; raises StoreError when the backend does not answer."""
        async with self._guard("ping"):
            await self.client.ping()

    async def close(self) -> None:
        """Close the client's connections (errors while closing are ignored)."""
        try:
            await self.client.aclose()
        except BACKEND_ERRORS:
            pass
