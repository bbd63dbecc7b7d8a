"""Faults on a real redis-server of our own: killed, hung, restarted with and without
persistence, never reachable. Every failure surfaces as StoreError, quickly."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.service import TurnService
from adapters.wiring import make_advisor
from bot import wording
from bot.conversation import ASKING, ConversationState
from bot.errors import StoreError
from bot.events import Action, ConversationKey, InboundEvent
from bot.factors import BY_ID
from bot.replies import Question, Text
from store import Loaded, RedisStore, StoreSettings, open_store, run_turn
from store.connect import store_from_settings
from tests.redis_servers import RedisServer, binary, free_port, running_server

pytestmark = pytest.mark.redis

KEY = ConversationKey("slack", "T9", "C9", "", "U9")
FAST = dict(timeout_s=0.5, retries=1, health_check_interval_s=1.0)
QUICK_S = 5.0


def append_event(data: dict | None, ev: InboundEvent, now: float) -> tuple[dict, list]:
    return {"applied": [*(data or {}).get("applied", []), ev.event_id]}, [f"ack {ev.event_id}"]


def event(event_id: str) -> InboundEvent:
    return InboundEvent(key=KEY, user="U9", event_id=event_id, text="hi")


def make_server(tmp_path: Path, persistent: bool) -> Iterator[RedisServer]:
    yield from running_server(tmp_path / "redis", persistent=persistent)


@pytest.fixture
def durable_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server with AOF (fsync always): what was acknowledged survives SIGKILL."""
    yield from make_server(tmp_path, persistent=True)


