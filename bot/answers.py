"""Answers to free questions and "why" follow-ups, composed from the knowledge base.

Every answer is a :class:`~bot.replies.Text` whose citations are exactly the entries used.
A question the knowledge base does not cover is declined with no citations: the retrieval
gate decides that, and no unrelated entry is ever offered instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from bot import wording
from bot.engine import STANCES, VERDICT_LEANING, Citation, EntrySource, Recommendation, recommend
from bot.factors import UNKNOWN
from bot.reading import factor_from_words, hypothesis_body, is_hypothetical, parse_answer, understand
from bot.replies import Text, describe_changes
from bot.rules import PREREQUISITES
from knowledge.base import default_knowledge_base
from knowledge.guide import default_guide
from knowledge.routes import ENTRY, HELP, LIMIT, OFF_TOPIC, OVERVIEW, Route

MAX_QUESTION_CHARS = 2000
_SECOND_HIT_RATIO = 0.8  # a second entry joins only when nearly as relevant and on the same factors
_ASKS_FOR_FIGURE = re.compile(
    r"\bhow\s+(?:many|much|long|big|large|often|soon)\b|\bby\s+how\s+much\b|\bwhat\s+(?:size|number|percentage)\b"
    r"|\b(?:minimum|maximum)\b|\d+\s*\w*\b.*\benough\b",
    re.I,
)
"""A question asking for a figure: the article gives none anywhere, so such a question is
answered as one of its limits with the nearest entry, never with a number."""


_TOKEN_RE = re.compile(r"[A-Za-z0-9][\w-]*")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;]\s+)([A-Za-z0-9][\w-]*)")


def _unknown_name(question: str, known: frozenset[str]) -> str:
    """The first name in ``question`` the knowledge entries never use ("" if none): a capitalised
    word past a sentence's start or an acronym of three letters or more ("Llama", "LoRA",
    "GPT-4", "SSNs"). The article names no product, vendor or method but OpenAI, so it says
    nothing about them."""
    starts = {m.start(1) for m in _SENTENCE_START_RE.finditer(question)}
    for match in _TOKEN_RE.finditer(question):
        token = match.group(0).strip("-_")
        letters = "".join(c for c in token if c.isalpha())
        capitalised = any(c.isupper() for c in letters) and match.start() not in starts
        if not capitalised or (letters.isupper() and len(letters) < 3):
            continue  # a figure ("30k") or a short everyday abbreviation ("HR", "ML") is no name
        if not {w.lower() for w in re.findall(r"[A-Za-z]+", token)} <= known:
            return token
    return ""


class Searcher(Protocol):
    """What answering needs from the retrieval index (see ``knowledge.KnowledgeIndex``);
    ``route`` (optional) also tells overviews, limits, help and off-topic questions apart."""

    def search(self, query: str, k: int = 3) -> Sequence[Any]: ...


def _citation(entry: Any) -> Citation:
    return Citation(entry.id, entry.title, entry.section)


def _route(index: Searcher, question: str) -> Route:
    route = getattr(index, "route", None)
    if route is not None:
        return route(question)
    hits = tuple(index.search(question, k=3))
    return Route(ENTRY, hits=hits) if hits else Route(OFF_TOPIC)


def _user_context(entry: Any, answers: Mapping[str, str] | None) -> str:
    """The user's own answer, when it bears on this entry's question and agrees with it.

    It bears on it when the entry is the one that explains that factor (or speaks to that
    factor alone); it agrees when the entry is neutral or argues the same way as the answer,
    so "you have pairs" never opens an entry about data being hard to get.
    """
    if not answers:
        return ""
    factors = entry.primary_for or (entry.factors if len(entry.factors) == 1 else ())
    for factor_id in factors:
        value = answers.get(factor_id, UNKNOWN)
        if value == UNKNOWN:
            continue
        if entry.stance in ("neutral", STANCES[(factor_id, value)]):
            return wording.REASONS[(factor_id, value)]
    return ""


@functools.cache
def _entry_words(kb: Any) -> frozenset[str]:
    """Every word the knowledge entries use, lower-cased."""
    text = " ".join(" ".join((e.title, e.summary, e.body, *e.keywords)) for e in kb)
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", text))


def _points(entries: Sequence[Any]) -> str:
    return "\n".join(f"- {e.summary} [{e.id}]" for e in entries)


def _limit_text(topic: str, nearest: Sequence[Any], phrases: Mapping[str, str]) -> Text:
    said = phrases["limit"].format(topic=topic)
    if not nearest:
        return Text(said)
    if len(nearest) == 1:
        said_instead = f"{nearest[0].summary} {nearest[0].body}"
    else:
        said_instead = _points(nearest)
    return Text(f"{said}\n{phrases['limit_nearest']}\n{said_instead}", tuple(_citation(e) for e in nearest))


def _help_text(help_entry: Any, recommendation: Recommendation | None) -> Text:
    if help_entry.after_verdict and recommendation is not None and recommendation.next_steps:
        steps = "\n".join(f"- {s}" for s in recommendation.next_steps)
        return Text(f"{help_entry.after_verdict}\n{steps}")
    fields = {
        "prerequisites": ", ".join(wording.SHORT_NAMES[f].lower() for f in PREREQUISITES),
        "verdicts": "; ".join(f'"{t}"' for t in wording.VERDICT_TITLES.values()),
        "confidence_levels": "; ".join(wording.CONFIDENCE_TEXT.values()),
    }
    return Text(help_entry.text.format(**fields))


def _entry_answer(hits: Sequence[Any], answers: Mapping[str, str] | None) -> Text:
    used = [hits[0]]
    if (
        len(hits) > 1
        and hits[1].score >= _SECOND_HIT_RATIO * hits[0].score
        and set(hits[1].entry.factors) & set(hits[0].entry.factors)
    ):
        used.append(hits[1])
    entries = [h.entry for h in used]
    parts = [_user_context(entries[0], answers), *(e.summary for e in entries), entries[0].body]
    return Text(" ".join(p for p in parts if p), tuple(_citation(e) for e in entries))


def answer_question(
    question: str,
    index: Searcher,
    answers: Mapping[str, str] | None = None,
    recommendation: Recommendation | None = None,
) -> Text:
    """The answer to a free question: one or two entries (the user's own relevant answer
    first), a section overview, what the article does not say, a help entry, or a decline.
    Citations are exactly the entries the text uses; a decline and help cite nothing."""
    question = question[:MAX_QUESTION_CHARS]
    route = _route(index, question)
    if route.kind == OFF_TOPIC or (route.kind != HELP and not route.hits and route.kind == ENTRY):
        return Text(wording.OFF_TOPIC)
    if route.kind == HELP and route.help is not None:
        return _help_text(route.help, recommendation)
    phrases = getattr(index, "guide", None) or default_guide()
    phrases = phrases.phrases
    kb = getattr(index, "kb", None) or default_knowledge_base()
    if _ASKS_FOR_FIGURE.search(question) and route.kind in (ENTRY, OVERVIEW) and route.hits:
        return _limit_text(phrases["no_figures"], [route.hits[0].entry], phrases)
    name = _unknown_name(question, _entry_words(kb)) if route.kind in (ENTRY, OVERVIEW) and route.hits else ""
    if name:
        return _limit_text(phrases["no_name"].format(name=name), [route.hits[0].entry], phrases)
    if route.kind == OVERVIEW and route.overview is not None:
        entries = [kb.get(i) for i in route.overview.entries]
        return Text(f"{route.overview.intro}\n{_points(entries)}", tuple(_citation(e) for e in entries))
    if route.kind == LIMIT and route.limit is not None:
        return _limit_text(route.limit.topic, [kb.get(i) for i in route.limit.nearest], phrases)
    return _entry_answer(route.hits, answers)


def why_ask(factor_id: str, kb: Any) -> Text:
    """Why the bot asks about ``factor_id``: the factor's primary entry, in brief."""
    entry = kb.primary(factor_id)
    return Text(f"{wording.WHY_ASK_PREFIX}{entry.summary}", (_citation(entry),))


