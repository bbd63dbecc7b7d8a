"""Exactly-once under concurrency: two OS processes hammering one conversation, the same
event delivered many times at once, and hypothesis-generated interleavings; with a toy
transition and with the real core (``make_advisor().step_data``) as the transition.

Run as a script, this module is the second process (see :func:`worker_main`).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # the worker process: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.conversation import DONE, ConversationState
from bot.events import Action, ConversationKey, InboundEvent
from bot.factors import BY_ID, FACTOR_IDS
from store import RedisStore, StoreSettings, Transition, embedded_store, run_turn
from store.connect import store_from_settings

KEY = ConversationKey("slack", "T1", "C1", "1700000000.000001", "U1")
ROOT = Path(__file__).resolve().parents[1]
MAX_RETRIES = 500  # everyone writes one key at once: each CAS round has a single winner


def append_event(data: dict | None, ev: InboundEvent, now: float) -> tuple[dict, list]:
    """A pure transition: remember the event id, reply once."""
    applied = list((data or {}).get("applied", []))
    return {"applied": [*applied, ev.event_id]}, [f"ack {ev.event_id}"]


def make_event(event_id: str) -> InboundEvent:
    return InboundEvent(key=KEY, user="U1", event_id=event_id, text=event_id)


# A core turn travels between processes as a spec: {"id": event id, "action": {name, factor,
# value}, "now": clock}. The clock is part of the spec so a serial replay is exact.

def spec(event_id: str, now: float, name: str, factor: str = "", value: str = "") -> dict[str, Any]:
    return {"id": event_id, "action": {"name": name, "factor": factor, "value": value}, "now": now}


def core_event(s: dict[str, Any]) -> InboundEvent:
    return InboundEvent(key=KEY, user="U1", event_id=s["id"], action=Action(**s["action"]))


def make_advisor() -> Any:
    """The real advisor (imported on first use: the toy worker never pays for it)."""
    from adapters.wiring import make_advisor as make

    return make()


def turns(mode: str, items: list[Any]) -> list[tuple[InboundEvent, Transition, float | None]]:
    """``toy``: items are event ids for :func:`append_event`; ``core``: items are specs for
    the real advisor."""
    if mode == "toy":
        return [(make_event(e), append_event, None) for e in items]
    step = make_advisor().step_data
    return [(core_event(s), step, float(s["now"])) for s in items]


def wire(reply: Any) -> Any:
    """A reply as it crosses the process boundary: the toy's strings as they are, the core's
    reply dataclasses as their repr."""
    return reply if isinstance(reply, str) else repr(reply)


async def deliver(store: Any, items: list[Any], mode: str = "toy") -> list[dict]:
    """Run one turn per item, all at once; report each outcome."""
    todo = turns(mode, items)
    results = await asyncio.gather(
        *(run_turn(store, ev, step, now=now, max_retries=MAX_RETRIES) for ev, step, now in todo)
    )
    return [
        {"event": ev.event_id, "duplicate": r.duplicate, "replies": [wire(x) for x in r.replies],
         "retries": r.retries, "version": r.version}
        for (ev, _, _), r in zip(todo, results)
    ]


# --------------------------------------------------------------------------- two processes

async def worker_main(url: str, cluster: bool, prefix: str, mode: str, items: list[Any]) -> None:
    """Say ready, wait for "go" on stdin, deliver, print the outcomes as JSON."""
    store = store_from_settings(StoreSettings(url=url, cluster=cluster, prefix=prefix))
    try:
        await store.prepare()
        if mode == "core":
            make_advisor()  # built before "go", like a warm worker
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        print(json.dumps(await deliver(store, items, mode)), flush=True)
    finally:
        await store.close()


async def two_processes(url: str, cluster: bool, prefix: str, mine: list[Any], theirs: list[Any],
                        mode: str = "toy") -> list[dict]:
    """Deliver ``mine`` here and ``theirs`` from a second process, starting together."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if mode == "core":
        make_advisor()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, __file__, url, "1" if cluster else "0", prefix, mode, json.dumps(theirs),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT, env=env,
    )
    store = store_from_settings(StoreSettings(url=url, cluster=cluster, prefix=prefix))
    try:
        await store.prepare()
        assert proc.stdout is not None and proc.stdin is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 30)
        assert line.strip() == b"ready", line
        proc.stdin.write(b"go\n")
        await proc.stdin.drain()
        here, (out, _) = await asyncio.gather(deliver(store, mine, mode), proc.communicate())
        assert proc.returncode == 0
        return here + json.loads(out)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await store.close()


async def applied(store: RedisStore) -> tuple[int, list[str]]:
    loaded = await store.load(KEY, None)
    return loaded.version, (loaded.data or {}).get("applied", [])


def real_url(request: Any, backend: str) -> str:
    return request.getfixturevalue("redis_url" if backend == "redis" else "redis_cluster")


