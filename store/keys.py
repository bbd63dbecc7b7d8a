"""Redis key layout: one key per conversation, one short-lived key per applied event.

Both keys of a conversation share a Redis Cluster hash tag, so the Lua scripts that touch
them run on one node::

    {prefix}:conv:{<tag>}
    {prefix}:evt:{<tag>}:<event digest>

``<tag>`` is a digest of the JSON-encoded key parts, so ids that contain ``:``, ``{`` or
``}`` can neither collide nor break the hash tag.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from bot.events import ConversationKey

from .base import DEFAULT_PREFIX


def _digest(text: str, size: int) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).hexdigest()


@lru_cache(maxsize=4096)
def conversation_tag(key: ConversationKey) -> str:
    """The hash tag of a conversation: 32 hex chars, unambiguous over the five parts."""
    return _digest(json.dumps(key.parts(), ensure_ascii=False), 16)


@dataclass(frozen=True, slots=True)
class KeySpace:
    """Builds keys under one prefix (e.g. one per deployment or per test)."""

    prefix: str = DEFAULT_PREFIX

    def __post_init__(self) -> None:
        if not self.prefix or any(c in self.prefix for c in "{}") or self.prefix.strip() != self.prefix:
            raise ValueError(f"bad Redis key prefix {self.prefix!r}: non-empty, no braces, no spaces at ends")

    def conversation(self, key: ConversationKey) -> str:
        """The key holding the conversation envelope."""
        return f"{self.prefix}:conv:{{{conversation_tag(key)}}}"

    def event(self, key: ConversationKey, event_id: str) -> str:
        """The key recording that ``event_id`` was applied to this conversation."""
        return f"{self.prefix}:evt:{{{conversation_tag(key)}}}:{_digest(event_id, 12)}"

    def pattern(self) -> str:
        """A SCAN pattern matching every key under this prefix (glob characters escaped)."""
        escaped = "".join("\\" + c if c in "*?[]\\" else c for c in self.prefix)
        return f"{escaped}:*"
