"""The Bot Framework's token signing keys, fetched without blocking the event loop.

botbuilder's ``JwtTokenExtractor`` looks keys up through ``_OpenIdMetadata``, which fetches
them with blocking ``requests`` calls on the event loop and raises ``IndexError`` for an
unknown key id. :func:`install` puts a :class:`SigningKeys` in botbuilder's own per-URL cache
(``JwtTokenExtractor.metadataCache``) instead:

* keys are fetched with aiohttp (5 s timeout), once; afterwards refreshed in the background
  (daily, and at most every 5 minutes when a token names an unknown key id), while the
  cached keys keep serving;
* an unknown or missing key id gives no key (the token is then refused: 401);
* keys that were never fetched and cannot be: :class:`KeysUnavailable` (the endpoint's 503),
  retried at most every 10 s so a key service outage costs no request more than one wait.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from botframework.connector.auth import AuthenticationConstants
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger("finetune_advisor.teams.keys")

FETCH_TIMEOUT_S = 5.0
REFRESH_EVERY_S = 24 * 3600.0
UNKNOWN_KID_REFRESH_S = 300.0
RETRY_UNREACHABLE_S = 10.0
CHANNEL_METADATA_URL = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL


class KeysUnavailable(Exception):
    """The signing keys were never fetched and cannot be now."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    """What botbuilder's extractor reads from a key lookup."""

    public_key: Any
    endorsements: list[str]


def parse_keys(jwks: Any) -> dict[str, SigningKey]:
    """``{"keys": [JWK, ...]}`` -> key id -> key; malformed entries are skipped."""
    found: dict[str, SigningKey] = {}
    for jwk in (jwks.get("keys") if isinstance(jwks, dict) else None) or []:
        if not isinstance(jwk, dict) or not isinstance(jwk.get("kid"), str):
            continue
        try:
            public_key = RSAAlgorithm.from_jwk(json.dumps(jwk))
        except Exception:  # noqa: BLE001 - pyjwt raises several kinds for a bad key
            continue
        endorsements = jwk.get("endorsements")
        found[jwk["kid"]] = SigningKey(public_key, [e for e in endorsements if isinstance(e, str)]
                                       if isinstance(endorsements, list) else [])
    return found


class SigningKeys:
    """Stands in for botbuilder's ``_OpenIdMetadata`` of one metadata URL (its ``get``)."""

    def __init__(self, url: str, fetch_from: str | None = None) -> None:
        self.url = url
        self.fetch_from = fetch_from or url
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._failed_at = -RETRY_UNREACHABLE_S
        self._last_error = ""
        self._refresh_asked_at = -UNKNOWN_KID_REFRESH_S
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._background: asyncio.Task[None] | None = None

    async def get(self, key_id: str | None) -> SigningKey | None:
        now = time.monotonic()
        if self._fetched_at is None:
            await self._first_fetch(now)
        elif now - self._fetched_at > REFRESH_EVERY_S:
            self._refresh_in_background()
        key = self._keys.get(key_id) if isinstance(key_id, str) else None
        if key is None and isinstance(key_id, str) and now - self._refresh_asked_at > UNKNOWN_KID_REFRESH_S:
            self._refresh_asked_at = now  # a rotated key appears without a restart
            self._refresh_in_background()
        return key

    def _loop_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    async def _first_fetch(self, now: float) -> None:
        async with self._loop_lock():
            if self._fetched_at is not None:
                return
            if now - self._failed_at < RETRY_UNREACHABLE_S:
                raise KeysUnavailable(self._last_error)
            try:
                await self.refresh()
            except Exception as exc:  # noqa: BLE001 - any failure means: no keys yet
                self._failed_at, self._last_error = time.monotonic(), f"{type(exc).__name__}: {exc}"[:200]
                raise KeysUnavailable(self._last_error) from None

    def _refresh_in_background(self) -> None:
        if self._background is not None and not self._background.done():
            return
        self._background = asyncio.get_running_loop().create_task(self._quiet_refresh(), name="teams-signing-keys")

    async def _quiet_refresh(self) -> None:
        try:
            await self.refresh()
        except Exception as exc:  # noqa: BLE001 - the cached keys keep serving
            log.warning("could not refresh the Bot Framework signing keys", extra={"error": type(exc).__name__})

    async def refresh(self) -> None:
        """Fetch the metadata document, then its ``jwks_uri``; replace the keys."""
        timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(self.fetch_from) as response:
                response.raise_for_status()
                metadata = await response.json(content_type=None)
            jwks_uri = metadata.get("jwks_uri") if isinstance(metadata, dict) else None
            if not isinstance(jwks_uri, str):
                raise ValueError("metadata document without jwks_uri")
            async with session.get(jwks_uri) as response:
                response.raise_for_status()
                keys = parse_keys(await response.json(content_type=None))
        if not keys:
            raise ValueError("no usable signing key")
        self._keys, self._fetched_at = keys, time.monotonic()
        log.info("Bot Framework signing keys loaded", extra={"keys": len(keys)})


class _Caches(dict):  # type: ignore[type-arg]
    """botbuilder's metadata cache, creating a SigningKeys for any URL it is asked for."""

    def get(self, url: str, default: Any = None) -> Any:  # noqa: ARG002 - botbuilder's call
        if url not in self:
            self[url] = SigningKeys(url)
        return dict.__getitem__(self, url)


def install(channel_metadata_url: str | None = None) -> SigningKeys:
    """Key lookups of every botbuilder token extractor go through SigningKeys; a fresh one for
    the channel's metadata URL (fetched from ``channel_metadata_url`` when given:
    TEAMS_OPENID_METADATA_URL). Returns it."""
    if not isinstance(JwtTokenExtractor.metadataCache, _Caches):
        JwtTokenExtractor.metadataCache = _Caches()
    keys = SigningKeys(CHANNEL_METADATA_URL, channel_metadata_url)
    JwtTokenExtractor.metadataCache[CHANNEL_METADATA_URL] = keys
    return keys