import pytest  # noqa: E402  (after the worker's sys.path fix)

real_backends = pytest.mark.parametrize(
    "backend", [pytest.param("redis", marks=pytest.mark.redis), pytest.param("cluster", marks=pytest.mark.redis)]
)


@real_backends
async def test_two_processes_apply_every_event_once(request, backend: str, redis_prefix: str) -> None:
    url = real_url(request, backend)
    mine = [f"a{i}" for i in range(30)]
    theirs = [f"b{i}" for i in range(30)]
    outcomes = await two_processes(url, backend == "cluster", redis_prefix, mine, theirs)
    assert len(outcomes) == 60 and not any(o["duplicate"] for o in outcomes)
    assert sum(o["retries"] for o in outcomes) > 0  # they really contended
    store = store_from_settings(StoreSettings(url=url, cluster=backend == "cluster", prefix=redis_prefix))
    try:
        version, ids = await applied(store)
    finally:
        await store.close()
    assert sorted(ids) == sorted(mine + theirs) and len(ids) == 60 and version == 60


@real_backends
async def test_same_event_twenty_times_at_once(request, backend: str, redis_prefix: str) -> None:
    url = real_url(request, backend)
    cluster = backend == "cluster"
    setup = store_from_settings(StoreSettings(url=url, cluster=cluster, prefix=redis_prefix))
    try:
        await run_turn(setup, make_event("first"), append_event)
        outcomes = await two_processes(url, cluster, redis_prefix, ["dup"] * 10, ["dup"] * 10)
        assert len(outcomes) == 20
        winners = [o for o in outcomes if not o["duplicate"]]
        assert len(winners) == 1 and winners[0]["replies"] == ["ack dup"]
        assert all(o["replies"] == [] for o in outcomes if o["duplicate"])
        assert await applied(setup) == (2, ["first", "dup"])
    finally:
        await setup.close()


# --------------------------------------------------------------------------- the real core

NOW = 1_700_000_000.0


