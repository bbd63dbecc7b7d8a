"""The rule engine: how one rule reads a text, and how a table of rules does.

How a rule reads text: each rule is a regex plus the value it stands for. Rules are tried in
table order and the first one that applies wins, so the more specific or overriding phrases
come first (for instance "masked" before "contains personal data"). Unless a rule carries its
own negation (``LITERAL``), a negation right before the match ("no personal data", "doesn't
need to be fast") or inside it ("latency isn't critical") either flips the rule to another value
or makes it not apply (``SKIP``). The negation look-back only crosses a few filler words
("need", "to", "be", "any", ...), and stops at punctuation, so "no, customer emails" is not read
as a negation of "customer emails". A negated requirement ("doesn't have to", "no need to",
"not required to") also reaches across the verb it governs: "doesn't have to respond in real
time".

The tables themselves live in one module per factor (``bot.reading.factors``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.reading.text import CLAUSE_ENDS, HYPOTHETICAL_WORD, SENTENCE_ENDS, bounds, interrogative

NEGATOR_WORDS = frozenset(
    """not no never without nor cannot none nothing neither nobody lack lacks lacking dont doesnt
    isnt arent cant wont didnt havent hasnt wasnt werent shouldnt couldnt wouldnt aint zero""".split()
)
NEGATOR = re.compile(r"\b(?:" + "|".join(sorted(NEGATOR_WORDS)) + r")\b|\w+n't\b")
_TRANSPARENT = frozenset(
    """need needs needed require requires required to be been being have has had got get gets
    contain contains containing include includes including involve involves any really that
    very so too particularly especially super all the a an our its it this these those much of
    at in is are was were actually necessarily overly terribly extremely truly even yet
    currently as use uses using store stores handle handles process processes hold holds
    with just such real requirement necessary planning plan plans planned intend intending doing do
    does did done apply applying perform performing think believe expect highly specific particular
    special deep specialised specialized""".split()
)
"""Words a negation reaches across: "doesn't need to be fast", "no real personal data",
"no requirement to"."""
_LOOKBACK_CHARS = 80
_LOOKBACK_WORDS = 6
_PUNCT = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~"


def _is_negator(word: str) -> bool:
    return word in NEGATOR_WORDS or word.endswith("n't")


def _words_before(norm: str, start: int, count: int) -> list[tuple[str, int]]:
    """Up to ``count`` whitespace-separated words right before ``start``, nearest first, with
    where each begins."""
    window = max(0, start - _LOOKBACK_CHARS)
    words = norm[window:start].split()
    if window > 0 and words and not norm[window - 1].isspace():
        words = words[1:]  # cut in the middle
    found: list[tuple[str, int]] = []
    end = start
    for word in reversed(words[-count:]):
        end = norm.rfind(word, window, end)
        found.append((word, end))
    return found


def _negation_before(norm: str, start: int) -> int | None:
    """Where a negation governing the text at ``start`` begins, or None.

    Walks back over filler words only; any other word or punctuation ends the walk.
    """
    for word, at in _words_before(norm, start, _LOOKBACK_WORDS):
        core = word.rstrip(_PUNCT)
        if core != word:  # punctuation between this word and the match: another clause
            return None
        bare = core.lstrip(_PUNCT)
        if _is_negator(bare):
            return at + len(core) - len(bare)
        if bare != core or bare not in _TRANSPARENT:
            return None
    return None




SKIP = "<skip>"
"""``negated`` marker: a negated match does not count."""
LITERAL = "<literal>"
"""``negated`` marker: the pattern states its own polarity; do not look for a negation."""

_WORD = r"(?>[~$#+<>]?[\w'/-]+(?:[.,][\w'/-]+)*[+%]?)"  # atomic: a gap word never backtracks into itself
_GAPS = {f"<G{n}>": rf"(?:\s+{_WORD}){{0,{n}}}?\s+" for n in range(1, 6)}
_GAP_TOKEN = re.compile(r"<G\d>|<W>")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` after expanding ``<Gn>`` (whitespace, up to n words, whitespace)
    and ``<W>`` (one word)."""
    expanded = _GAP_TOKEN.sub(lambda m: _GAPS.get(m.group(), _WORD), pattern)
    return re.compile(expanded, re.ASCII)  # the vocabulary is English; ASCII classes are faster


@dataclass(frozen=True, slots=True)
class Rule:
    """A pattern and the value it stands for.

    ``value`` None means the text is ambiguous on this factor: stop and read nothing.
    ``negated`` is the value when the match is negated, or ``SKIP`` / ``LITERAL``.
    ``lead`` matches words just before the match that belong in the evidence. A negated
    requirement before it flips the rule like any negation ("doesn't need to answer in under a
    second"); any other negation before it drops the match ("it doesn't answer in under a
    second" states a fact, not a requirement).
    ``hypothetical``: the rule only applies inside a hypothetical sentence ("what if we had
    tried prompting?"), where a bare state reads more clearly than in a statement.
    """

    pattern: re.Pattern[str]
    value: str | None
    negated: str = SKIP
    lead: re.Pattern[str] | None = None
    hypothetical: bool = False


def rule(
    pattern: str, value: str | None, negated: str = SKIP, lead: str = "", hypothetical: bool = False
) -> Rule:
    """A rule; ``lead`` optionally matches words just before the match that belong in the
    evidence ("contain" in "contain names and emails") without slowing the search."""
    return Rule(compile_pattern(pattern), value, negated, compile_pattern(lead) if lead else None, hypothetical)


