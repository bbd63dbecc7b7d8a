"""``finetune-advisor serve``: one aiohttp application for Slack, Teams and operations."""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.service import TurnService
from adapters.settings import Settings
from adapters.wiring import make_advisor
from store import ConversationStore, store_from_settings

log = logging.getLogger("finetune_advisor.server")

SERVICE: web.AppKey[TurnService] = web.AppKey("service", TurnService)
SETTINGS: web.AppKey[Settings] = web.AppKey("settings", Settings)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def build_app(settings: Settings, store: ConversationStore | None = None) -> web.Application:
    """The whole service. ``store`` defaults to the one the settings describe."""
    from adapters.slack import mount as mount_slack
    from adapters.teams import mount as mount_teams

    store = store or store_from_settings(settings.store)
    service = TurnService(make_advisor(), store)
    app = web.Application(client_max_size=1024 * 1024)
    app[SERVICE] = service
    app[SETTINGS] = settings
    app.router.add_get("/healthz", healthz)
    mount_slack(app, service, settings)
    mount_teams(app, service, settings)

    async def close_store(_: web.Application) -> None:
        await service.store.close()

    app.on_cleanup.append(close_store)
    return app


def serve(settings: Settings) -> None:
    app = build_app(settings)
    log.info("serving on http://%s:%s", settings.host, settings.port)
    web.run_app(app, host=settings.host, port=settings.port, print=None, shutdown_timeout=30)
