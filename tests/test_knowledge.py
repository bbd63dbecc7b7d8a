"""The curated knowledge base: content, validation rules and paraphrase (no copying)."""

from __future__ import annotations

import copy
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.errors import InvalidAnswers, KnowledgeBaseError
from bot.factors import FACTOR_IDS
from knowledge.base import (
    DEFAULT_PATH,
    SECTIONS,
    STANCES,
    count_sentences,
    default_knowledge_base,
    load_knowledge_base,
)

_HERE = Path(__file__).resolve()
# CI lays shared/ beside the clone; a worktree of the project sits one level deeper.
ARTICLE_DIR = next(
    (p / "shared" / "article" for p in _HERE.parents[2:4] if (p / "shared" / "article").is_dir()),
    _HERE.parents[2] / "shared" / "article",
)


# -- helpers ---------------------------------------------------------------------------------


def _raw() -> dict[str, Any]:
    """A fresh, mutable copy of the real base as parsed TOML."""
    with DEFAULT_PATH.open("rb") as fh:
        return copy.deepcopy(tomllib.load(fh))


def _dump(data: dict[str, Any]) -> str:
    """Serialise ``{"entry": [...]}`` back to TOML (JSON strings are valid TOML basic strings)."""
    lines: list[str] = []
    for key, value in data.items():
        if key != "entry":
            lines.append(f"{key} = {json.dumps(value)}")
    for entry in data.get("entry", []):
        lines.append("[[entry]]")
        lines.extend(f"{k} = {json.dumps(v)}" for k, v in entry.items())
        lines.append("")
    return "\n".join(lines)


def _load(tmp_path: Path, data: dict[str, Any]) -> Any:
    path = tmp_path / "entries.toml"
    path.write_text(_dump(data), encoding="utf-8")
    return load_knowledge_base(path)


def _entry(data: dict[str, Any], entry_id: str) -> dict[str, Any]:
    return next(e for e in data["entry"] if e["id"] == entry_id)


def _error(tmp_path: Path, data: dict[str, Any]) -> str:
    with pytest.raises(KnowledgeBaseError) as info:
        _load(tmp_path, data)
    return str(info.value)


# -- the real base ---------------------------------------------------------------------------


def test_real_base_loads_and_round_trips(tmp_path: Path) -> None:
    kb = load_knowledge_base()
    assert 22 <= len(kb) <= 26
    assert [e.id for e in kb] == [e["id"] for e in _raw()["entry"]]
    assert [e.id for e in _load(tmp_path, _raw())] == [e.id for e in kb]


def test_default_knowledge_base_is_cached() -> None:
    assert default_knowledge_base() is default_knowledge_base()


DATA = "What data do you need to fine tune an LLM?"
REQUIRED_TOPICS: dict[str, tuple[str, str, str | None]] = {
    # id: (section, stance, a factor it must speak to; None: the definition speaks to none)
    "what-is-fine-tuning": ("What does it mean to fine tune an LLM?", "neutral", None),
    "training-data-pairs": (DATA, "neutral", "training_data"),
    "creating-training-outputs": (DATA, "neutral", "training_data"),
    "training-data-quality": ("Disadvantages of fine tuning LLMs", "neutral", "training_data"),
    "lower-latency": ("Advantages of fine tuning LLMs", "for", "latency_critical"),
    "fewer-prompt-tokens": ("Advantages of fine tuning LLMs", "for", "context_size"),
    "domain-specific-context": ("Advantages of fine tuning LLMs", "for", "domain_knowledge"),
    "narrow-task-performance": ("Advantages of fine tuning LLMs", "for", "task_scope"),
    "data-hard-to-obtain": ("Disadvantages of fine tuning LLMs", "against", "training_data"),
    "hosted-cost": ("Disadvantages of fine tuning LLMs", "against", "hosted_cost_sensitive"),
    "privacy-risk": ("Disadvantages of fine tuning LLMs", "against", "sensitive_data"),
    "compute-resources": ("Disadvantages of fine tuning LLMs", "against", "compute_available"),
    "sota-not-fine-tunable": ("Disadvantages of fine tuning LLMs", "against", "model_fine_tunable"),
    "guardrails-removed": (
        "Disadvantages of fine tuning LLMs",
        "against",
        "needs_vendor_guardrails",
    ),
    "heavy-iteration": ("Disadvantages of fine tuning LLMs", "against", "iteration_capacity"),
    "too-much-context": ("When to fine tune LLMs", "for", "context_size"),
    "latency-from-alternatives": ("When to fine tune LLMs", "for", "latency_critical"),
    "very-specific-task": ("When to fine tune LLMs", "for", "task_scope"),
    "sensitive-private-data": ("When not to fine tune LLMs", "against", "sensitive_data"),
    "alternatives-not-exhausted": ("When not to fine tune LLMs", "against", "alternatives_tried"),
    "prompt-engineering": ("When not to fine tune LLMs", "neutral", "alternatives_tried"),
    "prompt-chaining": ("Advantages of fine tuning LLMs", "neutral", "alternatives_tried"),
    "alternatives-vs-fine-tuning": ("Advantages of fine tuning LLMs", "neutral", "alternatives_tried"),
}


