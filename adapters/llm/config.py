"""The language model's configuration and which optional extra brings each provider.

Kept free of langchain imports: ``config check`` and start-up use it to say what is missing
without paying for (or failing on) the import.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.errors import ConfigurationError

if TYPE_CHECKING:
    from adapters.settings import Settings

DEFAULT_TIMEOUT_S = 8.0

#: provider -> (module langchain imports for it, this project's extra that installs it)
PROVIDER_PACKAGES: dict[str, tuple[str, str]] = {
    "openai": ("langchain_openai", "openai"),
    "azure_openai": ("langchain_openai", "openai"),
    "anthropic": ("langchain_anthropic", "anthropic"),
    "ollama": ("langchain_ollama", "ollama"),
}


@dataclass(frozen=True, slots=True)
class LlmConfig:
    """``model`` is langchain's ``provider:model`` (``openai:gpt-4o-mini``, ``ollama:llama3.1``).

    ``timeout_s`` bounds all model calls of one turn together; ``structured_method`` is how
    structured output is asked for (``function_calling``: tools, the most widely supported;
    ``json_schema``: response_format)."""

    model: str
    base_url: str | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    max_tokens: int | None = None
    api_key: SecretStr | None = None
    structured_method: str = "function_calling"

    @property
    def provider(self) -> str:
        return self.model.split(":", 1)[0].strip().replace("-", "_").lower()

    @property
    def model_name(self) -> str:
        return self.model.split(":", 1)[1].strip()


def config_from_settings(settings: Settings) -> LlmConfig | None:
    if not settings.llm_model:
        return None
    return LlmConfig(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        timeout_s=settings.llm_timeout_s,
        max_tokens=settings.llm_max_tokens,
        api_key=settings.llm_api_key,
    )


def install_hint(provider: str) -> str:
    if provider in PROVIDER_PACKAGES:
        return f"pip install 'finetune-advisor[{PROVIDER_PACKAGES[provider][1]}]'"
    return f"pip install 'finetune-advisor[llm]' langchain-{provider.replace('_', '-')}"


def missing_packages(config: LlmConfig) -> list[str]:
    """Python packages the configured provider needs that are not installed (no import done)."""
    missing = []
    if importlib.util.find_spec("langchain") is None:
        missing.append("langchain")
    module = PROVIDER_PACKAGES.get(config.provider, (f"langchain_{config.provider}", ""))[0]
    if importlib.util.find_spec(module) is None:
        missing.append(module.replace("_", "-"))
    return missing


def require_packages(config: LlmConfig) -> None:
    """Raise ConfigurationError naming the extra to install when a package is missing."""
    missing = missing_packages(config)
    if missing:
        raise ConfigurationError(
            f"LLM_MODEL={config.model} needs {', '.join(missing)}, which is not installed: "
            f"{install_hint(config.provider)} (or unset LLM_MODEL to run without a language model)"
        )


def describe(settings: Settings) -> str:
    """One line for ``config check``: off, or the model and whether its packages are there."""
    config = config_from_settings(settings)
    if config is None:
        return "off (LLM_MODEL unset; nothing is sent to any model provider)"
    from store import redact_url

    where = f" at {redact_url(config.base_url)}" if config.base_url else ""
    missing = missing_packages(config)
    state = "ready" if not missing else f"missing {', '.join(missing)}: {install_hint(config.provider)}"
    return f"{config.model}{where}, timeout {config.timeout_s:g} s per turn; {state}"
