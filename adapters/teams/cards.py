"""Core replies -> Teams message bodies (Adaptive Cards 1.5, Action.Submit only).

Pure functions over plain dicts (no botbuilder), so they are cheap and easy to test. Every
card carries ``fallbackText`` (the reply's ``plain_text()``) and every card activity a
``summary``. Card data shapes (``Action.Submit`` ``data``), the adapter's public names:

* ``{"action": "answer", "factor": F, "value": V, "owner": U}`` (one button per option)
* ``{"action": "skip" | "back" | "why_ask", "factor": F, "owner": U}`` (question card; F is its factor)
* ``{"action": "why" | "change" | "restart" | "record", "owner": U}`` (recommendation card)
* ``{"action": "change", "factor": F, "owner": U}`` (the change menu), ``{"action": "start"}`` (welcome)

``owner`` is the assessment owner's user id: a click by someone else in a shared channel then
reaches the owner's conversation as a bystander's and changes nothing.
"""

from __future__ import annotations

import re
from typing import Any, Final

from bot import wording
from bot.engine import Reason, Recommendation
from bot.factors import UNKNOWN
from bot.replies import Card, ChangeMenu, Document, Question, Reply, Text, sources_line

CARD_CONTENT_TYPE: Final = "application/vnd.microsoft.card.adaptive"
SCHEMA_URL: Final = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION: Final = "1.5"

_TABLE_RULE: Final = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")

_VERDICT_COLOR: Final[dict[str, str]] = {
    "fine_tune": "Good",
    "fine_tune_with_prerequisites": "Warning",
    "alternatives_first": "Accent",
    "avoid": "Attention",
}


# --- building blocks ----------------------------------------------------------------------


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


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
    return {"type": "message", "text": text, "textFormat": "markdown"}


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


# --- cards ----------------------------------------------------------------------------------


def question_card(question: Question, owner: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if question.preface:
        body.append(_text(question.preface, isSubtle=True))
    heading = wording.CARD_HEADINGS["question"].format(number=question.number)
    body.append(_text(heading, size="Small", isSubtle=True, spacing="None"))
    body.append(_text(question.text, size="Medium", weight="Bolder"))
    options = [
        _submit(o.label, _data("answer", owner, factor=question.factor, value=o.value)) for o in question.options
    ]
    body.append({"type": "ActionSet", "actions": options})
    # The factor makes a doubled or late press harmless: it acts only on this question.
    navigation = [
        _submit(wording.BUTTON_LABELS[name], _data(name, owner, factor=question.factor)) for name in ("skip", "back", "why_ask")
    ]
    return adaptive_card(body, question.plain_text(), navigation)


def _reason_block(reason: Reason) -> dict[str, Any]:
    answer = wording.option_label(reason.factor, reason.value)
    return _text(f"**{wording.SHORT_NAMES[reason.factor]}: {answer}**. {reason.text}", spacing="Small")


def _reasons(rec: Recommendation) -> list[dict[str, Any]]:
    """Decisive reasons in view, grouped by stance; the rest behind a toggle. With no decisive
    reason every reason is in view."""
    decisive = [r for r in rec.reasons if r.decisive]
    shown = decisive or list(rec.reasons)
    others = [r for r in rec.reasons if r not in shown]
    body: list[dict[str, Any]] = []
    if decisive:
        body.append(_text(wording.TEAMS_DECISIVE_REASONS, weight="Bolder", spacing="Medium"))
    for stance in ("for", "against"):
        group = [r for r in shown if r.stance == stance]
        if group:
            style = {"isSubtle": True, "spacing": "Small"} if decisive else {"weight": "Bolder", "spacing": "Medium"}
            body.append(_text(wording.STANCE_LABELS[stance], **style))
            body.extend(_reason_block(r) for r in group)
    if others:
        items: list[dict[str, Any]] = []
        for stance in ("for", "against"):
            group = [r for r in others if r.stance == stance]
            if group:
                items.append(_text(wording.STANCE_LABELS[stance], weight="Bolder", spacing="Small"))
                items.extend(_reason_block(r) for r in group)
        body.append({
            "type": "ActionSet",
            "actions": [{"type": "Action.ToggleVisibility", "title": wording.TEAMS_OTHER_REASONS, "targetElements": ["more-reasons"]}],
        })
        body.append({"type": "Container", "id": "more-reasons", "isVisible": False, "items": items})
    return body


def recommendation_card(reply: Card, owner: str) -> dict[str, Any]:
    rec = reply.recommendation
    body: list[dict[str, Any]] = [
        _text(wording.CARD_HEADINGS["recommendation"], size="Small", isSubtle=True),
        _text(rec.title, size="Large", weight="Bolder", color=_VERDICT_COLOR.get(rec.verdict, "Default"), spacing="None"),
        _text(rec.summary),
        {"type": "FactSet", "facts": [{"title": wording.CARD_HEADINGS["confidence"], "value": wording.CONFIDENCE_TEXT[rec.confidence]}]},
    ]
    body.extend(_reasons(rec))
    flips = reply.flips_to_show()
    if flips:
        body.append(_text(wording.CARD_HEADINGS["would_change"], weight="Bolder", spacing="Medium"))
        body.extend(
            _text("- " + wording.WOULD_CHANGE_LINE.format(change=c, verdict=wording.VERDICT_TITLES[v].lower()), spacing="Small")
            for c, v in flips
        )
    body.append(_text(wording.CARD_HEADINGS["next_steps"], weight="Bolder", spacing="Medium"))
    body.append(_text("\n".join(f"{i}. {s}" for i, s in enumerate(rec.next_steps, start=1))))
    sources = sources_line(rec.citations)
    if sources:
        body.append(_text(sources, size="Small", isSubtle=True, spacing="Medium"))
    actions = [_submit(wording.BUTTON_LABELS[name], _data(name, owner)) for name in ("why", "change", "restart", "record")]
    return adaptive_card(body, reply.plain_text(), actions)


def answers_card(rec: Recommendation) -> dict[str, Any]:
    """What a question card becomes once the recommendation supersedes it: the answers given."""
    facts = [
        {"title": wording.SHORT_NAMES[f], "value": wording.option_label(f, v)}
        for f, v in rec.answers.items()
        if v != UNKNOWN
    ]
    body: list[dict[str, Any]] = [_text(wording.TEAMS_YOUR_ANSWERS, weight="Bolder")]
    if facts:
        body.append({"type": "FactSet", "facts": facts})
    fallback = "\n".join([wording.TEAMS_YOUR_ANSWERS + ":", *(f"- {f['title']}: {f['value']}" for f in facts)])
    return adaptive_card(body, fallback)


def change_menu_card(menu: ChangeMenu, owner: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = [_text(menu.plain_text().splitlines()[0])]
    for f, name, current in menu.choices:
        entry = _submit(wording.CHANGE_MENU_ENTRY.format(name=name, current=current), _data("change", owner, factor=f))
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
    if isinstance(reply, ChangeMenu):
        return card_message(change_menu_card(reply, owner), reply.plain_text().splitlines()[0])
    if isinstance(reply, Document):
        return text_message(teams_markdown(reply.markdown))
    if isinstance(reply, Text):
        return text_message(reply.plain_text())
    raise TypeError(f"no Teams rendering for {type(reply).__name__}")


def welcome_message() -> dict[str, Any]:
    return card_message(welcome_card(), wording.WELCOME)


def answers_message(rec: Recommendation) -> dict[str, Any]:
    return card_message(answers_card(rec), wording.TEAMS_YOUR_ANSWERS)
