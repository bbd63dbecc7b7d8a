"""Every sentence the bot says to a person, in one place.

Adapters render these strings; the core composes them. Nothing else in the code base holds
user-facing prose, so tone and terminology can be reviewed and changed here alone.
"""

from __future__ import annotations

from typing import Final

# --- verdicts -------------------------------------------------------------------------

VERDICT_TITLES: Final[dict[str, str]] = {
    "fine_tune": "Fine-tune",
    "fine_tune_with_prerequisites": "Fine-tune, once the prerequisites are met",
    "alternatives_first": "Try prompt engineering and prompt chaining first",
    "avoid": "Don't fine-tune",
}

VERDICT_SUMMARIES: Final[dict[str, str]] = {
    "fine_tune": "Your case matches the situations where fine-tuning pays off, and nothing you said stands in the way.",
    "fine_tune_with_prerequisites": "Fine-tuning suits what you described, but some things have to be settled before you start.",
    "alternatives_first": "Nothing you said forces fine-tuning yet; simpler methods are cheaper to try and may be enough.",
    "avoid": "Fine-tuning is the wrong tool for this case, or not possible now.",
}
"""One generic sentence per verdict (for places that name a verdict without a case)."""

VERDICT_TITLES_LATENCY_CRITICAL: Final[dict[str, str]] = {
    "alternatives_first": "Try prompt engineering first",
}
"""Headlines for a team that said response time is a top priority: no prompt chaining, whose
extra steps add latency."""

# One sentence per rule (bot.rules.RULES), saying why this rule decided. {missing} lists the
# needs answered missing (data, model, compute, time to iterate), {settle} what must be settled first, {need} what calls for
# fine-tuning.
RULE_SUMMARIES: Final[dict[str, str]] = {
    "private_data": "Your training data would hold private or personal information, and a fine-tuned model can repeat what it was trained on to other users; keep that data out of the model's weights.",
    "general_assistant": "You described a general assistant for many related tasks; that is usually better served by an untuned model, since fine-tuning pays off on one narrow task.",
    "nothing_calls_for_fine_tuning": "Nothing you said so far calls for fine-tuning; prompt engineering and prompt chaining are cheaper to try and may be enough.",
    "not_possible_now": "Fine-tuning is not possible for you now ({missing}), and you said prompting has been used up; stay with the untuned model until that changes.",
    "not_possible_now_try_simpler": "Fine-tuning is not possible for you now ({missing}), and the simpler methods are not used up; improve the prompt first.",
    "several_prerequisites_missing": "Several things fine-tuning needs are missing at once ({missing}); it is not realistic until they are in place, even though prompting fell short.",
    "several_prerequisites_missing_try_simpler": "Several things fine-tuning needs are missing at once ({missing}), and the simpler methods are not used up; start with those.",
    "alternatives_not_exhausted": "You have not used up the simpler methods, and nothing you said forces fine-tuning; see them through and fine-tune only if they fall short.",
    "prerequisite_missing_nothing_tried": "Your context does not fit in the prompt, but something fine-tuning needs is missing ({missing}) and you have not said the simpler methods were tried; try those first.",
    "nothing_tried_despite_need": "{need} may call for fine-tuning, but you have not said the simpler methods were tried; measure a prompt first, and fine-tune only if it falls short.",
    "forced_before_alternatives_exhausted": "{need} points to fine-tuning even before the simpler methods are used up, but first: {settle}.",
    "prerequisites_open": "Prompting fell short and fine-tuning suits what you described, but first: {settle}.",
    "need_unclear": "Prompting fell short, but nothing you said yet is a case where fine-tuning is known to pay off; first: {settle}.",
    "fine_tune": "Prompting fell short, your case is one where fine-tuning pays off, and every prerequisite is confirmed.",
}

NEED_PHRASES: Final[dict[str, str]] = {
    "latency_critical": "Your need for fast responses",
    "context_size": "Context that does not fit in the prompt",
    "both": "Your need for fast responses, with context that does not fit in the prompt,",
}
"""What can force fine-tuning before the simpler methods are used up ({need} above)."""

