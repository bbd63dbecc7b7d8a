"""Prometheus metrics of the service (prometheus-client).

One process: the default registry. Several (``serve --workers N``): prometheus-client's
multiprocess mode, chosen by ``PROMETHEUS_MULTIPROC_DIR`` being set when this module is first
imported (``serve`` sets it for its workers): each worker writes its values to files there and
``/metrics``, whichever worker answers it, adds up every worker's.
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess

#: The environment variable prometheus-client reads for its multiprocess mode.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

TURNS = Counter("ftadvisor_turns_total", "Turns handled, by platform and outcome.", ["platform", "outcome"])
TURN_LATENCY = Histogram(
    "ftadvisor_turn_latency_seconds", "Time of one turn through the store and the core.", ["platform"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
RECOMMENDATIONS = Counter("ftadvisor_recommendations_total", "Recommendation cards produced, by verdict.", ["verdict"])
QUESTIONS_PER_ASSESSMENT = Histogram(
    "ftadvisor_questions_per_assessment", "Questions asked before the card.", buckets=tuple(range(0, 13)),
)
TURNS_WAITING = Gauge(
    "ftadvisor_turns_waiting", "Turns waiting for a store + core slot (TURN_CONCURRENCY) right now.",
    multiprocess_mode="livesum",  # with several workers: the sum over the live ones
)
TURNS_QUEUED = Gauge(
    "ftadvisor_turns_queued", "Turns admitted and not finished (waiting included); at most TURN_QUEUE_LIMIT.",
    multiprocess_mode="livesum",
)
TURNS_SHED = Counter(
    "ftadvisor_turns_shed_total", "Turns refused because TURN_QUEUE_LIMIT turns were already queued, by platform.",
    ["platform"],
)
DUPLICATES = Counter("ftadvisor_duplicate_events_total", "Redelivered or doubled events dropped.", ["platform"])
CAS_RETRIES = Counter("ftadvisor_cas_retries_total", "Compare-and-set conflicts that re-ran a turn.", ["platform"])
STORE_ERRORS = Counter("ftadvisor_store_errors_total", "Turns that failed because the store was unavailable.", ["platform"])
PLATFORM_API_ERRORS = Counter(
    "ftadvisor_platform_api_errors_total", "Failed calls to Slack's Web API or the Bot Connector, by status.",
    ["platform", "status"],
)

LLM_CALLS = Counter(
    "ftadvisor_llm_calls_total", "Calls to the optional language model, by purpose (understanding, phrasing).", ["purpose"],
)
LLM_FALLBACKS = Counter(
    "ftadvisor_llm_fallbacks_total",
    "Model calls whose result was not used (the rule-based result stood), by purpose and reason "
    "(timeout, rate_limit, http_error, connection, malformed, uncited, budget, error).",
    ["purpose", "reason"],
)
LLM_LATENCY = Histogram(
    "ftadvisor_llm_latency_seconds", "Time of one language model call, whatever its outcome.", ["purpose"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def exposition() -> tuple[bytes, str]:
    """The metrics page and its content type (pass it as a header: aiohttp refuses a charset
    in ``content_type``)."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


def worker_exited(pid: int) -> None:
    """Drop a finished worker's live gauges (multiprocess mode; a no-op otherwise)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)
