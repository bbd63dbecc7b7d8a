"""Whole-message commands: "skip", "back", "change latency", "status", ..."""

from __future__ import annotations

import re

from bot.events import Action
from bot.reading.names import factor_from_words
from bot.reading.text import SPACES, normalize

MAX_COMMAND_CHARS = 100
"""A longer message is never a command."""

_COMMANDS: dict[str, str] = {
    "skip": "skip",
    "back": "back",
    "go back": "back",
    "undo": "back",
    "change": "change",
    "restart": "restart",
    "start over": "restart",
    "start again": "restart",
    "reset": "restart",
    "start": "start",
    "begin": "start",
    "why": "why",
    "why do you ask": "why_ask",
    "why are you asking": "why_ask",
    "why this question": "why_ask",
    "why ask": "why_ask",
    "why ask this": "why_ask",
    "help": "help",
    "commands": "help",
    "export": "record",
    "record": "record",
    "decision record": "record",
    "status": "status",
}
"""Whole-message commands (after lower-casing, a leading "/" and trailing "." "!" "?")."""
_CHANGE = re.compile(r"^change\s+(?:my\s+|the\s+)?(?:answer\s+(?:to|for|on)\s+|answer\s+)?(.+)$")
_COMMAND_TRAILER = re.compile(r"[\s.!?]+$")


def parse_command(text: str) -> Action | None:
    """The command a whole message spells, or None for anything else (answers, free questions)."""
    if not isinstance(text, str) or len(text) > MAX_COMMAND_CHARS:
        return None
    core = SPACES.sub(" ", normalize(text)).strip()
    if core.startswith("/"):
        core = core[1:].lstrip()
    core = _COMMAND_TRAILER.sub("", core)
    name = _COMMANDS.get(core)
    if name is not None:
        return Action(name)
    change = _CHANGE.match(core)
    if change is None:
        return None
    factor_id = factor_from_words(change.group(1))
    return Action("change", factor=factor_id) if factor_id else Action("change")
