"""Run every benchmark and evaluation and write bench/RESULTS.md: one table of current figures.

Each script prints its own report (shown here as it runs). From each report, the lines that
carry a headline figure (matched by the patterns below) become rows of the table; a line of
the form ``… target < 1 ms p99: PASS (…)`` fills the target and met columns. The full reports
follow the table, folded. Nothing is dated: running it again replaces the whole file.

Evaluation scripts print held-out figures as aggregates only (they never show held-out
cases); this file only copies what they print.

    .venv/bin/python bench/results.py                 # everything (bash bench/run.sh)
    .venv/bin/python bench/results.py --only eval_why # one script, e.g. while working on it
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "RESULTS.md"
TIMEOUT_S = 1800

#: An evaluation line: its tune and held-out figures ("held-out 48.9%", "held_out: 0.80").
EVAL_LINE = r"(?i)\b(?:tune|held[-_ ]?out)\b.*\d"
#: A line that states a target and whether it was met.
TARGET_LINE = r"\btarget\b.*:\s*(?:PASS|FAIL|OK|met|not met|MET|NOT MET)"


@dataclass(frozen=True)
class Benchmark:
    script: str
    title: str
    headlines: tuple[str, ...]
    args: tuple[str, ...] = ()
    #: Lines that open a part of the report; group 1 prefixes the rows that follow ("Slack").
    sections: str = ""

    @property
    def name(self) -> str:
        return Path(self.script).stem


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark("bench/bench_core.py", "Core: recommend, ask, question policy, chat start",
              (r"^(?:recommend|ask|policy|chat)\s{2,}\S",)),
    Benchmark("bench/eval_scenarios.py", "Verdicts on the scenario set", (EVAL_LINE,)),
    Benchmark("bench/eval_reading.py", "Reading descriptions and typed answers", (EVAL_LINE,)),
    Benchmark("bench/eval_why.py", "Answers from the knowledge base",
              (EVAL_LINE, r"^hit rate:", r"^\s+off-topic", r"^search latency \(warm")),
    Benchmark("bench/bench_store.py", "Conversation store on Redis",
              (r"^c=\d+\s+store/baseline", r"^1 hot conversation", r"^bytes per finished")),
    Benchmark("bench/bench_teams.py", "CPU per Teams turn", (r"ms/turn \(rounds",)),
    Benchmark("bench/bench_llm.py", "Language model overhead",
              (r"without model .* extra p50", r"^\s+ack ")),
    Benchmark("bench/bench_load.py", "Slack and Teams under load (serve, 50 users)",
              (TARGET_LINE, r"^\s+ours\s{2,}", r"turns/s \(measured window\)", r"ack p50 / p99 ms", r"full turn p50 / p99", r"server CPU ms per turn",
               r"throughput ratio", r"floor / bare Bolt"), sections=r"^(Slack|Teams):"),
)


@dataclass(frozen=True)
class Row:
    benchmark: str
    measure: str
    target: str = ""
    met: str = ""


_TARGET = re.compile(r"^(?P<measure>.*?)\s*\btarget\s+(?P<target>.+?):\s*(?P<met>PASS|FAIL|OK|MET|NOT MET|met|not met)\b(?P<rest>.*)$")


def rows_of(benchmark: Benchmark, output: str) -> list[Row]:
    patterns = [re.compile(p) for p in (*benchmark.headlines, TARGET_LINE)]
    section = re.compile(benchmark.sections) if benchmark.sections else None
    rows, prefix = [], ""
    for line in output.splitlines():
        opened = section.search(line) if section else None
        if opened:
            prefix = opened.group(1) + ": "
            continue
        if not any(p.search(line) for p in patterns):
            continue
        text = prefix + " ".join(line.split())
        found = _TARGET.match(text)
        if found:
            measure = " ".join(filter(None, (found["measure"].rstrip(" ,;:"), found["rest"].strip())))
            rows.append(Row(benchmark.title, measure, found["target"], found["met"].upper()))
        else:
            rows.append(Row(benchmark.title, text))
    return rows


def run(benchmark: Benchmark) -> tuple[int, str, float]:
    """Run one script, echoing its report; its exit status, output and wall time."""
    print(f"=== {benchmark.script}", flush=True)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, benchmark.script, *benchmark.args], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    status = proc.wait(timeout=TIMEOUT_S)
    return status, "".join(lines), time.perf_counter() - started


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(results: list[tuple[Benchmark, int, str, float]]) -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    out = [
        "# Benchmark and evaluation results",
        "",
        "Generated by `bash bench/run.sh` (`bench/results.py`); running it again replaces this file.",
        f"Machine: Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.machine()}; load average at the end {load}. Shared machines vary by up to a third "
        "between runs: compare figures within one run.",
        "",
        "| benchmark | measure | target | met |",
        "|---|---|---|---|",
    ]
    for benchmark, status, output, _ in results:
        rows = rows_of(benchmark, output)
        if status != 0:
            rows.append(Row(benchmark.title, f"`{benchmark.script}` exited {status}: see its report below", "", "ERROR"))
        elif not rows:
            rows.append(Row(benchmark.title, f"no headline found in the report of `{benchmark.script}`: see below"))
        for row in rows:
            out.append(f"| {_cell(row.benchmark)} | {_cell(row.measure)} | {_cell(row.target)} | {row.met} |")
    out += ["", "## Full reports", ""]
    for benchmark, status, output, seconds in results:
        out += [
            f"<details><summary><code>{benchmark.script}</code> ({seconds:.0f} s, exit {status})</summary>",
            "",
            "```text",
            output.rstrip("\n"),
            "```",
            "",
            "</details>",
            "",
        ]
    return "\n".join(out)


_REPORT = re.compile(
    r"<details><summary><code>(?P<script>[^<]+)</code> \((?P<seconds>\d+) s, exit (?P<status>-?\d+)\)</summary>\n\n"
    r"```text\n(?P<output>.*?)\n```", re.S)


def saved_reports(path: Path) -> list[tuple[Benchmark, int, str, float]]:
    """The full reports kept in an earlier RESULTS.md, to rebuild its table without running
    anything again (after a change to the headline patterns)."""
    by_script = {b.script: b for b in BENCHMARKS}
    return [
        (by_script[m["script"]], int(m["status"]), m["output"] + "\n", float(m["seconds"]))
        for m in _REPORT.finditer(path.read_text(encoding="utf-8")) if m["script"] in by_script
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this script (e.g. bench_core); repeatable")
    parser.add_argument("--out", type=Path, default=RESULTS, help="file to write (default: bench/RESULTS.md)")
    parser.add_argument("--retable", action="store_true",
                        help="rebuild the table from the reports already in --out, running nothing")
    args = parser.parse_args(argv)
    if args.retable:
        args.out.write_text(render(saved_reports(args.out)) + "\n", encoding="utf-8")
        print(f"rewrote the table of {args.out}")
        return 0
    chosen = [b for b in BENCHMARKS if (REPO / b.script).exists() and (not args.only or b.name in args.only)]
    unknown = set(args.only or ()) - {b.name for b in BENCHMARKS}
    if unknown:
        parser.error(f"unknown benchmark {', '.join(sorted(unknown))}; known: {', '.join(b.name for b in BENCHMARKS)}")
    results = [(b, *run(b)) for b in chosen]
    args.out.write_text(render(results) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0 if all(status == 0 for _, status, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
