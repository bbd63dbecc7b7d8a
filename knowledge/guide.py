"""The guide: what the advisor says about questions that are not one knowledge entry.

``knowledge/data/guide.toml`` holds four kinds of items, validated at load against the
knowledge base (see the file's header): section overviews, the article's limits, help entries
about the bot's own terms and moves, and off-topic look-alikes. A broken guide raises
:class:`bot.errors.KnowledgeBaseError` naming every problem, like a broken knowledge base.
"""

from __future__ import annotations

import functools
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import KnowledgeBaseError
from knowledge.base import KnowledgeBase, default_knowledge_base

DEFAULT_GUIDE_PATH: Path = Path(__file__).resolve().parent / "data" / "guide.toml"

HELP_FIELDS: frozenset[str] = frozenset({"prerequisites", "verdicts", "confidence_levels"})
"""The placeholders a help text may use; :mod:`bot.answers` fills them from the rules."""
MAX_OVERVIEW_ENTRIES = 8
PHRASES: dict[str, frozenset[str]] = {
    "limit": frozenset({"topic"}),
    "limit_nearest": frozenset(),
    "no_figures": frozenset(),
    "no_name": frozenset({"name"}),
}
"""The framing sentences the guide must define, with the placeholders each may use."""
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Overview:
    """A section-level question answered by a short list of entries, each point cited."""

    id: str
    intro: str
    entries: tuple[str, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Limit:
    """An on-topic question the article does not answer; ``nearest`` entries say what it does."""

    id: str
    topic: str
    nearest: tuple[str, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HelpEntry:
    """The bot explaining one of its own terms or moves (no article citation)."""

    id: str
    title: str
    text: str
    questions: tuple[str, ...]
    after_verdict: str = ""


@dataclass(frozen=True, slots=True)
class Guide:
    overviews: tuple[Overview, ...]
    limits: tuple[Limit, ...]
    help: tuple[HelpEntry, ...]
    off_topic: tuple[str, ...]
    phrases: Mapping[str, str]

    def help_entry(self, help_id: str) -> HelpEntry:
        for h in self.help:
            if h.id == help_id:
                return h
        raise KeyError(help_id)


_SCHEMA: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required text fields, required list fields, optional text fields)
    "overview": (("id", "intro"), ("entries", "questions"), ()),
    "limit": (("id", "topic"), ("nearest", "questions"), ()),
    "help": (("id", "title", "text"), ("questions",), ("after_verdict",)),
}


def _text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _item_problems(kind: str, raw: Any, kb: KnowledgeBase) -> list[str]:
    if not isinstance(raw, dict):
        return ["not a table"]
    texts, lists, optional = _SCHEMA[kind]
    problems = [f"unknown field {k!r}" for k in sorted(set(raw) - set(texts + lists + optional))]
    for key in texts + optional:
        if (key in texts or key in raw) and not (isinstance(raw.get(key), str) and raw[key].strip()):
            problems.append(f"field {key!r} must be a non-empty string")
    for key in lists:
        if not _text_list(raw.get(key)):
            problems.append(f"field {key!r} must be a list of strings")
    if problems:
        return problems
    if not _ID_RE.match(raw["id"]):
        problems.append(f"id {raw['id']!r} is not kebab-case")
    if not raw["questions"]:
        problems.append("field 'questions' must list at least one question")
    for entry_id in raw.get("entries", []) + raw.get("nearest", []):
        if entry_id not in kb:
            problems.append(f"unknown entry {entry_id!r}")
    if kind == "overview" and not 2 <= len(raw["entries"]) <= MAX_OVERVIEW_ENTRIES:
        problems.append(f"an overview lists 2-{MAX_OVERVIEW_ENTRIES} entries")
    if kind == "help":
        for text in (raw["text"], raw.get("after_verdict", "")):
            try:
                fields = _placeholders(text)
            except ValueError as exc:
                problems.append(f"bad placeholder: {exc}")
                continue
            problems.extend(f"unknown placeholder {{{f}}}" for f in sorted(fields - HELP_FIELDS))
    return problems


def parse_guide(data: Mapping[str, Any], kb: KnowledgeBase, source: str = "<data>") -> Guide:
    """Validate already-parsed TOML data against ``kb``; raises :class:`KnowledgeBaseError`."""
    problems = [f"unknown top-level key {k!r}" for k in sorted(set(data) - {*_SCHEMA, "off_topic", "phrases"})]
    built: dict[str, list[Any]] = {kind: [] for kind in _SCHEMA}
    seen: set[str] = set()
    for kind, cls in (("overview", Overview), ("limit", Limit), ("help", HelpEntry)):
        raws = data.get(kind, [])
        if not isinstance(raws, list) or not raws:
            problems.append(f"no [[{kind}]] tables found")
            continue
        for position, raw in enumerate(raws, start=1):
            item_problems = _item_problems(kind, raw, kb)
            label = f"{kind} {raw.get('id')!r}" if isinstance(raw, dict) and raw.get("id") else f"{kind} #{position}"
            problems.extend(f"{label}: {p}" for p in item_problems)
            if item_problems:
                continue
            if raw["id"] in seen:
                problems.append(f"{label}: duplicate id")
            seen.add(raw["id"])
            fields = {k: (tuple(v) if isinstance(v, list) else " ".join(v.split())) for k, v in raw.items()}
            built[kind].append(cls(**fields))
    off_topic: list[str] = []
    for position, raw in enumerate(data.get("off_topic", []), start=1):
        if not isinstance(raw, dict) or set(raw) != {"questions"} or not _text_list(raw["questions"]):
            problems.append(f"off_topic #{position}: needs exactly a 'questions' list of strings")
        else:
            off_topic.extend(raw["questions"])
    if not off_topic:
        problems.append("no [[off_topic]] questions found")
    phrases = data.get("phrases", {})
    problems.extend(_phrase_problems(phrases))
    if problems:
        raise KnowledgeBaseError(f"invalid guide {source}: " + "; ".join(problems))
    return Guide(
        tuple(built["overview"]), tuple(built["limit"]), tuple(built["help"]), tuple(off_topic),
        {k: " ".join(v.split()) for k, v in phrases.items()},
    )


def _placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a format string; raises ValueError for a malformed one."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def _phrase_problems(phrases: Any) -> list[str]:
    if not isinstance(phrases, dict):
        return ["[phrases] must be a table"]
    problems = [f"phrases: unknown phrase {k!r}" for k in sorted(set(phrases) - set(PHRASES))]
    for key, allowed in PHRASES.items():
        text = phrases.get(key)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"phrases: {key!r} must be a non-empty string")
            continue
        try:
            fields = _placeholders(text)
        except ValueError as exc:
            problems.append(f"phrases: {key!r} has a bad placeholder: {exc}")
            continue
        problems.extend(f"phrases: {key!r} uses unknown placeholder {{{f}}}" for f in sorted(fields - allowed))
    return problems


def load_guide(kb: KnowledgeBase, path: Path | None = None) -> Guide:
    """Read and validate the guide TOML at ``path`` (default: the packaged guide)."""
    source = Path(path) if path is not None else DEFAULT_GUIDE_PATH
    try:
        with source.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot read guide {source}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeBaseError(f"guide {source} is not valid TOML: {exc}") from exc
    return parse_guide(data, kb, source=str(source))


@functools.cache
def default_guide() -> Guide:
    """The packaged guide over the packaged knowledge base, loaded and validated once."""
    return load_guide(default_knowledge_base())
