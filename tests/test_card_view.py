"""The neutral card view (bot/card.py): the key-reason measure, the face's limits, the plain-words
change, the wording files' checks, and the terminal's ``details`` command."""

from __future__ import annotations

import random
import tomllib
from importlib.resources import files

import pytest

from adapters.chat import Session, _converse
from adapters.terminal_card import command_action
from adapters.wiring import make_advisor
from adapters.wording_data import WordingError, check
from bot.card import build_view, change_sentence, key_factors, leaning, view_json
from bot import wording
from bot.card_wording import CardWordingError, parse
from bot.engine import recommend
from bot.events import Action
from bot.factors import FACTORS, UNKNOWN
from bot.replies import Card, Details, Question, Reply
from bot.rules import decide

KB = make_advisor().kb


def answer_sets(seed: int, count: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [{f.id: rng.choice(f.allowed) for f in FACTORS if rng.random() < 0.8} for _ in range(count)]


@pytest.mark.parametrize("answers", answer_sets(5, 120))
def test_key_reasons_decided_the_verdict(answers: dict[str, str]) -> None:
    rec = recommend(answers, KB)
    key = key_factors(rec)
    assert len(key) <= 2 and len(set(key)) == len(key)
    by_factor = {r.factor: r for r in rec.reasons}
    full = {f.id: rec.answers[f.id] for f in FACTORS}
    for factor in key:
        reason = by_factor[factor]  # only answered factors are key
        flips_alone = any(decide({**full, factor: v}) != rec.verdict for v in next(f for f in FACTORS if f.id == factor).allowed)
        in_a_small_flip = any(factor in f.answers and len(f.answers) <= 2 for f in rec.what_would_change)
        assert flips_alone or in_a_small_flip, (factor, rec.verdict)
        if reason.stance != leaning(rec.verdict):  # only the "but" of a fine-tune-but verdict
            assert rec.verdict == "fine_tune_with_prerequisites"
    if any(r.decisive and r.stance == leaning(rec.verdict) for r in rec.reasons):
        assert key, "a decisive reason that points the verdict's way is key"


@pytest.mark.parametrize("answers", answer_sets(9, 60))
def test_the_face_shows_little_and_the_details_everything(answers: dict[str, str]) -> None:
    rec = recommend(answers, KB)
    view = build_view(rec)
    assert view.headline == rec.title
    assert len(view.reasons) <= 3 and len(view.key_reasons) <= 2 and len(view.next_steps) <= 3
    assert list(view.next_steps) == list(rec.next_steps[:3])
    assert [r.factor for r in view.reasons[: len(view.key_reasons)]] == list(key_factors(rec))  # key first
    cited = {c for r in view.reasons for c in r.citations}
    assert {c.id for c in view.sources} <= cited
    d = view.details
    assert len(d.reasons_for) + len(d.reasons_against) == len(rec.reasons)
    assert len(d.changes) == len(rec.what_would_change) and d.sources == rec.citations
    assert d.left_open == tuple(wording.SHORT_NAMES[f.id] for f in FACTORS if rec.answers[f.id] == UNKNOWN)
    if view.would_change:
        assert view.would_change in {c.sentence for c in d.changes}
        assert "=" not in view.would_change and "_" not in view.would_change  # plain words, no ids
    data = view_json(rec)
    assert data["card"]["key_reasons"] == [r.factor for r in view.key_reasons]
    assert [r["key"] for r in data["reasons"]] == [r.factor in key_factors(rec) for r in rec.reasons]
    assert all("decisive" in r for r in data["reasons"])


def test_a_change_reads_as_a_sentence() -> None:
    assert change_sentence({"sensitive_data": "no"}, "fine_tune") == "With no personal data in the training set, this would be: fine-tune."
    assert change_sentence({"latency_critical": "no", "task_scope": UNKNOWN}, "avoid") == (
        "With response time not a top priority and Task scope left open, this would be: don't fine-tune."
    )


def test_the_most_useful_change_moves_towards_fine_tuning() -> None:
    rec = recommend({"sensitive_data": "yes", "latency_critical": "yes", "task_scope": "narrow"}, KB)
    assert rec.verdict == "avoid"
    assert build_view(rec).would_change.startswith("With no personal data in the training set")


def test_card_wording_is_checked_at_load() -> None:
    data = tomllib.loads(files("bot").joinpath("data/card.toml").read_text(encoding="utf-8"))
    parse(data)
    broken = {**data, "conditions": {**data["conditions"], "task_scope": {"narrow": "one task"}}}
    with pytest.raises(CardWordingError, match="task_scope"):
        parse(broken)
    with pytest.raises(CardWordingError, match="missing"):
        parse({**data, "labels": {k: v for k, v in data["labels"].items() if k != "decided"}})


def test_platform_wording_is_checked_at_load() -> None:
    fields = {"greeting": ("name",)}
    assert check("x", {"greeting": "Hi {name}"}, fields) == {"greeting": "Hi {name}"}
    for bad in ({"greeting": "Hi"}, {"greeting": "Hi {user}"}, {}, {"greeting": "Hi {name}", "extra": "x"}, {"greeting": ""}):
        with pytest.raises(WordingError):
            check("x", bad, fields)


def test_the_terminal_details_command_shows_what_is_behind_the_card() -> None:
    assert command_action("details") == Action("details") == command_action("  Show Details. ")
    assert command_action("why") is None and command_action("details please") is None
    target = {f.id: f.values[0] for f in FACTORS}
    shown: list[Reply] = []
    lines: list[str] = []

    def emit(reply: Reply) -> None:
        shown.append(reply)
        if isinstance(reply, Question):
            lines.append(str(next(f for f in FACTORS if f.id == reply.factor).allowed.index(target[reply.factor]) + 1))
        elif isinstance(reply, Card):
            lines.append("details")

    def read() -> str | None:
        return lines.pop(0) if lines else None

    assert _converse(Session("card-details", kept=False, keep_s=60.0), False, None, emit, read) == 0
    card = next(r for r in shown if isinstance(r, Card))
    details = next(r for r in shown if isinstance(r, Details))
    assert details.recommendation == card.recommendation
