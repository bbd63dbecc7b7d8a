"""Reading a typed answer to one open question."""

from __future__ import annotations

import re

from bot.factors import BY_ID, FACTOR_IDS, UNKNOWN
from bot.reading.factors import TABLES
from bot.reading.implications import self_hosting
from bot.reading.rules import Reading, Rule, read
from bot.reading.text import CLAUSE_ENDS, bounds, core, is_question, normalize

MAX_ANSWER_CHARS = 500
"""Typed answers are cut to this many characters before they are read."""

_ANSWER_RULES: dict[str, tuple[Rule, ...]] = {
    fid: TABLES[fid].DESCRIPTION_RULES + TABLES[fid].ANSWER_RULES for fid in FACTOR_IDS
}

_UNKNOWN_WHOLE = re.compile(
    r"^(?:(?:i|we)(?:'m|'re|\s+am|\s+are)?\s+)?(?:honestly\s+|really\s+|just\s+|genuinely\s+)?"
    r"(?:not\s+(?:really\s+|quite\s+|entirely\s+|totally\s+|100%\s+)?sure|unsure|uncertain"
    r"|not\s+certain|(?:do\s*n'?t|do\s+not)\s+(?:really\s+)?know|idk|no\s+idea|no\s+clue"
    r"|not\s+a\s+clue|dunno|maybe|perhaps|possibly|n/?a|not\s+applicable|unknown|hard\s+to\s+say"
    r"|(?:can'?t|cannot)\s+(?:really\s+)?(?:say|tell)|who\s+knows|it\s+depends|depends|unclear"
    r"|tbd|to\s+be\s+(?:decided|determined)|not\s+decided|undecided|no\s+opinion|not\s+known)"
    r"(?:\s+(?:yet|really|tbh|honestly|sorry|either|at\s+all|at\s+this\s+point|right\s+now))*$"
)
_UNKNOWN_LEAD = re.compile(
    r"^(?:(?:i|we)(?:'m|'re|\s+am|\s+are)?\s+)?(?:honestly\s+|really\s+)?"
    r"(?:not\s+(?:really\s+|quite\s+|entirely\s+)?sure|unsure|(?:do\s*n'?t|do\s+not)\s+know|idk"
    r"|no\s+idea|no\s+clue|dunno|hard\s+to\s+say)\s*[,;:.!-]"
)
_FILLER_LEAD = re.compile(
    r"^(?:(?:hmm+|hm+|um+|uh+|erm+|well|so|ok(?:ay)?|honestly|tbh|oh|ah|right|look)\b[\s,.!:;-]*)+"
)
"""Words that open a message without saying anything ("hmm, don't know")."""
_UNKNOWN_SIGNAL = re.compile(
    r"\b(?:not\s+(?:really\s+|quite\s+|entirely\s+|100%\s+)?sure|unsure|uncertain|no\s+idea|no\s+clue|dunno|idk"
    r"|(?:i\s+|we\s+)?(?:don'?t|dont|do\s+not)\s+(?:really\s+)?know|hard\s+to\s+(?:say|tell|know)|can'?t\s+(?:really\s+)?(?:say|tell)"
    r"|(?:it\s+)?depends(?:\s+on)?|it\s+varies|varies|good\s+question|we'?ll\s+see|too\s+early\s+to\s+(?:tell|say|know)"
    r"|tb[cd]|pending|to\s+be\s+(?:decided|determined|seen|confirmed)|undecided|unclear|unknown|beats\s+me|who\s+knows"
    r"|(?:figuring|working)\s+(?:it|that|this)\s+out|find\s+out|let\s+me\s+(?:check|ask|find\s+out)"
    r"|(?:need|needs|have|has|'d\s+have|would\s+have|got)\s+to\s+(?:check|ask|confirm|find\s+out|verify|see)"
    r"|ask\s+(?:my|our|the)\s+\w+|check\s+with|not\s+the\s+right\s+person|open\s+question|50\s*/\s*50"
    r"|(?:haven'?t|havent|have\s+not|not|never)\s+(?:yet\s+)?(?:checked|measured|decided|looked|tested|figured|counted"
    r"|thought\s+about|considered)|not\s+something\s+(?:we'?ve|we\s+have|i'?ve)\s+(?:\w+\s+){0,2}?(?:looked|considered|thought)"
    r"|still\s+(?:scoping|deciding|figuring|exploring|working\s+out|discussing|open)|no\s+opinion)\b"
)
"""Words that leave the answer open: read as "not sure" in a short message ("need to check
with legal", "it depends on the client") or wherever nothing states a value."""
_WEAK_UNKNOWN = re.compile(
    r"^(?:maybe|perhaps|possibly)\b|^(?:it\s+)?(?:might|could|may)\s+be\W*$|\bsomewhere\s+in\s+between\b"
    r"|\b(?:a\s+bit\s+of\s+)?both\s+(?:honestly|really|kind\s+of|sort\s+of)\b|\bnot\s+(?:\w+\s+){0,3}?yet\b"
    r"|\b(?:haven'?t|have\s+not)\s+(?:\w+\s+){0,3}?yet\b"
)
"""Weaker hedges: "not sure" only when nothing in the message states a value."""
_SHORT_ANSWER_WORDS = 8
_TRAILING_POLARITY = re.compile(r"(?:\bso|\bthen|\bhence|\btherefore|[,;:.!-])\s+(yes|no|yep|nope|yeah|nah)\W*$")
"""A yes or no that closes a message and sums it up ("it's the #1 complaint, so yes")."""
_OPTION_NUMBER = re.compile(r"^(?:option|number|choice)?\s*[#(]?\s*([0-9]{1,3})\s*[.)!]*$")
_VALUE_SEPARATORS = re.compile(r"[\s_-]+")

