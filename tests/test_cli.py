"""The ``finetune-advisor`` console script, driven as a user drives it: real subprocesses, no mocks.

Every call goes through :func:`cli`, which also checks the promises that hold for *any* input:
no traceback on stdout or stderr, and an answer well within a generous time bound (interpreter
start dominates; the real speed goals live in ``bench/bench_core.py``).

Expected content is computed in-process from the same core the CLI wraps (``bot.engine.recommend``,
``bot.answers``, ``bot.record``), so these tests check that the CLI passes it through unchanged.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import pytest

from bot import wording
from bot.answers import answer_question, why_verdict
from bot.card import view_json
from bot.engine import recommend
from bot.factors import BY_ID, FACTOR_IDS, FACTORS
from bot.questions import next_question
from bot.record import record_markdown
from bot.replies import Card
from adapters.llm.config import PROVIDER_PACKAGES
from knowledge import default_index, default_knowledge_base
from tests.llm.stand_in import PHRASING, StandIn, answered, human_text

_SCRIPT = Path(sys.executable).with_name("finetune-advisor")
COMMAND: list[str] = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "adapters.cli"]
REPO = Path(__file__).resolve().parents[1]
TIME_LIMIT_S = 10.0
BIG = 60_000  # a 60 kB line or argument


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "COLUMNS", "LINES")}
    env.update(extra)
    return env


def cli(
    *args: str | bytes, stdin: str | bytes | None = None, env: Mapping[str, str] | None = None, cwd: Path = REPO,
) -> subprocess.CompletedProcess[str]:
    """Run the console script; assert no traceback and a bounded run time; return text output."""
    data = stdin.encode("utf-8", "surrogateescape") if isinstance(stdin, str) else stdin
    start = time.perf_counter()
    proc = subprocess.run(
        [*COMMAND, *args], input=data, capture_output=True, cwd=cwd,
        env=dict(env) if env is not None else _env(), timeout=60,
    )
    elapsed = time.perf_counter() - start
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in out and "Traceback" not in err, f"traceback for {args!r}:\n{err[-3000:]}"
    assert elapsed < TIME_LIMIT_S, f"{args!r} took {elapsed:.1f} s"
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def assert_in_order(text: str, snippets: Sequence[str]) -> None:
    """Each snippet occurs in ``text`` after the previous one: one reply per input, in order."""
    pos = 0
    for snippet in snippets:
        found = text.find(snippet, pos)
        assert found >= 0, f"missing (in order) after offset {pos}: {snippet[:120]!r}\n--- output tail:\n{text[pos:pos + 1500]}"
        pos = found + len(snippet)


# --- answer sets with known verdicts -----------------------------------------------------

FAVOURABLE = {
    "training_data": "have_pairs",
    "sensitive_data": "no",
    "latency_critical": "yes",
    "context_size": "too_big",
    "domain_knowledge": "yes",
    "task_scope": "narrow",
    "alternatives_tried": "exhausted",
    "model_fine_tunable": "yes",
    "hosted_cost_sensitive": "no",
    "compute_available": "yes",
    "needs_vendor_guardrails": "no",
    "iteration_capacity": "yes",
}

CASES: dict[str, tuple[dict[str, str], str]] = {
    "everything-open": ({}, "alternatives_first"),
    "raw-private-data": ({"sensitive_data": "yes"}, "avoid"),
    "general-assistant": (
        {"sensitive_data": "no", "context_size": "fits", "latency_critical": "no",
         "domain_knowledge": "no", "task_scope": "broad"},
        "avoid",
    ),
    "untried-narrow": (
        {"sensitive_data": "no", "alternatives_tried": "no", "context_size": "fits",
         "latency_critical": "no", "task_scope": "narrow", "domain_knowledge": "no"},
        "alternatives_first",
    ),
    # issue 15: latency forces fine-tuning only once prompting was at least partly tried
    "latency-open-prereqs": ({"sensitive_data": "no", "latency_critical": "yes", "alternatives_tried": "partly"},
                             "fine_tune_with_prerequisites"),
    "no-compute": ({**FAVOURABLE, "compute_available": "no"}, "fine_tune_with_prerequisites"),
    "all-favourable": (FAVOURABLE, "fine_tune"),
    "explicit-unknowns": ({**FAVOURABLE, "iteration_capacity": "unknown"}, "fine_tune_with_prerequisites"),
}


def write_answers(tmp_path: Path, answers: object, name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(answers), encoding="utf-8")
    return path


def kb():
    return default_knowledge_base()


# --- recommend ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES))
def test_recommend_json_is_the_engine_result(tmp_path: Path, name: str) -> None:
    answers, verdict = CASES[name]
    proc = cli("recommend", "--answers", str(write_answers(tmp_path, answers)), "--json")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    expected = recommend(answers, kb())
    assert expected.verdict == verdict  # the case table itself is right
    assert got == view_json(expected)
    # every field the Recommendation has, unchanged; the card's additions only added
    assert {k: v for k, v in got.items() if k != "card"} | {"reasons": expected.to_json()["reasons"]} == expected.to_json()
    assert [{k: v for k, v in r.items() if k != "key"} for r in got["reasons"]] == expected.to_json()["reasons"]
    assert got["verdict"] == verdict
    assert set(got) == {"verdict", "rule", "summary", "confidence", "reasons", "what_would_change", "next_steps", "citations", "card"}
    assert got["confidence"] in ("high", "medium", "low")
    assert got["next_steps"] and all(isinstance(s, str) and s for s in got["next_steps"])
    ids = {e.id for e in kb().entries}
    for reason in got["reasons"]:
        assert {"factor", "stance", "text", "citations", "decisive", "key"} <= set(reason)
        assert reason["factor"] in answers and reason["stance"] in ("for", "against")
        assert reason["citations"] and set(reason["citations"]) <= ids
    assert {r["factor"] for r in got["reasons"]} == {f for f, v in answers.items() if v != "unknown"}
    for flip in got["what_would_change"]:
        assert flip["verdict"] != verdict and flip["verdict"] in wording.VERDICT_TITLES
        assert flip["answers"] and all(v in BY_ID[f].values for f, v in flip["answers"].items())
    cited = [c["id"] for c in got["citations"]]
    assert len(cited) == len(set(cited)) and set(cited) <= ids
    assert all(set(c) == {"id", "title", "section"} for c in got["citations"])


def test_recommend_formats_agree(tmp_path: Path) -> None:
    """``--format json`` is ``--json``; the text format is the recommendation card."""
    answers = CASES["no-compute"][0]
    path = str(write_answers(tmp_path, answers))
    rec = recommend(answers, kb())
    as_format = cli("recommend", "--answers", path, "--format", "json")
    assert as_format.returncode == 0 and json.loads(as_format.stdout) == view_json(rec)
    text = cli("recommend", "--answers", path)
    assert text.returncode == 0
    assert text.stdout == Card(rec).plain_text() + "\n"
    assert text.stdout.startswith(f"Recommendation: {wording.VERDICT_TITLES['fine_tune_with_prerequisites']}\n")


def test_recommend_reads_stdin() -> None:
    answers = CASES["general-assistant"][0]
    proc = cli("recommend", "--answers", "-", "--json", stdin=json.dumps(answers))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == view_json(recommend(answers, kb()))


def test_recommend_markdown_is_a_decision_record(tmp_path: Path) -> None:
    answers = {"sensitive_data": "masked", "latency_critical": "yes", "task_scope": "narrow",
               "alternatives_tried": "partly", "compute_available": "no"}
    rec = recommend(answers, kb())
    before = time.time()
    proc = cli("recommend", "--answers", str(write_answers(tmp_path, answers)), "--format", "markdown")
    after = time.time()
    assert proc.returncode == 0, proc.stderr
    md = proc.stdout
    assert md in {record_markdown(rec, before), record_markdown(rec, after)}
    # the contract, read off the text itself
    dates = {datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d") for t in (before, after)}
    assert any(f"**Date:** {d}" in md for d in dates)
    assert f"{wording.VERDICT_TITLES[rec.verdict]} (`{rec.verdict}`)" in md
    assert wording.CONFIDENCE_TEXT[rec.confidence] in md
    rows = dict(re.findall(r"^\| .*\(`(\w+)`\) \| (.*) \|$", md, re.M))
    assert set(rows) == set(FACTOR_IDS)
    for factor_id in FACTOR_IDS:
        if factor_id in answers:
            assert rows[factor_id] == f"{wording.option_label(factor_id, answers[factor_id])} (`{answers[factor_id]}`)"
        else:
            assert rows[factor_id] == "_unknown_"
    for heading in ("## Answers", "## Reasons for fine-tuning", "## Reasons against fine-tuning",
                    "## What would change the verdict", "## Next steps", "## Sources"):
        assert heading in md
    assert_in_order(md, ["## Reasons for fine-tuning", "## Reasons against fine-tuning",
                         "## What would change the verdict", "## Next steps", "## Sources"])
    for reason in rec.reasons:
        assert reason.text in md
    for step in rec.next_steps:
        assert step in md
    for citation in rec.citations:
        assert f"(`{citation.id}`)" in md


ALLOWED_FACTORS = ", ".join(FACTOR_IDS)

BAD_ANSWERS: dict[str, tuple[str, list[str]]] = {
    # name: (file contents, what stderr must say)
    "unknown-factor": ('{"sensitive_data": "no", "gpu_count": "8"}', ["gpu_count", ALLOWED_FACTORS]),
    "unknown-value": ('{"latency_critical": "maybe"}', ["maybe", "latency_critical", "yes, no, unknown"]),
    "value-of-other-factor": ('{"training_data": "yes"}', ["'yes'", "training_data", "have_pairs, can_create, none, unknown"]),
    "null-value": ('{"context_size": null}', ["context_size", "fits, strained, too_big, unknown"]),
    "not-json": ("training_data: have_pairs", ["not valid JSON"]),
    "empty-file": ("", ["not valid JSON"]),
    "a-list": ('[["sensitive_data", "no"]]', ["JSON object"]),
    "a-string": ('"sensitive_data"', ["JSON object"]),
}


@pytest.mark.parametrize("name", list(BAD_ANSWERS))
def test_recommend_rejects_bad_answers_with_exit_2(tmp_path: Path, name: str) -> None:
    contents, needles = BAD_ANSWERS[name]
    path = tmp_path / "answers.json"
    path.write_text(contents, encoding="utf-8")
    proc = cli("recommend", "--answers", str(path), "--json")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert proc.stderr.startswith("finetune-advisor: ")
    for needle in needles:
        assert needle in proc.stderr


@pytest.mark.parametrize("name", ["unknown-value", "not-json"])
def test_recommend_rejects_bad_answers_on_stdin(name: str) -> None:
    contents, needles = BAD_ANSWERS[name]
    proc = cli("recommend", "--answers", "-", stdin=contents)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert all(n in proc.stderr for n in needles)


def test_recommend_missing_or_unreadable_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    proc = cli("recommend", "--answers", str(missing), "--json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert str(missing) in proc.stderr and "cannot read" in proc.stderr
    proc = cli("recommend", "--answers", str(tmp_path), "--format", "markdown")  # a directory
    assert proc.returncode == 2 and proc.stdout == ""
    assert str(tmp_path) in proc.stderr


def test_recommend_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(b'\xff\xfe{"sensitive_data": "no"}')
    proc = cli("recommend", "--answers", str(path), "--json")
    assert proc.returncode == 2 and str(path) in proc.stderr


def test_recommend_deeply_nested_json_is_a_clear_error() -> None:
    proc = cli("recommend", "--answers", "-", stdin="[" * 100_000)
    assert proc.returncode == 2 and "JSON" in proc.stderr


def test_recommend_into_a_closed_pipe_has_no_traceback(tmp_path: Path) -> None:
    path = write_answers(tmp_path, FAVOURABLE)
    proc = subprocess.Popen([*COMMAND, "recommend", "--answers", str(path), "--json"], cwd=REPO, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # long before the interpreter has started and written anything
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=30)
    assert "Traceback" not in err


# --- ask ------------------------------------------------------------------------------------

ON_TOPIC = [
    "why does latency matter?",
    "Can fine-tuning reduce how many tokens I put in each prompt?",
    "is it safe to fine-tune on customer emails with personal data?",
]


@pytest.mark.parametrize("question", ON_TOPIC)
def test_ask_json_is_the_knowledge_answer(question: str) -> None:
    proc = cli("ask", question, "--json")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    assert set(got) == {"answer", "citations"}
    expected = answer_question(question, default_index())
    assert got == {"answer": expected.text, "citations": [c.to_json() for c in expected.citations]}
    assert got["citations"], "an on-topic question cites its sources"
    entries = {e.id: e for e in kb().entries}
    for c in got["citations"]:
        entry = entries[c["id"]]
        assert (c["title"], c["section"]) == (entry.title, entry.section)
        assert entry.summary in got["answer"]


def test_ask_plain_text_lists_sources() -> None:
    question = ON_TOPIC[0]
    proc = cli("ask", question)
    assert proc.returncode == 0
    expected = answer_question(question, default_index())
    assert proc.stdout == expected.plain_text() + "\n"
    assert "Sources: " in proc.stdout


@pytest.mark.parametrize("question", ["what's the weather in Paris?", "who won the world cup in 2018?"])
def test_ask_off_topic_is_declined_without_citations(question: str) -> None:
    proc = cli("ask", question, "--json")
    assert proc.returncode == 0
    got = json.loads(proc.stdout)
    assert got["citations"] == []
    assert "only help with deciding whether and how to fine-tune" in got["answer"]
    assert got["answer"] == wording.OFF_TOPIC


BAD_QUESTIONS: dict[str, str | bytes] = {
    "empty": "",
    "blank": "   \t  ",
    "control-characters": "why\x01\x02\x1b[31m does latency\x7f matter?\x1b[0m",
    "only-control-characters": "\x01\x02\x03\x1b\x7f",
    "60kB-on-topic": "why does latency matter? " + "latency " * (BIG // 8),
    "invalid-utf8": b"lat\xffency \xfe\xfd matter?",
    "emoji-and-rtl": "\U0001f916 \u202e\u05e9\u05dc\u05d5\u05dd fine-tune?",
}


@pytest.mark.parametrize("name", list(BAD_QUESTIONS))
def test_ask_bad_input_answers_or_refuses_cleanly(name: str) -> None:
    proc = cli("ask", BAD_QUESTIONS[name], "--json")
    assert proc.returncode in (0, 2), proc.stderr
    if proc.returncode == 2:
        assert proc.stderr.strip() and proc.stdout == ""
        return
    got = json.loads(proc.stdout)
    assert isinstance(got["answer"], str) and got["answer"].strip()
    assert isinstance(got["citations"], list)
    if name in ("empty", "blank", "only-control-characters"):
        assert got == {"answer": wording.OFF_TOPIC, "citations": []}
    if name == "60kB-on-topic":
        assert got == {"answer": answer_question(BAD_QUESTIONS[name], default_index()).text,
                       "citations": [c.to_json() for c in answer_question(BAD_QUESTIONS[name], default_index()).citations]}
        assert "latency-from-alternatives" in {c["id"] for c in got["citations"]}


def test_ask_without_a_question_is_a_usage_error() -> None:
    proc = cli("ask")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "question" in proc.stderr and "usage:" in proc.stderr


# --- kb -------------------------------------------------------------------------------------


def test_kb_lists_and_validates_every_entry() -> None:
    proc = cli("kb", env=_env(COLUMNS="200"))
    assert proc.returncode == 0, proc.stderr
    entries = kb().entries
    assert f"{len(entries)} entries, valid" in proc.stdout
    for entry in entries:
        assert re.search(rf"(?<![\w-]){re.escape(entry.id)}(?![\w-])", proc.stdout), entry.id
    rows = {line.split("│")[1].strip(): line for line in proc.stdout.splitlines() if line.count("│") >= 4}
    for entry in entries:  # each entry's row names its title and its article section
        assert entry.title in rows[entry.id] and entry.section in rows[entry.id], rows[entry.id]
    assert "kb show ID" in proc.stdout


def test_kb_show_prints_one_entry_with_its_section() -> None:
    entries = kb().entries
    for entry in (entries[0], entries[len(entries) // 2], entries[-1]):
        proc = cli("kb", "show", entry.id)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith(f"{entry.title} ({entry.id})\nSection: {entry.section}\n")
        assert entry.body in proc.stdout
    as_json = json.loads(cli("kb", "show", entry.id, "--json").stdout)
    assert as_json == {"id": entry.id, "title": entry.title, "section": entry.section, "stance": entry.stance,
                       "factors": list(entry.factors), "summary": entry.summary, "body": entry.body}


def test_kb_show_an_unknown_or_missing_id_is_a_clear_error() -> None:
    entry = kb().entries[3]
    typo = entry.id[:-1]
    proc = cli("kb", "show", typo)
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"no knowledge entry {typo!r}; did you mean {entry.id}" in proc.stderr
    missing = cli("kb", "show")
    assert missing.returncode == 2 and "kb show needs an entry id" in missing.stderr
    stray = cli("kb", entry.id)
    assert stray.returncode == 2 and f"kb show {entry.id}" in stray.stderr


def test_kb_lists_every_id_at_default_width() -> None:
    proc = cli("kb", env=_env(COLUMNS="80"))
    missing = [e.id for e in kb().entries if e.id not in proc.stdout]
    assert missing == []


def test_kb_json_is_the_knowledge_base() -> None:
    proc = cli("kb", "--json")
    assert proc.returncode == 0
    got = json.loads(proc.stdout)
    assert isinstance(got, list)
    assert got == [
        {"id": e.id, "title": e.title, "section": e.section, "stance": e.stance, "factors": list(e.factors)}
        for e in kb().entries
    ]
    assert len({e["id"] for e in got}) == len(got) >= 20
    assert all(set(e["factors"]) <= set(FACTOR_IDS) for e in got)


# --- version and help -----------------------------------------------------------------------


def test_version() -> None:
    proc = cli("--version")
    assert proc.returncode == 0
    assert re.fullmatch(r"finetune-advisor \d+\.\d+(\.\d+)?\S*\n", proc.stdout)
    assert proc.stdout.split()[1] == version("finetune-advisor")


@pytest.mark.parametrize("command", [None, "chat", "ask", "recommend", "kb", "config"])
def test_help_shows_an_example(command: str | None) -> None:
    proc = cli(*([command] if command else []), "--help")
    assert proc.returncode == 0
    assert "usage: finetune-advisor" in proc.stdout
    example = re.search(r"^example:\n((?:  .*\n)+)", proc.stdout, re.M)
    assert example, proc.stdout
    assert re.search(rf"^  (?:.*\| )?finetune-advisor {command or 'chat'}\b", example.group(1), re.M)


def test_config_alone_prints_its_help() -> None:
    proc = cli("config")
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith("usage: finetune-advisor config") and "finetune-advisor config check" in proc.stdout
    assert proc.stdout == cli("config", "--help").stdout


def test_no_command_or_unknown_command_is_a_usage_error() -> None:
    for args in ([], ["advise"]):
        proc = cli(*args)
        assert proc.returncode == 2 and proc.stdout == ""
        assert "usage: finetune-advisor" in proc.stderr


# --- chat -----------------------------------------------------------------------------------


def chat(lines: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """The chat fed ``lines`` through a pipe, in a fresh folder (``export`` writes files there)."""
    with tempfile.TemporaryDirectory() as folder:
        proc = cli("chat", stdin="".join(line + "\n" for line in lines), cwd=Path(folder))
    assert proc.returncode == 0, proc.stderr
    return proc


def policy_path(target: Mapping[str, str]) -> list[str]:
    """The factors the bot asks, in order, when the user answers every question with ``target``."""
    asked: list[str] = []
    while (factor_id := next_question(target, asked)) is not None:
        asked.append(factor_id)
    return asked


def option_number(factor_id: str, value: str) -> str:
    return str(BY_ID[factor_id].allowed.index(value) + 1)


def question_block(number: int, factor_id: str) -> str:
    return f"Question {number}: {wording.QUESTIONS[factor_id]}\n"


CHAT_TARGETS = {
    "fine_tune": FAVOURABLE,
    "fine_tune_with_prerequisites": {**FAVOURABLE, "needs_vendor_guardrails": "yes"},
    "alternatives_first": CASES["untried-narrow"][0] | {"training_data": "have_pairs"},
    "avoid": CASES["general-assistant"][0],
}


@pytest.mark.parametrize("verdict", list(CHAT_TARGETS))
def test_chat_whole_assessment_by_numbers(verdict: str) -> None:
    """Answering each question by its option number leads to the engine's card for what was asked."""
    target = CHAT_TARGETS[verdict]
    asked = policy_path(target)
    assert 1 <= len(asked) <= len(FACTORS)
    proc = chat([option_number(f, target[f]) for f in asked])
    out = proc.stdout
    rec = recommend({f: target[f] for f in asked}, kb())
    assert rec.verdict == verdict
    assert_in_order(out, [wording.WELCOME, *(question_block(i, f) for i, f in enumerate(asked, start=1)),
                          Card(rec).plain_text()])
    assert f"Recommendation: {wording.VERDICT_TITLES[verdict]}\n" in out
    assert out.count("Recommendation: ") == 1
    assert len(re.findall(r"^Question \d+: ", out, re.M)) == len(asked)