def literal(pattern: str, value: str | None) -> Rule:
    return rule(pattern, value, LITERAL)


Reading = tuple[str | None, int, int]
"""(value or None for "ambiguous", start, end) of the span that decided it."""


_HEDGE = re.compile(
    r"\b(?:whether|maybe|perhaps|possibly|unsure|unclear|wonder\w*|not\s+sure|not\s+certain"
    r"|don'?t\s+know|do\s+not\s+know|no\s+idea|idk|dunno)\b"
)
_ESTIMATE = re.compile(r"\s+(?:~|about\s+|around\s+|roughly\s+)?\d")
"""After "maybe" / "perhaps": a number makes it an estimate ("maybe 3k tokens"), not a hedge."""
_CLAUSE_END = re.compile(r"[.;:!?,()\n]")
_HEDGE_CHARS = 60


def _hedged(norm: str, start: int) -> bool:
    """Whether the clause before ``start`` hedges ("not sure whether we have GPUs")."""
    window = norm[max(0, start - _HEDGE_CHARS) : start]
    clause_starts = [m.end() for m in _CLAUSE_END.finditer(window)]
    hedges = _HEDGE.finditer(window, clause_starts[-1] if clause_starts else 0)
    return any(_ESTIMATE.match(window, h.end()) is None for h in hedges)


def _asked(norm: str, start: int, end: int) -> bool:
    """Whether the match sits in a question rather than a statement; hypotheticals ("what if
    latency isn't critical?") count as statements, since the what-if handler reads them."""
    left, right = bounds(norm, start, end, SENTENCE_ENDS)
    sentence = norm[left:right]
    if HYPOTHETICAL_WORD.search(sentence):
        return False
    if norm.startswith("?", right) and interrogative(sentence, True):
        return True  # a question sentence; without "?" only the clause counts ("I wonder X; we have Y")
    left, right = bounds(norm, start, end, CLAUSE_ENDS)
    return interrogative(norm[left:right], norm.startswith("?", right))


def _apply(rule: Rule, norm: str, strict: bool = False) -> Reading | None:
    """The rule's reading of ``norm``, or None when it does not apply. ``strict`` also drops
    a match its clause hedges or asks about."""
    match = rule.pattern.search(norm)
    if match is None:
        return None
    start, end = match.span()
    if rule.hypothetical and not _in_hypothetical(norm, start, end):
        return None
    if strict and (_hedged(norm, start) or _asked(norm, start, end)):
        return None
    value: str | None = rule.value
    lead_start = start if rule.lead is None else _lead_start(rule.lead, norm, start)
    if rule.negated != LITERAL:
        neg_start = _negation_before(norm, start)
        if neg_start is None:
            neg_start = _negated_requirement(norm, lead_start)
        if neg_start is None and lead_start < start and _negation_before(norm, lead_start) is not None:
            return None  # "it doesn't answer in under a second": a fact, not a requirement
        if neg_start is not None or NEGATOR.search(match.group()) is not None:
            if rule.negated == SKIP:
                return None
            value = rule.negated
            start = min(start, neg_start if neg_start is not None else start)
    return value, min(start, lead_start), end


_NEGATED_REQUIREMENT = re.compile(
    r"\b(?:(?:does|do|did|is|are|was|were|will|would)\s+)?(?:no|not|never|cannot|\w+n't)\s+"
    r"(?:\w+\s+)?(?:need|needs|needed|have|has|had|required"
    r"|requirement|necessary|necessarily|must|expected|obliged|supposed)\s+(?:for\s+(?:\w+\s+){1,2})?"
    r"to\s+(?:[\w'-]+\s+){0,3}$"
)
_REQUIREMENT_CHARS = 80


def _negated_requirement(norm: str, start: int) -> int | None:
    """Where a negated requirement governing the text at ``start`` begins, or None: "doesn't
    have to respond in | real time", "no need for it to answer within | a second". Unlike
    :func:`_negation_before` it reaches across the verb the requirement governs."""
    window = max(0, start - _REQUIREMENT_CHARS)
    clause = max(norm.rfind(c, window, start) for c in CLAUSE_ENDS) + 1
    match = _NEGATED_REQUIREMENT.search(norm, max(window, clause), start)
    return match.start() if match is not None else None


def _in_hypothetical(norm: str, start: int, end: int) -> bool:
    """Whether the sentence around ``start:end`` is a hypothetical ("what if ...", "suppose")."""
    left, right = bounds(norm, start, end, SENTENCE_ENDS)
    return HYPOTHETICAL_WORD.search(norm, left, right) is not None


_LEAD_WORDS = 4


def _lead_start(lead: re.Pattern[str], norm: str, start: int) -> int:
    """Where the longest run of the last few words before ``start`` matching ``lead`` begins."""
    for _, at in reversed(_words_before(norm, start, _LEAD_WORDS)):
        if lead.fullmatch(norm, at, start) is not None:
            return at
    return start


def read(rules: tuple[Rule, ...], norm: str, strict: bool = False) -> Reading | None:
    """The first reading any rule gives, in table order (``strict``: see :func:`_apply`)."""
    for rule in rules:
        reading = _apply(rule, norm, strict)
        if reading is not None:
            return reading
    return None

