"""The decision record: a Markdown summary a team can paste into a design document."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import wording
from bot.engine import Recommendation
from bot.factors import FACTOR_IDS, UNKNOWN
from bot.replies import Document, describe_changes


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def record_markdown(rec: Recommendation, when: float) -> str:
    """The record for ``rec``; ``when`` is a Unix timestamp (the caller's clock, kept out of here)."""
    date = datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%d")
    lines = [
        f"# {wording.RECORD_TITLE}",
        "",
        f"- **Date:** {date}",
        f"- **Verdict:** {rec.title} (`{rec.verdict}`)",
        f"- **Confidence:** {wording.CONFIDENCE_TEXT[rec.confidence]}",
        "",
        rec.summary,
        "",
        "## Answers",
        "",
        "| Question | Answer |",
        "|---|---|",
    ]
    for factor_id in FACTOR_IDS:
        value = rec.answers[factor_id]
        shown = "_unknown_" if value == UNKNOWN else f"{wording.option_label(factor_id, value)} (`{value}`)"
        lines.append(f"| {_escape(wording.QUESTIONS[factor_id])} (`{factor_id}`) | {shown} |")
    unknown = [wording.SHORT_NAMES[f] for f in FACTOR_IDS if rec.answers[f] == UNKNOWN]
    if unknown:
        lines += ["", f"Left open: {', '.join(unknown)}."]
    for stance in ("for", "against"):
        reasons = [r for r in rec.reasons if r.stance == stance]
        lines += ["", f"## Reasons {stance} fine-tuning", ""]
        lines += [f"- {r.text}" + (" **(decisive)**" if r.decisive else "") + f" _[{', '.join(r.citations)}]_" for r in reasons] or ["- None."]
    lines += ["", "## What would change the verdict", ""]
    lines += [
        f"- {wording.WOULD_CHANGE_LINE.format(change=describe_changes(f.answers), verdict=wording.VERDICT_TITLES[f.verdict].lower())}"
        for f in rec.what_would_change
    ] or ["- Nothing: no other answers would change it."]
    lines += ["", "## Next steps", ""]
    lines += [f"{i}. {step}" for i, step in enumerate(rec.next_steps, start=1)]
    lines += ["", "## Sources", "", 'From the article "When to use fine tuning for LLMs":', ""]
    lines += [f"- {c.title} (`{c.id}`), section \"{c.section}\"" for c in rec.citations] or ["- None."]
    return "\n".join(lines) + "\n"


def decision_record(rec: Recommendation, when: float) -> Document:
    date = datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%d")
    return Document(
        title=wording.RECORD_TITLE,
        filename=f"finetune-decision-{date}.md",
        markdown=record_markdown(rec, when),
    )
