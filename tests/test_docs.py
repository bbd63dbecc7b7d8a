"""The README stays a newcomer's first page: short, the two set-up commands, the card, the
everyday commands run from .venv, and where to read next; the rest lives in docs/."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.cli import COMMANDS

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
MAX_README_LINES = 170  # about 150, with room for each part's few lines of figures


def test_the_readme_is_short() -> None:
    assert len(README.splitlines()) <= MAX_README_LINES


def test_the_readme_has_the_two_set_up_commands_and_the_card() -> None:
    assert "    bash scripts/chat.sh\n" in README and "    bash scripts/test.sh\n" in README
    assert "](docs/pictures/terminal-card.png)" in README and "](docs/pictures/teams-recommendation.png)" in README


def test_the_readme_says_how_to_run_the_command_from_the_venv() -> None:
    assert ".venv/bin/finetune-advisor" in README and "source .venv/bin/activate" in README
    shown = set(re.findall(r"`finetune-advisor ([a-z-]+)", README))
    assert {"chat", "ask", "recommend", "kb", "config", "serve"} <= shown <= set(COMMANDS)


def test_every_docs_page_the_readme_links_to_is_in_docs() -> None:
    linked = set(re.findall(r"\]\(docs/([a-z-]+\.md)", README))
    ours = {"index.md", "contracts.md", "slack.md", "teams.md", "llm.md", "operations.md", "architecture.md", "contributing.md"}
    assert ours <= linked
    for page in ours:
        assert (REPO / "docs" / page).is_file(), page
    # the pages other parts of the project write are linked too
    assert {"rules.md", "conversation.md", "card.md", "answers.md", "limits.md"} <= linked
