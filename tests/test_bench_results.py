"""bench/RESULTS.md is regenerated from the benchmarks' own reports by bench/results.py
(what ``bash bench/run.sh`` runs): one table, no dates, the full reports folded below."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=300)


def test_the_table_carries_the_figures_the_report_prints(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = run("bench/results.py", "--only", "eval_why", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    report = run("bench/eval_why.py", "--rounds", "1").stdout
    held = next(line for line in report.splitlines() if line.startswith("held_out"))
    assert held.split("right ")[1].split(" ")[0] in text  # "47/54": the same count as the report, not a copy of an old run
    rows = [line for line in text.splitlines() if line.startswith("| Answers from the knowledge base |")]
    assert any("held_out" in row for row in rows) and any("off-topic" in row for row in rows)
    assert text.count("| benchmark | measure | target | met |") == 1  # one table
    assert "<code>bench/eval_why.py</code>" in text and "exit 0" in text  # the full report, folded
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)  # nothing dated


def test_an_unknown_benchmark_is_a_usage_error(tmp_path: Path) -> None:
    done = run("bench/results.py", "--only", "bench_nothing", "--out", str(tmp_path / "x.md"))
    assert done.returncode == 2 and "known: bench_core" in done.stderr
    assert not (tmp_path / "x.md").exists()