@pytest.fixture
def volatile_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server without persistence."""
    yield from make_server(tmp_path, persistent=False)


async def fast_store(url: str) -> RedisStore:
    return await open_store(StoreSettings(url=url, **FAST))  # type: ignore[arg-type]


async def assert_fails_fast(store: RedisStore, event_id: str) -> None:
    """run_turn, load, save and ping each raise StoreError, chained, within QUICK_S."""
    for attempt in (
        lambda: run_turn(store, event(event_id), append_event),
        lambda: store.load(KEY, event_id),
        lambda: store.save(KEY, expected_version=0, data={}, event_id=event_id),
        store.ping,
    ):
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            await attempt()
        assert time.monotonic() - started < QUICK_S
        assert info.value.__cause__ is not None
        assert info.value.user_message  # safe text for the chat


async def test_killed_server_then_restart_continues_from_saved_state(durable_server: RedisServer) -> None:
    store = await fast_store(durable_server.url)
    try:
        for i in range(3):
            await run_turn(store, event(f"e{i}"), append_event)
        durable_server.kill()
        await assert_fails_fast(store, "e3")
        durable_server.start()  # same port, same dir: the AOF is replayed
        result = await run_turn(store, event("e3"), append_event)  # same client, reconnects
        assert (result.duplicate, result.version, result.replies) == (False, 4, ["ack e3"])
        loaded = await store.load(KEY, "e1")
        assert loaded.duplicate and loaded.data == {"applied": ["e0", "e1", "e2", "e3"]}
    finally:
        await store.close()


def action(event_id: str, name: str, factor: str = "", value: str = "") -> InboundEvent:
    return InboundEvent(key=KEY, user="U9", event_id=event_id, action=Action(name, factor, value))


def answer_to(event_id: str, question: object) -> InboundEvent:
    assert isinstance(question, Question)
    return action(event_id, "answer", question.factor, BY_ID[question.factor].values[0])


def without_clock(data: dict | None) -> dict:
    return {k: v for k, v in (data or {}).items() if k != "updated_at"}


async def test_user_gets_the_polite_reply_while_redis_is_down_then_continues(durable_server: RedisServer) -> None:
    """Real turns through TurnService and the real core: while the server is dead every
    ``handle`` answers "store_error" with the polite text (nothing raises); after a restart
    (AOF replayed) the conversation goes on from its last saved state."""
    advisor = make_advisor()
    store = await fast_store(durable_server.url)
    service = TurnService(advisor, store)
    try:
        handled = await service.handle(action("t0", "start"))
        for n in (1, 2):
            assert handled.outcome == "ok"
            handled = await service.handle(answer_to(f"t{n}", handled.replies[-1]))
        assert handled.outcome == "ok"
        question = handled.replies[-1]
        assert isinstance(question, Question) and question.number == 3
        saved = await store.load(KEY, None)
        assert saved.version == 3
        state = ConversationState.from_dict(saved.data or {})
        assert state.phase == ASKING and state.pending == question.factor and len(state.settled) == 2

        durable_server.kill()
        pending = answer_to("t3", question)
        for ev in (pending, action("t4", "status"), InboundEvent(key=KEY, user="U9", event_id="t5", text="hello")):
            started = time.monotonic()
            down = await service.handle(ev)  # no exception escapes
            assert time.monotonic() - started < QUICK_S
            assert down.outcome == "store_error", ev
            assert down.replies == [Text(wording.STORE_UNAVAILABLE)]

        durable_server.start()  # same port and dir, appendonly yes: the AOF is replayed
        assert await store.load(KEY, None) == saved
        # the platform redelivers the answer that failed: it lands on the saved state
        expected, expected_replies = advisor.step_data(saved.data, pending, time.time())
        resumed = await service.handle(pending)
        assert resumed.outcome == "ok" and resumed.replies == expected_replies
        after = await store.load(KEY, "t3")
        assert after.duplicate and after.version == 4
        assert without_clock(after.data) == without_clock(expected)
        assert ConversationState.from_dict(after.data or {}).settled == (*state.settled, question.factor)
        assert (await service.handle(pending)).outcome == "duplicate"  # and only once
    finally:
        await store.close()


async def test_without_persistence_conversation_restarts_cleanly(volatile_server: RedisServer) -> None:
    store = await fast_store(volatile_server.url)
    try:
        for i in range(2):
            await run_turn(store, event(f"e{i}"), append_event)
        volatile_server.kill()
        await assert_fails_fast(store, "e2")
        volatile_server.start()
        assert await store.load(KEY, "e0") == Loaded(version=0, data=None, duplicate=False)
        result = await run_turn(store, event("e2"), append_event)
        assert (result.version, result.replies) == (1, ["ack e2"])
        assert (await store.load(KEY, None)).data == {"applied": ["e2"]}
    finally:
        await store.close()


async def test_hung_server_times_out(volatile_server: RedisServer) -> None:
    store = await fast_store(volatile_server.url)
    try:
        await run_turn(store, event("e0"), append_event)
        volatile_server.pause()
        try:
            started = time.monotonic()
            with pytest.raises(StoreError):
                await run_turn(store, event("e1"), append_event)
            assert time.monotonic() - started < QUICK_S
        finally:
            volatile_server.resume()
        result = await run_turn(store, event("e1"), append_event)
        assert (result.version, result.duplicate) == (2, False)
    finally:
        await store.close()


async def test_unix_socket_url(tmp_path: Path) -> None:
    binary("redis-server")
    sock = tmp_path / "r.sock"
    server = RedisServer(tmp_path / "unix", extra=("--unixsocket", str(sock), "--unixsocketperm", "700"))
    server.start()
    try:
        store = await open_store(StoreSettings(url=f"unix://{sock}?db=0", **FAST))  # type: ignore[arg-type]
        try:
            assert (await run_turn(store, event("e0"), append_event)).version == 1
        finally:
            await store.close()
    finally:
        server.stop()


async def test_unreachable_server_from_the_start() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    started = time.monotonic()
    with pytest.raises(StoreError):
        await open_store(StoreSettings(url=url, **FAST))  # type: ignore[arg-type]
    store = store_from_settings(StoreSettings(url=url, **FAST))  # type: ignore[arg-type]
    try:
        await assert_fails_fast(store, "e0")
    finally:
        await store.close()
    assert time.monotonic() - started < 2 * QUICK_S


async def test_unreachable_cluster_raises_store_error() -> None:
    url = f"redis://127.0.0.1:{free_port()}"
    store = store_from_settings(StoreSettings(url=url, cluster=True, **FAST))  # type: ignore[arg-type]
    try:
        await assert_fails_fast(store, "e0")
    finally:
        await store.close()
