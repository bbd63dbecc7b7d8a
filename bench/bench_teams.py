"""CPU per Teams turn: stock botbuilder vs the lean adapter.

    .venv/bin/python bench/bench_teams.py [--users 40] [--rounds 3] [--redis redis://127.0.0.1:6379/0]

The bot runs in this process behind a real ``/api/messages`` (aiohttp); a load client and a
stand-in Bot Connector run as child processes, so this process's CPU (``time.process_time``,
all threads, including the ``requests`` worker threads of stock botbuilder) is the bot's alone.
Each simulated user sends a personal "start", five Action.Submit "skip" clicks, a typed
"not sure" and a "status": 8 turns, 13 connector calls (posts and in-place updates).

Modes:

* ``core``  ``TurnService.handle`` on the same events, no Teams at all (the floor)
* ``stock`` botbuilder ``CloudAdapter`` as shipped: per-turn msrest ConnectorClient, UserTokenClient
  and ClientRetryPolicy, replies through ``requests``, sent inside the turn
* ``lean``  this adapter: CloudAdapter for inbound auth, cached outbound clients, replies over one
  reused aiohttp session, sent in the background (``Outbox``)

Reported: CPU ms per turn (min over rounds) and the adapter's share above ``core``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402

from adapters.service import TurnService  # noqa: E402
from adapters.settings import Settings  # noqa: E402
from adapters.teams import events  # noqa: E402
from adapters.teams.endpoint import TeamsEndpoint  # noqa: E402
from adapters.wiring import make_advisor  # noqa: E402
from store import KeySpace, StoreSettings, embedded_store, store_from_settings  # noqa: E402

TURNS_PER_USER = 8

CONNECTOR = textwrap.dedent("""
    import itertools, sys
    from aiohttp import web
    ids = itertools.count(1)
    async def handle(request):
        await request.read()
        return web.json_response({"id": str(next(ids))})
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
""")

CLIENT = textwrap.dedent("""
    import asyncio, json, sys, aiohttp
    async def main():
        url, path = sys.argv[1], sys.argv[2]
        activities = json.load(open(path))
        async with aiohttp.ClientSession() as http:
            for a in activities:
                async with http.post(url, json=a) as resp:
                    await resp.read()
                    assert resp.status == 201, resp.status
    asyncio.run(main())
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def activities(service_url: str, users: int, tag: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    n = 0
    for u in range(users):
        aad = f"00000000-0000-4000-8000-{tag}{u:06d}"[:36]
        conversation = {"conversationType": "personal", "tenantId": "t", "id": f"a:1{tag}{u}"}
        base = {
            "channelId": "msteams", "serviceUrl": service_url, "conversation": conversation,
            "from": {"id": f"29:{tag}{u}", "name": "User", "aadObjectId": aad},
            "recipient": {"id": "28:bot", "name": "Fine-Tune Advisor"},
            "channelData": {"tenant": {"id": "t"}}, "locale": "en-US",
        }

        def message(**fields: Any) -> dict[str, Any]:
            nonlocal n
            n += 1
            return {"type": "message", "id": f"{tag}-{n}", **base, **fields}

        out.append(message(text="start"))
        out += [message(value={"action": "skip", "owner": aad}, replyToId=f"card-{tag}-{u}") for _ in range(5)]
        out.append(message(text="not sure"))
        out.append(message(text="status"))
    return out


def core_events(batch: list[dict[str, Any]]) -> list[Any]:
    return [events.to_event(events.parse_activity(a)) for a in batch]


async def serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


async def measure(mode: str, service: TurnService, batch: list[dict[str, Any]], workdir: Path) -> float:
    """CPU seconds this process spent on ``batch``."""
    if mode == "core":
        evs = core_events(batch)
        start = time.process_time()
        for event in evs:
            await service.handle(event)
        return time.process_time() - start
    endpoint = TeamsEndpoint.build(service, Settings(_env_file=None, MICROSOFT_APP_ID=None), lean=mode == "lean")  # type: ignore[call-arg]
    app = web.Application()
    app.router.add_post("/api/messages", endpoint.handle)
    runner, port = await serve(app)
    path = workdir / f"{mode}-{uuid.uuid4().hex}.json"
    path.write_text(json.dumps(batch))
    try:
        start = time.process_time()
        client = await asyncio.create_subprocess_exec(sys.executable, "-c", CLIENT, f"http://127.0.0.1:{port}/api/messages", str(path))
        assert await client.wait() == 0
        assert await endpoint.outbox.drain(60)
        return time.process_time() - start
    finally:
        await endpoint.connector.close()
        await runner.cleanup()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--redis", help="use this Redis (default: the embedded store)")
    args = parser.parse_args()

    prefix = f"bench-teams-{uuid.uuid4().hex[:8]}"
    store = (store_from_settings(StoreSettings(url=args.redis, prefix=prefix)) if args.redis
             else embedded_store(keys=KeySpace(prefix)))
    await store.prepare()
    service = TurnService(make_advisor(), store)
    port = free_port()
    connector = subprocess.Popen([sys.executable, "-c", CONNECTOR, str(port)])
    service_url = f"http://127.0.0.1:{port}/amer/"
    try:
        for _ in range(100):  # wait for the stand-in connector
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        import logging

        logging.disable(logging.WARNING)  # keep per-turn log records out of the measurement
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            for mode in ("core", "stock", "lean"):  # warm-up: imports, index, first connections
                await measure(mode, service, activities(service_url, 2, f"w{mode[0]}"), workdir)
            results: dict[str, list[float]] = {"core": [], "stock": [], "lean": []}
            for r in range(args.rounds):
                for mode in results:
                    batch = activities(service_url, args.users, f"{mode[0]}{r}")
                    seconds = await measure(mode, service, batch, workdir)
                    results[mode].append(seconds * 1000 / len(batch))
    finally:
        connector.terminate()
        connector.wait(5)
        await store.close()

    turns = args.users * TURNS_PER_USER
    print(f"CPU per Teams turn ({turns} turns x {args.rounds} rounds, store: {'redis' if args.redis else 'embedded'}, "
          f"python {sys.version.split()[0]}, pid {os.getpid()})")
    core = min(results["core"])
    for mode, values in results.items():
        best = min(values)
        extra = "" if mode == "core" else f"   adapter share {best - core:6.2f} ms"
        print(f"  {mode:<5} {best:6.2f} ms/turn (rounds: {', '.join(f'{v:.2f}' for v in values)}){extra}")


if __name__ == "__main__":
    asyncio.run(main())
