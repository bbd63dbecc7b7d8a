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
from bot.parsing import Understood, parse_answer, parse_command, understand
from bot.questions import decision_tree_ends, next_question
from bot.record import decision_record
from bot.replies import Card, ChangeMenu, Details, Option, Question, Reply, Text

SCHEMA_VERSION = 1
DEFAULT_IDLE_SECONDS = 7 * 24 * 3600
MAX_TEXT_CHARS = 2000
MIN_DESCRIPTION_WORDS = 3
"""An opening text shorter than this ("ok", "thanks") is not worth an outside reading."""

IDLE, ASKING, DONE = "idle", "asking", "done"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WH_START = re.compile(r"^\s*(?:why|what|how|when|where|which|who|explain|tell me)\b", re.I)
_AUX_START = re.compile(r"^\s*(?:is|are|can|could|should|would|does|do|did|will|shall|may|might|must)\b", re.I)


def is_question(text: str) -> bool:
    """A free question (to answer from the knowledge base), not an answer or a description.
    "yes?" or "not sure?" are answers; "is personal data a problem?" is a question."""
    if _WH_START.search(text):
        return True
    return text.endswith("?") and (bool(_AUX_START.search(text)) or len(text.split()) >= 4)
_THANKS = re.compile(
    r"^\s*(?:thanks?(?: you)?|thx|ty|cheers|great|perfect|ok(?:ay)?|cool|got it|nice|yes|yep|sure)\b[\s!.,]*(?:a lot|so much|very much)?[\s!.]*$",
    re.I,
)
_GREETING = re.compile(r"^\s*(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening)|start|begin)\b[\s!.]*$", re.I)


