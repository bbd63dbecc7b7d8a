"""Evaluate knowledge search on tests/data/why_eval.toml and time it.

Prints the hit rate (overall and per kind), the off-topic rejection rate, every miss, the
index build time and p50/p99 search latency. Run from the repo root::

    .venv/bin/python bench/eval_why.py [--rounds 200]

Latency is measured twice: "warm" repeats the eval questions (typo corrections cached) and
"cold" clears the typo cache before every query, as for a question never seen before.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tomllib
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from knowledge.base import default_knowledge_base  # noqa: E402
from knowledge.retrieval import KnowledgeIndex  # noqa: E402

EVAL_PATH = REPO / "tests" / "data" / "why_eval.toml"


def percentile(sorted_values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of already sorted values, nearest rank."""
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def evaluate(index: KnowledgeIndex, cases: list[dict]) -> tuple[dict[str, list[bool]], list[str]]:
    """Per-kind hit flags and a description of each miss."""
    by_kind: dict[str, list[bool]] = defaultdict(list)
    misses: list[str] = []
    for case in cases:
        hits = index.search(case["question"])
        top = hits[0].entry.id if hits else None
        ok = not hits if not case["expect"] else top in case["expect"]
        by_kind[case["kind"]].append(ok)
        if not ok:
            want = case["expect"] or "[]"
            misses.append(f"  [{case['kind']}] {case['question']!r}: got {top}, want {want}")
    return by_kind, misses


def time_searches(
    index: KnowledgeIndex, questions: list[str], rounds: int, cold: bool
) -> list[float]:
    """Per-search wall times in milliseconds, sorted."""
    timings: list[float] = []
    for _ in range(rounds):
        for question in questions:
            if cold:
                index._fix_cache.clear()  # noqa: SLF001 - measuring the uncached path on purpose
            start = time.perf_counter()
            index.search(question)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=200, help="repetitions of the eval set for timing"
    )
    args = parser.parse_args()

    with EVAL_PATH.open("rb") as fh:
        cases = tomllib.load(fh)["case"]
    kb = default_knowledge_base()
    start = time.perf_counter()
    index = KnowledgeIndex(kb)
    build_ms = (time.perf_counter() - start) * 1000

    by_kind, misses = evaluate(index, cases)
    flags = [ok for oks in by_kind.values() for ok in oks]
    print(f"knowledge base: {len(kb)} entries; index built in {build_ms:.1f} ms")
    print(f"eval set: {len(cases)} cases from {EVAL_PATH.relative_to(REPO)}")
    print(f"hit rate: {sum(flags) / len(flags):.3f} ({sum(flags)}/{len(flags)})")
    for kind in sorted(by_kind):
        oks = by_kind[kind]
        label = "off-topic rejection" if kind == "off_topic" else kind
        print(f"  {label:20} {sum(oks) / len(oks):.3f} ({sum(oks)}/{len(oks)})")
    if misses:
        print("misses:")
        print("\n".join(misses))

    questions = [c["question"] for c in cases]
    for label, cold in (("warm", False), ("cold", True)):
        rounds = max(1, args.rounds // 10) if cold else args.rounds
        timings = time_searches(index, questions, rounds, cold)
        print(
            f"search latency ({label}, n={len(timings)}): p50 {percentile(timings, 0.5):.3f} ms, "
            f"p99 {percentile(timings, 0.99):.3f} ms, mean {statistics.fmean(timings):.3f} ms, "
            f"max {timings[-1]:.3f} ms"
        )
    return 0 if sum(flags) / len(flags) >= 0.9 and all(by_kind.get("off_topic", [True])) else 1


if __name__ == "__main__":
    raise SystemExit(main())
