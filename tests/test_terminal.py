"""The terminal chat as a person meets it: a real pseudo-terminal (pexpect), keys and all.

Ctrl-C ends the chat at once wherever it lands (at the prompt, or in the middle of a turn that
waits on a slow model), with exit 130 and a goodbye; Ctrl-D and ``quit`` end it with exit 0; the
goodbye says what was kept (with Redis: the session id and how to resume, checked by resuming);
``export`` writes the decision record to a file and shows its Markdown without borders.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pexpect
import pytest

from adapters import terminal_wording
from bot import wording
from bot.errors import StoreError
from bot.factors import BY_ID
from tests.llm.stand_in import UNDERSTANDING, StandIn, understood

_SCRIPT = Path(sys.executable).with_name("finetune-advisor")
COMMAND: list[str] = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "adapters.cli"]
REPO = Path(__file__).resolve().parents[1]
FIRST_QUESTION = f"Question 1: {wording.QUESTIONS['sensitive_data']}"
#: "Yes" to raw personal data settles the verdict (avoid) after one question.
RAW_DATA_YES = str(BY_ID["sensitive_data"].allowed.index("yes") + 1)
BORDERS = set("│╭╮╰╯─┃━┏┓┗┛")
WAIT_S = 30
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plain(text: str) -> str:
    """Terminal output without its style escapes (rich dims and bolds even with NO_COLOR)."""
    return ANSI.sub("", text)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "LLM_"))}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "COLUMNS": "120", "LINES": "40"})
    env.update(extra)
    return env


class Terminal:
    """One ``finetune-advisor chat`` on a pseudo-terminal."""

    def __init__(self, cwd: Path, env: Mapping[str, str], *args: str) -> None:
        self.child = pexpect.spawn(COMMAND[0], [*COMMAND[1:], "chat", *args], cwd=str(cwd), env=dict(env),
                                   encoding="utf-8", dimensions=(40, 120), timeout=WAIT_S)
        self.seen = ""

    def expect(self, text: str) -> str:
        """Wait for ``text``; everything printed up to and including it."""
        self.child.expect_exact(text)
        chunk = plain(self.child.before + self.child.after)
        self.seen += chunk
        return chunk

    def prompt(self) -> None:
        self.expect("> ")

    def send(self, line: str) -> None:
        self.child.sendline(line)

    def finish(self) -> tuple[str, int | None]:
        """The rest of the output and the exit status once the process has ended."""
        self.child.expect(pexpect.EOF)
        rest = plain(self.child.before)
        self.seen += rest
        self.child.close()
        return rest, self.child.exitstatus

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture
def terminals(tmp_path: Path) -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def open_terminal(opened: list[Terminal], cwd: Path, env: Mapping[str, str], *args: str) -> Terminal:
    terminal = Terminal(cwd, env, *args)
    opened.append(terminal)
    return terminal


def test_one_ctrl_c_at_the_prompt_ends_the_chat(tmp_path: Path, terminals: list[Terminal]) -> None:
    term = open_terminal(terminals, tmp_path, _env())
    term.expect(FIRST_QUESTION)
    term.prompt()
    term.child.sendintr()
    started = time.monotonic()
    rest, status = term.finish()
    assert status == 130
    assert time.monotonic() - started < 5, "the process waited for more input after Ctrl-C"
    assert terminal_wording.GOODBYE_NOT_KEPT in rest
    assert "Traceback" not in term.seen and "KeyboardInterrupt" not in term.seen


async def test_one_ctrl_c_during_a_slow_turn_ends_the_chat(tmp_path: Path, terminals: list[Terminal]) -> None:
    """A description the rules cannot read waits on the model (10 s here); Ctrl-C cuts it short."""
    model = await StandIn().start()
    try:
        model.prepare(UNDERSTANDING, understood(("latency_critical", "yes", "patience")).slow(10))
        env = _env(LLM_MODEL="openai:gpt-4o-mini", LLM_BASE_URL=model.base_url, LLM_API_KEY="sk-test", LLM_TIMEOUT_S="20")
        term = open_terminal(terminals, tmp_path, env)
        await asyncio.to_thread(term.expect, FIRST_QUESTION)
        await asyncio.to_thread(term.prompt)
        term.send("people lose patience if the thing makes them wait around")
        for _ in range(200):  # until the model has been asked: the turn is under way
            if model.calls(UNDERSTANDING):
                break
            await asyncio.sleep(0.05)
        assert model.calls(UNDERSTANDING), "the model was never asked"
        term.child.sendintr()
        started = time.monotonic()
        rest, status = await asyncio.to_thread(term.finish)
        assert status == 130 and time.monotonic() - started < 5
        assert terminal_wording.GOODBYE_NOT_KEPT in rest and "Traceback" not in term.seen
    finally:
        await model.stop()


def test_ctrl_d_mid_conversation_ends_the_line_and_says_goodbye(tmp_path: Path, terminals: list[Terminal]) -> None:
    term = open_terminal(terminals, tmp_path, _env())
    term.expect(FIRST_QUESTION)
    term.prompt()
    term.send("1")  # "No" to personal data: the conversation goes on
    term.expect("Question 2: ")
    term.prompt()
    term.child.sendeof()
    rest, status = term.finish()
    assert status == 0
    # the goodbye starts on a line of its own, not after the prompt
    assert re.match(r"\s*\r?\n" + re.escape(terminal_wording.GOODBYE_NOT_KEPT), rest), repr(rest[:200])


def test_quit_says_nothing_was_kept_without_redis(tmp_path: Path, terminals: list[Terminal]) -> None:
    term = open_terminal(terminals, tmp_path, _env())
    term.prompt()
    term.send("quit")
    rest, status = term.finish()
    assert status == 0 and terminal_wording.GOODBYE_NOT_KEPT in rest
    assert "--session" not in term.seen


@pytest.mark.redis
def test_with_redis_the_goodbye_names_the_session_and_resuming_works(
    tmp_path: Path, terminals: list[Terminal], redis_url: str, redis_prefix: str,
) -> None:
    env = _env(REDIS_URL=redis_url, REDIS_PREFIX=redis_prefix)
    term = open_terminal(terminals, tmp_path, env)
    opening = term.expect(FIRST_QUESTION)
    assert re.search(r"Session ([0-9a-f]{12}), kept in Redis: `\S*finetune-advisor chat --session \1`", opening), opening
    term.prompt()
    term.send("1")
    term.expect("Question 2: ")
    term.prompt()
    term.send("quit")
    rest, status = term.finish()
    assert status == 0
    assert "Your answers are kept in Redis for 7 days" in rest
    found = re.search(r"(\S*finetune-advisor) chat --session ([0-9a-f]{12})", rest)
    assert found, rest
    assert found.group(2) in opening  # the same session as announced at the start
    # the command it prints resumes the conversation: one answer given, question 2 pending
    resumed = subprocess.run([*COMMAND, "chat", "--session", found.group(2)], input="status\n", text=True,
                             capture_output=True, cwd=tmp_path, env=env, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    assert wording.STATUS_ASKING.format(answered=1, question="")[:45] in resumed.stdout, resumed.stdout[:800]
    assert found.group(2) in resumed.stderr  # its own goodbye names the same session


def _today_record(directory: Path) -> Path:
    return directory / f"finetune-decision-{datetime.now(UTC):%Y-%m-%d}.md"


def test_export_writes_the_record_and_shows_clean_markdown(tmp_path: Path, terminals: list[Terminal]) -> None:
    term = open_terminal(terminals, tmp_path, _env())
    term.expect(FIRST_QUESTION)
    term.prompt()
    term.send(RAW_DATA_YES)
    term.expect("Type details for")
    term.prompt()
    term.send("export")
    shown = term.expect(terminal_wording.RECORD_SAVED.split("{")[0])
    term.expect(".md")
    term.prompt()
    record = _today_record(tmp_path)
    assert record.is_file(), sorted(p.name for p in tmp_path.iterdir())
    assert f"./{record.name}" in term.seen
    term.send("export")  # a second export never overwrites the first
    term.expect(terminal_wording.RECORD_SAVED.split("{")[0])
    term.prompt()
    term.send("quit")
    term.finish()
    second = record.with_name(record.stem + "-2.md")
    assert second.is_file() and second.read_text() == record.read_text()
    markdown = record.read_text(encoding="utf-8")
    assert "(`avoid`)" in markdown
    printed = term.seen[term.seen.index(shown) + len(shown):]
    # every line of the file is on screen as it is in the file, with no box drawn around it
    screen_lines = [line.rstrip() for line in printed.replace("\r", "").splitlines()]
    for line in markdown.splitlines():
        if line.strip():
            assert line.rstrip() in screen_lines, f"not shown as is: {line!r}"
    assert not BORDERS & set(printed.split(terminal_wording.RECORD_SAVED.split("{")[0])[0])


def test_piped_export_goes_to_out(tmp_path: Path) -> None:
    out = tmp_path / "decisions"
    done = subprocess.run([*COMMAND, "chat", "--out", str(out)], input=f"{RAW_DATA_YES}\nexport\n", text=True,
                          capture_output=True, cwd=tmp_path, env=_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    record = _today_record(out)
    assert record.is_file()
    assert terminal_wording.RECORD_SAVED.format(path=f"./decisions/{record.name}") in done.stdout
    assert record.read_text(encoding="utf-8") in done.stdout
    assert terminal_wording.GOODBYE_NOT_KEPT in done.stderr
    assert list(tmp_path.iterdir()) == [out]  # nothing else written to the current directory


def test_export_into_an_unwritable_place_still_shows_the_record(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    done = subprocess.run([*COMMAND, "chat", "--out", str(blocked)], input=f"{RAW_DATA_YES}\nexport\n", text=True,
                          capture_output=True, cwd=tmp_path, env=_env(), timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Could not save the decision record" in done.stdout and "# " in done.stdout
    assert "Traceback" not in done.stderr


def test_with_redis_unreachable_the_goodbye_does_not_claim_anything_was_kept(tmp_path: Path) -> None:
    env = _env(REDIS_URL="redis://127.0.0.1:9/0", REDIS_TIMEOUT_S="0.2")  # nothing listens on port 9
    done = subprocess.run([*COMMAND, "chat"], input="1\n", text=True, capture_output=True, cwd=tmp_path, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert StoreError.user_message in done.stdout  # each turn said so
    assert terminal_wording.GOODBYE_NOTHING_YET in done.stderr and "--session" not in done.stderr
