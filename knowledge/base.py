"""The curated knowledge base: types, loading and validation.

The base lives in ``knowledge/data/entries.toml`` and is reviewed like code. Loading validates
the whole file and raises :class:`bot.errors.KnowledgeBaseError` naming every bad entry (by id,
or by position when the id is missing), so a broken base never reaches a conversation.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import KnowledgeBaseError
from bot.factors import FACTOR_IDS, factor

DEFAULT_PATH: Path = Path(__file__).resolve().parent / "data" / "entries.toml"

ARTICLE_TITLE = "When to use fine tuning for LLMs"
SECTIONS: tuple[str, ...] = (
    "What does it mean to fine tune an LLM?",
    "What data do you need to fine tune an LLM?",
    "Advantages and disadvantages of fine tuning LLMs",
    "Advantages of fine tuning LLMs",
    "Disadvantages of fine tuning LLMs",
    "When to fine tune LLMs",
    "When not to fine tune LLMs",
)
"""The headings of the source article; every entry's ``section`` must be one of them."""

STANCES: tuple[str, ...] = ("for", "against", "neutral")
"""An entry's stance toward fine-tuning."""

MIN_BODY_SENTENCES, MAX_BODY_SENTENCES = 2, 5

_REQUIRED_TEXT = ("id", "title", "section", "stance", "summary", "body")
_REQUIRED_LISTS = ("factors",)
_OPTIONAL_LISTS = ("primary_for", "keywords", "questions")
MAX_QUESTIONS = 16
_KNOWN_KEYS = frozenset(_REQUIRED_TEXT + _REQUIRED_LISTS + _OPTIONAL_LISTS)
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class Entry:
    """One curated fact from the article, in our own words."""

    id: str
    title: str
    section: str
    stance: str
    factors: tuple[str, ...]
    primary_for: tuple[str, ...]
    summary: str
    body: str
    keywords: tuple[str, ...]
    questions: tuple[str, ...] = ()
    """A few questions this entry answers, in our own words (retrieval matches them)."""


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """A validated, immutable set of entries in file order; see :func:`load_knowledge_base`."""

    entries: tuple[Entry, ...]

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return any(e.id == entry_id for e in self.entries)

    def get(self, entry_id: str) -> Entry:
        """The entry with ``entry_id``; raises ``KeyError`` if there is none."""
        found = self.find(entry_id)
        if found is None:
            raise KeyError(entry_id)
        return found

    def find(self, entry_id: str) -> Entry | None:
        """The entry with ``entry_id``, or ``None``."""
        return next((e for e in self.entries if e.id == entry_id), None)

    def for_factor(self, factor_id: str, stance: str | None = None) -> tuple[Entry, ...]:
        """Entries that speak to ``factor_id`` (optionally only with ``stance``), in file order.

        Raises :class:`bot.errors.InvalidAnswers` for an unknown factor and ``ValueError`` for a
        stance that is not one of :data:`STANCES`.
        """
        factor(factor_id)
        if stance is not None and stance not in STANCES:
            raise ValueError(f"unknown stance {stance!r}; allowed: {', '.join(STANCES)}")
        return tuple(
            e
            for e in self.entries
            if factor_id in e.factors and (stance is None or e.stance == stance)
        )

    def primary(self, factor_id: str) -> Entry:
        """The entry that explains why the advisor asks about ``factor_id``."""
        factor(factor_id)
        for e in self.entries:
            if factor_id in e.primary_for:
                return e
        raise KeyError(f"no entry is primary_for {factor_id!r}")


def count_sentences(text: str) -> int:
    """Number of sentences in ``text`` (split after ``.``, ``!`` or ``?`` before a capital)."""
    return len([s for s in _SENTENCE_END_RE.split(text.strip()) if s.strip()])


def _label(raw: Mapping[str, Any], position: int) -> str:
    """How an error names an entry: its id, or its 1-based position if the id is unusable."""
    entry_id = raw.get("id")
    if isinstance(entry_id, str) and entry_id.strip():
        return f"entry {entry_id!r}"
    return f"entry #{position} (no id)"


