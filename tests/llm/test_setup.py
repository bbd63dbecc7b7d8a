"""Configuration, start-up and the promise that nothing changes (or is imported) without a model."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from adapters.config_check import report
from adapters.llm import build_language_model
from adapters.llm.config import PROVIDER_PACKAGES
from adapters.llm.model import LanguageModel
from adapters.settings import load_settings
from adapters.wiring import make_advisor
from bot.errors import ConfigurationError
from tests.llm.conftest import llm_settings
from tests.llm.stand_in import UNDERSTANDING, understood

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_settings_read_and_check_the_llm_variables() -> None:
    plain = load_settings(_env_file=None)
    assert (plain.llm_model, plain.llm_base_url, plain.llm_timeout_s, plain.llm_max_tokens, plain.llm_api_key) == (None, None, 8.0, None, None)
    blank = load_settings(_env_file=None, LLM_MODEL="", LLM_BASE_URL=" ", LLM_MAX_TOKENS="", LLM_API_KEY="")
    assert (blank.llm_model, blank.llm_base_url, blank.llm_max_tokens, blank.llm_api_key) == (None, None, None, None)
    full = load_settings(_env_file=None, LLM_MODEL="ollama:llama3.1:8b", LLM_TIMEOUT_S="3.5", LLM_MAX_TOKENS="400")
    assert (full.llm_model, full.llm_timeout_s, full.llm_max_tokens) == ("ollama:llama3.1:8b", 3.5, 400)
    for bad in ({"LLM_MODEL": "gpt-4o-mini"}, {"LLM_MODEL": "openai:"}, {"LLM_TIMEOUT_S": "0"}, {"LLM_MAX_TOKENS": "0"}):
        with pytest.raises(ConfigurationError) as caught:
            load_settings(_env_file=None, **bad)
        assert next(iter(bad)) in str(caught.value)


def test_config_check_says_whether_a_model_is_configured(stand_in) -> None:
    assert "Language model: off (LLM_MODEL unset; nothing is sent to any model provider)" in report(load_settings(_env_file=None))
    shown = report(llm_settings(stand_in))
    assert f"Language model: openai:gpt-4o-mini at {stand_in.base_url}, timeout 2 s per turn; ready" in shown
    assert "LLM_API_KEY" in shown and "sk-test-not-a-real-key" not in shown


def _a_missing_provider() -> str:
    for provider, (module, _) in PROVIDER_PACKAGES.items():
        if importlib.util.find_spec(module) is None:
            return provider
    pytest.skip("every provider package is installed here")


def test_a_missing_provider_package_names_the_extra_to_install() -> None:
    provider = _a_missing_provider()
    settings = load_settings(_env_file=None, LLM_MODEL=f"{provider}:some-model")
    with pytest.raises(ConfigurationError) as caught:
        build_language_model(settings, make_advisor().kb)
    assert f"pip install 'finetune-advisor[{PROVIDER_PACKAGES[provider][1]}]'" in str(caught.value)
    assert "unset LLM_MODEL" in str(caught.value)
    assert "missing" in report(settings) and f"finetune-advisor[{PROVIDER_PACKAGES[provider][1]}]" in report(settings)


def test_serve_refuses_to_start_without_the_provider_package() -> None:
    provider = _a_missing_provider()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "SLACK_", "MICROSOFT_", "REDIS_URL"))}
    env["LLM_MODEL"] = f"{provider}:some-model"
    done = subprocess.run([sys.executable, "-m", "adapters.cli", "serve", "--port", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("finetune-advisor: LLM_MODEL=") and "Traceback" not in done.stderr
    assert f"finetune-advisor[{PROVIDER_PACKAGES[provider][1]}]" in done.stderr


def test_an_unknown_provider_is_a_configuration_error() -> None:
    settings = load_settings(_env_file=None, LLM_MODEL="nosuchprovider:model")
    with pytest.raises(ConfigurationError, match="langchain-nosuchprovider"):
        build_language_model(settings, make_advisor().kb)


async def test_the_service_app_uses_the_model_when_configured(stand_in, embedded_store) -> None:
    from adapters.server import build_app

    plain = build_app(load_settings(_env_file=None), embedded_store)
    from adapters.server import SERVICE

    assert plain[SERVICE].llm is None
    app = build_app(llm_settings(stand_in), embedded_store)
    llm = app[SERVICE].llm
    assert isinstance(llm, LanguageModel) and llm.config.timeout_s == 2
    await llm.aclose()


NO_MODEL_SCRIPT = r"""
import asyncio, json, sys
from adapters.server import build_app, SERVICE
from adapters.settings import load_settings
from bot.events import Action, ConversationKey, InboundEvent

async def main():
    app = build_app(load_settings(_env_file=None))
    service = app[SERVICE]
    key = ConversationKey("test", "T", "C", "", "U")
    texts = ["people lose patience if the thing makes them wait around", "why does latency matter?", "no"]
    await service.handle(InboundEvent(key, "U", "e0", action=Action("start")))
    for i, text in enumerate(texts):
        await service.handle(InboundEvent(key, "U", f"e{i + 1}", text=text))
    await service.store.close()
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("langchain", "langchain_openai", "langchain_anthropic", "langchain_ollama", "openai", "langgraph", "anthropic", "ollama"))
    print(json.dumps({"llm": service.llm is None, "loaded": loaded}))

asyncio.run(main())
"""


def test_without_llm_model_nothing_is_imported_from_langchain() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "REDIS_URL"))}
    done = subprocess.run([sys.executable, "-c", NO_MODEL_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"llm": True, "loaded": []}


async def test_the_chat_uses_the_model_through_the_same_service(stand_in) -> None:
    stand_in.prepare(UNDERSTANDING, understood(("latency_critical", "yes", "people lose patience")))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "REDIS_URL"))}
    env.update({"LLM_MODEL": "openai:gpt-4o-mini", "LLM_BASE_URL": stand_in.base_url, "LLM_API_KEY": "sk-test"})
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", "chat", cwd=ROOT, env=env,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(b"restart\npeople lose patience if the thing makes them wait around\n"), 60)
    assert proc.returncode == 0, err.decode()
    assert 'Latency critical = Yes, from "people lose patience"' in out.decode()
    assert len(stand_in.calls(UNDERSTANDING)) == 1
