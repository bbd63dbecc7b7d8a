"""Conversation memory: a small async store (Redis, Redis Cluster or embedded fakeredis)
with one compare-and-set write per turn, and :func:`run_turn` to apply one event."""

from .base import (
    DEFAULT_CONVERSATION_TTL_S,
    DEFAULT_EVENT_TTL_S,
    DEFAULT_PREFIX,
    SCHEMA,
    ConversationStore,
    Loaded,
    SaveOutcome,
)
from .connect import (
    StoreSettings,
    keep_for_expiry_notice,
    open_store,
    redact_url,
    store_from_env,
    store_from_settings,
)
from .embedded import embedded_store
from .keys import KeySpace
from .redis_store import RedisStore
from .turn import Transition, TurnResult, run_turn

__all__ = [
    "DEFAULT_CONVERSATION_TTL_S",
    "DEFAULT_EVENT_TTL_S",
    "DEFAULT_PREFIX",
    "SCHEMA",
    "ConversationStore",
    "KeySpace",
    "Loaded",
    "RedisStore",
    "SaveOutcome",
    "StoreSettings",
    "Transition",
    "TurnResult",
    "embedded_store",
    "keep_for_expiry_notice",
    "open_store",
    "redact_url",
    "run_turn",
    "store_from_env",
    "store_from_settings",
]
