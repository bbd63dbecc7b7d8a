"""One module per factor, each with its description rules and its answer rules side by side.

``TABLES`` maps every factor id to its module, in the public factor order.
"""

from __future__ import annotations

from types import ModuleType

from bot.factors import FACTOR_IDS
from bot.reading.factors import (
    alternatives_tried,
    compute_available,
    context_size,
    domain_knowledge,
    hosted_cost_sensitive,
    iteration_capacity,
    latency_critical,
    model_fine_tunable,
    needs_vendor_guardrails,
    sensitive_data,
    task_scope,
    training_data,
)

_MODULES: dict[str, ModuleType] = {
    "training_data": training_data,
    "sensitive_data": sensitive_data,
    "latency_critical": latency_critical,
    "context_size": context_size,
    "domain_knowledge": domain_knowledge,
    "task_scope": task_scope,
    "alternatives_tried": alternatives_tried,
    "model_fine_tunable": model_fine_tunable,
    "hosted_cost_sensitive": hosted_cost_sensitive,
    "compute_available": compute_available,
    "needs_vendor_guardrails": needs_vendor_guardrails,
    "iteration_capacity": iteration_capacity,
}
assert tuple(_MODULES) == FACTOR_IDS

TABLES: dict[str, ModuleType] = _MODULES
