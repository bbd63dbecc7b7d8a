"""Background delivery, in order per conversation.

The HTTP request from the Bot Connector is answered as soon as the turn is saved; the replies
follow from here, so a throttled connector (429 with ``Retry-After``) never holds the request
past Teams' timeout. Jobs for one conversation run one after another, in submission order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("finetune_advisor.teams")


class Outbox:
    def __init__(self) -> None:
        self._tails: dict[str, asyncio.Task[Any]] = {}
        self._pending: set[asyncio.Task[Any]] = set()

    def submit(self, lane: str, job: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``job`` after every job submitted earlier on ``lane``."""
        previous = self._tails.get(lane)
        task = asyncio.ensure_future(self._after(previous, job))
        self._tails[lane] = task
        self._pending.add(task)
        task.add_done_callback(lambda done: self._finished(lane, done))
        task.add_done_callback(lambda done: job.close() if done.cancelled() else None)  # never started
        return task

    def tasks(self) -> set[asyncio.Task[Any]]:
        """The jobs not finished yet (for the service's drain at shutdown)."""
        return set(self._pending)

    @staticmethod
    async def _after(previous: asyncio.Task[Any] | None, job: Coroutine[Any, Any, Any]) -> Any:
        if previous is not None and not previous.done():
            await asyncio.wait([previous])
        return await job

    def _finished(self, lane: str, task: asyncio.Task[Any]) -> None:
        self._pending.discard(task)
        if self._tails.get(lane) is task:
            del self._tails[lane]
        if not task.cancelled() and task.exception() is not None:
            log.error("delivery job failed", exc_info=task.exception())

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def drain(self, timeout_s: float = 25.0) -> bool:
        """Wait for every job (also ones submitted meanwhile); False if some were still running."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while self._pending:
            remaining = deadline - loop.time()
            if remaining <= 0:
                log.warning("replies still undelivered at shutdown", extra={"pending": len(self._pending)})
                return False
            await asyncio.wait(set(self._pending), timeout=remaining)
        return True
