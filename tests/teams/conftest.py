"""Real HTTP for the Teams tests: the bot's ``/api/messages`` on a free port, and a stand-in
Bot Connector at the activities' ``serviceUrl`` that records every post and update.

Activity shapes follow what Teams sends (Bot Framework activity schema; botbuilder-python's
``libraries/botbuilder-core/tests/teams``): a channel message with an ``<at>`` mention entity
and ``channelData`` team/channel/tenant, a personal message, an Action.Submit message with
``value`` and ``replyToId``, ``conversationUpdate`` and ``installationUpdate``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import aiohttp
import pytest
from aiohttp import web

from adapters.service import TurnService
from adapters.settings import Settings
from adapters.teams import TEAMS_ENDPOINT, mount
from adapters.teams.endpoint import TeamsEndpoint
from adapters.wiring import make_advisor
from store import ConversationStore, KeySpace, StoreSettings, embedded_store, store_from_settings

BOT_ID = "28:0b3b1c1e-5f67-4a2d-9d0e-1f2a3b4c5d6e"
BOT_NAME = "Fine-Tune Advisor"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
TEAM = "19:8c1e2f0a9b7d4e6f8a1b2c3d4e5f6a7b@thread.tacv2"
CHANNEL = "19:0f1e2d3c4b5a69788796a5b4c3d2e1f0@thread.tacv2"
GROUP_CHAT = "19:meeting_Yjk3ZTc0NzEtNjY0ZS00@thread.v2"


@dataclass(frozen=True)
class User:
    id: str
    name: str
    aad: str

    @property
    def personal_conversation(self) -> str:
        return f"a:1{self.aad.replace('-', '')}ZxYwVu"


ADA = User("29:1Ada-K3y_abcdefghijklmnopqrstuvwxyz0123456789", "Ada Lovelace", "6b1a4c2e-0000-4000-8000-00000000ada1")
BOB = User("29:1Bob-K3y_zyxwvutsrqponmlkjihgfedcba9876543210", "Bob Babbage", "6b1a4c2e-0000-4000-8000-00000000b0b2")


# --- the stand-in Bot Connector ------------------------------------------------------------


@dataclass
class Call:
    method: str
    conversation_id: str
    activity_id: str  # the replyToId of a POST, the updated id of a PUT, "" for a plain POST
    body: dict[str, Any]
    at: float
    status: int
    message_id: str = ""  # the id the stand-in gave (POST) or kept (PUT)
    authorization: str = ""

    @property
    def card(self) -> dict[str, Any] | None:
        attachments = self.body.get("attachments") or []
        return attachments[0]["content"] if attachments else None

    def submits(self) -> list[dict[str, Any]]:
        """Every Action.Submit ``data`` on the card (body action sets and card actions)."""
        card = self.card or {}
        found: list[dict[str, Any]] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if node.get("type") == "Action.Submit":
                    found.append(node["data"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(card)
        return found

    @property
    def kind(self) -> str:
        """question | recommendation | answers | menu | welcome | text."""
        card = self.card
        if card is None:
            return "text"
        actions = {d["action"] for d in self.submits()}
        if "answer" in actions:
            return "question"
        if "record" in actions:
            return "recommendation"
        if "start" in actions:
            return "welcome"
        if actions == {"change"}:
            return "menu"
        return "answers"


@dataclass
class StubConnector:
    """Answers ``{"id": ...}``; ``failures`` are (status, headers) answered first, in order."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1001))

    async def handle(self, request: web.Request) -> web.Response:
        parts = request.raw_path.split("?")[0].split("/")
        i = parts.index("conversations")
        conversation_id = unquote(parts[i + 1])
        activity_id = unquote(parts[i + 3]) if len(parts) > i + 3 else ""
        body = await request.json()
        if self.failures:
            status, headers = self.failures.pop(0)
            self.calls.append(Call(request.method, conversation_id, activity_id, body, time.monotonic(), status))
            return web.json_response({"error": {"code": "Throttled"}}, status=status, headers=headers)
        new_id = activity_id if request.method == "PUT" else f"1700000{next(self._ids)}"
        self.calls.append(Call(request.method, conversation_id, activity_id, body, time.monotonic(), 200, new_id,
                               request.headers.get("Authorization", "")))
        return web.json_response({"id": new_id})

    @property
    def ok(self) -> list[Call]:
        return [c for c in self.calls if c.status == 200]

    async def wait_for(self, predicate: Callable[[list[Call]], bool], timeout: float = 5.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while not predicate(self.ok):
            if time.monotonic() > deadline:
                raise AssertionError(f"connector calls never matched; got {[(c.method, c.kind) for c in self.ok]}")
            await asyncio.sleep(0.01)
        return self.ok


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


@pytest.fixture
async def connector() -> AsyncIterator[StubConnector]:
    stub = StubConnector()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stub.handle)
    runner, url = await _serve(app)
    stub.url = url + "/amer/"
    yield stub
    await runner.cleanup()


