"""Teams' own wording (``wording.toml`` beside this module), loaded and checked once."""

from __future__ import annotations

from typing import Final

from adapters.wording_data import load

FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "your_answers": (),
    "show_details": (),
    "sources_origin": ("article",),
}

TEAMS: Final[dict[str, str]] = load("adapters.teams", FIELDS)
