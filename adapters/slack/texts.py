"""Slack-only wording: button labels, card headings, App Home copy and delivery notices.

The core's sentences live in :mod:`bot.wording`; these are the few that exist only because
Slack has buttons, a home tab and channels the bot may not be in.
"""

from __future__ import annotations

from typing import Final

# --- buttons ------------------------------------------------------------------------------
SKIP: Final = "Skip"
BACK: Final = "Back"
WHY_ASK: Final = "Why do you ask?"
WHY: Final = "Why?"
CHANGE: Final = "Change an answer"
RESTART: Final = "Start over"
RECORD: Final = "Decision record"
START: Final = "Start an assessment"

# --- question and card --------------------------------------------------------------------
QUESTION_HEADING: Final = "*Question {number}.* {text}"
TYPE_HINT_THREAD: Final = "Or reply here in your own words."
TYPE_HINT_COMMAND: Final = "Or type `{command} <your answer>`."
QUESTIONS_DONE: Final = ":white_check_mark: Questions answered; the recommendation has been posted."
CARD_HEADER: Final = "Recommendation: {title}"
CARD_BY: Final = "Assessment by <@{user}>"
CONFIDENCE: Final = "*Confidence:* {text}"
YOUR_ANSWER: Final = "your answer: {label}"
DECISIVE: Final = "decisive"
MORE_REASONS: Final = "…and {count} more in the decision record."
WOULD_CHANGE: Final = "*What would change it*"
NEXT_STEPS: Final = "*Next steps*"
SOURCES: Final = "*Sources* (from the article _When to use fine tuning for LLMs_)"
CHANGE_MENU_ENTRY: Final = "{name}: {current}"
TRIMMED: Final = "…(trimmed; the full text is in the decision record)"

# --- delivery problems -------------------------------------------------------------------
POST_FAILED: Final = (
    "I couldn't post in this conversation (Slack said `{error}`). Invite me to the channel, "
    "or use `{command}` or a direct message with me. Your answers are kept."
)
RECORD_AS_TEXT: Final = "I couldn't attach the decision record as a file here, so here it is as text:"

# --- App Home ---------------------------------------------------------------------------
HOME_TITLE: Final = "Fine-Tune Advisor"
HOME_INTRO: Final = (
    "I help teams decide whether to *fine-tune an LLM* or to try *prompt engineering and prompt "
    "chaining* first. I ask a few short questions, then post a recommendation card with my reasons, "
    "and answer follow-up \"why?\" questions."
)
HOME_HOW: Final = (
    "Start here, type `{command}` in any channel (only you see the questions; the card is posted for "
    "everyone), mention me in a channel to work in a thread, or message me directly."
)
HOME_RECENT: Final = "*Your recent recommendations*"
HOME_RECENT_NONE: Final = "None yet. Your recommendations will be listed here."
HOME_RECENT_ITEM: Final = "• *{title}* (confidence {confidence}) in <#{channel}>, <!date^{at}^{{date_short}}|{date}>"
