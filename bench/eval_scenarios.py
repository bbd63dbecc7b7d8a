"""Agreement of the verdict rules with scenarios written from the article alone.

tests/data/scenarios.toml was written by a separate session that saw only the article: each
``[[case]]`` has ``id``, ``scenario`` (the team's situation in words), ``answers`` (factor ->
value), ``verdict`` (what a careful reader of the article would say), ``why`` and ``split``
(``tune`` or ``held_out``).

Prints agreement on the tune split with every tune disagreement (id, scenario, expected, got,
the set's why, and the rule that decided), and the held-out agreement as one aggregate figure:
held-out cases are never listed, so nobody tunes on them.

    python bench/eval_scenarios.py [--set tests/data/scenarios.toml] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.factors import complete  # noqa: E402
from bot.rules import decide, decide_rule  # noqa: E402

DEFAULT_SET = ROOT / "tests" / "data" / "scenarios.toml"
SPLITS = ("tune", "held_out")


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    scenario: str
    expected: str
    got: str
    rule: str
    why: str

    @property
    def agrees(self) -> bool:
        return self.expected == self.got


def load_cases(path: Path = DEFAULT_SET) -> list[dict]:
    with path.open("rb") as f:
        cases = tomllib.load(f)["case"]
    for case in cases:
        if case.get("split") not in SPLITS:
            raise ValueError(f"case {case.get('id')!r}: split must be one of {SPLITS}")
        complete(case["answers"])  # raises InvalidAnswers naming a bad factor or value
    return cases


def run(cases: list[dict], split: str) -> list[Outcome]:
    """The engine's verdict on every case of one split."""
    return [
        Outcome(c["id"], c["scenario"], c["verdict"], decide(c["answers"]), decide_rule(c["answers"]), c.get("why", ""))
        for c in cases
        if c["split"] == split
    ]


def agreement(outcomes: list[Outcome]) -> float:
    return sum(o.agrees for o in outcomes) / len(outcomes) if outcomes else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    cases = load_cases(args.set)
    tune, held_out = run(cases, "tune"), run(cases, "held_out")
    figures = {
        "tune": {"cases": len(tune), "agree": sum(o.agrees for o in tune), "agreement": round(agreement(tune), 4)},
        "held_out": {"cases": len(held_out), "agree": sum(o.agrees for o in held_out),
                     "agreement": round(agreement(held_out), 4)},
    }
    if args.json:
        figures["tune"]["disagreements"] = [
            {"id": o.id, "expected": o.expected, "got": o.got, "rule": o.rule} for o in tune if not o.agrees
        ]
        print(json.dumps(figures, indent=2))
        return 0
    for split in SPLITS:
        f = figures[split]
        print(f"{split}: {f['agree']}/{f['cases']} agree ({f['agreement']:.1%})")
    misses = [o for o in tune if not o.agrees]
    if misses:
        print("\ntune disagreements:")
    for o in misses:
        print(f"\n- {o.id}: expected {o.expected}, got {o.got} (rule {o.rule})")
        print(f"  scenario: {o.scenario}")
        print(f"  set's why: {o.why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
