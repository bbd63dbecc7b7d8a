"""Two real ``finetune-advisor serve`` processes sharing one Redis behave as one bot.

One Slack slash-command conversation is driven over real HTTP with its events alternating
between replica A and replica B, some delivered to both at once (the same bytes and the same
signature, as a retrying Slack or a doubled load balancer would), and finally every event
replayed to both. The servers reply to a FakeSlack running in the test's event loop.
Afterwards: every answer applied once, the questions in the policy's order, one
recommendation card, and both processes stop on SIGTERM with exit code 0 and no traceback.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import shutil
import signal
import time
from importlib.util import find_spec
from pathlib import Path

import aiohttp
import pytest
import redis.asyncio as aioredis
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from bot.events import ConversationKey
from bot.questions import next_question
from store import KeySpace, RedisStore
from tests.replica_support import ServeProcess, clean_env
from tests.slack.drive import answer_buttons, factor_of, is_card
from tests.slack.fake_slack import Call, FakeSlack
from tests.slack.payloads import FORM, SECRET, SlackSender

pytestmark = pytest.mark.redis

EVENTS = "/slack/events"
USER, CHANNEL, TEAM = "U1", "C1", "T1"


async def _post(http: aiohttp.ClientSession, server: ServeProcess, body: str, headers: dict[str, str]) -> int:
    async with http.post(server.url + EVENTS, data=body.encode(), headers=headers) as resp:
        await resp.read()
        return resp.status


async def _deliver(http: aiohttp.ClientSession, targets: list[ServeProcess], body: str, headers: dict[str, str]) -> None:
    """The same request (bytes and signature) to every target at once; each must ack 200."""
    statuses = await asyncio.gather(*(_post(http, t, body, headers) for t in targets))
    assert statuses == [200] * len(targets), statuses


def _reply_of(fake: FakeSlack, name: str) -> Call | None:
    """The next question (a replacing or new message with answer buttons) or the card
    answered on response_url ``name``."""
    for call in fake.responses(name):
        if is_card(call) or answer_buttons(call):
            return call
    return None


async def _turns(http: aiohttp.ClientSession, servers: list[ServeProcess], outcome: str) -> float:
    """Slack turns with ``outcome`` counted by all ``servers`` (their /metrics)."""
    total = 0.0
    for server in servers:
        async with http.get(server.url + "/metrics") as resp:
            text = await resp.text()
        for labels, value in re.findall(r"^ftadvisor_turns_total\{([^}]*)\} (\S+)$", text, re.M):
            found = dict(re.findall(r'(\w+)="([^"]*)"', labels))
            if found.get("platform") == "slack" and found.get("outcome") == outcome:
                total += float(value)
    return total


async def test_two_replicas_one_conversation(redis_url: str, redis_prefix: str, tmp_path: Path) -> None:
    fake = await FakeSlack().start()
    env = clean_env(
        REDIS_URL=redis_url, REDIS_PREFIX=redis_prefix, SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN="xoxb-test-token", SLACK_API_URL=fake.api_url, SLACK_RESPONSE_URL_PREFIXES=f"{fake.url}/respond/", LOG_LEVEL="INFO",
    )
    a = ServeProcess(env, tmp_path, name="replica-a").start()
    b = ServeProcess(env, tmp_path, name="replica-b").start()
    servers = [a, b]
    rng = random.Random(20261128)  # issue 15 rules: a seed whose answers take 7 questions (20261125 now ends after 2)
    sender = SlackSender(a.url + EVENTS, fake.url, team=TEAM)
    sent: list[tuple[str, dict[str, str]]] = []  # every distinct event, for the replay at the end
    try:
        await asyncio.gather(a.wait_ready(), b.wait_ready())
        async with aiohttp.ClientSession() as http:
            # the slash command, to A
            body = sender.command_body("", user=USER, channel=CHANNEL, respond="cmd")
            headers = sender.headers(body, FORM)
            sent.append((body, headers))
            await _deliver(http, [a], body, headers)
            current = await fake.wait_for(lambda _: _reply_of(fake, "cmd"))

            answers: dict[str, str] = {}
            order: list[str] = []
            both_at_once = 0
            card: Call | None = None
            for i in range(20):
                factor = factor_of(current)
                assert factor is not None, f"expected a question, got {current.text[:100]!r}"
                assert factor == next_question(answers, order), (factor, answers, order)
                chosen = rng.choice(answer_buttons(current))
                answers[factor] = chosen["value"]
                order.append(factor)
                name = f"press{i}"
                body = sender.action_body(chosen["action_id"], chosen["value"], block_id=chosen["block_id"],
                                          user=USER, channel=CHANNEL, ephemeral=True, respond=name)
                headers = sender.headers(body, FORM)
                sent.append((body, headers))
                targets = [[b], [a], [a, b]][i % 3]  # B, A, both at once, B, A, both ...
                both_at_once += len(targets) == 2
                await _deliver(http, targets, body, headers)
                reply = await fake.wait_for(lambda _: _reply_of(fake, name))
                if is_card(reply):
                    card = reply
                    break
                current = reply
            assert card is not None, "no recommendation card after 20 answers"
            assert next_question(answers, order) is None, "the card came before the policy stopped asking"
            assert both_at_once >= 1, "the conversation was too short to deliver an event to both replicas"

            # Slack retries: every event again, to both replicas at once; all are duplicates
            for body, headers in sent:
                await _deliver(http, servers, body, headers)

            presses = len(sent) - 1
            duplicates_expected = both_at_once + 2 * len(sent)

            async def counted() -> tuple[float, float]:
                return await _turns(http, servers, "ok"), await _turns(http, servers, "duplicate")

            deadline = asyncio.get_running_loop().time() + 10
            while (got := await counted()) != (1 + presses, duplicates_expected):
                assert asyncio.get_running_loop().time() < deadline, f"turns ok/duplicate {got}, expected {(1 + presses, duplicates_expected)}"
                await asyncio.sleep(0.05)

        # graceful shutdown of both: SIGTERM, drained, exit 0 within 30 s, no traceback
        results = await asyncio.gather(a.terminate(30), b.terminate(30))
        for server, (code, _elapsed) in zip(servers, results):
            assert code == 0, f"{server.name} exit code {code}:\n{server.stderr()[-3000:]}"
            assert "Traceback" not in server.stderr(), server.stderr()[-3000:]
            # on uvloop where it is installed (a dependency on Linux and macOS), as it said at start
            lines = [json.loads(line) for line in server.stderr().splitlines() if line.startswith("{")]
            serving = [entry for entry in lines if entry.get("msg") == "serving"]
            assert [entry["loop"] for entry in serving] == [("uvloop" if find_spec("uvloop") else "asyncio")]

        # one consistent conversation in Redis: every answer once, in the policy's order
        store = RedisStore(aioredis.Redis.from_url(redis_url), keys=KeySpace(redis_prefix))
        try:
            loaded = await store.load(ConversationKey("slack", TEAM, CHANNEL, "", USER), None)
        finally:
            await store.close()
        data = loaded.data
        assert data is not None
        assert data["phase"] == "done"
        assert data["answers"] == answers
        assert data["settled"] == order
        assert data["questions_asked"] == len(order)
        assert loaded.version == 1 + presses  # one save per distinct event, none for a duplicate

        # on Slack's side: one message per question, one card, the last question retired
        methods = {c.method for c in fake.calls}
        assert methods <= {"response_url", "auth.test"}, methods
        questions = [c for c in fake.calls if answer_buttons(c)]
        assert [factor_of(c) for c in questions] == order
        cards = [c for c in fake.calls if is_card(c)]
        assert len(cards) == 1
        assert cards[0].args.get("response_type") == "in_channel"
        assert len(fake.of("response_url")) == len(order) + 2  # questions, card, retired question
    finally:
        for server in servers:
            server.kill()
        await fake.stop()


def test_workers_without_redis_url_exits_2(tmp_path: Path) -> None:
    server = ServeProcess(clean_env(SLACK_SIGNING_SECRET=SECRET, SLACK_BOT_TOKEN="xoxb-test"), tmp_path, name="workers")
    server.argv += ["--workers", "2"]
    server.start()
    assert server.proc is not None
    try:
        code = server.proc.wait(30)
    finally:
        server.kill()
    stderr = server.stderr()
    assert code == 2, stderr
    assert "REDIS_URL" in stderr
    assert "Traceback" not in stderr


def _turns_by_worker(metrics_dir: Path, scratch: Path) -> dict[str, float]:
    """Each worker's own count of ok Slack turns, read from its file in the metrics directory."""
    counts: dict[str, float] = {}
    for path in metrics_dir.glob("counter_*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        alone = scratch / f"worker-{pid}"
        alone.mkdir(exist_ok=True)
        shutil.copy(path, alone / path.name)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(alone))
        counts[pid] = registry.get_sample_value("ftadvisor_turns_total", {"platform": "slack", "outcome": "ok"}) or 0.0
    return counts


