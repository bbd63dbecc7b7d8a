"""Load: simulated Slack and Teams users against ``finetune-advisor serve``, and the same
request load against a bare Bolt app and a stock botbuilder echo bot, in one run.

    .venv/bin/python bench/bench_load.py [--users 50] [--seconds 10] [--warmup 2] [--seed 7]
                                         [--profile-turns 200] [--redis-url URL]
    .venv/bin/python bench/bench_load.py --burst [--users 50] [--seconds 10] [--queue-limit N]

How it runs (all on 127.0.0.1):

* the server under test is a child process ``python -m adapters.cli serve`` (INFO JSON logs
  to a file, as in production: one line per turn, no access log); the reference is another child
  process, ``bench_load.py --serve-bare``: one aiohttp app with a bare slack-bolt AsyncApp
  (``process_before_response=True``, same signing secret, listeners that only ``ack()``) on
  ``/slack/events`` and a stock botbuilder echo bot (CloudAdapter +
  ConfigurationBotFrameworkAuthentication with an empty configuration, ``adapter.process``)
  on ``/api/messages``, started with ``web.run_app`` and the same log set-up (its one line per request is
  aiohttp's access log, where ours writes one per turn); the same process
  serves two *floors* for Slack, bare Bolt apps whose listeners ack and then do only the I/O a
  turn cannot avoid: ``/floor/events`` reads and writes Redis (2 EVALSHA) and POSTs a fixed
  question to the ``response_url``, ``/floor-reply/events`` only POSTs it;
* this process runs the load generator and the stand-ins for Slack's Web API and
  ``response_url``s and for the Bot Connector (at the activities' ``serviceUrl``), so the
  servers have a core to themselves on a two-core machine;
* Redis is a private ``redis-server`` on a free port (so INFO commandstats counts only this
  run), or ``--redis-url`` (a fresh key prefix; commandstats then includes anyone else's).

Each user plays whole assessments: Slack: the slash command, then a press of a random answer
button on each question (``random.Random(seed)``) until the recommendation card, then again;
Teams: a personal "start", then an Action.Submit click on a random answer of each question
card (``value`` + ``replyToId``). A user waits for the reply before the next turn (closed
loop). The reference apps get the same requests (recorded from the run against ours) and the
users wait for the HTTP answer (bare Bolt posts nothing) or the echo (Teams).

Reported per run: turns/s in the measured window (after a warm-up), ack latency (request ->
HTTP response), full-turn latency (request -> the reply carrying the next question or the
card seen at the stand-in), server CPU per turn (/proc of the child), Redis round trips per
turn, ratios and PASS/FAIL against the targets, the floors' turns/s and what each part (the
reply POST, the two EVALSHA, the rest of ours) adds to the server CPU per turn. Then one cProfile of our Slack turn: the app
in this process, the users and stand-in in a child process, top functions by cumulative time.
Always exits 0: it is a report.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import itertools
import json
import logging
import math
import os
import pstats
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from adapters.event_loop import new_event_loop  # noqa: E402
from tests.replica_support import ServeProcess, clean_env, free_port, proc_cpu_seconds  # noqa: E402


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (/proc/stat: all but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
from tests.slack.payloads import FORM, SECRET, SlackSender  # noqa: E402

CARD_EVENT = "finetune_recommendation"
#: The floor's reply: a question with two answer buttons, about the size of ours.
FLOOR_REPLY = json.dumps({
    "text": "Question 1. Is the task narrow and well defined?", "response_type": "ephemeral", "replace_original": True,
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*Question 1.* Is the task narrow and well defined?"}}]
    + [{"type": "actions", "block_id": f"ft:p:U1:q{i}", "elements": [{"type": "button", "action_id": "answer:task_scope",
        "value": value, "text": {"type": "plain_text", "text": value.title()}}]} for i, value in enumerate(("narrow", "broad"))]
    + [{"type": "context", "elements": [{"type": "mrkdwn", "text": "Why we ask: " + "x" * 200}]}],
}).encode()
REPLY_TIMEOUT_S = 10.0
TARGETS = {"slack_ack_p99_ms": 50.0, "slack_turn_p99_ms": 250.0, "slack_ratio": 0.5, "teams_ratio": 5.0}


# --- statistics -----------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


@dataclass
class Turn:
    start: float
    acked: float
    done: float | None  # reply seen at the stand-in (None: not waited for)


@dataclass
class RunStats:
    name: str
    window: tuple[float, float] = (0.0, 0.0)
    turns: list[Turn] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cards: int = 0
    cpu_s: float = 0.0
    driver_cpu_s: float = 0.0
    others_cpu_s: float = 0.0  # every other process on the machine (the other server, Redis, anyone)
    wall_s: float = 0.0
    redis: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)  # the server's /metrics counters, deltas

    def finished(self, t: Turn) -> float:
        return t.done if t.done is not None else t.acked

    @property
    def in_window(self) -> list[Turn]:
        lo, hi = self.window
        return [t for t in self.turns if lo <= t.start and self.finished(t) <= hi]

    @property
    def rate(self) -> float:
        lo, hi = self.window
        done = [t for t in self.turns if lo <= self.finished(t) <= hi]
        return len(done) / (hi - lo) if hi > lo else 0.0

    def ack_ms(self, q: float) -> float:
        return pct([(t.acked - t.start) * 1000 for t in self.in_window], q)

    def turn_ms(self, q: float) -> float:
        return pct([(t.done - t.start) * 1000 for t in self.in_window if t.done is not None], q)

    @property
    def cpu_ms_per_turn(self) -> float:
        return self.cpu_s * 1000 / len(self.turns) if self.turns else float("nan")

    def round_trips(self) -> tuple[float, str]:
        """Client round trips per turn from commandstats deltas: Lua-internal GET/SET/EXISTS
        and this benchmark's INFO left out; the LPUSH+LTRIM+EXPIRE pipeline counted once."""
        skip = {"get", "set", "exists", "info", "ltrim", "expire"}
        trips = {k: v for k, v in self.redis.items() if k not in skip and v}
        n = len(self.turns) or 1
        detail = ", ".join(f"{k} {v / n:.2f}" for k, v in sorted(trips.items(), key=lambda kv: -kv[1]))
        return sum(trips.values()) / n, detail or "none"


# --- stand-ins for Slack and the Bot Connector --------------------------------------------


