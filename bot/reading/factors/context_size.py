"""Context size: whether instructions, rules and examples fit in one prompt.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import Rule, literal, rule

_FITTING_SUBJECT = (
    r"(?:context|prompts?|documents?|docs|inputs?|instructions|manuals?|knowledge\s+base|corpus"
    r"|examples|it\s+all|everything)"
)
"""What may or may not fit in the context window."""
_FIT_END = (
    r"(?=\s*(?:[.,;:!?)]|$|\s(?:in|into|within|inside|anymore|any\s+more|easily|comfortably|fine"
    r"|well|at\s+all|either|now|today|though|but|and|so|then|after|once|when|if)\b))"
)
"""Where "fit" ends a statement about size, not "fit our needs" or "fit the bill"."""
_NEG_AUX = (
    r"(?:doesn'?t|does\s+not|don'?t|do\s+not|didn'?t|did\s+not|won'?t|will\s+not|wouldn'?t"
    r"|would\s+not|can'?t|cannot|can\s+not|couldn'?t|could\s+not|no\s+longer|never)"
)

DESCRIPTION_RULES: tuple[Rule, ...] = (
    literal(
        r"\b(?:won'?t|doesn'?t|does\s+not|can'?t|cannot)\s+(?:accept|take|hold|handle)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?"
        r"(?:context|instructions|examples|rules)\b",
        "too_big",
    ),
    literal(
        r"\b(?:way\s+|far\s+|much\s+|a\s+lot\s+)?(?:more|bigger|larger|longer)\s+than\s+(?:(?:what|will|would|can|could|ever)\s+)?"
        r"(?:\w+\s+)?fits?\b",
        "too_big",
    ),
    literal(
        rf"\b{_NEG_AUX}\s+(?:\w+\s+){{0,2}}?fit\s+(?:\w+\s+){{1,6}}?(?:in|into|within)\s+(?:the\s+|a\s+|one\s+|our\s+|its\s+)?"
        r"(?:\w+\s+)?(?:context|prompt|window)",
        "too_big",
    ),
    rule(
        r"\b(?:instructions|prompts?|rules|context|guidelines)\s+(?:is|are)\s+(?:\w+\s+)?(?:short|small|brief|compact|tiny"
        r"|concise)\b",
        "fits",
    ),
    literal(
        r"\bno\s+way\s+(?:it|they|that|everything|all\s+of\s+it)\s+(?:all\s+)?(?:goes|go|fits?)\b"
        r"|\b(?:hit|hits|reached|blew\s+(?:through|past)|ran\s+(?:into|out\s+of))\s+(?:the\s+)?(?:\w+\s+)?"
        r"(?:context|token)\s+(?:window|limit|length|size|ceiling)",
        "too_big",
    ),
    rule(
        r"\b(?:had|have|has|needed|need)\s+to\s+(?:drop|cut|remove|trim|leave\s+out|shorten|truncate)\w*\s+"
        r"(?:\w+\s+){0,3}?(?:examples|edge\s+cases|rules|instructions|context|the\s+prompt)"
        r"|\bfits?\s*(?:-|,|\.\.\.|but)?\s*(?:just|barely|only\s+just)\b(?!\s+(?:fine|right))",
        "strained",
    ),
    literal(
        rf"\b{_NEG_AUX}\s+(?:\w+\s+){{0,2}}?fit\s+(?:in|into|within|inside)\s+(?:\w+\s+){{0,3}}?"
        r"(?:context|prompt|window|token|limit)",
        "too_big",
    ),
    literal(
        rf"\b{_FITTING_SUBJECT}\s+(?:still\s+|just\s+|really\s+|simply\s+)?{_NEG_AUX}\s+"
        rf"(?:\w+\s+)?fit\b{_FIT_END}",
        "too_big",
    ),
    rule(
        r"\b(?:too\s+(?:long|big|large)|exceeds?|exceeding|exceeded|overflows?"
        r"|overflowing|bigger\s+than|larger\s+than|longer\s+than)(?:<G3>|\s+)(?:the\s+)?"
        r"(?:model'?s?\s+)?(?:context|token)(?:\s+(?:window|limit|length|size))?\b",
        "too_big",
        "fits",
    ),
    literal(
        r"\b(?:over|beyond|past|above)\s+the\s+(?:context|token)\s+(?:window|limit|length)\b",
        "too_big",
    ),
    rule(
        r"\b(?:prompts?|context|documents?|docs|instructions|inputs?|manuals?|knowledge\s+base"
        r"|corpus)\s+(?:is|are|'s|'re|was|were|gets?|getting|got|become|becomes|became|grows?"
        r"|grew|would\s+be|will\s+be)?\s*(?:way\s+|far\s+"
        r"|much\s+)?too\s+(?:long|big|large)\b",
        "too_big",
    ),
    literal(
        r"\b(?:context|token)\s+(?:window|limit|length)\s+(?:is\s+|gets\s+|was\s+)?(?:exceeded"
        r"|overflow\w*|blown|maxed\s+out|not\s+(?:enough|big\s+enough|large\s+enough))",
        "too_big",
    ),
    rule(
        r"\b(?:barely|just\s+about|only\s+just|almost|nearly|tightly|squeez\w*|cramped"
        r"|struggl\w*\s+to)(?:<G2>|\s+)(?:fits?|fitting)\b",
        "strained",
    ),
    rule(
        r"\b(?:close\s+to|near|nearing|approaching|at|hitting|pushing|bumping\s+(?:up\s+)?against"
        r"|right\s+up\s+against)\s+(?:the\s+)?(?:\w+\s+)?(?:context|token|window|prompt)\s+(?:window|limit|length"
        r"|size|ceiling)",
        "strained",
    ),
    rule(
        r"\b(?:prompts?|context)\s+(?:is|are|'s)\s+(?:getting|growing|becoming)\s+(?:\w+\s+)?"
        r"(?:long|big|large|unwieldy|huge)\b",
        "strained",
    ),
    rule(
        r"\b(?:context|prompt|token)(?:\s+(?:window|space|budget|limit|size))?\s+"
        r"(?:is\s+|gets\s+|getting\s+|feels\s+)*tight\b",
        "strained",
    ),
    rule(
        r"\bfits?\s+(?:easily|comfortably|fine|well|nicely|with\s+(?:room|space)(?:\s+to\s+spare)?)"
        r"|\b(?:easily|comfortably)\s+fits?\b",
        "fits",
    ),
    rule(
        r"\bfits?\s+(?:easily\s+|comfortably\s+|fine\s+)?(?:in|into|within|inside)\s+(?:\w+\s+){0,3}?"
        r"(?:context|prompt|window)",
        "fits",
    ),
    rule(r"\b(?:plenty\s+of|lots\s+of|enough)\s+(?:room|space|headroom)\b", "fits"),
    rule(
        rf"\b{_FITTING_SUBJECT}\s+(?:(?:still|easily|comfortably|all|always|would|will|does|did"
        rf"|do|could|can)\s+)?fit(?:s|ted)?\b{_FIT_END}",
        "fits",
        "too_big",
    ),
    rule(r"\b(?:short|small|tiny|brief)\s+(?:prompts?|contexts?)\b|\ba\s+few\s+lines\s+of\s+(?:instructions|prompt|context|rules)\b", "fits"),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    literal(r"^\W*(?:not\s+always|sometimes|not\s+comfortably|only\s+just|just\s+about)\W*$", "strained"),
    literal(
        r"\b(?:way\s+|far\s+|well\s+)?(?:over|above|past|beyond)\s+the\s+(?:\w+\s+)?limit\b"
        r"|\b(?:keep\s+)?(?:running|ran|run)\s+out\s+of\s+(?:context|tokens|room|space)\b",
        "too_big",
    ),
    rule(r"\b(?:right\s+)?(?:at|on)\s+the\s+edge\b", "strained"),
    rule(r"\ba\s+few\s+(?:paragraphs|lines|sentences)\b|\b(?:one|a|single)\s+paragraph\b", "fits"),
    literal(r"\b(?:doesn'?t|does\s+not)\s+fit\s+(?:easily|comfortably)\b", "strained"),
    literal(rf"\b(?:{_NEG_AUX}|not)\s+(?:\w+\s+){{0,2}}?fit\b", "too_big"),
    literal(r"\b(?:not\s+enough|no)\s+(?:room|space)\b", "too_big"),
    rule(r"\b(?:truncat\w*|cut\s+off|overflow\w*|exceed\w*)\b", "too_big", "fits"),
    rule(r"\btoo\s+(?:long|big|large|much)\b|\b(?:huge|massive|enormous|gigantic|way\s+too\s+\w+)\b", "too_big"),
    rule(
        r"\b(?:(?:pretty|quite|rather|fairly|very|really)\s+(?:long|big|large)|\d+(?:\.\d+)?\s*k\s+tokens"
        r"|barely|tight|squeez\w*|cramped|bursting|bloated|borderline|almost|nearly|getting\s+(?:long|big|large"
        r"|close|there)|pushing\s+it|on\s+the\s+edge|close\s+to\s+the\s+limit|near\s+the\s+limit"
        r"|at\s+the\s+limit|just\s+about|just\s+barely)\b",
        "strained",
    ),
    rule(r"\bfits?\b", "fits", "too_big"),
    literal(r"\bno\s+(?:problem|issue)s?\b", "fits"),
    rule(r"\b(?:easily|comfortably|plenty|short|small|tiny|room\s+to\s+spare|fine|ok|okay)\b", "fits"),
)
"""Extra rules for a typed answer to this question: looser words that only mean something once
we know what was asked."""

POLARITY: dict[str, str] = {"yes": "fits"}
"""What a bare "yes" or "no" means as an answer to this question; a missing key is ambiguous."""

REFINES: frozenset[str] = frozenset({"strained"})
"""Values that win over a leading yes/no ("yes, but masked")."""

ALIASES = (
    r"context[\s_-]size|context\s+window|context|prompt\s+size|prompt\s+length|token\s+limit|tokens"
    r"|long\s+prompts?"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