@dataclass(frozen=True, slots=True)
class ConversationState:
    """One assessment. ``settled`` lists factors in the order they were answered, skipped or
    understood; ``answers`` maps each settled factor to its value (``unknown`` when skipped)."""

    phase: str = IDLE
    owner: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    settled: tuple[str, ...] = ()
    pending: str | None = None
    questions_asked: int = 0
    updated_at: float = 0.0
    message_ref: str = ""

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
            return self._act(state, event.action, now)
        text = clean_text(event.text or "")
        if not text:
            return state, [Text(wording.EMPTY_INPUT)]
        command = parse_command(text)
        if command is not None:
            return self._act(state, command, now)
        if state.phase == ASKING:
            return self._typed_answer(state, text, event.hints)
        if state.phase == DONE:
            return self._after_card(state, text)
        return self._opening(state, text, event.hints)

    # --- actions ---------------------------------------------------------------------

    def _act(self, state: ConversationState, action: Action, now: float) -> tuple[ConversationState, list[Reply]]:
        name = action.name
        if name == "start":
            if state.phase == ASKING:
                return state, [self._question(state, state.pending or "")]
            return self._begin(ConversationState(owner=state.owner), [Text(wording.WELCOME)])
        if name == "message_sent":
            return replace(state, message_ref=action.value), []
        if name == "resume":
            if state.phase == ASKING:
                return state, [self._question(state, state.pending or "")]
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

    def _advance(self, state: ConversationState, preface: list[Reply], replaces: bool = False) -> tuple[ConversationState, list[Reply]]:
        """Ask the next question, or post the card when no answer could change the verdict."""
        factor_id = next_question(state.answers, state.settled)
        if factor_id is None:
            done = replace(state, phase=DONE, pending=None)
            card = Card(self.recommend(done.answers), supersedes=state.message_ref, questions_asked=state.questions_asked)
            return replace(done, message_ref=""), [*preface, card]
        asking = replace(state, phase=ASKING, pending=factor_id, questions_asked=state.questions_asked + 1)
        return asking, [*preface, self._question(asking, factor_id, replaces=replaces)]

    def _question(self, state: ConversationState, factor_id: str, preface: str = "", replaces: bool = False) -> Question:
        factor = BY_ID[factor_id]
        explanation = self.kb.primary(factor_id)
        return Question(
            factor=factor_id,
            text=wording.QUESTIONS[factor_id],
            options=tuple(Option(v, wording.option_label(factor_id, v)) for v in factor.allowed),
            number=max(state.questions_asked, 1),
            preface=preface,
            replaces=state.message_ref if replaces else "",
            why=explanation.summary,
            why_source=explanation.id,
        )

    def _record(self, state: ConversationState, factor_id: str, value: str) -> tuple[ConversationState, list[Reply]]:
        settled = tuple(f for f in state.settled if f != factor_id) + (factor_id,)
        updated = replace(state, answers={**state.answers, factor_id: value}, settled=settled, pending=None)
        return self._advance(updated, [], replaces=True)

    def _typed_answer(self, state: ConversationState, text: str, hints: tuple[Hint, ...] = ()) -> tuple[ConversationState, list[Reply]]:
        assert state.pending is not None
        if _GREETING.search(text):
            return state, [self._question(state, state.pending)]
        if is_question(text):
            answer = answering.answer_question(text, self.index(), state.answers)
            return state, [answer, self._question(state, state.pending)]
        understood = understand(text)
        if any(f != state.pending for f in understood):
            if state.pending not in understood:  # "no, but it must answer in under a second"
                value = parse_answer(state.pending, text)
                if value is not None:
                    understood = {**understood, state.pending: Understood(value, text.split(",")[0].strip())}
            return self._take_description(replace(state, pending=None), understood)
        value = parse_answer(state.pending, text)
        if value is not None:
            return self._record(state, state.pending, value)
        hinted = understood_from_hints(text, hints)
        if hinted:  # the rules read nothing; an outside reading, shown like our own
            return self._take_description(replace(state, pending=None), hinted)
        return state, [self._question(state, state.pending, preface=wording.REASK)]

    def _opening(self, state: ConversationState, text: str, hints: tuple[Hint, ...] = ()) -> tuple[ConversationState, list[Reply]]:
        if _GREETING.search(text):
            return self._begin(state, [Text(wording.WELCOME)])
        if is_question(text):
            return state, [answering.answer_question(text, self.index())]
        understood = understand(text) or understood_from_hints(text, hints)
        if understood:
            return self._take_description(state, understood)
        return self._begin(state, [Text(wording.WELCOME), Text(wording.NOTHING_UNDERSTOOD)])

    def _take_description(self, state: ConversationState, understood: Mapping[str, Understood]) -> tuple[ConversationState, list[Reply]]:
        """Settle every factor a description revealed, show what was understood, ask the rest."""
        ordered = sorted(understood.items(), key=lambda kv: FACTOR_IDS.index(kv[0]))
        answers = {**state.answers, **{f: u.value for f, u in ordered}}
        settled = tuple(f for f in state.settled if f not in understood) + tuple(f for f, _ in ordered)
        lines = [wording.UNDERSTOOD_INTRO] + [
            f"- {wording.SHORT_NAMES[f]}: {wording.option_label(f, u.value)} (from \"{u.evidence}\")" for f, u in ordered
        ]
        return self._advance(replace(state, answers=answers, settled=settled), [Text("\n".join(lines))])

    def _after_card(self, state: ConversationState, text: str) -> tuple[ConversationState, list[Reply]]:
        if _THANKS.search(text):
            return state, [Text(wording.YOU_ARE_WELCOME)]
        rec = self.recommend(state.answers)
        if not (is_question(text) or answering.is_hypothetical(text)):
            changed = {f: u for f, u in understand(text).items() if state.answers.get(f) != u.value}
            if changed:
                return self._take_description(state, changed)
        return state, [answering.follow_up(text, rec, self.index(), self.kb)]

    def _back(self, state: ConversationState) -> tuple[ConversationState, list[Reply]]:
        if not state.settled:
            return state, [Text(wording.NOTHING_TO_UNDO)]
        last = state.settled[-1]
        answers = {f: v for f, v in state.answers.items() if f != last}
        undone = replace(state, answers=answers, settled=state.settled[:-1], phase=ASKING, pending=last)
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
        changing = replace(state, phase=ASKING, pending=factor_id, questions_asked=state.questions_asked + 1)
        return changing, [self._question(changing, factor_id)]

    def _status(self, state: ConversationState) -> Text:
        if state.phase == ASKING and state.pending:
            return Text(wording.STATUS_ASKING.format(answered=len(state.settled), question=wording.QUESTIONS[state.pending]))
        if state.phase == DONE:
            verdict = wording.VERDICT_TITLES[self.recommend(state.answers).verdict]
            return Text(wording.STATUS_DONE.format(verdict=verdict))
        return Text(wording.STATUS_NONE)

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

