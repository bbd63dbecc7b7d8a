"""The clarifying conversation as a pure state machine.

``Advisor.step(state, event, now) -> (new_state, replies)``: no I/O, no clock, no randomness.
The state holds the answers and what the machine needs to go on, never the user's free text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot import answers as answering
from bot import wording
from bot.engine import EntrySource, Recommendation, recommend
from bot.events import Action, Hint, InboundEvent
from bot.factors import BY_ID, FACTOR_IDS, UNKNOWN
from bot.memo import BoundedMemo
from bot.reading import CONFIDENTIAL, Understood, is_question, is_topic, parse_answer, parse_command, understand, yes_or_no
from bot.questions import decision_tree_ends, next_question
from bot.record import decision_record
from bot.replies import Card, ChangeMenu, Details, Option, Question, Reply, Text, describe_changes

SCHEMA_VERSION = 1
DEFAULT_IDLE_SECONDS = 7 * 24 * 3600
MAX_TEXT_CHARS = 2000
MIN_DESCRIPTION_WORDS = 3
"""An opening text shorter than this ("ok", "thanks") is not worth an outside reading."""

IDLE, ASKING, DONE = "idle", "asking", "done"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_THANKS = re.compile(
    r"^\s*(?:thanks?(?: you)?|thx|ty|cheers|great|perfect|ok(?:ay)?|cool|got it|nice|yes|yep|sure)\b[\s!.,]*(?:a lot|so much|very much)?[\s!.]*$",
    re.I,
)
_GREETING = re.compile(r"^\s*(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening)|start|begin)\b[\s!.]*$", re.I)


@dataclass(frozen=True, slots=True)
class ConversationState:
    """One assessment. ``settled`` lists factors in the order they were answered, skipped or
    understood; ``answers`` maps each settled factor to its value (``unknown`` when skipped).
    ``proposed`` holds changes read from a plain statement, waiting for the user's yes / no;
    ``part`` is 1 while the second part of the pending question is asked (see
    ``wording.SUBQUESTIONS``)."""

    phase: str = IDLE
    owner: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    settled: tuple[str, ...] = ()
    pending: str | None = None
    questions_asked: int = 0
    updated_at: float = 0.0
    message_ref: str = ""
    proposed: dict[str, str] = field(default_factory=dict)
    part: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "phase": self.phase,
            "owner": self.owner,
            "answers": dict(self.answers),
            "settled": list(self.settled),
            "pending": self.pending,
            "questions_asked": self.questions_asked,
            "updated_at": self.updated_at,
            "message_ref": self.message_ref,
            "proposed": dict(self.proposed),
            "part": self.part,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConversationState:
        """Raises ValueError for data of another schema version or with invalid contents."""
        if data.get("schema") != SCHEMA_VERSION:
            raise ValueError("unsupported conversation schema")
        state = cls(
            phase=str(data["phase"]),
            owner=str(data["owner"]),
            answers={str(k): str(v) for k, v in dict(data["answers"]).items()},
            settled=tuple(str(f) for f in data["settled"]),
            pending=None if data["pending"] is None else str(data["pending"]),
            questions_asked=int(data["questions_asked"]),
            updated_at=float(data["updated_at"]),
            message_ref=str(data.get("message_ref", "")),
            proposed={str(k): str(v) for k, v in dict(data.get("proposed") or {}).items()},
            part=int(data.get("part", 0)),
        )
        state.validate()
        return state

    def validate(self) -> None:
        if self.phase not in (IDLE, ASKING, DONE):
            raise ValueError(f"bad phase {self.phase!r}")
        for f, v in self.answers.items():
            if f not in BY_ID or v not in BY_ID[f].allowed:
                raise ValueError(f"bad answer {f}={v}")
        if set(self.settled) != set(self.answers) or len(set(self.settled)) != len(self.settled):
            raise ValueError("settled and answers disagree")
        if self.pending is not None and self.pending not in BY_ID:
            raise ValueError("bad pending factor")
        if (self.phase == ASKING) != (self.pending is not None):
            raise ValueError("pending question and phase disagree")
        for f, v in self.proposed.items():
            if f not in BY_ID or v not in BY_ID[f].allowed:
                raise ValueError(f"bad proposed change {f}={v}")
        if self.part not in (0, 1) or (self.part and self.pending not in wording.SUBQUESTIONS):
            raise ValueError("bad question part")


def clean_text(text: str) -> str:
    """Drop control characters and cap the length; what is left is what the user meant."""
    return _CONTROL.sub(" ", text[: MAX_TEXT_CHARS * 2])[:MAX_TEXT_CHARS].strip()


def understood_from_hints(text: str, hints: tuple[Hint, ...]) -> dict[str, Understood]:
    """Hints as understood factors: only those whose evidence occurs in ``text`` (ignoring case
    and spacing), and none for a factor the hints disagree on. Rules come first: callers use
    this only where the rule-based reading found nothing."""
    folded = " ".join(text.casefold().split())
    found: dict[str, Understood] = {}
    disputed: set[str] = set()
    for hint in hints:
        evidence = " ".join(hint.evidence.split())
        if not evidence or evidence.casefold() not in folded:
            continue
        if hint.factor in found and found[hint.factor].value != hint.value:
            disputed.add(hint.factor)
        found.setdefault(hint.factor, Understood(hint.value, evidence))
    return {f: u for f, u in found.items() if f not in disputed}


@dataclass(frozen=True, slots=True)
class ReadingWanted:
    """A typed text the rules cannot read, where an outside reading would be used: the opening
    description (``pending`` None) or an answer to the ``pending`` question."""

    text: str
    pending: str | None


def may_want_reading(event: InboundEvent) -> bool:
    """Cheap, state-free first check: could :meth:`Advisor.reading_wanted` say yes? False for
    actions, empty text, commands, greetings and questions (questions are answered from the
    knowledge base, never read as answers)."""
    if event.action is not None or event.hints:
        return False
    text = clean_text(event.text or "")
    return bool(text) and parse_command(text) is None and not _GREETING.search(text) and not is_question(text)


#: Answer sets whose recommendation an Advisor keeps (see Advisor.recommend).
RECOMMENDATION_MEMO = 4096


@dataclass(frozen=True)
class Advisor:
    """The conversation logic with its (immutable) knowledge. ``index`` is called on first use,
    so start-up does not pay for building the retrieval index."""

    kb: EntrySource
    index: Callable[[], answering.Searcher]
    idle_seconds: float = DEFAULT_IDLE_SECONDS
    _recommendations: BoundedMemo[tuple[tuple[str, str], ...], Recommendation] = field(
        default_factory=lambda: BoundedMemo(RECOMMENDATION_MEMO), init=False, repr=False, compare=False
    )

    def warm(self) -> list[Recommendation]:
        """The recommendation at every end of the button-driven decision tree, computed now
        (and so memoised, like the question policy along the way): the service calls this
        before it reports ready, so its first users do not pay for a cold start."""
        return [self.recommend(answers) for answers in decision_tree_ends()]

    def recommend(self, answers: Mapping[str, str]) -> Recommendation:
        """The engine's recommendation for ``answers`` over this knowledge base. The engine is
        pure and its result is never changed, so equal answers share one (up to
        RECOMMENDATION_MEMO answer sets kept, oldest dropped first)."""
        return self._recommendations.get(tuple(sorted(answers.items())), lambda: recommend(answers, self.kb))

    # --- entry point -----------------------------------------------------------------

    def step(self, state: ConversationState | None, event: InboundEvent, now: float) -> tuple[ConversationState, list[Reply]]:
        notes: list[Reply] = []
        if state is not None and state.phase != IDLE and now - state.updated_at > self.idle_seconds:
            state, notes = None, [Text(wording.EXPIRED)]
        if state is None:
            state = ConversationState(owner=event.user)
        new_state, replies = self._dispatch(state, event, now)
        if event.user == new_state.owner:
            new_state = replace(new_state, updated_at=now)
        return new_state, notes + replies

    def step_data(self, data: dict[str, Any] | None, event: InboundEvent, now: float) -> tuple[dict[str, Any], list[Reply]]:
        """The store's transition: decode, step, encode. Unreadable data starts over politely."""
        notes: list[Reply] = []
        state: ConversationState | None = None
        if data is not None:
            try:
                state = ConversationState.from_dict(data)
            except (KeyError, TypeError, ValueError):
                notes.append(Text(wording.UNREADABLE_STATE))
        new_state, replies = self.step(state, event, now)
        return new_state.to_dict(), notes + replies

    def reading_wanted(self, data: dict[str, Any] | None, event: InboundEvent, now: float) -> ReadingWanted | None:
        """Whether :meth:`step` would use hints for ``event`` on the stored ``data``: the owner's
        typed text that the rules read nothing from, as an opening description or as the answer
        to the pending question. Pure, like ``step``; the service asks a language model only then."""
        if not may_want_reading(event):
            return None
        state: ConversationState | None = None
        if data:
            try:
                state = ConversationState.from_dict(data)
            except (KeyError, TypeError, ValueError):
                state = None
        if state is None or (state.phase != IDLE and now - state.updated_at > self.idle_seconds):
            state = ConversationState(owner=event.user)
        if event.user != state.owner:
            return None
        text = clean_text(event.text or "")
        if state.phase == ASKING and state.pending is not None:
            if any(f != state.pending for f in understand(text)) or parse_answer(state.pending, text) is not None:
                return None
            return ReadingWanted(text, state.pending)
        if state.phase == IDLE and len(text.split()) >= MIN_DESCRIPTION_WORDS and not understand(text):
            return ReadingWanted(text, None)
        return None

    def _dispatch(self, state: ConversationState, event: InboundEvent, now: float) -> tuple[ConversationState, list[Reply]]:
        if event.user != state.owner:
            return state, self._bystander(state, event, now)
        if event.action is not None:
            if event.action.name != "message_sent":
                state = replace(state, proposed={})  # any other step drops an unconfirmed change
            return self._act(state, event.action, now)
        text = clean_text(event.text or "")
        if not text:
            return state, [Text(wording.EMPTY_INPUT)]
        command = parse_command(text)
        if command is not None:
            return self._act(replace(state, proposed={}), command, now)
        if state.proposed:
            choice = yes_or_no(text)
            if choice is not None:
                return self._confirm(state, choice == "yes")
            state = replace(state, proposed={})  # moved on: the proposal lapses
        if state.phase == ASKING:
            return self._typed_answer(state, text, event.hints)
        if state.phase == DONE:
            return self._after_card(state, text)
        return self._opening(state, text, event.hints)

    # --- actions ---------------------------------------------------------------------

    def _act(self, state: ConversationState, action: Action, now: float) -> tuple[ConversationState, list[Reply]]:
        name = action.name
        if name == "start":
            if state.phase == ASKING:  # a bare @mention or a second "start": the same card, in place
                return state, [self._question(state, state.pending or "", replaces=True)]
            return self._begin(ConversationState(owner=state.owner), [Text(wording.WELCOME)])
        if name == "message_sent":
            return replace(state, message_ref=action.value), []
        if name == "resume":
            if state.phase == ASKING:
                return state, [self._question(state, state.pending or "", replaces=True)]
            if state.phase == DONE:
                return state, [Card(self.recommend(state.answers))]
            return self._begin(ConversationState(owner=state.owner), [Text(wording.WELCOME)])
        if name == "restart":
            return self._begin(ConversationState(owner=state.owner), [Text(wording.RESTARTED)])
        if name == "help":
            return state, [Text(wording.HELP)]
        if name == "status":
            return state, [self._status(state)]
        if name == "answer":
            return self._answer_action(state, action.factor, action.value)
        if name == "skip":
            if action.factor and action.factor != state.pending:
                return state, []  # pressed on a question that is no longer current
            if state.phase != ASKING or state.pending is None:
                return state, [Text(wording.NO_RECOMMENDATION_YET if state.phase == IDLE else wording.HELP)]
            return self._record(state, state.pending, UNKNOWN)
        if name == "back":
            if action.factor and action.factor != state.pending:
                return state, []  # pressed on a question that is no longer current: nothing to undo twice
            return self._back(state)
        if name == "change":
            return self._change(state, action.factor)
        if name == "why_ask":
            factor_id = action.factor if action.factor in BY_ID else state.pending
            if factor_id is None:
                return state, [Text(wording.HELP)]
            return state, [answering.why_ask(factor_id, self.kb)]
        if name in ("why", "record", "details"):
            if state.phase != DONE:
                return state, self._not_yet(state)
            rec = self.recommend(state.answers)
            if name == "why":
                return state, [answering.why_verdict(rec, self.kb)]
            if name == "details":  # the card's Details action (issue 17)
                return state, [Details(rec)]
            return state, [decision_record(rec, now)]
        return state, [Text(wording.HELP)]

    def _answer_action(self, state: ConversationState, factor_id: str, value: str) -> tuple[ConversationState, list[Reply]]:
        if factor_id not in BY_ID or value not in BY_ID[factor_id].allowed:
            return state, [Text(wording.HELP)]
        if state.pending == factor_id:
            return self._record(state, factor_id, value)
        if state.answers.get(factor_id) == value:
            return state, []  # a second click on an answer already taken: nothing changes
        if factor_id in state.answers or state.phase == DONE:
            return self._record(replace(state, pending=factor_id, phase=ASKING), factor_id, value)
        return state, [Text(wording.NOT_ANSWERED_YET)]

    # --- the flow --------------------------------------------------------------------

    def _begin(self, state: ConversationState, preface: list[Reply]) -> tuple[ConversationState, list[Reply]]:
        return self._advance(state, preface)

    def _advance(
        self, state: ConversationState, preface: list[Reply], replaces: bool = False, current: str | None = None
    ) -> tuple[ConversationState, list[Reply]]:
        """Ask the next question, or post the card when no answer could change the verdict.
        ``current``: the question open before this step; asking it again does not count as
        another question."""
        factor_id = next_question(state.answers, state.settled)
        if factor_id is None:
            done = replace(state, phase=DONE, pending=None, part=0)
            card = Card(self.recommend(done.answers), supersedes=state.message_ref, questions_asked=state.questions_asked)
            return replace(done, message_ref=""), [*preface, card]
        asked = state.questions_asked + (0 if factor_id == current else 1)
        asking = replace(state, phase=ASKING, pending=factor_id, questions_asked=asked, part=0)
        return asking, [*preface, self._question(asking, factor_id, replaces=replaces)]

    def _question(self, state: ConversationState, factor_id: str, preface: str = "", replaces: bool = False) -> Question:
        """The question about ``factor_id`` (its second part while ``state.part`` is 1).
        ``replaces``: the adapter updates the last question message in place instead of
        posting another live card for the same assessment."""
        factor = BY_ID[factor_id]
        explanation = self.kb.primary(factor_id)
        text = wording.QUESTIONS[factor_id]
        options = factor.allowed
        if state.part and state.pending == factor_id:
            text = wording.SUBQUESTIONS[factor_id]
            options = (*wording.SUBQUESTION_VALUES[factor_id].values(), UNKNOWN)
        return Question(
            factor=factor_id,
            text=text,
            options=tuple(Option(v, wording.option_label(factor_id, v)) for v in options),
            number=max(state.questions_asked, 1),
            preface=preface,
            replaces=state.message_ref if replaces else "",
            why=explanation.summary,
            why_source=explanation.id,
        )

    def _record(self, state: ConversationState, factor_id: str, value: str, preface: list[Reply] | None = None) -> tuple[ConversationState, list[Reply]]:
        settled = tuple(f for f in state.settled if f != factor_id) + (factor_id,)
        updated = replace(state, answers={**state.answers, factor_id: value}, settled=settled, pending=None, part=0)
        return self._advance(updated, preface or [], replaces=True)

    def _reask(self, state: ConversationState, preface: str = "") -> Question:
        """The open question again, updating its card in place rather than posting a second one."""
        assert state.pending is not None
        return self._question(state, state.pending, preface=preface, replaces=True)

    def _typed_answer(self, state: ConversationState, text: str, hints: tuple[Hint, ...] = ()) -> tuple[ConversationState, list[Reply]]:
        pending = state.pending
        assert pending is not None
        if _GREETING.search(text):
            return state, [self._reask(state)]
        if is_question(text):  # answered, never read as an answer
            answer = answering.answer_question(text, self.index(), state.answers)
            return state, [answer, self._reask(state)]
        plain = yes_or_no(text)
        if state.part:
            second = _second_part_value(pending, text, plain)
            if second is not None:
                return self._record(state, pending, second)
        if not state.part and plain == "no" and pending in wording.SUBQUESTIONS:
            second = replace(state, part=1)  # "no" to the first part: ask the second
            return second, [self._reask(second)]
        understood = understand(text)
        if set(understood) == {pending}:  # an answer in the user's own words: quote all of them
            read = understood[pending]
            return self._record(state, pending, read.value, [self._echo(pending, Understood(read.value, text, read.implied))])
        if understood:
            if pending not in understood:  # "no, but it must answer in under a second"
                value = parse_answer(pending, text)
                if value is not None:
                    understood = {**understood, pending: Understood(value, _first_clause(text))}
            if any(f != pending for f in understood) or pending in understood:
                return self._take_description(state, understood)
        value = parse_answer(pending, text)
        if value is not None:
            echo = [self._echo(pending, Understood(value, text))] if _is_free_text(text, value) else []
            return self._record(state, pending, value, echo)
        hinted = understood_from_hints(text, hints)
        if hinted:  # the rules read nothing; an outside reading, shown like our own
            return self._take_description(state, hinted)
        return state, [self._reask(state, preface=wording.REASK)]

    def _opening(self, state: ConversationState, text: str, hints: tuple[Hint, ...] = ()) -> tuple[ConversationState, list[Reply]]:
        if _GREETING.search(text):
            return self._begin(state, [Text(wording.WELCOME)])
        if is_question(text):
            return state, [answering.answer_question(text, self.index())]
        understood = understand(text) or understood_from_hints(text, hints)
        if understood:
            return self._take_description(state, understood)
        return self._begin(state, [Text(wording.WELCOME), Text(wording.NOTHING_UNDERSTOOD)])

    def _echo(self, factor_id: str, understood: Understood) -> Text:
        """One line saying which value was read from the user's words, and why when it is not
        obvious (confidential data read as sensitive)."""
        line = wording.ECHO.format(
            factor=wording.SHORT_NAMES[factor_id],
            value=wording.option_label(factor_id, understood.value),
            evidence=_quote(understood.evidence),
        )
        if understood.implied:
            line = line[:-1] + wording.ECHO_IMPLIED + "."
        return Text(f"{line} {wording.CONFIDENTIAL_NOTE}" if _confidential(factor_id, understood) else line)

    def _understood_lines(self, understood: Mapping[str, Understood]) -> Text:
        lines = [wording.UNDERSTOOD_INTRO]
        for f, u in understood.items():
            template = wording.UNDERSTOOD_IMPLIED_LINE if u.implied else wording.UNDERSTOOD_LINE
            lines.append(template.format(factor=wording.SHORT_NAMES[f], value=wording.option_label(f, u.value), evidence=_quote(u.evidence)))
        if any(_confidential(f, u) for f, u in understood.items()):
            lines.append(wording.CONFIDENTIAL_NOTE)
        return Text("\n".join(lines))

    def _take_description(self, state: ConversationState, understood: Mapping[str, Understood]) -> tuple[ConversationState, list[Reply]]:
        """Settle every factor a description revealed that was still open, show what was
        understood and ask the rest. An answer already given is never overwritten: a different
        value for it is proposed, and applied only once the user confirms."""
        ordered = {f: understood[f] for f in FACTOR_IDS if f in understood}
        fresh = {f: u for f, u in ordered.items() if state.answers.get(f, UNKNOWN) == UNKNOWN}
        conflicts = {f: u.value for f, u in ordered.items() if f not in fresh and state.answers[f] != u.value}
        answers = {**state.answers, **{f: u.value for f, u in fresh.items()}}
        settled = tuple(f for f in state.settled if f not in fresh) + tuple(fresh)
        updated = replace(state, answers=answers, settled=settled)
        preface: list[Reply] = []
        if len(fresh) == 1 and state.phase == ASKING:
            [(f, u)] = fresh.items()
            preface.append(self._echo(f, u))
        elif fresh:
            preface.append(self._understood_lines(fresh))
        if state.phase == ASKING and state.pending not in fresh and not conflicts and not fresh:
            return state, [self._reask(state, preface=wording.REASK)]
        current = state.pending if state.phase == ASKING else None
        if state.phase == DONE and not fresh:
            advanced, replies = updated, preface
        else:
            advanced, replies = self._advance(replace(updated, pending=None), preface, replaces=state.phase == ASKING, current=current)
        if conflicts:
            advanced = replace(advanced, proposed=conflicts)
            replies = [*replies, self._confirmation(state, conflicts)]
        return advanced, replies

    def _confirmation(self, state: ConversationState, changes: Mapping[str, str]) -> Text:
        parts = [
            wording.CONFIRM_ONE.format(
                factor=wording.SHORT_NAMES[f],
                old=wording.option_label(f, state.answers.get(f, UNKNOWN)),
                new=wording.option_label(f, v),
            )
            for f, v in changes.items()
        ]
        return Text(wording.CONFIRM_CHANGE.format(changes=" and ".join(parts)))

    def _confirm(self, state: ConversationState, accepted: bool) -> tuple[ConversationState, list[Reply]]:
        """The user's yes / no to a proposed change."""
        proposed, state = state.proposed, replace(state, proposed={})
        if not accepted:
            replies: list[Reply] = [Text(wording.CHANGE_KEPT)]
            if state.phase == ASKING:
                replies.append(self._reask(state))
            return state, replies
        answers = {**state.answers, **proposed}
        settled = tuple(f for f in state.settled if f not in proposed) + tuple(f for f in FACTOR_IDS if f in proposed)
        current = state.pending if state.phase == ASKING else None
        changed = replace(state, answers=answers, settled=settled, pending=None)
        return self._advance(changed, [], replaces=state.phase == ASKING, current=current)

    def _after_card(self, state: ConversationState, text: str) -> tuple[ConversationState, list[Reply]]:
        """After the card: questions (and "what if ...") are answered and change nothing; a
        plain statement that changes an answer is proposed and applied only once confirmed."""
        if _THANKS.search(text):
            return state, [Text(wording.YOU_ARE_WELCOME)]
        rec = self.recommend(state.answers)
        if not (is_question(text) or is_topic(text)):
            understood = understand(text)
            changes = {f: u.value for f, u in understood.items() if state.answers.get(f, UNKNOWN) != u.value}
            if changes:
                notes = [Text(wording.CONFIDENTIAL_NOTE)] if any(_confidential(f, understood[f]) for f in changes) else []
                return replace(state, proposed=changes), [*notes, self._confirmation(state, changes)]
            if understood:
                same = describe_changes({f: u.value for f, u in understood.items()})
                return state, [Text(wording.ALREADY_SAID.format(answers=same))]
        return state, [answering.follow_up(text, rec, self.index(), self.kb)]

    def _back(self, state: ConversationState) -> tuple[ConversationState, list[Reply]]:
        if not state.settled:
            return state, [Text(wording.NOTHING_TO_UNDO)]
        last = state.settled[-1]
        answers = {f: v for f, v in state.answers.items() if f != last}
        undone = replace(state, answers=answers, settled=state.settled[:-1], phase=ASKING, pending=last, part=0)
        note = Text(wording.UNDONE.format(factor=wording.SHORT_NAMES[last]))
        return undone, [note, self._question(undone, last, replaces=True)]

    def _change(self, state: ConversationState, factor_id: str) -> tuple[ConversationState, list[Reply]]:
        if not factor_id:
            choices = tuple(
                (f, wording.SHORT_NAMES[f], wording.option_label(f, state.answers[f])) for f in state.settled
            )
            if not choices:
                return state, [Text(wording.NO_RECOMMENDATION_YET)]
            return state, [ChangeMenu(choices)]
        changing = replace(state, phase=ASKING, pending=factor_id, questions_asked=state.questions_asked + 1, part=0)
        return changing, [self._question(changing, factor_id)]

    def _status(self, state: ConversationState) -> Text:
        """Where the assessment stands, with every answer recorded so far."""
        if state.phase == ASKING and state.pending:
            head = wording.STATUS_ASKING.format(answered=len(state.settled), question=self._question(state, state.pending).text)
        elif state.phase == DONE:
            head = wording.STATUS_DONE.format(verdict=wording.VERDICT_TITLES[self.recommend(state.answers).verdict])
        else:
            return Text(wording.STATUS_NONE)
        lines = [head] + [
            wording.STATUS_ANSWER_LINE.format(factor=wording.SHORT_NAMES[f], value=wording.option_label(f, state.answers[f]))
            for f in state.settled
        ]
        if state.proposed:
            lines.append(wording.STATUS_PROPOSED.format(change=describe_changes(dict(state.proposed))))
        return Text("\n".join(lines))

    def _not_yet(self, state: ConversationState) -> list[Reply]:
        if state.phase == ASKING and state.pending:
            return [Text(wording.NO_RECOMMENDATION_YET), self._question(state, state.pending)]
        return [Text(wording.STATUS_NONE)]

    def _bystander(self, state: ConversationState, event: InboundEvent, now: float) -> list[Reply]:
        """Someone other than the owner spoke in the owner's thread: answer, change nothing."""
        text = clean_text(event.text or "")
        if event.action is not None and event.action.name == "why" and state.phase == DONE:
            return [answering.why_verdict(self.recommend(state.answers), self.kb)]
        if event.action is not None and event.action.name == "record" and state.phase == DONE:
            return [decision_record(self.recommend(state.answers), now)]
        if event.action is not None and event.action.name == "details" and state.phase == DONE:
            return [Details(self.recommend(state.answers))]
        if not text:
            return [Text(wording.OTHERS_QUESTION_NOTE)]
        if state.phase == DONE:
            answer = answering.follow_up(text, self.recommend(state.answers), self.index(), self.kb)
        else:
            answer = answering.answer_question(text, self.index())
        return [answer, Text(wording.OTHERS_QUESTION_NOTE)]