async def test_workers_share_one_metrics_page(redis_url: str, redis_prefix: str, tmp_path: Path) -> None:
    """``serve --workers 2``: whichever worker answers /metrics reports the turns of both
    (prometheus-client's multiprocess mode), and the metrics directory is gone after exit."""
    fake = await FakeSlack().start()
    tmp, scratch = tmp_path / "tmp", tmp_path / "scratch"
    tmp.mkdir()
    scratch.mkdir()
    env = clean_env(
        REDIS_URL=redis_url, REDIS_PREFIX=redis_prefix, SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN="xoxb-test-token", SLACK_API_URL=fake.api_url, SLACK_RESPONSE_URL_PREFIXES=f"{fake.url}/respond/", TMPDIR=str(tmp),
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = ServeProcess(env, tmp_path, name="workers2")
    server.argv += ["--workers", "2"]
    server.start()
    sender = SlackSender(server.url + EVENTS, fake.url, team=TEAM)
    try:
        await server.wait_ready()
        dirs = [p for p in tmp.iterdir() if p.name.startswith("ftadvisor-metrics-")]
        assert len(dirs) == 1, dirs
        # A new connection per request, so the kernel spreads them over the workers; until
        # both have turns (the second may still be starting when the first answers).
        sent = 0
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
            for i in range(200):
                body = sender.command_body("", user=f"U{i}", channel=CHANNEL, respond=f"cmd{i}")
                await _deliver(http, [server], body, sender.headers(body, FORM))
                sent += 1
                await fake.wait_for(lambda _, i=i: fake.responses(f"cmd{i}"))
                by_worker = _turns_by_worker(dirs[0], scratch)
                if len(by_worker) == 2 and all(by_worker.values()) and sent >= 6:
                    break
            assert len(by_worker) == 2 and all(by_worker.values()), by_worker
            assert sum(by_worker.values()) == sent
            seen = [await _turns(http, [server], "ok") for _ in range(8)]
        assert seen == [float(sent)] * 8, seen
        code, _ = await server.terminate()
        assert code == 0, server.stderr()
        assert not dirs[0].exists(), "metrics directory left behind"
    finally:
        server.kill()
        await fake.stop()


async def test_a_dead_worker_leaves_the_live_gauges_at_once(redis_url: str, redis_prefix: str, tmp_path: Path) -> None:
    """``serve --workers 2`` reaps workers in the order they end: when the later-started one
    dies, its live-sum gauge file (``ftadvisor_turns_waiting``) is removed while the other
    worker still runs, not when the first one ends."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = clean_env(REDIS_URL=redis_url, REDIS_PREFIX=redis_prefix, TMPDIR=str(tmp))
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = ServeProcess(env, tmp_path, name="workers-reap")
    server.argv += ["--workers", "2"]
    server.start()
    try:
        await server.wait_ready()
        (metrics_dir,) = [p for p in tmp.iterdir() if p.name.startswith("ftadvisor-metrics-")]
        deadline = time.monotonic() + 20
        while len(pids := sorted(int(p.stem.rsplit("_", 1)[-1]) for p in metrics_dir.glob("gauge_livesum_*.db"))) < 2:
            assert time.monotonic() < deadline, list(metrics_dir.iterdir())
            await asyncio.sleep(0.05)
        assert len(pids) == 2, pids
        later = pids[-1]
        os.kill(later, signal.SIGKILL)
        gone = metrics_dir / f"gauge_livesum_{later}.db"
        deadline = time.monotonic() + 10
        while gone.exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert not gone.exists(), "the dead worker's live gauge is still counted"
        assert (metrics_dir / f"gauge_livesum_{pids[0]}.db").exists()
        assert server.proc is not None and server.proc.poll() is None
        code, _ = await server.terminate()
        assert code not in (0, None), "a worker was killed, so serve reports a failure"
        assert "1 of 2 workers failed" in server.stderr()
    finally:
        server.kill()
