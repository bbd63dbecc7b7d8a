"""Creating the chat model with langchain's ``init_chat_model``, and naming what went wrong.

langchain (and the provider package) is imported here, on first use only: never when
``LLM_MODEL`` is unset.
"""

from __future__ import annotations

import json

import asyncio
from typing import Any

from bot.errors import LanguageModelError, ConfigurationError

from .config import LlmConfig, install_hint, require_packages

#: Failure reasons (the ``reason`` label of ftadvisor_llm_fallbacks_total).
TIMEOUT, RATE_LIMIT, HTTP_ERROR, CONNECTION, MALFORMED, UNCITED, BUDGET, ERROR = (
    "timeout", "rate_limit", "http_error", "connection", "malformed", "uncited", "budget", "error",
)
#: A phrased answer that states a figure none of its sources gives (the model added a fact).
UNGROUNDED = "ungrounded"


class LlmFailure(LanguageModelError):
    """A model call that produced nothing usable; ``reason`` is one of the reasons above and
    ``status`` the HTTP status when there was one. Never carries the user's text."""

    def __init__(self, reason: str, status: int | None = None, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.detail = detail


def _provider_kwargs(config: LlmConfig) -> dict[str, Any]:
    """Arguments for the provider's chat model class. No retries: a failed call falls back to
    the rule-based path at once, within the turn's budget."""
    kwargs: dict[str, Any] = {"temperature": 0}
    provider = config.provider
    if provider == "ollama":
        if config.base_url:
            kwargs["base_url"] = config.base_url
        if config.max_tokens:
            kwargs["num_predict"] = config.max_tokens
        kwargs["client_kwargs"] = {"timeout": config.timeout_s}
        return kwargs
    if config.base_url:
        kwargs["azure_endpoint" if provider == "azure_openai" else "base_url"] = config.base_url
    if config.max_tokens:
        kwargs["max_tokens"] = config.max_tokens
    if config.api_key is not None:
        kwargs["api_key"] = config.api_key.get_secret_value()
    kwargs["timeout"] = config.timeout_s
    kwargs["max_retries"] = 0
    return kwargs


def build_chat_model(config: LlmConfig) -> Any:
    """The langchain chat model for ``config``. Raises ConfigurationError (naming the extra to
    install, or why the model cannot be created); never echoes the API key."""
    require_packages(config)
    try:
        from langchain.chat_models import init_chat_model

        return init_chat_model(config.model, **_provider_kwargs(config))
    except ImportError as exc:
        raise ConfigurationError(
            f"LLM_MODEL={config.model}: {exc.name or 'a provider package'} is not installed: {install_hint(config.provider)}"
        ) from None
    except Exception as exc:  # noqa: BLE001 - any construction error is a configuration problem
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        raise ConfigurationError(f"LLM_MODEL={config.model}: the model could not be created ({type(exc).__name__}: {first})") from None


def schema_of(model: type[Any]) -> dict[str, Any]:
    """The pydantic model as one self-contained JSON schema (no $refs), built once per model
    and handed to ``with_structured_output`` as a dict: langchain would otherwise regenerate and
    dereference the pydantic schema on every call (about 6 ms each). Parsing then gives a dict,
    which the callers validate themselves."""
    cached = _SCHEMAS.get(model)
    if cached is None:
        from langchain_core.utils.function_calling import convert_to_openai_tool

        function = convert_to_openai_tool(model)["function"]
        cached = _SCHEMAS[model] = {"title": function["name"], "description": function["description"], **function["parameters"]}
    return cached


_SCHEMAS: dict[type[Any], dict[str, Any]] = {}


def classify(exc: BaseException) -> LlmFailure:
    """Name a failed call without importing provider SDKs (they differ; the shapes agree)."""
    if isinstance(exc, LlmFailure):
        return exc
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if not isinstance(status, int):
        status = getattr(getattr(exc, "response", None), "status_code", None)
        status = status if isinstance(status, int) else None
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)) or "Timeout" in name:
        return LlmFailure(TIMEOUT, status, name)
    if status == 429 or "RateLimit" in name:
        return LlmFailure(RATE_LIMIT, status, name)
    if status is not None and status >= 400:
        return LlmFailure(HTTP_ERROR, status, name)
    if isinstance(exc, (ValueError, TypeError, KeyError)) or any(w in name for w in ("Parser", "Validation", "Decode")):
        return LlmFailure(MALFORMED, status, name)
    if "Connect" in name or isinstance(exc, OSError):
        return LlmFailure(CONNECTION, None, name)
    return LlmFailure(ERROR, status, name)


def bind_schema(chat_model: Any, model_cls: type[Any], method: str) -> Any:
    """The model bound to a pydantic schema; invoking it returns {"raw", "parsed", "parsing_error"}."""
    return chat_model.with_structured_output(schema_of(model_cls), method=method, include_raw=True)


def structured_arguments(result: Any) -> Any:
    """The structured arguments the model returned, parsed or not (from the parsed value, a tool
    call, or JSON content); raises LlmFailure(MALFORMED) when there are none."""
    if not isinstance(result, dict):
        raise LlmFailure(MALFORMED, detail="unexpected result")
    parsed = result.get("parsed")
    if isinstance(parsed, dict):
        return parsed
    raw = result.get("raw")
    for call in getattr(raw, "tool_calls", None) or []:
        return call.get("args")
    content = getattr(raw, "content", None)
    if isinstance(content, str) and content.strip():
        try:
            return json.loads(content)
        except ValueError:
            pass
    raise LlmFailure(MALFORMED, detail="no structured output")
