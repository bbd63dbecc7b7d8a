"""One turn for any adapter: the store, the pure core, and errors turned into replies.

Adapters build an :class:`~bot.events.InboundEvent`, call :meth:`TurnService.handle`, and
render the replies. A store failure becomes the polite "try again" reply; nothing escapes.

With the optional language model (``llm``), a turn has two more, bounded steps around the
pure transition: before it, typed text the rules cannot read is read by the model and travels
into the core as hints on the event; after it, answers from the knowledge base may be rephrased
from their cited entries. Any model failure leaves the rule-based result.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from adapters import metrics
from adapters.inflight import InFlight, TurnQueue
from adapters.settings import DEFAULT_TURN_CONCURRENCY, DEFAULT_TURN_QUEUE_LIMIT
from bot.conversation import Advisor, clean_text, may_want_reading
from bot.errors import AdvisorError, StoreError
from bot.events import InboundEvent
from bot.factors import known
from bot.replies import Card, Reply, Text
from store import ConversationStore, run_turn

if TYPE_CHECKING:
    from adapters.llm.model import Budget, LanguageModel

log = logging.getLogger("finetune_advisor.turn")


@dataclass(frozen=True, slots=True)
class Handled:
    """What a turn produced. ``outcome`` is one of ``ok``, ``duplicate``, ``store_error``, ``error``.

    ``hints`` counts the model's readings the turn carried into the core; ``phrased`` lists the
    indexes of ``replies`` whose text the model rephrased (both empty without a model)."""

    replies: list[Reply] = field(default_factory=list)
    outcome: str = "ok"
    retries: int = 0
    latency_s: float = 0.0
    hints: int = 0
    phrased: tuple[int, ...] = ()


class TurnSlots:
    """At most ``size`` turns in their store + core step at once; the others wait their turn in
    arrival order. Under overload this keeps a turn from being interleaved with every other
    one (each started turn finishes sooner) and keeps the event loop's ready queue short, so
    new requests are still acknowledged at once. Only the store round trips and the pure core
    run inside (one attempt at a time: a compare-and-set retry waits out its backoff outside);
    platform calls and language model calls, which take network time, are outside, and so is
    the one store read that decides, with a language model, whether to ask it."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"turn concurrency must be at least 1, got {size}")
        self.size = size
        self._semaphore: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        if self._semaphore is None or self._loop is not loop:  # first use, or the service moved loops
            self._semaphore, self._loop = asyncio.Semaphore(self.size), loop
        semaphore = self._semaphore
        if semaphore.locked():
            metrics.TURNS_WAITING.inc()
            try:
                await semaphore.acquire()
            finally:
                metrics.TURNS_WAITING.dec()
        else:
            await semaphore.acquire()
        try:
            yield
        finally:
            semaphore.release()


#: Actions an adapter sends about its own deliveries (a posted card's id), not a user's doing:
#: logged at debug and left out of the turn metrics.
INTERNAL_ACTIONS = frozenset({"message_sent"})


def _internal(event: InboundEvent) -> bool:
    return event.action is not None and event.action.name in INTERNAL_ACTIONS