MISSING_PHRASES: Final[dict[str, str]] = {
    "training_data": "no training examples and no way to make them",
    "model_fine_tunable": "a model that cannot be fine-tuned",
    "compute_available": "no compute or budget for training",
    "iteration_capacity": "no time for many rounds of iteration",
    "needs_vendor_guardrails": "reliance on vendor guardrails that fine-tuning may remove",
    "hosted_cost_sensitive": "a price per prediction that must stay low",
}
"""A prerequisite answered missing, as a phrase for {missing}."""

SETTLE_PHRASES: Final[dict[str, str]] = {
    "finish_alternatives": "finish the prompt work to confirm",
    "baseline": "confirm with a quick prompt baseline",
    "define_task": "define the one task and how success is measured",
    "privacy_masked": "audit the masking, which can miss things",
    "privacy_unknown": "check whether the data holds private information",
    "missing:compute_available": "find compute or budget for training",
    "missing:iteration_capacity": "make time for many rounds of iteration",
    "missing:needs_vendor_guardrails": "plan your own safety checks in place of vendor guardrails",
    "missing:hosted_cost_sensitive": "check that the higher price per prediction is affordable",
    "unknown:training_data": "check that you have or can make training examples",
    "can_create:training_data": "write and review the training examples",
    "unknown:model_fine_tunable": "check that the model can be fine-tuned",
    "unknown:compute_available": "check compute or budget",
    "unknown:iteration_capacity": "check the team has time to iterate",
    "unknown:needs_vendor_guardrails": "check whether you rely on vendor guardrails",
    "unknown:hosted_cost_sensitive": "check the price per prediction",
}
"""What must be settled first, as phrases for {settle}."""
SETTLE_MORE: Final = "and {count} more (see the next steps)"
SETTLE_SHOWN: Final = 3

CONFIDENCE_TEXT: Final[dict[str, str]] = {
    "high": "high: no answer you left open could change this",
    "medium": "medium: only several open answers together could change this",
    "low": "low: a single open answer could change this",
}

NO_ANSWERS_DEFAULT: Final = "You left every question open, so this rests on the article's default: start simple."

STANCE_LABELS: Final[dict[str, str]] = {"for": "For fine-tuning", "against": "Against fine-tuning"}

# --- questions ------------------------------------------------------------------------

QUESTIONS: Final[dict[str, str]] = {
    "training_data": "Do you already have example inputs paired with ideal outputs?",
    "sensitive_data": "Would the training data contain private, personal or confidential information?",
    "latency_critical": "Is response time a top priority for this use case?",
    "context_size": "Do your instructions, format rules, edge cases and examples fit comfortably in one prompt?",
    "domain_knowledge": "Does the task need specialised or company-internal knowledge that isn't public?",
    "task_scope": "Is it one specific task with a clear definition of success, or a general assistant?",
    "alternatives_tried": "Have you tried prompt engineering and prompt chaining, and did they fall short?",
    "model_fine_tunable": "Can the model you need be fine-tuned at all?",
    "hosted_cost_sensitive": "If a hosted vendor serves the model, would a higher price per prediction matter?",
    "compute_available": "Do you have the compute (or the budget) that training needs?",
    "needs_vendor_guardrails": "Does your use case rely on the vendor's safety guardrails?",
    "iteration_capacity": "Does the team have time for many rounds of training and evaluation?",
}

SHORT_NAMES: Final[dict[str, str]] = {
    "training_data": "Training data",
    "sensitive_data": "Sensitive data",
    "latency_critical": "Latency critical",
    "context_size": "Context size",
    "domain_knowledge": "Domain knowledge",
    "task_scope": "Task scope",
    "alternatives_tried": "Alternatives tried",
    "model_fine_tunable": "Model fine-tunable",
    "hosted_cost_sensitive": "Hosted cost matters",
    "compute_available": "Compute available",
    "needs_vendor_guardrails": "Needs vendor guardrails",
    "iteration_capacity": "Time to iterate",
}

