"""The card, its details and the change menu as plain text: what ``recommend --format text``
prints, what a pipe or a notification shows, and every rich renderer's fallback text.

A translation of :class:`bot.card.CardView`; nothing is chosen here.
"""

from __future__ import annotations

from bot import wording
from bot.card import CardView, DetailsView, ShownReason
from bot.card_wording import card_wording
from bot.engine import Citation


def source_item(citation: Citation) -> str:
    return card_wording().labels["source_item"].format(title=citation.title, section=citation.section, id=citation.id)


def source_short(citation: Citation) -> str:
    return card_wording().labels["source_item_short"].format(title=citation.title, section=citation.section, id=citation.id)


def reason_line(reason: ShownReason) -> str:
    mark = f" ({card_wording().labels['decided']})" if reason.decided else ""
    return f"{reason.text}{mark}"


def headline(view: CardView) -> str:
    return wording.CARD_HEADER.format(title=view.headline)


def why_line(view: CardView) -> str:
    """The one sentence on why, with the confidence in one word."""
    return f"{view.why} {card_wording().labels['confidence']}: {view.confidence}."


def face_lines(view: CardView) -> list[str]:
    """The card face: headline, why, key reasons, next steps, what would change it, sources."""
    labels = card_wording().labels
    lines = [headline(view), why_line(view)]
    if view.reasons:
        lines.append(f"{labels['key_reasons']}:")
        lines.extend(f"  - {reason_line(r)}" for r in view.reasons)
    if view.next_steps:
        lines.append(f"{labels['next_steps']}:")
        lines.extend(f"  {i}. {s}" for i, s in enumerate(view.next_steps, start=1))
    if view.would_change:
        lines.append(f"{labels['would_change']}: {view.would_change}")
    if view.sources:
        lines.append(f"{labels['sources']}: " + "; ".join(source_short(c) for c in view.sources))
    lines.append(view.more)
    return lines


def face_text(view: CardView) -> str:
    return "\n".join(face_lines(view))


def details_lines(details: DetailsView) -> list[str]:
    """Everything: answers, every reason by stance, every change, every step, every source."""
    labels = card_wording().labels
    lines = [labels["details_of"].format(headline=details.headline), f"{labels['confidence']}: {details.confidence_text}"]
    if details.answers:
        lines.append(f"{labels['your_answers']}: " + "; ".join(f"{name}: {answer}" for _, name, answer in details.answers))
    if details.left_open:
        lines.append(f"{labels['left_open']}: " + ", ".join(details.left_open))
    for title, reasons in ((labels["all_reasons_for"], details.reasons_for), (labels["all_reasons_against"], details.reasons_against)):
        if reasons:
            lines.append(f"{title}:")
            lines.extend(f"  - {reason_line(r)}" for r in reasons)
    lines.append(f"{labels['all_changes']}:")
    lines.extend(f"  - {c.sentence}" for c in details.changes)
    if not details.changes:
        lines.append(f"  - {labels['nothing_changes']}")
    if details.next_steps:
        lines.append(f"{labels['all_steps']}:")
        lines.extend(f"  {i}. {s}" for i, s in enumerate(details.next_steps, start=1))
    if details.sources:
        lines.append(f"{labels['all_sources']}:")
        lines.extend(f"  - {source_item(c)}" for c in details.sources)
    return lines


def details_text(details: DetailsView) -> str:
    return "\n".join(details_lines(details))
