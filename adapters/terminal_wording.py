"""What the terminal front end says about itself (the conversation's own texts are in bot.wording).

``{command}`` is how the user started the chat (``finetune-advisor`` or ``.venv/bin/finetune-advisor``).
"""

from __future__ import annotations

from typing import Final

GOODBYE_KEPT: Final = (
    "Bye! Your answers are kept in Redis for {keep} after your last answer. To pick up where you left off:\n"
    "  {command} chat --session {session}"
)
SESSION_LINE: Final = "Session {session}, kept in Redis: `{command} chat --session {session}` picks it up again."
GOODBYE_NOT_KEPT: Final = (
    "Bye! Nothing was kept: without REDIS_URL the conversation lived only in this process."
)
GOODBYE_NOTHING_YET: Final = "Bye! Nothing was saved: the conversation never reached Redis."
RECORD_SAVED: Final = "Decision record saved to {path}"
RECORD_NOT_SAVED: Final = "Could not save the decision record to {path}: {error}. Here it is:"
SESSION_NEEDS_REDIS: Final = (
    "note: --session resumes a conversation only when REDIS_URL is set; "
    "without it the conversation lives in this process."
)