@pytest.mark.parametrize("entry_id", sorted(REQUIRED_TOPICS))
def test_required_topic_present(entry_id: str) -> None:
    section, stance, factor_id = REQUIRED_TOPICS[entry_id]
    entry = default_knowledge_base().get(entry_id)
    assert (entry.section, entry.stance) == (section, stance)
    assert factor_id in entry.factors if factor_id else entry.factors == ()


def test_article_lists_are_complete() -> None:
    kb = default_knowledge_base()

    def by(section: str, stance: str) -> set[str]:
        return {e.id for e in kb if e.section == section and e.stance == stance}

    assert len(by("Advantages of fine tuning LLMs", "for")) == 4
    assert len(by("Disadvantages of fine tuning LLMs", "against")) == 7
    assert len(by("When not to fine tune LLMs", "against")) == 2
    assert {"too-much-context", "latency-from-alternatives", "very-specific-task"} <= by(
        "When to fine tune LLMs", "for"
    )


def test_every_factor_covered_with_exactly_one_primary() -> None:
    kb = default_knowledge_base()
    for fid in FACTOR_IDS:
        assert kb.for_factor(fid), fid
        assert [e.id for e in kb if fid in e.primary_for] == [kb.primary(fid).id]
        assert fid in kb.primary(fid).factors


def test_entries_are_well_formed() -> None:
    for e in default_knowledge_base():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", e.id)
        assert e.section in SECTIONS and e.stance in STANCES
        assert 2 <= count_sentences(e.body) <= 5, e.id
        assert (e.factors or e.stance == "neutral") and e.keywords and e.questions, e.id
        assert isinstance(e.factors, tuple) and isinstance(e.keywords, tuple)


def test_lookups() -> None:
    kb = default_knowledge_base()
    assert kb.get("privacy-risk").title.startswith("Sensitive data")
    assert kb.find("no-such-entry") is None
    assert "privacy-risk" in kb and "nope" not in kb
    with pytest.raises(KeyError):
        kb.get("no-such-entry")
    against = kb.for_factor("sensitive_data", stance="against")
    assert {e.id for e in against} == {"privacy-risk", "sensitive-private-data"}
    assert all(e.stance == "for" for e in kb.for_factor("latency_critical", "for"))
    with pytest.raises(InvalidAnswers):
        kb.for_factor("no_such_factor")
    with pytest.raises(ValueError):
        kb.for_factor("sensitive_data", stance="maybe")
    assert kb.primary("sensitive_data").id == "sensitive-private-data"


def test_entries_are_frozen() -> None:
    entry = default_knowledge_base().entries[0]
    with pytest.raises(AttributeError):
        entry.title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("One. Two.", 2),
        ("One sentence only.", 1),
        ("Is it? Yes! Fine.", 3),
        ("Costs rise, e.g. per call. Then more.", 2),
        ("A (quoted) \"line.\" Next one.", 2),
    ],
)
def test_count_sentences(text: str, count: int) -> None:
    assert count_sentences(text) == count


# -- validation rules ------------------------------------------------------------------------


def test_missing_field_names_entry(tmp_path: Path) -> None:
    data = _raw()
    del _entry(data, "hosted-cost")["title"]
    message = _error(tmp_path, data)
    assert "'hosted-cost'" in message and "title" in message


def test_empty_field_names_entry(tmp_path: Path) -> None:
    data = _raw()
    _entry(data, "compute-resources")["summary"] = "   "
    message = _error(tmp_path, data)
    assert "'compute-resources'" in message and "summary" in message