# --- activities ----------------------------------------------------------------------------


class Activities:
    """Builds Teams-shaped activities addressed to the stand-in connector."""

    def __init__(self, service_url: str) -> None:
        self.service_url = service_url
        self._ids = itertools.count(1)

    def next_id(self) -> str:
        return f"17000000{next(self._ids):05d}"

    def _base(self, user: User, conversation: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "type": "message",
            "id": self.next_id(),
            "timestamp": "2026-11-25T10:00:00.000Z",
            "localTimestamp": "2026-11-25T11:00:00.000+01:00",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": user.id, "name": user.name, "aadObjectId": user.aad},
            "conversation": conversation,
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "locale": "en-US",
            **extra,
        }

    def _channel_data(self) -> dict[str, Any]:
        return {
            "teamsChannelId": CHANNEL, "teamsTeamId": TEAM,
            "channel": {"id": CHANNEL}, "team": {"id": TEAM}, "tenant": {"id": TENANT},
        }

    @staticmethod
    def _mention() -> list[dict[str, Any]]:
        return [
            {"mentioned": {"id": BOT_ID, "name": BOT_NAME}, "text": f"<at>{BOT_NAME}</at>", "type": "mention"},
            {"locale": "en-US", "country": "US", "platform": "Web", "timezone": "Europe/Paris", "type": "clientInfo"},
        ]

    def channel(self, user: User, text: str, *, thread: str | None = None, mention: bool = True) -> dict[str, Any]:
        """A channel post (a new thread unless ``thread`` is given) mentioning the bot."""
        activity = self._base(user, {})
        root = thread or activity["id"]
        activity["conversation"] = {
            "isGroup": True, "conversationType": "channel", "tenantId": TENANT, "id": f"{CHANNEL};messageid={root}",
        }
        activity["text"] = f"<at>{BOT_NAME}</at> {text}" if mention else text
        activity["textFormat"] = "plain"
        activity["entities"] = self._mention() if mention else []
        activity["channelData"] = self._channel_data()
        return activity

    def group(self, user: User, text: str) -> dict[str, Any]:
        conversation = {"isGroup": True, "conversationType": "groupChat", "tenantId": TENANT, "id": GROUP_CHAT}
        return self._base(user, conversation, text=f"<at>{BOT_NAME}</at> {text}", textFormat="plain",
                          entities=self._mention(), channelData={"tenant": {"id": TENANT}})

    def personal(self, user: User, text: str) -> dict[str, Any]:
        conversation = {"conversationType": "personal", "tenantId": TENANT, "id": user.personal_conversation}
        return self._base(user, conversation, text=text, textFormat="plain", channelData={"tenant": {"id": TENANT}})

    def submit(self, user: User, like: dict[str, Any], data: dict[str, Any], reply_to: str) -> dict[str, Any]:
        """An Action.Submit click on card ``reply_to`` in the conversation of activity ``like``."""
        activity = self._base(user, dict(like["conversation"]), value=data, replyToId=reply_to)
        channel_data = dict(like.get("channelData") or {})
        channel_data["source"] = {"name": "message"}
        channel_data["legacy"] = {"replyToId": reply_to}
        activity["channelData"] = channel_data
        return activity

    def bot_added(self, conversation: dict[str, Any], channel_data: dict[str, Any]) -> dict[str, Any]:
        activity = self._base(ADA, conversation, type="conversationUpdate", channelData=channel_data)
        activity["membersAdded"] = [{"id": BOT_ID}]
        return activity

    def installed(self, conversation: dict[str, Any], channel_data: dict[str, Any]) -> dict[str, Any]:
        return self._base(ADA, conversation, type="installationUpdate", action="add", channelData=channel_data)

    def team_conversation(self) -> tuple[dict[str, Any], dict[str, Any]]:
        conversation = {"isGroup": True, "conversationType": "channel", "tenantId": TENANT, "id": TEAM}
        channel_data = {"team": {"id": TEAM, "name": "Platform"}, "eventType": "teamMemberAdded", "tenant": {"id": TENANT}}
        return conversation, channel_data