def _reason_lines(reasons: Sequence[Any], limit: int = 4) -> tuple[str, list[str]]:
    picked = list(reasons[:limit])
    ids: list[str] = []
    for r in picked:
        ids.extend(c for c in r.citations if c not in ids)
    return "\n".join(f"- {r.text}" for r in picked), ids


def _cited(ids: Sequence[str], kb: EntrySource) -> tuple[Citation, ...]:
    return tuple(_citation(kb.get(i)) for i in ids)


def why_verdict(rec: Recommendation, kb: EntrySource) -> Text:
    """The decisive reasons behind the verdict (all reasons if none is decisive alone)."""
    title = wording.VERDICT_TITLES[rec.verdict].lower()
    leaning = VERDICT_LEANING[rec.verdict]
    decisive = [r for r in rec.reasons if r.decisive or r.stance == leaning] or list(rec.reasons)
    if not decisive:
        return Text(f"{wording.WHY_VERDICT_INTRO.format(verdict=title)}\n- {rec.summary}", rec.citations[:2])
    lines, ids = _reason_lines(decisive)
    return Text(f"{wording.WHY_VERDICT_INTRO.format(verdict=title)}\n{lines}", _cited(ids, kb))


_WHY_NOT = re.compile(r"\bwhy\s+(?:not|shouldn'?t\s+(?:i|we)|wouldn'?t\s+(?:i|we))\b", re.I)
_ABOUT_FINE_TUNING = re.compile(r"fine[\s-]*tun", re.I)
_ABOUT_ALTERNATIVES = re.compile(r"prompt|chain|simpler|alternative", re.I)
_WHY_VERDICT = re.compile(
    r"^\s*why\b(?:\s+(?:is\s+(?:that|this|it)|that|this|so|the\s+verdict|this\s+verdict|this\s+recommendation))?\s*\??\s*$"
    r"|\bwhy\b.*\b(?:verdict|recommend\w*|this\s+result|you\s+(?:say|said|suggest\w*))\b",
    re.I,
)


