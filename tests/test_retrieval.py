"""Knowledge search: evaluation set, off-topic gate, typos, hostile input, LangChain wrapper."""

from __future__ import annotations

import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge import default_knowledge_base
from knowledge.retrieval import MAX_QUERY_CHARS, Hit, KnowledgeIndex, default_index

EVAL_PATH = Path(__file__).resolve().parent / "data" / "why_eval.toml"
REPO = Path(__file__).resolve().parents[1]
KINDS = {"paraphrase", "typo", "one_word", "own_case", "off_topic"}


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    return default_index()


def _cases() -> list[dict[str, Any]]:
    with EVAL_PATH.open("rb") as fh:
        return tomllib.load(fh)["case"]


def _top(index: KnowledgeIndex, question: str) -> str | None:
    hits = index.search(question)
    return hits[0].entry.id if hits else None


# -- evaluation set --------------------------------------------------------------------------


def test_eval_set_is_well_formed() -> None:
    cases = _cases()
    kinds = Counter(c["kind"] for c in cases)
    assert len(cases) >= 45
    assert set(kinds) == KINDS
    assert kinds["paraphrase"] >= 10 and kinds["own_case"] >= 10 and kinds["off_topic"] >= 10
    assert kinds["typo"] >= 6 and kinds["one_word"] >= 6
    ids = {e.id for e in default_knowledge_base()}
    for c in cases:
        assert set(c) == {"question", "expect", "kind"}, c
        assert set(c["expect"]) <= ids, c
        assert (c["kind"] == "off_topic") == (not c["expect"]), c
    assert len({c["question"] for c in cases}) == len(cases)


def test_eval_hit_rate(index: KnowledgeIndex) -> None:
    cases = [c for c in _cases() if c["expect"]]
    misses = [
        f"[{c['kind']}] {c['question']!r}: got {_top(index, c['question'])}, want {c['expect']}"
        for c in cases
        if _top(index, c["question"]) not in c["expect"]
    ]
    off = [c for c in _cases() if not c["expect"]]
    leaks = [c["question"] for c in off if index.search(c["question"])]
    total = len(cases) + len(off)
    rate = (total - len(misses) - len(leaks)) / total
    assert rate >= 0.9, f"hit rate {rate:.2f}; misses:\n" + "\n".join(misses + leaks)


def test_eval_off_topic_all_rejected(index: KnowledgeIndex) -> None:
    leaks = {
        c["question"]: [h.entry.id for h in index.search(c["question"])]
        for c in _cases()
        if not c["expect"]
    }
    leaks = {q: ids for q, ids in leaks.items() if ids}
    assert not leaks, f"off-topic questions got entries: {leaks}"


# -- the off-topic gate ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather",
        "write me a poem",
        "how do I bake bread",
        "who won the world cup",
        "what is kubernetes",
        "what time is it",
        "is the data model in postgres slow",
        "give me some examples of good names for a cat",
        "how much does a tesla cost",
        "how long does it take to learn guitar",
        "how fast can a cheetah run",
        "what's the best model of car",
        "hello",
        "thanks!",
    ],
)
def test_off_topic_gets_nothing(index: KnowledgeIndex, question: str) -> None:
    assert index.search(question) == []
    assert not index.on_topic(question)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("cost", "hosted-cost"),
        ("guardrails", "guardrails-removed"),
        ("what is prompt chaining", "prompt-chaining"),
        ("we have no GPU budget", "compute-resources"),
        ("can we anonymise the data first", "sensitive-private-data"),
        ("the model doesn't know our internal acronyms", "domain-specific-context"),
    ],
)
def test_on_topic_finds_entry(index: KnowledgeIndex, question: str, expected: str) -> None:
    assert index.on_topic(question)
    assert _top(index, question) == expected


def test_generic_words_alone_do_not_open_the_gate(index: KnowledgeIndex) -> None:
    for question in ("model", "time", "model time", "what is the best way", "good question"):
        assert index.search(question) == [], question
    # "data" is not generic here: "what data do we need?" is the training-data question.
    assert _top(index, "what data do we need?") == "training-data-pairs"


