"""The recommendation card as one neutral view, built once from a :class:`Recommendation`.

Every renderer (Slack Block Kit, Teams Adaptive Card, terminal, plain text, Markdown) shows a
:class:`CardView` and decides nothing: what is on the card's face, in which order, which reasons
are *key* and which of them decided, which change is the most useful to show, and which sources
back what is shown are all chosen here. The face is what a person reads in ten seconds:

1. the verdict as a headline (and the confidence, one word);
2. one sentence on why;
3. at most :data:`MAX_REASONS` key reasons, the one or two that decided marked ``decided``;
4. at most :data:`MAX_STEPS` next steps;
5. the single most useful "what would change it", in plain words;
6. the sources of what is shown.

So the verdict, the key reason and the first next step are the first things read.

Everything else (every reason, every change, every step, every source, the answers) is in
:class:`DetailsView`, one action away. Only the Recommendation's public fields are read, so the
view keeps working when the rules change. The "key reason" measure is documented in
``docs/card.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import wording
from bot.card_wording import card_wording
from bot.engine import Citation, Reason, Recommendation
from bot.factors import FACTOR_IDS, UNKNOWN

MAX_REASONS = 3
MAX_KEY = 2
FACE_REASONS = 2  # reasons on the face when fewer are key (the rest are one action away)
MAX_STEPS = 3
MAX_CONDITIONS = 2
SOURCES_PER_REASON = 1

#: Verdicts from the most to the least in favour of fine-tuning; a change that moves the verdict
#: up this list is what a team that came asking usually wants to know first.
VERDICT_ORDER = ("fine_tune", "fine_tune_with_prerequisites", "alternatives_first", "avoid")
#: The verdicts that say "fine-tune, but": their blocking answers decide the "but".
QUALIFIED = frozenset({"fine_tune_with_prerequisites"})


def leaning(verdict: str) -> str:
    """Which stance a verdict takes: "for" (some kind of fine-tune) or "against"."""
    return "for" if verdict.startswith("fine_tune") else "against"


@dataclass(frozen=True, slots=True)
class ShownReason:
    factor: str
    name: str  # the factor's short name ("Sensitive data")
    answer: str  # the user's answer, as its label ("No")
    text: str
    stance: str
    decided: bool  # one of the one or two reasons that decided the verdict
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Change:
    """One way the verdict could change, in plain words."""

    sentence: str  # "With no personal data in the training set, this would be: fine-tune."
    verdict: str
    answers: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class DetailsView:
    """Everything behind the Details action: every reason, change, step and source, the answers."""

    headline: str  # the verdict these are the details of
    answers: tuple[tuple[str, str, str], ...]  # (factor id, short name, answer label), answered only
    left_open: tuple[str, ...]  # short names of the open factors
    reasons_for: tuple[ShownReason, ...]
    reasons_against: tuple[ShownReason, ...]
    changes: tuple[Change, ...]
    next_steps: tuple[str, ...]
    sources: tuple[Citation, ...]
    confidence_text: str


@dataclass(frozen=True, slots=True)
class CardView:
    verdict: str
    headline: str
    confidence: str
    confidence_text: str
    why: str
    reasons: tuple[ShownReason, ...]
    would_change: str  # "" when no small change would
    next_steps: tuple[str, ...]
    sources: tuple[Citation, ...]
    more: str  # "All 12 reasons, 4 changes and 18 sources are in the details."
    details: DetailsView

    def counts(self) -> dict[str, int]:
        """How much is behind the Details action, for a renderer's own hint."""
        d = self.details
        return {"reasons": len(d.reasons_for) + len(d.reasons_against), "changes": len(d.changes), "sources": len(d.sources)}

    @property
    def key_reasons(self) -> tuple[ShownReason, ...]:
        return tuple(r for r in self.reasons if r.decided)

    def cited_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.sources)


# --- the key-reason measure ---------------------------------------------------------------


def key_factors(rec: Recommendation) -> tuple[str, ...]:
    """The one or two answers that decided ``rec``'s verdict (see docs/card.md):

    1. answers that point the verdict's way and whose change alone flips the verdict (the
       engine's ``decisive``); for a "fine-tune, but" verdict also the first blocking answer
       (against, and changed by the cheapest flip of at most two changes up to "fine-tune");
    2. else the answered, verdict-way factors of the cheapest flip of at most two changes;
    3. else none: no one or two answers decided it.
    """
    way = leaning(rec.verdict)
    answered = {r.factor: r for r in rec.reasons}
    key = [r.factor for r in rec.reasons if r.decisive and r.stance == way]
    if rec.verdict in QUALIFIED:
        upward = sorted(
            (f for f in rec.what_would_change if _rank(f.verdict) < _rank(rec.verdict) and len(f.answers) <= MAX_KEY),
            key=lambda f: len(f.answers),
        )
        for flip in upward[:1]:
            blocking = [f for f in flip.answers if f in answered and answered[f].stance != way]
            key = key[:1] + blocking[:1] + key[1:]
    if not key:
        for flip in sorted(rec.what_would_change, key=lambda f: len(f.answers)):
            if len(flip.answers) > MAX_KEY:
                break
            same_way = [f for f in flip.answers if f in answered and answered[f].stance == way]
            if same_way:
                key = same_way
                break
    return tuple(dict.fromkeys(key))[:MAX_KEY]


def _rank(verdict: str) -> int:
    return VERDICT_ORDER.index(verdict) if verdict in VERDICT_ORDER else len(VERDICT_ORDER)


# --- building the view ------------------------------------------------------------------------