OPTION_LABELS: Final[dict[str, dict[str, str]]] = {
    "training_data": {
        "have_pairs": "We have input/output pairs",
        "can_create": "We can create them",
        "none": "We have none",
    },
    "sensitive_data": {"no": "No", "masked": "Yes, but masked", "yes": "Yes"},
    "latency_critical": {"yes": "Yes", "no": "No"},
    "context_size": {"fits": "It fits easily", "strained": "It barely fits", "too_big": "It doesn't fit"},
    "domain_knowledge": {"yes": "Yes", "no": "No"},
    "task_scope": {"narrow": "One narrow task", "broad": "A general assistant"},
    "alternatives_tried": {
        "exhausted": "Yes, both fell short",
        "partly": "Partly",
        "no": "Not yet",
    },
    "model_fine_tunable": {"yes": "Yes", "no": "No"},
    "hosted_cost_sensitive": {"yes": "Yes, price matters", "no": "No"},
    "compute_available": {"yes": "Yes", "no": "No"},
    "needs_vendor_guardrails": {"yes": "Yes", "no": "No"},
    "iteration_capacity": {"yes": "Yes", "no": "No"},
}

UNKNOWN_LABEL: Final = "Not sure"


def option_label(factor_id: str, value: str) -> str:
    if value == "unknown":
        return UNKNOWN_LABEL
    return OPTION_LABELS[factor_id][value]


# --- reasons: one sentence per (factor, value), in terms of the user's own answer -------

REASONS: Final[dict[tuple[str, str], str]] = {
    ("training_data", "have_pairs"): "You already have example inputs paired with ideal outputs, which is exactly the material fine-tuning trains on.",
    ("training_data", "can_create"): "Experts or another LLM can write the example outputs; review them closely, since the set's quality caps the model's.",
    ("training_data", "none"): "You have no input/output examples and no way to make them yet, so there is nothing to fine-tune on.",
    ("sensitive_data", "no"): "You said the data holds no private information; still leave out what not every user may see, since a model can repeat it.",
    ("sensitive_data", "masked"): "You said the data would be masked; masking can miss things, and a fine-tuned model can repeat what it saw to other users.",
    ("sensitive_data", "yes"): "You said the training data contains private or personal information, which a fine-tuned model could repeat to other users.",
    ("latency_critical", "yes"): "You said response time is a top priority; a fine-tuned model answers in one call, without the extra steps prompt chains add.",
    ("latency_critical", "no"): "You said response time is not a top priority, so the extra steps of prompt chaining are affordable.",
    ("context_size", "fits"): "You said your instructions and examples fit comfortably in the prompt, so prompting can carry them.",
    ("context_size", "strained"): "You said your instructions and examples barely fit in the prompt; fine-tuning could bake them in and cut prompt tokens.",
    ("context_size", "too_big"): "You said your instructions, edge cases and examples don't fit in the prompt; fine-tuning can build them in.",
    ("domain_knowledge", "yes"): "You said the task needs non-public knowledge, which fine-tuning can teach when prompt context is not enough.",
    ("domain_knowledge", "no"): "You said no specialised private knowledge is needed, so the model's general knowledge should serve.",
    ("task_scope", "narrow"): "You described one specific task with a clear definition of success, where fine-tuned models do best.",
    ("task_scope", "broad"): "You described a general assistant; broad use is usually better served by an untuned model.",
    ("alternatives_tried", "exhausted"): "You said prompt engineering and prompt chaining were tried and fell short, so the cheaper options are used up.",
    ("alternatives_tried", "partly"): "You said the simpler methods were only partly tried; finishing them costs far less than a fine-tuning project.",
    ("alternatives_tried", "no"): "You said prompt engineering and chaining are untried; they take far less effort than a fine-tuning project.",
    ("model_fine_tunable", "yes"): "You said the model you need can be fine-tuned.",
    ("model_fine_tunable", "no"): "You said the model you need cannot be fine-tuned; you would have to settle for one that can, or wait.",
    ("hosted_cost_sensitive", "yes"): "You said a higher price per prediction matters; hosted vendors often charge much more to call a fine-tuned model.",
    ("hosted_cost_sensitive", "no"): "You said a higher price per prediction is acceptable.",
    ("compute_available", "yes"): "You said you have the compute or budget that training needs.",
    ("compute_available", "no"): "You said you lack the compute or budget for training, which fine-tuning can demand in quantity.",
    ("needs_vendor_guardrails", "yes"): "You said the use case relies on the vendor's guardrails; vendors may remove them from fine-tuned models.",
    ("needs_vendor_guardrails", "no"): "You said you don't rely on the vendor's guardrails, so losing them after fine-tuning is not a blocker.",
    ("iteration_capacity", "yes"): "You said the team has time for many rounds of iteration, which fine-tuning usually needs.",
    ("iteration_capacity", "no"): "You said the team has little time to iterate; fine-tuning takes many more rounds than prompt work.",
}

