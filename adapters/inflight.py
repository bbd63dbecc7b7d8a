"""Everything one process has in flight, bounded on the way in and drained once on the way out.

* :class:`TurnQueue`: turns admitted and not yet finished (waiting for a TurnSlots slot
  included), at most ``TURN_QUEUE_LIMIT``. An adapter asks :meth:`TurnQueue.try_enter` before
  it takes a turn on; a refusal is shed work, which the adapter tells the platform and the user
  about, and which ``ftadvisor_turns_shed_total`` counts. ``/readyz`` reports saturation.
* :class:`InFlight`: the background jobs of every adapter (Slack turns, Teams deliveries),
  drained together at shutdown within one deadline (``SHUTDOWN_DEADLINE_S``); what is still
  running then is cancelled (its retries stop) and logged once, with a count.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection
from typing import Any

from adapters import metrics

log = logging.getLogger("finetune_advisor.inflight")

Tasks = Callable[[], Collection["asyncio.Task[Any]"]]


class TurnQueue:
    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"the turn queue limit must be at least 1, got {limit}")
        self.limit = limit
        self.size = 0

    @property
    def saturated(self) -> bool:
        return self.size >= self.limit

    def try_enter(self, platform: str, waiting: int = 0) -> bool:
        """Take one turn on, or (full) count it as shed and refuse it. ``waiting``: the
        adapter's own queued work (Teams deliveries) that counts against the limit too."""
        if self.size + waiting >= self.limit:
            metrics.TURNS_SHED.labels(platform).inc()
            return False
        self.size += 1
        metrics.TURNS_QUEUED.inc()
        return True

    def leave(self) -> None:
        self.size -= 1
        metrics.TURNS_QUEUED.dec()


class InFlight:
    def __init__(self) -> None:
        self._groups: dict[str, Tasks] = {}

    def track(self, name: str, tasks: Tasks) -> None:
        """Drain ``tasks()`` (re-read until the deadline: jobs may start other jobs) at shutdown."""
        self._groups[name] = tasks

    def pending(self) -> dict[str, list[asyncio.Task[Any]]]:
        return {name: [t for t in tasks() if not t.done()] for name, tasks in self._groups.items()}

    async def drain(self, deadline: float) -> int:
        """Wait for every tracked job until ``deadline`` (event loop time), then cancel the
        rest and log them once. Returns how many were cancelled."""
        loop = asyncio.get_running_loop()
        while True:
            pending = [t for group in self.pending().values() for t in group]
            remaining = deadline - loop.time()
            if not pending:
                return 0
            if remaining <= 0:
                break
            await asyncio.wait(pending, timeout=remaining)
        left = self.pending()
        cancelled = [t for group in left.values() for t in group]
        if not cancelled:
            return 0
        for task in cancelled:
            task.cancel()
        await asyncio.wait(cancelled, timeout=1.0)
        log.warning("not delivered at shutdown: the drain deadline passed",
                    extra={"count": len(cancelled), **{name: len(group) for name, group in left.items() if group}})
        return len(cancelled)
