"""The decision record: a Markdown summary a team can paste into a design document."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import wording
from bot.card import build_view
from bot.card_wording import card_wording
from bot.engine import Recommendation
from bot.factors import FACTOR_IDS, UNKNOWN
from bot.replies import Document


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def record_markdown(rec: Recommendation, when: float) -> str:
    """The record for ``rec``; ``when`` is a Unix timestamp (the caller's clock, kept out of here).

    The full content of the card's view: every answer, reason (the key ones marked), change,
    step and source."""
    w = wording
    view = build_view(rec)
    key = {r.factor for r in view.key_reasons}
    decided = card_wording().labels["decided"]
    date = datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%d")
    lines = [
        f"# {w.RECORD_TITLE}",
        "",
        f"- **{w.RECORD_DATE}:** {date}",
        f"- **{w.RECORD_VERDICT}:** {rec.title} (`{rec.verdict}`)",
        f"- **{w.RECORD_CONFIDENCE}:** {w.CONFIDENCE_TEXT[rec.confidence]}",
        "",
        rec.summary,
        "",
        f"## {w.RECORD_ANSWERS}",
        "",
        f"| {w.RECORD_QUESTION_COLUMN} | {w.RECORD_ANSWER_COLUMN} |",
        "|---|---|",
    ]
    for factor_id in FACTOR_IDS:
        value = rec.answers[factor_id]
        shown = f"_{w.RECORD_UNKNOWN}_" if value == UNKNOWN else f"{w.option_label(factor_id, value)} (`{value}`)"
        lines.append(f"| {_escape(w.QUESTIONS[factor_id])} (`{factor_id}`) | {shown} |")
    unknown = [w.SHORT_NAMES[f] for f in FACTOR_IDS if rec.answers[f] == UNKNOWN]
    if unknown:
        lines += ["", w.RECORD_LEFT_OPEN.format(factors=", ".join(unknown))]
    for stance in ("for", "against"):
        reasons = [r for r in rec.reasons if r.stance == stance]
        lines += ["", f"## {w.RECORD_REASONS.format(stance=stance)}", ""]
        lines += [
            f"- {r.text}" + (f" **({decided})**" if r.factor in key else "") + f" _[{', '.join(r.citations)}]_"
            for r in reasons
        ] or [f"- {w.RECORD_NONE}"]
    lines += ["", f"## {w.RECORD_WOULD_CHANGE}", ""]
    lines += [f"- {change.sentence}" for change in view.details.changes] or [f"- {w.RECORD_NOTHING_CHANGES}"]
    lines += ["", f"## {w.RECORD_NEXT_STEPS}", ""]
    lines += [f"{i}. {step}" for i, step in enumerate(rec.next_steps, start=1)]
    lines += ["", f"## {w.RECORD_SOURCES}", "", w.RECORD_SOURCES_INTRO, ""]
    lines += [f"- {c.title} (`{c.id}`), section \"{c.section}\"" for c in rec.citations] or [f"- {w.RECORD_NONE}"]
    return "\n".join(lines) + "\n"


def decision_record(rec: Recommendation, when: float) -> Document:
    date = datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%d")
    return Document(
        title=wording.RECORD_TITLE,
        filename=f"finetune-decision-{date}.md",
        markdown=record_markdown(rec, when),
    )
