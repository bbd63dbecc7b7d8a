"""What the optional language model costs a turn, and that Slack still acks in time.

    .venv/bin/python bench/bench_llm.py [--turns 200] [--acks 20] [--delay 5] [--redis redis://127.0.0.1:6379/0]

1. **Overhead per turn**: ``TurnService.handle`` with the real langchain-openai client against
   the stand-in endpoint (``tests/llm/stand_in.py``) answering instantly, in a child process so
   its CPU is not this process's; versus the same turns without a model. Three kinds of turn:
   an opening description the rules cannot read (one understanding call), a free question
   answered from the knowledge base (one phrasing call), and a typed answer the rules read
   (no call: only the peek at the stored state that decides it). The difference is our code
   plus langchain plus the local HTTP round trip, not any model's thinking time.
2. **Slack ack with a slow model**: the real Slack route (``/slack/events``, tests/slack helpers
   and stand-in Slack) with a model that takes ``--delay`` seconds for every call; ``--acks`` DMs
   with unreadable descriptions sent at once. Slack's limit for the ack is 3 s.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import statistics
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.llm import build_language_model  # noqa: E402
from adapters.service import TurnService  # noqa: E402
from adapters.settings import load_settings  # noqa: E402
from adapters.wiring import make_advisor  # noqa: E402
from bot.events import Action, ConversationKey, InboundEvent  # noqa: E402
from store import KeySpace, StoreSettings, embedded_store, store_from_settings  # noqa: E402

DESCRIPTION = "people lose patience if the thing makes them wait around"
QUESTION = "why does latency matter?"

STAND_IN = textwrap.dedent("""
    import asyncio, sys
    sys.path.insert(0, sys.argv[1])
    from aiohttp import web
    from tests.llm.stand_in import PHRASING, UNDERSTANDING, StandIn, answered, understood

    async def main():
        fake = StandIn()
        fake.responders[UNDERSTANDING] = lambda body: understood(("latency_critical", "yes", "people lose patience"))
        fake.responders[PHRASING] = lambda body: answered("Each extra prompt step adds a wait; one tuned call avoids it.", "lower-latency")
        await fake.start()
        print(fake.base_url, flush=True)
        while True:
            fake.requests.clear()  # do not grow over a long run
            await asyncio.sleep(1)

    asyncio.run(main())