class TurnService:
    def __init__(
        self, advisor: Advisor, store: ConversationStore, llm: LanguageModel | None = None,
        concurrency: int = DEFAULT_TURN_CONCURRENCY, queue_limit: int = DEFAULT_TURN_QUEUE_LIMIT,
    ) -> None:
        self.advisor = advisor
        self.store = store
        self.llm = llm
        self.slots = TurnSlots(concurrency)
        self.queue = TurnQueue(queue_limit)  # adapters admit turns through it (shed past the limit)
        self.inflight = InFlight()  # adapters register their background jobs: one drain at shutdown

    async def handle(self, event: InboundEvent) -> Handled:
        started = time.perf_counter()
        budget = self.llm.budget() if self.llm is not None else None
        saved: dict[str, Any] = {}

        def transition(data: dict[str, Any] | None, ev: InboundEvent, now: float) -> tuple[dict[str, Any], list[Reply]]:
            new, replies = self.advisor.step_data(data, ev, now)
            saved["data"] = new
            return new, replies

        try:
            if budget is not None:
                event = await self._read(event, budget)
            result = await run_turn(self.store, event, transition if budget is not None else self.advisor.step_data,
                                    slot=self.slots)
        except StoreError as exc:
            handled = Handled([Text(exc.user_message)], "store_error", 0, time.perf_counter() - started)
            log.warning("turn failed: store unavailable", extra=self._fields(event, handled, str(exc)))
        except AdvisorError as exc:
            handled = Handled([Text(exc.user_message)], "error", 0, time.perf_counter() - started)
            log.error("turn failed", extra=self._fields(event, handled, type(exc).__name__))
        else:
            outcome = "duplicate" if result.duplicate else "ok"
            replies, phrased = list(result.replies), ()
            if budget is not None and replies:
                replies, phrased = await self._phrase(event, replies, saved.get("data"), budget)
            handled = Handled(replies, outcome, result.retries, time.perf_counter() - started, len(event.hints), phrased)
            log.log(logging.DEBUG if _internal(event) else logging.INFO, "turn", extra=self._fields(event, handled))
        self._count(event, handled)
        return handled

    # --- the optional language model --------------------------------------------------

    async def _read(self, event: InboundEvent, budget: Budget) -> InboundEvent:
        """The event with the model's readings, when the rules cannot read its text (decided by
        the pure core on the stored state, peeked at with one store read)."""
        assert self.llm is not None
        if not may_want_reading(event):
            return event
        loaded = await self.store.load(event.key, event.event_id or None)
        if loaded.duplicate:
            return event
        wanted = self.advisor.reading_wanted(loaded.data, event, time.time())
        if wanted is None:
            return event
        hints = await self.llm.understand(wanted.text, wanted.pending, budget, self._context(event))
        return replace(event, hints=hints) if hints else event

    async def _phrase(
        self, event: InboundEvent, replies: list[Reply], data: dict[str, Any] | None, budget: Budget,
    ) -> tuple[list[Reply], tuple[int, ...]]:
        assert self.llm is not None
        answers: dict[str, str] = {}
        if data and data.get("owner") == event.user:  # another person's answers stay theirs
            answers = known(data.get("answers") or {})
        question = clean_text(event.text) if event.text else None
        return await self.llm.phrase(replies, question=question, answers=answers, budget=budget, context=self._context(event))

    @staticmethod
    def _context(event: InboundEvent) -> dict[str, object]:
        """Log fields of a model call: where, never what."""
        return {"platform": event.key.platform, "event_id": event.event_id}

    # --- bookkeeping --------------------------------------------------------------------

    @staticmethod
    def _count(event: InboundEvent, handled: Handled) -> None:
        platform = event.key.platform
        if handled.retries:
            metrics.CAS_RETRIES.labels(platform).inc(handled.retries)
        if _internal(event):  # an adapter's report, not a user's turn: only its retries and errors count
            if handled.outcome == "store_error":
                metrics.STORE_ERRORS.labels(platform).inc()
            elif handled.outcome == "error":  # a failure shows on the turns page even so
                metrics.TURNS.labels(platform, "error").inc()
            return
        metrics.TURNS.labels(platform, handled.outcome).inc()
        metrics.TURN_LATENCY.labels(platform).observe(handled.latency_s)
        if handled.outcome == "duplicate":
            metrics.DUPLICATES.labels(platform).inc()
        elif handled.outcome == "store_error":
            metrics.STORE_ERRORS.labels(platform).inc()
        for reply in handled.replies:
            if isinstance(reply, Card):
                metrics.RECOMMENDATIONS.labels(reply.recommendation.verdict).inc()
                metrics.QUESTIONS_PER_ASSESSMENT.observe(reply.questions_asked)

    def _fields(self, event: InboundEvent, handled: Handled, error: str = "") -> dict[str, object]:
        """Log fields: who and where, never the user's text."""
        key = event.key
        fields: dict[str, object] = {
            "platform": key.platform,
            "conversation": "/".join(key.parts()),
            "event_id": event.event_id,
            "kind": "action:" + event.action.name if event.action else "text",
            "outcome": handled.outcome,
            "retries": handled.retries,
            "latency_ms": round(handled.latency_s * 1000, 2),
        }
        if self.llm is not None:
            fields["hints"] = handled.hints
            fields["phrased"] = len(handled.phrased)
        if error:
            fields["error"] = error
        return fields
