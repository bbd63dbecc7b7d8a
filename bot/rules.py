"""The verdict rules, and what can be known about a verdict before every answer is in.

The rules read seven *features* derived from the answers: six factors used as they are
(sensitive data, context size, latency, task scope, domain knowledge, alternatives tried) and
one flag, "a prerequisite is open", raised when any of the six prerequisite factors is answered
with its blocking value or left unknown. Because the feature space is small (4x4x3x3x3x3x2 =
2,592 points) the verdict of every point is tabulated once at import, and questions such as
"which verdicts can still happen?" or "what is the cheapest change that flips this verdict?"
become array look-ups instead of searches over the 1.26 million answer combinations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Final

import numpy as np

from bot.factors import BY_ID, UNKNOWN

VERDICTS: Final[tuple[str, ...]] = ("fine_tune", "fine_tune_with_prerequisites", "alternatives_first", "avoid")
FINE_TUNE, WITH_PREREQUISITES, ALTERNATIVES_FIRST, AVOID = range(4)

# The six factors that feed the verdict directly, with the feature value of each answer.
# Answers that the rules treat alike share a feature value (alternatives "no" and "unknown").
DIRECT: Final[dict[str, dict[str, int]]] = {
    "sensitive_data": {"no": 0, UNKNOWN: 1, "masked": 2, "yes": 3},
    "context_size": {"fits": 0, "strained": 1, "too_big": 2, UNKNOWN: 3},
    "latency_critical": {"no": 0, "yes": 1, UNKNOWN: 2},
    "task_scope": {"narrow": 0, "broad": 1, UNKNOWN: 2},
    "domain_knowledge": {"no": 0, "yes": 1, UNKNOWN: 2},
    "alternatives_tried": {"exhausted": 0, "partly": 1, "no": 2, UNKNOWN: 2},
}
DIRECT_FACTORS: Final[tuple[str, ...]] = tuple(DIRECT)

# Prerequisite factors and the answer that blocks an unconditional "fine-tune".
# Unknown also keeps the prerequisite open: "fine-tune" means every one is confirmed.
PREREQUISITES: Final[dict[str, str]] = {
    "training_data": "none",
    "model_fine_tunable": "no",
    "compute_available": "no",
    "iteration_capacity": "no",
    "needs_vendor_guardrails": "yes",
    "hosted_cost_sensitive": "yes",
}

# Feature value meanings, for the rules below.
_CLEAR, _PRIV_UNKNOWN, _MASKED, _RAW = range(4)
_FITS, _STRAINED, _TOO_BIG, _CTX_UNKNOWN = range(4)
_NO, _YES, _UNK = range(3)
_NARROW, _BROAD = 0, 1
_EXHAUSTED, _PARTLY, _UNTRIED = range(3)


def verdict_of_features(privacy: int, context: int, latency: int, scope: int, domain: int,
                        alternatives: int, prerequisite_open: int) -> int:
    """The rules, in order. README "Verdict rules" is this function as a table."""
    if privacy == _RAW:
        return AVOID  # R1: raw private data in the training set
    drive = {_STRAINED: 1, _TOO_BIG: 2}.get(context, 0)
    drive += 2 if latency == _YES else 0
    drive += 1 if domain == _YES else 0
    drive += {_NARROW: 1, _BROAD: -1}.get(scope, 0)
    forcing = context == _TOO_BIG or latency == _YES
    if drive <= 0:
        if scope == _BROAD and context == _FITS and latency == _NO and domain == _NO:
            return AVOID  # R2: a general assistant with nothing calling for fine-tuning
        return ALTERNATIVES_FIRST  # R3: nothing calls for fine-tuning
    if alternatives == _UNTRIED and not forcing:
        return ALTERNATIVES_FIRST  # R4: simpler methods untried and nothing forces fine-tuning
    if alternatives != _EXHAUSTED or privacy != _CLEAR or prerequisite_open:
        return WITH_PREREQUISITES  # R5: worth it, but something must be settled first
    return FINE_TUNE  # R6


FEATURE_SIZES: Final[tuple[int, ...]] = (
    *(max(m.values()) + 1 for m in DIRECT.values()),
    2,
)

TABLE: Final[np.ndarray] = np.empty(FEATURE_SIZES, dtype=np.int8)
for _point in product(*(range(n) for n in FEATURE_SIZES)):
    TABLE[_point] = verdict_of_features(*_point)
TABLE.setflags(write=False)


def prerequisite_open(answers: Mapping[str, str]) -> bool:
    return any(answers.get(f, UNKNOWN) in (UNKNOWN, blocking) for f, blocking in PREREQUISITES.items())


def features(answers: Mapping[str, str]) -> tuple[int, ...]:
    """The feature point of a (possibly partial) answer set; missing factors count as unknown."""
    return (
        *(DIRECT[f][answers.get(f, UNKNOWN)] for f in DIRECT_FACTORS),
        int(prerequisite_open(answers)),
    )


def verdict_index(answers: Mapping[str, str]) -> int:
    return int(TABLE[features(answers)])


def decide(answers: Mapping[str, str]) -> str:
    """The verdict for an answer set (missing factors are unknown)."""
    return VERDICTS[verdict_index(answers)]


_ALL_VALUES: Final[tuple[tuple[int, ...], ...]] = tuple(tuple(range(n)) for n in FEATURE_SIZES)


def _feature_choices(answers: Mapping[str, str], open_factors: Iterable[str]) -> tuple[tuple[int, ...], ...]:
    """For each feature, the values it can still take when ``open_factors`` may get any answer."""
    open_set = set(open_factors)
    choices: list[tuple[int, ...]] = []
    for axis, f in enumerate(DIRECT_FACTORS):
        choices.append(_ALL_VALUES[axis] if f in open_set else (DIRECT[f][answers.get(f, UNKNOWN)],))
    settled_blocking = any(
        f not in open_set and answers.get(f, UNKNOWN) in (UNKNOWN, b) for f, b in PREREQUISITES.items()
    )
    all_settled = not any(f in open_set for f in PREREQUISITES)
    if settled_blocking:
        choices.append((1,))
    elif all_settled:
        choices.append((0,))
    else:
        choices.append((0, 1))
    return tuple(choices)


@lru_cache(maxsize=32768)
def _reachable(choices: tuple[tuple[int, ...], ...]) -> frozenset[str]:
    sub = TABLE[np.ix_(*choices)]
    return frozenset(VERDICTS[i] for i in np.unique(sub))


def reachable_verdicts(answers: Mapping[str, str], open_factors: Iterable[str]) -> frozenset[str]:
    """Every verdict that some answers to ``open_factors`` (unknown included) could produce.

    Memoised on the feature choices (at most 19,200 distinct ones), so a warm call is a few
    microseconds.
    """
    return _reachable(_feature_choices(answers, open_factors))


@dataclass(frozen=True, slots=True)
class Flip:
    """A smallest set of answer changes that turns the current verdict into ``verdict``."""

    answers: dict[str, str]
    verdict: str


def _direct_costs(factor_id: str, here: int) -> np.ndarray:
    """Cost, in changed answers, of moving one direct factor from feature value ``here`` to each
    of its feature values. A value reachable only by answering "unknown" is never suggested.
    """
    mapping = DIRECT[factor_id]
    costs = np.full(max(mapping.values()) + 1, np.inf)
    for value in BY_ID[factor_id].values:
        costs[mapping[value]] = 1.0
    costs[here] = 0.0
    return costs


def _representative(factor_id: str, feature_value: int) -> str:
    """The first real answer (in contract order) that has this feature value."""
    mapping = DIRECT[factor_id]
    return next(v for v in BY_ID[factor_id].values if mapping[v] == feature_value)


def _prerequisite_changes(answers: Mapping[str, str], to_open: bool) -> dict[str, str]:
    if to_open:
        factor_id, blocking = next(
            (f, b) for f, b in PREREQUISITES.items() if answers.get(f, UNKNOWN) not in (UNKNOWN, b)
        )
        return {factor_id: blocking}
    return {
        f: next(v for v in BY_ID[f].values if v != b)
        for f, b in PREREQUISITES.items()
        if answers.get(f, UNKNOWN) in (UNKNOWN, b)
    }


@lru_cache(maxsize=32768)
def _cheapest_points(here: tuple[int, ...], prereqs_to_close: int) -> tuple[tuple[int, tuple[tuple[int, ...], ...]], ...]:
    """For each verdict other than the one at ``here``: the cheapest feature points giving it."""
    current = int(TABLE[here])
    prereq_cost = np.array([0.0, 1.0]) if not here[-1] else np.array([float(prereqs_to_close), 0.0])
    total = np.zeros(FEATURE_SIZES)
    for axis, factor_id in enumerate(DIRECT_FACTORS):
        vector = _direct_costs(factor_id, here[axis])
        shape = [1] * len(FEATURE_SIZES)
        shape[axis] = len(vector)
        total = total + vector.reshape(shape)
    total = total + prereq_cost.reshape((1,) * (len(FEATURE_SIZES) - 1) + (2,))
    result = []
    for v in range(len(VERDICTS)):
        if v == current:
            continue
        costs = np.where(TABLE == v, total, np.inf)
        best = costs.min()
        if np.isfinite(best):
            points = tuple(tuple(int(x) for x in p) for p in np.argwhere(costs == best)[:32])
            result.append((v, points))
    return tuple(result)


def what_would_change(answers: Mapping[str, str], per_verdict: int = 2) -> list[Flip]:
    """For each other verdict, the cheapest answer changes that would produce it.

    Cost is the number of answers changed. Among equally cheap ways, those that answer open
    (unknown) questions come before those that contradict an answer already given.
    """
    here = features(answers)
    to_close = len(_prerequisite_changes(answers, to_open=False)) if here[-1] else 0
    flips: list[Flip] = []
    for v, points in _cheapest_points(here, to_close):
        candidates = []
        for point in points:
            changes: dict[str, str] = {}
            for axis, factor_id in enumerate(DIRECT_FACTORS):
                if point[axis] != here[axis]:
                    changes[factor_id] = _representative(factor_id, int(point[axis]))
            if point[-1] != here[-1]:
                changes.update(_prerequisite_changes(answers, to_open=bool(point[-1])))
            contradicted = sum(answers.get(f, UNKNOWN) != UNKNOWN for f in changes)
            candidates.append((contradicted, changes))
        candidates.sort(key=lambda c: c[0])
        flips.extend(Flip(changes, VERDICTS[v]) for _, changes in candidates[:per_verdict])
    return flips
