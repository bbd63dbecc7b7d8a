"""Latency critical: whether response time is a top priority.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import Rule, literal, rule
from bot.reading.vocabulary import YES_NO

_NOT_FOLLOWED_BY_DATA = (
    r"(?!\s+(?:data|information|info|feeds?|updates|prices|pricing|stock|news|inventory"
    r"|events|analytics|dashboards?|metrics))"
)

DESCRIPTION_RULES: tuple[Rule, ...] = (
    literal(
        r"\b(?:batch(?:ed)?\s+(?:jobs?|processing|mode|process|runs?|pipeline)|overnight|nightly"
        r"|no\s+(?:rush|hurry)|can\s+wait|not\s+time[\s-]?(?:sensitive|critical)"
        r"|(?:a\s+few\s+|several\s+|\d+\s+)?(?:seconds?|minutes?|hours?|days?)\s+(?:of\s+(?:delay|latency|wait\w*)\s+)?"
        r"(?:is|are)\s+(?:fine|ok|okay|acceptable|no\s+problem)"
        r"|(?:can|may|might|could)\s+take\s+(?:a\s+few\s+|several\s+|\d+\s+)?(?:seconds|minutes?|hours?|days?)"
        r"|(?:weekly|monthly|daily|quarterly)\s+(?:reports?|digests?|summar\w+|batch\w*|jobs?|runs?)"
        r"|(?:once|twice)\s+a\s+(?:day|week|month|night)|back[\s-]?office|nobody\s+minds|no\s+one\s+minds"
        r"|in\s+bulk|bulk\s+(?:processing|jobs?|runs?)|backlog\s+of|offline\s+(?:analysis|processing|evaluation|jobs?)"
        r"|(?:fine|ok|okay|happy)\s+(?:with\s+)?waiting|no\s+one\s+(?:is\s+)?waiting|nobody\s+(?:is\s+)?waiting|asynchronous(?:ly)?|async|offline)\b"
        r"|\bbatch(?:ed|es)?\b(?!\s+(?:of|size))"
        r"|\b(?:latency|speed|response\s+times?)\s*(?:is\s+|are\s+|:\s*)?(?:irrelevant|unimportant"
        r"|not\s+(?:important|a\s+(?:concern|priority|factor|problem|issue))|(?:doesn'?t|does\s+not)\s+matter"
        r"|(?:i\s+|we\s+)?(?:don'?t|dont|do\s+not)\s+care|no\s+(?:concern|issue|problem))\b",
        "no",
    ),
    rule(
        r"\b(?:latency|speed|response\s+times?|responsiveness)<G3>(?:critical|crucial|key|important"
        r"|matter(?:s|ed)?|essential|vital|a\s+(?:top\s+)?(?:priority|concern|requirement"
        r"|constraint|factor"
        r"|big\s+deal)|(?:our\s+|the\s+)?(?:top|main|first|#1|number\s+one|biggest|key)\s+(?:priority|concern"
        r"|big\s+deal)|an\s+issue)\b",
        "yes",
        "no",
    ),
    rule(r"\b(?:low|ultra[\s-]?low|minimal)[\s-]latency\b", "yes", "no"),
    rule(
        r"\b(?:adds?|adding|introduces?)\s+(?:\w+\s+)?(?:lag|latency|delay)s?\b(?!\s+(?:is|are)\s+(?:fine|ok|okay|acceptable))|\btoo\s+slow\b|\b(?:adds?|adding)\s+(?:~|about\s+|around\s+)?\d+\s*(?:ms|milliseconds|seconds?|s)\b",
        "yes",
        "no",
    ),
    literal(r"\b(?:won'?t|wouldn'?t|don'?t|can'?t|cannot|will\s+not)\s+wait\b(?!\s+(?:for\s+)?(?:long|forever|days))", "yes"),
    rule(
        r"\bas\s+(?:fast|quickly)\s+as\s+possible\b|\b(?:lag|delays?|latency|slowness)\s+(?:\w+\s+){0,3}?(?:problem|issue"
        r"|unacceptable|hurts?|costly|kills?|deal[\s-]?breaker)\b",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:latency|response[\s-]time)\s+(?:budget|target|requirement|sla|limit)\s+(?:is\s+|of\s+)?(?:\w+\s+)?\d+\s*(?:ms|milliseconds)"
        r"|\bvoice\s+(?:assistant|bot|agent|interface)\b|\blive\s+(?:chat|calls?|conversations?)\b"
        r"|\bauto-?complet\w*|\bas\s+(?:the\s+)?(?:users?|people|they|you|customers?)\s+types?\b|\btype-?ahead\b"
        r"|\blive\s+(?:during|while|as)\b|\bduring\s+(?:live\s+)?calls\b"
        r"|\b(?:at|during|in)\s+(?:the\s+)?checkout\b|\bcheckout\s+flow\b|\bon\s+every\s+keystroke\b|\bin[\s-]game\b"
        r"|\blive\s+(?:support|agents?|traffic|users?|streams?|customers?)\b|\bhigh[\s-]frequency\b",
        "yes",
        "no",
    ),
    rule(r"\b(?:latency|time)[\s-](?:critical|sensitive)\b", "yes", "no"),
    rule(
        rf"\b(?:real[\s-]?time|realtime)\b{_NOT_FOLLOWED_BY_DATA}",
        "yes",
        "no",
        lead=r"\b(?:respond|answer|reply|return|react|generate|run|work)\w*\s+(?:in\s+)?|\bin\s+",
    ),
    rule(
        r"\b(?:under|within|below|less\s+than|sub)[\s-](?:an?\s+(?=\d))?(?:a|one|1|half\s+a|a\s+few|a\s+couple\s+(?:of\s+)?|\d+(?:\.\d+)?)?"
        r"\s*-?\s*(?:seconds?|secs?|s|ms|milliseconds?)\b|\bin\s+milliseconds\b",
        "yes",
        "no",
        lead=r"\b(?:respond|answer|reply|return|react|generate)\w*\s+(?:in\s+)?|\bin\s+",
    ),
    rule(
        r"\b(?:must|need(?:s|ed)?\s+to|has\s+to|have\s+to|had\s+to|should|got\s+to|gotta"
        r"|expected\s+to)\s+"
        r"(?:be\s+)?(?:\w+\s+){0,2}?(?:fast|quick|quickly|snappy|instant(?:aneous)?|instantly"
        r"|responsive|immediate|immediately)\b(?!\s+(?:to|at|in)\b)",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:respond|answer|reply)\w*\s+(?:instantly|immediately|quickly|fast)\b"
        r"|\binstant\s+(?:answers|responses|replies|feedback|results)\b",
        "yes",
        "no",
    ),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    literal(
        r"\b(?:slow\s+is\s+(?:fine|ok|okay)|can\s+be\s+slow|(?:a\s+few\s+)?(?:seconds|minutes|hours)"
        r"\s+(?:is|are)\s+(?:fine|ok|okay|acceptable)|whenever|offline|not\s+urgent|no\s+rush"
        r"|can\s+live\s+with)\b",
        "no",
    ),
    rule(
        r"\b(?:fast|quick(?:ly)?|speedy|snappy|instant\w*|immediate\w*|rapid|urgent|critical|crucial"
        r"|important|essential|vital|matters?|priority|asap|live(?!\s+with)|interactive|(?:are|is)\s+waiting|on\s+the\s+(?:line|phone)"
        r"|milliseconds?)\b",
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
    r"latency[\s_-]critical|latency|speed|response\s+times?|fast|real[\s-]?time|responsiveness"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