def why_not(question: str, rec: Recommendation, kb: EntrySource, index: Searcher) -> Text:
    """"Why not fine-tune?" lists what argues against it in the user's case; "why not prompt
    chaining?" what argues for fine-tuning, or says that it is the recommendation already.
    Any other "why not X" is a knowledge question (declined when off-topic)."""
    about_fine_tuning = bool(_ABOUT_FINE_TUNING.search(question))
    if not about_fine_tuning and not _ABOUT_ALTERNATIVES.search(question):
        return answer_question(question, index, rec.answers, rec)
    if not about_fine_tuning and rec.verdict in ("alternatives_first", "avoid"):
        return Text(wording.WHY_NOT_ALREADY.format(verdict=rec.title.lower()))
    stance = "against" if about_fine_tuning else "for"
    intro = wording.WHY_NOT_FINE_TUNE if about_fine_tuning else wording.WHY_NOT_ALTERNATIVES
    reasons = [r for r in rec.reasons if r.stance == stance]
    if not reasons:
        return Text(f"{intro} {wording.WHY_NOT_NOTHING}")
    lines, ids = _reason_lines(reasons)
    return Text(f"{intro}\n{lines}", _cited(ids, kb))


def hypothetical_answers(question: str) -> dict[str, str]:
    """The answers a "what if ..." question supposes: read as a description, or else the one
    factor it names with the rest read as an answer to that factor's question."""
    understood = {f: u.value for f, u in understand(question).items()}
    if understood:
        return understood
    body = hypothesis_body(question)
    factor_id = factor_from_words(body)
    value = parse_answer(factor_id, body) if factor_id else None
    return {factor_id: value} if factor_id and value and value != UNKNOWN else {}


def what_if(question: str, answers: Mapping[str, str], kb: EntrySource) -> Text:
    """Recompute the verdict with the hypothetical answers; the real answers stay untouched."""
    supposed = hypothetical_answers(question)
    changes = {f: v for f, v in supposed.items() if answers.get(f) != v}
    if not changes:
        understood = supposed
        if understood:
            same = describe_changes(dict(understood))
            current = wording.VERDICT_TITLES[recommend(answers, kb).verdict].lower()
            return Text(wording.WHAT_IF_SAME.format(change=f"{same} (as you already said)", verdict=current))
        return Text(wording.WHAT_IF_NOTHING)
    before = recommend(answers, kb)
    after = recommend({**answers, **changes}, kb)
    change = describe_changes(changes)
    old, new = (wording.VERDICT_TITLES[v].lower() for v in (before.verdict, after.verdict))
    if before.verdict == after.verdict:
        return Text(wording.WHAT_IF_SAME.format(change=change, verdict=old))
    changed = [r for r in after.reasons if r.factor in changes]
    lines, ids = _reason_lines(changed)
    text = wording.WHAT_IF_CHANGED.format(change=change, old=old, new=new)
    return Text(f"{text}\n{lines}" if lines else text, _cited(ids, kb))


def follow_up(question: str, rec: Recommendation, index: Searcher, kb: EntrySource) -> Text:
    """Route a question asked after the recommendation to the right kind of answer."""
    if is_hypothetical(question):
        return what_if(question, rec.answers, kb)
    if _WHY_NOT.search(question):
        return why_not(question, rec, kb, index)
    if _WHY_VERDICT.search(question):
        return why_verdict(rec, kb)
    return answer_question(question, index, rec.answers, rec)

