"""Answers to free questions and "why" follow-ups, composed from the knowledge base.

Every answer is a :class:`~bot.replies.Text` whose citations are exactly the entries used.
A question the knowledge base does not cover is declined with no citations: the retrieval
gate decides that, and no unrelated entry is ever offered instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from bot import wording
from bot.engine import VERDICT_LEANING, Citation, EntrySource, Recommendation, recommend
from bot.factors import UNKNOWN
from bot.reading import factor_from_words, hypothesis_body, is_hypothetical, parse_answer, understand
from bot.replies import Text, describe_changes

MAX_QUESTION_CHARS = 2000
_SECOND_HIT_RATIO = 0.8  # a second entry joins only when nearly as relevant and on the same factors


class Searcher(Protocol):
    """What answering needs from the retrieval index (see ``knowledge.KnowledgeIndex``)."""

    def search(self, query: str, k: int = 3) -> Sequence[Any]: ...


def _citation(entry: Any) -> Citation:
    return Citation(entry.id, entry.title, entry.section)


def _user_context(entries: Sequence[Any], answers: Mapping[str, str] | None) -> str:
    """One sentence recalling what the user said about a factor these entries speak to."""
    if not answers:
        return ""
    for entry in entries:
        for factor_id in entry.factors:
            value = answers.get(factor_id, UNKNOWN)
            if value != UNKNOWN:
                return wording.REASONS[(factor_id, value)]
    return ""


def answer_question(question: str, index: Searcher, answers: Mapping[str, str] | None = None) -> Text:
    """A short answer from the best one or two entries, the user's own context first."""
    hits = list(index.search(question[:MAX_QUESTION_CHARS], k=3))
    if not hits:
        return Text(wording.OFF_TOPIC)
    used = [hits[0]]
    if (
        len(hits) > 1
        and hits[1].score >= _SECOND_HIT_RATIO * hits[0].score
        and set(hits[1].entry.factors) & set(hits[0].entry.factors)
    ):
        used.append(hits[1])
    entries = [h.entry for h in used]
    parts = [_user_context(entries[:1], answers)]
    parts.append(entries[0].summary)
    if len(entries) > 1:
        parts.append(entries[1].summary)
    return Text(" ".join(p for p in parts if p), tuple(_citation(e) for e in entries))


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
        return answer_question(question, index, rec.answers)
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
    return answer_question(question, index, rec.answers)

