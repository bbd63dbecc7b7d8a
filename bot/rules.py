"""The verdict rules, and what can be known about a verdict before every answer is in.

The rules read seven *features* derived from the answers: six factors used as they are
(sensitive data, context size, latency, task scope, domain knowledge, alternatives tried) and
one summary of the six prerequisite factors (training data, model fine-tunable, compute,
iteration time, vendor guardrails, hosted price): whether a hard blocker is answered (no data
and no way to make it, or a model that cannot be fine-tuned), how many prerequisites are
answered missing (0, 1, several), and whether any is still unknown.

The feature space is small (4x4x3x3x3x3x12 = 15,552 points), so the rule deciding every point
is tabulated once at import, and questions such as "which verdicts can still happen?" or "what
is the cheapest change that flips this verdict?" become array look-ups instead of searches over
the 1.68 million answer combinations. docs/rules.md is the rule table with its article basis.
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


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the rule table: its public id and the verdict it gives."""

    id: str
    verdict: int


# The rules in the order they are tried (see verdict_of_features). Ids are public (`rule` in
# `recommend --json`): add new ones, never rename.
RULES: Final[tuple[Rule, ...]] = (
    Rule("private_data", AVOID),
    Rule("general_assistant", AVOID),
    Rule("nothing_calls_for_fine_tuning", ALTERNATIVES_FIRST),
    Rule("not_possible_now", AVOID),
    Rule("not_possible_now_try_simpler", ALTERNATIVES_FIRST),
    Rule("several_prerequisites_missing", AVOID),
    Rule("several_prerequisites_missing_try_simpler", ALTERNATIVES_FIRST),
    Rule("alternatives_not_exhausted", ALTERNATIVES_FIRST),
    Rule("nothing_tried_despite_need", ALTERNATIVES_FIRST),
    Rule("prerequisite_missing_nothing_tried", ALTERNATIVES_FIRST),
    Rule("forced_before_alternatives_exhausted", WITH_PREREQUISITES),
    Rule("need_unclear", WITH_PREREQUISITES),
    Rule("prerequisites_open", WITH_PREREQUISITES),
    Rule("fine_tune", FINE_TUNE),
)
RULE_IDS: Final[tuple[str, ...]] = tuple(r.id for r in RULES)
_RULE: Final[dict[str, int]] = {r.id: i for i, r in enumerate(RULES)}
RULE_VERDICT: Final[np.ndarray] = np.array([r.verdict for r in RULES], dtype=np.int8)

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

# Prerequisite factors and the answer that means "missing". Unknown keeps a prerequisite open:
# an unconditional "fine-tune" means every one is confirmed.
PREREQUISITES: Final[dict[str, str]] = {
    "training_data": "none",
    "model_fine_tunable": "no",
    "compute_available": "no",
    "iteration_capacity": "no",
    "needs_vendor_guardrails": "yes",
    "hosted_cost_sensitive": "yes",
}
PREREQUISITE_FACTORS: Final[tuple[str, ...]] = tuple(PREREQUISITES)
# Missing ones that make fine-tuning impossible now, not merely harder.
HARD_BLOCKERS: Final[frozenset[str]] = frozenset({"training_data", "model_fine_tunable"})
# What the project needs to have ("several missing at once" counts these); the other two
# (vendor guardrails, hosted price) are costs and risks to settle, never blockers.
NEEDS: Final[frozenset[str]] = frozenset({"training_data", "model_fine_tunable", "compute_available", "iteration_capacity"})
# Answers that are not missing but still leave work to settle first: data that must yet be
# written (its quality caps the model's, so it is made and reviewed before training).
TO_SETTLE: Final[dict[str, str]] = {"training_data": "can_create"}

# Feature value meanings, for the rules below.
_CLEAR, _PRIV_UNKNOWN, _MASKED, _RAW = range(4)
_FITS, _STRAINED, _TOO_BIG, _CTX_UNKNOWN = range(4)
_NO, _YES, _UNK = range(3)
_NARROW, _BROAD = 0, 1
_EXHAUSTED, _PARTLY, _UNTRIED = range(3)


