"""Core replies -> Teams message bodies (Adaptive Cards 1.5, Action.Submit only).

Pure functions over plain dicts (no botbuilder), so they are cheap and easy to test. Every
card carries ``fallbackText`` (the reply's ``plain_text()``) and every card activity a
``summary``. Card data shapes (``Action.Submit`` ``data``), the adapter's public names:

* ``{"action": "answer", "factor": F, "value": V, "owner": U}`` (one button per option)
* ``{"action": "skip" | "back" | "why_ask", "factor": F, "owner": U}`` (question card; F is its factor)
* ``{"action": "why" | "change" | "restart" | "record", "owner": U}`` (recommendation card; its
  Details button is an ``Action.ShowCard``, opened by the client with no round trip)
* ``{"action": "change", "factor": F, "owner": U}`` (the change menu), ``{"action": "start"}`` (welcome)

``owner`` is the assessment owner's user id: a click by someone else in a shared channel then
reaches the owner's conversation as a bystander's and changes nothing.
"""

from __future__ import annotations

import re
from typing import Any, Final

from bot import wording
from bot.card import CardView, DetailsView, ShownReason
from bot.card_wording import card_wording
from bot.engine import Citation, Recommendation
from bot.factors import UNKNOWN
from bot.replies import Card, ChangeMenu, Details, Document, Question, Reply, Text
from knowledge.base import ARTICLE_TITLE

from .wording import TEAMS

CARD_CONTENT_TYPE: Final = "application/vnd.microsoft.card.adaptive"
SCHEMA_URL: Final = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION: Final = "1.5"

_TABLE_RULE: Final = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")

#: Headline colours readable on Teams' light and dark themes (never ``Warning``: yellow on white).
VERDICT_COLOR: Final[dict[str, str]] = {
    "fine_tune": "Good",
    "fine_tune_with_prerequisites": "Accent",
    "alternatives_first": "Default",
    "avoid": "Attention",
}
_CODE_SPAN: Final = re.compile(r"`([^`]*)`")
_PLACEHOLDER: Final = re.compile(r"<([^<>\s]+)>")
_LIST_ITEM: Final = re.compile(r"^\s*(?:[-*•]|\d+\.)\s")
_HEADING: Final = re.compile(r"^#{1,6}\s+(.*)$")
_ID_NOTE: Final = re.compile(r" \(`[a-z0-9_-]+`\)")


# --- text Teams shows as written ------------------------------------------------------------


def teams_text(text: str) -> str:
    """Text as Teams renders it, in a card or a message: no code spans (cards show backticks
    literally) and no raw angle brackets (``<factor>`` arrives as ``&lt;factor&gt;``): a code span
    becomes bold, a ``<placeholder>`` italic."""

    def code(match: re.Match[str]) -> str:
        inner = match.group(1)
        parts = [p for p in re.split(r"(<[^<>\s]+>)", inner) if p.strip()]
        return " ".join(f"_{p[1:-1]}_" if _PLACEHOLDER.fullmatch(p) else f"**{p.strip()}**" for p in parts)

    text = _CODE_SPAN.sub(code, text)
    text = _PLACEHOLDER.sub(lambda m: f"_{m.group(1)}_", text)
    return text.replace("<", "‹").replace(">", "›")


def paragraphs(text: str) -> str:
    """Teams drops single line breaks in a text message: every line becomes its own paragraph,
    except consecutive list items, which stay one list. ``#`` headings (unsupported in
    text-only messages) become bold lines."""
    out: list[str] = []
    previous_item = False
    for line in text.split("\n"):
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        if heading:
            line = f"**{heading.group(1).strip()}**"
        item = bool(_LIST_ITEM.match(line))
        if out:
            out.append("\n" if item and previous_item else "\n\n")
        out.append(line)
        previous_item = item
    return "".join(out)


# --- building blocks ----------------------------------------------------------------------


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": teams_text(text), "wrap": True, **style}


def _submit(title: str, data: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"type": "Action.Submit", "title": title, "data": data, **extra}


def _data(action: str, owner: str, **fields: str) -> dict[str, str]:
    data = {"action": action, **fields}
    if owner:
        data["owner"] = owner
    return data


def adaptive_card(body: list[dict[str, Any]], fallback: str, actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA_URL, "version": VERSION, "body": body}
    if actions:
        card["actions"] = actions
    card["fallbackText"] = fallback
    return card


def card_message(card: dict[str, Any], summary: str) -> dict[str, Any]:
    """A message activity body carrying one Adaptive Card."""
    return {
        "type": "message",
        "summary": summary[:250],
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": card}],
    }


