"""Terminal rendering: core replies to rich renderables (interactive) or plain text (pipes)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RichText

from bot import wording
from bot.replies import Card, ChangeMenu, Document, Question, Reply, Text, sources_line

VERDICT_STYLES = {
    "fine_tune": "bold green",
    "fine_tune_with_prerequisites": "bold yellow",
    "alternatives_first": "bold cyan",
    "avoid": "bold red",
}


def _text(reply: Text) -> RenderableType:
    body = RichText(reply.text)
    line = sources_line(reply.citations)
    if line:
        body.append("\n" + line, style="dim")
    return body


def _question(reply: Question) -> RenderableType:
    parts: list[RenderableType] = []
    if reply.preface:
        parts.append(RichText(reply.preface, style="yellow"))
    parts.append(RichText(wording.QUESTION_LINE.format(number=reply.number, text=reply.text), style="bold"))
    for i, option in enumerate(reply.options, start=1):
        parts.append(RichText(f"  {i}. {option.label}"))
    if reply.why:
        parts.append(RichText(wording.WHY_ASK_PREFIX + reply.why, style="dim italic"))
    parts.append(RichText(wording.QUESTION_HINT_SHORT, style="dim"))
    return Group(*parts)


def _lines(items: list[str]) -> RichText:
    """Plain text cells: no rich markup is read, so "[decisive]" or "[entry-id]" stay as typed."""
    return RichText("\n".join(items))


def _card(reply: Card) -> RenderableType:
    w = wording
    rec = reply.recommendation
    style = VERDICT_STYLES[rec.verdict]
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row(w.VERDICT_HEADING, RichText(rec.title, style=style))
    table.add_row(w.CARD_HEADINGS["confidence"], RichText(w.CONFIDENCE_TEXT[rec.confidence]))
    for stance in ("for", "against"):
        reasons = [r for r in rec.reasons if r.stance == stance]
        if reasons:
            table.add_row(
                w.STANCE_LABELS[stance],
                _lines([f"• {r.text}" + (f" {w.DECISIVE_MARK}" if r.decisive else "") for r in reasons]),
            )
    flips = reply.flips_to_show()
    if flips:
        table.add_row(w.WOULD_CHANGE_SHORT, _lines([
            "• " + w.WOULD_CHANGE_LINE.format(change=c, verdict=w.VERDICT_TITLES[v].lower()) for c, v in flips
        ]))
    table.add_row(w.CARD_HEADINGS["next_steps"], _lines([f"{i}. {s}" for i, s in enumerate(rec.next_steps, start=1)]))
    if rec.citations:
        table.add_row(w.SOURCES, _lines([
            w.SOURCE_ITEM.format(title=c.title, id=c.id, section=c.section) for c in rec.citations
        ]))
    return Panel(Group(RichText(rec.summary, style="italic"), table), title=w.CARD_HEADINGS["recommendation"], border_style=style)


def _change_menu(reply: ChangeMenu) -> RenderableType:
    return RichText(reply.plain_text())


def _document(reply: Document) -> RenderableType:
    """The Markdown source as it is in the file, with no border or styling, so it copies
    cleanly (print it with ``soft_wrap=True``: long lines are left for the terminal to wrap)."""
    return RichText(reply.markdown.rstrip("\n"))


def render(reply: Reply) -> RenderableType:
    """The rich form of one reply."""
    if isinstance(reply, Card):
        return _card(reply)
    if isinstance(reply, Question):
        return _question(reply)
    if isinstance(reply, Document):
        return _document(reply)
    if isinstance(reply, ChangeMenu):
        return _change_menu(reply)
    return _text(reply)
