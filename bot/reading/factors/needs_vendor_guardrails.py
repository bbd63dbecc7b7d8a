"""Vendor guardrails: whether the use case relies on the vendor's safety guardrails.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import Rule, literal, rule
from bot.reading.vocabulary import YES_NO

_GUARD = (
    r"(?:guardrails?|safety\s+(?:filters?|features?|layers?|systems?|guardrails?|policies"
    r"|settings|classifiers?|measures|tuning)|content\s+(?:filters?|filtering|moderation"
    r"|policies|safety)|moderation(?:\s+(?:api|endpoint|layer|filters?))?|safety)"
)

DESCRIPTION_RULES: tuple[Rule, ...] = (
    literal(
        r"\bhumans?\s+(?:\w+\s+)?(?:review|reviews|check|checks|approve|approves)\s+(?:every|each|all)\b"
        r"|\b(?:every|each|all)\s+(?:\w+\s+)?(?:outputs?|answers?|responses?)\s+(?:is|are|gets?)\s+(?:\w+\s+)?reviewed\s+by\s+"
        r"(?:a\s+)?(?:humans?|people|staff|an?\s+\w+)|\bhuman[\s-]in[\s-]the[\s-]loop\b",
        "no",
    ),
    literal(
        rf"\b{_GUARD}\s+(?:\w+\s+)?(?:isn'?t|is\s+not|aren'?t|are\s+not|not)\s+(?:\w+\s+)?(?:needed|required|necessary"
        r"|important|a\s+concern|relevant|an\s+issue)\b"
        rf"|\b{_GUARD}\s+(?:\w+\s+)?(?:don'?t|doesn'?t|do\s+not|does\s+not)\s+(?:really\s+)?matter\b",
        "no",
    ),
    rule(
        rf"\b(?:our\s+own|own|in-?house|custom|self-built|homegrown|separate)\s+(?:\w+\s+)?{_GUARD}",
        "no",
    ),
    rule(
        r"\b(?:rely|relies|relying|depend|depends|depending|count|counting|lean|leaning|rest)\s+"
        rf"(?:heavily\s+|entirely\s+|mostly\s+|fully\s+)?on\s+(?:<W>\s+){{0,3}}?{_GUARD}",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:vendor|provider|openai|azure|anthropic|google|aws|bedrock|platform|built[\s-]in"
        rf"|native|api)(?:'s)?\s+(?:\w+\s+)?{_GUARD}",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:need|needs|require|requires|must\s+have|must\s+keep|important|critical|essential"
        r"|mandatory|required)\s+(?:\w+\s+){0,2}?(?:guardrails?|moderation|safety\s+filters?"
        r"|content\s+filter\w*|content\s+moderation)",
        "yes",
        "no",
    ),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    rule(r"\b(?:own|in-?house|custom|ourselves|homegrown)\b", "no"),
    rule(
        r"\b(?:guardrails?|safety|moderation|filters?|filtering|important|critical|essential|must"
        r"|need\w*|rely|relies|depend\w*|required|mandatory|vendor)\b",
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
    r"needs[\s_-]vendor[\s_-]guardrails|vendor\s+guardrails|guardrails?|safety|moderation"
    r"|content\s+filters?"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
