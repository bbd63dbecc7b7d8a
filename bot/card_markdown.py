"""Every reply kind as Markdown (for Markdown clients and files): a translation of the same
neutral replies and :class:`bot.card.CardView`; the decision record is already Markdown."""

from __future__ import annotations

from bot import wording
from bot.card import CardView, DetailsView, ShownReason
from bot.card_text import source_item, why_line
from bot.card_wording import card_wording
from bot.replies import Card, ChangeMenu, Details, Document, Question, Reply, sources_line


def _reason(reason: ShownReason) -> str:
    mark = f" **({card_wording().labels['decided']})**" if reason.decided else ""
    return f"- **{reason.name}: {reason.answer}.** {reason.text}{mark}"


def face_markdown(view: CardView) -> str:
    labels = card_wording().labels
    lines = [f"**{wording.CARD_HEADER.format(title=view.headline)}**", "", why_line(view)]
    if view.reasons:
        lines += ["", f"**{labels['key_reasons']}**", "", *(_reason(r) for r in view.reasons)]
    if view.next_steps:
        lines += ["", f"**{labels['next_steps']}**", "", *(f"{i}. {s}" for i, s in enumerate(view.next_steps, start=1))]
    if view.would_change:
        lines += ["", f"**{labels['would_change']}:** {view.would_change}"]
    if view.sources:
        lines += ["", f"_{labels['sources']}: " + "; ".join(source_item(c) for c in view.sources) + "_"]
    lines += ["", f"_{view.more}_"]
    return "\n".join(lines)


def details_markdown(details: DetailsView) -> str:
    labels = card_wording().labels
    lines = [f"**{labels['details_of'].format(headline=details.headline)}**", "", f"**{labels['confidence']}:** {details.confidence_text}"]
    if details.answers:
        lines += ["", f"**{labels['your_answers']}**", "", *(f"- {name}: {answer}" for _, name, answer in details.answers)]
    if details.left_open:
        lines += ["", f"_{labels['left_open']}: {', '.join(details.left_open)}_"]
    for title, reasons in ((labels["all_reasons_for"], details.reasons_for), (labels["all_reasons_against"], details.reasons_against)):
        if reasons:
            lines += ["", f"**{title}**", "", *(_reason(r) for r in reasons)]
    changes = [f"- {c.sentence}" for c in details.changes] or [f"- {labels['nothing_changes']}"]
    lines += ["", f"**{labels['all_changes']}**", "", *changes]
    if details.next_steps:
        lines += ["", f"**{labels['all_steps']}**", "", *(f"{i}. {s}" for i, s in enumerate(details.next_steps, start=1))]
    if details.sources:
        lines += ["", f"**{labels['all_sources']}**", "", *(f"- {source_item(c)}" for c in details.sources)]
    return "\n".join(lines)


def reply_markdown(reply: Reply) -> str:
    if isinstance(reply, Card):
        return face_markdown(reply.view)
    if isinstance(reply, Details):
        return details_markdown(reply.view.details)
    if isinstance(reply, Document):
        return reply.markdown
    if isinstance(reply, Question):
        lines = [f"_{reply.preface}_", ""] if reply.preface else []
        lines.append(f"**{wording.QUESTION_LINE.format(number=reply.number, text=reply.text)}**")
        lines += ["", *(f"{i}. {o.label}" for i, o in enumerate(reply.options, start=1))]
        return "\n".join(lines)
    if isinstance(reply, ChangeMenu):
        return "\n".join([reply.intro(), "", *(f"- {reply.entry(name, current)}" for _, name, current in reply.choices)])
    line = sources_line(reply.citations)
    return f"{reply.text}\n\n_{line}_" if line else reply.text
