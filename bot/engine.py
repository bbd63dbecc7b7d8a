"""The decision engine: answers in, an explainable :class:`Recommendation` out.

Deterministic and order-independent: the verdict and the rule that decided it come from
:mod:`bot.rules`; the headline, summary and next steps from :mod:`bot.advice`; every answered
factor becomes a reason with its stance and the knowledge entries it rests on; decisive
reasons (those whose change alone would flip the verdict) come first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from bot import wording
from bot.factors import FACTOR_IDS, FACTORS, UNKNOWN, complete
from bot.advice import next_steps_for, summary_for, title_for
from bot.rules import Flip, decide, decide_rule, reachable_verdicts, what_would_change

# Which way each answer pushes. Every value of every factor bears on the verdict somewhere.
STANCES: dict[tuple[str, str], str] = {
    ("training_data", "have_pairs"): "for",
    ("training_data", "can_create"): "for",
    ("training_data", "none"): "against",
    ("sensitive_data", "no"): "for",
    ("sensitive_data", "masked"): "against",
    ("sensitive_data", "yes"): "against",
    ("latency_critical", "yes"): "for",
    ("latency_critical", "no"): "against",
    ("context_size", "fits"): "against",
    ("context_size", "strained"): "for",
    ("context_size", "too_big"): "for",
    ("domain_knowledge", "yes"): "for",
    ("domain_knowledge", "no"): "against",
    ("task_scope", "narrow"): "for",
    ("task_scope", "broad"): "against",
    ("alternatives_tried", "exhausted"): "for",
    ("alternatives_tried", "partly"): "against",
    ("alternatives_tried", "no"): "against",
    ("model_fine_tunable", "yes"): "for",
    ("model_fine_tunable", "no"): "against",
    ("hosted_cost_sensitive", "yes"): "against",
    ("hosted_cost_sensitive", "no"): "for",
    ("compute_available", "yes"): "for",
    ("compute_available", "no"): "against",
    ("needs_vendor_guardrails", "yes"): "against",
    ("needs_vendor_guardrails", "no"): "for",
    ("iteration_capacity", "yes"): "for",
    ("iteration_capacity", "no"): "against",
}

VERDICT_LEANING = {
    "fine_tune": "for",
    "fine_tune_with_prerequisites": "for",
    "alternatives_first": "against",
    "avoid": "against",
}


class EntrySource(Protocol):
    """What the engine needs from the knowledge base (see ``knowledge.KnowledgeBase``)."""

    def for_factor(self, factor_id: str, stance: str | None = None) -> tuple[Any, ...]: ...

    def get(self, entry_id: str) -> Any: ...

    def primary(self, factor_id: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class Citation:
    id: str
    title: str
    section: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "section": self.section}


@dataclass(frozen=True, slots=True)
class Reason:
    factor: str
    value: str
    stance: str
    text: str
    citations: tuple[str, ...]
    decisive: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "value": self.value,
            "stance": self.stance,
            "decisive": self.decisive,
            "text": self.text,
            "citations": list(self.citations),
        }


@dataclass(frozen=True, slots=True)
class Recommendation:
    verdict: str
    confidence: str
    answers: dict[str, str]
    reasons: tuple[Reason, ...]
    next_steps: tuple[str, ...]
    what_would_change: tuple[Flip, ...]
    citations: tuple[Citation, ...]
    rule: str = ""
    summary: str = ""

    @property
    def title(self) -> str:
        """The headline: the verdict's title, in the variant that fits the answers."""
        return title_for(self.verdict, self.answers)

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape of ``recommend --json`` (see docs/rules.md)."""
        return {
            "verdict": self.verdict,
            "rule": self.rule,
            "summary": self.summary,
            "confidence": self.confidence,
            "reasons": [r.to_json() for r in self.reasons],
            "what_would_change": [{"answers": dict(f.answers), "verdict": f.verdict} for f in self.what_would_change],
            "next_steps": list(self.next_steps),
            "citations": [c.to_json() for c in self.citations],
        }


def _is_decisive(answers: Mapping[str, str], factor_id: str, verdict: str) -> bool:
    """True when some other answer to this factor alone would change the verdict."""
    factor = next(f for f in FACTORS if f.id == factor_id)
    return any(
        decide({**answers, factor_id: other}) != verdict
        for other in factor.allowed
        if other != answers[factor_id]
    )


def confidence(answers: Mapping[str, str]) -> str:
    """high: no answers to the open questions could change the verdict; medium: only several
    together could; low: one alone could."""
    unknown = [f for f in FACTOR_IDS if answers[f] == UNKNOWN]
    verdict = decide(answers)
    if reachable_verdicts(answers, unknown) == {verdict}:
        return "high"
    for f in unknown:
        if reachable_verdicts(answers, [f]) != {verdict}:
            return "low"
    return "medium"


def _cite(kb: EntrySource, factor_id: str, stance: str) -> tuple[str, ...]:
    entries = kb.for_factor(factor_id, stance) or kb.for_factor(factor_id)
    return tuple(e.id for e in entries[:2])


def recommend(partial: Mapping[str, str], kb: EntrySource) -> Recommendation:
    """The recommendation for ``partial`` answers (missing factors are unknown).

    Raises ``InvalidAnswers`` for an unknown factor or value.
    """
    answers = complete(partial)
    verdict = decide(answers)
    rule = decide_rule(answers)
    leaning = VERDICT_LEANING[verdict]
    order = {f: i for i, f in enumerate(FACTOR_IDS)}
    reasons = []
    for factor_id in FACTOR_IDS:
        value = answers[factor_id]
        if value == UNKNOWN:
            continue
        stance = STANCES[(factor_id, value)]
        reasons.append(Reason(
            factor=factor_id,
            value=value,
            stance=stance,
            text=wording.REASONS[(factor_id, value)],
            citations=_cite(kb, factor_id, stance),
            decisive=_is_decisive(answers, factor_id, verdict),
        ))
    reasons.sort(key=lambda r: (not r.decisive, r.stance != leaning, order[r.factor]))

    by_id: dict[str, Citation] = {}
    for reason in reasons:
        for entry_id in reason.citations:
            if entry_id not in by_id:
                by_id[entry_id] = _citation(kb, entry_id)
    return Recommendation(
        verdict=verdict,
        confidence=confidence(answers),
        answers=answers,
        reasons=tuple(reasons),
        next_steps=tuple(next_steps_for(rule, answers)),
        what_would_change=tuple(what_would_change(answers)),
        citations=tuple(by_id.values()),
        rule=rule,
        summary=summary_for(rule, answers),
    )


def _citation(kb: EntrySource, entry_id: str) -> Citation:
    entry = kb.get(entry_id)
    return Citation(entry.id, entry.title, entry.section)