# --- next steps -------------------------------------------------------------------------

STEP_PRIVACY_AVOID: Final = "Keep personal data out of any training set; use prompt engineering or prompt chaining, which never put your data into the model's weights."
STEP_PRIVACY_AVOID_LATENCY: Final = "Keep personal data out of any training set; use prompt engineering, which never puts your data into the model's weights."
STEP_PRIVACY_REASSESS: Final = "If you still want to fine-tune later, remove the personal data first and run this assessment again."
STEP_BROAD_AVOID: Final = "Stay with an untuned general model and improve its answers with prompt engineering."
STEP_BROAD_STAY: Final = "Stay with an untuned general model; fine-tuned models do best on one narrow task, not on many related ones."
STEP_BROAD_NARROW_PART: Final = "If one narrow, well-defined part of the assistant is what falls short, assess that part on its own: narrow tasks are where fine-tuning helps."
STEP_TRY_PROMPTS: Final = "Put the output format, edge cases and a few good examples into the prompt, and measure it on a set of real inputs."
STEP_TRY_CHAINS: Final = "Try splitting the work into a chain of prompts, and measure it on the same inputs before collecting any training data."
STEP_NO_CHAINS_LATENCY: Final = "Keep to single-call prompts: every extra step in a chain adds latency, which you said you cannot afford."
STEP_COME_BACK: Final = "Write down where they fall short (quality, latency or prompt size); come back to fine-tuning only if they do."
STEP_FINISH_ALTERNATIVES: Final = "Finish trying prompt engineering and prompt chaining, and record why they fall short, before you start a fine-tuning project."
STEP_FINISH_ALTERNATIVES_LATENCY: Final = "Finish trying prompt engineering (a chain would add latency you cannot pay) and note why it falls short."
STEP_BASELINE_CONTEXT: Final = "Run a quick baseline (a trimmed prompt, or a chain of prompts) to confirm the context really cannot fit."
STEP_BASELINE_CONTEXT_LATENCY: Final = "Run a quick single-prompt baseline with the most important instructions, to confirm the context really cannot fit; it also gives you a yardstick."
STEP_MASK: Final = "Mask or remove personal data, knowing masking can miss things: audit a sample by hand before training."
STEP_CHECK_PRIVACY: Final = "Check whether the training data holds private or personal information before you use it."
STEP_BUILD_DATA: Final = "Find a way to make a training set first: realistic inputs, each paired with an ideal output by experts or another LLM."
STEP_REVIEW_DATA: Final = "Plan how experts will write or review the example outputs; the quality of the set decides the quality of the model."
STEP_CHECK_DATA: Final = "Find out whether you have, or can make, input/output pairs for training."
STEP_MODEL: Final = "Pick a model that offers fine-tuning, and compare its quality with the one you wanted."
STEP_CHECK_MODEL: Final = "Check that the model you need can be fine-tuned."
STEP_COMPUTE: Final = "Budget for training compute, or use a vendor's hosted fine-tuning."
STEP_CHECK_COMPUTE: Final = "Check that you have the compute or budget that training needs."
STEP_ITERATION: Final = "Plan time for several rounds of training and evaluation before committing to a date."
STEP_CHECK_ITERATION: Final = "Check that the team can spend several rounds iterating on the model."
STEP_GUARDRAILS: Final = "Plan your own safety checks and evaluations: vendors may strip guardrails from fine-tuned models."
STEP_CHECK_GUARDRAILS: Final = "Check whether you rely on the vendor's safety guardrails; they may not survive fine-tuning."
STEP_COST: Final = "Price the fine-tuned model's per-prediction rate against your expected traffic."
STEP_CHECK_COST: Final = "Check what your vendor charges per prediction for a fine-tuned model."
STEP_FT_DATA: Final = "Assemble and clean the training pairs; hold some out as a test set."
STEP_FT_SUCCESS: Final = "Write down the definition of success and measure the tuned model against your best prompt baseline on quality, latency and tokens."
STEP_FT_ITERATE: Final = "Expect several training rounds; change one thing at a time and keep every run's results."
STEP_DEFINE_TASK: Final = "Define the one task the model must do and how you will measure success; fine-tuning pays off on narrow, well-defined tasks."
STEP_REASSESS: Final = "Run this assessment again when that changes; until then, keep the untuned model with your best prompt."

