"""One error hierarchy for the whole bot.

Every error carries ``user_message``: text that is safe to show to the person in the chat
(no internals, no secrets). Adapters turn any :class:`AdvisorError` into a reply with it.
"""

from __future__ import annotations


class AdvisorError(Exception):
    """Base of every error the bot raises on purpose."""

    user_message: str = "Something went wrong on my side. Please try again."

    def __init__(self, detail: str = "", *, user_message: str | None = None) -> None:
        super().__init__(detail or self.user_message)
        if user_message is not None:
            self.user_message = user_message


class InvalidAnswers(AdvisorError):
    """An answers mapping names a factor or value that does not exist."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, user_message=detail)


class KnowledgeBaseError(AdvisorError):
    """The curated knowledge base failed validation at load."""

    user_message = "My knowledge base could not be loaded. An operator has to fix it."


class StoreError(AdvisorError):
    """The conversation store (Redis) could not be reached or answered badly."""

    user_message = "I can't reach my memory right now; please try again in a moment."


class ConfigurationError(AdvisorError):
    """The environment is missing or has a bad setting."""

    user_message = "The bot is not configured correctly. An operator has to fix it."


class PlatformError(AdvisorError):
    """A chat platform's API (Slack's Web API, the Bot Connector) refused a call or could not
    be reached after the retries. The conversation is already saved; only a reply was lost."""


class LanguageModelError(AdvisorError):
    """An optional language model call produced nothing usable; the rule-based path answers."""

