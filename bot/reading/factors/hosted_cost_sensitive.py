"""Hosted cost: whether a higher price per hosted prediction matters.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import Rule, literal, rule
from bot.reading.vocabulary import YES_NO

_COST_FILLER = (
    r"(?:would|will|could|might|can|is|are|'s|'re|seems?|gets?|getting|being|remains?|stays?|feels?|was|were|will\s+be"
    r"|would\s+be|could\s+be|doesn'?t|does\s+not|don'?t|do\s+not|isn'?t|aren'?t|not|really"
    r"|very|quite|a|an|already|too|big|major|real|huge|super|definitely|also|pretty|rather)"
)
_COST_ADJ = (
    r"(?:tight|limited|constrained|concern|issue|problem|constraint|worry|factor|matters?"
    r"|important|critical|high|expensive|adds\s+up|significant|sensitive|deal|key|priority"
    r"|prohibitive|hurt|hurts|painful|kill|kills)"
)

DESCRIPTION_RULES: tuple[Rule, ...] = (
    literal(
        r"\blow[\s-](?:volume|traffic|usage)\b|\b(?:a\s+few|a\s+handful\s+of|a\s+couple\s+of)\s+(?:hundred\s+)?(?:calls|requests"
        r"|queries|predictions)\s+(?:a|per)\s+(?:day|week|month)\b",
        "no",
    ),
    rule(
        r"\b(?:millions|billions)\s+of\s+(?:calls|requests|predictions|queries|tokens)\b|\bhigh[\s-](?:volume|traffic)\b",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:pay|paying|billed|charged)\s+per\s+(?:token|call|request|prediction|query)\b[^.;!?]{0,40}?\b(?:volume|traffic|usage)"
        r"\s+(?:is\s+)?(?:huge|high|large|massive|big|growing)\b",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:costing|cost|costs|priced?|pricier)\s+more\s+(?:\w+\s+){0,3}?(?:problem|issue|hurt|hurts|matter|matters|concern"
        r"|deal[\s-]?breaker)\b",
        "yes",
        "no",
    ),
    literal(
        r"\b(?:(?:don'?t|do\s+not)\s+mind\s+(?:paying|the\s+(?:cost|price))|happy\s+to\s+pay|(?:cost|price|pricing)\s+is\s+"
        r"(?:no\s+object|not\s+an?\s+(?:issue|concern|problem)))\b",
        "no",
    ),
    literal(
        r"\b(?:budget|money|cost|costs|price|pricing)\s+(?:is|are|'s)\s+(?:no\s+object"
        r"|plentiful|generous|unlimited|flexible|irrelevant|secondary|not\s+a\s+big\s+deal)\b"
        r"|\b(?:plenty|lots)\s+of\s+budget\b|\bdeep\s+pockets\b"
        r"|\b(?:don'?t|do\s+not)\s+care\s+(?:much\s+)?about\s+(?:the\s+)?(?:cost|price|pricing"
        r"|budget|money|spend)\b",
        "no",
    ),
    rule(
        r"\b(?:(?:costs?|prices?)\s+per\s+(?:call|request|query|prediction|token|1k\s+tokens|answer|message)"
        r"|budgets?|costs?|pricing|prices?|money|funds|cash|spend(?:ing)?|bills?|expenses?|api\s+(?:costs?|bills?"
        r"|fees)|token\s+(?:costs?|bills?|spend)|per[\s-](?:call|token|request|query|prediction)\s+"
        rf"(?:pricing|costs?|fees?|charges?|prices?))(?:\s+{_COST_FILLER})*\s+{_COST_ADJ}\b",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:cost|price|budget)[\s-](?:sensitive|conscious|constrained|critical|driven)\b"
        r"|\b(?:tight|limited|small|shoestring|constrained)\s+budget\b",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:api|hosted|per[\s-](?:call|token|request|prediction)|calls?|tokens?|inference"
        r"|gpt[\w.-]*|openai|usage)\b[^.;!?]{0,30}?\b(?:expensive|costly|pricey|adds\s+up)\b"
        r"|\b(?:expensive|costly|pricey)\b[^.;!?]{0,20}?\b(?:api|calls|tokens|inference"
        r"|at\s+(?:our\s+)?(?:volume|scale))\b",
        "yes",
        "no",
    ),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    literal(
        r"\b(?:not\s+(?:a\s+|an\s+|really\s+a\s+)?(?:concern|issue|problem|worry|big\s+deal|factor)"
        r"|don'?t\s+care|do\s+not\s+care|no\s+(?:problem|issue|object))\b",
        "no",
    ),
    rule(
        r"\b(?:fine|ok|okay|acceptable|affordable|plenty|unlimited|generous|cheap\s+enough|negligible"
        r"|irrelevant)\b",
        "no",
    ),
    rule(
        r"\b(?:expensive|costly|pricey|tight|limited|concern\w*|matters?|important|critical|sensitive"
        r"|worr\w*|cheap\w*|save\s+money|savings?|issue|problem|constraint|significant|high"
        r"|adds\s+up)\b",
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
    r"hosting|volume|hosted[\s_-]cost[\s_-]sensitive|hosted\s+costs?|costs?|prices?|pricing|budget|money"
    r"|per[\s-](?:call|prediction)"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
