"""Slack's own wording (``wording.toml`` beside this module), loaded and checked once."""

from __future__ import annotations

from typing import Final

from adapters.wording_data import load

FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "type_hint_thread": (),
    "type_hint_command": ("command",),
    "questions_done": (),
    "card_by": ("user",),
    "your_answer": ("label",),
    "sources_origin": ("article",),
    "trimmed": (),
    "post_failed": ("error", "command"),
    "record_as_text": (),
    "home_title": (),
    "home_intro": ("fine_tune", "alternatives"),
    "home_intro_fine_tune": (),
    "home_intro_alternatives": (),
    "home_how": ("command",),
    "home_recent": (),
    "home_recent_none": (),
    "home_recent_item": ("title", "confidence", "channel", "date"),
}

SLACK: Final[dict[str, str]] = load("adapters.slack", FIELDS)
