"""TURN_CONCURRENCY: at most N turns of a process in their store + core step at once, the
others waiting in arrival order (adapters.service.TurnSlots), on real stores."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from prometheus_client import REGISTRY

from adapters.server import SERVICE, build_app
from adapters.service import TurnService, TurnSlots
from adapters.settings import DEFAULT_TURN_CONCURRENCY, load_settings
from adapters.wiring import make_advisor
from bot.errors import ConfigurationError
from bot.events import Action, ConversationKey, InboundEvent
from store import StoreSettings
from store.connect import store_from_settings
from tests.redis_servers import RedisServer, running_server


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    yield from running_server(Path(tmp_path_factory.mktemp("slots-redis")))


def _clients(url: str) -> int:
    with redis.Redis.from_url(url, socket_timeout=5) as control:
        return int(control.info("clients")["connected_clients"])


async def _burst(url: str, prefix: str, concurrency: int, turns: int) -> tuple[list[str], int]:
    """``turns`` conversations started at once through one TurnService; (outcomes, connections
    the store opened to the server for them)."""
    store = store_from_settings(StoreSettings(url=url, prefix=prefix))
    service = TurnService(make_advisor(), store, concurrency=concurrency)
    before = _clients(url)
    try:
        handled = await asyncio.gather(*(
            service.handle(InboundEvent(ConversationKey("test", "T", f"C{i}", "", f"U{i}"), f"U{i}", f"e{i}",
                                        action=Action("start")))
            for i in range(turns)
        ))
        opened = _clients(url) - before
    finally:
        await store.close()
    return [h.outcome for h in handled], opened


@pytest.mark.redis
async def test_at_most_n_turns_use_the_store_at_once(private_redis: RedisServer, redis_prefix: str) -> None:
    """The store's connection pool opens a connection per command in flight: with two slots,
    thirty simultaneous turns never need more than two; with thirty slots they do."""
    outcomes, opened = await _burst(private_redis.url, redis_prefix + "a", concurrency=2, turns=30)
    assert outcomes == ["ok"] * 30
    assert 1 <= opened <= 2
    outcomes, opened = await _burst(private_redis.url, redis_prefix + "b", concurrency=30, turns=30)
    assert outcomes == ["ok"] * 30
    assert opened > 2


def waiting() -> float:
    return REGISTRY.get_sample_value("ftadvisor_turns_waiting") or 0.0


async def test_waiting_turns_go_in_arrival_order_and_are_counted() -> None:
    slots = TurnSlots(1)
    order: list[str] = []
    release = asyncio.Event()

    async def turn(name: str) -> None:
        async with slots():
            order.append(name)
            if name == "first":
                await release.wait()

    first = asyncio.create_task(turn("first"))
    await asyncio.sleep(0)
    waiting_before = waiting()
    others = [asyncio.create_task(turn(name)) for name in ("second", "third", "fourth")]
    for _ in range(3):
        await asyncio.sleep(0)
    assert order == ["first"]
    assert waiting() - waiting_before == 3
    release.set()
    await asyncio.gather(first, *others)
    assert order == ["first", "second", "third", "fourth"]
    assert waiting() == waiting_before


def test_slots_follow_the_running_loop() -> None:
    """One service used from two event loops one after the other (a test, a restarted loop),
    with turns waiting for the slot in each (an asyncio semaphore binds to a loop only then)."""
    slots = TurnSlots(1)

    async def contended() -> list[int]:
        order: list[int] = []

        async def turn(n: int) -> None:
            async with slots():
                await asyncio.sleep(0.01)
                order.append(n)

        await asyncio.gather(*(turn(n) for n in range(3)))
        return order

    assert asyncio.run(contended()) == [0, 1, 2]
    assert asyncio.run(contended()) == [0, 1, 2]


def test_turn_concurrency_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TURN_CONCURRENCY", raising=False)
    assert load_settings(_env_file=None).turn_concurrency == DEFAULT_TURN_CONCURRENCY
    monkeypatch.setenv("TURN_CONCURRENCY", "3")
    settings = load_settings(_env_file=None)
    assert build_app(settings)[SERVICE].slots.size == 3
    for bad in ("0", "-1", "many", "5000"):
        monkeypatch.setenv("TURN_CONCURRENCY", bad)
        with pytest.raises(ConfigurationError, match="TURN_CONCURRENCY"):
            load_settings(_env_file=None)
    with pytest.raises(ValueError):
        TurnSlots(0)


def _turns(platform: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("ftadvisor_turns_total", {"platform": platform, "outcome": outcome}) or 0.0


async def test_an_adapters_card_id_report_is_no_turn(caplog: pytest.LogCaptureFixture) -> None:
    """``message_sent`` (an adapter telling the core a question's message id) is applied to the
    conversation, but counted and logged at info as no user turn."""
    from store import embedded_store

    service = TurnService(make_advisor(), embedded_store())
    key = ConversationKey("metricstest", "T", "C", "", "U")
    before = _turns("metricstest", "ok")
    with caplog.at_level("INFO", logger="finetune_advisor"):
        started = await service.handle(InboundEvent(key, "U", "e-start", action=Action("start")))
        report = await service.handle(InboundEvent(key, "U", "sent:m1", action=Action("message_sent", value="m1")))
        again = await service.handle(InboundEvent(key, "U", "sent:m1", action=Action("message_sent", value="m1")))
    assert (started.outcome, report.outcome, again.outcome) == ("ok", "ok", "duplicate")
    assert _turns("metricstest", "ok") - before == 1
    assert _turns("metricstest", "duplicate") == 0
    loaded = await service.store.load(key, None)
    assert loaded.version == 2  # the report was saved all the same
    turn_lines = [r for r in caplog.records if r.getMessage() == "turn" and r.levelno >= 20]
    assert len(turn_lines) == 1
