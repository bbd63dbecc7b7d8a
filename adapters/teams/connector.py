"""A lean Bot Connector client: post and update activities over one reused aiohttp session.

Replaces botbuilder's per-turn msrest ``ConnectorClient`` (built with its ``ClientRetryPolicy``
on every turn, posting through ``requests``) on the hot path:

* ``POST {serviceUrl}/v3/conversations/{conversationId}/activities[/{replyToId}]`` -> ``{"id"}``
* ``PUT  {serviceUrl}/v3/conversations/{conversationId}/activities/{activityId}``

Path parts are percent-encoded whole (Teams conversation ids hold ``:``, ``;``, ``@``, ``=``),
as msrest does. 429 and 5xx answers and connection failures are retried with full-jitter
exponential backoff, honouring ``Retry-After``; a 401 refreshes the bearer token once.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp
from yarl import URL

from adapters import metrics
from bot.errors import PlatformError

log = logging.getLogger("finetune_advisor.teams.connector")

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_USER_AGENT = "finetune-advisor (Teams; aiohttp)"


class ConnectorError(PlatformError):
    """The Bot Connector refused a call or could not be reached after the retries."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class TokenSource(Protocol):
    """Bearer tokens for outbound calls; ``None`` when authentication is off (emulator)."""

    async def token(self) -> str | None: ...

    def invalidate(self) -> None: ...


class NoToken:
    async def token(self) -> str | None:
        return None

    def invalidate(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """``attempts`` in all; waits ``uniform(0, min(cap, base * 2**n))`` unless the service
    says ``Retry-After`` (honoured up to ``max_retry_after_s``)."""

    attempts: int = 6
    base_s: float = 0.25
    cap_s: float = 8.0
    max_retry_after_s: float = 60.0
    timeout_s: float = 15.0

    def backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap_s, self.base_s * 2**attempt))


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds (fractions tolerated) or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def activities_url(service_url: str, conversation_id: str, activity_id: str | None = None) -> URL:
    path = f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}/activities"
    if activity_id:
        path += "/" + quote(activity_id, safe="")
    return URL(path, encoded=True)


class Connector:
    """One per process: a shared connection pool to every serviceUrl. Create and close it
    inside the running event loop (``start``/``close``; ``start`` is implicit on first use)."""

    def __init__(self, policy: RetryPolicy | None = None) -> None:
        self.policy = policy or RetryPolicy()
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.policy.timeout_s),
                connector=aiohttp.TCPConnector(limit=64, keepalive_timeout=60),
                headers={"User-Agent": _USER_AGENT},
                cookie_jar=aiohttp.DummyCookieJar(),  # the connector sets none we need
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def post(
        self, service_url: str, conversation_id: str, activity: dict[str, Any], *,
        reply_to_id: str | None = None, tokens: TokenSource | None = None,
    ) -> str:
        """Post ``activity`` (as a reply to ``reply_to_id`` when given); the new message's id."""
        answer = await self._call("POST", activities_url(service_url, conversation_id, reply_to_id), activity, tokens)
        return str(answer.get("id") or "")

    async def update(
        self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any], *,
        tokens: TokenSource | None = None,
    ) -> None:
        body = {**activity, "id": activity_id}
        await self._call("PUT", activities_url(service_url, conversation_id, activity_id), body, tokens)

    async def _call(self, method: str, url: URL, body: dict[str, Any], tokens: TokenSource | None) -> dict[str, Any]:
        tokens = tokens or NoToken()
        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            headers = {"Content-Type": "application/json; charset=utf-8"}
            token = await tokens.token()
            if token:
                headers["Authorization"] = f"Bearer {token}"
            wait: float | None = None
            try:
                async with self._client().request(method, url, data=data, headers=headers) as resp:
                    if resp.status < 300:
                        return await _json_object(resp)
                    metrics.PLATFORM_API_ERRORS.labels("teams", str(resp.status)).inc()
                    detail = (await resp.text())[:300]
                    if resp.status == 401 and token and not refreshed:
                        tokens.invalidate()
                        refreshed, attempt = True, attempt - 1
                        continue
                    if resp.status not in _RETRY_STATUSES:
                        raise ConnectorError(f"{method} {url.path} -> {resp.status}: {detail}", resp.status)
                    wait = retry_after_seconds(resp.headers.get("Retry-After"))
                    problem, status = f"HTTP {resp.status}", resp.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                metrics.PLATFORM_API_ERRORS.labels("teams", "network").inc()
                problem, status = f"{type(exc).__name__}: {exc}", None
            if attempt >= self.policy.attempts:
                raise ConnectorError(f"{method} {url.path} failed after {attempt} attempts: {problem}", status)
            delay = min(wait, self.policy.max_retry_after_s) if wait is not None else self.policy.backoff(attempt)
            log.warning(
                "connector call will be retried",
                extra={"method": method, "problem": problem, "attempt": attempt, "delay_s": round(delay, 3)},
            )
            await asyncio.sleep(delay)


async def _json_object(resp: aiohttp.ClientResponse) -> dict[str, Any]:
    raw = await resp.read()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
