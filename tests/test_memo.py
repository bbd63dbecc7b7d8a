"""bot.memo.BoundedMemo: shared results by key, bounded, the oldest dropped first."""

from __future__ import annotations

import pytest

from bot.memo import BoundedMemo


def test_equal_keys_share_one_result_and_the_oldest_goes_first() -> None:
    memo: BoundedMemo[str, list[str]] = BoundedMemo(2)
    made: list[str] = []

    def make(key: str):
        return lambda: made.append(key) or [key]

    first = memo.get("a", make("a"))
    assert memo.get("a", make("a")) is first and made == ["a"]
    memo.get("b", make("b"))
    memo.get("c", make("c"))  # over the bound: "a", the oldest, goes
    assert len(memo) == 2 and "a" not in memo and "b" in memo and "c" in memo
    assert memo.get("a", make("a")) is not first and made == ["a", "b", "c", "a"]
    assert "b" not in memo  # then the next oldest


def test_a_failed_make_stores_nothing() -> None:
    memo: BoundedMemo[str, int] = BoundedMemo(4)

    def fail() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError):
        memo.get("x", fail)
    assert len(memo) == 0 and memo.get("x", lambda: 7) == 7
