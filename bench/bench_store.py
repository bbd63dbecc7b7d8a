"""Benchmark the conversation store against a real Redis.

    .venv/bin/python bench/bench_store.py [--url redis://...] [--turns 2000]

Measures, at concurrency 1 and 50: run_turn (Lua CAS) throughput and p50/p99 latency,
round trips per turn, and in the same run a bare redis-py GET+SET loop (baseline) and a
WATCH/MULTI/EXEC turn; plus one hot conversation shared by 50 workers, and the bytes a
finished 12-answer conversation takes. Keys live under a random prefix, deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from redis.asyncio import Redis  # noqa: E402
from redis.exceptions import WatchError  # noqa: E402

from bot.events import Action, ConversationKey, InboundEvent  # noqa: E402
from store import RedisStore, StoreSettings, run_turn  # noqa: E402
from store.connect import redact_url, store_from_settings  # noqa: E402
from store.redis_store import encode_envelope  # noqa: E402

FACTORS = [
    "task_type", "data_volume", "label_quality", "latency_budget", "cost_budget", "privacy",
    "domain_shift", "output_format", "update_rate", "eval_maturity", "team_skill", "hosting",
]


def advisor_transition(data: dict | None, ev: InboundEvent, now: float) -> tuple[dict, list]:
    """A realistic small transition: answer the next of 12 questions, then a verdict."""
    state = dict(data) if data else {"stage": "asking", "answers": {}, "history": [], "started_at": now}
    answers = dict(state.get("answers", {}))
    if len(answers) >= len(FACTORS):
        answers = {}
    factor = FACTORS[len(answers)]
    answers[factor] = ev.action.value if ev.action else "medium"
    done = len(answers) == len(FACTORS)
    state.update(
        answers=answers,
        history=[*state.get("history", [])[-2:], factor],
        stage="verdict" if done else "asking",
        verdict="prompt_chaining_first" if done else None,
        updated_at=now,
    )
    reply = {"text": f"Noted {factor}.", "buttons": ["low", "medium", "high"]}
    return state, [reply]


@dataclass
class Row:
    name: str
    concurrency: int
    turns: int
    seconds: float
    latencies: list[float]
    round_trips: float

    @property
    def rate(self) -> float:
        return self.turns / self.seconds

    def pct(self, q: float) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(q) - 1] * 1000


class Counted:
    """Counts commands sent through a client's execute_command (one command = one round trip
    here: the store sends no pipelines)."""

    def __init__(self, client: Any) -> None:
        self.n = 0
        real = client.execute_command

        async def counting(*args: Any, **kwargs: Any) -> Any:
            self.n += 1
            return await real(*args, **kwargs)

        client.execute_command = counting


async def drive(name: str, concurrency: int, total: int, one: Callable[[int, int], Awaitable[int]]) -> Row:
    """Run ``total`` turns split over ``concurrency`` workers; ``one(worker, i)`` returns the
    round trips it used."""
    per = total // concurrency
    latencies: list[float] = []
    trips = 0

    async def worker(w: int) -> None:
        nonlocal trips
        for i in range(per):
            t0 = time.perf_counter()
            used = await one(w, i)
            latencies.append(time.perf_counter() - t0)
            trips += used

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(concurrency)))
    seconds = time.perf_counter() - t0
    return Row(name, concurrency, per * concurrency, seconds, latencies, trips / (per * concurrency))


def conv_key(tag: str, w: int) -> ConversationKey:
    return ConversationKey("slack", "TBENCH", f"C{tag}", "", f"U{w}")


def event(key: ConversationKey, i: int, w: int) -> InboundEvent:
    return InboundEvent(key=key, user=key.user, event_id=f"ev-{w}-{i}-{uuid.uuid4().hex[:6]}",
                        action=Action("answer", factor="x", value="high"))


async def bench_store(store: RedisStore, counter: Counted, concurrency: int, total: int, hot: bool) -> Row:
    tag = uuid.uuid4().hex[:6]

    async def one(w: int, i: int) -> int:
        key = conv_key(tag, 0 if hot else w)
        await run_turn(store, event(key, i, w), advisor_transition, max_retries=10_000)
        return 0  # counted for the whole row below: workers share the client

    name = "store run_turn, Lua CAS" + (" (1 hot conv)" if hot else "")
    before = counter.n
    row = await drive(name, concurrency, total, one)
    row.round_trips = (counter.n - before) / row.turns
    return row


async def bench_watch(client: Redis, store: RedisStore, concurrency: int, total: int, hot: bool) -> Row:
    """The same turn with optimistic WATCH/MULTI/EXEC instead of the Lua script."""
    tag = uuid.uuid4().hex[:6]
    conv_ttl, evt_ttl = store.conversation_ttl_ms, store.event_ttl_ms

    async def one(w: int, i: int) -> int:
        key = conv_key(tag, 0 if hot else w)
        ev = event(key, i, w)
        conv, evt = store.keys.conversation(key), store.keys.event(key, ev.event_id)
        trips = 0
        async with client.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(conv, evt)
                    raw = await pipe.get(conv)
                    seen = await pipe.exists(evt)
                    trips += 3
                    if seen:
                        await pipe.unwatch()
                        return trips + 1
                    env = json.loads(raw) if raw else None
                    version = env["version"] if env else 0
                    data, _ = advisor_transition(env["data"] if env else None, ev, time.time())
                    pipe.multi()
                    pipe.set(conv, encode_envelope(version + 1, data), px=conv_ttl)
                    pipe.set(evt, "1", px=evt_ttl)
                    trips += 1
                    await pipe.execute()
                    return trips
                except WatchError:
                    continue

    name = "WATCH/MULTI/EXEC turn" + (" (1 hot conv)" if hot else "")
    return await drive(name, concurrency, total, one)


async def bench_baseline(client: Redis, prefix: str, concurrency: int, total: int) -> Row:
    """Bare redis-py: GET then SET of a same-sized value, no atomicity, no dedupe."""
    value = encode_envelope(7, advisor_transition(None, event(conv_key("x", 0), 0, 0), 0.0)[0])

    async def one(w: int, i: int) -> int:
        key = f"{prefix}:baseline:{w}"
        await client.get(key)
        await client.set(key, value, px=60_000)
        return 2

    return await drive("baseline bare GET+SET", concurrency, total, one)


async def footprint(store: RedisStore) -> tuple[int, int, int]:
    """STRLEN and MEMORY USAGE of a finished 12-answer conversation, and of an event key."""
    key = conv_key("size", 0)
    for i in range(len(FACTORS)):
        ev = event(key, i, 0)
        await run_turn(store, ev, advisor_transition)
    conv = store.keys.conversation(key)
    strlen = await store.client.strlen(conv)
    mem = await store.client.memory_usage(conv) or 0
    evt_mem = await store.client.memory_usage(store.keys.event(key, ev.event_id)) or 0
    return strlen, mem, evt_mem


async def evalsha_calls(client: Redis) -> int:
    stats = await client.info("commandstats")
    return int(stats.get("cmdstat_evalsha", {}).get("calls", 0))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    parser.add_argument("--turns", type=int, default=2000, help="turns per row (default 2000)")
    args = parser.parse_args()

    prefix = f"ftbench-{uuid.uuid4().hex[:8]}"
    store = store_from_settings(StoreSettings(url=args.url, prefix=prefix))
    raw = Redis.from_url(args.url)  # baseline and WATCH client, plain defaults
    try:
        await store.prepare()
        counter = Counted(store.client)
        server = await raw.info("server")
        rows: list[Row] = []
        for c in (1, 50):
            before = await evalsha_calls(raw)
            row = await bench_store(store, counter, c, args.turns, hot=False)
            server_rt = (await evalsha_calls(raw) - before) / row.turns
            rows.append(row)
            rows.append(await bench_baseline(raw, prefix, c, args.turns))
            rows.append(await bench_watch(raw, store, c, args.turns, hot=False))
        rows.append(await bench_store(store, counter, 50, args.turns // 2, hot=True))
        rows.append(await bench_watch(raw, store, 50, args.turns // 2, hot=True))
        strlen, mem, evt_mem = await footprint(store)
    finally:
        keys = [k async for k in raw.scan_iter(match=f"{prefix}:*", count=1000)]
        for i in range(0, len(keys), 500):
            await raw.delete(*keys[i : i + 500])
        await raw.aclose()
        await store.close()

    print(f"Redis {server['redis_version']} at {redact_url(args.url)}, {args.turns} turns per row "
          f"(hot rows: {args.turns // 2})")
    print(f"{'mode':<38}{'conc':>5}{'turns/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'RT/turn':>9}")
    for r in rows:
        print(f"{r.name:<38}{r.concurrency:>5}{r.rate:>10.0f}{r.pct(50):>9.2f}{r.pct(99):>9.2f}"
              f"{r.round_trips:>9.2f}")
    by = {(r.name, r.concurrency): r for r in rows}
    lua, base, watch = "store run_turn, Lua CAS", "baseline bare GET+SET", "WATCH/MULTI/EXEC turn"
    for c in (1, 50):
        print(f"c={c:<3} store/baseline throughput {by[lua, c].rate / by[base, c].rate:.2f}x   "
              f"Lua/WATCH throughput {by[lua, c].rate / by[watch, c].rate:.2f}x")
    hot_ratio = by[lua + ' (1 hot conv)', 50].rate / by[watch + ' (1 hot conv)', 50].rate
    print(f"1 hot conversation, c=50: Lua/WATCH throughput {hot_ratio:.2f}x")
    print(f"server-side EVALSHA per turn (INFO commandstats delta, last c=50 row): {server_rt:.2f}")
    print(f"bytes per finished 12-answer conversation: STRLEN {strlen}, MEMORY USAGE {mem}; "
          f"per event-id key: MEMORY USAGE {evt_mem}")


if __name__ == "__main__":
    asyncio.run(main())