def test_chat_after_the_card_why_export_and_questions() -> None:
    target = FAVOURABLE
    asked = policy_path(target)
    rec = recommend({f: target[f] for f in asked}, kb())
    long_question = "why does latency matter? " + "latency " * (BIG // 8)
    before = time.time()
    proc = chat([
        *(option_number(f, target[f]) for f in asked),
        "why",
        "export",
        "what's the weather in Paris?",
        long_question,
        "status",
    ])
    after = time.time()
    out = proc.stdout
    records = [record_markdown(rec, t) for t in (before, after)]
    record = next((r for r in records if r in out), records[0])
    assert_in_order(out, [
        Card(rec).plain_text(),
        why_verdict(rec, kb()).plain_text(),
        record,
        wording.OFF_TOPIC,
        "Sources: ",  # the long question is answered from the knowledge base
        wording.STATUS_DONE.format(verdict=wording.VERDICT_TITLES["fine_tune"]),
    ])
    assert "# Decision record: should we fine-tune an LLM?" in record
    assert "(`fine_tune`)" in record


def test_chat_description_opening_then_skip_and_back() -> None:
    description = ("We have 5000 labelled input/output pairs, no personal data, and response time "
                   "is critical for our narrow classification task")
    understood = {"training_data": "have_pairs", "sensitive_data": "no", "latency_critical": "yes", "task_scope": "narrow"}
    settled = list(understood)
    first = next_question(understood, settled)
    assert first is not None
    skipped = {**understood, first: "unknown"}
    second = next_question(skipped, [*settled, first])
    proc = chat([description, "skip", "back", "help"])
    out = proc.stdout
    expected = [
        wording.WELCOME,
        question_block(1, "sensitive_data"),
        wording.UNDERSTOOD_INTRO,
        *(f"- {wording.SHORT_NAMES[f]}: {wording.option_label(f, v)} (from " for f, v in understood.items()),
        question_block(2, first),
    ]
    # skip settles the question as unknown and moves on: to the next question, or to the card
    expected.append(question_block(3, second) if second else "Recommendation: ")
    expected += [
        wording.UNDONE.format(factor=wording.SHORT_NAMES[first]),
        f"Question {3 if second else 2}: {wording.QUESTIONS[first]}\n",
        wording.HELP,
    ]
    assert_in_order(out, expected)


def test_chat_help_status_and_export_before_the_card() -> None:
    proc = chat(["help", "status", "export", "why", "back", "quit", "3"])
    out = proc.stdout
    assert_in_order(out, [
        question_block(1, "sensitive_data"),
        wording.HELP,
        wording.STATUS_ASKING.format(answered=0, question=wording.QUESTIONS["sensitive_data"]),
        wording.NO_RECOMMENDATION_YET,
        wording.NO_RECOMMENDATION_YET,
        wording.NOTHING_TO_UNDO,
    ])
    assert "Recommendation:" not in out  # "quit" ended the chat before the "3"


def test_chat_junk_lines_each_get_a_clear_reply() -> None:
    """Empty, blank, control-character, 60 kB and off-topic lines while a question is open."""
    lines = [
        "",
        "   \t ",
        "\x01\x02\x03\x1b\x7f",
        "\x07\x1b[31mxyzzy\x00\x1b[0m",
        "x" * BIG,
        "what's the weather in Paris?",
        "1",  # and the assessment goes on
    ]
    proc = chat(lines)
    out = proc.stdout
    q1 = question_block(1, "sensitive_data")
    second = next_question({"sensitive_data": "no"}, ["sensitive_data"])
    assert second is not None
    assert_in_order(out, [
        q1,
        wording.EMPTY_INPUT,
        wording.EMPTY_INPUT,
        wording.EMPTY_INPUT,
        wording.REASK + "\n" + q1,
        wording.REASK + "\n" + q1,
        wording.OFF_TOPIC + "\n\n" + q1,
        question_block(2, second),
    ])
    assert len(out) < 20_000, "a long line is not echoed back"
    assert "\x1b" not in out and "\x00" not in out


def test_chat_opening_lines_before_any_answer() -> None:
    """Questions as the very first lines are answered; a greeting re-shows question 1, junk re-asks it."""
    question = "does fine-tuning make responses faster?"
    proc = chat(["what's the weather in Paris?", question, "hello", "\x00" * 10 + "y" * BIG])
    out = proc.stdout
    assert_in_order(out, [
        question_block(1, "sensitive_data"),
        wording.OFF_TOPIC,
        answer_question(question, default_index()).plain_text(),
        question_block(1, "sensitive_data"),
        wording.REASK + "\n" + question_block(1, "sensitive_data"),
    ])


def test_chat_invalid_utf8_line() -> None:
    proc = cli("chat", stdin=b"\xff\xfe no personal\xc3 data\n1\n")
    assert proc.returncode == 0
    assert proc.stdout.startswith(wording.WELCOME)
    assert_in_order(proc.stdout, [question_block(1, "sensitive_data"), "Question 2: "])


def test_chat_question_about_a_factor_does_not_change_the_answer() -> None:
    """After answering "No" to private data, asking about personal data must not record "Yes"."""
    question = "is personal data a problem?"
    proc = chat(["1", question])
    second = next_question({"sensitive_data": "no"}, ["sensitive_data"])
    assert second is not None
    assert "Recommendation: " not in proc.stdout
    assert_in_order(proc.stdout, [
        question_block(2, second),
        answer_question(question, default_index(), {"sensitive_data": "no"}).plain_text(),
        question_block(2, second),
    ])


def test_teams_package_writes_the_zip_an_admin_uploads(tmp_path: Path) -> None:
    import zipfile

    app_id = "12345678-1234-1234-1234-123456789abc"
    out = tmp_path / "teams.zip"
    proc = cli("teams-package", "--app-id", app_id, "--out", str(out))
    assert proc.returncode == 0 and proc.stdout.strip() == str(out)
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["id"] == app_id and manifest["bots"][0]["botId"] == app_id
    bad = cli("teams-package", "--app-id", "not-a-guid", "--out", str(tmp_path / "x.zip"))
    assert bad.returncode == 2 and "GUID" in bad.stderr


def test_serve_refuses_bad_configuration_with_the_variables_name() -> None:
    bad_level = cli("config", "check", env=_env(LOG_LEVEL="verbose"))
    assert bad_level.returncode == 2 and "LOG_LEVEL" in bad_level.stderr
    no_workers = cli("serve", "--workers", "0", env=_env())
    assert no_workers.returncode == 2 and "--workers" in no_workers.stderr
    half_slack = cli("serve", "--port", "0", env=_env(SLACK_SIGNING_SECRET="s"))
    assert half_slack.returncode == 2 and "SLACK_BOT_TOKEN" in half_slack.stderr
    no_dir = cli("serve", "--port", "0", env=_env(PROMETHEUS_MULTIPROC_DIR="/nonexistent/ftadvisor-metrics"))
    assert no_dir.returncode == 2 and "PROMETHEUS_MULTIPROC_DIR" in no_dir.stderr and "Traceback" not in no_dir.stderr


def test_config_check_blank_values_are_unset() -> None:
    """An env template's empty entries: secrets read as unset, HOST= as the default address."""
    proc = cli("config", "check", env=_env(HOST="", SLACK_BOT_TOKEN="", SLACK_SIGNING_SECRET="s", MICROSOFT_APP_PASSWORD=" "))
    assert proc.returncode == 0, proc.stderr
    shown = dict(re.findall(r"^  (\w+)\s+(.+)$", proc.stdout, re.M))
    assert shown["HOST"] == "127.0.0.1"
    assert shown["SLACK_BOT_TOKEN"] == "unset" and shown["MICROSOFT_APP_PASSWORD"] == "unset"
    assert shown["SLACK_SIGNING_SECRET"] == "set (redacted)"
    assert "Slack: single workspace (incomplete: serve refuses to start); missing SLACK_BOT_TOKEN" in proc.stdout


def test_config_check_says_oauth_without_redis_forgets_installations() -> None:
    env = _env(SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="c", SLACK_SIGNING_SECRET="s")
    proc = cli("config", "check", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Slack: multi-workspace OAuth (installations in the embedded store are lost on restart: set REDIS_URL); ready" in proc.stdout
    with_redis = cli("config", "check", env={**env, "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert "Slack: multi-workspace OAuth; ready" in with_redis.stdout


def test_serve_on_a_port_in_use_says_so_and_exits_non_zero() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        proc = cli("serve", "--port", port, env=_env(SLACK_SIGNING_SECRET="s", SLACK_BOT_TOKEN="xoxb-1",
                                                     SLACK_API_URL="http://127.0.0.1:9/api/"))
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr


# --- the optional language model in every front end -------------------------------------------


def _model_env(base_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in _env().items() if not k.startswith("LLM_")}
    env.update({"LLM_MODEL": "openai:gpt-4o-mini", "LLM_BASE_URL": base_url, "LLM_API_KEY": "sk-test", "LLM_TIMEOUT_S": "5"})
    env.update(extra)
    return env


async def _cli_async(*args: str, env: Mapping[str, str], stdin: bytes = b"") -> tuple[int, str, str]:
    """The console script while this test's event loop serves the model stand-in."""
    proc = await asyncio.create_subprocess_exec(
        *COMMAND, *args, cwd=REPO, env=dict(env),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin), 60)
    assert b"Traceback" not in err, err.decode()
    return proc.returncode or 0, out.decode(), err.decode()


async def test_ask_uses_the_model_grounded_in_the_cited_entries() -> None:
    question = "why does latency matter?"
    draft = answer_question(question, default_index())
    cited = [c.id for c in draft.citations]
    assert cited
    model = await StandIn().start()
    try:
        model.prepare(PHRASING, answered("Speed matters because prompt chains add waiting.", cited[0]))
        status, out, err = await _cli_async("ask", question, "--json", env=_model_env(model.base_url))
        assert status == 0, err
        got = json.loads(out)
        assert got["answer"].endswith("Speed matters because prompt chains add waiting.")
        assert [c["id"] for c in got["citations"]] == [cited[0]]  # exactly the entries the model used
        (call,) = model.calls(PHRASING)
        assert question in human_text(call)
        body = default_knowledge_base().get(cited[0]).body
        assert body[:60] in json.dumps(call)  # the cited entry's text went with the request

        # a model answer that cites an entry it was not given is thrown away: the rules' answer stands
        model.prepare(PHRASING, answered("Made up.", "no-such-entry"))
        status, out, _ = await _cli_async("ask", question, "--json", env=_model_env(model.base_url))
        assert status == 0
        assert json.loads(out) == {"answer": draft.text, "citations": [c.to_json() for c in draft.citations]}

        # off-topic questions are declined before any model call
        before = len(model.calls())
        status, out, _ = await _cli_async("ask", "what's the weather in Paris?", "--json", env=_model_env(model.base_url))
        assert status == 0 and json.loads(out)["citations"] == [] and len(model.calls()) == before
    finally:
        await model.stop()


async def test_the_chat_rewords_knowledge_answers_with_the_model() -> None:
    question = "why does latency matter?"
    cited = [c.id for c in answer_question(question, default_index()).citations]
    model = await StandIn().start()
    try:
        model.prepare(PHRASING, answered("In short: chains make people wait.", cited[0]))
        with tempfile.TemporaryDirectory() as folder:
            env = _model_env(model.base_url)
            proc = await asyncio.create_subprocess_exec(
                *COMMAND, "chat", cwd=folder, env=env,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(proc.communicate(f"{question}\n".encode()), 60)
        assert proc.returncode == 0, err.decode()
        assert "In short: chains make people wait." in out.decode()
        assert len(model.calls(PHRASING)) == 1
    finally:
        await model.stop()


def _a_missing_provider() -> str:
    for provider, (module, _) in PROVIDER_PACKAGES.items():
        if importlib.util.find_spec(module) is None:
            return provider
    pytest.skip("every provider package is installed here")


@pytest.mark.parametrize("args", [("ask", "why does latency matter?"), ("chat",), ("serve", "--port", "0")],
                         ids=lambda a: a[0])
def test_a_missing_provider_package_names_the_extra_in_every_command(args: tuple[str, ...]) -> None:
    provider = _a_missing_provider()
    env = {k: v for k, v in _env().items() if not k.startswith(("LLM_", "SLACK_", "MICROSOFT_"))}
    env["LLM_MODEL"] = f"{provider}:some-model"
    with tempfile.TemporaryDirectory() as folder:
        proc = cli(*args, stdin="1\n", env=env, cwd=Path(folder))
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.startswith(f"finetune-advisor: LLM_MODEL={provider}:some-model needs ")
    assert f"pip install 'finetune-advisor[{PROVIDER_PACKAGES[provider][1]}]'" in proc.stderr
    assert proc.stdout == ""