def test_missing_id_names_position(tmp_path: Path) -> None:
    data = _raw()
    del data["entry"][2]["id"]
    message = _error(tmp_path, data)
    assert "entry #3" in message and "'id'" in message


def test_duplicate_id(tmp_path: Path) -> None:
    data = _raw()
    twin = copy.deepcopy(_entry(data, "prompt-chaining"))
    twin["primary_for"] = []
    data["entry"].append(twin)
    message = _error(tmp_path, data)
    assert "'prompt-chaining'" in message and "duplicate" in message


def test_unknown_factor(tmp_path: Path) -> None:
    data = _raw()
    _entry(data, "hosted-cost")["factors"].append("gpu_count")
    message = _error(tmp_path, data)
    assert "'hosted-cost'" in message and "gpu_count" in message


def test_empty_factors(tmp_path: Path) -> None:
    data = _raw()
    _entry(data, "general-assistant")["factors"] = []
    message = _error(tmp_path, data)
    assert "'general-assistant'" in message and "factor" in message


def test_bad_stance(tmp_path: Path) -> None:
    data = _raw()
    _entry(data, "lower-latency")["stance"] = "pro"
    message = _error(tmp_path, data)
    assert "'lower-latency'" in message and "stance" in message


@pytest.mark.parametrize("body", ["Just one sentence here.", "A. B. C. D. E. F."])
def test_body_sentence_count(tmp_path: Path, body: str) -> None:
    data = _raw()
    _entry(data, "heavy-iteration")["body"] = body
    message = _error(tmp_path, data)
    assert "'heavy-iteration'" in message and "sentence" in message


def test_section_must_be_article_heading(tmp_path: Path) -> None:
    data = _raw()
    _entry(data, "hosted-cost")["section"] = "Pricing"
    message = _error(tmp_path, data)
    assert "'hosted-cost'" in message and "Pricing" in message


def test_unknown_field(tmp_path: Path) -> None:
    data = _raw()
    _entry(data, "hosted-cost")["factor"] = ["hosted_cost_sensitive"]
    message = _error(tmp_path, data)
    assert "'hosted-cost'" in message and "'factor'" in message


def test_primary_for_must_be_in_factors(tmp_path: Path) -> None:
    data = _raw()
    _entry(data, "hosted-cost")["primary_for"] = ["compute_available", "hosted_cost_sensitive"]
    message = _error(tmp_path, data)
    assert "'hosted-cost'" in message and "compute_available" in message


def test_factor_not_covered(tmp_path: Path) -> None:
    data = _raw()
    data["entry"] = [e for e in data["entry"] if "compute_available" not in e["factors"]]
    message = _error(tmp_path, data)
    assert "'compute_available' is not covered" in message


def test_factor_primary_twice_names_both_entries(tmp_path: Path) -> None:
    data = _raw()
    _entry(data, "privacy-risk")["primary_for"] = ["sensitive_data"]
    message = _error(tmp_path, data)
    assert "'privacy-risk'" in message and "'sensitive-private-data'" in message


def test_factor_without_primary(tmp_path: Path) -> None:
    data = _raw()
    _entry(data, "compute-resources")["primary_for"] = []
    message = _error(tmp_path, data)
    assert "compute_available" in message and "primary_for exactly one" in message


def test_bad_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[entry]\nid = ", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="not valid TOML"):
        load_knowledge_base(bad)
    with pytest.raises(KnowledgeBaseError, match="cannot read"):
        load_knowledge_base(tmp_path / "missing.toml")


def test_no_entries(tmp_path: Path) -> None:
    assert "no [[entry]]" in _error(tmp_path, {"title": "x"})


def test_error_is_safe_for_users() -> None:
    assert "operator" in KnowledgeBaseError("detail").user_message


# -- paraphrase, not copy --------------------------------------------------------------------