def prerequisite_state(hard: bool, missing: int, unsettled: bool) -> int:
    """The feature value summarising the six prerequisites: a hard blocker answered, how many
    needs are answered missing (capped at 2), and whether anything is still to settle (a
    prerequisite unknown, a cost or risk answered: vendor guardrails, hosted price, or training
    data that must still be made)."""
    return int(hard) * 6 + min(missing, 2) * 2 + int(unsettled)


PREREQUISITE_STATES: Final = 12


def drive(context: int, latency: int, scope: int, domain: int) -> int:
    """How strongly the answers call for fine-tuning (the article's "when to fine tune"). A
    broad scope never gets here: a general assistant is decided before (rule 2)."""
    score = {_STRAINED: 1, _TOO_BIG: 2}.get(context, 0)
    score += 2 if latency == _YES else 0
    score += 1 if domain == _YES else 0
    score += 1 if scope == _NARROW else 0
    return score


def rule_of_features(privacy: int, context: int, latency: int, scope: int, domain: int,
                     alternatives: int, prerequisites: int) -> int:
    """The rules, in order; the index into RULES of the first that applies. docs/rules.md is
    this function as a table, each row with its basis in the article."""
    hard, missing, unsettled = prerequisites // 6, (prerequisites % 6) // 2, prerequisites % 2
    exhausted = alternatives == _EXHAUSTED
    if privacy == _RAW:
        return _RULE["private_data"]
    if scope == _BROAD:
        return _RULE["general_assistant"]
    need = drive(context, latency, scope, domain)
    forcing = context == _TOO_BIG or latency == _YES
    if need <= 0 and not exhausted:
        return _RULE["nothing_calls_for_fine_tuning"]
    if hard:
        return _RULE["not_possible_now" if exhausted else "not_possible_now_try_simpler"]
    if missing >= 2:
        return _RULE["several_prerequisites_missing" if exhausted else "several_prerequisites_missing_try_simpler"]
    if not exhausted and not forcing:
        return _RULE["alternatives_not_exhausted"]
    if alternatives == _UNTRIED:
        if context != _TOO_BIG:
            return _RULE["nothing_tried_despite_need"]
        if missing:
            return _RULE["prerequisite_missing_nothing_tried"]
    if not exhausted:
        return _RULE["forced_before_alternatives_exhausted"]
    if need <= 0:
        return _RULE["need_unclear"]
    if privacy != _CLEAR or missing or unsettled:
        return _RULE["prerequisites_open"]
    return _RULE["fine_tune"]


FEATURE_SIZES: Final[tuple[int, ...]] = (
    *(max(m.values()) + 1 for m in DIRECT.values()),
    PREREQUISITE_STATES,
)

RULE_TABLE: Final[np.ndarray] = np.empty(FEATURE_SIZES, dtype=np.int8)
for _point in product(*(range(n) for n in FEATURE_SIZES)):
    RULE_TABLE[_point] = rule_of_features(*_point)
RULE_TABLE.setflags(write=False)
TABLE: Final[np.ndarray] = RULE_VERDICT[RULE_TABLE]
TABLE.setflags(write=False)

# --- the prerequisite summary over every combination of the six prerequisite answers ----------

_PREREQ_VALUES: Final[tuple[tuple[str, ...], ...]] = tuple(BY_ID[f].allowed for f in PREREQUISITE_FACTORS)
# Every combination of prerequisite answers, as value indices (972 x 6), and its summary state.
_COMBOS: Final[np.ndarray] = np.array(list(product(*(range(len(v)) for v in _PREREQ_VALUES))), dtype=np.int8)
_UNKNOWN_INDEX: Final[np.ndarray] = np.array([v.index(UNKNOWN) for v in _PREREQ_VALUES], dtype=np.int8)
_BLOCKING_INDEX: Final[np.ndarray] = np.array(
    [_PREREQ_VALUES[i].index(PREREQUISITES[f]) for i, f in enumerate(PREREQUISITE_FACTORS)], dtype=np.int8
)
_HARD_MASK: Final[np.ndarray] = np.array([f in HARD_BLOCKERS for f in PREREQUISITE_FACTORS])
_NEED_MASK: Final[np.ndarray] = np.array([f in NEEDS for f in PREREQUISITE_FACTORS])
# Per factor, the value index that leaves work to settle (-1: none).
_TO_SETTLE_INDEX: Final[np.ndarray] = np.array(
    [_PREREQ_VALUES[i].index(TO_SETTLE[f]) if f in TO_SETTLE else -1 for i, f in enumerate(PREREQUISITE_FACTORS)],
    dtype=np.int8,
)


