"""botbuilder's ``CloudAdapter`` with inbound auth intact and a lean outbound path.

``CloudAdapter.process_activity`` builds, on every turn, an msrest ``ConnectorClient`` (with
its ``ClientRetryPolicy``) from fresh app credentials and a ``UserTokenClient``. Here the
authentication is wrapped so that:

* the "connector client" of a turn is a :class:`Route`: the serviceUrl, the process-wide
  :class:`~adapters.teams.connector.Connector` and a cached bearer-token source;
* user-token clients are built once per app id and reused;
* ``send_activities`` / ``update_activity`` / ``delete_activity`` go through the Route.

Inbound JWT validation (``ConfigurationBotFrameworkAuthentication``) is botbuilder's, unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import time
from asyncio import sleep
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import jwt
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, ConversationReference, ResourceResponse
from botframework.connector import Channels
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)

from adapters.settings import Settings
from bot.errors import ConfigurationError

from . import keys
from .connector import Connector, TokenSource
from .keys import KeysUnavailable

log = logging.getLogger("finetune_advisor.teams")

_TOKEN_MARGIN_S = 300.0  # refresh a bearer token five minutes before it expires


def bot_configuration(settings: Settings) -> SimpleNamespace:
    """The configuration object botbuilder reads (``APP_ID``, ``APP_PASSWORD``, ``APP_TYPE``,
    ``APP_TENANTID``); raises ConfigurationError naming the missing variable."""
    app_id = settings.microsoft_app_id or ""
    password = settings.microsoft_app_password.get_secret_value() if settings.microsoft_app_password else ""
    tenant = settings.microsoft_app_tenant_id or ""
    app_type = settings.microsoft_app_type
    needed = {
        "MultiTenant": ("MICROSOFT_APP_PASSWORD",) if app_id else (),
        "SingleTenant": ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID"),
        "UserAssignedMSI": ("MICROSOFT_APP_ID", "MICROSOFT_APP_TENANT_ID"),
    }[app_type]
    values = {"MICROSOFT_APP_ID": app_id, "MICROSOFT_APP_PASSWORD": password, "MICROSOFT_APP_TENANT_ID": tenant}
    missing = [name for name in needed if not values[name]]
    if missing:
        raise ConfigurationError(f"MICROSOFT_APP_TYPE={app_type} needs {', '.join(missing)}")
    return SimpleNamespace(APP_ID=app_id, APP_PASSWORD=password, APP_TYPE=app_type, APP_TENANTID=tenant)


def _token_lifetime(token: str) -> float:
    """Seconds to keep ``token``: until five minutes before its ``exp`` (unverified read)."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        return max(30.0, float(claims["exp"]) - time.time() - _TOKEN_MARGIN_S)
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return 600.0


class CredentialTokens:
    """Bearer tokens from botbuilder app credentials (MSAL, or managed identity), cached until
    shortly before they expire; the blocking MSAL call runs in a worker thread."""

    def __init__(self, credentials: Any) -> None:
        self._credentials = credentials
        self._token: str | None = None
        self._valid_until = 0.0
        self._lock = asyncio.Lock()

    @property
    def enabled(self) -> bool:
        return bool(getattr(self._credentials, "microsoft_app_id", None))

    async def token(self) -> str | None:
        if not self.enabled:
            return None
        if self._token and time.monotonic() < self._valid_until:
            return self._token
        async with self._lock:
            if self._token and time.monotonic() < self._valid_until:
                return self._token
            token = await asyncio.to_thread(self._credentials.get_access_token)
            self._token, self._valid_until = token, time.monotonic() + _token_lifetime(token)
            return token

    def invalidate(self) -> None:
        """Forget the token; MicrosoftAppCredentials also drops its MSAL client (and with it
        MSAL's token cache), so the next call really fetches a new token."""
        self._token, self._valid_until = None, 0.0
        if hasattr(self._credentials, "app"):
            self._credentials.app = None


@dataclass(frozen=True, slots=True)
class Route:
    """Stands in for a turn's ConnectorClient: where and how to send."""

    connector: Connector
    service_url: str
    tokens: TokenSource


@dataclass
class _Shared:
    connector: Connector
    tokens: dict[tuple[str, str], CredentialTokens] = field(default_factory=dict)
    user_token_clients: dict[str, UserTokenClient] = field(default_factory=dict)


