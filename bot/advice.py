"""What the card says about a decided case: its headline, its one-sentence summary (why the
deciding rule applies) and its next steps, all composed from the rule and the answers so they
never contradict what the user said (e.g. no prompt chain for a latency-critical team).
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from bot import wording as w
from bot.factors import UNKNOWN
from bot.rules import HARD_BLOCKERS, PREREQUISITES, RULE_IDS, TO_SETTLE, missing_needs, missing_prerequisites

_RULES_THAT_LIST_MISSING = frozenset({
    "not_possible_now", "not_possible_now_try_simpler", "several_prerequisites_missing",
    "several_prerequisites_missing_try_simpler", "prerequisite_missing_nothing_tried",
})
_RULES_THAT_SETTLE = frozenset({"forced_before_alternatives_exhausted", "prerequisites_open", "need_unclear"})
_RULES_THAT_NAME_THE_NEED = frozenset({"forced_before_alternatives_exhausted", "nothing_tried_despite_need"})

# Checked at import: every rule has its sentence, and each sentence uses only the fields its
# rule is given.
if set(w.RULE_SUMMARIES) != set(RULE_IDS):
    raise RuntimeError(f"RULE_SUMMARIES must cover exactly the rules: {sorted(set(w.RULE_SUMMARIES) ^ set(RULE_IDS))}")
for _rule, _template in w.RULE_SUMMARIES.items():
    _given = ({"missing"} if _rule in _RULES_THAT_LIST_MISSING else set()) | (
        {"settle"} if _rule in _RULES_THAT_SETTLE else set()) | ({"need"} if _rule in _RULES_THAT_NAME_THE_NEED else set())
    _used = {name for _, name, _, _ in string.Formatter().parse(_template) if name}
    if _used - _given:
        raise RuntimeError(f"RULE_SUMMARIES[{_rule!r}] uses {sorted(_used - _given)}, which that rule is not given")

# The step that lifts a missing prerequisite, and the one that checks an unknown one.
_PREREQUISITE_STEPS: dict[str, tuple[str, str]] = {
    "training_data": (w.STEP_BUILD_DATA, w.STEP_CHECK_DATA),
    "model_fine_tunable": (w.STEP_MODEL, w.STEP_CHECK_MODEL),
    "compute_available": (w.STEP_COMPUTE, w.STEP_CHECK_COMPUTE),
    "iteration_capacity": (w.STEP_ITERATION, w.STEP_CHECK_ITERATION),
    "needs_vendor_guardrails": (w.STEP_GUARDRAILS, w.STEP_CHECK_GUARDRAILS),
    "hosted_cost_sensitive": (w.STEP_COST, w.STEP_CHECK_COST),
}


def latency_critical(answers: Mapping[str, str]) -> bool:
    return answers.get("latency_critical", UNKNOWN) == "yes"


def title_for(verdict: str, answers: Mapping[str, str]) -> str:
    """The headline: the verdict's title, without prompt chaining for a latency-critical team."""
    if latency_critical(answers):
        return w.VERDICT_TITLES_LATENCY_CRITICAL.get(verdict, w.VERDICT_TITLES[verdict])
    return w.VERDICT_TITLES[verdict]


def _missing_text(answers: Mapping[str, str]) -> str:
    return "; ".join(w.MISSING_PHRASES[f] for f in missing_needs(answers))


def _to_settle(rule: str, answers: Mapping[str, str]) -> list[str]:
    settle: list[str] = []
    if rule == "need_unclear":
        settle.append(w.SETTLE_PHRASES["define_task"])
    alternatives = answers.get("alternatives_tried", UNKNOWN)
    if alternatives == "partly":
        settle.append(w.SETTLE_PHRASES["finish_alternatives"])
    elif alternatives in ("no", UNKNOWN):
        settle.append(w.SETTLE_PHRASES["baseline"])
    privacy = answers.get("sensitive_data", UNKNOWN)
    if privacy == "masked":
        settle.append(w.SETTLE_PHRASES["privacy_masked"])
    elif privacy == UNKNOWN:
        settle.append(w.SETTLE_PHRASES["privacy_unknown"])
    for factor_id, blocking in PREREQUISITES.items():
        value = answers.get(factor_id, UNKNOWN)
        if value == blocking:
            settle.append(w.SETTLE_PHRASES[f"missing:{factor_id}"])
        elif value == UNKNOWN:
            settle.append(w.SETTLE_PHRASES[f"unknown:{factor_id}"])
        elif TO_SETTLE.get(factor_id) == value:
            settle.append(w.SETTLE_PHRASES[f"{value}:{factor_id}"])
    return settle


def _settle_text(settle: list[str]) -> str:
    shown = settle[: w.SETTLE_SHOWN]
    if len(settle) > len(shown):
        shown.append(w.SETTLE_MORE.format(count=len(settle) - len(shown)))
    return "; ".join(shown)