def _states_of(combos: np.ndarray) -> np.ndarray:
    blocked = combos == _BLOCKING_INDEX
    hard = (blocked & _HARD_MASK).any(axis=1)
    missing = np.minimum((blocked & _NEED_MASK).sum(axis=1), 2)
    unsettled = ((combos == _UNKNOWN_INDEX).any(axis=1) | (blocked & ~_NEED_MASK).any(axis=1)
                 | (combos == _TO_SETTLE_INDEX).any(axis=1))
    return hard.astype(np.int8) * 6 + missing.astype(np.int8) * 2 + unsettled.astype(np.int8)


_COMBO_STATES: Final[np.ndarray] = _states_of(_COMBOS)


def _prerequisite_indices(answers: Mapping[str, str]) -> tuple[int, ...]:
    return tuple(_PREREQ_VALUES[i].index(answers.get(f, UNKNOWN)) for i, f in enumerate(PREREQUISITE_FACTORS))


def prerequisite_feature(answers: Mapping[str, str]) -> int:
    blocked = [f for f, b in PREREQUISITES.items() if answers.get(f, UNKNOWN) == b]
    unsettled = (any(answers.get(f, UNKNOWN) == UNKNOWN for f in PREREQUISITES) or any(f not in NEEDS for f in blocked)
                 or any(answers.get(f, UNKNOWN) == v for f, v in TO_SETTLE.items()))
    return prerequisite_state(any(f in HARD_BLOCKERS for f in blocked), sum(f in NEEDS for f in blocked), unsettled)


def prerequisite_open(answers: Mapping[str, str]) -> bool:
    """Some prerequisite is answered missing or left unknown."""
    return any(answers.get(f, UNKNOWN) in (UNKNOWN, blocking) for f, blocking in PREREQUISITES.items())


def missing_prerequisites(answers: Mapping[str, str]) -> list[str]:
    """The prerequisite factors answered with their missing value, in contract order."""
    return [f for f, b in PREREQUISITES.items() if answers.get(f, UNKNOWN) == b]


def missing_needs(answers: Mapping[str, str]) -> list[str]:
    """The needs (NEEDS) answered missing, in contract order."""
    return [f for f in missing_prerequisites(answers) if f in NEEDS]


def features(answers: Mapping[str, str]) -> tuple[int, ...]:
    """The feature point of a (possibly partial) answer set; missing factors count as unknown."""
    return (*(DIRECT[f][answers.get(f, UNKNOWN)] for f in DIRECT_FACTORS), prerequisite_feature(answers))


def verdict_index(answers: Mapping[str, str]) -> int:
    return int(TABLE[features(answers)])


def decide(answers: Mapping[str, str]) -> str:
    """The verdict for an answer set (missing factors are unknown)."""
    return VERDICTS[verdict_index(answers)]


def decide_rule(answers: Mapping[str, str]) -> str:
    """The id of the rule that decides an answer set (see RULES and docs/rules.md)."""
    return RULES[int(RULE_TABLE[features(answers)])].id


# --- which verdicts can still happen ------------------------------------------------------------

_ALL_VALUES: Final[tuple[tuple[int, ...], ...]] = tuple(tuple(range(n)) for n in FEATURE_SIZES)


@lru_cache(maxsize=8192)
def _reachable_prerequisite_states(current: tuple[int, ...], open_mask: tuple[bool, ...]) -> tuple[int, ...]:
    fixed = ~np.array(open_mask)
    match = (_COMBOS[:, fixed] == np.array(current, dtype=np.int8)[fixed]).all(axis=1)
    return tuple(int(s) for s in np.unique(_COMBO_STATES[match]))


