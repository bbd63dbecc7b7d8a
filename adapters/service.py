"""One turn for any adapter: the store, the pure core, and errors turned into replies.

Adapters build an :class:`~bot.events.InboundEvent`, call :meth:`TurnService.handle`, and
render the replies. A store failure becomes the polite "try again" reply; nothing escapes.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from adapters import metrics
from bot.conversation import Advisor
from bot.errors import AdvisorError, StoreError
from bot.events import InboundEvent
from bot.replies import Card, Reply, Text
from store import ConversationStore, run_turn

log = logging.getLogger("finetune_advisor.turn")


@dataclass(frozen=True, slots=True)
class Handled:
    """What a turn produced. ``outcome`` is one of ``ok``, ``duplicate``, ``store_error``, ``error``."""

    replies: list[Reply] = field(default_factory=list)
    outcome: str = "ok"
    retries: int = 0
    latency_s: float = 0.0


class TurnService:
    def __init__(self, advisor: Advisor, store: ConversationStore) -> None:
        self.advisor = advisor
        self.store = store

    async def handle(self, event: InboundEvent) -> Handled:
        started = time.perf_counter()
        try:
            result = await run_turn(self.store, event, self.advisor.step_data)
        except StoreError as exc:
            handled = Handled([Text(exc.user_message)], "store_error", 0, time.perf_counter() - started)
            log.warning("turn failed: store unavailable", extra=self._fields(event, handled, str(exc)))
        except AdvisorError as exc:
            handled = Handled([Text(exc.user_message)], "error", 0, time.perf_counter() - started)
            log.error("turn failed", extra=self._fields(event, handled, type(exc).__name__))
        else:
            outcome = "duplicate" if result.duplicate else "ok"
            handled = Handled(list(result.replies), outcome, result.retries, time.perf_counter() - started)
            log.info("turn", extra=self._fields(event, handled))
        self._count(event.key.platform, handled)
        return handled

    @staticmethod
    def _count(platform: str, handled: Handled) -> None:
        metrics.TURNS.labels(platform, handled.outcome).inc()
        metrics.TURN_LATENCY.labels(platform).observe(handled.latency_s)
        if handled.retries:
            metrics.CAS_RETRIES.labels(platform).inc(handled.retries)
        if handled.outcome == "duplicate":
            metrics.DUPLICATES.labels(platform).inc()
        elif handled.outcome == "store_error":
            metrics.STORE_ERRORS.labels(platform).inc()
        for reply in handled.replies:
            if isinstance(reply, Card):
                metrics.RECOMMENDATIONS.labels(reply.recommendation.verdict).inc()
                metrics.QUESTIONS_PER_ASSESSMENT.observe(reply.questions_asked)

    @staticmethod
    def _fields(event: InboundEvent, handled: Handled, error: str = "") -> dict[str, object]:
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
        if error:
            fields["error"] = error
        return fields
