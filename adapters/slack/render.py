"""Core replies -> Slack messages (Block Kit through ``slack_sdk.models.blocks``).

Every message has a plain ``text`` fallback (the reply's ``plain_text()``, trimmed); long text
is split over several sections or trimmed to Block Kit's limits, never rejected; no message
has more than :data:`MAX_BLOCKS` blocks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.metadata import Metadata

from bot import wording
from bot.card import CardView, DetailsView, ShownReason
from bot.card_wording import card_wording
from bot.engine import Citation, Recommendation
from bot.memo import BoundedMemo
from bot.replies import Card, ChangeMenu, Details, Document, Question, Text, sources_line
from knowledge.base import ARTICLE_TITLE

from .events import block_id
from .wording import SLACK

MAX_BLOCKS = 50
CARD_BLOCKS = 15  # the card's face stays within this (issue 17); its details within MAX_BLOCKS
SECTION_CHARS = 3000
HEADER_CHARS = 150
BUTTON_CHARS = 75
VALUE_CHARS = 2000
FALLBACK_CHARS = 3000
METADATA_EVENT = "finetune_recommendation"


@dataclass(frozen=True, slots=True)
class Message:
    """One Slack message: fallback text, blocks and optional metadata, as Block Kit JSON.

    Messages are built with ``slack_sdk.models`` and turned into JSON by ``to_dict``, which
    validates every Block Kit length limit, once per message (:func:`validated`). A question
    or a card is built once per content as a :class:`Template` and only its block ids (and
    the card's author) are filled in per conversation. Nobody changes a message once built:
    the dicts may be shared between messages."""

    text: str
    blocks: tuple[dict[str, Any], ...] = ()
    metadata: dict[str, Any] | None = None

    def args(self) -> dict[str, Any]:
        """Keyword arguments for chat.postMessage / chat.update / response_url: a new dict and
        list, but the block and metadata dicts are the (possibly cached) message's own: read
        them, never change them."""
        out: dict[str, Any] = {"text": self.text, "blocks": list(self.blocks)}
        if self.metadata is not None:
            out["metadata"] = self.metadata
        return out


def validated(text: str, blocks: Sequence[Block], metadata: Metadata | None = None) -> Message:
    """A message from Block Kit models: ``to_dict`` validates them (raises on a broken limit)."""
    return Message(text, tuple(b.to_dict() for b in blocks), metadata.to_dict() if metadata is not None else None)


#: Stand-ins in a template for what differs per conversation: the block-id scope and the
#: card's author. NUL occurs neither in Slack text nor in the knowledge base, so nothing else matches.
SCOPE_MARK = "\x00scope\x00"
OWNER_MARK = "\x00owner\x00"
BLOCK_ID_CHARS = 255


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _filled(node: Any, marks: dict[str, str]) -> Any:
    if isinstance(node, str):
        for mark, value in marks.items():
            node = node.replace(mark, value)
        return node
    if isinstance(node, dict):
        return {k: _filled(v, marks) for k, v in node.items()}
    if isinstance(node, list):
        return [_filled(v, marks) for v in node]
    return node


@dataclass(frozen=True, slots=True)
class Template:
    """A validated message with marks in some blocks: ``marked`` lists (index, whether the
    block id is the only marked string)."""

    message: Message
    marked: tuple[tuple[int, bool], ...]

    @staticmethod
    def of(message: Message) -> Template:
        marked = []
        for i, block in enumerate(message.blocks):
            hits = [t for t in _strings(block) if SCOPE_MARK in t or OWNER_MARK in t]
            if hits:
                marked.append((i, hits == [block.get("block_id")]))
        return Template(message, tuple(marked))

    def fill(self, scope: str, owner: str = "") -> Message:
        """The message for one conversation: only the marked blocks are copied."""
        blocks = list(self.message.blocks)
        for i, id_only in self.marked:
            block = blocks[i]
            if id_only:
                block = {**block, "block_id": block["block_id"].replace(SCOPE_MARK, scope)}
            else:
                block = _filled(block, {SCOPE_MARK: scope, OWNER_MARK: owner})
            if len(block.get("block_id", "")) > BLOCK_ID_CHARS:
                raise ValueError(f"block_id longer than {BLOCK_ID_CHARS} characters for scope {scope!r}")
            blocks[i] = block
        return Message(self.message.text, tuple(blocks), self.message.metadata)


# --- text helpers ---------------------------------------------------------------------


def escape(text: str) -> str:
    """Slack mrkdwn needs exactly ``& < >`` escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chunks(text: str, limit: int = SECTION_CHARS) -> list[str]:
    """Split at line breaks into pieces of at most ``limit`` characters (hard-splitting a
    longer line)."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()] or [" "]


def sections(mrkdwn: str) -> list[Block]:
    return [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in chunks(mrkdwn)]


def context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=trim(mrkdwn, SECTION_CHARS))])


def fallback(plain: str) -> str:
    return trim(escape(plain), FALLBACK_CHARS)


def cap(blocks: list[Block]) -> list[Block]:
    """At most MAX_BLOCKS blocks (Slack's limit, which slack_sdk does not check): the middle is
    dropped with a note, the interactive tail (buttons and hints) kept."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    tail: list[Block] = []
    for block in reversed(blocks):
        if not isinstance(block, (ActionsBlock, ContextBlock)) or len(tail) == 8:
            break
        tail.insert(0, block)
    head = blocks[: MAX_BLOCKS - 1 - len(tail)]
    return [*head, context(SLACK["trimmed"]), *tail]


def button(label: str, action_id: str, value: str = "", style: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=trim(label, BUTTON_CHARS), emoji=True),
        action_id=action_id,
        value=trim(value, VALUE_CHARS) if value else None,
        style=style,
    )


def text_blocks(reply: Text) -> list[Block]:
    blocks = sections(escape(reply.text))
    line = sources_line(reply.citations)
    if line:
        blocks.append(context(escape(line)))
    return blocks


# --- messages -------------------------------------------------------------------------


def text_message(replies: Sequence[Text]) -> Message:
    blocks: list[Block] = []
    for reply in replies:
        blocks.extend(text_blocks(reply))
    return validated(fallback("\n\n".join(r.plain_text() for r in replies)), cap(blocks))


def notice(mrkdwn: str) -> Message:
    return validated(fallback(mrkdwn), sections(mrkdwn))


def question_message(question: Question, notes: Sequence[Text], scope: str, hint: str) -> Message:
    """The question with one button per option (``answer:<factor>``; one actions block each,
    as action ids must be unique within a block), then Skip, Back and Why do you ask?.

    Built and validated once per (question, notes, hint), all immutable, and cached: each
    conversation only fills in its scope. ``Question.replaces`` (which message to update,
    different in every thread) is not shown, so it is no part of the cache key."""
    key = dataclasses.replace(question, replaces="") if question.replaces else question
    return _question_template(key, tuple(notes), hint).fill(scope)


@lru_cache(maxsize=4096)
def _question_template(question: Question, notes: tuple[Text, ...], hint: str) -> Template:
    scope = SCOPE_MARK
    blocks: list[Block] = []
    for note in notes:
        blocks.extend(text_blocks(note))
    number = wording.CARD_HEADINGS["question"].format(number=question.number)
    heading = f"*{number}.* {escape(question.text)}"
    if question.preface:
        heading = f"_{escape(question.preface)}_\n{heading}"
    blocks.extend(sections(heading))
    for i, option in enumerate(question.options):
        blocks.append(ActionsBlock(
            block_id=block_id(scope, f"q{i}"),
            elements=[button(option.label, f"answer:{question.factor}", option.value)],
        ))
    blocks.append(ActionsBlock(
        block_id=block_id(scope, "qc"),
        elements=[
            button(wording.BUTTON_LABELS[name], name, question.factor) for name in ("skip", "back", "why_ask")
        ],
    ))
    footer = [MarkdownTextObject(text=trim(escape(hint), SECTION_CHARS))]
    if question.why:
        why = f"{wording.WHY_ASK_PREFIX}{question.why}"
        footer.insert(0, MarkdownTextObject(text=trim(f"_{escape(why)}_", SECTION_CHARS)))
    blocks.append(ContextBlock(elements=footer))
    plain = "\n\n".join([*(n.plain_text() for n in notes), question.plain_text()])
    return Template.of(validated(fallback(plain), cap(blocks)))


def change_menu_message(menu: ChangeMenu, scope: str) -> Message:
    """One ``change:<factor>`` button per settled factor, five to an actions block; labels, never ids."""
    blocks: list[Block] = sections(escape(menu.intro()))
    buttons = [button(menu.entry(name, current), f"change:{factor}", factor) for factor, name, current in menu.choices]
    for i in range(0, len(buttons), 5):
        blocks.append(ActionsBlock(block_id=block_id(scope, f"m{i // 5}"), elements=buttons[i : i + 5]))
    return validated(fallback(menu.plain_text()), cap(blocks))


@lru_cache(maxsize=1)
def retired_question() -> Message:
    return notice(f":white_check_mark: {escape(SLACK['questions_done'])}")


def _reason_line(reason: ShownReason) -> str:
    note = SLACK["your_answer"].format(label=reason.answer)
    if reason.decided:
        note = f"*{card_wording().labels['decided']}*, {escape(note)}"
    else:
        note = escape(note)
    return f"• {escape(reason.text)} _({note})_"


def _source_line(citation: Citation) -> str:
    return f"• {escape(citation.title)}, section _{escape(citation.section)}_"


def _sources_block(title: str, citations: Sequence[Citation], more: str = "") -> ContextBlock:
    origin = SLACK["sources_origin"].format(article=f"_{ARTICLE_TITLE}_")
    lines = [f"*{escape(title)}* ({origin})", *(_source_line(c) for c in citations)]
    if more:
        lines.append(escape(more))
    return context("\n".join(lines))


def face_blocks(view: CardView, owner: str) -> list[Block]:
    """The card's face: verdict, why, key reasons, next steps, what would change it, sources."""
    labels = card_wording().labels
    confidence = f"*{escape(labels['confidence'])}:* {escape(view.confidence_text)}"
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=trim(wording.CARD_HEADER.format(title=view.headline), HEADER_CHARS), emoji=True)),
        *sections(f"{escape(view.why)}\n{confidence}"),
    ]
    if owner:
        blocks.append(context(SLACK["card_by"].format(user=f"<@{owner}>")))
    if view.reasons:
        blocks.extend(sections("\n".join([f"*{escape(labels['key_reasons'])}*", *(_reason_line(r) for r in view.reasons)])))
    if view.next_steps:
        steps = [f"{i}. {escape(step)}" for i, step in enumerate(view.next_steps, start=1)]
        blocks.extend(sections("\n".join([f"*{escape(labels['next_steps'])}*", *steps])))
    if view.would_change:
        blocks.extend(sections(f"*{escape(labels['would_change'])}*\n{escape(view.would_change)}"))
    if view.sources:
        blocks.append(_sources_block(labels["sources"], view.sources))
    return blocks


