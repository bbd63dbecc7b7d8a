"""run_turn: two round trips, CAS retries counted and bounded, duplicates never transition.

Everything runs on real stores (``store`` is every backend in turn). Conflicts and duplicates
are provoked for real: a transition that, before it returns, has a second real client of the
same server (another worker, on its own thread and event loop) save first.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
import redis

from bot.errors import StoreError
from bot.events import ConversationKey, InboundEvent
from store import Loaded, RedisStore, SaveOutcome, StoreSettings, TurnResult, run_turn
from store.connect import store_from_settings
from tests.redis_servers import RedisServer, running_server

KEY = ConversationKey("teams", "tenant", "19:chan@thread.tacv2", "", "user-1")

T = TypeVar("T")


def event(event_id: str, text: str = "hello") -> InboundEvent:
    return InboundEvent(key=KEY, user="user-1", event_id=event_id, text=text)


class Recorder:
    """A transition that appends the event id to ``data["applied"]`` and records calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict | None, str, float]] = []

    def __call__(self, data: dict | None, ev: InboundEvent, now: float) -> tuple[dict, list]:
        self.calls.append((data, ev.event_id, now))
        applied = list((data or {}).get("applied", []))
        return {"applied": [*applied, ev.event_id], "at": now}, [f"ack {ev.event_id}"]


class OtherWorker:
    """A second, real store client on the same server, running on its own thread and event loop.

    Its methods block the caller until the other worker's turn is done, so a transition (a
    plain function) can call them: the other worker's save then lands between this turn's load
    and its save, exactly as a concurrent save by another process would.
    """

    def __init__(self, make_store: Callable[[], RedisStore]) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="other-worker", daemon=True)
        self.thread.start()
        self.store: RedisStore = self._call(self._open(make_store))

    @staticmethod
    async def _open(make_store: Callable[[], RedisStore]) -> RedisStore:
        store = make_store()  # built inside the worker's loop
        await store.prepare()
        return store

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def deliver(self, event_id: str) -> TurnResult:
        """The other worker applies its own delivery of ``event_id`` (a whole, real turn)."""
        return self._call(run_turn(self.store, event(event_id), Recorder()))

    def close(self) -> None:
        try:
            self._call(self.store.close())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()


class Interfering(Recorder):
    """A Recorder that, on each of its first ``times`` calls (every call when None), has the
    other worker deliver an event before returning: by default a new one (``other-1``, ...),
    so this turn's save conflicts; ``deliver`` picks the event id per call."""

    def __init__(self, other: OtherWorker, times: int | None = None,
                 deliver: Callable[[int, InboundEvent], str] | None = None) -> None:
        super().__init__()
        self.other, self.times = other, times
        self.pick = deliver or (lambda n, ev: f"other-{n}")
        self.delivered: list[str] = []

    def __call__(self, data: dict | None, ev: InboundEvent, now: float) -> tuple[dict, list]:
        result = super().__call__(data, ev, now)  # computed on the state this attempt loaded
        n = len(self.calls)
        if self.times is None or n <= self.times:
            event_id = self.pick(n, ev)
            assert not self.other.deliver(event_id).duplicate
            self.delivered.append(event_id)
        return result


@pytest.fixture
def other(store_factory: Callable[..., RedisStore]) -> Iterator[OtherWorker]:
    """Another worker on the same backend, server and key prefix as ``store``."""
    worker = OtherWorker(store_factory)
    try:
        yield worker
    finally:
        worker.close()


async def stored(store: RedisStore) -> tuple[int, list[str]]:
    loaded = await store.load(KEY, None)
    return loaded.version, (loaded.data or {}).get("applied", [])


# --------------------------------------------------------------------------- ordinary turns

async def test_ordinary_turn(store: RedisStore) -> None:
    t = Recorder()
    r = await run_turn(store, event("e1"), t, now=42.0)
    assert r == TurnResult(replies=["ack e1"], duplicate=False, retries=0, version=1)
    assert t.calls == [(None, "e1", 42.0)]
    r = await run_turn(store, event("e2"), t, now=43.0)
    assert r.version == 2 and t.calls[-1] == ({"applied": ["e1"], "at": 42.0}, "e2", 43.0)


async def test_ordinary_turn_is_two_round_trips_embedded(embedded_store: RedisStore, monkeypatch) -> None:
    """Counted at the fakeredis client (a library's method, still called through)."""
    sent: list[str] = []
    real = embedded_store.client.execute_command

    async def counting(*args: Any, **kwargs: Any) -> Any:
        sent.append(str(args[0]))
        return await real(*args, **kwargs)

    monkeypatch.setattr(embedded_store.client, "execute_command", counting)
    await run_turn(embedded_store, event("e1"), Recorder())
    await run_turn(embedded_store, event("e2"), Recorder())
    assert sent == ["EVALSHA"] * 4


# --------------------------------------------------------------------------- duplicates

