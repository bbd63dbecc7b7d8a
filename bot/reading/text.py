"""Text normalisation and the shape of a message: the one place that decides what a question
and a hypothetical ("what if ...") are.

Text is normalised without changing its length (lower case, one apostrophe, control characters
blanked), so a match position in the normalised text is the same position in the original and
readers can quote the user's own words as evidence.
"""

from __future__ import annotations

import re

_CHAR_MAP = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
    }
)
_INVISIBLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]"
)
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
SPACES = re.compile(r"\s+")
SENTENCE_ENDS = ".!?\n"
CLAUSE_ENDS = ".!?;,\n"


def normalize(text: str) -> str:
    """Lower-case, unify apostrophes and blank out control characters, keeping the length.

    Keeping the length means a span of the result is the same span of ``text``. Line breaks
    stay (they end sentences) but other control characters become spaces.
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two; leave those as they are
        low = "".join(c if len(lc := c.lower()) != 1 else lc for c in text)
    low = low.translate(_CHAR_MAP)
    return _INVISIBLE.sub(lambda m: "\n" if m.group() in "\n\r\u2028\u2029" else " ", low)


def core(norm: str) -> str:
    """The message without surrounding punctuation, with single spaces: for whole-message tests."""
    return SPACES.sub(" ", _EDGE_PUNCT.sub("", norm))


def bounds(norm: str, start: int, end: int, ends: str) -> tuple[int, int]:
    """The span around ``start:end`` up to (not including) the nearest of ``ends`` each side."""
    left = max(norm.rfind(c, 0, start) for c in ends) + 1
    right = min((at for at in (norm.find(c, end) for c in ends) if at >= 0), default=len(norm))
    return left, right


# --- questions ------------------------------------------------------------------------------

_WH_QUESTION = re.compile(
    r"(?:why|what|how|which|who|when|where)(?:'s|'re|\s+(?:is|are|was|were|do|does|did|can|could"
    r"|should|would|will|if|about|happens?|matters?|kind|sort|type|much|many|come|exactly|else"
    r"|counts?|else))\b"
    r"|(?:why|what|how|huh|eh|wdym|pardon|sorry)$"
    r"|(?:explain|tell\s+me|remind\s+me|define|describe|clarify)\b"
    r"|(?:can|could|would|will)\s+you\s+(?:explain|tell|say|clarify|define|describe|elaborate|rephrase|repeat"
    r"|expand|give|help)\b"
    r"|(?:i\s+(?:wonder|am\s+wondering|was\s+wondering)|i'm\s+wondering)\b"
    r"|what\s+(?:do|does)\s+\w+\s+mean\b"
    r"|(?:how|which|what)\s+(?!(?:we|i|you|they|it|he|she|our|my|their)\b)\w+\s+(?:is|are|do|does|can|could|should"
    r"|would|will|counts?)\b"
    r"|(?:what|which)\s+\w+(?:\s+\w+)?$"
)
"""A question however it ends: "why is latency important", "explain masking"."""
_AUX_QUESTION = re.compile(
    r"(?:is|are|am|was|were|can|could|should|would|will|does|do|did|has|have|shall|may|might"
    r"|isn't|aren't|doesn't|don't|shouldn't|wouldn't|can't)\s+"
    r"(?:it|this|that|these|those|there|we|i|you|they|my|our|your|the|a|an|fine[\s-]?tuning"
    r"|prompt\w*|latency|pii|gdpr|personal|sensitive|masking|anonymi[sz]\w*)\b"
)
"""A yes/no question without "?": "does it matter that our data has PII"."""
_QUESTION_START = re.compile(
    r"(?:why|what|how|which|who|when|where|is|are|am|was|were|can|could|should|would|will|does"
    r"|do|did|isn't|aren't|doesn't|don't|shall|may|might|has|have|hasn't|haven't)\b"
)
_BARE_ANSWER = re.compile(
    r"(?:y|n|yes|yeah|yep|yup|yea|no|nope|nah|sure|maybe|perhaps|possibly|not\s+sure|unsure"
    r"|i'?m\s+not\s+sure|no\s+idea|idk|dunno|(?:i\s+)?(?:don'?t|do\s+not)\s+know|not\s+really"
    r"|really|correct|right|exactly|true|false|partly|partially|none|nothing|all|both|either"
    r"|\d{1,3}|option\s+\d{1,3})$"
)
"""Whole messages that stay answers even with a "?" ("yes?", "not sure?", "3?")."""
_LEADING = " \"'(-*>\t"


def interrogative(text: str, asks: bool) -> bool:
    """Whether a normalised sentence or clause is a question (``asks``: it ends with "?")."""
    text = text.lstrip(_LEADING)
    if _WH_QUESTION.match(text) is not None or _AUX_QUESTION.match(text) is not None:
        return True
    return asks and _QUESTION_START.match(text) is not None


def is_question(text: str) -> bool:
    """Whether a whole message is a question to answer rather than an answer or a statement.

    Question-shaped means: it ends with "?" (short or long: "pii?", "personal data?") unless it
    is a bare answer word ("yes?", "not sure?", "2?"); or it opens like a question with or
    without "?" ("why is latency important", "what does masking mean", "explain guardrails",
    "does it matter that we have PII"); or its last sentence is one ("We use GPT-4. Is that
    a problem?"). Hypotheticals count as questions too (see :func:`is_hypothetical`).
    """
    if not isinstance(text, str):
        return False
    norm = normalize(text).strip()
    if not norm:
        return False
    bare = core(norm)
    if norm.endswith("?"):
        return bool(bare) and _BARE_ANSWER.match(bare) is None
    if is_hypothetical(text):
        return True
    sentences = [s.strip() for s in re.split(r"[.!;\n]+", norm) if s.strip()]
    return bool(sentences) and (interrogative(sentences[0], False) or interrogative(sentences[-1], False))


_STATEMENT_WORDS = frozenset(
    """we our us i my it its it's they their there this these is are was were has have had do does
    did don't doesn't no not none nothing never yes yeah yep nope actually now also contains
    contain includes include uses use need needs must can can't cannot will won't would""".split()
)
_TOPIC_WORDS = 3


def is_topic(text: str) -> bool:
    """Whether a whole message is a bare topic of a few words ("PII", "personal data",
    "vendor guardrails"): after the card that asks about the topic rather than stating a fact.
    Any subject, verb, negation or yes/no makes it a statement ("no PII", "we have PII")."""
    if not isinstance(text, str):
        return False
    words = core(normalize(text)).split()
    return 0 < len(words) <= _TOPIC_WORDS and not any(w in _STATEMENT_WORDS or w.endswith("n't") for w in words)


# --- hypotheticals ------------------------------------------------------------------------

_WHAT_IF = re.compile(
    r"^\W*(?:and\s+|but\s+|so\s+|ok(?:ay)?,?\s+)?(?:what\s+(?:if|about\s+if|happens\s+if|would\s+(?:happen|change)"
    r"\s+if|would\s+you\s+say\s+if|would\s+the\s+verdict\s+be\s+if)|suppose|supposing|imagine|assume|assuming"
    r"|let'?s\s+say|say\s+(?:we|our|the|it)|if|hypothetically|in\s+theory\s+if|would\s+it\s+change"
    r"\s+if|would\s+that\s+change\s+if|how\s+about\s+if)\b"
)
HYPOTHETICAL_WORD = re.compile(r"\b(?:if|suppose|supposing|imagine|assume|assuming|let'?s\s+say)\b")


def is_hypothetical(text: str) -> bool:
    """Whether a message supposes a different case ("what if we had no data?", "suppose latency
    did not matter", "if the prompt fit"): the bot recomputes without storing anything."""
    return isinstance(text, str) and _WHAT_IF.match(normalize(text)) is not None


def hypothesis_body(text: str) -> str:
    """What a hypothetical supposes, without its "what if" lead: "we had no data"."""
    norm = normalize(text)
    match = _WHAT_IF.match(norm)
    return text[match.end():].strip(" ?!.") if match else text.strip()
