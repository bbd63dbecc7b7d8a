"""The optional language model (issue 8): better understanding and phrasing; rules still decide.

Nothing here is used, and nothing is imported from langchain, unless ``LLM_MODEL`` is set.
:func:`build_language_model` returns None then. With a model, :class:`~adapters.service.TurnService`

* before a turn, asks it to read typed text the rule-based parser cannot read (the opening
  description, or an answer to the pending question); the readings travel into the pure core
  as :class:`~bot.events.Hint` values on the event, and the core uses them like its own;
* after a turn, asks it to rephrase answers that came from the knowledge base, from the cited
  entries and the user's answers only, keeping only answers that cite given entries.

Any failure (timeout, HTTP error, rate limit, malformed output) keeps the rule-based result.
The card (verdict, reasons, what would change it) is never sent to or touched by the model.

Modules: ``config`` (settings, provider packages), ``client`` (``init_chat_model``, failure
classes), ``understanding`` and ``phrasing`` (schemas, prompts, validation), ``model`` (the
facade the service calls: time budget, metrics, logs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.llm.model import LanguageModel
    from adapters.settings import Settings


def build_language_model(settings: Settings, kb: Any) -> LanguageModel | None:
    """The configured model, or None when ``LLM_MODEL`` is unset (then nothing is imported).

    Raises ConfigurationError when the provider's package (an optional extra) is missing or
    the model cannot be created."""
    from adapters.llm.config import config_from_settings

    config = config_from_settings(settings)
    if config is None:
        return None
    from adapters.llm.client import build_chat_model
    from adapters.llm.model import LanguageModel

    return LanguageModel(config, build_chat_model(config), kb)