# -- typos -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("fine tunning", {"what-is-fine-tuning"}),
        ("latancy", {"lower-latency", "latency-from-alternatives"}),
        ("privcy", {"privacy-risk", "sensitive-private-data"}),
        ("promt chaining", {"prompt-chaining"}),
        ("guardrials", {"guardrails-removed"}),
        ("hosting cots", {"hosted-cost"}),
    ],
)
def test_typos_are_corrected(index: KnowledgeIndex, question: str, expected: set[str]) -> None:
    assert _top(index, question) in expected


def test_typo_fix_alone_does_not_open_gate(index: KnowledgeIndex) -> None:
    # "bread" is close to "broad" and "world" to "words", yet neither makes these on topic.
    assert index.search("bread") == []
    assert index.search("world cup") == []


# -- results ---------------------------------------------------------------------------------


def test_hits_are_ranked_and_bounded(index: KnowledgeIndex) -> None:
    hits = index.search("prompt engineering versus fine-tuning latency and tokens", k=5)
    assert 1 <= len(hits) <= 5
    assert all(isinstance(h, Hit) for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.entry.id for h in hits}) == len(hits)
    assert len(index.search("privacy", k=1)) == 1
    assert index.search("privacy", k=0) == []
    assert len(index.search("fine-tuning", k=1000)) <= len(default_knowledge_base())
    with pytest.raises(AttributeError):
        hits[0].score = 1.0  # type: ignore[misc]


def test_fine_tune_spellings_are_one_term(index: KnowledgeIndex) -> None:
    spellings = ["fine-tuning", "fine tuning", "finetuning", "Fine-Tuned", "fine tune"]
    tops = {_top(index, f"what is {s}?") for s in spellings}
    assert tops == {"what-is-fine-tuning"}


def test_index_over_custom_base(tmp_path: Path) -> None:
    index = KnowledgeIndex(default_knowledge_base())
    assert index.search("privacy")[0].entry.id in {"privacy-risk", "sensitive-private-data"}
    assert "latency" in index.vocabulary()


# -- hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   \n\t  ",
        "?!?!...;;;---",
        "\x00\x01\x02\x1b[31m\x7f",
        "x" * 60_000,
        "🤖🔥💯" * 1000,
        "1234567890 42 3.14",
        "a " * 30_000,
    ],
)
def test_hostile_input_is_rejected_quickly(index: KnowledgeIndex, question: str) -> None:
    start = time.perf_counter()
    assert index.search(question) == []
    assert time.perf_counter() - start < 0.05


def test_long_input_is_cut_and_answered_quickly(index: KnowledgeIndex) -> None:
    question = "what about privacy? " + "lorem ipsum dolor " * 5000
    start = time.perf_counter()
    index.search(question)
    assert time.perf_counter() - start < 0.05
    # Anything after the cut-off is never seen.
    assert index.search("lorem " * (MAX_QUERY_CHARS // 6 + 10) + "privacy") == []


def test_non_string_query_returns_nothing(index: KnowledgeIndex) -> None:
    assert index.search(None) == []  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=1, max_value=5))