def _entry_problems(raw: Mapping[str, Any]) -> list[str]:
    """Every problem with one raw entry on its own (cross-entry rules are checked elsewhere)."""
    problems: list[str] = []
    for key in sorted(set(raw) - _KNOWN_KEYS):
        problems.append(f"unknown field {key!r}")
    for key in _REQUIRED_TEXT:
        value = raw.get(key)
        if value is None:
            problems.append(f"missing field {key!r}")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"field {key!r} must be a non-empty string")
    for key in _REQUIRED_LISTS + _OPTIONAL_LISTS:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(f"field {key!r} must be a list of non-empty strings")
    if problems:
        return problems

    if not _ID_RE.match(raw["id"]):
        problems.append(f"id {raw['id']!r} is not kebab-case")
    if raw["stance"] not in STANCES:
        problems.append(f"bad stance {raw['stance']!r}; allowed: {', '.join(STANCES)}")
    if raw["section"] not in SECTIONS:
        problems.append(f"section {raw['section']!r} is not a heading of the article")
    if not raw["factors"] and raw["stance"] != "neutral":
        problems.append("field 'factors' must list at least one factor (only a neutral entry may list none)")
    if len(raw.get("questions", [])) > MAX_QUESTIONS:
        problems.append(f"field 'questions' lists more than {MAX_QUESTIONS} questions")
    for key in ("factors", "primary_for"):
        for fid in raw.get(key, []):
            if fid not in FACTOR_IDS:
                problems.append(f"unknown factor {fid!r} in {key!r}")
    for fid in raw.get("primary_for", []):
        if fid not in raw["factors"]:
            problems.append(f"primary_for factor {fid!r} is not listed in 'factors'")
    sentences = count_sentences(raw["body"])
    if not MIN_BODY_SENTENCES <= sentences <= MAX_BODY_SENTENCES:
        problems.append(
            f"body has {sentences} sentence(s); it needs {MIN_BODY_SENTENCES}-{MAX_BODY_SENTENCES}"
        )
    return problems


def _to_entry(raw: Mapping[str, Any]) -> Entry:
    """Build an :class:`Entry` from a raw entry that passed :func:`_entry_problems`."""
    return Entry(
        id=raw["id"].strip(),
        title=raw["title"].strip(),
        section=raw["section"],
        stance=raw["stance"],
        factors=tuple(raw["factors"]),
        primary_for=tuple(raw.get("primary_for", ())),
        summary=raw["summary"].strip(),
        body=" ".join(raw["body"].split()),
        keywords=tuple(k.strip() for k in raw.get("keywords", ())),
        questions=tuple(" ".join(q.split()) for q in raw.get("questions", ())),
    )


def _base_problems(entries: tuple[Entry, ...]) -> list[str]:
    """Rules over the whole base: unique ids, every factor covered and primary exactly once."""
    problems: list[str] = []
    seen: set[str] = set()
    for e in entries:
        if e.id in seen:
            problems.append(f"entry {e.id!r}: duplicate id")
        seen.add(e.id)
    for fid in FACTOR_IDS:
        if not any(fid in e.factors for e in entries):
            problems.append(f"factor {fid!r} is not covered by any entry")
        owners = [e.id for e in entries if fid in e.primary_for]
        if len(owners) != 1:
            named = ", ".join(repr(o) for o in owners) or "none"
            problems.append(
                f"factor {fid!r} must be primary_for exactly one entry; "
                f"found {len(owners)} ({named})"
            )
    return problems


def parse_knowledge_base(data: Mapping[str, Any], source: str = "<data>") -> KnowledgeBase:
    """Validate already-parsed TOML data and build the base; raises :class:`KnowledgeBaseError`."""
    problems: list[str] = [f"unknown top-level key {k!r}" for k in sorted(set(data) - {"entry"})]
    raw_entries = data.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        problems.append("no [[entry]] tables found")
        raw_entries = []
    entries: list[Entry] = []
    for position, raw in enumerate(raw_entries, start=1):
        if not isinstance(raw, dict):
            problems.append(f"entry #{position}: not a table")
            continue
        entry_problems = _entry_problems(raw)
        label = _label(raw, position)
        problems.extend(f"{label}: {p}" for p in entry_problems)
        if not entry_problems:
            entries.append(_to_entry(raw))
    if not problems:
        problems = _base_problems(tuple(entries))
    if problems:
        raise KnowledgeBaseError(f"invalid knowledge base {source}: " + "; ".join(problems))
    return KnowledgeBase(entries=tuple(entries))


def load_knowledge_base(path: Path | None = None) -> KnowledgeBase:
    """Read and validate the knowledge base TOML at ``path`` (default: the packaged base)."""
    source = Path(path) if path is not None else DEFAULT_PATH
    try:
        with source.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot read knowledge base {source}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeBaseError(f"knowledge base {source} is not valid TOML: {exc}") from exc
    return parse_knowledge_base(data, source=str(source))


@functools.cache
def default_knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base, loaded and validated once per process."""
    return load_knowledge_base()