async def test_duplicate_is_not_transitioned(store: RedisStore) -> None:
    t = Recorder()
    await run_turn(store, event("e1"), t)
    r = await run_turn(store, event("e1"), t)
    assert r == TurnResult(replies=[], duplicate=True, retries=0, version=1)
    assert len(t.calls) == 1


async def test_duplicate_on_load_skips_transition_and_save(store: RedisStore) -> None:
    # another worker already applied e1: a real save recorded it
    assert await store.save(KEY, expected_version=0, data={"x": 1}, event_id="e1") is SaveOutcome.SAVED
    t = Recorder()
    r = await run_turn(store, event("e1"), t)
    assert r == TurnResult(replies=[], duplicate=True, retries=0, version=1)
    assert t.calls == []
    assert await store.load(KEY, "e1") == Loaded(version=1, data={"x": 1}, duplicate=True)  # nothing saved


async def test_duplicate_on_save_drops_replies(store: RedisStore, other: OtherWorker) -> None:
    # attempt 1: another event lands first (conflict); attempt 2: another delivery of this
    # very event lands first, so this save answers DUPLICATE and its replies are dropped
    t = Interfering(other, times=2, deliver=lambda n, ev: "other-1" if n == 1 else ev.event_id)
    r = await run_turn(store, event("e1"), t, now=1.0)
    assert r == TurnResult(replies=[], duplicate=True, retries=1, version=1)
    assert len(t.calls) == 2
    assert await stored(store) == (2, ["other-1", "e1"])  # e1 applied once, by the other worker


# --------------------------------------------------------------------------- conflicts

async def test_retries_counted(store: RedisStore, other: OtherWorker) -> None:
    t = Interfering(other, times=2)
    r = await run_turn(store, event("e1"), t, now=5.0)
    assert r == TurnResult(replies=["ack e1"], duplicate=False, retries=2, version=3)
    assert len(t.calls) == 3  # one load and one transition per attempt
    assert await stored(store) == (3, ["other-1", "other-2", "e1"])


async def test_a_slot_is_held_per_attempt_and_left_during_backoff(store: RedisStore, other: OtherWorker) -> None:
    """TurnService's TURN_CONCURRENCY slot: entered around each attempt, free while backing off."""
    from adapters.service import TurnSlots

    slots = TurnSlots(1)
    attempts: list[str] = []

    @asynccontextmanager
    async def slot() -> AsyncIterator[None]:
        async with slots():
            attempts.append("in")
            yield
            attempts.append("out")

    t = Interfering(other, times=2)
    r = await run_turn(store, event("e1"), t, now=5.0, slot=slot)
    assert r.retries == 2 and attempts == ["in", "out"] * 3
    async with slots():  # nothing left holding the one slot
        pass


async def test_real_conflicts_rerun_on_fresh_state(store: RedisStore, other: OtherWorker) -> None:
    t = Interfering(other, times=3)
    r = await run_turn(store, event("mine"), t, now=9.0)
    assert (r.retries, r.version, r.replies) == (3, 4, ["ack mine"])
    loaded = await store.load(KEY, None)
    assert loaded.data is not None
    assert loaded.data["applied"] == ["other-1", "other-2", "other-3", "mine"]
    assert [c[0]["applied"] if c[0] else None for c in t.calls] == [
        None, ["other-1"], ["other-1", "other-2"], ["other-1", "other-2", "other-3"]
    ]


@pytest.mark.parametrize("max_retries", [0, 1, 4])
async def test_max_retries_exhausted_raises_store_error(
    store: RedisStore, other: OtherWorker, max_retries: int
) -> None:
    t = Interfering(other)  # every attempt is overtaken
    with pytest.raises(StoreError):
        await run_turn(store, event("mine"), t, max_retries=max_retries)
    assert len(t.calls) == max_retries + 1 == len(t.delivered)
    # none of this turn's saves went through: only the other worker's events are stored
    loaded = await store.load(KEY, "mine")
    assert not loaded.duplicate and loaded.version == max_retries + 1
    assert loaded.data is not None and loaded.data["applied"] == t.delivered


# --------------------------------------------------------------------------- the rest

async def test_transition_errors_propagate_and_save_nothing(store: RedisStore) -> None:
    def broken(data: dict | None, ev: InboundEvent, now: float) -> tuple[dict, list]:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        await run_turn(store, event("e1"), broken)
    assert await store.load(KEY, "e1") == Loaded(version=0, data=None, duplicate=False)


async def test_empty_event_id_is_not_deduplicated(store: RedisStore) -> None:
    t = Recorder()
    await run_turn(store, event(""), t)
    r = await run_turn(store, event(""), t)
    assert not r.duplicate and r.version == 2


async def test_now_defaults_to_wall_clock(store: RedisStore) -> None:
    t = Recorder()
    before = time.time()
    await run_turn(store, event("e1"), t)
    assert before <= t.calls[0][2] <= time.time()


