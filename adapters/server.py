"""``finetune-advisor serve``: one aiohttp application for Slack, Teams and operations."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import tempfile
import time

from aiohttp import web

from adapters import metrics
from adapters.event_loop import loop_name, new_event_loop
from adapters.logs import register_secrets
from adapters.service import TurnService
from adapters.settings import Settings
from adapters.wiring import make_advisor
from bot.errors import ConfigurationError, StoreError
from store import ConversationStore, keep_for_expiry_notice, store_from_settings

log = logging.getLogger("finetune_advisor.server")

SERVICE: web.AppKey[TurnService] = web.AppKey("service", TurnService)
SETTINGS: web.AppKey[Settings] = web.AppKey("settings", Settings)


async def healthz(request: web.Request) -> web.Response:
    """Alive: the process answers HTTP."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Ready: the knowledge base is loaded, the store answers and the turn queue has room; 503
    with the reason otherwise (a saturated replica gets no new traffic from the load balancer)."""
    service = request.app[SERVICE]
    queue = service.queue
    if queue.saturated:
        return web.json_response({"status": "unavailable", "reason": "saturated", "queued": queue.size,
                                  "limit": queue.limit}, status=503)
    if len(service.advisor.kb) == 0:  # type: ignore[arg-type]
        return web.json_response({"status": "unavailable", "reason": "knowledge base empty"}, status=503)
    try:
        await service.store.ping()
    except StoreError as exc:
        log.warning("not ready: store unavailable", extra={"error": str(exc)})
        return web.json_response({"status": "unavailable", "reason": "store unavailable"}, status=503)
    return web.json_response({"status": "ready"})


async def metrics_page(request: web.Request) -> web.Response:
    body, content_type = metrics.exposition()
    return web.Response(body=body, headers={"Content-Type": content_type})


def build_app(settings: Settings, store: ConversationStore | None = None) -> web.Application:
    """The whole service. ``store`` defaults to the one the settings describe."""
    from adapters.slack import mount as mount_slack
    from adapters.teams import mount as mount_teams

    from adapters.llm import build_language_model

    register_secrets(settings.secret_values())  # redacted from every log line from now on
    advisor = make_advisor(settings.conversation_ttl_s, via_langchain=True)
    llm = build_language_model(settings, advisor.kb)  # None without LLM_MODEL; raises if its extra is missing
    store = store or store_from_settings(keep_for_expiry_notice(settings.store))
    service = TurnService(advisor, store, llm, concurrency=settings.turn_concurrency,
                          queue_limit=settings.turn_queue_limit)
    app = web.Application(client_max_size=1024 * 1024)
    app[SERVICE] = service
    app[SETTINGS] = settings
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_page)
    mount_slack(app, service, settings)
    mount_teams(app, service, settings)

    async def close_store(_: web.Application) -> None:
        await service.store.close()
        if service.llm is not None:
            await service.llm.aclose()

    async def warm_up(_: web.Application) -> None:
        # Build the search index (and import langchain-core) before serving, so the first
        # "why" does not block the event loop and /readyz means ready; and compute every
        # recommendation the buttons can lead to, so the first assessments are not slower.
        await asyncio.to_thread(advisor.index)
        started = time.perf_counter()
        ends = await asyncio.to_thread(advisor.warm)
        log.info("decision tree warmed", extra={"ends": len(ends), "seconds": round(time.perf_counter() - started, 2)})

    deadline: dict[str, float] = {}

    async def start_deadline(_: web.Application) -> None:
        deadline["at"] = asyncio.get_running_loop().time() + settings.shutdown_deadline_s

    async def drain(_: web.Application) -> None:
        """One drain for Slack and Teams together, before any session or the store closes."""
        loop = asyncio.get_running_loop()
        await service.inflight.drain(deadline.get("at", loop.time() + settings.shutdown_deadline_s))

    app.on_startup.append(warm_up)
    app.on_shutdown.insert(0, start_deadline)
    app.on_cleanup.insert(0, drain)
    app.on_cleanup.append(close_store)
    return app


def serve(settings: Settings, workers: int = 1) -> None:
    """Serve until SIGTERM/SIGINT, then drain: stop accepting, finish in-flight turns and
    background replies of Slack and Teams together (up to SHUTDOWN_DEADLINE_S), close the store. ``workers`` > 1 runs that many processes
    on one port (SO_REUSEPORT); they share conversations through Redis, so the embedded store
    refuses it."""
    if workers > 1:
        if settings.redis_url is None:
            raise ConfigurationError(
                "--workers above 1 needs REDIS_URL: the embedded store lives in one process and cannot be shared"
            )
        _serve_many(settings, workers)
        return
    _serve_one(settings, reuse_port=False)


def _serve_one(settings: Settings, reuse_port: bool) -> None:
    app = build_app(settings)
    loop = new_event_loop()
    log.info("serving", extra={"host": settings.host, "port": settings.port, "pid": os.getpid(), "loop": loop_name(loop)})
    try:
        # No access log: it would carry query strings (OAuth codes); each turn logs one line.
        web.run_app(app, host=settings.host, port=settings.port, print=None, shutdown_timeout=settings.shutdown_deadline_s,
                    reuse_port=reuse_port or None, handle_signals=True, access_log=None, loop=loop)
    except OSError as exc:
        raise ConfigurationError(f"cannot listen on {settings.host}:{settings.port} (HOST/PORT): {exc.strerror or exc}") from None


def _serve_many(settings: Settings, workers: int) -> None:
    # Each worker keeps its metrics in files in one directory, so that /metrics, whichever
    # worker answers it, reports all of them (prometheus-client's multiprocess mode). The
    # workers are spawned, so they import prometheus-client after the variable is set.
    own_dir = None
    if not os.environ.get(metrics.MULTIPROC_ENV):
        own_dir = tempfile.mkdtemp(prefix="ftadvisor-metrics-")
        os.environ[metrics.MULTIPROC_ENV] = own_dir
    try:
        _run_workers(settings, workers)
    finally:
        if own_dir is not None:
            os.environ.pop(metrics.MULTIPROC_ENV, None)
            shutil.rmtree(own_dir, ignore_errors=True)


def _run_workers(settings: Settings, workers: int) -> None:
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_worker, args=(settings,), daemon=False) for _ in range(workers)]
    for child in children:
        child.start()

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            if child.is_alive() and child.pid:
                os.kill(child.pid, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    # Reap workers in the order they end, so a worker that dies early drops out of /metrics'
    # live gauges at once rather than when the workers started before it have ended.
    running = {child.sentinel: child for child in children}
    while running:
        for sentinel in multiprocessing.connection.wait(list(running)):
            child = running.pop(sentinel)  # type: ignore[arg-type]
            child.join()
            if child.pid:
                metrics.worker_exited(child.pid)
    failed = [child.exitcode for child in children if child.exitcode not in (0, None)]
    if failed:
        raise ConfigurationError(f"{len(failed)} of {workers} workers failed (exit codes {failed}); see the log")


def _worker(settings: Settings) -> None:
    from adapters.logs import configure

    configure(settings.log_level)
    try:
        _serve_one(settings, reuse_port=True)
    except ConfigurationError as exc:
        log.error("worker could not start", extra={"error": str(exc)})
        raise SystemExit(2) from None
