"""Fixtures: the stand-in model endpoint over real HTTP, and turn services with and without it.

The language model is the real ``langchain-openai`` client (through ``init_chat_model``) pointed
at the stand-in with ``LLM_BASE_URL``.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from adapters.llm import build_language_model
from adapters.llm.client import build_chat_model
from adapters.llm.config import config_from_settings
from adapters.llm.model import LanguageModel
from adapters.service import Handled, TurnService
from adapters.settings import Settings, load_settings
from adapters.wiring import make_advisor
from bot.events import Action, ConversationKey, InboundEvent
from store import RedisStore
from tests.llm.stand_in import StandIn

LLM_ENV = ("LLM_MODEL", "LLM_BASE_URL", "LLM_TIMEOUT_S", "LLM_MAX_TOKENS", "LLM_API_KEY")


def forget_http_clients() -> None:
    """langchain-openai caches one httpx client per base URL and timeout; a later test's
    stand-in may get the same port under a new event loop, so start from a clean cache."""
    try:
        from langchain_openai.chat_models import _client_utils
    except ImportError:  # pragma: no cover - langchain-openai is a test extra
        return
    for name in ("_cached_async_httpx_client", "_cached_sync_httpx_client"):
        cached = getattr(_client_utils, name, None)
        if cached is not None and hasattr(cached, "cache_clear"):
            cached.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _built_index() -> None:
    """Build the retrieval index once, as the server does before it reports ready, so a turn's
    model budget (LLM_TIMEOUT_S, as low as 0.4 s here) is never spent building it."""
    make_advisor().index()


@pytest.fixture(autouse=True)
def _clean_llm_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def stand_in() -> AsyncIterator[StandIn]:
    fake = await StandIn().start()
    yield fake
    await fake.stop()
    forget_http_clients()


def llm_settings(stand_in: StandIn, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "LLM_MODEL": "openai:gpt-4o-mini",
        "LLM_BASE_URL": stand_in.base_url,
        "LLM_API_KEY": "sk-test-not-a-real-key",
        "LLM_TIMEOUT_S": "2",
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)


def language_model(stand_in: StandIn, method: str = "function_calling", **overrides: Any) -> LanguageModel:
    settings = llm_settings(stand_in, **overrides)
    if method == "function_calling":
        llm = build_language_model(settings, make_advisor().kb)
        assert llm is not None
        return llm
    config = replace(config_from_settings(settings), structured_method=method)  # type: ignore[type-var]
    return LanguageModel(config, build_chat_model(config), make_advisor().kb)


@pytest.fixture
async def with_model(stand_in: StandIn, embedded_store: RedisStore) -> AsyncIterator[Callable[..., TurnService]]:
    """``with_model(**settings)``: a TurnService over the embedded store with the model."""
    made: list[LanguageModel] = []

    def make(method: str = "function_calling", **overrides: Any) -> TurnService:
        made.append(language_model(stand_in, method, **overrides))
        return TurnService(make_advisor(), embedded_store, made[-1])

    yield make
    for llm in made:  # close the HTTP clients while this test's event loop still runs
        await llm.aclose()
    forget_http_clients()


@pytest.fixture
def without_model(embedded_store: RedisStore) -> TurnService:
    return TurnService(make_advisor(), embedded_store)


_ids = itertools.count()


class Person:
    """Types and presses in one conversation through a service."""

    def __init__(self, service: TurnService, thread: str, user: str = "U1", owner: str | None = None) -> None:
        self.service = service
        self.user = user
        self.key = ConversationKey("test", "T1", "C1", thread, owner or user)

    async def say(self, text: str) -> Handled:
        return await self.service.handle(InboundEvent(self.key, self.user, f"ev-{next(_ids)}", text=text))

    async def press(self, name: str, factor: str = "", value: str = "") -> Handled:
        return await self.service.handle(InboundEvent(self.key, self.user, f"ev-{next(_ids)}", action=Action(name, factor, value)))


@pytest.fixture
def thread() -> Iterator[str]:
    yield f"th-{next(_ids)}"