def details_blocks(details: DetailsView) -> list[Block]:
    """Everything behind the face: answers, every reason, change, step and source."""
    labels = card_wording().labels
    blocks: list[Block] = [DividerBlock()]
    answers = [f"• {escape(name)}: {escape(answer)}" for _, name, answer in details.answers]
    head = [f"*{escape(labels['details'])}*", f"*{escape(labels['confidence'])}:* {escape(details.confidence_text)}"]
    if answers:
        head += [f"*{escape(labels['your_answers'])}*", *answers]
    if details.left_open:
        head.append(f"_{escape(labels['left_open'])}: {escape(', '.join(details.left_open))}_")
    blocks.extend(sections("\n".join(head)))
    for title, reasons in ((labels["all_reasons_for"], details.reasons_for), (labels["all_reasons_against"], details.reasons_against)):
        if reasons:
            blocks.extend(sections("\n".join([f"*{escape(title)}*", *(_reason_line(r) for r in reasons)])))
    changes = [f"• {escape(c.sentence)}" for c in details.changes] or [f"• {escape(labels['nothing_changes'])}"]
    blocks.extend(sections("\n".join([f"*{escape(labels['all_changes'])}*", *changes])))
    if details.next_steps:
        steps = [f"{i}. {escape(step)}" for i, step in enumerate(details.next_steps, start=1)]
        blocks.extend(sections("\n".join([f"*{escape(labels['all_steps'])}*", *steps])))
    if details.sources:
        blocks.append(_sources_block(labels["all_sources"], details.sources))
    return blocks


