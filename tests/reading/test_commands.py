"""Commands and loose factor names."""

from __future__ import annotations

import pytest

from bot.events import Action
from bot.factors import FACTOR_IDS
from bot.reading import factor_from_words, parse_command


# --- commands ----------------------------------------------------------------------------------

COMMAND_CASES: list[tuple[str, Action | None]] = [
    ("skip", Action("skip")),
    ("Skip", Action("skip")),
    ("/skip", Action("skip")),
    ("skip.", Action("skip")),
    ("back", Action("back")),
    ("undo", Action("back")),
    ("/Back", Action("back")),
    ("change", Action("change")),
    ("change latency", Action("change", factor="latency_critical")),
    ("change sensitive data", Action("change", factor="sensitive_data")),
    ("change training_data", Action("change", factor="training_data")),
    ("/change gpu", Action("change", factor="compute_available")),
    ("change my answer to latency", Action("change", factor="latency_critical")),
    ("change something weird", Action("change")),
    ("restart", Action("restart")),
    ("start over", Action("restart")),
    ("reset", Action("restart")),
    ("start", Action("start")),
    ("begin", Action("start")),
    ("why", Action("why")),
    ("why?", Action("why")),
    ("Why?", Action("why")),
    ("why do you ask", Action("why_ask")),
    ("why do you ask?", Action("why_ask")),
    ("why this question", Action("why_ask")),
    ("help", Action("help")),
    ("commands", Action("help")),
    ("export", Action("record")),
    ("record", Action("record")),
    ("decision record", Action("record")),
    ("status", Action("status")),
    ("?", None),
    ("", None),
    ("why is latency important?", None),
    ("why not fine-tune?", None),
    ("skip this one please", None),
    ("yes", None),
    ("2", None),
    ("help me decide whether to fine-tune", None),
]


@pytest.mark.parametrize(("text", "expected"), COMMAND_CASES)
def test_parse_command(text: str, expected: Action | None) -> None:
    assert parse_command(text) == expected


# --- factor names --------------------------------------------------------------------------------

FACTOR_WORDS: list[tuple[str, str | None]] = [
    ("latency", "latency_critical"),
    ("speed", "latency_critical"),
    ("response time", "latency_critical"),
    ("privacy", "sensitive_data"),
    ("sensitive data", "sensitive_data"),
    ("training data", "training_data"),
    ("examples", "training_data"),
    ("context", "context_size"),
    ("prompt size", "context_size"),
    ("domain", "domain_knowledge"),
    ("scope", "task_scope"),
    ("alternatives", "alternatives_tried"),
    ("prompt engineering", "alternatives_tried"),
    ("fine-tunable", "model_fine_tunable"),
    ("cost", "hosted_cost_sensitive"),
    ("price", "hosted_cost_sensitive"),
    ("compute", "compute_available"),
    ("gpu", "compute_available"),
    ("GPUs", "compute_available"),
    ("guardrails", "needs_vendor_guardrails"),
    ("safety", "needs_vendor_guardrails"),
    ("iteration", "iteration_capacity"),
    ("time to iterate", "iteration_capacity"),
    ("the latency answer", "latency_critical"),
    ("banana", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), FACTOR_WORDS)
def test_factor_from_words(text: str, expected: str | None) -> None:
    assert factor_from_words(text) == expected


@pytest.mark.parametrize("factor_id", FACTOR_IDS)
def test_factor_ids_name_themselves(factor_id: str) -> None:
    assert factor_from_words(factor_id) == factor_id
    assert factor_from_words(factor_id.replace("_", " ")) == factor_id


