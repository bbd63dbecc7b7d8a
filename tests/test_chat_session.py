"""`finetune-advisor chat --session ID` resumes a conversation kept in a real Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bot import wording

pytestmark = pytest.mark.redis


def chat(lines: str, session: str, url: str, prefix: str) -> str:
    env = {**os.environ, "REDIS_URL": url, "REDIS_PREFIX": prefix}
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "chat", "--session", session],
        input=lines, capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def test_a_second_process_resumes_where_the_first_stopped(redis_url: str, redis_prefix: str) -> None:
    first = chat("no\n", "s-42", redis_url, redis_prefix)
    assert "Question 1: Would the training data contain private" in first
    second_question = first.split("Question 2: ")[1].splitlines()[0]

    resumed = chat("", "s-42", redis_url, redis_prefix)
    assert f"Question 2: {second_question}" in resumed, "the resumed chat re-shows the pending question"
    assert "Question 1:" not in resumed

    other = chat("", "s-43", redis_url, redis_prefix)
    assert "Question 1:" in other, "another session id is another conversation"


def test_redis_unreachable_gives_the_polite_message_not_a_traceback(redis_prefix: str) -> None:
    out = chat("no\n", "s-1", "redis://127.0.0.1:1/0", redis_prefix)
    assert "I can't reach my memory right now; please try again in a moment." in out


def test_a_conversation_idle_past_its_ttl_is_told_it_expired(redis_url: str, redis_prefix: str) -> None:
    env_ttl = {"CONVERSATION_TTL_S": "3"}  # kept 6 s in Redis, so after ~4 s it is expired but still there
    first = chat_env("no\n", "s-exp", redis_url, redis_prefix, env_ttl)
    assert "Question 2:" in first
    time.sleep(3.5)
    resumed = chat_env("", "s-exp", redis_url, redis_prefix, env_ttl)
    assert wording.EXPIRED in resumed
    assert "Question 1:" in resumed, "it starts over"


def chat_env(lines: str, session: str, url: str, prefix: str, extra: dict[str, str]) -> str:
    env = {**os.environ, "REDIS_URL": url, "REDIS_PREFIX": prefix, **extra}
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "chat", "--session", session],
        input=lines, capture_output=True, text=True, env=env, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