def card_actions(scope: str, with_details: bool) -> ActionsBlock:
    """Details (while folded), Why?, Change an answer, Start over, Decision record."""
    names = ["details"] if with_details else []
    names += ["why", "change", "restart", "record"]
    labels = {**wording.BUTTON_LABELS, "details": card_wording().labels["details"]}
    return ActionsBlock(
        block_id=block_id(scope, "c"),
        elements=[button(labels[n], n, style="primary" if i == 0 else None) for i, n in enumerate(names)],
    )


def card_metadata(rec: Recommendation) -> Metadata:
    """``finetune_recommendation``: its schema is a public contract (docs/contracts.md)."""
    return Metadata(event_type=METADATA_EVENT, event_payload={"verdict": rec.verdict, "answers": dict(rec.answers)})


def card_message(card: Card, scope: str, owner: str) -> Message:
    """The recommendation card's face (:func:`face_blocks`, at most :data:`CARD_BLOCKS` blocks),
    its buttons (Details first) and the ``finetune_recommendation`` metadata.

    Built and validated once per recommendation (its ``repr`` is the cache key: every field
    the card shows is in it), then filled in with the conversation's scope and author."""
    key = (repr(card.recommendation), card.max_flips, bool(owner))
    return _CARDS.get(key, lambda: _card_template(card, bool(owner))).fill(scope, owner)