# --- conversation -----------------------------------------------------------------------

WELCOME: Final = (
    "Hi! I help teams decide whether to fine-tune an LLM or to try prompt engineering and "
    "prompt chaining first. I'll ask a few short questions; answer with a number, the option, "
    "or in your own words. You can also start by describing your use case."
)
HELP: Final = (
    "Answer with the option number, its name, or in your own words. Commands: "
    "`skip` (not sure), `back` (undo the last answer), `change <factor>`, `restart`, "
    "`why` (after the recommendation), `why do you ask?`, `export` (decision record), `status`, `help`. "
    "Any other question is answered from my knowledge base."
)
UNDERSTOOD_INTRO: Final = "Here is what I understood from your description (say `change <factor>` to correct any of it):"
UNDERSTOOD_LINE: Final = "- {factor}: {value} (from \"{evidence}\")"
UNDERSTOOD_IMPLIED_LINE: Final = "- {factor}: {value} (implied by \"{evidence}\": a self-hosted model on your own hardware)"
NOTHING_UNDERSTOOD: Final = "I couldn't pick out any of my questions' answers from that, so let's go through them."
REASK: Final = "Sorry, I couldn't read that as an answer. Please pick one of the options:"
NOTHING_TO_UNDO: Final = "There is no answer to undo yet."
UNDONE: Final = "Undone: {factor} is open again."
RESTARTED: Final = "Starting over. All answers are cleared."
EXPIRED: Final = "Your previous assessment expired after a long pause, so we're starting over."
UNREADABLE_STATE: Final = "I couldn't read your previous assessment (it was saved by an older version), so we're starting over."
CHANGE_WHICH: Final = "Which answer would you like to change? Say `change <factor>`, one of: {factors}."
NOT_ANSWERED_YET: Final = "You haven't been asked about that yet; I'll ask when it matters."
NO_RECOMMENDATION_YET: Final = "There is no recommendation yet. Let's finish the questions first."
STATUS_ASKING: Final = "Assessment in progress: {answered} answered so far. Current question: {question}"
STATUS_DONE: Final = "Assessment finished: {verdict}. Ask `why`, change an answer, or `restart`."
STATUS_ANSWER_LINE: Final = "- {factor}: {value}"
STATUS_IMPLIED_MARK: Final = " (implied)"
STATUS_PROPOSED: Final = "Waiting for you to confirm: {change}"
SUBQUESTIONS: Final[dict[str, str]] = {
    "training_data": "Could experts or another LLM write the ideal outputs for you?",
}
"""The second part of a question, asked when a plain "no" to the first part leaves it open."""
SUBQUESTION_VALUES: Final[dict[str, dict[str, str]]] = {"training_data": {"yes": "can_create", "no": "none"}}
ECHO: Final = "Got it: {factor} = {value}, from \"{evidence}\"."
ECHO_IMPLIED: Final = " (implied by a self-hosted model on your own hardware)"
CONFIDENTIAL_NOTE: Final = (
    "Confidential business data counts as sensitive here even without personal details: a fine-tuned "
    "model can repeat internal data it was trained on to another user (article: \"Disadvantages of fine tuning LLMs\", privacy)."
)
CONFIRM_CHANGE: Final = "Change {changes}? yes / no"
CONFIRM_ONE: Final = '{factor} from "{old}" to "{new}"'
CHANGE_KEPT: Final = "Kept your answers as they were."
ALREADY_SAID: Final = "That matches what I have already: {answers}."
REASK_SAME: Final = "Still waiting for this one:"
STATUS_NONE: Final = "No assessment in progress. Say `start` to begin."
WHY_ASK_PREFIX: Final = "Why I ask: "
STORE_UNAVAILABLE: Final = "I can't reach my memory right now; please try again in a moment."
OFF_TOPIC: Final = "I can only help with deciding whether and how to fine-tune an LLM. Try asking about training data, latency, privacy, cost or prompt chaining."
GOODBYE: Final = "Bye! Your answers are kept for a while; `chat --session ID` resumes them when Redis is configured."
YOU_ARE_WELCOME: Final = "Glad to help! Ask `why`, \"what if ...?\", change an answer, or `export` the decision record."
EMPTY_INPUT: Final = "I didn't catch anything there. Type `help` to see what I can do."
OTHERS_QUESTION_NOTE: Final = "(This assessment belongs to someone else; I answered without changing it.)"