_NO_LEAD = re.compile(
    r"^(?:absolutely\s+not|definitely\s+not|certainly\s+not|of\s+course\s+not|not\s+really"
    r"|not\s+at\s+all|no\s+way|nope|nah|no(?!\s+(?:idea|clue)\b)|false|never|negative|(?:i\s+)?(?:don'?t|do\s+not)\s+(?:think|believe)\s+so"
    r"|probably\s+not|likely\s+not|i\s+doubt\s+it|doubt\s+it|not\s+that\s+i\s+know(?:\s+of)?|hardly)(?![\w'])"
)
_YES_LEAD = re.compile(
    r"^(?:yes|yep|yeah|yea|yup|sure|definitely|absolutely|certainly|of\s+course|indeed|affirmative"
    r"|correct|true|(?:i\s+)?(?:think|believe|guess|suppose)\s+so|probably|likely|mostly|pretty\s+much)(?![\w'])(?!\s+not\b)"
)
_NO_WHOLE = re.compile(
    r"^(?:n|not|none|neither|nothing|nada|zilch|none\s+at\s+all|nothing\s+at\s+all|we\s+don'?t|we\s+do\s+not|it\s+isn'?t|it\s+is\s+not|it's\s+not|it\s+doesn'?t"
    r"|it\s+does\s+not|we\s+can'?t|we\s+cannot|it\s+can'?t|it\s+cannot|we\s+haven'?t"
    r"|we\s+have\s+not|we\s+aren'?t|we're\s+not|we\s+are\s+not|it\s+won'?t|no\s+no|nope\s+not\s+at\s+all)$"
)
_YES_WHOLE = re.compile(
    r"^(?:y|ya|yas|right|exactly|it\s+is|it\s+does|we\s+do|we\s+are|we\s+have|we\s+can|it\s+can"
    r"|it\s+will|it\s+has|it\s+must|very\s+much(?:\s+so)?|totally|for\s+sure|yes\s+please|very|a\s+lot|lots"
    r"|extremely|hugely|massively|super|big\s+time"
    r"|you\s+bet)$"
)



def _option_value(factor_id: str, bare: str) -> str | None:
    """The value for a typed option number; "" when it is a number but out of range."""
    match = _OPTION_NUMBER.match(bare)
    if match is None:
        return None
    allowed = BY_ID[factor_id].allowed
    index = int(match.group(1))
    return allowed[index - 1] if 1 <= index <= len(allowed) else ""


_WORDS = re.compile(r"[\w']+")
_BARE_YES = frozenset({"yes", "yeah", "yep", "yup", "yea", "y"})
_BARE_NO = frozenset({"no", "nope", "nah", "n"})


def _polarity(bare: str) -> str | None:
    """"yes" or "no" when the message is or starts with a yes/no word; "" when its first words
    say both ("yes and no"); else None."""
    first = set(_WORDS.findall(bare, 0, 40)[:3])
    if first & _BARE_YES and first & _BARE_NO:
        return ""
    if _NO_WHOLE.match(bare) or _NO_LEAD.match(bare):
        return "no"
    if _YES_WHOLE.match(bare) or _YES_LEAD.match(bare):
        return "yes"
    return None