def test_search_never_fails(question: str, k: int) -> None:
    hits = default_index().search(question, k=k)
    assert len(hits) <= k
    assert all(h.score > 0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_is_fast(index: KnowledgeIndex) -> None:
    questions = [c["question"] for c in _cases()]
    for q in questions:  # warm caches
        index.search(q)
    timings = []
    for _ in range(5):
        for q in questions:
            start = time.perf_counter()
            index.search(q)
            timings.append(time.perf_counter() - start)
    timings.sort()
    # Generous bounds for shared CI machines; bench/eval_why.py measures the real p50/p99.
    assert timings[len(timings) // 2] < 0.002
    assert timings[int(len(timings) * 0.99)] < 0.02


# -- imports and LangChain -------------------------------------------------------------------


def test_knowledge_does_not_import_langchain() -> None:
    code = (
        "import sys, knowledge; knowledge.default_index().search('latency');"
        "bad = [m for m in sys.modules if m.startswith('langchain')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)


def test_langchain_retriever(index: KnowledgeIndex) -> None:
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever

    from knowledge.langchain_retriever import make_retriever

    retriever = make_retriever(index, k=2)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("is our customer PII a privacy problem?")
    assert 1 <= len(docs) <= 2
    assert all(isinstance(d, Document) for d in docs)
    first = docs[0]
    assert set(first.metadata) == {"id", "title", "section", "stance", "score"}
    entry = default_knowledge_base().get(first.metadata["id"])
    assert first.page_content == entry.body
    assert first.metadata["section"] == entry.section and first.metadata["stance"] == entry.stance
    assert isinstance(first.metadata["score"], float)
    assert retriever.invoke("what's the weather") == []


def test_the_service_searches_through_the_langchain_retriever_with_the_same_results() -> None:
    from adapters.wiring import make_advisor
    from knowledge.langchain_retriever import RetrieverSearcher

    advisor = make_advisor(via_langchain=True)
    searcher = advisor.index()
    assert isinstance(searcher, RetrieverSearcher)
    direct = make_advisor().index()
    for question in ("why does latency matter?", "is customer PII a problem?", "what's the weather?"):
        assert [(h.entry.id, round(h.score, 6)) for h in searcher.search(question)] == [
            (h.entry.id, round(h.score, 6)) for h in direct.search(question)
        ]


# -- the article-only question set (tune split only; held-out is scored by bench/eval_why.py) ----

#: The tune split's figures this retrieval reached; a change that loses any of them fails here.
TUNE_FLOOR = {"right_share": 0.97, "off_topic_declined": 19, "unrelated_citations": 5}


def test_tune_split_stays_at_its_reached_figure() -> None:
    from bench.eval_why import score_splits
    from bot.answers import answer_question

    index = default_index()
    summary, outcomes = score_splits(lambda q: answer_question(q, index), splits=("tune",))["tune"]
    failures = [f"{o.case['id']} {o.case['question']!r}: {o.why}" for o in outcomes if not o.right]
    assert summary["right_share"] >= TUNE_FLOOR["right_share"], "\n".join(failures)
    assert summary["off_topic_declined"] >= TUNE_FLOOR["off_topic_declined"]
    assert summary["unrelated_citations"] <= TUNE_FLOOR["unrelated_citations"]


def test_the_semantic_model_loads_from_its_package_with_no_network() -> None:
    """The model ships inside the wordllama wheel; with every proxy pointing nowhere and the hub
    told to stay offline, the index still builds and answers."""
    code = (
        "import socket\n"
        "def refuse(*a, **k):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "import knowledge\n"
        "hits = knowledge.default_index().search('does fine-tuning make answers faster?')\n"
        "assert hits and hits[0].entry.id in {'lower-latency', 'latency-from-alternatives'}, hits\n"
        "from knowledge.embedding import default_embedder\n"
        "import wordllama, pathlib\n"
        "print(pathlib.Path(wordllama.__file__).parent)\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.lower().endswith("_proxy")}
    env.update(HF_HUB_OFFLINE="1", HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, capture_output=True, text=True, timeout=60)
    assert (Path(out.stdout.strip()) / "weights").is_dir()


def test_routes_tell_entries_overviews_limits_help_and_off_topic_apart(index: KnowledgeIndex) -> None:
    assert index.route("does fine-tuning reduce latency?").kind == "entry"
    assert index.route("what are the downsides of fine-tuning?").kind == "overview"
    assert index.route("should I use RAG or fine-tuning?").kind == "limit"
    assert index.route("what does decisive mean?").kind == "help"
    assert index.route("tell me a joke").kind == "off_topic"
    # The old contract: search gives entries, never help, and [] off topic.
    assert index.search("what does decisive mean?") == [] and index.search("tell me a joke") == []


def test_loading_the_model_leaves_logging_as_it_was() -> None:
    """wordllama calls logging.basicConfig on import; `ask` must still print nothing on stderr."""
    out = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "ask", "does latency matter?"],
        cwd=REPO, check=True, capture_output=True, text=True, timeout=60,
    )
    assert out.stderr == "" and "Sources:" in out.stdout
