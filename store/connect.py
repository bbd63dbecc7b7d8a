"""Choosing and opening the conversation store from settings or the environment.

=====================  =====================================================  ==========
variable               meaning                                                default
=====================  =====================================================  ==========
REDIS_URL              ``redis://``, ``rediss://`` (TLS) or ``unix://`` URL;   unset
                       unset or empty: the embedded per-process store
REDIS_CLUSTER          ``1``/``true``: connect with RedisCluster               ``0``
REDIS_PREFIX           key prefix (no braces)                                  ftadvisor
REDIS_TIMEOUT_S        socket and connect timeout, seconds                     2
CONVERSATION_TTL_S     conversation expiry, refreshed on every save            604800
EVENT_TTL_S            how long an applied event id is remembered              86400
=====================  =====================================================  ==========
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

from bot.errors import ConfigurationError, StoreError

from .base import DEFAULT_CONVERSATION_TTL_S, DEFAULT_EVENT_TTL_S, DEFAULT_PREFIX
from .embedded import embedded_store
from .keys import KeySpace
from .redis_store import Client, RedisStore

log = logging.getLogger(__name__)

_SCHEMES = ("redis", "rediss", "unix")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


@dataclass(frozen=True, slots=True)
class StoreSettings:
    """Everything needed to build a store. ``url=None`` means embedded."""

    url: str | None = None
    cluster: bool = False
    prefix: str = DEFAULT_PREFIX
    timeout_s: float = 2.0
    conversation_ttl_s: float = DEFAULT_CONVERSATION_TTL_S
    event_ttl_s: float = DEFAULT_EVENT_TTL_S
    retries: int = 3
    health_check_interval_s: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StoreSettings:
        """Read the variables above; raises ConfigurationError on a bad value."""
        env = os.environ if env is None else env
        url = env.get("REDIS_URL", "").strip() or None
        settings = cls(
            url=url,
            cluster=_flag(env, "REDIS_CLUSTER"),
            prefix=env.get("REDIS_PREFIX", "").strip() or DEFAULT_PREFIX,
            timeout_s=_positive(env, "REDIS_TIMEOUT_S", 2.0),
            conversation_ttl_s=_positive(env, "CONVERSATION_TTL_S", DEFAULT_CONVERSATION_TTL_S),
            event_ttl_s=_positive(env, "EVENT_TTL_S", DEFAULT_EVENT_TTL_S),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        """Raise ConfigurationError when the settings cannot work."""
        try:
            KeySpace(self.prefix)
        except ValueError as exc:
            raise ConfigurationError(f"REDIS_PREFIX: {exc}") from None
        if self.url is None:
            return
        scheme = urlsplit(self.url).scheme
        if scheme not in _SCHEMES:
            raise ConfigurationError(
                f"REDIS_URL must start with redis://, rediss:// or unix:// (got {scheme or 'no'} scheme)"
            )
        if self.cluster and scheme == "unix":
            raise ConfigurationError("REDIS_CLUSTER=1 needs a redis:// or rediss:// URL, not unix://")


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be 1 or 0, got {value!r}")


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not value > 0 or value == float("inf"):
        raise ConfigurationError(f"{name} must be positive, got {raw!r}")
    return value


def redact_url(url: str) -> str:
    """The URL with any password (in the authority or a ``password=`` query) replaced by ***."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user = parts.username or ""
        host = netloc.rsplit("@", 1)[1]
        netloc = f"{user}:***@{host}"
    query = parts.query
    if "password" in query.lower():
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, "***" if k.lower() == "password" else v) for k, v in pairs])
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def build_client(settings: StoreSettings) -> Client:
    """A redis-py asyncio client for ``settings.url`` (no I/O yet)."""
    if settings.url is None:
        raise ConfigurationError("build_client needs a REDIS_URL")
    options = dict(
        socket_timeout=settings.timeout_s,
        socket_connect_timeout=settings.timeout_s,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), settings.retries),
        health_check_interval=settings.health_check_interval_s,
    )
    try:
        if settings.cluster:
            return RedisCluster.from_url(settings.url, **options)
        return Redis.from_url(settings.url, **options)
    except ValueError as exc:  # redis-py rejects malformed URLs with ValueError
        raise ConfigurationError(f"REDIS_URL {redact_url(settings.url)} is invalid: {exc}") from None


def store_from_settings(settings: StoreSettings) -> RedisStore:
    """Build the store (no I/O): embedded when ``settings.url`` is None."""
    settings.validate()
    keys = KeySpace(settings.prefix)
    if settings.url is None:
        log.warning(
            "REDIS_URL is unset: using the embedded in-process store. Conversation state is "
            "per-process, not shared between replicas, and lost on restart."
        )
        return embedded_store(
            keys=keys, conversation_ttl_s=settings.conversation_ttl_s, event_ttl_s=settings.event_ttl_s
        )
    log.info(
        "conversation store: Redis%s at %s, prefix %r",
        " Cluster" if settings.cluster else "",
        redact_url(settings.url),
        settings.prefix,
    )
    return RedisStore(
        build_client(settings),
        keys=keys,
        conversation_ttl_s=settings.conversation_ttl_s,
        event_ttl_s=settings.event_ttl_s,
        backend="cluster" if settings.cluster else "redis",
    )


def store_from_env(env: Mapping[str, str] | None = None) -> RedisStore:
    """Build the store the environment asks for (no I/O). See the module docstring."""
    return store_from_settings(StoreSettings.from_env(env))


async def open_store(settings: StoreSettings | None = None) -> RedisStore:
    """Build the store, check it answers and load its scripts. Raises StoreError (the
    client is closed first) or ConfigurationError. ``None`` reads the environment."""
    store = store_from_settings(settings if settings is not None else StoreSettings.from_env())
    try:
        await store.prepare()
    except StoreError:
        await store.close()
        raise
    return store


def keep_for_expiry_notice(settings: StoreSettings) -> StoreSettings:
    """The settings with conversations kept twice their idle time in Redis.

    The core treats a conversation idle for longer than ``CONVERSATION_TTL_S`` as expired and
    starts over; keeping the value a while longer lets it say so ("your assessment expired")
    instead of silently greeting a returning user as new."""
    return replace(settings, conversation_ttl_s=settings.conversation_ttl_s * 2)
