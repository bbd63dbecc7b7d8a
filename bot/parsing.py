"""Reading what people type: answers to a question, free descriptions, commands, factor names.

Everything here is a pure function over module-level vocabulary tables (compiled regexes), with
no I/O. The tables favour precision over recall: when a message could mean two things we read
nothing and the caller asks again with the options, because a wrong guess is worse than none.

How a rule reads text: each rule is a regex plus the value it stands for. Rules are tried in
table order and the first one that applies wins, so the more specific or overriding phrases
come first (for instance "masked" before "contains personal data"). Unless a rule carries its
own negation (``_LITERAL``), a negation right before the match ("no personal data", "doesn't
need to be fast") or inside it ("latency isn't critical") either flips the rule to another value
or makes it not apply (``_SKIP``). The negation look-back only crosses a few filler words
("need", "to", "be", "any", ...), and stops at punctuation, so "no, customer emails" is not read
as a negation of "customer emails". A negated requirement ("doesn't have to", "no need to",
"not required to") also reaches across the verb it governs: "doesn't have to respond in real
time".

Text is normalised without changing its length (lower case, one apostrophe, control characters
blanked), so a match position in the normalised text is the same position in the original and
:func:`understand` can quote the user's own words as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.events import Action
from bot.factors import BY_ID, FACTOR_IDS, UNKNOWN

MAX_ANSWER_CHARS = 500
"""Typed answers are cut to this many characters before they are read."""
MAX_DESCRIPTION_CHARS = 2000
"""Free descriptions are cut to this many characters before they are read."""
MAX_COMMAND_CHARS = 100
"""A longer message is never a command."""


@dataclass(frozen=True, slots=True)
class Understood:
    """A factor value read from a free description, with the user's words that support it."""

    value: str
    evidence: str


# --- normalisation ----------------------------------------------------------------------

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
_SPACES = re.compile(r"\s+")