def _shown(reason: Reason, decided: bool) -> ShownReason:
    return ShownReason(
        factor=reason.factor,
        name=wording.SHORT_NAMES[reason.factor],
        answer=wording.option_label(reason.factor, reason.value),
        text=reason.text,
        stance=reason.stance,
        decided=decided,
        citations=tuple(reason.citations),
    )


def _face_reasons(rec: Recommendation, key: tuple[str, ...]) -> tuple[ShownReason, ...]:
    """Key reasons first, then the next reasons that point the verdict's way, up to two in all
    (a third line of reasons cost the face its 20-line budget; every reason is in the details)."""
    way = leaning(rec.verdict)
    by_factor = {r.factor: r for r in rec.reasons}
    chosen = [_shown(by_factor[f], True) for f in key if f in by_factor]
    limit = min(MAX_REASONS, max(len(chosen), FACE_REASONS))
    for reason in rec.reasons:
        if len(chosen) >= limit:
            break
        if reason.factor not in key and reason.stance == way:
            chosen.append(_shown(reason, False))
    return tuple(chosen)


def change_sentence(answers: dict[str, str], verdict: str) -> str:
    cw = card_wording()
    conditions = cw.labels["conditions_joiner"].join(
        cw.condition(f, v, wording.SHORT_NAMES[f]) for f, v in answers.items()
    )
    title = wording.VERDICT_TITLES[verdict]
    return cw.labels["would_change_line"].format(conditions=conditions, verdict=title[0].lower() + title[1:])


def _changes(rec: Recommendation) -> tuple[Change, ...]:
    """Every flip in plain words, the most useful first: those that move the verdict towards
    fine-tuning (what a team asking usually wants to reach), then fewer changes, then those that
    answer open questions rather than contradict an answer."""

    def usefulness(flip: Any) -> tuple[int, int, int]:
        upward = 0 if _rank(flip.verdict) < _rank(rec.verdict) else 1
        contradicts = sum(rec.answers.get(f, UNKNOWN) != UNKNOWN for f in flip.answers)
        return (upward, len(flip.answers), contradicts)

    ordered = sorted(rec.what_would_change, key=usefulness)
    return tuple(
        Change(change_sentence(dict(f.answers), f.verdict), f.verdict, tuple(f.answers.items())) for f in ordered
    )


def _sources(rec: Recommendation, reasons: tuple[ShownReason, ...]) -> tuple[Citation, ...]:
    by_id = {c.id: c for c in rec.citations}
    ids = [i for r in reasons for i in r.citations[:SOURCES_PER_REASON] if i in by_id]
    return tuple(by_id[i] for i in dict.fromkeys(ids))


def build_view(rec: Recommendation) -> CardView:
    cw = card_wording()
    key = key_factors(rec)
    reasons = _face_reasons(rec, key)
    changes = _changes(rec)
    face_change = next((c.sentence for c in changes if len(c.answers) <= MAX_CONDITIONS), "")
    key_set = set(key)
    details = DetailsView(
        headline=rec.title,
        answers=tuple(
            (f, wording.SHORT_NAMES[f], wording.option_label(f, rec.answers[f]))
            for f in FACTOR_IDS if rec.answers.get(f, UNKNOWN) != UNKNOWN
        ),
        left_open=tuple(wording.SHORT_NAMES[f] for f in FACTOR_IDS if rec.answers.get(f, UNKNOWN) == UNKNOWN),
        reasons_for=tuple(_shown(r, r.factor in key_set) for r in rec.reasons if r.stance == "for"),
        reasons_against=tuple(_shown(r, r.factor in key_set) for r in rec.reasons if r.stance == "against"),
        changes=changes,
        next_steps=tuple(rec.next_steps),
        sources=tuple(rec.citations),
        confidence_text=wording.CONFIDENCE_TEXT[rec.confidence],
    )
    return CardView(
        verdict=rec.verdict,
        headline=rec.title,
        confidence=rec.confidence,
        confidence_text=wording.CONFIDENCE_TEXT[rec.confidence],
        why=_face_why(rec.summary, cw.labels["first_settle"]) if rec.reasons else cw.labels["no_reasons"],
        reasons=reasons,
        would_change=face_change,
        next_steps=tuple(rec.next_steps[:MAX_STEPS]),
        sources=_sources(rec, reasons),
        more=cw.labels["more_in_details"].format(
            reasons=len(rec.reasons), changes=len(changes), sources=len(rec.citations)
        ),
        details=details,
    )


def view_json(rec: Recommendation) -> dict[str, Any]:
    """``recommend --json``: the Recommendation's JSON with every field kept, plus what the card
    shows: ``key`` on each reason and a ``card`` object (see docs/card.md)."""
    view = build_view(rec)
    data = rec.to_json()
    key = {r.factor for r in view.key_reasons}
    for reason in data["reasons"]:
        reason["key"] = reason["factor"] in key
    data["card"] = {
        "headline": view.headline,
        "why": view.why,
        "key_reasons": [r.factor for r in view.key_reasons],
        "shown_reasons": [r.factor for r in view.reasons],
        "would_change": view.would_change,
        "next_steps": list(view.next_steps),
        "citations": list(view.cited_ids()),
    }
    return data


def _face_why(summary: str, first_settle: str) -> str:
    """The summary for the card's face: where it goes on to list what to settle first ("..., but
    first: A; B; C."), those items are the next steps shown right below, so the face says so
    instead of listing them twice (the full summary stays in the JSON, the details and the record)."""
    head, sep, _ = summary.partition("but first: ")
    return head + first_settle if sep else summary