def all_settled_setup() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Specs that take a new conversation to DONE with every factor settled (start, answer
    each question asked, then change and answer each factor never asked), worked out with the
    pure core, and the data they end in. From there every answer to a settled factor with a
    new value is taken (a changed answer), so concurrent answers all change the state."""
    step = make_advisor().step_data
    specs = [spec("setup-start", NOW, "start")]
    data, _ = step(None, core_event(specs[0]), NOW)
    while True:
        state = ConversationState.from_dict(data)
        missing = [f for f in FACTOR_IDS if f not in state.answers]
        if state.pending is not None:
            s = spec(f"setup-{len(specs)}", NOW, "answer", state.pending, BY_ID[state.pending].values[0])
        elif missing:
            s = spec(f"setup-{len(specs)}", NOW, "change", missing[0])
        else:
            assert state.phase == DONE
            return specs, data
        specs.append(s)
        data, _ = step(data, core_event(s), NOW)


async def run_serially(store: RedisStore, specs: list[dict[str, Any]]) -> None:
    step = make_advisor().step_data
    for s in specs:
        result = await run_turn(store, core_event(s), step, now=s["now"])
        assert not result.duplicate and result.retries == 0


def core_state(data: dict[str, Any] | None) -> ConversationState:
    """Stored data as the core reads it (decodes and validates, or raises)."""
    assert data is not None
    return ConversationState.from_dict(data)


on_redis = pytest.mark.parametrize("backend", [pytest.param("redis", marks=pytest.mark.redis)])


@on_redis
async def test_two_processes_drive_the_core_as_a_serial_order_would(request, backend: str, redis_prefix: str) -> None:
    """40 answer events (distinct ids) from two processes at once, on a finished assessment:
    the turns serialize. Replaying them through the pure core in the order of the versions
    they saved gives exactly the stored state, and each turn's replies."""
    url, cluster = real_url(request, backend), backend == "cluster"
    advisor = make_advisor()
    setup, data = all_settled_setup()
    answers = []
    for i in range(40):
        factor = FACTOR_IDS[i % len(FACTOR_IDS)]
        values = BY_ID[factor].values
        answers.append(spec(f"answer-{i}", NOW + 1 + i, "answer", factor, values[(i // len(FACTOR_IDS) + 1) % len(values)]))
    store = store_from_settings(StoreSettings(url=url, cluster=cluster, prefix=redis_prefix))
    try:
        await store.prepare()
        await run_serially(store, setup)
        assert (await store.load(KEY, None)).data == data

        outcomes = await two_processes(url, cluster, redis_prefix, answers[0::2], answers[1::2], mode="core")

        assert len(outcomes) == len(answers) and not any(o["duplicate"] for o in outcomes)
        assert sum(o["retries"] for o in outcomes) > 0  # they really contended
        # every factor gets at least one answer that differs from its current value
        assert sum(1 for o in outcomes if o["replies"]) >= len(FACTOR_IDS)
        order = sorted(outcomes, key=lambda o: o["version"])
        assert [o["version"] for o in order] == list(range(len(setup) + 1, len(setup) + len(answers) + 1))
        by_id = {s["id"]: s for s in answers}
        for o in order:  # the serial order the store chose, replayed on the pure core
            s = by_id[o["event"]]
            data, replies = advisor.step_data(data, core_event(s), s["now"])
            assert o["replies"] == [repr(r) for r in replies], o["event"]
        loaded = await store.load(KEY, None)
        assert loaded.version == len(setup) + len(answers)
        assert loaded.data == data
        state = core_state(loaded.data)
        assert state.phase == DONE and set(state.settled) == set(FACTOR_IDS)
        # independently of the replay: each factor holds the value of its last answer
        last = {by_id[o["event"]]["action"]["factor"]: by_id[o["event"]]["action"]["value"] for o in order}
        assert state.answers == {f: last[f] for f in state.answers}
        assert state.updated_at == by_id[order[-1]["event"]]["now"]
        for s in answers:  # every delivery is remembered
            assert (await store.load(KEY, s["id"])).duplicate
    finally:
        await store.close()


@on_redis
async def test_same_answer_twenty_times_at_once_reaches_the_core_once(request, backend: str, redis_prefix: str) -> None:
    url, cluster = real_url(request, backend), backend == "cluster"
    advisor = make_advisor()
    start = spec("start", NOW, "start")
    started, _ = advisor.step_data(None, core_event(start), NOW)
    pending = core_state(started).pending
    assert pending is not None
    answer = spec("dup", NOW + 1, "answer", pending, BY_ID[pending].values[0])
    expected, replies = advisor.step_data(started, core_event(answer), NOW + 1)
    store = store_from_settings(StoreSettings(url=url, cluster=cluster, prefix=redis_prefix))
    try:
        await store.prepare()
        await run_serially(store, [start])

        outcomes = await two_processes(url, cluster, redis_prefix, [answer] * 10, [answer] * 10, mode="core")

        assert len(outcomes) == 20
        winners = [o for o in outcomes if not o["duplicate"]]
        assert len(winners) == 1 and winners[0]["version"] == 2
        assert winners[0]["replies"] == [repr(r) for r in replies] and replies
        assert all(o["replies"] == [] for o in outcomes if o["duplicate"])
        loaded = await store.load(KEY, "dup")
        assert loaded.duplicate and loaded.version == 2 and loaded.data == expected
        state = core_state(loaded.data)
        assert state.settled == (pending,) and state.questions_asked == 2  # answered once, asked on once
    finally:
        await store.close()


# --------------------------------------------------------------------------- properties

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

#: batches of deliveries; a batch is delivered concurrently, batches one after another;
#: small ids so that duplicates (retried deliveries) are frequent
schedules = st.lists(st.lists(st.integers(0, 7), min_size=1, max_size=8), min_size=1, max_size=5)


async def check_schedule(store: RedisStore, schedule: list[list[int]]) -> None:
    outcomes: list[dict] = []
    for batch in schedule:
        outcomes += await deliver(store, [f"e{i}" for i in batch])
    distinct = {f"e{i}" for batch in schedule for i in batch}
    version, ids = await applied(store)
    assert Counter(ids) == Counter(distinct)  # each distinct event exactly once
    assert version == len(distinct)
    winners = Counter(o["event"] for o in outcomes if not o["duplicate"])
    assert winners == Counter(distinct)  # replies produced once per event
    assert all(o["replies"] == [f"ack {o['event']}"] for o in outcomes if not o["duplicate"])
    # order of application respects the batches: a later batch never precedes an earlier one
    first_batch = {}
    for n, batch in enumerate(schedule):
        for i in batch:
            first_batch.setdefault(f"e{i}", n)
    assert [first_batch[e] for e in ids] == sorted(first_batch[e] for e in ids)


@settings(max_examples=30, deadline=None)
@given(schedule=schedules)
def test_interleavings_embedded(schedule: list[list[int]]) -> None:
    async def scenario() -> None:
        store = embedded_store()
        try:
            await check_schedule(store, schedule)
        finally:
            await store.close()

    asyncio.run(scenario())


@pytest.mark.redis
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schedule=schedules)
def test_interleavings_real_redis(redis_url: str, redis_prefix: str, schedule: list[list[int]]) -> None:
    async def scenario() -> None:
        import uuid

        prefix = f"{redis_prefix}:{uuid.uuid4().hex[:8]}"
        store = store_from_settings(StoreSettings(url=redis_url, prefix=prefix))
        try:
            await check_schedule(store, schedule)
        finally:
            await store.close()  # the redis_url fixture deletes everything under redis_prefix

    asyncio.run(scenario())


if __name__ == "__main__":
    asyncio.run(worker_main(sys.argv[1], sys.argv[2] == "1", sys.argv[3], sys.argv[4], json.loads(sys.argv[5])))