def _app_id(claims: ClaimsIdentity) -> str:
    value = claims.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM) if claims else None
    if value is None and claims:
        value = claims.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)
    return value or ""


class _RouteFactory(ConnectorFactory):
    def __init__(self, shared: _Shared, inner: ConnectorFactory, app_id: str) -> None:
        self._shared, self._inner, self._app_id = shared, inner, app_id

    async def create(self, service_url: str, audience: str = None) -> Route:  # type: ignore[override,assignment]
        key = (self._app_id, audience or "")
        tokens = self._shared.tokens.get(key)
        if tokens is None:
            # Once per app id and audience: let botbuilder pick the credentials (cloud, tenant,
            # managed identity), then keep them and their token cache.
            client = await self._inner.create(service_url, audience)
            tokens = self._shared.tokens.setdefault(key, CredentialTokens(client.config.credentials))
        return Route(self._shared.connector, service_url, tokens)


class LeanAuthentication(BotFrameworkAuthentication):
    """botbuilder's authentication, with per-turn outbound clients replaced by cached ones."""

    def __init__(self, inner: BotFrameworkAuthentication, connector: Connector) -> None:
        self._inner = inner
        self._shared = _Shared(connector)

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """botbuilder's check; any failure but an unreachable key service is a PermissionError
        (401), whatever botbuilder raised (IndexError, AttributeError, bare Exception...)."""
        try:
            result = await self._inner.authenticate_request(activity, auth_header)
        except (PermissionError, KeysUnavailable):
            raise
        except Exception as exc:  # noqa: BLE001 - a token botbuilder could not verify
            raise PermissionError(f"token not verified ({type(exc).__name__})") from None
        result.connector_factory = _RouteFactory(self._shared, result.connector_factory, _app_id(result.claims_identity))
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        inner = self._inner.create_connector_factory(claims_identity)
        return _RouteFactory(self._shared, inner, _app_id(claims_identity))

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = _app_id(claims_identity)
        client = self._shared.user_token_clients.get(app_id)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            self._shared.user_token_clients[app_id] = client
        return client

    def create_bot_framework_client(self):  # type: ignore[no-untyped-def]
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)


class LeanCloudAdapter(CloudAdapter):
    """CloudAdapter whose outbound calls go through the turn's :class:`Route`."""

    @staticmethod
    def route(context: TurnContext) -> Route | None:
        route = context.turn_state.get(CloudAdapter.BOT_CONNECTOR_CLIENT_KEY)
        return route if isinstance(route, Route) else None

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        route = self.route(context)
        if route is None:
            return await super().send_activities(context, activities)
        responses: list[ResourceResponse] = []
        for activity in activities:
            activity.id = None
            message_id = ""
            if activity.type == "delay":
                await sleep(int((activity.value or 1000) / 1000))
            elif activity.type == ActivityTypes.invoke_response:
                context.turn_state[self._INVOKE_RESPONSE_KEY] = activity
            elif activity.type == ActivityTypes.trace and activity.channel_id != Channels.emulator:
                pass
            else:
                message_id = await route.connector.post(
                    route.service_url, activity.conversation.id, activity.serialize(),
                    reply_to_id=activity.reply_to_id, tokens=route.tokens,
                )
            responses.append(ResourceResponse(id=message_id))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse | None:
        route = self.route(context)
        if route is None:
            return await super().update_activity(context, activity)
        await route.connector.update(
            route.service_url, activity.conversation.id, activity.id, activity.serialize(), tokens=route.tokens
        )
        return ResourceResponse(id=activity.id)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        if self.route(context) is None:
            await super().delete_activity(context, reference)
            return
        raise NotImplementedError("the Teams adapter never deletes messages")


def build_adapter(settings: Settings, connector: Connector, *, lean: bool = True) -> CloudAdapter:
    """``lean=False`` gives stock botbuilder (per-turn msrest clients); kept for the benchmark."""
    keys.install(settings.teams_openid_metadata_url)
    authentication = ConfigurationBotFrameworkAuthentication(bot_configuration(settings))
    if not lean:
        return CloudAdapter(authentication)
    return LeanCloudAdapter(LeanAuthentication(authentication, connector))
