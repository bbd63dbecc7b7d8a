"""The reading figures reached on the tune splits of the sets written from the article alone
(tests/data/descriptions.toml, tests/data/answers.toml) are floors: a change that reads worse
fails here. Only tune cases are loaded; the held-out figures are reported by bench/eval_reading.py.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_BENCH = Path(__file__).resolve().parents[2] / "bench" / "eval_reading.py"
_spec = importlib.util.spec_from_file_location("eval_reading", _BENCH)
assert _spec is not None and _spec.loader is not None
eval_reading = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("eval_reading", eval_reading)  # dataclasses look their module up there
_spec.loader.exec_module(eval_reading)

DESCRIPTIONS_RIGHT_FLOOR = 1.0
DESCRIPTIONS_WRONG_CEILING = 0
ANSWERS_RIGHT_FLOOR = 1.0


def test_descriptions_tune_split_floor() -> None:
    score = eval_reading.score_descriptions(eval_reading.load(eval_reading.DESCRIPTIONS, "tune"))
    assert score.stated >= 60
    assert score.share >= DESCRIPTIONS_RIGHT_FLOOR, score.failures
    assert score.wrong <= DESCRIPTIONS_WRONG_CEILING and score.wrong_sensitive == 0, score.failures


def test_answers_tune_split_floor() -> None:
    score = eval_reading.score_answers(eval_reading.load(eval_reading.ANSWERS, "tune"))
    assert score.total >= 60
    assert score.share >= ANSWERS_RIGHT_FLOOR, score.failures