def text_message(text: str) -> dict[str, Any]:
    """A text-only message: paragraphs Teams keeps, no code spans, no raw angle brackets."""
    return {"type": "message", "text": paragraphs(teams_text(text)), "textFormat": "markdown"}


def _cells(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [c.strip().replace("\\|", "|") for c in cells]


def teams_markdown(markdown: str) -> str:
    """Markdown as Teams renders it in a text message: tables (unsupported there) become
    bullet lists, ``- first: second`` per row; everything else is kept."""
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        is_table = (
            lines[i].lstrip().startswith("|") and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1])
        )
        if not is_table:
            out.append(lines[i])
            i += 1
            continue
        i += 2  # header and rule
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            first, *rest = _cells(lines[i])
            out.append(f"- {first}: {' / '.join(rest)}" if rest else f"- {first}")
            i += 1
    return "\n".join(out)


def teams_record(markdown: str) -> str:
    """The decision record as a Teams text message: tables as lists, and the ``(`id`)`` notes
    for machines dropped (people read the labels; the uploaded Markdown keeps the ids)."""
    return _ID_NOTE.sub("", teams_markdown(markdown))


# --- cards ----------------------------------------------------------------------------------


def question_card(question: Question, owner: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if question.preface:
        body.append(_text(question.preface, isSubtle=True))
    heading = wording.CARD_HEADINGS["question"].format(number=question.number)
    body.append(_text(heading, size="Small", isSubtle=True, spacing="None"))
    body.append(_text(question.text, size="Medium", weight="Bolder"))
    # One option a row (an ActionSet each): a row of four does not fit a 500-pixel card.
    for option in question.options:
        answer = _submit(option.label, _data("answer", owner, factor=question.factor, value=option.value))
        body.append({"type": "ActionSet", "actions": [answer], "spacing": "Small"})
    # The factor makes a doubled or late press harmless: it acts only on this question.
    navigation = [
        _submit(wording.BUTTON_LABELS[name], _data(name, owner, factor=question.factor)) for name in ("skip", "back", "why_ask")
    ]
    return adaptive_card(body, question.plain_text(), navigation)


def _reason_block(reason: ShownReason) -> dict[str, Any]:
    mark = f" _({card_wording().labels['decided']})_" if reason.decided else ""
    return _text(f"- **{reason.name}: {reason.answer}.** {reason.text}{mark}", spacing="Small")


def _heading(text: str) -> dict[str, Any]:
    return _text(text, weight="Bolder", spacing="Medium")


def _sources(title: str, citations: tuple[Citation, ...]) -> list[dict[str, Any]]:
    if not citations:
        return []
    origin = TEAMS["sources_origin"].format(article=ARTICLE_TITLE)
    lines = "\n".join(f"- {c.title} ({c.section})" for c in citations)
    return [_text(f"**{title}** ({origin})", size="Small", isSubtle=True, spacing="Medium"),
            _text(lines, size="Small", isSubtle=True, spacing="None")]


def face_body(view: CardView) -> list[dict[str, Any]]:
    """Verdict, why, key reasons, next steps, what would change it, sources: the card's face."""
    labels = card_wording().labels
    body: list[dict[str, Any]] = [
        _text(wording.CARD_HEADINGS["recommendation"], size="Small", isSubtle=True),
        _text(view.headline, size="Large", weight="Bolder", color=VERDICT_COLOR.get(view.verdict, "Default"), spacing="None"),
        _text(f"{view.why} **{labels['confidence']}:** {view.confidence}.", spacing="Small"),
    ]
    if view.reasons:
        body.append(_heading(labels["key_reasons"]))
        body.extend(_reason_block(r) for r in view.reasons)
    if view.next_steps:
        body.append(_heading(labels["next_steps"]))
        body.append(_text("\n".join(f"{i}. {s}" for i, s in enumerate(view.next_steps, start=1)), spacing="Small"))
    if view.would_change:
        body.append(_heading(labels["would_change"]))
        body.append(_text(view.would_change, spacing="Small"))
    body.extend(_sources(labels["sources"], view.sources))
    return body


def details_body(details: DetailsView) -> list[dict[str, Any]]:
    """Everything behind the face: confidence, answers, every reason, change, step and source."""
    labels = card_wording().labels
    body: list[dict[str, Any]] = [
        {"type": "FactSet", "facts": [{"title": labels["confidence"], "value": teams_text(details.confidence_text)}]},
    ]
    if details.answers:
        body.append(_heading(labels["your_answers"]))
        body.append({"type": "FactSet", "facts": [{"title": name, "value": answer} for _, name, answer in details.answers]})
    if details.left_open:
        body.append(_text(f"{labels['left_open']}: {', '.join(details.left_open)}", isSubtle=True, spacing="Small"))
    for title, reasons in ((labels["all_reasons_for"], details.reasons_for), (labels["all_reasons_against"], details.reasons_against)):
        if reasons:
            body.append(_heading(title))
            body.extend(_reason_block(r) for r in reasons)
    body.append(_heading(labels["all_changes"]))
    changes = [f"- {c.sentence}" for c in details.changes] or [f"- {labels['nothing_changes']}"]
    body.append(_text("\n".join(changes), spacing="Small"))
    if details.next_steps:
        body.append(_heading(labels["all_steps"]))
        body.append(_text("\n".join(f"{i}. {s}" for i, s in enumerate(details.next_steps, start=1)), spacing="Small"))
    body.extend(_sources(labels["all_sources"], details.sources))
    return body


def details_card(details: DetailsView, fallback: str) -> dict[str, Any]:
    """The details as a card of their own (when they arrive as a reply, not from the Details button)."""
    heading = _text(card_wording().labels["details_of"].format(headline=details.headline), weight="Bolder", size="Medium")
    return adaptive_card([heading, *details_body(details)], fallback)


def recommendation_card(reply: Card, owner: str) -> dict[str, Any]:
    """The face, then Details (``Action.ShowCard``: everything, opened in place by the client,
    with Start over at its foot), Why?, Change an answer and Decision record."""
    view = reply.view

    def submit(name: str) -> dict[str, Any]:
        return _submit(wording.BUTTON_LABELS[name], _data(name, owner))

    show = {
        "type": "Action.ShowCard",
        "title": TEAMS["show_details"],
        # Start over sits with the details: four buttons fit a 500-pixel card, five do not.
        "card": {"type": "AdaptiveCard", "body": details_body(view.details), "actions": [submit("restart")]},
    }
    actions = [show, *(submit(name) for name in ("why", "change", "record"))]
    return adaptive_card(face_body(view), reply.plain_text(), actions)


def answers_card(rec: Recommendation) -> dict[str, Any]:
    """What a question card becomes once the recommendation supersedes it: the answers given."""
    facts = [
        {"title": wording.SHORT_NAMES[f], "value": wording.option_label(f, v)}
        for f, v in rec.answers.items()
        if v != UNKNOWN
    ]
    body: list[dict[str, Any]] = [_text(TEAMS["your_answers"], weight="Bolder")]
    if facts:
        body.append({"type": "FactSet", "facts": facts})
    fallback = "\n".join([TEAMS["your_answers"] + ":", *(f"- {f['title']}: {f['value']}" for f in facts)])
    return adaptive_card(body, fallback)


def change_menu_card(menu: ChangeMenu, owner: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = [_text(menu.intro())]
    for f, name, current in menu.choices:
        entry = _submit(menu.entry(name, current), _data("change", owner, factor=f))
        body.append({"type": "ActionSet", "actions": [entry]})
    return adaptive_card(body, menu.plain_text())


def welcome_card() -> dict[str, Any]:
    start = _submit(wording.BUTTON_LABELS["start"], {"action": "start"})
    return adaptive_card([_text(wording.WELCOME)], wording.WELCOME, [start])


# --- replies -> message bodies ---------------------------------------------------------------


def render(reply: Reply, owner: str) -> dict[str, Any]:
    """The message body (no routing fields) that shows ``reply`` in Teams."""
    if isinstance(reply, Question):
        return card_message(question_card(reply, owner), reply.text)
    if isinstance(reply, Card):
        rec = reply.recommendation
        return card_message(recommendation_card(reply, owner), wording.CARD_HEADER.format(title=rec.title))
    if isinstance(reply, Details):
        return card_message(details_card(reply.view.details, reply.plain_text()), card_wording().labels["details"])
    if isinstance(reply, ChangeMenu):
        return card_message(change_menu_card(reply, owner), reply.intro())
    if isinstance(reply, Document):
        return text_message(teams_record(reply.markdown))
    if isinstance(reply, Text):
        return text_message(reply.plain_text())
    raise TypeError(f"no Teams rendering for {type(reply).__name__}")


def welcome_message() -> dict[str, Any]:
    return card_message(welcome_card(), wording.WELCOME)


def answers_message(rec: Recommendation) -> dict[str, Any]:
    return card_message(answers_card(rec), TEAMS["your_answers"])
