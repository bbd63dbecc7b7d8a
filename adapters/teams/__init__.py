"""Microsoft Teams: ``POST /api/messages`` on the ``finetune-advisor serve`` app.

Every botbuilder import of the project lives in this package (Microsoft archived the Python
Bot Framework SDK in favour of the M365 Agents SDK; moving off it touches this folder alone).

* ``events.py``    Activity -> InboundEvent (mention stripping, keys, Action.Submit data)
* ``cards.py``     replies -> Adaptive Cards 1.5 / markdown messages (pure dicts)
* ``plan.py``      what to post and what to update in place for one turn
* ``connector.py`` lean Bot Connector client (one aiohttp session, retries, Retry-After)
* ``adapter.py``   CloudAdapter + ConfigurationBotFrameworkAuthentication, lean outbound path
* ``bot.py``       the ActivityHandler; ``outbox.py`` ordered background delivery
* ``endpoint.py``  the HTTP route; ``package.py`` the Teams app package zip
"""

from __future__ import annotations

import logging

from aiohttp import web

from adapters.service import TurnService
from adapters.settings import Settings
from bot.errors import ConfigurationError

from .endpoint import ROUTE, TeamsEndpoint

log = logging.getLogger("finetune_advisor.teams")

TEAMS_ENDPOINT: web.AppKey[TeamsEndpoint] = web.AppKey("teams_endpoint", TeamsEndpoint)

__all__ = ["ROUTE", "TEAMS_ENDPOINT", "TeamsEndpoint", "mount"]


def mount(app: web.Application, service: TurnService, settings: Settings) -> TeamsEndpoint | None:
    """Add ``POST /api/messages`` to ``app``; replies still in flight are delivered on
    shutdown (the service's one drain, SHUTDOWN_DEADLINE_S) before the connector's pool closes.

    Teams is on with MICROSOFT_APP_ID (authentication on), or with TEAMS_EMULATOR=1 (local
    emulator mode, authentication off). With neither, nothing is mounted: an unauthenticated
    endpoint would post replies to whatever serviceUrl a caller names."""
    if not settings.microsoft_app_id and (settings.microsoft_app_password or settings.microsoft_app_tenant_id):
        given = "MICROSOFT_APP_PASSWORD" if settings.microsoft_app_password else "MICROSOFT_APP_TENANT_ID"
        raise ConfigurationError(f"MICROSOFT_APP_ID is required with {given} (the bot's Azure app registration)")
    if not settings.microsoft_app_id and not settings.teams_emulator:
        log.info("Teams is off: set MICROSOFT_APP_ID (or TEAMS_EMULATOR=1 for the local emulator)")
        return None
    endpoint = TeamsEndpoint.build(service, settings)
    if not settings.microsoft_app_id:
        log.warning(
            "MICROSOFT_APP_ID is unset: the Teams endpoint %s runs in LOCAL EMULATOR MODE with "
            "authentication OFF; anyone who can reach it can talk to the bot. Set MICROSOFT_APP_ID, "
            "MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TYPE (and MICROSOFT_APP_TENANT_ID) for Teams.",
            ROUTE,
        )
    else:
        log.info("Teams endpoint %s: app %s (%s), inbound authentication on", ROUTE,
                 settings.microsoft_app_id, settings.microsoft_app_type)
    app[TEAMS_ENDPOINT] = endpoint
    app.router.add_post(ROUTE, endpoint.handle)
    service.inflight.track("teams", endpoint.outbox.tasks)  # drained with Slack's (adapters.server)
    app.on_cleanup.append(endpoint.on_cleanup)
    return endpoint