def _norm_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def _article_windows(n: int) -> set[tuple[str, ...]]:
    articles = sorted(ARTICLE_DIR.glob("*.txt")) if ARTICLE_DIR.is_dir() else []
    if not articles:
        pytest.skip(f"article not found under {ARTICLE_DIR}")
    words = [w for path in articles for w in _norm_words(path.read_text(encoding="utf-8"))]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _copied(texts: dict[str, str], n: int = 8) -> list[str]:
    """Every run of ``n`` words in ``texts`` (label -> text) that also occurs in the article."""
    windows = _article_windows(n)
    copied: list[str] = []
    for label, text in texts.items():
        own = _norm_words(text)
        copied.extend(
            f"{label}: {' '.join(own[i : i + n])}" for i in range(len(own) - n + 1) if tuple(own[i : i + n]) in windows
        )
    return copied


def _strings(value: Any, label: str) -> dict[str, str]:
    """Every string inside ``value`` (nested dicts, lists, tuples), labelled by its path."""
    if isinstance(value, str):
        return {label: value}
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return {}
    out: dict[str, str] = {}
    for key, inner in items:
        out.update(_strings(inner, f"{label}[{key!r}]"))
    return out


def test_no_entry_copies_the_article() -> None:
    texts: dict[str, str] = {}
    for e in default_knowledge_base():
        for field in ("title", "summary", "body"):
            texts[f"{e.id}.{field}"] = getattr(e, field)
        texts.update({f"{e.id}.questions[{i}]": q for i, q in enumerate(e.questions)})
    copied = _copied(texts)
    assert not copied, "entries copy the article:\n" + "\n".join(copied)


def test_no_guide_text_copies_the_article() -> None:
    from knowledge.guide import DEFAULT_GUIDE_PATH

    with DEFAULT_GUIDE_PATH.open("rb") as fh:
        copied = _copied(_strings(tomllib.load(fh), "guide"))
    assert not copied, "the guide copies the article:\n" + "\n".join(copied)


def test_no_wording_copies_the_article() -> None:
    from bot import wording

    texts = {
        name: text
        for attr in dir(wording)
        if attr.isupper()
        for name, text in _strings(getattr(wording, attr), attr).items()
    }
    copied = _copied(texts)
    assert not copied, "bot/wording.py copies the article:\n" + "\n".join(copied)


# -- the guide (overviews, limits, help entries, off-topic look-alikes) ------------------------


def _guide_raw() -> dict[str, Any]:
    from knowledge.guide import DEFAULT_GUIDE_PATH

    with DEFAULT_GUIDE_PATH.open("rb") as fh:
        return copy.deepcopy(tomllib.load(fh))


def _guide_error(data: dict[str, Any]) -> str:
    from knowledge.guide import parse_guide

    with pytest.raises(KnowledgeBaseError) as info:
        parse_guide(data, default_knowledge_base(), source="test")
    return str(info.value)


def test_the_real_guide_loads_and_covers_the_sections_and_the_bots_terms() -> None:
    from knowledge.guide import default_guide

    guide = default_guide()
    kb = default_knowledge_base()
    for overview in guide.overviews:
        assert all(entry_id in kb for entry_id in overview.entries)
    assert {h.id for h in guide.help} >= {"decisive", "prerequisites", "confidence", "next-steps", "why-asked", "clarify"}
    assert {m.id for m in guide.limits} >= {"data-amount", "named-models", "prices", "training-time", "retrieval-augmented-generation", "tuning-methods"}
    assert guide.off_topic and all(isinstance(q, str) for q in guide.off_topic)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["overview"][0]["entries"].append("no-such-entry"), "unknown entry 'no-such-entry'"),
    (lambda d: d["limit"][0].update(nearest=["no-such-entry"]), "unknown entry 'no-such-entry'"),
    (lambda d: d["help"][0].update(text="Decisive means {nonsense}."), "unknown placeholder {nonsense}"),
    (lambda d: d["help"][1].update(id=d["help"][0]["id"]), "duplicate id"),
    (lambda d: d["help"][0].update(questions=[]), "at least one question"),
    (lambda d: d["help"][0].update(colour="red"), "unknown field 'colour'"),
    (lambda d: d["phrases"].pop("limit"), "'limit' must be a non-empty string"),
    (lambda d: d["phrases"].update(limit="The article doesn't say {what}."), "unknown placeholder {what}"),
    (lambda d: d.update(off_topic=[{"questions": "not a list"}]), "off_topic #1"),
    (lambda d: d.pop("overview"), "no [[overview]] tables"),
])
def test_a_broken_guide_is_refused_naming_the_problem(change: Any, message: str) -> None:
    data = _guide_raw()
    change(data)
    assert message in _guide_error(data)