_QUOTE_CHARS = 80


def _quote(evidence: str) -> str:
    """The user's words, on one line and short enough to echo."""
    flat = " ".join(evidence.split())
    return flat if len(flat) <= _QUOTE_CHARS else flat[: _QUOTE_CHARS - 3].rstrip() + "..."


def _second_part_value(factor_id: str, text: str, plain: str | None) -> str | None:
    """The value a reply to the second part of ``factor_id``'s question gives: yes / no, or
    the number of one of its options."""
    values = wording.SUBQUESTION_VALUES[factor_id]
    if plain is not None:
        return values[plain]
    number = _OPTION_TEXT.match(text)
    if number is None:
        return None
    options = (*values.values(), UNKNOWN)
    index = int(re.sub(r"\D", "", text)) - 1
    return options[index] if 0 <= index < len(options) else None


def _first_clause(text: str) -> str:
    return re.split(r"[,;\n]", text, maxsplit=1)[0].strip() or text.strip()


_OPTION_TEXT = re.compile(r"^\W*(?:option\s+)?\d{1,3}\W*$")


def _is_free_text(text: str, value: str) -> bool:
    """Whether a typed answer was read from the user's own words (echoed) rather than picked
    (an option number, a value id, a single word such as "yes")."""
    return value != UNKNOWN and len(text.split()) > 1 and not _OPTION_TEXT.match(text)


def _confidential(factor_id: str, understood: Understood) -> bool:
    """Whether sensitive data was read from confidentiality rather than personal data."""
    return factor_id == "sensitive_data" and understood.value == "yes" and CONFIDENTIAL.search(understood.evidence.lower()) is not None
