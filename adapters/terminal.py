"""Terminal rendering: core replies to rich renderables (interactive) or plain text (pipes)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text as RichText

from adapters.terminal_card import VERDICT_STYLES, render_card
from bot import wording
from bot.replies import Card, ChangeMenu, Details, Document, Question, Reply, Text, sources_line

__all__ = ["VERDICT_STYLES", "render"]


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


def _change_menu(reply: ChangeMenu) -> RenderableType:
    return RichText(reply.plain_text())


def _document(reply: Document) -> RenderableType:
    """The Markdown source as it is in the file, with no border or styling, so it copies
    cleanly (print it with ``soft_wrap=True``: long lines are left for the terminal to wrap)."""
    return RichText(reply.markdown.rstrip("\n"))


def render(reply: Reply) -> RenderableType:
    """The rich form of one reply."""
    if isinstance(reply, (Card, Details)):
        return render_card(reply)  # adapters/terminal_card.py (issue 17)
    if isinstance(reply, Question):
        return _question(reply)
    if isinstance(reply, Document):
        return _document(reply)
    if isinstance(reply, ChangeMenu):
        return _change_menu(reply)
    return _text(reply)
