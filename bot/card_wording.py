"""The card's own wording (``bot/data/card.toml``), loaded once and checked at load.

Plain words shared by every platform: the labels of the card's parts, and one noun phrase per
(factor, answer) so "what would change it" reads as a sentence ("With no personal data in the
training set, this would be: fine-tune.") instead of a chain of ``factor = "value"`` pairs.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from bot.factors import FACTORS, UNKNOWN

LABEL_KEYS = (
    "key_reasons", "decided", "would_change", "next_steps", "sources", "confidence", "details", "details_of",
    "all_reasons_for", "all_reasons_against", "all_changes", "all_steps", "all_sources", "your_answers",
    "left_open", "no_reasons", "first_settle", "nothing_changes", "more_in_details", "details_hint_terminal", "source_item", "source_item_short",
    "would_change_line", "conditions_joiner", "unknown_condition",
    "change_menu_intro", "change_menu_hint", "change_menu_entry",
)


class CardWordingError(ValueError):
    """``card.toml`` is missing a label or a condition phrase, or has one too many."""


@dataclass(frozen=True, slots=True)
class CardWording:
    labels: Mapping[str, str]
    conditions: Mapping[str, Mapping[str, str]]

    def condition(self, factor_id: str, value: str, short_name: str) -> str:
        """The noun phrase for ``factor_id`` answered ``value`` ("no personal data in the training set")."""
        if value == UNKNOWN:
            return self.labels["unknown_condition"].format(name=short_name)
        return self.conditions[factor_id][value]


def parse(data: Mapping[str, Any]) -> CardWording:
    labels = data.get("labels")
    if not isinstance(labels, dict):
        raise CardWordingError("card.toml needs a [labels] table")
    missing = [k for k in LABEL_KEYS if not isinstance(labels.get(k), str) or not labels[k].strip()]
    extra = sorted(set(labels) - set(LABEL_KEYS))
    if missing or extra:
        raise CardWordingError(f"card.toml labels: missing {missing}, unknown {extra}")
    conditions = data.get("conditions")
    if not isinstance(conditions, dict):
        raise CardWordingError("card.toml needs [conditions.<factor>] tables")
    for factor in FACTORS:
        phrases = conditions.get(factor.id)
        if not isinstance(phrases, dict) or set(phrases) != set(factor.values):
            raise CardWordingError(f"card.toml conditions.{factor.id} must phrase exactly {list(factor.values)}")
        if not all(isinstance(p, str) and p.strip() and "<" not in p and ">" not in p for p in phrases.values()):
            raise CardWordingError(f"card.toml conditions.{factor.id}: every phrase is non-empty plain text")
    unknown_factors = sorted(set(conditions) - {f.id for f in FACTORS})
    if unknown_factors:
        raise CardWordingError(f"card.toml conditions for unknown factors {unknown_factors}")
    return CardWording(dict(labels), {k: dict(v) for k, v in conditions.items()})


@cache
def card_wording() -> CardWording:
    raw = files("bot").joinpath("data/card.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(raw))
