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
    "fine_tune_with_prerequisites": "Fine-tuning fits your case, but some things have to be settled before you start.",
    "alternatives_first": "Nothing you said forces fine-tuning yet; simpler methods are cheaper to try and may be enough.",
    "avoid": "Fine-tuning is the wrong tool for this case; the risks or the mismatch outweigh what it could bring.",
}

CONFIDENCE_TEXT: Final[dict[str, str]] = {
    "high": "high: no answer you left open could change this",
    "medium": "medium: only several open answers together could change this",
    "low": "low: a single open answer could change this",
}

NO_ANSWERS_DEFAULT: Final = "You left every question open, so this rests on the article's default: start simple."

STANCE_LABELS: Final[dict[str, str]] = {"for": "For fine-tuning", "against": "Against fine-tuning"}

# --- questions ------------------------------------------------------------------------

QUESTIONS: Final[dict[str, str]] = {
    "training_data": "Do you have example inputs paired with ideal outputs, or could experts or another LLM produce them?",
    "sensitive_data": "Would the training data contain private or personal information?",
    "latency_critical": "Is response time a top priority for this use case?",
    "context_size": "Do your instructions, format rules, edge cases and examples fit comfortably in one prompt?",
    "domain_knowledge": "Does the task need specialised or company-internal knowledge that isn't public?",
    "task_scope": "Is it one specific task with a clear definition of success, or a general assistant?",
    "alternatives_tried": "Have you tried prompt engineering and prompt chaining, and did they fall short?",
    "model_fine_tunable": "Can the model you need be fine-tuned at all?",
    "hosted_cost_sensitive": "Will a hosted vendor serve the model, and would a higher price per prediction matter?",
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
    ("training_data", "can_create"): "You can have experts or another LLM write the example outputs; expect to review them closely, because the set's quality caps the model's.",
    ("training_data", "none"): "You have no input/output examples and no way to make them yet, so there is nothing to fine-tune on.",
    ("sensitive_data", "no"): "You said the training data holds no private information, so the leak risk that rules out many projects does not apply.",
    ("sensitive_data", "masked"): "You said the data would be masked; masking can miss things, and a fine-tuned model can repeat what it saw to other users.",
    ("sensitive_data", "yes"): "You said the training data contains private or personal information, which a fine-tuned model could repeat to other users.",
    ("latency_critical", "yes"): "You said response time is a top priority; a fine-tuned model answers in one call, without the extra steps prompt chains add.",
    ("latency_critical", "no"): "You said response time is not a top priority, so the extra steps of prompt chaining are affordable.",
    ("context_size", "fits"): "You said your instructions and examples fit comfortably in the prompt, so prompting can carry them.",
    ("context_size", "strained"): "You said your instructions and examples barely fit in the prompt; fine-tuning could bake them in and cut prompt tokens.",
    ("context_size", "too_big"): "You said your instructions, edge cases and examples don't fit in the prompt; fine-tuning can build them into the model instead.",
    ("domain_knowledge", "yes"): "You said the task needs specialised, non-public knowledge, which fine-tuning can teach the model when prompt context is not enough.",
    ("domain_knowledge", "no"): "You said no specialised private knowledge is needed, so the model's general knowledge should serve.",
    ("task_scope", "narrow"): "You described one specific task with a clear definition of success, where fine-tuned models do best.",
    ("task_scope", "broad"): "You described a general assistant; broad use is usually better served by a model that has not been fine-tuned.",
    ("alternatives_tried", "exhausted"): "You said prompt engineering and prompt chaining were tried and fell short, so the cheaper options are used up.",
    ("alternatives_tried", "partly"): "You said the simpler methods were only partly tried; finishing them costs far less than a fine-tuning project.",
    ("alternatives_tried", "no"): "You said prompt engineering and prompt chaining have not been tried yet; they take hours, fine-tuning takes weeks.",
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
STEP_PRIVACY_REASSESS: Final = "If you still want to fine-tune later, remove the personal data first and run this assessment again."
STEP_BROAD_AVOID: Final = "Stay with a general model that has not been fine-tuned and improve its answers with prompt engineering."
STEP_TRY_PROMPTS: Final = "Put the output format, edge cases and two or three good examples into the prompt, and measure it on 20-50 real inputs."
STEP_TRY_CHAINS: Final = "Write 2-3 prompt-chaining variants and measure them on the same inputs before collecting any training data."
STEP_COME_BACK: Final = "Write down where they fall short (quality, latency or prompt size); come back to fine-tuning only if they do."
STEP_FINISH_ALTERNATIVES: Final = "Finish trying prompt engineering and prompt chaining, and record why they fall short, before you start a fine-tuning project."
STEP_BASELINE_FORCED: Final = "Run a quick prompt-chaining baseline to confirm it cannot meet your latency or context needs; it also gives you a yardstick."
STEP_MASK: Final = "Mask or remove personal data, knowing masking can miss things: audit a sample by hand before training."
STEP_CHECK_PRIVACY: Final = "Check whether the training data holds private or personal information before you use it."
STEP_BUILD_DATA: Final = "Build a training set: realistic user inputs, each paired with an ideal output, written by subject-matter experts or drafted by another LLM and reviewed."
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

