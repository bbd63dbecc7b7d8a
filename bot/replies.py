"""Neutral outbound data: what the core asks an adapter to show.

Each reply has a ``plain_text()`` form, so a platform that cannot render a rich element (a
terminal pipe, a notification, a screen reader) still gets the whole message.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import wording
from bot.card import CardView, build_view
from bot.card_text import details_text, face_text
from bot.card_wording import card_wording
from bot.engine import Citation, Recommendation


def sources_line(citations: tuple[Citation, ...]) -> str:
    if not citations:
        return ""
    return wording.SOURCES_LINE.format(
        sources="; ".join(wording.SOURCE_ITEM.format(title=c.title, id=c.id, section=c.section) for c in citations)
    )


@dataclass(frozen=True, slots=True)
class Text:
    """A message. ``citations`` lists the knowledge entries it rests on (empty for chat chrome)."""

    text: str
    citations: tuple[Citation, ...] = ()

    def plain_text(self) -> str:
        line = sources_line(self.citations)
        return f"{self.text}\n{line}" if line else self.text


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    """A question about one factor. Options are numbered from 1; the last is always "Not sure".

    ``number`` counts questions asked in this assessment; ``preface`` is shown above the
    question (a re-ask apology, or what was understood). ``replaces`` is the platform id of
    the question message this one supersedes (reported earlier by the adapter through the
    ``message_sent`` action), so an adapter can update it in place; "" means post anew.
    """

    factor: str
    text: str
    options: tuple[Option, ...]
    number: int
    preface: str = ""
    replaces: str = ""
    why: str = ""  # "why do you ask?", in brief, from the factor's knowledge entry
    why_source: str = ""  # that entry's id

    def plain_text(self) -> str:
        lines = [self.preface] if self.preface else []
        lines.append(wording.QUESTION_LINE.format(number=self.number, text=self.text))
        lines.extend(f"  {i}. {o.label}" for i, o in enumerate(self.options, start=1))
        lines.append(wording.QUESTION_HINT)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ChangeMenu:
    """Which answer to change: one entry per settled factor, with its current answer."""

    choices: tuple[tuple[str, str, str], ...]  # (factor id, short name, current answer label)

    def intro(self) -> str:
        """The question and how to answer it, in labels (never factor ids): "change training data"."""
        labels = card_wording().labels
        example = self.choices[0][1].lower() if self.choices else ""
        return f"{labels['change_menu_intro']} {labels['change_menu_hint'].format(example=example)}"

    def entry(self, name: str, current: str) -> str:
        return card_wording().labels["change_menu_entry"].format(name=name, current=current)

    def plain_text(self) -> str:
        lines = [self.intro()]
        lines.extend(f"  - {self.entry(name, current)}" for _, name, current in self.choices)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Card:
    """The recommendation card, posted to the channel for everyone to see."""

    recommendation: Recommendation
    max_flips: int = 3
    supersedes: str = ""  # the last question message, which an adapter may now retire
    questions_asked: int = 0  # how many questions led here (for metrics)

    def flips_to_show(self) -> list[tuple[str, str]]:
        """(condition text, verdict id) for the smallest what-would-change sets, shortest first."""
        flips = sorted(self.recommendation.what_would_change, key=lambda f: len(f.answers))
        return [(describe_changes(f.answers), f.verdict) for f in flips[: self.max_flips]]

    @property
    def view(self) -> CardView:
        """The neutral view every renderer shows (built anew: cheap, and a Card stays a value)."""
        return build_view(self.recommendation)

    def plain_text(self) -> str:
        """The card face (``recommend --format text``)."""
        return face_text(self.view)


@dataclass(frozen=True, slots=True)
class Details:
    """Everything behind the card's face: every reason, change, step and source (the Details
    action; the terminal's ``details`` command)."""

    recommendation: Recommendation

    @property
    def view(self) -> CardView:
        return build_view(self.recommendation)

    def plain_text(self) -> str:
        return details_text(self.view.details)


@dataclass(frozen=True, slots=True)
class Document:
    """A file-like reply: the Markdown decision record."""

    title: str
    filename: str
    markdown: str

    def plain_text(self) -> str:
        return self.markdown


Reply = Text | Question | ChangeMenu | Card | Details | Document


def describe_changes(changes: dict[str, str]) -> str:
    """'Latency critical = "No" and Sensitive data = "No"': a condition a person can read."""
    return " and ".join(f'{wording.SHORT_NAMES[f]} = "{wording.option_label(f, v)}"' for f, v in changes.items())
