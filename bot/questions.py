"""Which question to ask next, and when to stop asking.

The policy opens with :data:`FIRST` (private data, the article's first reason not to
fine-tune, and the one answer a team must check before anything else), then asks the question
whose answer is expected to leave the fewest verdicts still possible, and stops as soon as no
answer to the questions not yet asked could change the verdict. Ties go to the factor met
first in :data:`PRIORITY`, which follows the article's order of concerns (deal-breakers first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Final

from bot.factors import BY_ID, FACTOR_IDS, UNKNOWN
from bot.rules import reachable_verdicts

PRIORITY: Final[tuple[str, ...]] = (
    "sensitive_data",
    "alternatives_tried",
    "context_size",
    "latency_critical",
    "task_scope",
    "domain_knowledge",
    "training_data",
    "model_fine_tunable",
    "compute_available",
    "iteration_capacity",
    "needs_vendor_guardrails",
    "hosted_cost_sensitive",
)
assert sorted(PRIORITY) == sorted(FACTOR_IDS)
FIRST: Final = PRIORITY[0]


def next_question(answers: Mapping[str, str], asked: Iterable[str]) -> str | None:
    """The factor to ask about next, or None when the verdict can no longer change.

    ``answers`` holds what is known (``unknown`` for skipped questions); ``asked`` lists the
    factors already settled (answered, skipped, or understood from a description).
    """
    settled = frozenset(asked)
    known = tuple(sorted((f, answers.get(f, UNKNOWN)) for f in settled))
    return _next(known)


@lru_cache(maxsize=65536)
def _next(settled: tuple[tuple[str, str], ...]) -> str | None:
    answers = dict(settled)
    remaining = [f for f in PRIORITY if f not in answers]
    if len(reachable_verdicts(answers, remaining)) <= 1:
        return None
    if FIRST in remaining:
        return FIRST
    best: tuple[float, int] | None = None
    choice: str | None = None
    for rank, factor_id in enumerate(remaining):
        others = [f for f in remaining if f != factor_id]
        values = BY_ID[factor_id].values
        expected = sum(len(reachable_verdicts({**answers, factor_id: v}, others)) for v in values) / len(values)
        key = (expected, rank)
        if best is None or key < best:
            best, choice = key, factor_id
    return choice


def decision_tree_ends() -> list[dict[str, str]]:
    """Every set of answers at which the policy stops asking, over all the ways its questions
    can be answered with their options ("Not sure" included), in depth-first order. Walking it
    also fills the policy's memo for every question it can reach."""
    ends: list[dict[str, str]] = []

    def walk(answers: dict[str, str], asked: tuple[str, ...]) -> None:
        factor_id = next_question(answers, asked)
        if factor_id is None:
            ends.append(answers)
            return
        for value in BY_ID[factor_id].allowed:
            walk({**answers, factor_id: value}, (*asked, factor_id))

    walk({}, ())
    return ends


def questions_needed(answers: Mapping[str, str]) -> int:
    """How many questions the policy asks a user whose true answers are ``answers``."""
    asked: list[str] = []
    while (factor_id := next_question(answers, asked)) is not None:
        asked.append(factor_id)
    return len(asked)
