"""Terminal rendering: core replies to rich renderables (interactive) or plain text (pipes)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
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
    parts.append(RichText(f"Q{reply.number}. {reply.text}", style="bold"))
    for i, option in enumerate(reply.options, start=1):
        parts.append(RichText(f"  {i}. {option.label}"))
    if reply.why:
        parts.append(RichText(f"Why I ask: {reply.why}", style="dim italic"))
    parts.append(RichText("number, words, skip, back, why do you ask?, help", style="dim"))
    return Group(*parts)


def _card(reply: Card) -> RenderableType:
    rec = reply.recommendation
    style = VERDICT_STYLES[rec.verdict]
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_row("Verdict", RichText(rec.title, style=style))
    table.add_row("Confidence", wording.CONFIDENCE_TEXT[rec.confidence])
    for stance in ("for", "against"):
        reasons = [r for r in rec.reasons if r.stance == stance]
        if reasons:
            table.add_row(
                wording.STANCE_LABELS[stance],
                "\n".join(f"• {r.text}" + (" [decisive]" if r.decisive else "") for r in reasons),
            )
    flips = reply.flips_to_show()
    if flips:
        table.add_row(
            "Would change",
            "\n".join(
                "• " + wording.WOULD_CHANGE_LINE.format(change=c, verdict=wording.VERDICT_TITLES[v].lower())
                for c, v in flips
            ),
        )
    table.add_row("Next steps", "\n".join(f"{i}. {s}" for i, s in enumerate(rec.next_steps, start=1)))
    if rec.citations:
        table.add_row("Sources", "\n".join(f"{c.title} [{c.id}], “{c.section}”" for c in rec.citations))
    return Panel(Group(RichText(rec.summary, style="italic"), table), title="Recommendation", border_style=style)


def _change_menu(reply: ChangeMenu) -> RenderableType:
    return RichText(reply.plain_text())


def _document(reply: Document) -> RenderableType:
    return Panel(Markdown(reply.markdown), title=reply.filename)


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
