"""The rules against scenarios written from the article alone (tests/data/scenarios.toml).

Only the tune split is scored here, at the figure it reached as a floor; the held-out split is
reported, as one aggregate, by bench/eval_scenarios.py and never tuned on.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("eval_scenarios", ROOT / "bench" / "eval_scenarios.py")
assert _spec and _spec.loader
eval_scenarios = importlib.util.module_from_spec(_spec)
sys.modules["eval_scenarios"] = eval_scenarios  # dataclasses look their module up while it loads
_spec.loader.exec_module(eval_scenarios)

TUNE_FLOOR = 35  # of 36 tune cases; the one left is argued in docs/rules.md ("Where we differ from the set")


def test_the_set_is_well_formed_and_split() -> None:
    cases = eval_scenarios.load_cases()
    assert len(cases) >= 45 and len({c["id"] for c in cases}) == len(cases)
    tune = sum(c["split"] == "tune" for c in cases)
    assert 0.55 <= tune / len(cases) <= 0.75


def test_tune_split_agreement_stays_at_its_floor() -> None:
    outcomes = eval_scenarios.run(eval_scenarios.load_cases(), "tune")
    agreed = sum(o.agrees for o in outcomes)
    missed = [(o.id, o.expected, o.got, o.rule) for o in outcomes if not o.agrees]
    assert agreed >= TUNE_FLOOR, missed
