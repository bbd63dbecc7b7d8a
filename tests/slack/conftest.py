"""Fixtures: the stand-in Slack, the real service app on a free port, signed senders.

Every test that uses ``fake_slack`` also checks, at teardown, that every message the app sent
round-trips through ``Block.parse_all`` and ``to_dict`` (Block Kit's length limits) and has
at most 50 blocks.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from slack_sdk.models.blocks import Block

from adapters.service import TurnService
from adapters.settings import Settings
from adapters.slack import SLACK, SlackBot, mount
from adapters.wiring import make_advisor
from store import RedisStore
from tests.slack.fake_slack import Call, FakeSlack
from tests.slack.payloads import SECRET, SlackSender

SLACK_ENV = (
    "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET", "SLACK_COMMAND", "SLACK_API_URL", "SLACK_RESPONSE_URL_PREFIXES",
)


def check_blocks(call: Call) -> None:
    """The message's blocks survive a round trip and respect Slack's limits."""
    blocks = call.blocks
    if not blocks:
        return
    assert len(blocks) <= 50, f"{call.method} sent {len(blocks)} blocks"
    assert [b.to_dict() for b in Block.parse_all(blocks)] == blocks


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _no_adapter_errors() -> Iterator[None]:
    """An error logged by the adapter, Bolt or slack_sdk (a background turn that raised, a
    listener that failed) fails the test: in production it would only be logged."""
    handler = _Errors()
    loggers = [logging.getLogger(name) for name in ("finetune_advisor.slack", "slack_bolt", "slack_sdk")]
    for logger in loggers:
        logger.addHandler(handler)
    yield
    for logger in loggers:
        logger.removeHandler(handler)
    assert not handler.records, [r.getMessage() for r in handler.records]


@pytest.fixture(autouse=True)
def _clean_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SLACK_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    yield fake
    await fake.stop()
    for call in fake.calls:
        check_blocks(call)
        view = call.args.get("view")
        if isinstance(view, dict):
            check_blocks(Call("view", {"blocks": view.get("blocks", [])}))


def make_settings(fake: FakeSlack, prefix: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_API_URL": fake.api_url,
        "SLACK_RESPONSE_URL_PREFIXES": f"{fake.url}/respond/",  # the stand-in's response_urls
        "REDIS_PREFIX": prefix,
    }
    values.update(overrides)
    return Settings(_env_file=None, **{k: v for k, v in values.items() if v is not None})  # type: ignore[call-arg]


def build(settings: Settings, store: RedisStore) -> web.Application:
    """The service app: adapters.server.build_app once adapters.teams exists, else an app
    with only the Slack adapter mounted."""
    if importlib.util.find_spec("adapters.teams") is not None:
        from adapters.server import build_app

        return build_app(settings, store)
    app = web.Application(client_max_size=1024 * 1024)
    mount(app, TurnService(make_advisor(), store), settings)
    return app


@dataclass
class Running:
    url: str
    app: web.Application
    sender: SlackSender
    store: RedisStore
    runner: web.AppRunner
    stopped: bool = False

    @property
    def bot(self) -> SlackBot:
        return self.app[SLACK]

    async def stop(self) -> None:
        """Shut the app down as serve does (on_shutdown, on_cleanup)."""
        if not self.stopped:
            self.stopped = True
            await self.runner.cleanup()


Start = Callable[..., Awaitable[Running]]


@pytest.fixture
async def serve(fake_slack: FakeSlack, redis_prefix: str) -> AsyncIterator[Start]:
    """``await serve(store, **settings)`` runs the app over real HTTP on a free port."""
    running: list[Running] = []

    async def start(store: RedisStore, **overrides: Any) -> Running:
        app = build(make_settings(fake_slack, redis_prefix, **overrides), store)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        url = f"http://127.0.0.1:{port}"
        running.append(Running(url, app, SlackSender(f"{url}/slack/events", fake_slack.url), store, runner))
        return running[-1]

    yield start
    for run in running:
        await run.stop()