# --- what-if and why-not ---------------------------------------------------------------

WHAT_IF_SAME: Final = "With {change}, the verdict would stay: {verdict}."
WHAT_IF_CHANGED: Final = "With {change}, the verdict would change from \"{old}\" to \"{new}\"."
WHAT_IF_NOTHING: Final = "I couldn't tell which answer you want to change. Try e.g. \"what if latency isn't critical?\""
WHY_VERDICT_INTRO: Final = "The verdict is {verdict} mainly because:"
WHY_NOT_FINE_TUNE: Final = "Against fine-tuning in your case:"
WHY_NOT_ALTERNATIVES: Final = "For fine-tuning rather than simpler methods in your case:"
WHY_NOT_ALREADY: Final = "That is what I recommend for your case: {verdict}. Ask `why` for the reasons."
WHY_NOT_NOTHING: Final = "Nothing you answered argues that way."
WOULD_CHANGE_LINE: Final = "If you answered {change}, this would become: {verdict}."

# --- decision record --------------------------------------------------------------------

RECORD_TITLE: Final = "Decision record: should we fine-tune an LLM?"

# --- buttons and headings shared by the chat platforms ----------------------------------
# Plain words only: each adapter adds its own markup (Slack bolds with ``*...*``, Teams styles
# TextBlocks), so the same wording reads the same on every platform.

BUTTON_LABELS: Final[dict[str, str]] = {
    "skip": "Skip",
    "back": "Back",
    "why_ask": "Why do you ask?",
    "why": "Why?",
    "change": "Change an answer",
    "restart": "Start over",
    "record": "Decision record",
    "start": "Start an assessment",
}
"""Button captions, keyed by the action name the button sends."""

CARD_HEADINGS: Final[dict[str, str]] = {
    "question": "Question {number}",
    "recommendation": "Recommendation",
    "confidence": "Confidence",
    "would_change": "What would change it",
    "next_steps": "Next steps",
}
"""Headings on the question and recommendation cards."""

CARD_HEADER: Final = CARD_HEADINGS["recommendation"] + ": {title}"

# --- plain-text and terminal forms ---------------------------------------------------------

QUESTION_LINE: Final = "Question {number}: {text}"
QUESTION_HINT: Final = "(Answer with a number or in your own words; `skip`, `back`, `why do you ask?`, `help`.)"
QUESTION_HINT_SHORT: Final = "number, words, skip, back, why do you ask?, help"
SOURCES_LINE: Final = "Sources: {sources}"
SOURCE_ITEM: Final = "{title} [{id}, section \"{section}\"]"
CHAT_BANNER: Final = "Fine-Tune Advisor. Type `help` for commands, `quit` or Ctrl-D to leave."

# --- the decision record ---------------------------------------------------------------------

RECORD_DATE: Final = "Date"
RECORD_VERDICT: Final = "Verdict"
RECORD_CONFIDENCE: Final = "Confidence"
RECORD_ANSWERS: Final = "Answers"
RECORD_QUESTION_COLUMN: Final = "Question"
RECORD_ANSWER_COLUMN: Final = "Answer"
RECORD_UNKNOWN: Final = "unknown"
RECORD_LEFT_OPEN: Final = "Left open: {factors}."
RECORD_REASONS: Final = "Reasons {stance} fine-tuning"
RECORD_WOULD_CHANGE: Final = "What would change the verdict"
RECORD_NOTHING_CHANGES: Final = "Nothing: no other answers would change it."
RECORD_NEXT_STEPS: Final = "Next steps"
RECORD_SOURCES: Final = "Sources"
RECORD_SOURCES_INTRO: Final = 'From the article "When to use fine tuning for LLMs":'
RECORD_NONE: Final = "None."

