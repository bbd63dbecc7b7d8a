"""Slack's real request shapes (after slack-bolt's scenario tests and Slack's docs), signed.

* slash commands: a form body (``command=/finetune&text=...&response_url=...``);
* interactivity: a form body with one ``payload=`` field holding the ``block_actions`` JSON;
* Events API: a JSON ``event_callback`` envelope around the event, or ``url_verification``.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

SECRET = "test-signing-secret"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass
class Reply:
    status: int
    text: str
    elapsed: float


@dataclass
class SlackSender:
    """Posts correctly signed requests to the app's /slack/events."""

    url: str
    response_base: str  # the stand-in's base URL for response_url values
    team: str = "T1"
    secret: str = SECRET
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def next_id(self) -> int:
        return next(self._ids)

    def headers(self, body: str, content_type: str, timestamp: int | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(self.secret).generate_signature(timestamp=ts, body=body)
        return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}

    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> Reply:
        sent = self.headers(body, content_type)
        sent.update(headers or {})
        started = time.monotonic()
        async with aiohttp.ClientSession() as session:
            async with session.post(self.url, data=body.encode(), headers=sent) as response:
                return Reply(response.status, await response.text(), time.monotonic() - started)

    # --- slash command ---------------------------------------------------------------

    def command_body(self, text: str, *, user: str = "U1", channel: str = "C1", respond: str = "") -> str:
        n = self.next_id()
        return urlencode({
            "token": "verification_token", "team_id": self.team, "team_domain": "test",
            "channel_id": channel, "channel_name": "general", "user_id": user, "user_name": user.lower(),
            "command": "/finetune", "text": text, "api_app_id": "A1", "is_enterprise_install": "false",
            "response_url": f"{self.response_base}/respond/{respond or f'cmd-{n}'}",
            "trigger_id": f"{n}.{n}.trigger{n}",
        })

    async def command(self, text: str = "", **kwargs: Any) -> Reply:
        return await self.post(self.command_body(text, **kwargs), FORM)

    # --- block actions ----------------------------------------------------------------

    def action_body(
        self,
        action_id: str,
        value: str = "",
        *,
        block_id: str = "",
        user: str = "U1",
        channel: str = "C1",
        message_ts: str = "1700000000.000100",
        thread_ts: str = "",
        ephemeral: bool = False,
        respond: str = "",
        action_ts: str = "",
    ) -> str:
        n = self.next_id()
        message: dict[str, Any] = {"type": "message", "user": "UBOT", "ts": message_ts, "text": "question", "blocks": []}
        if thread_ts:
            message["thread_ts"] = thread_ts
        action: dict[str, Any] = {
            "action_id": action_id, "block_id": block_id, "type": "button",
            "text": {"type": "plain_text", "text": "Button", "emoji": True},
            "action_ts": action_ts or f"{int(time.time())}.{n:06d}",
        }
        if value:
            action["value"] = value
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team},
            "api_app_id": "A1",
            "token": "verification_token",
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": ephemeral},
            "trigger_id": f"{n}.{n}.trigger{n}",
            "team": {"id": self.team, "domain": "test"},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": "general"},
            "response_url": f"{self.response_base}/respond/{respond or f'act-{n}'}",
            "actions": [action],
        }
        if not ephemeral:
            payload["message"] = message
        return urlencode({"payload": json.dumps(payload)})

    async def action(self, action_id: str, value: str = "", **kwargs: Any) -> Reply:
        return await self.post(self.action_body(action_id, value, **kwargs), FORM)

    def home_action_body(self, action_id: str = "start", *, user: str = "U1") -> str:
        n = self.next_id()
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team},
            "api_app_id": "A1", "token": "verification_token",
            "container": {"type": "view", "view_id": "V1"},
            "trigger_id": f"{n}.{n}.trigger{n}",
            "team": {"id": self.team, "domain": "test"},
            "view": {"id": "V1", "type": "home", "team_id": self.team, "blocks": []},
            "actions": [{"action_id": action_id, "block_id": "ft:h:-:start", "type": "button",
                         "text": {"type": "plain_text", "text": "Start"}, "action_ts": f"{int(time.time())}.{n:06d}"}],
        }
        return urlencode({"payload": json.dumps(payload)})

    # --- Events API -------------------------------------------------------------------

    def event_body(self, event: dict[str, Any], event_id: str = "") -> str:
        n = self.next_id()
        return json.dumps({
            "token": "verification_token", "team_id": self.team, "api_app_id": "A1",
            "event": event, "type": "event_callback", "event_id": event_id or f"Ev{n:08d}",
            "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": self.team, "user_id": "UBOT",
                                "is_bot": True, "is_enterprise_install": False}],
            "is_ext_shared_channel": False, "event_context": f"ctx-{n}",
        })

    async def event(self, event: dict[str, Any], event_id: str = "", headers: dict[str, str] | None = None) -> Reply:
        return await self.post(self.event_body(event, event_id), JSON, headers)


def mention(text: str, *, user: str = "U1", channel: str = "C1", ts: str = "1700000100.000100", thread_ts: str = "") -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_mention", "user": user, "text": f"<@UBOT> {text}".strip(), "ts": ts,
        "channel": channel, "event_ts": ts, "team": "T1",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(
    text: str, *, user: str = "U1", channel: str = "C1", channel_type: str = "channel", ts: str = "",
    thread_ts: str = "", **extra: Any,
) -> dict[str, Any]:
    ts = ts or f"{time.time():.6f}"
    event: dict[str, Any] = {
        "type": "message", "user": user, "text": text, "ts": ts, "channel": channel,
        "event_ts": ts, "channel_type": channel_type, "team": "T1",
        "blocks": [{"type": "rich_text", "block_id": "x", "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}],
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = user
    event.update(extra)
    return event


def dm(text: str, *, user: str = "U1", channel: str = "D1", **extra: Any) -> dict[str, Any]:
    return message(text, user=user, channel=channel, channel_type="im", **extra)