# --------------------------------------------------------------------------- round trips on a real Redis
#
# Counted by the server itself, on a redis-server of our own so that no other client of a
# shared Redis disturbs the count. INFO commandstats alone cannot tell a client's GET from the
# GET a Lua script runs, so the count is taken from the server's MONITOR feed, which marks
# script-internal commands as such; INFO commandstats cross-checks the EVALSHA count.

@pytest.fixture(scope="module")
def private_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    yield from running_server(Path(tmp_path_factory.mktemp("turn-redis")))


class ServerFeed:
    """What the server received from clients between start and :meth:`stop`: the command
    names from MONITOR (script-internal commands left out) and the EVALSHA calls counted in
    INFO commandstats."""

    def __init__(self, url: str) -> None:
        self.token = f"end-of-feed-{uuid.uuid4().hex}"
        self.control = redis.Redis.from_url(url, socket_timeout=10)
        self.control.ping()  # connected (and handshaken) before the feed starts
        self.evalsha_before = self._evalsha()
        self.client = redis.Redis.from_url(url, socket_timeout=10)
        self.monitor = self.client.monitor().__enter__()  # returns once MONITOR is active
        self.entries: list[dict[str, Any]] = []
        self.thread = threading.Thread(target=self._read, name="monitor", daemon=True)
        self.thread.start()

    def _evalsha(self) -> int:
        return int(self.control.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0))

    def _read(self) -> None:
        while True:
            entry = self.monitor.next_command()
            if entry["command"] == f"ECHO {self.token}":
                return
            self.entries.append(entry)

    def stop(self) -> tuple[list[str], int]:
        """(commands sent by clients, in order; EVALSHA calls per commandstats)."""
        self.control.echo(self.token)
        self.thread.join(10)
        assert not self.thread.is_alive(), "the MONITOR feed did not end"
        self.monitor.__exit__(None, None, None)
        self.client.close()
        evalsha = self._evalsha() - self.evalsha_before
        self.control.close()
        sent = [e["command"].split(" ", 1)[0].upper() for e in self.entries if e["client_type"] != "lua"]
        return [c for c in sent if c != "INFO"], evalsha


@pytest.fixture
def feed(private_redis: RedisServer) -> Iterator[Callable[[], ServerFeed]]:
    started: list[ServerFeed] = []

    def start() -> ServerFeed:
        started.append(ServerFeed(private_redis.url))
        return started[-1]

    yield start
    for f in started:
        if f.thread.is_alive():
            f.stop()


def make_private_store(server: RedisServer, prefix: str) -> Callable[[], RedisStore]:
    return lambda: store_from_settings(StoreSettings(url=server.url, prefix=prefix))


@pytest.fixture
async def private_store(private_redis: RedisServer, redis_prefix: str) -> AsyncIterator[RedisStore]:
    store = make_private_store(private_redis, redis_prefix)()
    await store.prepare()
    yield store
    await store.close()


@pytest.mark.redis
async def test_ordinary_turn_is_two_round_trips_on_real_redis(private_store: RedisStore, feed) -> None:
    watching = feed()
    await run_turn(private_store, event("e1"), Recorder())  # a new conversation
    await run_turn(private_store, event("e2"), Recorder())  # an existing one
    assert watching.stop() == (["EVALSHA"] * 4, 4)


@pytest.mark.redis
async def test_duplicate_is_one_round_trip_on_real_redis(private_store: RedisStore, feed) -> None:
    await run_turn(private_store, event("e1"), Recorder())
    watching = feed()
    t = Recorder()
    assert (await run_turn(private_store, event("e1"), t)).duplicate
    assert watching.stop() == (["EVALSHA"], 1) and t.calls == []  # a load, no save


@pytest.mark.redis
@pytest.mark.parametrize("max_retries", [2, 1])
async def test_every_attempt_is_one_load_and_one_save_on_real_redis(
    private_redis: RedisServer, private_store: RedisStore, redis_prefix: str, feed, max_retries: int
) -> None:
    """Two interfering turns: with max_retries=2 the third attempt saves, with 1 the turn
    gives up after two. Either way, per attempt exactly one load and one save reach Redis."""
    other = OtherWorker(make_private_store(private_redis, redis_prefix))
    try:
        t = Interfering(other, times=2)
        watching = feed()
        if max_retries == 2:
            r = await run_turn(private_store, event("e1"), t, max_retries=max_retries)
            assert (r.retries, r.version) == (2, 3)
        else:
            with pytest.raises(StoreError):
                await run_turn(private_store, event("e1"), t, max_retries=max_retries)
        attempts = max_retries + 1
        assert len(t.calls) == attempts
        # ours: a load and a save per attempt; the other worker's two turns: the same each
        n = 2 * attempts + 2 * 2
        assert watching.stop() == (["EVALSHA"] * n, n)
    finally:
        other.close()