""")


def ms(values: list[float]) -> str:
    values = sorted(values)
    p50 = statistics.median(values) * 1000
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))] * 1000
    return f"p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"


def stand_in_process() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-c", STAND_IN, str(ROOT)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


async def overhead(turns: int, redis_url: str | None) -> None:
    proc, base_url = stand_in_process()
    prefix = f"ftbench-{uuid.uuid4().hex[:8]}"
    store = store_from_settings(StoreSettings(url=redis_url, prefix=prefix)) if redis_url else embedded_store(keys=KeySpace(prefix))
    await store.prepare()
    advisor = make_advisor()
    settings = load_settings(_env_file=None, LLM_MODEL="openai:gpt-4o-mini", LLM_BASE_URL=base_url, LLM_API_KEY="sk-bench")
    llm = build_language_model(settings, advisor.kb)
    services = {"without": TurnService(advisor, store), "with": TurnService(advisor, store, llm)}
    counter = iter(range(10**9))

    def event(thread: str, *, text: str | None = None, action: Action | None = None) -> InboundEvent:
        key = ConversationKey("bench", "T", "C", thread, "U")
        return InboundEvent(key, "U", f"e{next(counter)}", text=text, action=action)

    async def one(kind: str, service: TurnService) -> float:
        thread = uuid.uuid4().hex
        if kind == "readable answer":  # a started conversation; "no" answers the first question
            await service.handle(event(thread, action=Action("start")))
            ev = event(thread, text="no")
        else:
            ev = event(thread, text=DESCRIPTION if kind == "description" else QUESTION)
        started = time.perf_counter()
        handled = await service.handle(ev)
        elapsed = time.perf_counter() - started
        if service.llm is not None and kind == "description":
            assert handled.hints == 1, handled
        if service.llm is not None and kind == "free question":
            assert handled.phrased == (0,), handled
        return elapsed

    print(f"Overhead per turn ({'Redis' if redis_url else 'embedded store'}; stand-in model answering at once; {turns} turns each)")
    try:
        for kind in ("description", "free question", "readable answer"):
            for name in ("without", "with"):  # warm-up: imports, index, the first HTTP connection
                for _ in range(20):
                    await one(kind, services[name])
            results: dict[str, list[float]] = {"without": [], "with": []}
            for _ in range(turns):  # interleaved, so drift hits both alike
                for name in ("without", "with"):
                    results[name].append(await one(kind, services[name]))
            extra = statistics.median(results["with"]) - statistics.median(results["without"])
            print(f"  {kind:<16} without model {ms(results['without'])} | with model {ms(results['with'])} | extra p50 {extra * 1000:6.2f} ms")
    finally:
        assert llm is not None
        await llm.aclose()
        if redis_url:  # leave nothing behind on a shared Redis
            from redis.asyncio import Redis

            raw = Redis.from_url(redis_url)
            keys = [k async for k in raw.scan_iter(match=f"{prefix}:*", count=1000)]
            for i in range(0, len(keys), 500):
                await raw.delete(*keys[i : i + 500])
            await raw.aclose()
        await store.close()
        proc.terminate()
        proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def slack_ack(acks: int, delay: float) -> None:
    from aiohttp import web

    from tests.llm.stand_in import UNDERSTANDING, StandIn, understood
    from tests.slack.conftest import build, make_settings
    from tests.slack.fake_slack import FakeSlack
    from tests.slack.payloads import SlackSender, dm

    slack = await FakeSlack().start()
    model = await StandIn().start()
    model.responders[UNDERSTANDING] = lambda body: understood(("latency_critical", "yes", "people lose patience")).slow(delay)
    prefix = f"ftbench-{uuid.uuid4().hex[:8]}"
    store = embedded_store(keys=KeySpace(prefix))
    await store.prepare()
    settings = make_settings(slack, prefix, LLM_MODEL="openai:gpt-4o-mini", LLM_BASE_URL=model.base_url,
                             LLM_API_KEY="sk-bench", LLM_TIMEOUT_S=str(delay + 3))
    app = build(settings, store)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", slack.url)
    try:
        await sender.event(dm("hello", user="UWARM", channel="DWARM"))  # warm-up: index, clients
        await slack.wait_count("chat.postMessage", 1, timeout=30)
        started = time.perf_counter()
        replies = await asyncio.gather(*(
            sender.event(dm(DESCRIPTION, user=f"U{i}", channel=f"D{i}")) for i in range(acks)
        ))
        acked = time.perf_counter() - started
        assert all(r.status == 200 for r in replies), [r.status for r in replies]
        await slack.wait_count("chat.postMessage", 1 + acks, timeout=delay + 30)
        done = time.perf_counter() - started
        understood_replies = sum("people lose patience" in str(c.blocks) for c in slack.of("chat.postMessage"))
    finally:
        await runner.cleanup()
        await model.stop()
        await slack.stop()
    elapsed = [r.elapsed for r in replies]
    print(f"Slack ack with a model taking {delay:g} s ({acks} DMs at once, real /slack/events route, embedded store)")
    print(f"  ack {ms(elapsed)}  max {max(elapsed) * 1000:6.2f} ms  (limit 3000 ms): {'OK' if max(elapsed) < 3 else 'TOO SLOW'}")
    print(f"  all {acks} acked {acked:.2f} s after sending; replies posted after {done:.2f} s, "
          f"{understood_replies} of them with the model's reading")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--acks", type=int, default=20)
    parser.add_argument("--delay", type=float, default=5.0)
    parser.add_argument("--redis", help="run part 1 on this Redis instead of the embedded store")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the teams emulator-mode warning and the like
    asyncio.run(overhead(args.turns, args.redis))
    asyncio.run(slack_ack(args.acks, args.delay))


if __name__ == "__main__":
    main()
