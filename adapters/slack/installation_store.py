"""Multi-workspace OAuth state in Redis: slack_sdk ships no Redis stores, so these implement
its ``AsyncInstallationStore`` and ``AsyncOAuthStateStore`` over the conversation store's
redis-py asyncio client (a real Redis, a Cluster, or the embedded fakeredis).

Keys, all under the store prefix and each touched by single-key commands (Cluster-safe)::

    <prefix>:slack:install:<enterprise or ->:<team or ->   HASH  bot | installer | installer:<user>
    <prefix>:slack:oauth_state:<state>                    STRING, expires after 10 minutes
    <prefix>:slack:oauth_states                           ZSET state -> expiry (the cap's count)

Like slack_sdk's file store: the latest installation per workspace and per installing user,
and the latest bot. ``app_uninstalled`` deletes the whole hash; ``tokens_revoked`` the bot or
the named users' installations.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

_NONE = "-"
_BOT = "bot"
_INSTALLER = "installer"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


class RedisInstallationStore(AsyncInstallationStore):
    def __init__(self, client: Any, prefix: str, logger: logging.Logger | None = None) -> None:
        self.client = client
        self.prefix = prefix
        self._logger = logger or logging.getLogger("finetune_advisor.slack.installations")

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    def key(self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False) -> str:
        team = _NONE if is_enterprise_install else (team_id or _NONE)
        return f"{self.prefix}:slack:install:{enterprise_id or _NONE}:{team}"

    async def async_save(self, installation: Installation) -> None:
        key = self.key(installation.enterprise_id, installation.team_id, installation.is_enterprise_install)
        entity = json.dumps(installation.__dict__)
        fields = {_INSTALLER: entity, f"{_INSTALLER}:{installation.user_id or _NONE}": entity}
        await self.client.hset(key, mapping=fields)
        await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        if bot.bot_token is None:
            return
        key = self.key(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        await self.client.hset(key, _BOT, json.dumps(bot.__dict__))

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        raw = await self.client.hget(self.key(enterprise_id, team_id, is_enterprise_install), _BOT)
        return None if raw is None else Bot(**json.loads(_text(raw)))

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        key = self.key(enterprise_id, team_id, is_enterprise_install)
        field = _INSTALLER if user_id is None else f"{_INSTALLER}:{user_id}"
        raw = await self.client.hget(key, field)
        if raw is None:
            return None
        installation = Installation(**json.loads(_text(raw)))
        if user_id is not None or installation.bot_token is None:
            # another user's (re)install may have rotated the bot token: use the latest bot
            bot = await self.async_find_bot(
                enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
            )
            if bot is not None and bot.bot_token != installation.bot_token:
                installation.bot_id = bot.bot_id
                installation.bot_user_id = bot.bot_user_id
                installation.bot_token = bot.bot_token
                installation.bot_scopes = bot.bot_scopes
                installation.bot_refresh_token = bot.bot_refresh_token
                installation.bot_token_expires_at = bot.bot_token_expires_at
        return installation

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.client.hdel(self.key(enterprise_id, team_id), _BOT)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        key = self.key(enterprise_id, team_id)
        if user_id is not None:
            await self.client.hdel(key, f"{_INSTALLER}:{user_id}")
            return
        fields = [f for f in map(_text, await self.client.hkeys(key)) if f.startswith(_INSTALLER)]
        if fields:
            await self.client.hdel(key, *fields)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.client.delete(self.key(enterprise_id, team_id))
        self.logger.info("slack installation deleted", extra={"enterprise": enterprise_id or "", "team": team_id or ""})


#: Default of SLACK_OAUTH_MAX_PENDING_STATES.
DEFAULT_MAX_PENDING_STATES = 1000


class TooManyPendingStates(Exception):
    """As many OAuth states are outstanding (issued, unexpired, unconsumed) as allowed."""

    def __init__(self, pending: int) -> None:
        super().__init__(f"{pending} OAuth states pending")
        self.pending = pending


class RedisOAuthStateStore(AsyncOAuthStateStore):
    """One-time OAuth ``state`` values: issued with an expiry, consumed by deleting them.

    At most ``max_pending`` states are outstanding at once (counted in a sorted set by expiry,
    expired members dropped on each issue): past it, issuing raises TooManyPendingStates, so
    a flood of ``/slack/install`` requests costs bounded Redis memory."""

    def __init__(self, client: Any, prefix: str, expiration_seconds: int = 600, logger: logging.Logger | None = None,
                 max_pending: int = DEFAULT_MAX_PENDING_STATES) -> None:
        self.client = client
        self.prefix = prefix
        self.expiration_seconds = expiration_seconds
        self.max_pending = max_pending
        self._logger = logger or logging.getLogger("finetune_advisor.slack.oauth_state")

    @property
    def index_key(self) -> str:
        return f"{self.prefix}:slack:oauth_states"

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    def key(self, state: str) -> str:
        return f"{self.prefix}:slack:oauth_state:{state}"

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        now = time.time()
        await self.client.zremrangebyscore(self.index_key, "-inf", now)
        pending = int(await self.client.zcard(self.index_key))
        if pending >= self.max_pending:
            raise TooManyPendingStates(pending)
        state = secrets.token_urlsafe(24)
        await self.client.set(self.key(state), "1", ex=self.expiration_seconds)
        await self.client.zadd(self.index_key, {state: now + self.expiration_seconds})
        await self.client.expire(self.index_key, self.expiration_seconds)
        return state

    async def async_consume(self, state: str) -> bool:
        if not state or len(state) > 200:
            return False
        consumed = int(await self.client.delete(self.key(state))) == 1
        if consumed:
            await self.client.zrem(self.index_key, state)
        return consumed