# --- the bot over HTTP ---------------------------------------------------------------------


def settings(**env: Any) -> Settings:
    """Settings from explicit values only (no .env file, no stray MICROSOFT_* variables)."""
    values: dict[str, Any] = {"MICROSOFT_APP_ID": None, "MICROSOFT_APP_PASSWORD": None,
                              "MICROSOFT_APP_TYPE": "MultiTenant", "MICROSOFT_APP_TENANT_ID": None,
                              "TEAMS_EMULATOR": True, **env}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def _slack_built() -> bool:
    return importlib.util.find_spec("adapters.slack") is not None


def build(config: Settings, store: ConversationStore) -> web.Application:
    """``adapters.server.build_app`` once the Slack adapter exists; until then an app with
    only this adapter mounted, exactly as build_app mounts it."""
    if _slack_built():
        from adapters.server import build_app

        return build_app(config, store)
    app = web.Application(client_max_size=1024 * 1024)
    service = TurnService(make_advisor(), store)
    mount(app, service, config)

    async def close_store(_: web.Application) -> None:
        await store.close()

    app.on_cleanup.append(close_store)
    return app


class TeamsBot:
    """The running app, a client for it, the activity builders and the connector stand-in."""

    def __init__(self, url: str, app: web.Application, http: aiohttp.ClientSession,
                 activities: Activities, connector: StubConnector) -> None:
        self.url, self.app, self.http, self.a, self.connector = url, app, http, activities, connector

    @property
    def endpoint(self) -> TeamsEndpoint:
        return self.app[TEAMS_ENDPOINT]

    async def post(self, activity: dict[str, Any] | bytes | str, *, headers: dict[str, str] | None = None,
                   content_type: str = "application/json") -> aiohttp.ClientResponse:
        data = activity if isinstance(activity, bytes | str) else json.dumps(activity)
        async with self.http.post(self.url + "/api/messages", data=data,
                                  headers={"Content-Type": content_type, **(headers or {})}) as resp:
            await resp.read()
            return resp

    async def send(self, activity: dict[str, Any]) -> list[Call]:
        """Post and wait until every reply of the turn has been delivered; the new calls."""
        before = len(self.connector.calls)
        resp = await self.post(activity)
        assert resp.status == 201, resp.status
        assert await self.endpoint.outbox.drain(10)
        return [c for c in self.connector.calls[before:] if c.status == 200]

    def latest(self, kind: str, conversation: str | None = None) -> Call:
        calls = [c for c in self.connector.ok if c.kind == kind and (conversation is None or c.conversation_id == conversation)]
        assert calls, f"no {kind} posted"
        return calls[-1]


async def start_bot(connector: StubConnector, store: ConversationStore, config: Settings | None = None
                    ) -> tuple[TeamsBot, Callable[[], Any]]:
    app = build(config or settings(), store)
    runner, url = await _serve(app)
    http = aiohttp.ClientSession()
    bot = TeamsBot(url, app, http, Activities(connector.url), connector)

    async def stop() -> None:
        await http.close()
        await runner.cleanup()

    return bot, stop


@pytest.fixture
async def embedded_bot(connector: StubConnector, redis_prefix: str) -> AsyncIterator[TeamsBot]:
    store = embedded_store(keys=KeySpace(redis_prefix))
    await store.prepare()
    bot, stop = await start_bot(connector, store)
    yield bot
    await stop()


@pytest.fixture
async def redis_bot(connector: StubConnector, redis_url: str, redis_prefix: str) -> AsyncIterator[TeamsBot]:
    store = store_from_settings(StoreSettings(url=redis_url, prefix=redis_prefix))
    await store.prepare()
    bot, stop = await start_bot(connector, store)
    yield bot
    await stop()
