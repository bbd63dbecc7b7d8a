"""Configuration from the environment (and an optional ``.env``), via pydantic-settings.

Every variable the service reads is a field here; the README's table lists them. Secrets are
``SecretStr`` so they never print. Bad values fail at start with the variable's name.
"""

from __future__ import annotations

from functools import cached_property

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigurationError
from store import StoreSettings
from store.base import DEFAULT_CONVERSATION_TTL_S, DEFAULT_EVENT_TTL_S, DEFAULT_PREFIX

#: Turns of one process in their store + core step at once (``TURN_CONCURRENCY``); see
#: adapters.service.TurnSlots.
DEFAULT_TURN_CONCURRENCY = 8
#: Turns of one process admitted and not yet finished, waiting included (``TURN_QUEUE_LIMIT``);
#: past it new turns are shed (docs/limits.md: about 6 kB of memory each).
DEFAULT_TURN_QUEUE_LIMIT = 1000
#: Everything in flight at SIGTERM is delivered or given up within this (``SHUTDOWN_DEADLINE_S``);
#: deploy/k8s gives the pod 45 s (a 5 s preStop sleep first).
DEFAULT_SHUTDOWN_DEADLINE_S = 20.0
DEFAULT_HOST = "127.0.0.1"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True)

    # --- HTTP service ----------------------------------------------------------------
    host: str = Field(DEFAULT_HOST, alias="HOST")
    port: int = Field(3000, alias="PORT", ge=0, le=65535)
    log_level: str = Field("INFO", alias="LOG_LEVEL")
    body_max_bytes: int = Field(1024 * 1024, alias="BODY_MAX_BYTES", ge=1024, le=16 * 1024 * 1024)
    body_read_timeout_s: float = Field(10.0, alias="BODY_READ_TIMEOUT_S", gt=0, le=120)
    shutdown_deadline_s: float = Field(DEFAULT_SHUTDOWN_DEADLINE_S, alias="SHUTDOWN_DEADLINE_S", gt=0, le=600)
    turn_queue_limit: int = Field(DEFAULT_TURN_QUEUE_LIMIT, alias="TURN_QUEUE_LIMIT", ge=1, le=1_000_000)

    # --- conversation store -------------------------------------------------------------
    redis_url: str | None = Field(None, alias="REDIS_URL")
    redis_cluster: bool = Field(False, alias="REDIS_CLUSTER")
    redis_prefix: str = Field(DEFAULT_PREFIX, alias="REDIS_PREFIX")
    redis_timeout_s: float = Field(2.0, alias="REDIS_TIMEOUT_S", gt=0)
    conversation_ttl_s: float = Field(DEFAULT_CONVERSATION_TTL_S, alias="CONVERSATION_TTL_S", gt=0)
    event_ttl_s: float = Field(DEFAULT_EVENT_TTL_S, alias="EVENT_TTL_S", gt=0)
    turn_concurrency: int = Field(DEFAULT_TURN_CONCURRENCY, alias="TURN_CONCURRENCY", ge=1, le=1024)

    # --- Slack ----------------------------------------------------------------------
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, alias="SLACK_CLIENT_SECRET")
    slack_command: str = Field("/finetune", alias="SLACK_COMMAND")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")
    slack_response_url_prefixes: str = Field("https://hooks.slack.com/", alias="SLACK_RESPONSE_URL_PREFIXES")
    slack_install_per_minute: float = Field(10.0, alias="SLACK_INSTALL_PER_MINUTE", gt=0)
    slack_oauth_max_pending_states: int = Field(1000, alias="SLACK_OAUTH_MAX_PENDING_STATES", ge=1)

    # --- Microsoft Teams (Bot Framework) ------------------------------------------------
    microsoft_app_id: str | None = Field(None, alias="MICROSOFT_APP_ID")
    microsoft_app_password: SecretStr | None = Field(None, alias="MICROSOFT_APP_PASSWORD")
    microsoft_app_type: str = Field("MultiTenant", alias="MICROSOFT_APP_TYPE")
    microsoft_app_tenant_id: str | None = Field(None, alias="MICROSOFT_APP_TENANT_ID")
    teams_emulator: bool = Field(False, alias="TEAMS_EMULATOR")
    teams_openid_metadata_url: str | None = Field(None, alias="TEAMS_OPENID_METADATA_URL")

    # --- optional language model (langchain) ---------------------------------------------
    llm_model: str | None = Field(None, alias="LLM_MODEL")
    llm_base_url: str | None = Field(None, alias="LLM_BASE_URL")
    llm_timeout_s: float = Field(8.0, alias="LLM_TIMEOUT_S", gt=0, le=60)
    llm_max_tokens: int | None = Field(None, alias="LLM_MAX_TOKENS", gt=0)
    llm_api_key: SecretStr | None = Field(None, alias="LLM_API_KEY")

    @field_validator(
        "redis_url", "slack_client_id", "microsoft_app_id", "microsoft_app_tenant_id",
        "llm_model", "llm_base_url", "llm_max_tokens", "llm_api_key",
        "slack_signing_secret", "slack_bot_token", "slack_app_token", "slack_client_secret",
        "microsoft_app_password", "teams_openid_metadata_url", mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("host", mode="before")
    @classmethod
    def _blank_host_is_default(cls, value: object) -> object:
        """``HOST=`` (as an empty template leaves it) is unset, not "every interface"."""
        return DEFAULT_HOST if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        allowed = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
        if value.upper() not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return value.upper()

    @field_validator("microsoft_app_type")
    @classmethod
    def _known_app_type(cls, value: str) -> str:
        allowed = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return value

    @field_validator("llm_model")
    @classmethod
    def _provider_and_model(cls, value: str | None) -> str | None:
        if value is None:
            return None
        provider, sep, model = value.strip().partition(":")
        if not sep or not provider.strip() or not model.strip():
            raise ValueError("must be provider:model, e.g. openai:gpt-4o-mini or ollama:llama3.1")
        return value.strip()

    @field_validator("slack_command")
    @classmethod
    def _slash(cls, value: str) -> str:
        if not value.startswith("/") or " " in value:
            raise ValueError("must look like /finetune")
        return value

    @field_validator("slack_response_url_prefixes")
    @classmethod
    def _url_prefixes(cls, value: str) -> str:
        prefixes = [p.strip() for p in value.split(",") if p.strip()]
        if not prefixes or not all(p.startswith(("https://", "http://")) and p.endswith("/") for p in prefixes):
            raise ValueError("must be a comma-separated list of URL prefixes ending in '/', e.g. https://hooks.slack.com/")
        return ",".join(prefixes)

    @property
    def response_url_prefixes(self) -> tuple[str, ...]:
        return tuple(self.slack_response_url_prefixes.split(","))

    def secret_values(self) -> list[str]:
        """Every configured secret's value, for the log redaction filter."""
        found = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr) and value.get_secret_value().strip():
                found.append(value.get_secret_value().strip())
        return found

    @cached_property
    def store(self) -> StoreSettings:
        settings = StoreSettings(
            url=self.redis_url,
            cluster=self.redis_cluster,
            prefix=self.redis_prefix,
            timeout_s=self.redis_timeout_s,
            conversation_ttl_s=self.conversation_ttl_s,
            event_ttl_s=self.event_ttl_s,
        )
        settings.validate()
        return settings


def load_settings(**overrides: object) -> Settings:
    """The settings from the environment; raises ConfigurationError naming the bad variable."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
        settings.store  # noqa: B018 - validates the store part too
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigurationError(f"bad configuration: {problems}") from None
    return settings
