"""Platform wording as data: a TOML table of named strings per adapter, checked at load.

Each adapter keeps what only it says (Slack's home tab and slash-command hints, Teams' card
labels) in ``adapters/<platform>/wording.toml``; the shared sentences stay in ``bot/``.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterable, Mapping
from importlib.resources import files


class WordingError(ValueError):
    """A platform wording file is missing a string, has an unknown one, or a bad placeholder."""


def check(name: str, data: Mapping[str, object], fields: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """``data`` must hold exactly the keys of ``fields``, each a non-empty string whose
    ``{placeholders}`` are exactly the field's."""
    missing = sorted(set(fields) - set(data))
    extra = sorted(set(data) - set(fields))
    if missing or extra:
        raise WordingError(f"{name}: missing {missing}, unknown {extra}")
    out: dict[str, str] = {}
    for key, wanted in fields.items():
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            raise WordingError(f"{name}: {key} must be a non-empty string")
        used = {f for _, f, _, _ in string.Formatter().parse(value) if f}
        if used != set(wanted):
            raise WordingError(f"{name}: {key} uses placeholders {sorted(used)}, expected {sorted(wanted)}")
        out[key] = value
    return out


def load(package: str, fields: Mapping[str, Iterable[str]], filename: str = "wording.toml") -> dict[str, str]:
    raw = files(package).joinpath(filename).read_text(encoding="utf-8")
    return check(f"{package}/{filename}", tomllib.loads(raw), fields)
