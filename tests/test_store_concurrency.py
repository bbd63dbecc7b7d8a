"""Exactly-once under concurrency: two OS processes hammering one conversation, the same
event delivered many times at once, and hypothesis-generated interleavings.

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

from bot.events import ConversationKey, InboundEvent
from store import RedisStore, StoreSettings, embedded_store, run_turn
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


async def deliver(store: Any, event_ids: list[str]) -> list[dict]:
    """Run one turn per id, all at once; report each outcome."""
    results = await asyncio.gather(
        *(run_turn(store, make_event(e), append_event, max_retries=MAX_RETRIES) for e in event_ids)
    )
    return [
        {"event": e, "duplicate": r.duplicate, "replies": r.replies, "retries": r.retries}
        for e, r in zip(event_ids, results)
    ]


# --------------------------------------------------------------------------- two processes

async def worker_main(url: str, cluster: bool, prefix: str, event_ids: list[str]) -> None:
    """Say ready, wait for "go" on stdin, deliver, print the outcomes as JSON."""
    store = store_from_settings(StoreSettings(url=url, cluster=cluster, prefix=prefix))
    try:
        await store.prepare()
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        print(json.dumps(await deliver(store, event_ids)), flush=True)
    finally:
        await store.close()


async def two_processes(url: str, cluster: bool, prefix: str, mine: list[str], theirs: list[str]) -> list[dict]:
    """Deliver ``mine`` here and ``theirs`` from a second process, starting together."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, __file__, url, "1" if cluster else "0", prefix, json.dumps(theirs),
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
        here, (out, _) = await asyncio.gather(deliver(store, mine), proc.communicate())
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
    asyncio.run(worker_main(sys.argv[1], sys.argv[2] == "1", sys.argv[3], json.loads(sys.argv[4])))