def _need_text(answers: Mapping[str, str]) -> str:
    latency = latency_critical(answers)
    context = answers.get("context_size", UNKNOWN) == "too_big"
    return w.NEED_PHRASES["both" if latency and context else "latency_critical" if latency else "context_size"]


def summary_for(rule: str, answers: Mapping[str, str]) -> str:
    """One sentence saying why ``rule`` decided, in terms of these answers."""
    template = w.RULE_SUMMARIES[rule]
    fields: dict[str, str] = {}
    if rule in _RULES_THAT_LIST_MISSING:
        fields["missing"] = _missing_text(answers)
    if rule in _RULES_THAT_SETTLE:
        fields["settle"] = _settle_text(_to_settle(rule, answers))
    if rule in _RULES_THAT_NAME_THE_NEED:
        fields["need"] = _need_text(answers)
    return template.format(**fields)


def _prompt_steps(answers: Mapping[str, str]) -> list[str]:
    """Try the simpler methods: prompt engineering, and prompt chaining unless latency forbids it."""
    if answers.get("alternatives_tried", UNKNOWN) == "partly":
        finish = w.STEP_FINISH_ALTERNATIVES_LATENCY if latency_critical(answers) else w.STEP_FINISH_ALTERNATIVES
        return [finish]
    return [w.STEP_TRY_PROMPTS, w.STEP_NO_CHAINS_LATENCY if latency_critical(answers) else w.STEP_TRY_CHAINS]


def _lifting_steps(factors: list[str]) -> list[str]:
    """How to lift each missing prerequisite."""
    return [_PREREQUISITE_STEPS[f][0] for f in factors]


def _settling_steps(rule: str, answers: Mapping[str, str]) -> list[str]:
    """Everything to settle before a fine-tuning project, in the order of the summary."""
    steps: list[str] = []
    if rule == "need_unclear":
        steps.append(w.STEP_DEFINE_TASK)
    alternatives = answers.get("alternatives_tried", UNKNOWN)
    if alternatives == "partly":
        steps.extend(_prompt_steps(answers))
    elif alternatives in ("no", UNKNOWN):
        steps.append(w.STEP_BASELINE_CONTEXT_LATENCY if latency_critical(answers) else w.STEP_BASELINE_CONTEXT)
    privacy = answers.get("sensitive_data", UNKNOWN)
    if privacy == "masked":
        steps.append(w.STEP_MASK)
    elif privacy == UNKNOWN:
        steps.append(w.STEP_CHECK_PRIVACY)
    for factor_id, blocking in PREREQUISITES.items():
        value = answers.get(factor_id, UNKNOWN)
        if value == blocking:
            steps.append(_PREREQUISITE_STEPS[factor_id][0])
        elif value == UNKNOWN:
            steps.append(_PREREQUISITE_STEPS[factor_id][1])
    if answers.get("training_data", UNKNOWN) == "can_create":
        steps.append(w.STEP_REVIEW_DATA)
    return steps


def next_steps_for(rule: str, answers: Mapping[str, str]) -> list[str]:
    """The next steps for a case decided by ``rule``."""
    missing = missing_prerequisites(answers)
    exhausted = answers.get("alternatives_tried", UNKNOWN) == "exhausted"
    if rule == "private_data":
        privacy = w.STEP_PRIVACY_AVOID_LATENCY if latency_critical(answers) else w.STEP_PRIVACY_AVOID
        return [privacy, w.STEP_PRIVACY_REASSESS]
    if rule == "general_assistant":
        if exhausted:
            return [w.STEP_BROAD_STAY, w.STEP_BROAD_NARROW_PART]
        return [w.STEP_BROAD_AVOID, w.STEP_TRY_PROMPTS]
    if rule in ("not_possible_now", "several_prerequisites_missing"):
        return [*_lifting_steps(missing_needs(answers)), w.STEP_REASSESS]
    if rule == "not_possible_now_try_simpler":
        hard = [f for f in missing if f in HARD_BLOCKERS]
        return [*_prompt_steps(answers), *_lifting_steps(hard)]
    if rule in ("nothing_calls_for_fine_tuning", "alternatives_not_exhausted", "nothing_tried_despite_need",
                "several_prerequisites_missing_try_simpler", "prerequisite_missing_nothing_tried"):
        return [*_prompt_steps(answers), w.STEP_COME_BACK]
    if rule == "fine_tune":
        steps = [w.STEP_FT_DATA, w.STEP_FT_SUCCESS, w.STEP_FT_ITERATE]
        if answers.get("training_data", UNKNOWN) == "can_create":
            steps.insert(0, w.STEP_REVIEW_DATA)
        return steps
    return _settling_steps(rule, answers)