def _trailing_polarity(bare: str) -> str | None:
    match = _TRAILING_POLARITY.search(bare)
    if match is None:
        return None
    return "yes" if match.group(1) in _BARE_YES or match.group(1) == "yeah" else "no"


def _is_unknown(bare: str) -> bool:
    return _UNKNOWN_WHOLE.match(bare) is not None or _UNKNOWN_LEAD.match(bare) is not None



def parse_answer(factor_id: str, text: str) -> str | None:
    """Read a typed answer to the question about ``factor_id``.

    Returns one of the factor's values, ``"unknown"``, or None when the text cannot be read
    with confidence (the caller re-asks with the options). Accepts the option number (1..n in
    ``values`` order, n+1 for "Not sure"), the value id, yes/no words, "not sure" words and the
    factor's own phrasing. An unknown ``factor_id`` reads as None.
    """
    if factor_id not in BY_ID or not isinstance(text, str):
        return None
    raw = text[:MAX_ANSWER_CHARS]
    norm = normalize(raw)
    bare = core(norm)
    if not bare:
        return None  # nothing, or a lone "?": a confused user, not an answer
    bare = _FILLER_LEAD.sub("", bare) or bare
    number = _option_value(factor_id, norm.strip())
    if number is not None:
        return number or None
    value_id = _VALUE_SEPARATORS.sub("_", bare)
    if value_id in BY_ID[factor_id].allowed:
        return value_id
    if _is_unknown(bare) or _is_unknown(_FILLER_LEAD.sub("", bare)):
        return UNKNOWN
    if is_question(raw):
        return None  # a question, not an answer: the caller answers it
    polarity = _polarity(bare)
    if not polarity and len(bare.split()) <= _SHORT_ANSWER_WORDS and _UNKNOWN_SIGNAL.search(bare):
        return UNKNOWN  # "need to check with legal", "it depends on the client"
    reading = read(_ANSWER_RULES[factor_id], norm)
    if reading is None:
        implied = self_hosting(raw, norm)
        if implied is not None and factor_id in implied.values:
            return implied.values[factor_id]  # "we self-host": no hosted price, no vendor guardrails
        if not polarity and (_UNKNOWN_SIGNAL.search(bare) or _WEAK_UNKNOWN.search(bare)):
            return UNKNOWN  # "dunno yet, depends on the product team"
    if polarity is None:
        polarity = _trailing_polarity(bare)
    if polarity == "":
        return None  # "yes and no"
    polar = TABLES[factor_id].POLARITY.get(polarity or "")
    if reading is not None and reading[0] is None:
        return polar if polarity == "no" else None  # ambiguous words; a clear "no" still answers
    specific = reading[0] if reading is not None else None
    if specific is None or polar is None:
        return specific or polar
    if specific == polar or specific in TABLES[factor_id].REFINES:
        return specific
    if reading is not None and _about_another_factor(factor_id, norm, reading):
        return polar  # "no, but users need instant replies": the rest is about latency
    return None  # the yes/no and the rest of the message disagree


def _about_another_factor(factor_id: str, norm: str, reading: Reading) -> bool:
    """Whether ``reading`` of ``factor_id`` only comes from a loose answer word (not a phrase
    that names this factor) inside a clause that clearly states another factor: "customers" in
    "no, but the customers need answers in real time" is about latency, not personal data."""
    if read(TABLES[factor_id].DESCRIPTION_RULES, norm) is not None:
        return False  # a phrase about this very factor: a real contradiction
    _, start, end = reading
    left, right = bounds(norm, start, end, CLAUSE_ENDS)
    clause = norm[left:right]
    return any(
        read(TABLES[other].DESCRIPTION_RULES, clause) is not None
        for other in FACTOR_IDS
        if other != factor_id
    )


def yes_or_no(text: str) -> str | None:
    """"yes" or "no" when a whole message is a plain yes or no ("yep", "no thanks", "sure"),
    for confirmations; None for anything else, including "yes and no"."""
    if not isinstance(text, str):
        return None
    bare = core(normalize(text[:MAX_ANSWER_CHARS]))
    if not bare or len(bare.split()) > 4 or is_question(text):
        return None
    return _polarity(bare) or None
