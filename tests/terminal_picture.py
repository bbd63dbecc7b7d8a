"""The terminal card, captured as a person sees it: ``finetune-advisor chat`` runs in a detached
tmux pane 80 columns wide, the questions are answered with the docs/card.md example, and the
pane (with its colours) is turned into a PNG through rich and headless Chromium.

``python -m tests.terminal_picture`` writes docs/pictures/terminal-card.png and
terminal-details.png. Needs tmux and Chromium.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.terminal_theme import MONOKAI
from rich.text import Text

from bot import wording
from bot.factors import BY_ID
from tests.teams.card_renderer import EXAMPLE_ANSWERS, REPO, _chromium

COLUMNS, ROWS = 80, 200
QUESTION = re.compile(r"Question (\d+): (.+)")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def pane(session: str, ansi: bool = False) -> str:
    return tmux("capture-pane", "-p", *(["-e"] if ansi else []), "-J", "-S", "-", "-t", session)


def wait_until(session: str, done: object, timeout: float = 30) -> str:
    """The pane's text once ``done(text)`` is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = pane(session)
        if done(text):  # type: ignore[operator]
            return text
        time.sleep(0.2)
    raise TimeoutError(f"timed out; the pane shows:\n{pane(session).rstrip()[-2000:]}")


def factor_of(question: str) -> str:
    for factor_id, text in wording.QUESTIONS.items():
        if question.strip().startswith(text[:40]):
            return factor_id
    raise LookupError(question)


def to_png(ansi: str, out: Path) -> None:
    console = Console(width=COLUMNS, record=True, file=open(os.devnull, "w"), force_terminal=True)  # noqa: SIM115
    console.print(Text.from_ansi(ansi), end="")
    html = console.export_html(theme=MONOKAI, inline_styles=True)
    background = MONOKAI.background_color.hex
    html = html.replace("<body", f"<body style=\"margin:0;padding:8px;background:{background}\"", 1)
    lines = ansi.count("\n") + 1
    out.parent.mkdir(parents=True, exist_ok=True)
    _chromium([f"--screenshot={out.resolve()}", f"--window-size={COLUMNS * 10 + 40},{lines * 20 + 40}"], html)


def capture(out_dir: Path) -> None:
    session = f"card-picture-{os.getpid()}"
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS)}
    env.pop("REDIS_URL", None)
    command = f"{REPO / '.venv' / 'bin' / 'finetune-advisor'} chat"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(COLUMNS), "-y", str(ROWS), command],
                   check=True, env=env)
    try:
        text = wait_until(session, lambda t: "Question 1:" in t)
        while "Type details" not in text:
            asked = QUESTION.findall(text)
            factor = factor_of(asked[-1][1])
            number = BY_ID[factor].allowed.index(EXAMPLE_ANSWERS[factor]) + 1
            tmux("send-keys", "-t", session, str(number), "Enter")
            text = wait_until(session, lambda t, n=len(asked): len(QUESTION.findall(t)) > n or "Type details" in t)
        ansi = pane(session, ansi=True)
        start = ansi.rfind(wording.VERDICT_TITLES[_verdict()])
        card = ansi[ansi.rfind("\n", 0, start) + 1 :]
        card = card[: card.index("sources.") + len("sources.")]
        to_png(_finish(card), out_dir / "terminal-card.png")
        print(f"terminal-card.png: {card.count(chr(10)) + 1} lines at {COLUMNS} columns")
        tmux("send-keys", "-t", session, "details", "Enter")
        wait_until(session, lambda t: "All sources:" in t)
        time.sleep(0.5)
        ansi = pane(session, ansi=True)
        details = ansi[ansi.rfind("Details of the recommendation") - 40 :]
        details = details[details.index("\n") + 1 :] if "\n" in details[:40] else details
        to_png(_finish(details.split("\n> ")[0]), out_dir / "terminal-details.png")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)


def _verdict() -> str:
    from adapters.wiring import make_advisor
    from bot.engine import recommend

    return recommend(EXAMPLE_ANSWERS, make_advisor().kb).verdict


def _finish(ansi: str) -> str:
    return ansi.rstrip() + "\x1b[0m"


def main(out_dir: str = "docs/pictures") -> int:
    for tool in ("tmux",):
        if shutil.which(tool) is None:
            print(f"cannot capture: {tool} is not installed", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory():
        capture(REPO / out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
