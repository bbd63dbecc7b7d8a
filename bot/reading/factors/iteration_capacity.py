"""Time to iterate: whether the team can run many rounds of training and evaluation.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import Rule, literal, rule
from bot.reading.vocabulary import YES_NO


DESCRIPTION_RULES: tuple[Rule, ...] = (
    literal(
        r"\bonly\s+(?:spend|have|got|afford)\s+(?:about\s+)?(?:a|one|two|a\s+couple\s+of|a\s+few)\s+(?:weeks?|days?|sprints?)\b",
        "no",
    ),
    literal(
        r"\btight\s+(?:deadline|timeline|schedule)\b|\b(?:deadline|timeline|schedule)\s+is\s+(?:very\s+|really\s+)?tight\b"
        r"|\btime\s+pressure\b|\b(?:small|tiny)\s+startup\b|\bskeleton\s+crew\b"
        r"|\bno\s+dedicated\s+(?:ml|ai|data|machine\s+learning)\b",
        "no",
    ),
    rule(
        r"\b(?:have|got)\s+(?:plenty\s+of\s+|lots\s+of\s+|enough\s+|the\s+)?time\b(?!\s+(?:pressure|constraints?|limits?))",
        "yes",
        "no",
    ),
    literal(r"\bshort\s+on\s+(?:\w+\s+)?(?:time|bandwidth|capacity|people|engineers|staff|headcount)\b", "no"),
    rule(
        r"\b(?:afford|room\s+for|time\s+for|budget\s+for)\s+(?:lots\s+of\s+|a\s+lot\s+of\s+|plenty\s+of\s+|some\s+)?"
        r"(?:trial\s+and\s+error|iteration|experimentation|experiments)\b",
        "yes",
        "no",
    ),
    literal(
        r"\bteam\s+(?:is|of)\s+(?:just\s+|only\s+)?(?:one|two|three|1|2|3)\s+(?:people|persons|engineers|devs|developers)?\b"
        r"|\b(?:one|two|three|2|3)[\s-](?:person|people|man)\s+team\b",
        "no",
    ),
    rule(
        r"\b(?:ml|machine\s+learning|data\s+science|ai|mlops)\s+team\s+(?:has|have)\s+(?:\w+\s+)?(?:done|shipped|run|built"
        r"|experience|fine[\s-]?tuned)",
        "yes",
        "no",
    ),
    literal(
        r"\bonly\s+(?:do\s+|afford\s+|manage\s+|run\s+|have\s+time\s+for\s+)?(?:one|two|a\s+couple\s+of|one\s+or\s+two|a\s+single"
        r"|1|2)\s+(?:or\s+two\s+)?(?:\w+\s+)?(?:rounds|round|iterations?|tries|attempts?|runs?|shots?)\b",
        "no",
    ),
    literal(
        r"\b(?:can'?t|cannot|unable\s+to|not\s+able\s+to|won'?t\s+be\s+able\s+to)\s+(?:spend|invest|afford|put\s+in|dedicate)\s+"
        r"(?:\w+\s+){0,4}?(?:on\s+|to\s+|for\s+)?(?:iterat\w*|experiment\w*|training\s+rounds|retrain\w*|evaluat\w*)",
        "no",
    ),
    literal(
        r"\b(?:ship|launch|deliver|release|go\s+live|live|deadline|due)\w*\s+(?:\w+\s+){0,3}?(?:next\s+week|tomorrow|asap"
        r"|this\s+(?:week|month|sprint)|in\s+(?:a|one|two|three|\d+)\s+(?:days?|weeks?))\b"
        r"|\b(?:nobody|no\s+one)\s+(?:\w+\s+){0,4}?(?:has|have)\s+(?:the\s+)?(?:time|bandwidth|capacity)\b"
        r"|\b(?:one[\s-](?:person|man|woman)|solo|side\s+project|just\s+me|only\s+me|by\s+myself)\b",
        "no",
    ),
    literal(
        r"\b(?:no|little|limited|not\s+(?:much|enough|a\s+lot\s+of)|zero|lack(?:ing)?(?:\s+of)?"
        r"|without\s+(?:the\s+)?|short\s+on)\s+(?:\w+\s+)?(?:time|bandwidth|capacity|headcount"
        r"|people|engineers|resources|ml\s+(?:expertise|engineers|skills|experience)|expertise"
        r"|staff)\s+(?:to|for)\s+(?:\w+\s+){0,2}?(?:iterate|train\w*|rounds|cycles|experiments|iterating|iterations?|experiment\w*"
        r"|maintain\w*|retrain\w*|evaluat\w*|evals?|tun\w*|fine[\s-]?tun\w*|label\w*|curat\w*"
        r"|improv\w*|monitor\w*)",
        "no",
    ),
    literal(
        r"\b(?:can'?t|cannot|unable\s+to|won'?t\s+be\s+able\s+to|not\s+able\s+to"
        r"|don'?t\s+have\s+(?:the\s+)?(?:time|bandwidth|capacity)\s+to)\s+(?:\w+\s+)?"
        r"(?:iterate|experiment|maintain|retrain|keep\s+retraining|run\s+evals)\b",
        "no",
    ),
    literal(
        r"\b(?:no|zero|without\s+an?)\s+(?:ml|machine\s+learning|data\s+science|ai)\s+(?:team"
        r"|engineers?|expertise|experience|skills|people)\b"
        r"|\bteam\s+(?:is|are)\s+(?:\w+\s+){0,3}?(?:stretched|swamped|overloaded|at\s+capacity"
        r"|maxed\s+out|underwater)\b",
        "no",
    ),
    rule(
        r"\b(?:have|has|got|plenty\s+of|enough|lots\s+of|dedicated|spare)\s+(?:\w+\s+){0,2}?"
        r"(?:time|bandwidth|capacity|ml\s+engineers|ml\s+team|data\s+scientists|engineers|people"
        r"|headcount|resources)\s+(?:to|for)\s+(?:\w+\s+)?(?:iterate|iterating|iterations?"
        r"|experiment\w*|maintain\w*|retrain\w*|evaluat\w*|evals?)",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:dedicated|experienced|strong|in-?house)\s+(?:ml|machine\s+learning|data\s+science|ai"
        r"|mlops)\s+(?:team|engineers?|people|staff|expertise)\b",
        "yes",
        "no",
    ),
    rule(r"\b(?:can|able\s+to|happy\s+to)\s+(?:\w+\s+)?(?:iterat\w*|experiment\w*)\b", "yes", "no"),
    literal(r"\bno\s+time\b(?!\s+(?:pressure|constraints?|limits?))", "no"),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    literal(r"\b(?:limited|scarce|minimal|barely\s+any|hardly\s+any|not\s+much)\b", "no"),
    rule(r"\b(?:have|got)\s+(?:a\s+few|several|\d+|some|a\s+couple\s+of|many)\s+(?:weeks|months|quarters|sprints)\b", "yes", "no"),
    literal(
        r"\b(?:busy|swamped|stretched|overloaded|no\s+one|nobody|no\s+time|small\s+team|tiny\s+team"
        r"|solo|just\s+me|one\s+person|no\s+capacity|no\s+bandwidth|at\s+capacity|underwater)\b",
        "no",
    ),
    rule(
        r"\b(?:time|capacity|bandwidth|team|engineers|people|resources|iterate|experiment|plenty"
        r"|enough|dedicated|able|can(?!'))\b",
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
    r"team|team\s+size|deadline|timeline|time|people|staff|headcount|iteration[\s_-]capacity|time\s+to\s+iterate|iterations?|iterate|capacity|bandwidth"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
