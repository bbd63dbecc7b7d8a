"""The decision factors: the public contract shared by the CLI, the chat, Slack and Teams.

Factor ids and value ids are public names (``recommend --answers`` JSON, button
values, message metadata). Never rename one; add new ones instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import InvalidAnswers

UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Factor:
    """One thing the advisor asks about. ``values`` excludes ``unknown``, which every factor accepts."""

    id: str
    values: tuple[str, ...]

    @property
    def allowed(self) -> tuple[str, ...]:
        return (*self.values, UNKNOWN)


FACTORS: tuple[Factor, ...] = (
    Factor("training_data", ("have_pairs", "can_create", "none")),
    Factor("sensitive_data", ("no", "masked", "yes")),
    Factor("latency_critical", ("yes", "no")),
    Factor("context_size", ("fits", "strained", "too_big")),
    Factor("domain_knowledge", ("yes", "no")),
    Factor("task_scope", ("narrow", "broad")),
    Factor("alternatives_tried", ("exhausted", "partly", "no")),
    Factor("model_fine_tunable", ("yes", "no")),
    Factor("hosted_cost_sensitive", ("yes", "no")),
    Factor("compute_available", ("yes", "no")),
    Factor("needs_vendor_guardrails", ("yes", "no")),
    Factor("iteration_capacity", ("yes", "no")),
)

FACTOR_IDS: tuple[str, ...] = tuple(f.id for f in FACTORS)
BY_ID: dict[str, Factor] = {f.id: f for f in FACTORS}

Answers = dict[str, str]
"""A complete answer set: every factor id mapped to one of its allowed values."""


def factor(factor_id: str) -> Factor:
    try:
        return BY_ID[factor_id]
    except KeyError:
        raise InvalidAnswers(
            f"unknown factor {factor_id!r}; allowed factors: {', '.join(FACTOR_IDS)}"
        ) from None


def complete(partial: Mapping[str, str]) -> Answers:
    """Validate ``partial`` and fill every missing factor with ``unknown``.

    Raises :class:`InvalidAnswers` naming the bad factor or value and listing what is allowed.
    """
    for key, value in partial.items():
        f = factor(key)
        if not isinstance(value, str) or value not in f.allowed:
            raise InvalidAnswers(
                f"unknown value {value!r} for factor {key!r}; allowed values: {', '.join(f.allowed)}"
            )
    return {fid: partial.get(fid, UNKNOWN) for fid in FACTOR_IDS}


def known(answers: Mapping[str, str]) -> dict[str, str]:
    """The answers that are not ``unknown``, in factor order."""
    return {fid: answers[fid] for fid in FACTOR_IDS if answers.get(fid, UNKNOWN) != UNKNOWN}