def _feature_choices(answers: Mapping[str, str], open_factors: Iterable[str]) -> tuple[tuple[int, ...], ...]:
    """For each feature, the values it can still take when ``open_factors`` may get any answer."""
    open_set = set(open_factors)
    choices: list[tuple[int, ...]] = []
    for axis, f in enumerate(DIRECT_FACTORS):
        choices.append(_ALL_VALUES[axis] if f in open_set else (DIRECT[f][answers.get(f, UNKNOWN)],))
    open_mask = tuple(f in open_set for f in PREREQUISITE_FACTORS)
    choices.append(_reachable_prerequisite_states(_prerequisite_indices(answers), open_mask))
    return tuple(choices)


@lru_cache(maxsize=32768)
def _reachable(choices: tuple[tuple[int, ...], ...]) -> frozenset[str]:
    sub = TABLE[np.ix_(*choices)]
    return frozenset(VERDICTS[i] for i in np.unique(sub))


def reachable_verdicts(answers: Mapping[str, str], open_factors: Iterable[str]) -> frozenset[str]:
    """Every verdict that some answers to ``open_factors`` (unknown included) could produce.

    Memoised on the feature choices, so a warm call is a few microseconds.
    """
    return _reachable(_feature_choices(answers, open_factors))


# --- what would change the verdict ---------------------------------------------------------------


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


@lru_cache(maxsize=1024)
def _prerequisite_moves(current: tuple[int, ...]) -> tuple[np.ndarray, tuple[dict[str, str] | None, ...]]:
    """For each prerequisite state: the fewest answer changes that reach it from ``current``
    (never by answering "unknown"; inf when unreachable), and one such set of changes (those
    that answer open questions preferred over those that contradict a given answer)."""
    here = np.array(current, dtype=np.int8)
    changed = _COMBOS != here
    to_unknown = changed & (_COMBOS == _UNKNOWN_INDEX)
    cost = np.where(to_unknown.any(axis=1), np.inf, changed.sum(axis=1).astype(float))
    contradicted = (changed & (here != _UNKNOWN_INDEX)).sum(axis=1)
    costs = np.full(PREREQUISITE_STATES, np.inf)
    moves: list[dict[str, str] | None] = [None] * PREREQUISITE_STATES
    for state in range(PREREQUISITE_STATES):
        in_state = np.where(_COMBO_STATES == state, cost, np.inf)
        best = in_state.min()
        if not np.isfinite(best):
            continue
        candidates = np.flatnonzero(in_state == best)
        pick = candidates[np.argmin(contradicted[candidates])]
        costs[state] = best
        moves[state] = {
            f: _PREREQ_VALUES[i][_COMBOS[pick, i]]
            for i, f in enumerate(PREREQUISITE_FACTORS)
            if _COMBOS[pick, i] != here[i]
        }
    costs.setflags(write=False)
    return costs, tuple(moves)


@lru_cache(maxsize=32768)
def _cheapest_points(here: tuple[int, ...], prerequisites: tuple[int, ...]) -> tuple[tuple[int, tuple[tuple[int, ...], ...]], ...]:
    """For each verdict other than the one at ``here``: the cheapest feature points giving it."""
    current = int(TABLE[here])
    total = np.zeros(FEATURE_SIZES)
    for axis, factor_id in enumerate(DIRECT_FACTORS):
        vector = _direct_costs(factor_id, here[axis])
        shape = [1] * len(FEATURE_SIZES)
        shape[axis] = len(vector)
        total = total + vector.reshape(shape)
    prereq_costs, _ = _prerequisite_moves(prerequisites)
    total = total + prereq_costs.reshape((1,) * (len(FEATURE_SIZES) - 1) + (PREREQUISITE_STATES,))
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
    prerequisites = _prerequisite_indices(answers)
    _, moves = _prerequisite_moves(prerequisites)
    flips: list[Flip] = []
    for v, points in _cheapest_points(here, prerequisites):
        candidates = []
        for point in points:
            changes: dict[str, str] = {}
            for axis, factor_id in enumerate(DIRECT_FACTORS):
                if point[axis] != here[axis]:
                    changes[factor_id] = _representative(factor_id, int(point[axis]))
            if point[-1] != here[-1]:
                changes.update(moves[point[-1]] or {})
            contradicted = sum(answers.get(f, UNKNOWN) != UNKNOWN for f in changes)
            candidates.append((contradicted, changes))
        candidates.sort(key=lambda c: c[0])
        flips.extend(Flip(changes, VERDICTS[v]) for _, changes in candidates[:per_verdict])
    return flips
