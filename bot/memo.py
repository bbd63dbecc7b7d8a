"""A bounded memo: results of a pure computation kept by key, the oldest dropped first."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    """At most ``size`` results, by key; when full, the oldest entry goes first. Only for
    values nobody changes: every caller with an equal key gets the same object. A ``make`` that
    raises stores nothing."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def get(self, key: K, make: Callable[[], V]) -> V:
        value = self._entries.get(key)
        if value is None:
            value = make()
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.pop(next(iter(self._entries)))
        return value
