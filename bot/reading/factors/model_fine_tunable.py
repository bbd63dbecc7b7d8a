"""Model fine-tunable: whether the model can be fine-tuned at all.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import Rule, literal, rule
from bot.reading.vocabulary import YES_NO


DESCRIPTION_RULES: tuple[Rule, ...] = (
    rule(r"\b(?:we\s+)?(?:can|could)\s+fine[\s-]?tune\s+(?:it|the\s+model|this\s+model|that\s+model|them)\b", "yes", "no"),
    literal(
        r"\bno\s+fine[\s-]?tuning\s*(?:there|for\s+(?:it|that|this|them)|on\s+(?:it|that|this|\w+))?\s*(?:[.,;!]|$)",
        "no",
    ),
    literal(
        r"\b(?:without|no|lacks?|lacking)\s+(?:any\s+)?fine[\s-]?tuning\s+(?:support|options?|capabilit\w+|api|access)\b"
        r"|\bfine[\s-]?tuning\s+(?:\w+\s+){0,4}?(?:is\s+)?coming\s+(?:later|soon|next)",
        "no",
    ),
    literal(
        r"\b(?:can'?t|cannot|can\s+not|couldn'?t|could\s+not|won'?t|wouldn'?t|would\s+not)\s+be\s+"
        r"(?:fine[\s-]?tuned|tuned"
        r"|customi[sz]ed)\b"
        r"|\b(?:isn'?t|is\s+not|not|aren'?t|are\s+not)\s+(?:\w+\s+)?(?:fine[\s-]?tun(?:e)?able"
        r"|tunable)\b"
        r"|\b(?:doesn'?t|does\s+not|don'?t|do\s+not|no)\s+(?:support|allow|offer|permit|provide"
        r"|expose)\s+(?:\w+\s+)?fine[\s-]?tuning\b"
        r"|\bno\s+fine[\s-]?tuning\s+(?:support|available|option|api|access|endpoint)\b"
        r"|\bfine[\s-]?tuning\s+(?:is\s*n'?t|is\s+not|not)\s+(?:\w+\s+)?(?:available|supported"
        r"|allowed|possible|an\s+option|offered)\b"
        r"|\bfine[\s-]?tuning\s+(?:is\s+)?(?:unavailable|unsupported|impossible)\b"
        r"|\b(?:can'?t|cannot|can\s+not|unable\s+to|not\s+able\s+to)\s+(?:be\s+)?fine[\s-]?tune\b"
        r"|\b(?:no|without\s+(?:the\s+|an\s+|any\s+)?|(?:doesn'?t|does\s+not|don'?t|do\s+not)\s+(?:have|offer|give|get)\s+"
        r"(?:us\s+)?(?:the\s+|an\s+|any\s+)?)options?\s+(?:to|for)\s+fine[\s-]?tun\w*",
        "no",
    ),
    rule(
        r"\b(?:fine[\s-]?tun(?:e)?able|supports?\s+fine[\s-]?tuning"
        r"|(?:can|could|would|will)\s+be\s+(?:fine[\s-]?)?tuned"
        r"|allows?\s+fine[\s-]?tuning|fine[\s-]?tuning\s+(?:is\s+)?(?:available|supported|allowed"
        r"|possible|offered))\b",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:use|using|run|running|deploy\w*|host\w*|self-host\w*|on)\s+(?:an?\s+|our\s+own\s+)?"
        r"(?:open[\s-]weights?\s+(?:model|llm)s?|open[\s-]source\s+(?:model|llm)s?|llama[\w.-]*"
        r"|mistral|mixtral|qwen[\w.-]*|gemma[\w.-]*)\b",
        "yes",
    ),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    rule(r"\bopen(?:[\s-]weights?)?\s+model\b|\bopen[\s-]weights?\b", "yes", "no"),
    literal(
        r"\bnot\s+(?:for|with|on)\s+(?:the\s+|this\s+|our\s+)?(?:newest|latest|new|current|best|state[\s-]of[\s-]the[\s-]art)\b",
        "no",
    ),
    literal(
        r"\b(?:closed|locked|api[\s-]only|no\s+access|not\s+possible|can'?t|cannot"
        r"|(?:not|isn'?t|n't)\s+(?:yet\s+)?(?:available|supported|offered|possible)|coming\s+(?:later|soon|next\s+\w+))\b",
        "no",
    ),
    rule(
        r"\b(?:fine[\s-]?tun\w*|tunable|supported|supports?|allowed|allows?|possible|available"
        r"|open[\s-]?(?:source|weights?)|can(?!')|self[\s-]hosted)\b",
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
    r"model[\s_-]fine[\s_-]tunable|fine[\s-]?tunable|tunable|fine[\s-]?tuning\s+support|model"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