def slack_answer_buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = payload.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [
        {**e, "block_id": b.get("block_id", "")}
        for b in blocks if b.get("type") == "actions"
        for e in b.get("elements", []) if str(e.get("action_id", "")).startswith("answer:")
    ]


def slack_is_card(payload: dict[str, Any]) -> bool:
    meta = payload.get("metadata") or {}
    if isinstance(meta, str):
        meta = json.loads(meta)
    return meta.get("event_type") == CARD_EVENT


def teams_submits(body: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
                found.append(node["data"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(body.get("attachments") or [])
    return found


class StandIn:
    """Slack Web API (``/api/{method}``), response URLs (``/respond/{name}``) and a Bot
    Connector (``/teams/v3/conversations/...``). Replies resolve the future a user waits on:
    Slack by response_url name, Teams by conversation id."""

    def __init__(self) -> None:
        self.url = ""
        self.slack_waiters: dict[str, asyncio.Future[tuple[float, dict[str, Any]]]] = {}
        self.teams_waiters: dict[str, tuple[asyncio.Future[tuple[float, str, dict[str, Any]]], bool]] = {}
        self.counts: dict[str, int] = {}
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None

    async def start(self, port: int = 0) -> StandIn:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_route("*", "/teams/{tail:.*}", self._connector)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, backlog=1024)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    @property
    def service_url(self) -> str:
        return self.url + "/teams/"

    def _count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    async def _api(self, request: web.Request) -> web.Response:
        await request.read()
        method = request.match_info["method"]
        self._count(method)
        if method == "auth.test":
            return web.json_response({"ok": True, "url": "https://bench.slack.com/", "team": "Bench", "user": "bot",
                                      "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT", "is_enterprise_install": False})
        return web.json_response({"ok": True, "ts": f"1700000000.{next(self._ids):06d}", "channel": "C1"})

    async def _respond(self, request: web.Request) -> web.Response:
        raw = await request.read()
        at = time.perf_counter()
        self._count("response_url")
        waiter = self.slack_waiters.get(request.match_info["name"])
        if waiter is not None and not waiter.done():
            waiter.set_result((at, json.loads(raw)))
        return web.Response(text="ok")

    async def _connector(self, request: web.Request) -> web.Response:
        body = await request.json()
        at = time.perf_counter()
        parts = request.raw_path.split("?")[0].split("/")
        i = parts.index("conversations")
        conversation = unquote(parts[i + 1])
        activity_id = unquote(parts[i + 3]) if len(parts) > i + 3 else ""
        message_id = activity_id if request.method == "PUT" else f"m{next(self._ids)}"
        self._count(f"connector {request.method}")
        waiting = self.teams_waiters.get(conversation)
        if waiting is not None and not waiting[0].done():
            future, any_reply = waiting
            actions = {d.get("action") for d in teams_submits(body)}
            kind = "question" if "answer" in actions else "card" if "record" in actions else "other"
            if any_reply or kind != "other":
                future.set_result((at, kind, {"id": message_id, "body": body}))
        return web.json_response({"id": message_id})


# --- the users ------------------------------------------------------------------------------


@dataclass
class Load:
    http: aiohttp.ClientSession
    standin: StandIn
    stats: RunStats
    end: float
    budget: int | None = None  # stop after this many turns (profile run), else at ``end``
    think_s: float = 0.0  # mean pause between a reply and the user's next request
    started: int = 0

    def more(self) -> bool:
        if time.perf_counter() >= self.end:
            return False
        return self.budget is None or self.started < self.budget

    async def think(self, rng: random.Random, first: bool = False) -> None:
        """A user's pause (mean ``think_s``, +-50%); ``first``: a random offset in [0, think_s),
        so users do not start in lockstep."""
        if self.think_s > 0:
            await asyncio.sleep(rng.uniform(0.0, 1.0) * self.think_s if first else rng.uniform(0.5, 1.5) * self.think_s)

    async def post(self, url: str, data: bytes, headers: dict[str, str]) -> tuple[int, float, float]:
        self.started += 1
        t0 = time.perf_counter()
        try:
            async with self.http.post(url, data=data, headers=headers) as resp:
                await resp.read()
                status = resp.status
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            self.stats.errors.append(f"http {type(exc).__name__}")
            return 0, t0, time.perf_counter()
        return status, t0, time.perf_counter()


async def slack_turn(load: Load, sender: SlackSender, body: str, name: str, wait: bool) -> dict[str, Any] | None:
    """One signed request; the reply's payload (ours) or {} (bare); None on failure."""
    future: asyncio.Future[tuple[float, dict[str, Any]]] = asyncio.get_running_loop().create_future()
    if wait:
        load.standin.slack_waiters[name] = future
    try:
        status, t0, t1 = await load.post(sender.url, body.encode(), sender.headers(body, FORM))
        if status != 200:
            load.stats.errors.append(f"slack status {status}")
            return None
        if not wait:
            load.stats.turns.append(Turn(t0, t1, None))
            return {}
        try:
            at, payload = await asyncio.wait_for(future, REPLY_TIMEOUT_S)
        except asyncio.TimeoutError:
            load.stats.errors.append("slack reply timeout")
            return None
        load.stats.turns.append(Turn(t0, t1, at))
        return payload
    finally:
        load.standin.slack_waiters.pop(name, None)


SlackStep = tuple[str, str, str, str]  # (kind, action_id, value, block_id)


async def slack_user(load: Load, sender: SlackSender, uid: int, seed: int, tag: str,
                     record: list[list[SlackStep]], replay: list[list[SlackStep]] | None) -> None:
    """Ours (``replay`` None): whole assessments, random answers. Bare: the recorded steps."""
    rng = random.Random(seed * 100_003 + uid)
    user, channel = f"U{tag}{uid:03d}", f"C{uid:03d}"
    names = itertools.count()
    await load.think(rng, first=True)
    if replay is not None:
        script = itertools.cycle(itertools.chain.from_iterable(replay[uid % len(replay):] + replay[: uid % len(replay)]))
        while load.more():
            kind, action_id, value, block_id = next(script)
            name = f"{tag}-{uid}-{next(names)}"
            if kind == "command":
                body = sender.command_body("", user=user, channel=channel, respond=name)
            else:
                body = sender.action_body(action_id, value, block_id=block_id, user=user, channel=channel,
                                          ephemeral=True, respond=name)
            await slack_turn(load, sender, body, name, wait=False)
            await load.think(rng)
        return
    while load.more():
        steps: list[SlackStep] = [("command", "", "", "")]
        name = f"{tag}-{uid}-{next(names)}"
        reply = await slack_turn(load, sender, sender.command_body("", user=user, channel=channel, respond=name), name, True)
        while reply is not None and load.more():
            if slack_is_card(reply):
                load.stats.cards += 1
                break
            buttons = slack_answer_buttons(reply)
            if not buttons:
                load.stats.errors.append("slack reply without a question: " + str(reply.get("text", ""))[:60])
                break
            b = rng.choice(buttons)
            steps.append(("action", b["action_id"], b["value"], b["block_id"]))
            name = f"{tag}-{uid}-{next(names)}"
            body = sender.action_body(b["action_id"], b["value"], block_id=b["block_id"], user=user,
                                      channel=channel, ephemeral=True, respond=name)
            await load.think(rng)
            reply = await slack_turn(load, sender, body, name, True)
        record.append(steps)
        await load.think(rng)


def teams_base(service_url: str, tag: str, uid: int) -> dict[str, Any]:
    aad = f"00000000-0000-4000-8000-{uid:06d}{tag[:6]}"
    return {
        "channelId": "msteams", "serviceUrl": service_url,
        "conversation": {"conversationType": "personal", "tenantId": "bench-tenant", "id": f"a:1{tag}{uid:03d}"},
        "from": {"id": f"29:{tag}{uid:03d}", "name": f"User {uid}", "aadObjectId": aad},
        "recipient": {"id": "28:bench-bot", "name": "Fine-Tune Advisor"},
        "channelData": {"tenant": {"id": "bench-tenant"}}, "locale": "en-US",
    }


async def teams_turn(load: Load, url: str, activity: dict[str, Any], any_reply: bool) -> tuple[str, dict[str, Any]] | None:
    conversation = activity["conversation"]["id"]
    future: asyncio.Future[tuple[float, str, dict[str, Any]]] = asyncio.get_running_loop().create_future()
    load.standin.teams_waiters[conversation] = (future, any_reply)
    try:
        status, t0, t1 = await load.post(url, json.dumps(activity).encode(), {"Content-Type": "application/json"})
        if not 200 <= status < 300:
            load.stats.errors.append(f"teams status {status}")
            return None
        try:
            at, kind, message = await asyncio.wait_for(future, REPLY_TIMEOUT_S)
        except asyncio.TimeoutError:
            load.stats.errors.append("teams reply timeout")
            return None
        load.stats.turns.append(Turn(t0, t1, at))
        return kind, message
    finally:
        load.standin.teams_waiters.pop(conversation, None)


TeamsStep = tuple[str, dict[str, Any]]  # ("text", {"text": ...}) or ("submit", data)


async def teams_user(load: Load, url: str, uid: int, seed: int, tag: str,
                     record: list[list[TeamsStep]], replay: list[list[TeamsStep]] | None) -> None:
    rng = random.Random(seed * 100_003 + uid)
    base = teams_base(load.standin.service_url, tag, uid)
    ids = itertools.count()
    await load.think(rng, first=True)

    def activity(**fields: Any) -> dict[str, Any]:
        return {"type": "message", "id": f"{tag}-{uid}-{next(ids)}", **base, **fields}

    if replay is not None:
        script = itertools.cycle(itertools.chain.from_iterable(replay[uid % len(replay):] + replay[: uid % len(replay)]))
        while load.more():
            kind, data = next(script)
            a = activity(text=data["text"]) if kind == "text" else activity(value=data, replyToId=f"m{uid}")
            await teams_turn(load, url, a, any_reply=True)
            await load.think(rng)
        return
    while load.more():
        steps: list[TeamsStep] = [("text", {"text": "start"})]
        result = await teams_turn(load, url, activity(text="start"), any_reply=False)
        while result is not None and load.more():
            kind, message = result
            if kind == "card":
                load.stats.cards += 1
                break
            answers = [d for d in teams_submits(message["body"]) if d.get("action") == "answer"]
            if kind != "question" or not answers:
                load.stats.errors.append(f"teams reply {kind} without answers")
                break
            data = rng.choice(answers)
            steps.append(("submit", data))
            await load.think(rng)
            result = await teams_turn(load, url, activity(value=data, replyToId=message["id"]), any_reply=False)
        record.append(steps)
        await load.think(rng)


# --- one measured run -----------------------------------------------------------------------


_COUNTER = re.compile(r"^(ftadvisor_(?:turns_total|cas_retries_total|store_errors_total))\{([^}]*)\} ([0-9.e+]+)$", re.M)


async def server_counters(http: aiohttp.ClientSession, server: ServeProcess | None) -> dict[str, float]:
    """Turn outcomes and CAS retries from ``/metrics`` ({} for a server without it)."""
    if server is None:
        return {}
    try:
        async with http.get(server.url + "/metrics") as resp:
            if resp.status != 200:
                return {}
            text = await resp.text()
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
        return {}
    out: dict[str, float] = {}
    for name, labels, value in _COUNTER.findall(text):
        outcome = re.search(r'outcome="([^"]+)"', labels)
        key = f"{name.removeprefix('ftadvisor_').removesuffix('_total')}{':' + outcome.group(1) if outcome else ''}"
        out[key] = out.get(key, 0.0) + float(value)
    return out


class Redis:
    """INFO commandstats of the run's Redis."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as aioredis

        self.client = aioredis.Redis.from_url(url)

    async def commandstats(self) -> dict[str, int]:
        info = await self.client.info("commandstats")
        return {k.removeprefix("cmdstat_"): int(v["calls"]) for k, v in info.items()}

    async def close(self) -> None:
        await self.client.aclose()


async def measure(name: str, users: int, warmup: float, seconds: float, server: ServeProcess | None,
                  redis: Redis | None, play: Callable[[Load, int], Awaitable[None]], standin: StandIn,
                  budget: int | None = None, think_s: float = 0.0) -> RunStats:
    stats = RunStats(name)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:
        before = await redis.commandstats() if redis else {}
        counters0 = await server_counters(http, server)
        cpu0 = proc_cpu_seconds(server.pid) if server else 0.0
        drv0, wall0, machine0 = time.process_time(), time.perf_counter(), machine_busy_seconds()
        start = time.perf_counter()
        stats.window = (start + warmup, start + warmup + seconds)
        load = Load(http, standin, stats, end=stats.window[1], budget=budget, think_s=think_s)
        await asyncio.gather(*(play(load, uid) for uid in range(users)))
        await asyncio.sleep(0.3)  # trailing background work (retired questions, message_sent reports)
        stats.cpu_s = (proc_cpu_seconds(server.pid) - cpu0) if server else 0.0
        stats.driver_cpu_s, stats.wall_s = time.process_time() - drv0, time.perf_counter() - wall0
        stats.others_cpu_s = machine_busy_seconds() - machine0 - stats.cpu_s - stats.driver_cpu_s
        counters1 = await server_counters(http, server)
        stats.metrics = {k: v - counters0.get(k, 0.0) for k, v in counters1.items() if v - counters0.get(k, 0.0)}
        if redis:
            after = await redis.commandstats()
            stats.redis = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    return stats


# --- the reference server (child process) ---------------------------------------------------


def serve_bare(port: int) -> None:
    """Bare Bolt on /slack/events and the stock botbuilder echo bot on /api/messages."""
    from types import SimpleNamespace

    from botbuilder.core import ActivityHandler, TurnContext
    from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
    from botbuilder.core.integration import aiohttp_error_middleware
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.app.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from adapters.logs import configure

    configure(os.environ.get("LOG_LEVEL", "INFO"))
    bolt = AsyncApp(
        client=AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=True,
    )

    @bolt.command("/finetune")
    async def command(ack: Any) -> None:
        await ack()

    @bolt.action(re.compile(".*"))
    async def action(ack: Any) -> None:
        await ack()

    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    # The floor: the same bare Bolt app, whose listeners ack and then do the least I/O any
    # stateful turn needs: two EVALSHA (read, then write, a small value) and one response_url
    # POST of a fixed question. No core, no rendering, no logging: what the stack itself costs.
    # The reply floor (/floor-reply/events) is the same without the two EVALSHA: what any bot
    # whose turn ends with its reply posted costs, whether it keeps state or not.
    import redis.asyncio as aioredis

    floor = AsyncApp(
        client=AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=True,
    )
    floor_state: dict[str, Any] = {}
    floor_tasks: set[asyncio.Task[None]] = set()

    async def floor_turn(body: dict[str, Any], state: bool) -> None:
        if state:
            r, sha = floor_state["redis"], floor_state["sha"]
            key = f"{os.environ.get('REDIS_PREFIX', 'bench')}:floor:{body.get('user_id') or body.get('user', {}).get('id', '')}"
            await r.evalsha(sha, 1, key, "")
            await r.evalsha(sha, 1, key, "x" * 400)
        async with floor_state["http"].post(body["response_url"], data=FLOOR_REPLY,
                                            headers={"Content-Type": "application/json"}) as resp:
            await resp.read()

    def floor_done(task: asyncio.Task[None]) -> None:
        floor_tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logging.getLogger("bench.floor").error("floor turn failed", exc_info=task.exception())

    def floor_spawn(body: dict[str, Any], state: bool) -> None:
        task = asyncio.get_running_loop().create_task(floor_turn(body, state))
        floor_tasks.add(task)
        task.add_done_callback(floor_done)

    @floor.command("/finetune")
    async def floor_command(ack: Any, body: dict[str, Any], context: Any) -> None:
        await ack()
        floor_spawn(body, context["floor_state"])

    @floor.action(re.compile(".*"))
    async def floor_action(ack: Any, body: dict[str, Any], context: Any) -> None:
        await ack()
        floor_spawn(body, context["floor_state"])

    async def floor_dispatch(request: web.Request, state: bool) -> web.Response:
        bolt_request = await to_bolt_request(request)
        bolt_request.context["floor_state"] = state
        return await to_aiohttp_response(await floor.async_dispatch(bolt_request))

    async def floor_events(request: web.Request) -> web.Response:
        """The floor: two EVALSHA and the reply POST."""
        return await floor_dispatch(request, True)

    async def floor_reply_events(request: web.Request) -> web.Response:
        """The reply floor: the reply POST alone, no state (what any bot that answers pays)."""
        return await floor_dispatch(request, False)

    async def floor_start(_: web.Application) -> None:
        floor_state["redis"] = aioredis.Redis.from_url(os.environ["REDIS_URL"])
        floor_state["sha"] = await floor_state["redis"].script_load(
            "if ARGV[1] ~= '' then redis.call('SET', KEYS[1], ARGV[1]) end return redis.call('GET', KEYS[1])")
        floor_state["http"] = aiohttp.ClientSession()

    async def floor_stop(_: web.Application) -> None:
        if floor_tasks:
            await asyncio.wait(set(floor_tasks), timeout=10)
        await floor_state["http"].close()
        await floor_state["redis"].aclose()

    class EchoBot(ActivityHandler):
        async def on_message_activity(self, turn_context: TurnContext) -> None:
            await turn_context.send_activity(f"Echo: {turn_context.activity.text or ''}")

    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(SimpleNamespace()))
    echo = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        return await adapter.process(request, echo)

    async def ready(request: web.Request) -> web.Response:
        return web.json_response({"status": "ready"})

    app = web.Application(middlewares=[aiohttp_error_middleware])
    app.router.add_post("/slack/events", slack_events)
    app.router.add_post("/floor/events", floor_events)
    app.router.add_post("/floor-reply/events", floor_reply_events)
    app.on_startup.append(floor_start)
    app.on_cleanup.append(floor_stop)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/readyz", ready)
    # The same event loop as ``serve`` (uvloop where installed): the same stack.
    web.run_app(app, host="127.0.0.1", port=port, print=None, shutdown_timeout=30, handle_signals=True,
                loop=new_event_loop())


# --- the profile: our app in this process, users in a child -----------------------------------


async def drive_slack_child(target: str, standin_port: int, turns: int, users: int, seed: int) -> None:
    """Child mode: a stand-in on ``standin_port`` and ``users`` Slack users until ``turns``."""
    standin = await StandIn().start(standin_port)
    sender_for = lambda: SlackSender(target + "/slack/events", standin.url)  # noqa: E731
    record: list[list[SlackStep]] = []
    tag = "P" + uuid.uuid4().hex[:6].upper()

    async def play(load: Load, uid: int) -> None:
        await slack_user(load, sender_for(), uid, seed, tag, record, None)

    stats = await measure("profile", users, 0.0, 120.0, None, None, play, standin, budget=turns)
    await standin.stop()
    print(json.dumps({"turns": len(stats.turns), "errors": len(stats.errors), "cards": stats.cards}))


_PLUMBING = re.compile(r"(/asyncio/|/selectors\.py|bench_load\.py|cProfile|'poll' of 'select|'run' of '_contextvars)")


async def profile_slack(env: dict[str, str], turns: int, users: int, seed: int, workdir: Path) -> str:
    from adapters.logs import configure
    from adapters.server import build_app
    from adapters.settings import Settings

    standin_port = free_port()
    values = {k: env[k] for k in ("REDIS_URL", "REDIS_PREFIX", "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN") if k in env}
    values["SLACK_API_URL"] = f"http://127.0.0.1:{standin_port}/api/"
    values["SLACK_RESPONSE_URL_PREFIXES"] = f"http://127.0.0.1:{standin_port}/respond/"
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    configure("INFO", json_lines=True)  # as serve logs, but to a file
    log_file = open(workdir / "profile-server.log", "w")  # noqa: SIM115
    for handler in logging.getLogger().handlers:
        handler.setStream(log_file)  # type: ignore[attr-defined]
    app = build_app(settings)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    profiler = cProfile.Profile()
    child = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--drive-slack", f"http://127.0.0.1:{port}", "--standin-port", str(standin_port),
        "--profile-turns", str(turns), "--users", str(users), "--seed", str(seed),
        stdout=asyncio.subprocess.PIPE, env=clean_env(),
    )
    profiler.enable()
    out, _ = await child.communicate()
    profiler.disable()
    await runner.cleanup()
    log_file.close()
    summary = json.loads(out.decode().strip().splitlines()[-1]) if out.strip() else {"turns": 0}
    n = max(int(summary.get("turns", 0)), 1)
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    rows = []
    for func, (cc, nc, tt, ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        filename, line, fname = func
        label = f"{filename}:{line}({fname})" if filename != "~" else fname
        if _PLUMBING.search(label):
            continue
        rows.append((ct, tt, nc, label))
    # CPU the profiler saw: every function's own time except the loop waiting in epoll
    total = sum(tt for (f, _, name), (_, _, tt, _, _) in stats.stats.items()  # type: ignore[attr-defined]
                if not (f == "~" and "poll" in name))

    def short(label: str) -> str:
        for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3.11/"):
            if marker in label:
                return label.split(marker, 1)[1]
        return label

    lines = [f"profile: our Slack turn, app in this process under cProfile, {summary.get('turns')} turns by "
             f"{users} users in a child process ({summary.get('errors', 0)} errors, {summary.get('cards', 0)} cards); "
             f"profiled CPU {total * 1000 / n:.2f} ms/turn (cProfile inflates it)",
             "top 10 by cumulative time (event-loop plumbing left out; a coroutine's every resumption counts as a call), ms per turn:",
             f"  {'cum':>7} {'own':>7} {'calls/turn':>10}  function"]
    for ct, tt, nc, label in sorted(rows, reverse=True)[:10]:
        lines.append(f"  {ct * 1000 / n:7.2f} {tt * 1000 / n:7.2f} {nc / n:10.1f}  {short(label)}")
    stages = [
        ("HTTP request in, ack out (aiohttp handler)", "aiohttp/web_protocol.py", "(_handle_request)"),
        ("  /slack/events: signature check + Bolt", "adapters/slack/routes.py", "(events)"),
        ("  Bolt AsyncApp.async_dispatch", "slack_bolt/app/async_app.py", "(async_dispatch)"),
        ("background turn (SlackBot.turn)", "adapters/slack/app.py", "(turn)"),
        ("  TurnService.handle (store + core)", "adapters/service.py", "(handle)"),
        ("    RedisStore.load", "store/redis_store.py", "(load)"),
        ("    RedisStore.save", "store/redis_store.py", "(save)"),
        ("    Advisor.step_data (the core)", "bot/conversation.py", "(step_data)"),
        ("  Delivery.deliver", "adapters/slack/delivery.py", "(deliver)"),
        ("    render.question_message", "adapters/slack/render.py", "(question_message)"),
        ("    render.card_message", "adapters/slack/render.py", "(card_message)"),
        ("    Block Kit to_dict + validation (once per template)", "adapters/slack/render.py", "(validated)"),
        ("    response_url POST (Delivery._post_json)", "adapters/slack/delivery.py", "(_post_json)"),
        ("log records (JsonFormatter.format)", "adapters/logs.py", "(format)"),
    ]
    lines.append("stages, cumulative ms per turn (nested ones are included in the line above them):")
    for title, where, name in stages:
        hits = [(ct, nc) for ct, _, nc, label in rows if where in label and label.endswith(name)]
        if hits:
            ct, nc = max(hits)
            lines.append(f"  {ct * 1000 / n:7.2f}  {title}" + (f"  [{nc / n:.1f} calls/turn]" if "__init__" in name else ""))
    lines.append("top 10 by own time, ms per turn:")
    for ct, tt, nc, label in sorted(rows, key=lambda r: -r[1])[:10]:
        lines.append(f"  {ct * 1000 / n:7.2f} {tt * 1000 / n:7.2f} {nc / n:10.1f}  {short(label)}")
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------


def start_redis(workdir: Path) -> tuple[subprocess.Popen[bytes] | None, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        return None, ""
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis as sync_redis

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            sync_redis.Redis.from_url(url, socket_timeout=0.5).ping()
            return proc, url
        except (sync_redis.RedisError, OSError):
            time.sleep(0.05)
    proc.terminate()
    return None, ""


def fmt(value: float, digits: int = 1) -> str:
    return "n/a" if value != value else f"{value:.{digits}f}"  # noqa: PLR0124 - NaN check


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def ratio_verdict(args: argparse.Namespace, ok: bool) -> str:
    """Throughput ratios mean something only at saturation; with think time the users set the rate."""
    return "n/a (think time fixes the offered load; run without --think-ms)" if args.think_ms else verdict(ok)


def report(ours: RunStats, ref: RunStats, ref_label: str, users: int) -> list[str]:
    ours_rt, ours_detail = ours.round_trips()
    lines = [
        f"  {'':28} {'ours':>14} {ref_label:>22}",
        f"  {'turns/s (measured window)':28} {ours.rate:14.1f} {ref.rate:22.1f}",
        f"  {'ack p50 / p99 ms':28} {fmt(ours.ack_ms(.5)) + ' / ' + fmt(ours.ack_ms(.99)):>14} "
        f"{fmt(ref.ack_ms(.5)) + ' / ' + fmt(ref.ack_ms(.99)):>22}",
        f"  {'full turn p50 / p99 ms':28} {fmt(ours.turn_ms(.5)) + ' / ' + fmt(ours.turn_ms(.99)):>14} "
        f"{fmt(ref.turn_ms(.5)) + ' / ' + fmt(ref.turn_ms(.99)):>22}",
        f"  {'server CPU ms per turn':28} {fmt(ours.cpu_ms_per_turn, 2):>14} {fmt(ref.cpu_ms_per_turn, 2):>22}",
        f"  {'server CPU busy':28} {ours.cpu_s / ours.wall_s:14.0%} {ref.cpu_s / ref.wall_s:22.0%}",
        f"  {'driver CPU busy':28} {ours.driver_cpu_s / ours.wall_s:14.0%} {ref.driver_cpu_s / ref.wall_s:22.0%}",
        f"  {'other processes (Redis, ...)':28} {ours.others_cpu_s / ours.wall_s:14.0%} {ref.others_cpu_s / ref.wall_s:22.0%}",
        f"  {'turns (all) / errors':28} {f'{len(ours.turns)} / {len(ours.errors)}':>14} {f'{len(ref.turns)} / {len(ref.errors)}':>22}",
        f"  {'assessments finished':28} {ours.cards:14d} {'-':>22}",
        f"  {'Redis round trips per turn':28} {ours_rt:14.2f}   ({ours_detail})",
        f"  {'server counters (ours)':28} {', '.join(f'{k} {v:g}' for k, v in sorted(ours.metrics.items())) or 'n/a'}",
    ]
    errors = sorted({e for e in ours.errors + ref.errors})
    if errors:
        lines.append(f"  error kinds: {'; '.join(errors[:5])}")
    return lines


async def compare(args: argparse.Namespace, ours: ServeProcess, bare: ServeProcess, standin: StandIn,
                  redis: Redis, redis_label: str) -> None:
    """The four measured runs and their report."""
    print("Fine-Tune Advisor load benchmark")
    print(f"how it was run: server under test = `python -m adapters.cli serve` child process (pid {ours.pid}); "
          f"reference = `bench_load.py --serve-bare` child process (pid {bare.pid}: bare slack-bolt AsyncApp + "
          f"stock botbuilder CloudAdapter echo bot, aiohttp web.run_app, same logging); load generator and "
          f"stand-ins (Slack Web API + response_url, Bot Connector) in this process (pid {os.getpid()}); "
          f"{redis_label}; {os.cpu_count()} CPUs; loopback only.")
    pause = f"think time {args.think_ms:g} ms +-50%" if args.think_ms else "no think time (saturating)"
    print(f"load: {args.users} concurrent users, closed loop (next turn after the reply; {pause}), answers from "
          f"random.Random({args.seed}); each run {args.warmup:g} s warm-up + {args.seconds:g} s measured; "
          f"reference runs replay the requests recorded against ours.")
    seed = args.seed
    slack_record: list[list[SlackStep]] = []
    teams_record: list[list[TeamsStep]] = []

    def slack_play(server: ServeProcess, tag: str, replay: list[list[SlackStep]] | None,
                   path: str = "/slack/events", record: list[list[SlackStep]] | None = None) -> Callable[[Load, int], Awaitable[None]]:
        async def play(load: Load, uid: int) -> None:
            sender = SlackSender(server.url + path, standin.url)
            await slack_user(load, sender, uid, seed, tag, slack_record if record is None else record, replay)
        return play

    def teams_play(server: ServeProcess, tag: str, replay: list[list[TeamsStep]] | None) -> Callable[[Load, int], Awaitable[None]]:
        async def play(load: Load, uid: int) -> None:
            await teams_user(load, server.url + "/api/messages", uid, seed, tag, teams_record, replay)
        return play

    async def run(name: str, server: ServeProcess, play: Callable[[Load, int], Awaitable[None]]) -> RunStats:
        return await measure(name, args.users, args.warmup, args.seconds, server, redis, play, standin,
                             think_s=args.think_ms / 1000)

    def tag(first: str) -> str:
        return first + uuid.uuid4().hex[:5].upper()

    s_ours = await run("slack ours", ours, slack_play(ours, tag("A"), None))
    s_bare = await run("slack bare", bare, slack_play(bare, tag("B"), slack_record or [[("command", "", "", "")]]))
    s_floor = await run("slack floor", bare, slack_play(bare, tag("F"), None, "/floor/events", []))
    s_reply = await run("slack reply floor", bare, slack_play(bare, tag("R"), None, "/floor-reply/events", []))
    t_ours = await run("teams ours", ours, teams_play(ours, tag("t"), None))
    t_echo = await run("teams echo", bare, teams_play(bare, tag("e"), teams_record or [[("text", {"text": "start"})]]))

    print()
    print("Slack: POST /slack/events (signed slash command, then block_actions button presses); "
          "replies on response_url")
    for line in report(s_ours, s_bare, "bare Bolt (ack only)", args.users):
        print(line)
    s_ratio = s_ours.rate / s_bare.rate if s_bare.rate else float("nan")
    print(f"  throughput ratio ours / bare Bolt: {s_ratio:.2f}x "
          "(bare Bolt: a turn is the ack; ours: a turn ends when the reply is posted)")
    floor_ratio = s_floor.rate / s_bare.rate if s_bare.rate else float("nan")
    print(f"  floor (bare Bolt + 2 EVALSHA + 1 response_url POST, nothing else; same process as bare Bolt): "
          f"{s_floor.rate:.1f} turns/s, ack p50/p99 {fmt(s_floor.ack_ms(.5))} / {fmt(s_floor.ack_ms(.99))} ms, "
          f"full turn p50/p99 {fmt(s_floor.turn_ms(.5))} / {fmt(s_floor.turn_ms(.99))} ms, "
          f"server CPU {fmt(s_floor.cpu_ms_per_turn, 2)} ms/turn, errors {len(s_floor.errors)}")
    print(f"  floor / bare Bolt: {floor_ratio:.2f}x = the most any turn that reads and writes Redis and posts its "
          f"reply can reach on this stack; ours / floor: {s_ours.rate / s_floor.rate if s_floor.rate else float('nan'):.2f}x")
    reply_ratio = s_reply.rate / s_bare.rate if s_bare.rate else float("nan")
    print(f"  reply floor (bare Bolt + 1 response_url POST, no state): {s_reply.rate:.1f} turns/s, server CPU "
          f"{fmt(s_reply.cpu_ms_per_turn, 2)} ms/turn, errors {len(s_reply.errors)}; reply floor / bare Bolt: "
          f"{reply_ratio:.2f}x = the most any turn that posts its reply can reach, state or not")
    print(f"  server CPU per turn, what each part adds: bare Bolt {fmt(s_bare.cpu_ms_per_turn, 2)} ms, "
          f"+ reply POST {fmt(s_reply.cpu_ms_per_turn - s_bare.cpu_ms_per_turn, 2)} ms, "
          f"+ 2 EVALSHA {fmt(s_floor.cpu_ms_per_turn - s_reply.cpu_ms_per_turn, 2)} ms, "
          f"+ our core, rendering, logs, metrics, dedup {fmt(s_ours.cpu_ms_per_turn - s_floor.cpu_ms_per_turn, 2)} ms")
    cpu_ratio = (s_bare.cpu_ms_per_turn / s_floor.cpu_ms_per_turn) if s_floor.cpu_ms_per_turn else float("nan")
    print(f"  bare Bolt CPU / floor CPU per turn: {cpu_ratio:.2f}x = the floor's throughput ratio where the server's "
          "CPU is what limits both (the turns/s ratios also move with the load generator, Redis and the machine)")
    print(f"  target ack p99 < {TARGETS['slack_ack_p99_ms']:g} ms: {verdict(s_ours.ack_ms(.99) < TARGETS['slack_ack_p99_ms'])} "
          f"({fmt(s_ours.ack_ms(.99))} ms)")
    print(f"  target full-turn p99 < {TARGETS['slack_turn_p99_ms']:g} ms: "
          f"{verdict(s_ours.turn_ms(.99) < TARGETS['slack_turn_p99_ms'])} ({fmt(s_ours.turn_ms(.99))} ms)")
    print(f"  target throughput >= {TARGETS['slack_ratio']:g}x bare Bolt: {ratio_verdict(args, s_ratio >= TARGETS['slack_ratio'])} "
          f"({s_ratio:.2f}x)")
    if not args.think_ms and s_ours.rate:
        print(f"  note: with no think time the server is saturated, so latency ~ users / throughput (Little's law: "
              f"{args.users} / {s_ours.rate:.0f} per s = {1000 * args.users / s_ours.rate:.0f} ms per cycle); "
              f"--think-ms 1000 measures latency below saturation")
    print()
    print("Teams: POST /api/messages (emulator mode, no auth: personal 'start', then Action.Submit "
          "answers with value + replyToId); replies at the stand-in Bot Connector")
    for line in report(t_ours, t_echo, "stock echo bot", args.users):
        print(line)
    t_ratio = t_ours.rate / t_echo.rate if t_echo.rate else float("nan")
    print(f"  throughput ratio ours / stock echo: {t_ratio:.2f}x (both: a turn ends when the reply reaches the connector)")
    print(f"  target throughput >= {TARGETS['teams_ratio']:g}x stock echo bot: {ratio_verdict(args, t_ratio >= TARGETS['teams_ratio'])} "
          f"({t_ratio:.2f}x)")
    print(f"stand-in saw: {', '.join(f'{k} {v}' for k, v in sorted(standin.counts.items()))}")


async def main_async(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    redis_proc, redis_url = (None, "") if args.redis_url else start_redis(workdir)
    redis_url = redis_url or args.redis_url or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    standin: StandIn | None = None
    servers: list[ServeProcess] = []
    redis = Redis(redis_url)
    try:
        version = (await redis.client.info("server")).get("redis_version", "?")
        kind = "private redis-server" if redis_proc is not None else "shared (commandstats include other clients)"
        redis_label = f"Redis {version}, {kind}, at {redis_url}"
        standin = await StandIn().start()
        env = clean_env(REDIS_URL=redis_url, REDIS_PREFIX=prefix, SLACK_SIGNING_SECRET=SECRET,
                        SLACK_BOT_TOKEN="xoxb-bench", SLACK_API_URL=standin.api_url, LOG_LEVEL="INFO",
                        SLACK_RESPONSE_URL_PREFIXES=standin.api_url.replace("/api/", "/respond/"),
                        TEAMS_EMULATOR="1")
        ours = ServeProcess(env, workdir, name="serve")
        bare = ServeProcess(env, workdir, name="bare", argv=[sys.executable, __file__, "--serve-bare", "--port", "0"])
        bare.argv[-1] = str(bare.port)
        servers = [ours.start(), bare.start()]
        try:
            await asyncio.gather(ours.wait_ready(), bare.wait_ready())
            await compare(args, ours, bare, standin, redis, redis_label)
        finally:
            codes = await asyncio.gather(*(s.terminate(30) for s in servers))
            print(f"shutdown (SIGTERM): serve exit {codes[0][0]} in {codes[0][1]:.1f} s, reference exit {codes[1][0]}; "
                  f"tracebacks in server logs: {sum('Traceback' in s.stderr() for s in servers)}")
        await standin.stop()
        standin = None
        if args.profile_turns > 0:
            print()
            print(await profile_slack(env, args.profile_turns, min(args.users, 10), args.seed, workdir))
    finally:
        for server in servers:
            server.kill()
        if standin is not None:
            await standin.stop()
        if redis_proc is None:
            async for key in redis.client.scan_iter(match=f"{prefix}:*", count=1000):
                await redis.client.delete(key)
        await redis.close()
        if redis_proc is not None:
            redis_proc.send_signal(signal.SIGTERM)
            redis_proc.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


# --- open-loop burst (issue 20: overload bounded and honest) ----------------------------------------


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB (/proc; 0 where there is none)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


async def burst(args: argparse.Namespace) -> None:
    """Open loop, as Slack delivers: ``--users`` workers send slash commands, each from a new
    user, as fast as they are acknowledged, for ``--seconds`` (at most ``--burst-max``
    requests); nobody waits for a reply. Then up to 60 s for the replies still coming. Reports
    acks/s, shed answers (the ack says busy), reply delay (request -> first response_url POST),
    replies missing, the server's shed counter and its peak RSS."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-burst-"))
    redis_proc, redis_url = (None, "") if args.redis_url else start_redis(workdir)
    redis_url = redis_url or args.redis_url or "redis://127.0.0.1:6379/0"
    standin = await StandIn().start()
    extra = {"TURN_QUEUE_LIMIT": str(args.queue_limit)} if args.queue_limit else {}
    env = clean_env(REDIS_URL=redis_url, REDIS_PREFIX=f"bench-{uuid.uuid4().hex[:8]}", SLACK_SIGNING_SECRET=SECRET,
                    SLACK_BOT_TOKEN="xoxb-bench", SLACK_API_URL=standin.api_url, LOG_LEVEL="WARNING",
                    SLACK_RESPONSE_URL_PREFIXES=standin.url + "/respond/", **extra)
    server = ServeProcess(env, workdir, name="burst").start()
    sent: dict[str, float] = {}
    replies: dict[str, float] = {}
    acks: list[float] = []
    shed = errors = 0
    peak = peak_queued = 0.0
    try:
        await server.wait_ready()
        start_rss = rss_mb(server.pid)
        loop = asyncio.get_running_loop()

        class Recorder(dict):  # the stand-in resolves waiters by response_url name
            def get(self, name: str, default: Any = None) -> Any:
                if name not in replies:
                    replies[name] = time.perf_counter()
                return None

        standin.slack_waiters = Recorder()  # type: ignore[assignment]
        sender = SlackSender(server.url + "/slack/events", standin.url)
        names = itertools.count()
        end = time.perf_counter() + args.seconds
        connector = aiohttp.TCPConnector(limit=args.users)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:

            async def watch() -> None:
                nonlocal peak, peak_queued
                ticks = 0
                while True:
                    peak = max(peak, rss_mb(server.pid))
                    ticks += 1
                    if ticks % 5 == 0:  # the queue's size, twice a second
                        try:
                            async with http.get(server.url + "/metrics") as resp:
                                for line in (await resp.text()).splitlines():
                                    if line.startswith("ftadvisor_turns_queued "):
                                        peak_queued = max(peak_queued, float(line.split()[1]))
                        except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
                            pass
                    await asyncio.sleep(0.1)

            async def worker() -> None:
                nonlocal shed, errors
                while time.perf_counter() < end:
                    n = next(names)
                    if n >= args.burst_max:
                        return
                    name = f"b{n}"
                    body = sender.command_body("start", user=f"U{n:07d}", channel=f"D{n:07d}", respond=name)
                    t0 = time.perf_counter()
                    try:
                        async with http.post(sender.url, data=body.encode(), headers=sender.headers(body, FORM)) as resp:
                            text = await resp.text()
                            status = resp.status
                    except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
                        errors += 1
                        continue
                    acks.append(time.perf_counter() - t0)
                    if status != 200:
                        errors += 1
                    elif "busy" in text:
                        shed += 1
                    else:
                        sent[name] = t0

            watcher = loop.create_task(watch())
            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(args.users)))
            took = time.perf_counter() - started
            settle = time.perf_counter() + 60
            while time.perf_counter() < settle and any(name not in replies for name in sent):
                await asyncio.sleep(0.2)
            watcher.cancel()
            async with http.get(server.url + "/metrics") as resp:
                metrics_text = await resp.text()
        shed_metric = sum(float(line.rsplit(" ", 1)[1]) for line in metrics_text.splitlines()
                          if line.startswith("ftadvisor_turns_shed_total{"))
        delays = sorted(replies[name] - t0 for name, t0 in sent.items() if name in replies)
        missing = sum(1 for name in sent if name not in replies)
        print(f"open-loop burst: {args.users} workers, {took:.1f} s, new user per request, "
              f"TURN_QUEUE_LIMIT={args.queue_limit or 'default'}")
        print(f"  requests {len(acks) + errors}, acked {len(acks)} ({len(acks) / took:.0f}/s), "
              f"ack p50 {pct(acks, 0.5) * 1000:.1f} ms p99 {pct(acks, 0.99) * 1000:.1f} ms, errors {errors}")
        print(f"  shed (busy in the ack) {shed}; ftadvisor_turns_shed_total {shed_metric:.0f}")
        if delays:
            print(f"  reply delay p50 {pct(delays, 0.5):.2f} s, p99 {pct(delays, 0.99):.2f} s, max {delays[-1]:.2f} s; "
                  f"replies missing after 60 s: {missing}")
        print(f"  server RSS {start_rss:.0f} MB at start, peak {peak:.0f} MB; turns queued at most {peak_queued:.0f}"
              f" (sampled twice a second)")
    finally:
        await server.terminate(30)
        server.kill()
        await standin.stop()
        if redis_proc is not None:
            redis_proc.send_signal(signal.SIGTERM)
            redis_proc.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users (default 50)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per run (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per run (default 2)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="mean pause between a reply and the next request (default 0: saturate the server)")
    parser.add_argument("--profile-turns", type=int, default=200, help="turns in the cProfile run (0: skip)")
    parser.add_argument("--redis-url", help="use this Redis instead of a private redis-server")
    parser.add_argument("--burst", action="store_true",
                        help="open-loop burst instead: reply delay, shed count, peak RSS (issue 20)")
    parser.add_argument("--queue-limit", type=int, default=0, help="TURN_QUEUE_LIMIT for --burst (default: the server's)")
    parser.add_argument("--burst-max", type=int, default=50_000, help="at most this many requests in --burst")
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--drive-slack", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--standin-port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.users = max(1, min(args.users, 500))
    args.seconds = max(1.0, min(args.seconds, 60.0))
    args.warmup = max(0.0, min(args.warmup, 10.0))
    args.profile_turns = max(0, min(args.profile_turns, 2000))
    if args.serve_bare:
        serve_bare(args.port)
        return
    with asyncio.Runner(loop_factory=new_event_loop) as runner:  # the driver on the servers' loop too
        if args.burst:
            args.burst_max = max(1, min(args.burst_max, 200_000))
            runner.run(burst(args))
            return
        if args.drive_slack:
            runner.run(drive_slack_child(args.drive_slack, args.standin_port, args.profile_turns, args.users, args.seed))
            return
        runner.run(main_async(args))


if __name__ == "__main__":
    main()