def _normalize(text: str) -> str:
    """Lower-case, unify apostrophes and blank out control characters, keeping the length.

    Keeping the length means a span of the result is the same span of ``text``.
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two; leave those as they are
        low = "".join(c if len(lc := c.lower()) != 1 else lc for c in text)
    return _INVISIBLE.sub(" ", low.translate(_CHAR_MAP))


def _core(norm: str) -> str:
    """The message without surrounding punctuation, with single spaces: for whole-message tests."""
    return _SPACES.sub(" ", _EDGE_PUNCT.sub("", norm))


# --- negation ---------------------------------------------------------------------------

_NEGATOR_WORDS = frozenset(
    """not no never without nor cannot none nothing neither nobody lack lacks lacking dont doesnt
    isnt arent cant wont didnt havent hasnt wasnt werent shouldnt couldnt wouldnt aint""".split()
)
_NEGATOR = re.compile(r"\b(?:" + "|".join(sorted(_NEGATOR_WORDS)) + r")\b|\w+n't\b")
_TRANSPARENT = frozenset(
    """need needs needed require requires required to be been being have has had got get gets
    contain contains containing include includes including involve involves any really that
    very so too particularly especially super all the a an our its it this these those much of
    at in is are was were actually necessarily overly terribly extremely truly even yet
    currently as use uses using store stores handle handles process processes hold holds
    with just such real requirement necessary""".split()
)
"""Words a negation reaches across: "doesn't need to be fast", "no real personal data",
"no requirement to"."""
_LOOKBACK_CHARS = 80
_LOOKBACK_WORDS = 6
_PUNCT = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~"


def _is_negator(word: str) -> bool:
    return word in _NEGATOR_WORDS or word.endswith("n't")


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


# --- rules ------------------------------------------------------------------------------

_SKIP = "<skip>"
"""``negated`` marker: a negated match does not count."""
_LITERAL = "<literal>"
"""``negated`` marker: the pattern states its own polarity; do not look for a negation."""

_WORD = r"(?>[\w'/-]+(?:[.,][\w'/-]+)*)"  # atomic: a gap word never backtracks into itself
_GAPS = {f"<G{n}>": rf"(?:\s+{_WORD}){{0,{n}}}?\s+" for n in range(1, 6)}
_GAP_TOKEN = re.compile(r"<G\d>|<W>")


def _compile(pattern: str) -> re.Pattern[str]:
    """Compile ``pattern`` after expanding ``<Gn>`` (whitespace, up to n words, whitespace)
    and ``<W>`` (one word)."""
    expanded = _GAP_TOKEN.sub(lambda m: _GAPS.get(m.group(), _WORD), pattern)
    return re.compile(expanded, re.ASCII)  # the vocabulary is English; ASCII classes are faster


@dataclass(frozen=True, slots=True)
class _Rule:
    """A pattern and the value it stands for.

    ``value`` None means the text is ambiguous on this factor: stop and read nothing.
    ``negated`` is the value when the match is negated, or ``_SKIP`` / ``_LITERAL``.
    ``lead`` matches words just before the match that belong in the evidence. A negated
    requirement before it flips the rule like any negation ("doesn't need to answer in under a
    second"); any other negation before it drops the match ("it doesn't answer in under a
    second" states a fact, not a requirement).
    ``hypothetical``: the rule only applies inside a hypothetical sentence ("what if we had
    tried prompting?"), where a bare state reads more clearly than in a statement.
    """

    pattern: re.Pattern[str]
    value: str | None
    negated: str = _SKIP
    lead: re.Pattern[str] | None = None
    hypothetical: bool = False


def _r(
    pattern: str, value: str | None, negated: str = _SKIP, lead: str = "", hypothetical: bool = False
) -> _Rule:
    """A rule; ``lead`` optionally matches words just before the match that belong in the
    evidence ("contain" in "contain names and emails") without slowing the search."""
    return _Rule(_compile(pattern), value, negated, _compile(lead) if lead else None, hypothetical)


def _lit(pattern: str, value: str | None) -> _Rule:
    return _r(pattern, value, _LITERAL)


_Reading = tuple[str | None, int, int]
"""(value or None for "ambiguous", start, end) of the span that decided it."""


_HEDGE = re.compile(
    r"\b(?:whether|maybe|perhaps|possibly|unsure|unclear|wonder\w*|not\s+sure|not\s+certain"
    r"|don'?t\s+know|do\s+not\s+know|no\s+idea|idk|dunno)\b"
)
_CLAUSE_END = re.compile(r"[.;:!?,()]")
_HEDGE_CHARS = 60


def _hedged(norm: str, start: int) -> bool:
    """Whether the clause before ``start`` hedges ("not sure whether we have GPUs")."""
    window = norm[max(0, start - _HEDGE_CHARS) : start]
    clause_starts = [m.end() for m in _CLAUSE_END.finditer(window)]
    return _HEDGE.search(window, clause_starts[-1] if clause_starts else 0) is not None


_WH_QUESTION = re.compile(
    r"(?:why|what|how|which|who|when|where)(?:'s|\s+(?:is|are|was|were|do|does|did|can|could"
    r"|should|would|will|if|about|happens?|matters?|kind|sort|type))\b"
)
_QUESTION_START = re.compile(
    r"(?:why|what|how|which|who|when|where|is|are|am|was|were|can|could|should|would|will|does"
    r"|do|did|isn't|aren't|doesn't|don't|shall|may|might|has|have|hasn't|haven't)\b"
)
_HYPOTHETICAL = re.compile(r"\b(?:if|suppose|supposing|imagine|assume|assuming|let'?s\s+say)\b")
_SENTENCE_ENDS = ".!?"
_CLAUSE_ENDS = ".!?;,"


def _interrogative(text: str, asks: bool) -> bool:
    """Whether ``text`` (a sentence or clause, ``asks``: it ends with "?") is a question:
    "why is latency important", "is personal data a problem?"."""
    text = text.lstrip(" \"'(-*>")
    return _WH_QUESTION.match(text) is not None or (asks and _QUESTION_START.match(text) is not None)


def _bounds(norm: str, start: int, end: int, ends: str) -> tuple[int, int]:
    """The span around ``start:end`` up to (not including) the nearest of ``ends`` each side."""
    left = max(norm.rfind(c, 0, start) for c in ends) + 1
    right = min((at for at in (norm.find(c, end) for c in ends) if at >= 0), default=len(norm))
    return left, right


def _asked(norm: str, start: int, end: int) -> bool:
    """Whether the match sits in a question rather than a statement; hypotheticals ("what if
    latency isn't critical?") count as statements, since the what-if handler reads them."""
    left, right = _bounds(norm, start, end, _SENTENCE_ENDS)
    sentence = norm[left:right]
    if _HYPOTHETICAL.search(sentence):
        return False
    if _interrogative(sentence, norm.startswith("?", right)):
        return True
    left, right = _bounds(norm, start, end, _CLAUSE_ENDS)
    return _interrogative(norm[left:right], norm.startswith("?", right))


def _apply(rule: _Rule, norm: str, strict: bool = False) -> _Reading | None:
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
    if rule.negated != _LITERAL:
        neg_start = _negation_before(norm, start)
        if neg_start is None:
            neg_start = _negated_requirement(norm, lead_start)
        if neg_start is None and lead_start < start and _negation_before(norm, lead_start) is not None:
            return None  # "it doesn't answer in under a second": a fact, not a requirement
        if neg_start is not None or _NEGATOR.search(match.group()) is not None:
            if rule.negated == _SKIP:
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
    clause = max(norm.rfind(c, window, start) for c in _CLAUSE_ENDS) + 1
    match = _NEGATED_REQUIREMENT.search(norm, max(window, clause), start)
    return match.start() if match is not None else None


def _in_hypothetical(norm: str, start: int, end: int) -> bool:
    """Whether the sentence around ``start:end`` is a hypothetical ("what if ...", "suppose")."""
    left, right = _bounds(norm, start, end, _SENTENCE_ENDS)
    return _HYPOTHETICAL.search(norm, left, right) is not None


_LEAD_WORDS = 4


def _lead_start(lead: re.Pattern[str], norm: str, start: int) -> int:
    """Where the longest run of the last few words before ``start`` matching ``lead`` begins."""
    for _, at in reversed(_words_before(norm, start, _LEAD_WORDS)):
        if lead.fullmatch(norm, at, start) is not None:
            return at
    return start


def _read(rules: tuple[_Rule, ...], norm: str, strict: bool = False) -> _Reading | None:
    """The first reading any rule gives, in table order (``strict``: see :func:`_apply`)."""
    for rule in rules:
        reading = _apply(rule, norm, strict)
        if reading is not None:
            return reading
    return None


# Shared vocabulary.
_DATA_NOUN = (
    r"(?:examples?|pairs|samples|datasets?|data\s+sets?|training\s+(?:data|sets?)"
    r"|labell?ed\s+data|annotated\s+data|ground\s+truth|gold(?:en)?\s+(?:sets?|data|answers))"
)
_INPUT_NOUN = (
    r"(?:tickets|questions|e-?mails|requests|queries|chats|conversations|cases|inputs|prompts"
    r"|logs|messages|transcripts|documents|docs|data|records|texts|calls|complaints|submissions"
    r"|forms|invoices|reports)"
)
"""What a task takes in: on their own these are not training pairs."""
_OUTPUT_NOUN = (
    r"(?:answers|replies|responses|resolutions|outputs|labels|annotations|targets|ground\s+truth"
    r"|gold(?:en)?\s+(?:answers|labels|outputs|data)|expected\s+outputs|completions|solutions"
    r"|summaries|translations)"
)
"""What a task should give back: the other half of a training pair."""
_BARE_INPUTS = (
    r"(?<!labelled\s)(?<!labeled\s)(?<!annotated\s)(?<!graded\s)(?<!reviewed\s)"
    rf"\b{_INPUT_NOUN}\b(?!\s+(?:with|and|plus)\s+(?:(?:their|the|its|our)\s+)?(?:\w+\s+)?"
    rf"{_OUTPUT_NOUN})"
)
"""Input nouns not already said to carry their outputs ("labelled data", "tickets with replies")."""
_WITHOUT_OUTPUTS = (
    r"[^.;!?]{0,40}?\b(?:no|not|without|lacking|missing|zero|none\s+of)\s+(?:any\s+|the\s+"
    r"|their\s+|its\s+|matching\s+|corresponding\s+|correct\s+|reference\s+|written\s+)?"
    rf"{_OUTPUT_NOUN}\b"
    r"|\s+(?:only|alone)\b(?!\s+(?:with|and)\b)"
)
"""After an input noun: the outputs are missing ("tickets but no answers", "inputs only")."""
_CREATE_VERB = (
    r"(?:write|create|generate|produce|label|annotate|collect|curate|gather|synthesi[sz]e"
    r"|build|make|assemble|export|draft)"
)
_SENSITIVE_THING = (
    r"(?:pii|phi|personal(?:ly)?\s+(?:identifiable\s+)?(?:data|information|info|details)"
    r"|(?:customer|user|patient|client|employee|citizen|member|people's|personal|private)s?'?\s+"
    r"(?:data|names|e-?mails?|e-?mail\s+addresses|addresses|phone\s+numbers|records|information"
    r"|info|details|pii|conversations|messages|profiles|accounts)"
    r"|(?:names|e-?mails|e-?mail\s+addresses|phone\s+numbers|home\s+addresses)\s+(?:and|or|&)\s+"
    r"(?:names|e-?mails|e-?mail\s+addresses|phone\s+numbers|addresses)"
    r"|e-?mail\s+addresses|phone\s+numbers|social\s+security\s+numbers?|ssns?"
    r"|passport\s+numbers?|dates?\s+of\s+birth|credit\s+cards?(?:\s+numbers)?"
    r"|bank\s+(?:details|account\s+numbers?|accounts)|medical\s+(?:records|data|histor(?:y|ies))"
    r"|health\s+(?:data|records|information)|patient\s+(?:data|records|information)"
    r"|financial\s+records|salar(?:y|ies)|payroll|hipaa|gdpr|trade\s+secrets"
    r"|confidential\s+(?:data|information|documents|records|files)"
    r"|sensitive\s+(?:data|information|info|content|documents|records|fields|details)"
    r"|private\s+(?:data|information|info))"
)
_IDENTIFIER = (
    r"(?:names|identifiers|identifying\s+(?:details|information|data|fields)|personal\s+details"
    r"|e-?mails|e-?mail\s+addresses|phone\s+numbers|addresses|account\s+numbers)"
)
"""Personal details a message may say were taken out."""
_REMOVE_VERB = (
    r"(?:strip|strips|stripped|stripping|remove|removes|removed|removing|delete|deletes|deleted"
    r"|deleting|drop|drops|dropped|dropping|hash|hashes|hashed|hashing|replace|replaces|replaced"
    r"|replacing|tokeni[sz]e|tokeni[sz]es|tokeni[sz]ed|tokeni[sz]ing|blank|blanks|blanked"
    r"|blanking|erase|erases|erased|erasing|(?:take|takes|took|taking|cut|cuts|cutting)(?=\s+out\b))"
)
_REMOVED = (
    r"(?:removed|stripped(?:\s+out)?|deleted|dropped|hashed|replaced|tokeni[sz]ed|blanked(?:\s+out)?"
    r"|taken\s+out|cut\s+out|erased|masked|redacted|scrubbed|anonymi[sz]ed|pseudonymi[sz]ed"
    r"|de-?identified)"
)
"""Removal verbs: a sensitive thing they act on is masked, not present."""
_HOLDS = r"(?:contains?|containing|includes?|including|has|have|with|holds?|stores?|process(?:es)?|handles?)"
_NOT_FOLLOWED_BY_DATA = (
    r"(?!\s+(?:data|information|info|feeds?|updates|prices|pricing|stock|news|inventory"
    r"|events|analytics|dashboards?|metrics))"
)
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
_GPU = (
    r"(?:gpus?|a100s?|h100s?|v100s?|tpus?|(?:gpu|compute|training|ml)\s+(?:clusters?|budget"
    r"|capacity|resources|servers?|nodes?|quota|infrastructure|infra|credits|instances?"
    r"|machines?)|compute|cloud\s+credits)"
)
_GUARD = (
    r"(?:guardrails?|safety\s+(?:filters?|features?|layers?|systems?|guardrails?|policies"
    r"|settings|classifiers?|measures|tuning)|content\s+(?:filters?|filtering|moderation"
    r"|policies|safety)|moderation(?:\s+(?:api|endpoint|layer|filters?))?|safety)"
)
_NEG_AUX = (
    r"(?:doesn'?t|does\s+not|don'?t|do\s+not|didn'?t|did\s+not|won'?t|will\s+not|wouldn'?t"
    r"|would\s+not|can'?t|cannot|can\s+not|couldn'?t|could\s+not|no\s+longer|never)"
)
_FAILED = (
    r"(?:failed|fail|fails|fell\s+short|falls?\s+short|plateau(?:ed|s)?|hit\s+a\s+(?:wall|ceiling)"
    r"|maxed\s+out|topped\s+out|stopped\s+improving|(?:did|do|does)\s*n'?t\s+(?:work|help|cut\s+it)"
    r"|(?:did|does|do)\s+not\s+(?:work|help)|(?:was|were|is|are)\s*n'?t\s+(?:enough|sufficient|good\s+enough)"
    r"|not\s+(?:good\s+)?enough|insufficient|no\s+(?:luck|good)|weren'?t\s+enough)"
)
_COST_FILLER = (
    r"(?:is|are|'s|'re|seems?|gets?|getting|being|remains?|stays?|feels?|was|were|will\s+be"
    r"|would\s+be|could\s+be|doesn'?t|does\s+not|don'?t|do\s+not|isn'?t|aren'?t|not|really"
    r"|very|quite|a|an|already|too|big|major|real|huge|super|definitely|also|pretty|rather)"
)
_COST_ADJ = (
    r"(?:tight|limited|constrained|concern|issue|problem|constraint|worry|factor|matters?"
    r"|important|critical|high|expensive|adds\s+up|significant|sensitive|deal|key|priority"
    r"|prohibitive)"
)

# Rules a free description can trigger: each names its subject, so they hold in any text.
_DESCRIPTION_RULES: dict[str, tuple[_Rule, ...]] = {
    "training_data": (
        _r(r"\bsynthetic\s+(?:training\s+)?(?:data|examples|pairs|datasets?)\b", "can_create"),
        _r(
            r"\b(?:could|can|would|will|able\s+to|plan\s+to|going\s+to|might|should\s+be\s+able\s+to)"
            rf"(?:<G2>|\s+){_CREATE_VERB}<G3>{_DATA_NOUN}\b",
            "can_create",
        ),
        _r(
            rf"\b{_DATA_NOUN}\s+(?:could|can|would|will)\s+be\s+(?:created|generated|written|labell?ed"
            r"|annotated|collected|produced|synthesi[sz]ed|exported|drafted)\b",
            "can_create",
        ),
        _r(
            r"\b(?:experts?|annotators?|labell?ers|reviewers|smes?|specialists|another\s+llm|an\s+llm"
            r"|gpt[\w.-]*)\s+(?:could|can|will|would)\s+(?:write|label|annotate|create|produce|draft"
            r"|generate)\b"
            r"|\b(?:ask|have|let|use|get|prompt)\s+(?:experts?|annotators?|smes?|another\s+llm|an\s+llm"
            r"|gpt[\w.-]*|claude|a\s+bigger\s+model|a\s+larger\s+model)\s+to\s+(?:write|label"
            r"|annotate|create|produce|draft|generate)\b",
            "can_create",
        ),
        _r(rf"\b(?:need|needs|needed|require|requires|want|wants|would\s+need)<G3>{_DATA_NOUN}\b", None),
        # inputs without outputs are not pairs: "we have thousands of tickets but no answers"
        _lit(
            r"\b(?:have|has|had|got|kept|collected|gathered|own|there\s+(?:are|is)|there's|only"
            rf"|just)\b(?:<G4>|\s+){_BARE_INPUTS}(?:{_WITHOUT_OUTPUTS})",
            "none",
        ),
        _r(
            r"\b(?:have|has|had|got|own|possess|hold|collected|gathered|there\s+(?:are|is)|there's"
            rf"|there're)\b(?!\s+to\b)(?:<G4>|\s+){_DATA_NOUN}\b",
            "have_pairs",
            "none",
        ),
        _r(
            r"\b(?:have|has|had|got|kept|collected|there\s+(?:are|is)|there's)\b(?:<G4>|\s+)(?:tickets"
            r"|questions|e-?mails|requests|queries|chats|conversations|cases|inputs)\s+(?:with|and)\s+"
            r"(?:(?:their|the|its|our)\s+)?(?:\w+\s+)?(?:replies|answers|responses|resolutions|outputs)\b",
            "have_pairs",
        ),
        _r(
            r"\b\d[\d,.]*\s*k?\+?\s+(?:labell?ed|annotated|curated|historical|existing|gold(?:en)?"
            r"|training|input[/-]output|example|sample|human[\s-]written|graded|reviewed)\s+"
            r"(?:examples|pairs|samples|records|conversations|tickets|e-?mails|documents|transcripts"
            r"|answers|responses)\b",
            "have_pairs",
        ),
        _lit(
            r"\bno\s+(?:training|labell?ed|annotated|example|historical)\s+(?:data|examples|pairs|sets?)\b"
            r"|\bno\s+(?:examples|datasets?|training\s+sets?)\b"
            r"|\bno\s+data\s+(?:at\s+all|yet|whatsoever|to\s+(?:train|fine[\s-]?tune))",
            "none",
        ),
        _lit(
            r"\b(?:lack|lacks|lacking|without)\s+(?:any\s+)?(?:training\s+|labell?ed\s+)?(?:data|examples)\b"
            r"|\b(?:don'?t|do\s+not|doesn'?t|does\s+not)\s+have\s+(?:any\s+)?(?:\w+\s+)?(?:data|examples)\b",
            "none",
        ),
    ),
    "sensitive_data": (
        _r(
            r"\b(?:anonymi[sz](?:ed|e|es|ing|ation)|pseudonymi[sz]\w*|de-?identifi\w*|redact\w*"
            r"|mask(?:ed|ing|s)?|scrubbed|scrub|sanitis\w*|sanitiz\w*|obfuscat\w*)\b",
            "masked",
        ),
        _r(
            rf"\b{_REMOVE_VERB}(?:\s+out)?\s+(?:(?:all|any|every|the|their|its|our|of|those|these)\s+)*"
            rf"(?:{_SENSITIVE_THING}|{_IDENTIFIER})\b",
            "masked",
        ),
        _r(
            rf"\b(?:{_SENSITIVE_THING}|{_IDENTIFIER})\s+(?:(?:is|are|was|were|has|have|had|been|being"
            r"|get|gets|got|will\s+be|would\s+be|already|all|always|first|automatically|fully"
            rf"|completely|then)\s+)*{_REMOVED}\b",
            "masked",
        ),
        _r(
            rf"\b{_SENSITIVE_THING}\b",
            "yes",
            "no",
            lead=rf"\b{_HOLDS}\s+(?:(?:the|their|our|some|any|lots\s+of|a\s+lot\s+of)\s+)?",
        ),
        _r(
            r"\b(?:data|it|this|content|documents|information|records)\s+(?:is|are|'s)\s+"
            r"(?:very\s+|highly\s+|quite\s+|really\s+)?(?:sensitive|confidential|private|personal)\b",
            "yes",
            "no",
        ),
        _lit(r"\bnon[\s-]?(?:sensitive|personal|confidential)\b", "no"),
        _lit(r"\bnothing\s+(?:sensitive|personal|confidential|private)\b", "no"),
        _r(
            r"\b(?:all|only|entirely|purely|just|fully)\s+public\b"
            r"|\bpublic(?:ly\s+available)?\s+(?:data|information|documents?|docs|content|sources"
            r"|web\s+pages|websites?|datasets?)\b"
            r"|\b(?:is|are|'s|'re)\s+(?:all\s+|entirely\s+|fully\s+)?public(?:ly\s+available)?\b",
            "no",
        ),
    ),
    "latency_critical": (
        _lit(
            r"\b(?:batch(?:ed)?\s+(?:jobs?|processing|mode|process|runs?|pipeline)|overnight|nightly"
            r"|no\s+(?:rush|hurry)|can\s+wait|not\s+time[\s-]?(?:sensitive|critical)"
            r"|(?:minutes|hours|days)\s+(?:is|are)\s+(?:fine|ok|okay|acceptable))\b",
            "no",
        ),
        _r(
            r"\b(?:latency|speed|response\s+times?|responsiveness)<G3>(?:critical|crucial|key|important"
            r"|matter(?:s|ed)?|essential|vital|a\s+(?:top\s+)?(?:priority|concern|requirement"
            r"|constraint|factor"
            r"|big\s+deal)|an\s+issue)\b",
            "yes",
            "no",
        ),
        _r(r"\b(?:low|ultra[\s-]?low|minimal)[\s-]latency\b", "yes", "no"),
        _r(r"\b(?:latency|time)[\s-](?:critical|sensitive)\b", "yes", "no"),
        _r(
            rf"\b(?:real[\s-]?time|realtime)\b{_NOT_FOLLOWED_BY_DATA}",
            "yes",
            "no",
            lead=r"\b(?:respond|answer|reply|return|react|generate|run|work)\w*\s+(?:in\s+)?|\bin\s+",
        ),
        _r(
            r"\b(?:under|within|below|less\s+than|sub)[\s-](?:a|one|1|half\s+a|a\s+few|\d+(?:\.\d+)?)?"
            r"\s*-?\s*(?:seconds?|secs?|s|ms|milliseconds?)\b|\bin\s+milliseconds\b",
            "yes",
            "no",
            lead=r"\b(?:respond|answer|reply|return|react|generate)\w*\s+(?:in\s+)?|\bin\s+",
        ),
        _r(
            r"\b(?:must|need(?:s|ed)?\s+to|has\s+to|have\s+to|had\s+to|should|got\s+to|gotta"
            r"|expected\s+to)\s+"
            r"(?:be\s+)?(?:\w+\s+){0,2}?(?:fast|quick|quickly|snappy|instant(?:aneous)?|instantly"
            r"|responsive|immediate|immediately)\b(?!\s+(?:to|at|in)\b)",
            "yes",
            "no",
        ),
        _r(
            r"\b(?:respond|answer|reply)\w*\s+(?:instantly|immediately|quickly|fast)\b"
            r"|\binstant\s+(?:answers|responses|replies|feedback|results)\b",
            "yes",
            "no",
        ),
    ),
    "context_size": (
        _lit(
            rf"\b{_NEG_AUX}\s+(?:\w+\s+){{0,2}}?fit\s+(?:in|into|within|inside)\s+(?:\w+\s+){{0,3}}?"
            r"(?:context|prompt|window|token|limit)",
            "too_big",
        ),
        _lit(
            rf"\b{_FITTING_SUBJECT}\s+(?:still\s+|just\s+|really\s+|simply\s+)?{_NEG_AUX}\s+"
            rf"(?:\w+\s+)?fit\b{_FIT_END}",
            "too_big",
        ),
        _r(
            r"\b(?:too\s+(?:long|big|large)|exceeds?|exceeding|exceeded|overflows?"
            r"|overflowing|bigger\s+than|larger\s+than|longer\s+than)(?:<G3>|\s+)(?:the\s+)?"
            r"(?:model'?s?\s+)?(?:context|token)(?:\s+(?:window|limit|length|size))?\b",
            "too_big",
            "fits",
        ),
        _lit(
            r"\b(?:over|beyond|past|above)\s+the\s+(?:context|token)\s+(?:window|limit|length)\b",
            "too_big",
        ),
        _r(
            r"\b(?:prompts?|context|documents?|docs|instructions|inputs?|manuals?|knowledge\s+base"
            r"|corpus)\s+(?:is|are|'s|'re|was|were|gets?|getting|got|become|becomes|became|grows?"
            r"|grew|would\s+be|will\s+be)?\s*(?:way\s+|far\s+"
            r"|much\s+)?too\s+(?:long|big|large)\b",
            "too_big",
        ),
        _lit(
            r"\b(?:context|token)\s+(?:window|limit|length)\s+(?:is\s+|gets\s+|was\s+)?(?:exceeded"
            r"|overflow\w*|blown|maxed\s+out|not\s+(?:enough|big\s+enough|large\s+enough))",
            "too_big",
        ),
        _r(
            r"\b(?:barely|just\s+about|only\s+just|almost|nearly|tightly|squeez\w*|cramped"
            r"|struggl\w*\s+to)(?:<G2>|\s+)(?:fits?|fitting)\b",
            "strained",
        ),
        _r(
            r"\b(?:close\s+to|near|nearing|approaching|at|hitting|pushing|bumping\s+(?:up\s+)?against"
            r"|right\s+up\s+against)\s+(?:the\s+)?(?:\w+\s+)?(?:context|token)\s+(?:window|limit|length"
            r"|size|ceiling)",
            "strained",
        ),
        _r(
            r"\b(?:prompts?|context)\s+(?:is|are|'s)\s+(?:getting|growing|becoming)\s+(?:\w+\s+)?"
            r"(?:long|big|large|unwieldy|huge)\b",
            "strained",
        ),
        _r(
            r"\b(?:context|prompt|token)(?:\s+(?:window|space|budget|limit|size))?\s+"
            r"(?:is\s+|gets\s+|getting\s+|feels\s+)*tight\b",
            "strained",
        ),
        _r(
            r"\bfits?\s+(?:easily|comfortably|fine|well|nicely|with\s+(?:room|space)(?:\s+to\s+spare)?)"
            r"|\b(?:easily|comfortably)\s+fits?\b",
            "fits",
        ),
        _r(
            r"\bfits?\s+(?:easily\s+|comfortably\s+|fine\s+)?(?:in|into|within|inside)\s+(?:\w+\s+){0,3}?"
            r"(?:context|prompt|window)",
            "fits",
        ),
        _r(r"\b(?:plenty\s+of|lots\s+of|enough)\s+(?:room|space|headroom)\b", "fits"),
        _r(
            rf"\b{_FITTING_SUBJECT}\s+(?:(?:still|easily|comfortably|all|always|would|will|does|did"
            rf"|do|could|can)\s+)?fit(?:s|ted)?\b{_FIT_END}",
            "fits",
            "too_big",
        ),
        _r(r"\b(?:short|small|tiny|brief)\s+(?:prompts?|contexts?)\b", "fits"),
    ),
    "domain_knowledge": (
        _r(
            r"\b(?:models?|llms?|gpt[\w.-]*|claude|llama)\s+(?:already\s+)?"
            r"(?:(?:does|do)\s*n'?t\s+|does\s+not\s+|do\s+not\s+|won'?t\s+|can'?t\s+|cannot\s+)?"
            r"(?:knows?|understands?|handles?)\s+(?:\w+\s+){0,3}?(?:domain|terminology|jargon|products?"
            r"|terms|field|subject|vocabulary|acronyms|codes)\b",
            "no",
            "yes",
        ),
        _r(
            r"\b(?:general|common|everyday|generic|public|world|basic|commonsense)\s+(?:knowledge"
            r"|language|english|vocabulary)\b",
            "no",
        ),
        _r(
            r"\b(?:internal|proprietary|in-?house|company[\s-]specific|domain[\s-]specific"
            r"|industry[\s-]specific|niche|speciali[sz]ed|specialist|special|bespoke|technical|medical"
            r"|legal|clinical|regulatory|scientific|financial|pharma\w*|engineering|insurance|tax"
            r"|accounting|biomedical|our\s+own|company)\s+(?:\w+\s+)?(?:terminology|jargon|vocabulary"
            r"|knowledge|terms|acronyms|lingo|conventions|expertise|nomenclature|abbreviations"
            r"|product\s+names)\b",
            "yes",
            "no",
        ),
        _r(
            r"\b(?:domain|subject[\s-]matter)[\s-](?:knowledge|expertise|terminology|jargon|experts?)\b"
            r"|\b(?:terminology|jargon|acronyms|lingo|nomenclature)\b",
            "yes",
            "no",
        ),
    ),
    "task_scope": (
        _r(
            r"\b(?:general[\s-]purpose|general|generic|open[\s-]ended|all[\s-]purpose|do[\s-]it[\s-]all"
            r"|multi[\s-]?purpose|universal|catch[\s-]all|swiss[\s-]army)\s+(?:\w+\s+)?(?:assistant"
            r"|chat\s*bot|bot|copilot|co-pilot|helper|agent|questions|conversations?|chat|q\s*&\s*a)\b",
            "broad",
        ),
        _r(
            r"\b(?:many|lots\s+of|all\s+kinds\s+of|all\s+sorts\s+of|various|a\s+wide\s+range\s+of"
            r"|wide\s+range\s+of|a\s+variety\s+of|variety\s+of|multiple|many\s+different|diverse"
            r"|dozens\s+of|hundreds\s+of)\s+(?:\w+\s+)?(?:tasks|use[\s-]cases|kinds\s+of\s+(?:tasks"
            r"|requests|questions)|types\s+of\s+(?:tasks|requests|questions)|domains|departments"
            r"|workflows|jobs|functions)\b",
            "broad",
        ),
        _r(
            r"\b(?:arbitrary|anything|whatever|all\s+kinds\s+of|all\s+sorts\s+of)\s+(?:\w+\s+)?"
            r"(?:questions?|requests?|tasks?|topics?)\b|\banything\s+(?:the\s+)?(?:users?|employees?"
            r"|people|staff)\s+(?:ask|asks|want|wants|need|needs)\b",
            "broad",
        ),
        _r(
            r"\bbroad\s+(?:scope|range|set|variety|tasks?|use|domain|assistant|copilot)\b"
            r"|\bwide[\s-]ranging\b|\bopen[\s-]domain\b",
            "broad",
        ),
        _r(
            r"\b(?:one|a|single|1)\s+(?:\w+\s+)?(?:narrow|specific|well[\s-]defined|focused|particular"
            r"|repetitive|fixed|clear|simple)\s+(?:task|job|use[\s-]case|function|problem|workflow)\b"
            r"|\b(?:single|one)[\s-](?:task|purpose)\b",
            "narrow",
        ),
        _r(
            r"\b(?:narrow(?:ly)?|narrowly[\s-]defined|well[\s-]defined|tightly[\s-]scoped|specific"
            r"|focused|single[\s-]purpose|repetitive)\s+(?:\w+\s+)?(?:task|scope|use[\s-]case|job"
            r"|problem|purpose|workflow)\b",
            "narrow",
        ),
        _r(
            r"\bclassif(?:y|ies|ying)\b(?:<G4>|\s+)(?:into|as|by)\s+(?:one\s+of\s+)?(?:\d+|\w+)\s+"
            r"(?:\w+\s+)?(?:categories|classes|labels|buckets|types|groups|intents|topics)\b",
            "narrow",
        ),
        _r(
            r"\b(?:classification|extraction|tagging|routing|triage|labell?ing|sentiment\s+analysis"
            r"|entity\s+extraction|ner)\s+(?:task|job|model|only|problem|use[\s-]case|pipeline)\b"
            r"|\b(?:just|only|purely|solely)\s+(?:for\s+|does\s+|do\s+)?(?:classif\w*|extract\w*"
            r"|tagging|routing|triage|summari[sz]\w*|translat\w*|one\s+(?:task|thing)|a\s+single\s+task)",
            "narrow",
        ),
    ),
    "alternatives_tried": (
        _lit(
            r"\b(?:prompt\w*|few[\s-]shot|chain\w*)(?:\s+<W>){0,6}?,?\s+but\s+(?:<W>\s+){0,3}?"
            r"(?:not|never|\w+n't)\s+(?:<W>\s+){0,3}?(?:chain\w*|prompt\w*)",
            "partly",
        ),
        _lit(
            r"\b(?:haven'?t|have\s+not|hasn'?t|has\s+not|didn'?t|did\s+not|never|not\s+yet|yet\s+to"
            r"|still\s+need\s+to)\s+(?:\w+\s+){0,2}?(?:tried|try|tested|test|attempted|attempt"
            r"|explored|explore|experimented|done|did|used|use|looked\s+into)"
            r"(?:\s+(?:any|much|some|the|with|out|our|a|more|basic|proper|serious|real|other|really"
            r"|yet)\b){0,2}\s+(?:prompt\w*|chain\w*|rag|retrieval|few[\s-]shot|alternatives?"
            r"|anything(?:\s+else)?|other\s+(?:approaches|options|methods|things)"
            r"|in-?context\s+learning|system\s+prompts?)",
            "no",
        ),
        _lit(
            r"\b(?:no|zero)\s+(?:prompt\s+engineering|prompting|chaining|prompt\s+chaining|attempts?"
            r"|alternatives)\s+(?:yet|so\s+far|at\s+all|tried|done)\b",
            "no",
        ),
        _r(
            r"\b(?:some|a\s+bit\s+of|a\s+little(?:\s+bit\s+of)?|basic|light|initial|limited|a\s+few"
            r"|brief(?:ly)?|quick(?:ly)?|early)\s+(?:\w+\s+)?(?:prompt\w*|chain\w*|few[\s-]shot)"
            r"|\b(?:only|just)\s+tried\s+(?:\w+\s+)?(?:prompt\w*|chain\w*)",
            "partly",
        ),
        _lit(
            r"\b(?:partly|partially|somewhat|to\s+some\s+extent|not\s+(?:fully|thoroughly|exhaustively"
            r"|extensively|systematically|properly))\s+(?:\w+\s+){0,2}?(?:tried|explored|tested|done"
            r"|used)\b",
            "partly",
        ),
        _r(
            r"\btried\s+(?:\w+\s+)?(?:everything|it\s+all|all\s+of\s+(?:them|it|that)|every\s+\w+"
            r"|extensively|exhaustively|thoroughly|both|hard|a\s+lot|lots|all\s+the\s+\w+)\b",
            "exhausted",
        ),
        _r(
            r"\b(?:had|'d|have|'ve|has)\s+(?:already\s+)?(?:tried|attempted|done|used|explored|tested)"
            r"(?:\s+(?:out|the|our|proper|serious|real|both|with))?\s+(?:prompt\w*(?:\s+(?:engineering"
            r"|chaining))?|chain\w*|few[\s-]shot"
            r"|alternatives|rag|retrieval|other\s+(?:approaches|options|methods))\b"
            r"(?![^.;!?]{0,40}\b(?:a\s+bit|a\s+little|briefly|somewhat|partly|partially|but\s+not"
            r"|not\s+(?:yet|much|fully|properly|chain\w*|prompt\w*)|works?|worked|helps?|helped))",
            "exhausted",
            hypothetical=True,
        ),
        _r(
            r"\b(?:exhausted|maxed\s+out)\s+(?:\w+\s+){0,2}?(?:prompt\w*|chain\w*|options|alternatives"
            r"|approaches)",
            "exhausted",
            "partly",
        ),
        _r(
            r"\b(?:prompt\w*|chain\w*|few[\s-]shot|rag|retrieval)\b(?:[^\w.;!?]+<W>){0,10}?"
            rf"[^\w.;!?]+{_FAILED}",
            "exhausted",
            _LITERAL,
            lead=r"(?:tried|used|did|done|tested|attempted|iterated\s+on)\s+(?:<W>\s+){0,2}",
        ),
    ),
    "model_fine_tunable": (
        _lit(
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
            r"|\bfine[\s-]?tuning\s+(?:is\s+)?(?:unavailable|unsupported|impossible)\b",
            "no",
        ),
        _r(
            r"\b(?:fine[\s-]?tun(?:e)?able|supports?\s+fine[\s-]?tuning"
            r"|(?:can|could|would|will)\s+be\s+(?:fine[\s-]?)?tuned"
            r"|allows?\s+fine[\s-]?tuning|fine[\s-]?tuning\s+(?:is\s+)?(?:available|supported|allowed"
            r"|possible|offered))\b",
            "yes",
            "no",
        ),
        _r(
            r"\b(?:use|using|run|running|deploy\w*|host\w*|self-host\w*|on)\s+(?:an?\s+|our\s+own\s+)?"
            r"(?:open[\s-]weights?\s+(?:model|llm)s?|open[\s-]source\s+(?:model|llm)s?|llama[\w.-]*"
            r"|mistral|mixtral|qwen[\w.-]*|gemma[\w.-]*)\b",
            "yes",
        ),
    ),
    "hosted_cost_sensitive": (
        _lit(
            r"\b(?:budget|money|cost|costs|price|pricing)\s+(?:is|are|'s)\s+(?:no\s+object"
            r"|plentiful|generous|unlimited|flexible|irrelevant|secondary|not\s+a\s+big\s+deal)\b"
            r"|\b(?:plenty|lots)\s+of\s+budget\b|\bdeep\s+pockets\b"
            r"|\b(?:don'?t|do\s+not)\s+care\s+(?:much\s+)?about\s+(?:the\s+)?(?:cost|price|pricing"
            r"|budget|money|spend)\b",
            "no",
        ),
        _r(
            r"\b(?:budgets?|costs?|pricing|prices?|spend(?:ing)?|bills?|expenses?|api\s+(?:costs?|bills?"
            r"|fees)|token\s+(?:costs?|bills?|spend)|per[\s-](?:call|token|request|query|prediction)\s+"
            rf"(?:pricing|costs?|fees?|charges?|prices?))(?:\s+{_COST_FILLER})*\s+{_COST_ADJ}\b",
            "yes",
            "no",
        ),
        _r(
            r"\b(?:cost|price|budget)[\s-](?:sensitive|conscious|constrained|critical|driven)\b"
            r"|\b(?:tight|limited|small|shoestring|constrained)\s+budget\b",
            "yes",
            "no",
        ),
        _r(
            r"\b(?:api|hosted|per[\s-](?:call|token|request|prediction)|calls?|tokens?|inference"
            r"|gpt[\w.-]*|openai|usage)\b[^.;!?]{0,30}?\b(?:expensive|costly|pricey|adds\s+up)\b"
            r"|\b(?:expensive|costly|pricey)\b[^.;!?]{0,20}?\b(?:api|calls|tokens|inference"
            r"|at\s+(?:our\s+)?(?:volume|scale))\b",
            "yes",
            "no",
        ),
    ),
    "compute_available": (
        _lit(
            r"\b(?:no|zero|without|lack(?:ing|s)?|not\s+(?:enough|much|any))\s+(?:access\s+to\s+)?"
            rf"(?:\w+\s+)?{_GPU}\b",
            "no",
        ),
        _r(
            r"\b(?:have|has|had|got|own|access\s+to|rent(?:ing)?|there\s+(?:are|is)|plenty\s+of"
            r"|lots\s+of|enough)\b(?!\s+to\b)(?:\s+(?:a|an|some|our|own|the|spare|dedicated|in-?house"
            r"|on-?prem|plenty\s+of|lots\s+of|enough|access\s+to|\d+|few|couple\s+of|several|many|idle"
            rf"|available|cloud|big|large|small))*\s+{_GPU}\b",
            "yes",
            "no",
        ),
        _r(rf"\b{_GPU}\s+(?:are|is)\s+(?:available|free|idle)\b", "yes", "no"),
        _lit(
            rf"\b(?:can'?t|cannot|can\s+not)\s+afford\s+(?:\w+\s+)?{_GPU}\b"
            r"|\bno\s+budget\s+for\s+(?:\w+\s+)?(?:gpus?|compute|training|hardware)\b",
            "no",
        ),
    ),
    "needs_vendor_guardrails": (
        _r(
            rf"\b(?:our\s+own|own|in-?house|custom|self-built|homegrown|separate)\s+(?:\w+\s+)?{_GUARD}",
            "no",
        ),
        _r(
            r"\b(?:rely|relies|relying|depend|depends|depending|count|counting|lean|leaning|rest)\s+"
            rf"(?:heavily\s+|entirely\s+|mostly\s+|fully\s+)?on\s+(?:<W>\s+){{0,3}}?{_GUARD}",
            "yes",
            "no",
        ),
        _r(
            r"\b(?:vendor|provider|openai|azure|anthropic|google|aws|bedrock|platform|built[\s-]in"
            rf"|native|api)(?:'s)?\s+(?:\w+\s+)?{_GUARD}",
            "yes",
            "no",
        ),
        _r(
            r"\b(?:need|needs|require|requires|must\s+have|must\s+keep|important|critical|essential"
            r"|mandatory|required)\s+(?:\w+\s+){0,2}?(?:guardrails?|moderation|safety\s+filters?"
            r"|content\s+filter\w*|content\s+moderation)",
            "yes",
            "no",
        ),
    ),
    "iteration_capacity": (
        _lit(
            r"\b(?:no|little|limited|not\s+(?:much|enough|a\s+lot\s+of)|zero|lack(?:ing)?(?:\s+of)?"
            r"|without\s+(?:the\s+)?|short\s+on)\s+(?:\w+\s+)?(?:time|bandwidth|capacity|headcount"
            r"|people|engineers|resources|ml\s+(?:expertise|engineers|skills|experience)|expertise"
            r"|staff)\s+(?:to|for)\s+(?:\w+\s+)?(?:iterate|iterating|iterations?|experiment\w*"
            r"|maintain\w*|retrain\w*|evaluat\w*|evals?|tun\w*|fine[\s-]?tun\w*|label\w*|curat\w*"
            r"|improv\w*|monitor\w*)",
            "no",
        ),
        _lit(
            r"\b(?:can'?t|cannot|unable\s+to|won'?t\s+be\s+able\s+to|not\s+able\s+to"
            r"|don'?t\s+have\s+(?:the\s+)?(?:time|bandwidth|capacity)\s+to)\s+(?:\w+\s+)?"
            r"(?:iterate|experiment|maintain|retrain|keep\s+retraining|run\s+evals)\b",
            "no",
        ),
        _lit(
            r"\b(?:no|zero|without\s+an?)\s+(?:ml|machine\s+learning|data\s+science|ai)\s+(?:team"
            r"|engineers?|expertise|experience|skills|people)\b"
            r"|\bteam\s+(?:is|are)\s+(?:already\s+)?(?:stretched|swamped|overloaded|at\s+capacity"
            r"|maxed\s+out|underwater)\b",
            "no",
        ),
        _r(
            r"\b(?:have|has|got|plenty\s+of|enough|lots\s+of|dedicated|spare)\s+(?:\w+\s+){0,2}?"
            r"(?:time|bandwidth|capacity|ml\s+engineers|ml\s+team|data\s+scientists|engineers|people"
            r"|headcount|resources)\s+(?:to|for)\s+(?:\w+\s+)?(?:iterate|iterating|iterations?"
            r"|experiment\w*|maintain\w*|retrain\w*|evaluat\w*|evals?)",
            "yes",
            "no",
        ),
        _r(
            r"\b(?:dedicated|experienced|strong|in-?house)\s+(?:ml|machine\s+learning|data\s+science|ai"
            r"|mlops)\s+(?:team|engineers?|people|staff|expertise)\b",
            "yes",
            "no",
        ),
        _r(r"\b(?:can|able\s+to|happy\s+to)\s+(?:\w+\s+)?(?:iterate|experiment)\b", "yes", "no"),
    ),
}

_ALONE = r"^\W*(?:{})\W*$"

# Extra rules for an answer to a known question: looser words that only mean something once we
# know what was asked ("fast" answers the latency question, not a description of the use case).
_ANSWER_ONLY_RULES: dict[str, tuple[_Rule, ...]] = {
    "training_data": (
        _r(
            r"\b(?:could|can(?!')|would|will|able\s+to|plan\s+to|going\s+to|might)"
            rf"(?:<G2>|\s+){_CREATE_VERB}\b",
            "can_create",
        ),
        _r(r"\bsynthetic\b|\b(?:another|an)\s+llm\b", "can_create"),
        _lit(
            rf"{_BARE_INPUTS}(?:{_WITHOUT_OUTPUTS})"
            rf"|\b(?:no|without|lacking|missing)\s+(?:any\s+|the\s+)?{_OUTPUT_NOUN}\b",
            "none",
        ),
        _r(r"\b(?:unlabell?ed|raw|unstructured|not\s+labell?ed)\b", None),
        _r(
            r"\b(?:have|got)\b(?!\s+to\b)(?:<G3>|\s+)(?:data|lots|plenty|thousands|hundreds|loads|tons)\b",
            "have_pairs",
            "none",
        ),
        _r(r"\b(?:labell?ed|annotated|input[/-]output|pairs|examples)\b", "have_pairs", "none"),
        _lit(
            _ALONE.format(
                r"none|nothing|nada|zilch|zero|no\s+data|no\s+examples|none\s+(?:yet|at\s+all)"
                r"|nothing\s+(?:yet|at\s+all)|we\s+have\s+none"
            ),
            "none",
        ),
        _lit(r"\bno\s+(?:\w+\s+)?(?:data|examples)\b", "none"),
    ),
    "sensitive_data": (
        _r(r"\b(?:sensitive|confidential|private|personal|pii|gdpr|hipaa|secrets?)\b", "yes", "no"),
        _r(
            r"\b(?:names?|e-?mails?|addresses|phone|medical|health|patients?|financial|salar\w*"
            r"|customers?|users?|employees?|clients?)\b",
            "yes",
            "no",
        ),
        _r(r"\bpublic\b", "no"),
    ),
    "latency_critical": (
        _lit(
            r"\b(?:slow\s+is\s+(?:fine|ok|okay)|can\s+be\s+slow|(?:a\s+few\s+)?(?:seconds|minutes|hours)"
            r"\s+(?:is|are)\s+(?:fine|ok|okay|acceptable)|whenever|offline|not\s+urgent|no\s+rush"
            r"|can\s+live\s+with)\b",
            "no",
        ),
        _r(
            r"\b(?:fast|quick(?:ly)?|speedy|snappy|instant\w*|immediate\w*|rapid|urgent|critical|crucial"
            r"|important|essential|vital|matters?|priority|asap|live(?!\s+with)|interactive"
            r"|milliseconds?)\b",
            "yes",
            "no",
        ),
    ),
    "context_size": (
        _lit(r"\b(?:doesn'?t|does\s+not)\s+fit\s+(?:easily|comfortably)\b", "strained"),
        _lit(rf"\b(?:{_NEG_AUX}|not)\s+(?:\w+\s+){{0,2}}?fit\b", "too_big"),
        _lit(r"\b(?:not\s+enough|no)\s+(?:room|space)\b", "too_big"),
        _r(r"\b(?:truncat\w*|cut\s+off|overflow\w*|exceed\w*)\b", "too_big", "fits"),
        _r(r"\btoo\s+(?:long|big|large|much)\b", "too_big"),
        _r(
            r"\b(?:barely|tight|squeez\w*|cramped|borderline|almost|nearly|getting\s+(?:long|big|large"
            r"|close|there)|pushing\s+it|on\s+the\s+edge|close\s+to\s+the\s+limit|near\s+the\s+limit"
            r"|at\s+the\s+limit|just\s+about|just\s+barely)\b",
            "strained",
        ),
        _r(r"\bfits?\b", "fits", "too_big"),
        _lit(r"\bno\s+(?:problem|issue)s?\b", "fits"),
        _r(r"\b(?:easily|comfortably|plenty|short|small|tiny|room\s+to\s+spare|fine|ok|okay)\b", "fits"),
    ),
    "domain_knowledge": (
        _r(
            r"\b(?:general|generic|common|everyday|standard|ordinary|plain|basic|nothing\s+special"
            r"|public)\b",
            "no",
        ),
        _r(
            r"\b(?:jargon|terminology|speciali[sz]ed|specialist|special|niche|technical|domain|proprietary"
            r"|internal|in-?house|acronyms|expert\w*|industry|medical|legal|scientific|unique"
            r"|company[\s-]specific)\b",
            "yes",
            "no",
        ),
    ),
    "task_scope": (
        _r(r"\b(?:broad|general|generic|wide|open[\s-]ended|varied|diverse)\b", "broad", "narrow"),
        _r(
            r"\b(?:many|lots|multiple|various|everything|anything|all\s+sorts|all\s+kinds|several"
            r"|variety)\b",
            "broad",
        ),
        _r(r"\b(?:narrow|specific|single|focused|niche|well[\s-]defined|one)\b", "narrow", "broad"),
        _r(
            r"\b(?:just|only|simple|classif\w*|categori[sz]\w*|extract\w*|tagging|routing|triage"
            r"|sentiment|summari[sz]\w*|translat\w*)\b",
            "narrow",
        ),
    ),
    "alternatives_tried": (
        _lit(
            r"\b(?:partly|partially|somewhat|a\s+(?:bit|little)|to\s+some\s+extent|sort\s+of|kind\s+of"
            r"|not\s+(?:fully|thoroughly|exhaustively|extensively|properly|much)|some|a\s+few|briefly"
            r"|only\s+(?:a\s+bit|prompting|prompt\s+engineering|chaining|one)"
            r"|just\s+(?:prompt\w*|chain\w*|a\s+bit|a\s+little))\b",
            "partly",
        ),
        _r(
            r"\b(?:everything|exhaustively|extensively|thoroughly|a\s+lot|lots|both|all\s+of\s+(?:it|them)"
            r"|exhausted|maxed\s+out|fully|completely)\b",
            "exhausted",
        ),
        _lit(
            r"\b(?:not\s+yet|haven'?t|have\s+not|hasn'?t|didn'?t|did\s+not|never|nothing|none|not\s+really"
            r"|nope|not\s+at\s+all|yet\s+to)\b",
            "no",
        ),
    ),
    "model_fine_tunable": (
        _lit(r"\b(?:closed|locked|api[\s-]only|no\s+access|not\s+possible|can'?t|cannot)\b", "no"),
        _r(
            r"\b(?:fine[\s-]?tun\w*|tunable|supported|supports?|allowed|allows?|possible|available"
            r"|open[\s-]?(?:source|weights?)|can(?!')|self[\s-]hosted)\b",
            "yes",
            "no",
        ),
    ),
    "hosted_cost_sensitive": (
        _lit(
            r"\b(?:not\s+(?:a\s+|an\s+|really\s+a\s+)?(?:concern|issue|problem|worry|big\s+deal|factor)"
            r"|don'?t\s+care|do\s+not\s+care|no\s+(?:problem|issue|object))\b",
            "no",
        ),
        _r(
            r"\b(?:fine|ok|okay|acceptable|affordable|plenty|unlimited|generous|cheap\s+enough|negligible"
            r"|irrelevant)\b",
            "no",
        ),
        _r(
            r"\b(?:expensive|costly|pricey|tight|limited|concern\w*|matters?|important|critical|sensitive"
            r"|worr\w*|cheap\w*|save\s+money|savings?|issue|problem|constraint|significant|high"
            r"|adds\s+up)\b",
            "yes",
            "no",
        ),
    ),
    "compute_available": (
        _lit(_ALONE.format(r"none|nothing|zero|nada"), "no"),
        _lit(r"\b(?:can'?t\s+afford|no\s+budget|no\s+access)\b", "no"),
        _r(
            r"\b(?:gpus?|a100s?|h100s?|tpus?|compute|cluster|hardware|cloud|sagemaker|vertex|bedrock"
            r"|azure|aws|gcp|credits|servers?|rent|plenty|enough|access|budget)\b",
            "yes",
            "no",
        ),
    ),
    "needs_vendor_guardrails": (
        _r(r"\b(?:own|in-?house|custom|ourselves|homegrown)\b", "no"),
        _r(
            r"\b(?:guardrails?|safety|moderation|filters?|filtering|important|critical|essential|must"
            r"|need\w*|rely|relies|depend\w*|required|mandatory|vendor)\b",
            "yes",
            "no",
        ),
    ),
    "iteration_capacity": (
        _lit(
            r"\b(?:busy|swamped|stretched|overloaded|no\s+one|nobody|no\s+time|small\s+team|tiny\s+team"
            r"|solo|just\s+me|one\s+person|no\s+capacity|no\s+bandwidth|at\s+capacity|underwater)\b",
            "no",
        ),
        _r(
            r"\b(?:time|capacity|bandwidth|team|engineers|people|resources|iterate|experiment|plenty"
            r"|enough|dedicated|able|can(?!'))\b",
            "yes",
            "no",
        ),
    ),
}

_ANSWER_RULES: dict[str, tuple[_Rule, ...]] = {
    fid: _DESCRIPTION_RULES[fid] + _ANSWER_ONLY_RULES[fid] for fid in FACTOR_IDS
}

# --- whole-message vocabulary -------------------------------------------------------------

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
_QUESTION_MARKS = re.compile(r"^\s*\?+\s*$")
_OPTION_NUMBER = re.compile(r"^(?:option|number|choice)?\s*[#(]?\s*([0-9]{1,3})\s*[.)!]*$")
_VALUE_SEPARATORS = re.compile(r"[\s_-]+")

_NO_LEAD = re.compile(
    r"^(?:absolutely\s+not|definitely\s+not|certainly\s+not|of\s+course\s+not|not\s+really"
    r"|not\s+at\s+all|no\s+way|nope|nah|no|false|never|negative)(?![\w'])"
)
_YES_LEAD = re.compile(
    r"^(?:yes|yep|yeah|yea|yup|sure|definitely|absolutely|certainly|of\s+course|indeed|affirmative"
    r"|correct|true)(?![\w'])(?!\s+not\b)"
)
_NO_WHOLE = re.compile(
    r"^(?:n|not|we\s+don'?t|we\s+do\s+not|it\s+isn'?t|it\s+is\s+not|it's\s+not|it\s+doesn'?t"
    r"|it\s+does\s+not|we\s+can'?t|we\s+cannot|it\s+can'?t|it\s+cannot|we\s+haven'?t"
    r"|we\s+have\s+not|we\s+aren'?t|we're\s+not|we\s+are\s+not|it\s+won'?t|no\s+no|nope\s+not\s+at\s+all)$"
)
_YES_WHOLE = re.compile(
    r"^(?:y|ya|yas|right|exactly|it\s+is|it\s+does|we\s+do|we\s+are|we\s+have|we\s+can|it\s+can"
    r"|it\s+will|it\s+has|it\s+must|very\s+much(?:\s+so)?|totally|for\s+sure|yes\s+please"
    r"|you\s+bet)$"
)

_YES_NO = {"yes": "yes", "no": "no"}
_POLARITY: dict[str, dict[str, str]] = {
    "training_data": {"no": "none"},
    "sensitive_data": _YES_NO,
    "latency_critical": _YES_NO,
    "context_size": {"yes": "fits"},
    "domain_knowledge": _YES_NO,
    "task_scope": {},
    "alternatives_tried": {"yes": "exhausted", "no": "no"},
    "model_fine_tunable": _YES_NO,
    "hosted_cost_sensitive": _YES_NO,
    "compute_available": _YES_NO,
    "needs_vendor_guardrails": _YES_NO,
    "iteration_capacity": _YES_NO,
}
"""What a bare yes or no means for each question (see ``bot.wording.QUESTIONS``); a missing
entry means the bare word is ambiguous there."""

_REFINES: dict[str, frozenset[str]] = {
    "training_data": frozenset({"can_create"}),
    "sensitive_data": frozenset({"masked"}),
    "context_size": frozenset({"strained"}),
    "alternatives_tried": frozenset({"partly"}),
}
"""Values that win over a leading yes/no ("yes, but masked", "yes, barely", "no, only a bit")."""


def _option_value(factor_id: str, core: str) -> str | None:
    """The value for a typed option number; "" when it is a number but out of range."""
    match = _OPTION_NUMBER.match(core)
    if match is None:
        return None
    allowed = BY_ID[factor_id].allowed
    index = int(match.group(1))
    return allowed[index - 1] if 1 <= index <= len(allowed) else ""


_WORDS = re.compile(r"[\w']+")
_BARE_YES = frozenset({"yes", "yeah", "yep", "yup", "yea", "y"})
_BARE_NO = frozenset({"no", "nope", "nah", "n"})


def _polarity(core: str) -> str | None:
    """"yes" or "no" when the message is or starts with a yes/no word; "" when its first words
    say both ("yes and no"); else None."""
    first = set(_WORDS.findall(core, 0, 40)[:3])
    if first & _BARE_YES and first & _BARE_NO:
        return ""
    if _NO_WHOLE.match(core) or _NO_LEAD.match(core):
        return "no"
    if _YES_WHOLE.match(core) or _YES_LEAD.match(core):
        return "yes"
    return None


def _is_unknown(core: str) -> bool:
    return _UNKNOWN_WHOLE.match(core) is not None or _UNKNOWN_LEAD.match(core) is not None


# --- public API ------------------------------------------------------------------------


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
    norm = _normalize(raw)
    core = _core(norm)
    if not core:
        return UNKNOWN if _QUESTION_MARKS.match(norm) else None
    number = _option_value(factor_id, norm.strip())
    if number is not None:
        return number or None
    value_id = _VALUE_SEPARATORS.sub("_", core)
    if value_id in BY_ID[factor_id].allowed:
        return value_id
    if _is_unknown(core):
        return UNKNOWN
    if _interrogative(core, norm.rstrip().endswith("?")):
        return None  # a question, not an answer: the caller answers it
    polarity = _polarity(core)
    if polarity == "":
        return None  # "yes and no"
    polar = _POLARITY[factor_id].get(polarity or "")
    reading = _read(_ANSWER_RULES[factor_id], norm)
    if reading is not None and reading[0] is None:
        return None  # the text is ambiguous on this factor
    specific = reading[0] if reading is not None else None
    if specific is None or polar is None:
        return specific or polar
    if specific == polar or specific in _REFINES.get(factor_id, frozenset()):
        return specific
    if reading is not None and _about_another_factor(factor_id, norm, reading):
        return polar  # "no, but users need instant replies": the rest is about latency
    return None  # the yes/no and the rest of the message disagree


def _about_another_factor(factor_id: str, norm: str, reading: _Reading) -> bool:
    """Whether ``reading`` of ``factor_id`` only comes from a loose answer word (not a phrase
    that names this factor) inside a clause that clearly states another factor: "customers" in
    "no, but the customers need answers in real time" is about latency, not personal data."""
    if _read(_DESCRIPTION_RULES[factor_id], norm) is not None:
        return False  # a phrase about this very factor: a real contradiction
    _, start, end = reading
    left, right = _bounds(norm, start, end, _CLAUSE_ENDS)
    clause = norm[left:right]
    return any(
        _read(_DESCRIPTION_RULES[other], clause) is not None
        for other in FACTOR_IDS
        if other != factor_id
    )


def understand(text: str) -> dict[str, Understood]:
    """Read the factors a free description states clearly, with the words that support each.

    Never returns ``unknown``; leaves out anything not clearly stated. Also reads hypotheticals
    ("what if latency isn't critical?"). ``evidence`` is a slice of ``text``.
    """
    if not isinstance(text, str):
        return {}
    raw = text[:MAX_DESCRIPTION_CHARS]
    norm = _normalize(raw)
    found: dict[str, Understood] = {}
    for factor_id in FACTOR_IDS:
        reading = _read(_DESCRIPTION_RULES[factor_id], norm, strict=True)
        if reading is None or reading[0] is None:
            continue
        value, start, end = reading
        evidence = raw[start:end].strip()
        if evidence:
            found[factor_id] = Understood(value, evidence)
    return found


_FACTOR_ALIASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (fid, re.compile(r"\b(?:" + words + r")\b"))
    for fid, words in (
        (
            "training_data",
            r"training[\s_-]data|training\s+sets?|training\s+examples|examples|labell?ed\s+data|labels"
            r"|data\s*sets?|pairs|data|training",
        ),
        (
            "sensitive_data",
            r"sensitive[\s_-]data|sensitive|privacy|private|pii|personal\s+data|personal|confidential\w*"
            r"|data\s+protection|gdpr|masking",
        ),
        (
            "latency_critical",
            r"latency[\s_-]critical|latency|speed|response\s+times?|fast|real[\s-]?time|responsiveness",
        ),
        (
            "context_size",
            r"context[\s_-]size|context\s+window|context|prompt\s+size|prompt\s+length|token\s+limit|tokens"
            r"|long\s+prompts?",
        ),
        ("domain_knowledge", r"domain[\s_-]knowledge|domain|terminology|jargon|expertise|knowledge"),
        ("task_scope", r"task[\s_-]scope|scope|task|breadth|narrow|broad"),
        (
            "alternatives_tried",
            r"alternatives[\s_-]tried|alternatives|prompt\s+engineering|prompting|prompt\s+chaining|chaining",
        ),
        (
            "model_fine_tunable",
            r"model[\s_-]fine[\s_-]tunable|fine[\s-]?tunable|tunable|fine[\s-]?tuning\s+support|model",
        ),
        (
            "hosted_cost_sensitive",
            r"hosted[\s_-]cost[\s_-]sensitive|hosted\s+costs?|costs?|prices?|pricing|budget|money"
            r"|per[\s-](?:call|prediction)",
        ),
        ("compute_available", r"compute[\s_-]available|compute|gpus?|hardware|infrastructure"),
        (
            "needs_vendor_guardrails",
            r"needs[\s_-]vendor[\s_-]guardrails|vendor\s+guardrails|guardrails?|safety|moderation"
            r"|content\s+filters?",
        ),
        (
            "iteration_capacity",
            r"iteration[\s_-]capacity|time\s+to\s+iterate|iterations?|iterate|capacity|bandwidth",
        ),
    )
)


def factor_from_words(text: str) -> str | None:
    """The factor id a loose name refers to ("latency", "sensitive data", "gpu"), or None.

    The longest matching name wins; a tie between two factors is ambiguous and reads as None.
    """
    if not isinstance(text, str):
        return None
    core = _core(_normalize(text[:MAX_ANSWER_CHARS]))
    if not core:
        return None
    exact = _VALUE_SEPARATORS.sub("_", core)
    if exact in BY_ID:
        return exact
    best: dict[str, int] = {}
    for fid, pattern in _FACTOR_ALIASES:
        longest = max((len(m.group()) for m in pattern.finditer(core)), default=0)
        if longest:
            best[fid] = longest
    if not best:
        return None
    top = max(best.values())
    winners = [fid for fid, length in best.items() if length == top]
    return winners[0] if len(winners) == 1 else None


_COMMANDS: dict[str, str] = {
    "skip": "skip",
    "back": "back",
    "go back": "back",
    "undo": "back",
    "change": "change",
    "restart": "restart",
    "start over": "restart",
    "start again": "restart",
    "reset": "restart",
    "start": "start",
    "begin": "start",
    "why": "why",
    "why do you ask": "why_ask",
    "why are you asking": "why_ask",
    "why this question": "why_ask",
    "why ask": "why_ask",
    "why ask this": "why_ask",
    "help": "help",
    "commands": "help",
    "export": "record",
    "record": "record",
    "decision record": "record",
    "status": "status",
}
"""Whole-message commands (after lower-casing, a leading "/" and trailing "." "!" "?")."""
_CHANGE = re.compile(r"^change\s+(?:my\s+|the\s+)?(?:answer\s+(?:to|for|on)\s+|answer\s+)?(.+)$")
_COMMAND_TRAILER = re.compile(r"[\s.!?]+$")


def parse_command(text: str) -> Action | None:
    """The command a whole message spells, or None for anything else (answers, free questions)."""
    if not isinstance(text, str) or len(text) > MAX_COMMAND_CHARS:
        return None
    core = _SPACES.sub(" ", _normalize(text)).strip()
    if core.startswith("/"):
        core = core[1:].lstrip()
    core = _COMMAND_TRAILER.sub("", core)
    name = _COMMANDS.get(core)
    if name is not None:
        return Action(name)
    change = _CHANGE.match(core)
    if change is None:
        return None
    factor_id = factor_from_words(change.group(1))
    return Action("change", factor=factor_id) if factor_id else Action("change")
