"""run_turn: two round trips, CAS retries counted and bounded, duplicates never transition."""

from __future__ import annotations

from typing import Any

import pytest

from bot.errors import StoreError
from bot.events import ConversationKey, InboundEvent
from store import Loaded, RedisStore, SaveOutcome, TurnResult, run_turn

KEY = ConversationKey("teams", "tenant", "19:chan@thread.tacv2", "", "user-1")


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


class ScriptedStore:
    """A stub store: loads return ``loaded``; saves return the scripted outcomes in order."""

    def __init__(self, outcomes: list[SaveOutcome], loaded: Loaded | None = None) -> None:
        self.outcomes = list(outcomes)
        self.loaded = loaded or Loaded(version=3, data={"applied": []}, duplicate=False)
        self.loads = 0
        self.saves: list[int] = []

    async def load(self, key: ConversationKey, event_id: str | None) -> Loaded:
        self.loads += 1
        return self.loaded

    async def save(self, key: ConversationKey, *, expected_version: int, data: dict[str, Any],
                   event_id: str | None) -> SaveOutcome:
        self.saves.append(expected_version)
        return self.outcomes.pop(0) if self.outcomes else SaveOutcome.CONFLICT

    async def ping(self) -> None: ...

    async def close(self) -> None: ...


class Interloper:
    """Wraps a real store; before each of the first ``n`` saves another worker applies
    its own event, so the wrapped save really conflicts."""

    def __init__(self, inner: RedisStore, n: int) -> None:
        self.inner, self.n, self.done = inner, n, 0

    async def load(self, key: ConversationKey, event_id: str | None) -> Loaded:
        return await self.inner.load(key, event_id)

    async def save(self, key: ConversationKey, **kw: Any) -> SaveOutcome:
        if self.done < self.n:
            self.done += 1
            result = await run_turn(self.inner, event(f"other-{self.done}"), Recorder(), now=1.0)
            assert not result.duplicate
        return await self.inner.save(key, **kw)


async def test_ordinary_turn(embedded_store: RedisStore) -> None:
    t = Recorder()
    r = await run_turn(embedded_store, event("e1"), t, now=42.0)
    assert r == TurnResult(replies=["ack e1"], duplicate=False, retries=0, version=1)
    assert t.calls == [(None, "e1", 42.0)]
    r = await run_turn(embedded_store, event("e2"), t, now=43.0)
    assert r.version == 2 and t.calls[-1] == ({"applied": ["e1"], "at": 42.0}, "e2", 43.0)


async def test_ordinary_turn_is_two_round_trips(embedded_store: RedisStore, monkeypatch) -> None:
    sent: list[str] = []
    real = embedded_store.client.execute_command

    async def counting(*args: Any, **kwargs: Any) -> Any:
        sent.append(str(args[0]))
        return await real(*args, **kwargs)

    monkeypatch.setattr(embedded_store.client, "execute_command", counting)
    await run_turn(embedded_store, event("e1"), Recorder())
    await run_turn(embedded_store, event("e2"), Recorder())
    assert sent == ["EVALSHA"] * 4


async def test_duplicate_is_not_transitioned(embedded_store: RedisStore) -> None:
    t = Recorder()
    await run_turn(embedded_store, event("e1"), t)
    r = await run_turn(embedded_store, event("e1"), t)
    assert r == TurnResult(replies=[], duplicate=True, retries=0, version=1)
    assert len(t.calls) == 1


async def test_duplicate_on_load_skips_transition_and_save() -> None:
    store = ScriptedStore([], Loaded(version=7, data={"x": 1}, duplicate=True))
    t = Recorder()
    r = await run_turn(store, event("e1"), t)
    assert r == TurnResult(replies=[], duplicate=True, retries=0, version=7)
    assert t.calls == [] and store.saves == []


async def test_duplicate_on_save_drops_replies() -> None:
    store = ScriptedStore([SaveOutcome.CONFLICT, SaveOutcome.DUPLICATE])
    r = await run_turn(store, event("e1"), Recorder(), now=1.0)
    assert r == TurnResult(replies=[], duplicate=True, retries=1, version=3)


async def test_retries_counted() -> None:
    store = ScriptedStore([SaveOutcome.CONFLICT, SaveOutcome.CONFLICT, SaveOutcome.SAVED])
    t = Recorder()
    r = await run_turn(store, event("e1"), t, now=5.0)
    assert r == TurnResult(replies=["ack e1"], duplicate=False, retries=2, version=4)
    assert len(t.calls) == 3 and store.loads == 3


async def test_real_conflicts_rerun_on_fresh_state(embedded_store: RedisStore) -> None:
    t = Recorder()
    r = await run_turn(Interloper(embedded_store, 3), event("mine"), t, now=9.0)
    assert (r.retries, r.version, r.replies) == (3, 4, ["ack mine"])
    loaded = await embedded_store.load(KEY, None)
    assert loaded.data is not None
    assert loaded.data["applied"] == ["other-1", "other-2", "other-3", "mine"]
    assert [c[0]["applied"] if c[0] else None for c in t.calls] == [
        None, ["other-1"], ["other-1", "other-2"], ["other-1", "other-2", "other-3"]
    ]


@pytest.mark.parametrize("max_retries", [0, 1, 4])
async def test_max_retries_exhausted_raises_store_error(max_retries: int) -> None:
    store = ScriptedStore([])  # always CONFLICT
    t = Recorder()
    with pytest.raises(StoreError):
        await run_turn(store, event("e1"), t, max_retries=max_retries)
    assert len(t.calls) == max_retries + 1 == len(store.saves)


async def test_transition_errors_propagate_and_save_nothing(embedded_store: RedisStore) -> None:
    def broken(data: dict | None, ev: InboundEvent, now: float) -> tuple[dict, list]:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        await run_turn(embedded_store, event("e1"), broken)
    assert await embedded_store.load(KEY, "e1") == Loaded(version=0, data=None, duplicate=False)


async def test_empty_event_id_is_not_deduplicated(embedded_store: RedisStore) -> None:
    t = Recorder()
    await run_turn(embedded_store, event(""), t)
    r = await run_turn(embedded_store, event(""), t)
    assert not r.duplicate and r.version == 2


async def test_now_defaults_to_wall_clock(embedded_store: RedisStore) -> None:
    import time

    t = Recorder()
    before = time.time()
    await run_turn(embedded_store, event("e1"), t)
    assert before <= t.calls[0][2] <= time.time()
