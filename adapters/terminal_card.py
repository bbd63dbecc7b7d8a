"""The recommendation card and its details in the terminal (rich), translated from
:class:`bot.card.CardView`: the verdict, the key reason and the first next step come first, and
the fully answered case fits in 20 lines at 80 columns. ``details`` shows the rest."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text as RichText

from bot.card import CardView, DetailsView, ShownReason
from bot.events import Action
from bot.card_text import source_item, source_short
from bot.card_wording import card_wording
from bot.replies import Card, Details

VERDICT_STYLES = {
    "fine_tune": "bold green",
    "fine_tune_with_prerequisites": "bold yellow",
    "alternatives_first": "bold cyan",
    "avoid": "bold red",
}


def _label(text: str) -> RichText:
    return RichText(f"{text}:", style="bold")


def _reason(reason: ShownReason) -> RichText:
    line = RichText(reason.text)
    if reason.decided:
        line.append(f" ({card_wording().labels['decided']})", style="bold")
    return line


def _bullets(items: list[RichText], numbered: bool = False) -> Padding:
    """A list with a hanging indent: wrapped lines stay under their item's text."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for i, item in enumerate(items, start=1):
        grid.add_row(f"{i}." if numbered else "•", item)
    return Padding(grid, (0, 0, 0, 2))


def card_renderable(view: CardView, hint: bool = True) -> RenderableType:
    labels = card_wording().labels
    head = RichText(view.headline, style=VERDICT_STYLES.get(view.verdict, "bold"))
    head.append(f"  ({labels['confidence'].lower()}: {view.confidence})", style="dim")
    parts: list[RenderableType] = [head, RichText(view.why, style="italic")]
    if view.reasons:
        parts += [_label(labels["key_reasons"]), _bullets([_reason(r) for r in view.reasons])]
    if view.next_steps:
        parts += [_label(labels["next_steps"]),
                  _bullets([RichText(s) for s in view.next_steps], numbered=True)]
    if view.would_change:
        line = RichText()
        line.append(f"{labels['would_change']}: ", style="bold")
        line.append(view.would_change)
        parts.append(line)
    if view.sources:
        line = RichText(f"{labels['sources']}: ", style="dim bold")
        line.append("; ".join(source_short(c) for c in view.sources), style="dim")
        parts.append(line)
    if hint:
        parts.append(RichText(labels["details_hint_terminal"].format(**view.counts()), style="dim"))
    return Group(*parts)


def details_renderable(details: DetailsView) -> RenderableType:
    labels = card_wording().labels
    parts: list[RenderableType] = [
        RichText(labels["details_of"].format(headline=details.headline), style="bold underline"),
        RichText(f"{labels['confidence']}: {details.confidence_text}"),
    ]
    if details.answers:
        parts += [_label(labels["your_answers"]),
                  _bullets([RichText(f"{name}: {answer}") for _, name, answer in details.answers])]
    if details.left_open:
        parts.append(RichText(f"{labels['left_open']}: " + ", ".join(details.left_open), style="dim"))
    for title, reasons in ((labels["all_reasons_for"], details.reasons_for), (labels["all_reasons_against"], details.reasons_against)):
        if reasons:
            parts += [_label(title), _bullets([_reason(r) for r in reasons])]
    parts.append(_label(labels["all_changes"]))
    parts.append(_bullets([RichText(c.sentence) for c in details.changes] or [RichText(labels["nothing_changes"])]))
    if details.next_steps:
        parts += [_label(labels["all_steps"]),
                  _bullets([RichText(s) for s in details.next_steps], numbered=True)]
    if details.sources:
        parts += [_label(labels["all_sources"]), _bullets([RichText(source_item(c), style="dim") for c in details.sources])]
    return Group(*parts)


#: Commands the terminal reads itself, before the core's text reading: ``details`` opens what
#: is behind the card's face, as the Details button does on Slack and Teams.
TERMINAL_COMMANDS = {"details": Action("details"), "show details": Action("details")}


def command_action(line: str) -> Action | None:
    """The terminal command a typed line is, if any (else the line goes to the core as text)."""
    return TERMINAL_COMMANDS.get(" ".join(line.lower().split()).rstrip(".!?"))


def render_card(reply: Card | Details) -> RenderableType:
    """The rich form of a card (its face) or of its details."""
    if isinstance(reply, Details):
        return details_renderable(reply.view.details)
    return card_renderable(reply.view)


