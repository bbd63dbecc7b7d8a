"""How well the bot reads free text, on sets written from the article alone.

tests/data/descriptions.toml: use-case descriptions with the factor values each states;
tests/data/answers.toml: typed answers to one question with the value they mean ("unknown" for
"not sure", "not_an_answer" for a question or nonsense typed while the question is open). Both
were written by a separate session that saw only the article, and each case is marked
``split = "tune"`` or ``"held_out"``. Run from the repo root::

    .venv/bin/python bench/eval_reading.py            # figures for both splits, tune failures
    .venv/bin/python bench/eval_reading.py --json     # the figures as JSON

Only tune-split failures are ever printed; the held-out split is reported as figures alone, so
nobody tunes on it by accident. Descriptions are read with ``bot.reading.understand`` (what the
conversation reads from an opening description); typed answers with
``bot.reading.parse_answer`` (what it reads as the answer to the open question).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.factors import BY_ID, UNKNOWN  # noqa: E402
from bot.reading import parse_answer, understand  # noqa: E402

DESCRIPTIONS = REPO / "tests" / "data" / "descriptions.toml"
ANSWERS = REPO / "tests" / "data" / "answers.toml"
SPLITS = ("tune", "held_out")
NOT_AN_ANSWER = "not_an_answer"


def load(path: Path, split: str) -> list[dict]:
    """The cases of one split, checked against the public factor contract."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    with path.open("rb") as handle:
        cases = [c for c in tomllib.load(handle)["case"] if c["split"] == split]
    for case in cases:
        pairs = case["states"].items() if "states" in case else [(case["factor"], case["expected"])]
        for factor_id, value in pairs:
            allowed = (*BY_ID[factor_id].allowed, NOT_AN_ANSWER) if "expected" in case else BY_ID[factor_id].allowed
            if value not in allowed:
                raise ValueError(f"case {case['id']}: {factor_id}={value!r} is not a value")
    return cases


@dataclass
class DescriptionScore:
    stated: int = 0
    right: int = 0
    wrong: int = 0
    wrong_sensitive: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.right / self.stated if self.stated else 0.0


def score_descriptions(cases: list[dict]) -> DescriptionScore:
    """Per stated factor: right, wrong (another value read) or missed (nothing read)."""
    score = DescriptionScore()
    for case in cases:
        found = {f: u.value for f, u in understand(case["text"]).items()}
        for factor_id, expected in case["states"].items():
            got = found.get(factor_id, UNKNOWN)
            score.stated += 1
            if got == expected:
                score.right += 1
                continue
            kind = "missed" if got == UNKNOWN else "WRONG"
            if got != UNKNOWN:
                score.wrong += 1
                score.wrong_sensitive += factor_id == "sensitive_data"
            score.failures.append(f"{case['id']}: {kind} {factor_id}: expected {expected}, read {got}")
    return score


@dataclass
class AnswerScore:
    total: int = 0
    right: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0


def score_answers(cases: list[dict]) -> AnswerScore:
    score = AnswerScore()
    for case in cases:
        got = parse_answer(case["factor"], case["text"]) or NOT_AN_ANSWER
        score.total += 1
        if got == case["expected"]:
            score.right += 1
        else:
            score.failures.append(
                f"{case['id']}: {case['factor']} {case['text']!r}: expected {case['expected']}, read {got}"
            )
    return score


def figures() -> dict[str, dict[str, float | int]]:
    out: dict[str, dict[str, float | int]] = {}
    for split in SPLITS:
        d = score_descriptions(load(DESCRIPTIONS, split))
        a = score_answers(load(ANSWERS, split))
        out[split] = {
            "description_factors": d.stated,
            "description_right_share": round(d.share, 4),
            "description_wrong": d.wrong,
            "description_wrong_sensitive_data": d.wrong_sensitive,
            "answers": a.total,
            "answer_right_share": round(a.share, 4),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args()
    result = figures()
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for split in SPLITS:
        f = result[split]
        print(
            f"{split:9} descriptions: {f['description_right_share']:.1%} of {f['description_factors']} stated factors "
            f"read right, {f['description_wrong']} wrong ({f['description_wrong_sensitive_data']} sensitive_data); "
            f"typed answers: {f['answer_right_share']:.1%} of {f['answers']}"
        )
    tune_d = score_descriptions(load(DESCRIPTIONS, "tune"))
    tune_a = score_answers(load(ANSWERS, "tune"))
    if tune_d.failures or tune_a.failures:
        print("\ntune-split failures (held-out failures are never shown):")
        for line in tune_d.failures + tune_a.failures:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