def warm_cards(recommendations: Sequence[Recommendation]) -> int:
    """Build and validate the card template of each recommendation now (at start-up)."""
    for rec in recommendations:
        card_message(Card(rec), "p:-", "-")
    return len(recommendations)


CARD_CACHE_SIZE = 2048  # above the decision tree's ends (1,689 since issue 15), so start-up warms them all
_CARDS: BoundedMemo[tuple[str, int, bool], Template] = BoundedMemo(CARD_CACHE_SIZE)


def _card_template(card: Card, with_owner: bool) -> Template:
    scope, owner = SCOPE_MARK, OWNER_MARK if with_owner else ""
    view = card.view
    blocks = [*face_blocks(view, owner), card_actions(scope, with_details=True)]
    if len(blocks) > CARD_BLOCKS:
        raise ValueError(f"the card's face took {len(blocks)} blocks, more than {CARD_BLOCKS}")
    text = fallback(card.plain_text())
    return Template.of(validated(text, blocks, card_metadata(card.recommendation)))


def details_message(details: Details, scope: str, owner: str) -> Message:
    """The card expanded in place: its face, then everything behind it, the same buttons but
    Details, and the same metadata (the click's ``response_url`` replaces the card with this)."""
    view = details.view
    blocks = [*face_blocks(view, owner), *details_blocks(view.details)]
    blocks = cap([*blocks, card_actions(scope, with_details=False)])
    text = fallback(details.plain_text())
    return validated(text, blocks, card_metadata(details.recommendation))


def record_as_text(document: Document) -> Message:
    """The decision record inline, for when a file cannot be attached."""
    blocks: list[Block] = sections(escape(SLACK["record_as_text"]))
    for piece in chunks(escape(document.markdown), SECTION_CHARS - 8):
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"```{piece}```")))
    return validated(fallback(document.plain_text()), cap(blocks))
