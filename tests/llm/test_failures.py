"""Failures fall back to the rule-based path within the turn's budget: one log line without the
user's text, and a metric, per failed call."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from prometheus_client import REGISTRY

from adapters.llm.model import Budget
from adapters.service import TurnService
from adapters.wiring import make_advisor
from bot.engine import Citation
from bot.replies import Text
from knowledge import default_knowledge_base
from tests.llm.conftest import Person, language_model
from tests.llm.stand_in import (
    PHRASING, UNDERSTANDING, answered, broken_tool_call, content, error, garbage, understood,
)
from tests.llm.test_understanding import LOOSE_LATENCY

SECRET_WORDS = "the thing makes them wait around"  # part of LOOSE_LATENCY: must never be logged


def fallbacks(purpose: str, reason: str) -> float:
    return REGISTRY.get_sample_value("ftadvisor_llm_fallbacks_total", {"purpose": purpose, "reason": reason}) or 0.0


def calls(purpose: str) -> float:
    return REGISTRY.get_sample_value("ftadvisor_llm_calls_total", {"purpose": purpose}) or 0.0


def logged(record: logging.LogRecord) -> str:
    return record.getMessage() + " " + " ".join(f"{k}={v}" for k, v in record.__dict__.items())


@pytest.mark.parametrize(("prepared", "reason"), [
    (error(500), "http_error"),
    (error(503), "http_error"),
    (error(429, "slow down"), "rate_limit"),
    (content("I think they might want to fine-tune, who knows"), "malformed"),
    (broken_tool_call(), "malformed"),
    (garbage(), "malformed"),
], ids=["500", "503", "429", "prose", "broken-tool-call", "not-json"])
async def test_a_failed_reading_falls_back_to_the_rules(
    with_model, without_model, stand_in, thread, caplog, prepared, reason,
) -> None:
    stand_in.prepare(UNDERSTANDING, prepared)
    before, attempts = fallbacks("understanding", reason), calls("understanding")
    with caplog.at_level(logging.INFO):
        handled = await Person(with_model(), thread).say(LOOSE_LATENCY)
    plain = await Person(without_model, thread + "-plain").say(LOOSE_LATENCY)

    assert handled.outcome == "ok" and handled.hints == 0
    assert [r.plain_text() for r in handled.replies] == [r.plain_text() for r in plain.replies]
    assert fallbacks("understanding", reason) == before + 1 and calls("understanding") == attempts + 1
    lines = [r for r in caplog.records if r.name == "finetune_advisor.llm"]
    assert len(lines) == 1 and lines[0].getMessage() == "llm fallback" and lines[0].reason == reason
    assert lines[0].levelno == logging.WARNING
    assert not any(SECRET_WORDS in logged(r) for r in caplog.records), "the user's text is never logged"


async def test_a_slow_model_times_out_within_the_turns_budget(with_model, without_model, stand_in, thread, caplog) -> None:
    stand_in.prepare(UNDERSTANDING, understood(("latency_critical", "yes", "people lose patience")).slow(5))
    before = fallbacks("understanding", "timeout")
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="finetune_advisor.llm"):
        handled = await Person(with_model(LLM_TIMEOUT_S="0.4"), thread).say(LOOSE_LATENCY)
    elapsed = time.perf_counter() - started
    plain = await Person(without_model, thread + "-plain").say(LOOSE_LATENCY)

    assert 0.35 < elapsed < 1.5, elapsed
    assert handled.replies == plain.replies and handled.hints == 0
    assert fallbacks("understanding", "timeout") == before + 1
    assert [r.reason for r in caplog.records if r.name == "finetune_advisor.llm"] == ["timeout"]


@pytest.mark.parametrize(("prepared", "reason"), [
    (error(500), "http_error"),
    (error(429), "rate_limit"),
    (answered("Fast is good.", "lower-latency").slow(5), "timeout"),
    (content("no structure here"), "malformed"),
    (answered(""), "malformed"),
], ids=["500", "429", "timeout", "prose", "empty"])
async def test_a_failed_phrasing_keeps_the_rule_based_answer(with_model, without_model, stand_in, thread, prepared, reason) -> None:
    stand_in.prepare(PHRASING, prepared)
    before = fallbacks("phrasing", reason)
    started = time.perf_counter()
    handled = await Person(with_model(LLM_TIMEOUT_S="0.4"), thread).say("why does latency matter?")
    assert time.perf_counter() - started < 1.5
    plain = await Person(without_model, thread + "-plain").say("why does latency matter?")
    assert handled.replies == plain.replies and handled.phrased == ()
    assert isinstance(handled.replies[0], Text) and handled.replies[0].citations
    assert fallbacks("phrasing", reason) == before + 1


async def test_an_unreachable_endpoint_is_a_connection_failure(embedded_store, stand_in, thread) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    stand_in.base_url = f"http://127.0.0.1:{port}/v1"
    llm = language_model(stand_in)
    before = fallbacks("understanding", "connection")
    try:
        handled = await Person(TurnService(make_advisor(), embedded_store, llm), thread).say(LOOSE_LATENCY)
    finally:
        await llm.aclose()
    assert handled.outcome == "ok" and handled.hints == 0
    assert fallbacks("understanding", "connection") == before + 1


async def test_a_spent_budget_starts_no_call(with_model, stand_in) -> None:
    llm = with_model().llm
    before = fallbacks("phrasing", "budget")
    entry = default_knowledge_base().get("lower-latency")
    draft = Text("Fine-tuned models answer in one call.", (Citation(entry.id, entry.title, entry.section),))
    replies, phrased = await llm.phrase([draft], question="why?", answers={}, budget=Budget(0.0), context={})
    assert replies == [draft] and phrased == ()
    assert stand_in.requests == [] and fallbacks("phrasing", "budget") == before + 1
