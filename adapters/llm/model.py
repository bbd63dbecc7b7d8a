"""The facade the service calls: one time budget per turn, metrics, one log line per fallback.

Every call is bounded by what is left of the turn's budget (``LLM_TIMEOUT_S`` for all model
calls of a turn together) and any failure returns the rule-based result unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from adapters import metrics
from bot.events import Hint
from bot.replies import Reply, Text

from . import phrasing, understanding
from .client import BUDGET, LlmFailure, classify
from .config import LlmConfig

log = logging.getLogger("finetune_advisor.llm")

T = TypeVar("T")

UNDERSTANDING, PHRASING = "understanding", "phrasing"
#: Below this many seconds left in the turn's budget, no call is started.
MIN_CALL_S = 0.05


class Budget:
    """What is left of one turn's time for model calls."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.deadline - time.monotonic()


class LanguageModel:
    def __init__(self, config: LlmConfig, chat_model: Any, kb: Any) -> None:
        self.config = config
        self.chat_model = chat_model
        self.kb = kb
        self._understanding = understanding.runnable(chat_model, config.structured_method)
        self._phrasing = phrasing.runnable(chat_model, config.structured_method)

    def budget(self) -> Budget:
        return Budget(self.config.timeout_s)

    async def aclose(self) -> None:
        """Close the provider's HTTP client, where the chat model exposes one (at shutdown)."""
        client = getattr(self.chat_model, "root_async_client", None)
        close = getattr(client, "close", None)
        if close is not None:
            try:
                await close()
            except Exception:  # noqa: BLE001 - best effort at shutdown
                log.debug("closing the model client failed", exc_info=True)

    async def understand(self, text: str, pending: str | None, budget: Budget, context: Mapping[str, object]) -> tuple[Hint, ...]:
        """Readings of ``text`` (an opening description when ``pending`` is None, else an answer
        to that factor's question); () on any failure."""
        hints = await self._call(
            UNDERSTANDING, budget, context,
            lambda: self._understanding.ainvoke(understanding.messages(text, pending)),
            understanding.hints_from,
        )
        return hints or ()

    async def phrase(
        self, replies: Sequence[Reply], *, question: str | None, answers: Mapping[str, str],
        budget: Budget, context: Mapping[str, object],
    ) -> tuple[list[Reply], tuple[int, ...]]:
        """The replies with every knowledge-base Text (one with citations) rephrased where the
        model gave a grounded answer, and the indexes of those that were. Nothing else is sent
        or changed: off-topic declines (no citations), questions and cards stay as they are."""
        targets = [i for i, r in enumerate(replies) if isinstance(r, Text) and r.citations]
        if not targets:
            return list(replies), ()

        async def one(draft: Text) -> Text | None:
            entries = [self.kb.get(c.id) for c in draft.citations]
            return await self._call(
                PHRASING, budget, context,
                lambda: self._phrasing.ainvoke(phrasing.messages(draft, question, answers, entries)),
                lambda result: phrasing.grounded(
                    result, draft, [question or "", *(f"{e.summary} {e.body}" for e in entries)]
                ),
            )

        phrased = await asyncio.gather(*(one(replies[i]) for i in targets))  # type: ignore[arg-type]
        out = list(replies)
        done = []
        for i, text in zip(targets, phrased):
            if text is not None:
                out[i] = text
                done.append(i)
        return out, tuple(done)

    async def _call(
        self, purpose: str, budget: Budget, context: Mapping[str, object],
        call: Callable[[], Awaitable[Any]], accept: Callable[[Any], T],
    ) -> T | None:
        started = time.perf_counter()
        called = False
        try:
            left = budget.remaining()
            if left < MIN_CALL_S:
                raise LlmFailure(BUDGET)
            metrics.LLM_CALLS.labels(purpose).inc()
            called = True
            async with asyncio.timeout(left):
                result = await call()
            accepted = accept(result)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure falls back to the rules
            failure = classify(exc)
            metrics.LLM_FALLBACKS.labels(purpose, failure.reason).inc()
            log.warning("llm fallback", extra={
                **context, "purpose": purpose, "reason": failure.reason, "status": failure.status,
                "error": failure.detail or type(exc).__name__, "latency_ms": round((time.perf_counter() - started) * 1000, 2),
            })
            return None
        finally:
            if called:
                metrics.LLM_LATENCY.labels(purpose).observe(time.perf_counter() - started)
        return accepted
