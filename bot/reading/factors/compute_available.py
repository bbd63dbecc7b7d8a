"""Compute available: the hardware or budget that training needs.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import Rule, literal, rule
from bot.reading.vocabulary import ALONE, YES_NO

_GPU = (
    r"(?:gpus?|a100s?|h100s?|v100s?|tpus?|(?:gpu|compute|training|ml)\s+(?:clusters?|budget"
    r"|capacity|resources|servers?|nodes?|quota|infrastructure|infra|credits|instances?"
    r"|machines?)|compute|cloud\s+credits|hardware|(?:large\s+)?(?:computational|computing|compute)\s+(?:resources|power|capacity))"
)

DESCRIPTION_RULES: tuple[Rule, ...] = (
    rule(r"\bbudget\s+for\s+(?:\w+\s+)?(?:training|fine[\s-]?tuning|gpus?|compute)\b", "yes", "no"),
    literal(
        r"\b(?:fine[\s-]?tun\w*|train\w*)\s+(?:it\s+)?(?:through|via|with|on|using)\s+(?:\w+'?s?\s+)?(?:api|platform|service"
        r"|hosted\s+fine[\s-]?tuning)\b|\b(?:don'?t|do\s+not|won'?t)\s+need\s+(?:our\s+own\s+|any\s+|our\s+)?(?:hardware|gpus?)\b",
        "yes",
    ),
    literal(
        r"\blittle\s+(?:or\s+no\s+)?access\b|\b(?:compute|gpus?|hardware)\s+(?:is|are)\s+(?:\w+\s+)?(?:expensive|scarce|limited"
        r"|hard\s+to\s+get|unavailable|out\s+of\s+reach)\b",
        "no",
    ),
    literal(
        r"\b(?:no|zero)\s+(?:\w+\s+)?(?:budget|money|funding)\b(?!\s+(?:concerns?|issues?|limits?|constraints?|problems?))",
        "no",
    ),
    literal(
        r"\b(?:no|zero|without|lack(?:ing|s)?|not\s+(?:enough|much|any)|(?:don'?t|do\s+not|doesn'?t|does\s+not)\s+have"
        r"(?:\s+any)?)\s+(?:access\s+to\s+)?"
        rf"(?:\w+\s+)?{_GPU}\b",
        "no",
    ),
    rule(
        r"\b(?:have|has|had|got|own|access\s+to|rent(?:ing)?|there\s+(?:are|is)|plenty\s+of"
        r"|lots\s+of|enough)\b(?!\s+to\b)(?:\s+(?:a|an|some|our|own|the|spare|dedicated|in-?house"
        r"|on-?prem|plenty\s+of|lots\s+of|enough|access\s+to|\d+|few|couple\s+of|several|many|idle"
        rf"|available|cloud|big|large|small))*\s+{_GPU}\b",
        "yes",
        "no",
    ),
    rule(rf"\b{_GPU}\s+(?:are|is)\s+(?:available|free|idle)\b", "yes", "no"),
    literal(
        rf"\b(?:can'?t|cannot|can\s+not)\s+afford\s+(?:\w+\s+)?{_GPU}\b"
        r"|\bno\s+budget\s+for\s+(?:\w+\s+)?(?:gpus?|compute|training|hardware)\b",
        "no",
    ),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    literal(r"\b(?:limited|scarce|minimal|barely\s+any|hardly\s+any|not\s+much)\b", "no"),
    rule(r"\b(?:vendor'?s?|hosted|managed|provider'?s?|openai'?s?)\s+(?:\w+\s+)?fine[\s-]?tuning\b", "yes"),
    literal(r"\blaptops?\b|\bnothing\s+(?:beyond|but|except)\b|\b(?:only|just)\s+(?:our\s+)?(?:cpus?|macbooks?)\b", "no"),
    literal(ALONE.format(r"none|nothing|zero|nada"), "no"),
    literal(r"\b(?:can'?t\s+afford|no\s+budget|no\s+access)\b", "no"),
    rule(
        r"\b(?:gpus?|a100s?|h100s?|tpus?|compute|cluster|hardware|cloud|sagemaker|vertex|bedrock"
        r"|azure|aws|gcp|credits|servers?|rent|plenty|enough|access|budget)\b",
        "yes",
        "no",
    ),
)
"""Extra rules for a typed answer to this question: looser words that only mean something once
we know what was asked."""

POLARITY: dict[str, str] = YES_NO
"""What a bare "yes" or "no" means as an answer to this question; a missing key is ambiguous."""

REFINES: frozenset[str] = frozenset()

ALIASES = (
    r"infra|compute[\s_-]available|compute|gpus?|hardware|infrastructure"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
