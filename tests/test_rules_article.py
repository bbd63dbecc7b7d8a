"""The rules follow the article's reasoning (issue 15 §1): the cases the issue lists, and the
properties behind them over the whole answer space."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import wording
from bot.engine import recommend
from bot.factors import FACTORS, UNKNOWN
from bot.rules import NEEDS, PREREQUISITES, RULE_IDS, RULE_TABLE, RULES, decide, decide_rule
from knowledge import default_knowledge_base

KB = default_knowledge_base()
ROOT = Path(__file__).resolve().parents[1]
# CI lays shared/ beside the clone; a worktree of the project sits one level deeper.
ARTICLE_DIR = next(
    (p / "shared" / "article" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared" / "article").is_dir()),
    ROOT.parent / "shared" / "article",
)

any_answers = st.fixed_dictionaries({f.id: st.sampled_from(f.allowed) for f in FACTORS})

FORCING = {"latency_critical": "yes"}
STRONG = {
    "training_data": "have_pairs", "sensitive_data": "no", "latency_critical": "no", "context_size": "strained",
    "domain_knowledge": "yes", "task_scope": "narrow", "alternatives_tried": "exhausted", "model_fine_tunable": "yes",
    "hosted_cost_sensitive": "no", "compute_available": "yes", "needs_vendor_guardrails": "no",
    "iteration_capacity": "yes",
}
FINE_TUNING = ("fine_tune", "fine_tune_with_prerequisites")
PROMPT_WORK_STEPS = {
    wording.STEP_TRY_PROMPTS, wording.STEP_TRY_CHAINS, wording.STEP_NO_CHAINS_LATENCY, wording.STEP_FINISH_ALTERNATIVES,
    wording.STEP_FINISH_ALTERNATIVES_LATENCY, wording.STEP_BROAD_AVOID, wording.STEP_BASELINE_CONTEXT,
    wording.STEP_BASELINE_CONTEXT_LATENCY,
}


def forcing(answers: dict[str, str]) -> bool:
    return answers["latency_critical"] == "yes" or answers["context_size"] == "too_big"


# --- the cases the issue reports ----------------------------------------------------------------


def test_partly_tried_without_a_forcing_need_is_not_a_fine_tuning_verdict() -> None:
    partly = {**STRONG, "alternatives_tried": "partly"}
    rec = recommend(partly, KB)
    assert rec.verdict == "alternatives_first" and rec.rule == "alternatives_not_exhausted"
    assert wording.STEP_FINISH_ALTERNATIVES in rec.next_steps
    # ... unless something forces fine-tuning: then finishing the prompt work is a prerequisite.
    forced = recommend({**partly, "context_size": "too_big"}, KB)
    assert forced.verdict == "fine_tune_with_prerequisites"
    assert wording.STEP_FINISH_ALTERNATIVES in forced.next_steps


def test_a_general_assistant_that_exhausted_prompting_is_not_told_to_try_prompting() -> None:
    answers = {"task_scope": "broad", "alternatives_tried": "exhausted", "sensitive_data": "no"}
    rec = recommend(answers, KB)
    assert rec.verdict == "avoid" and rec.rule == "general_assistant"
    assert not PROMPT_WORK_STEPS & set(rec.next_steps)


def test_a_need_prompting_cannot_meet_after_exhausting_it_points_to_fine_tuning() -> None:
    for need in ({"domain_knowledge": "yes"}, {"context_size": "strained"}, {"task_scope": "narrow"}):
        assert decide({"alternatives_tried": "exhausted", "sensitive_data": "no", **need}) == "fine_tune_with_prerequisites"


def test_latency_alone_does_not_carry_a_case_that_cannot_be_fine_tuned() -> None:
    answers = {"latency_critical": "yes", "training_data": "none", "model_fine_tunable": "no",
               "compute_available": "no", "alternatives_tried": "no", "sensitive_data": "no"}
    rec = recommend(answers, KB)
    assert rec.verdict not in FINE_TUNING
    assert rec.rule == "not_possible_now_try_simpler"
    assert "not possible" in rec.summary and "fits your case" not in rec.summary
    for phrase in ("no training examples", "cannot be fine-tuned", "no compute"):
        assert phrase in rec.summary
    exhausted = recommend({**answers, "alternatives_tried": "exhausted"}, KB)
    assert exhausted.verdict == "avoid" and exhausted.rule == "not_possible_now"


def test_a_latency_critical_team_is_never_told_to_build_prompt_chains() -> None:
    rec = recommend({"latency_critical": "yes", "alternatives_tried": "no", "training_data": "have_pairs",
                     "sensitive_data": "no", "task_scope": "narrow"}, KB)
    assert rec.verdict == "alternatives_first" and rec.rule == "nothing_tried_despite_need"
    assert "chaining" not in rec.title
    assert wording.STEP_TRY_CHAINS not in rec.next_steps and wording.STEP_NO_CHAINS_LATENCY in rec.next_steps


# --- the same, as properties over every answer set ------------------------------------------------


@settings(max_examples=300)
@given(any_answers)
def test_partly_weighs_like_no_unless_something_forces(answers: dict[str, str]) -> None:
    if not forcing(answers):
        assert decide({**answers, "alternatives_tried": "partly"}) == decide({**answers, "alternatives_tried": "no"})


@settings(max_examples=300)
@given(any_answers)
def test_exhausted_alternatives_never_get_try_prompting_first(answers: dict[str, str]) -> None:
    answers = {**answers, "alternatives_tried": "exhausted"}
    rec = recommend(answers, KB)
    assert rec.verdict != "alternatives_first"
    assert not PROMPT_WORK_STEPS & set(rec.next_steps), rec.next_steps


@settings(max_examples=300)
@given(any_answers, st.sampled_from(["training_data", "model_fine_tunable"]))
def test_a_hard_blocker_is_never_fine_tune_once_prerequisites_are_met(answers: dict[str, str], blocker: str) -> None:
    answers = {**answers, blocker: PREREQUISITES[blocker]}
    rec = recommend(answers, KB)
    assert rec.verdict in ("alternatives_first", "avoid")
    if answers["sensitive_data"] != "yes" and rec.rule.startswith("not_possible_now"):
        assert wording.MISSING_PHRASES[blocker] in rec.summary


@settings(max_examples=300)
@given(any_answers, st.lists(st.sampled_from(sorted(NEEDS)), min_size=2, max_size=4, unique=True))
def test_several_missing_prerequisites_are_never_a_fine_tuning_verdict(answers: dict[str, str], missing: list[str]) -> None:
    assert decide({**answers, **{f: PREREQUISITES[f] for f in missing}}) in ("alternatives_first", "avoid")


@settings(max_examples=300)
@given(any_answers, st.sampled_from(["no", UNKNOWN]))
def test_nothing_tried_is_a_fine_tuning_verdict_only_for_context_that_cannot_fit(answers: dict[str, str], untried: str) -> None:
    answers = {**answers, "alternatives_tried": untried}
    rec = recommend(answers, KB)
    assert rec.verdict != "fine_tune"
    if rec.verdict == "fine_tune_with_prerequisites":
        assert answers["context_size"] == "too_big" and rec.rule == "forced_before_alternatives_exhausted"
        assert rec.next_steps[0] in (wording.STEP_BASELINE_CONTEXT, wording.STEP_BASELINE_CONTEXT_LATENCY)


@settings(max_examples=300)
@given(any_answers, st.sampled_from(sorted(NEEDS)))
def test_a_missing_need_with_nothing_tried_is_never_a_fine_tuning_verdict(answers: dict[str, str], factor: str) -> None:
    answers = {**answers, factor: PREREQUISITES[factor], "alternatives_tried": "no"}
    assert decide(answers) in ("alternatives_first", "avoid")


@settings(max_examples=300)
@given(any_answers)
def test_a_general_assistant_is_avoid_whatever_else(answers: dict[str, str]) -> None:
    rec = recommend({**answers, "task_scope": "broad"}, KB)
    assert rec.verdict == "avoid"
    assert rec.rule == ("private_data" if answers["sensitive_data"] == "yes" else "general_assistant")


@settings(max_examples=400)
@given(any_answers)
def test_nothing_on_the_card_contradicts_the_answers(answers: dict[str, str]) -> None:
    rec = recommend(answers, KB)
    text = " ".join((rec.title, rec.summary, *rec.next_steps)).lower()
    if answers["latency_critical"] == "yes":
        assert "chaining" not in rec.title.lower()
        recommends_chains = [s for s in rec.next_steps if "chain" in s.lower()
                             and s not in (wording.STEP_NO_CHAINS_LATENCY, wording.STEP_FINISH_ALTERNATIVES_LATENCY)]
        assert not recommends_chains, recommends_chains
    if answers["training_data"] == "none":
        assert rec.verdict not in FINE_TUNING
        assert "suits" not in rec.summary and "your case is one where" not in rec.summary
        assert wording.STEP_FT_DATA not in rec.next_steps
    if answers["alternatives_tried"] == "exhausted":
        assert "not used up" not in text and "not said the simpler" not in text
    if answers["alternatives_tried"] in ("partly", "no", UNKNOWN):
        assert "prompting fell short" not in text
    if rec.verdict == "fine_tune":
        assert all(answers[f] not in (UNKNOWN, b) for f, b in PREREQUISITES.items())
    assert "{" not in rec.summary, rec.summary
    assert rec.next_steps and len(set(rec.next_steps)) == len(rec.next_steps)


def test_every_rule_decides_some_case_and_has_its_wording() -> None:
    decided = {RULES[int(i)].id for i in set(RULE_TABLE.flat)}
    assert decided == set(RULE_IDS)
    assert set(wording.RULE_SUMMARIES) == set(RULE_IDS)


def test_no_answers_is_the_start_simple_rule() -> None:
    assert decide_rule({}) == "nothing_calls_for_fine_tuning"


def test_rules_doc_lists_every_rule() -> None:
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| \d+ \| `([a-z_]+)` \|", doc, re.M))
    assert rows == set(RULE_IDS)


# --- paraphrase, never copy ----------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def _card_texts() -> list[str]:
    texts = [*wording.REASONS.values(), *wording.RULE_SUMMARIES.values(), *wording.VERDICT_SUMMARIES.values(),
             *wording.MISSING_PHRASES.values(), *wording.SETTLE_PHRASES.values()]
    texts += [v for k, v in vars(wording).items() if k.startswith("STEP_") and isinstance(v, str)]
    return texts


def test_verdict_texts_do_not_copy_the_article() -> None:
    articles = sorted(ARTICLE_DIR.glob("*.txt")) if ARTICLE_DIR.is_dir() else []
    if not articles:
        pytest.skip(f"article not found under {ARTICLE_DIR}")
    words = [w for path in articles for w in _words(path.read_text(encoding="utf-8"))]
    n = 8
    windows = {tuple(words[i: i + n]) for i in range(len(words) - n + 1)}
    copied = [" ".join(own[i: i + n]) for text in _card_texts() for own in [_words(text)]
              for i in range(len(own) - n + 1) if tuple(own[i: i + n]) in windows]
    assert not copied, copied
