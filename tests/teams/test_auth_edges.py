"""Teams authentication never answers 500 (issue 20, finding 5).

A stand-in key service publishes an OpenID metadata document and one RSA signing key
(TEAMS_OPENID_METADATA_URL points botbuilder's channel key lookup at it). Tokens are signed
with that key as the Bot Framework channel signs them; forged variants must get 401, and a key
service that cannot be reached 503 with one log line, never a traceback.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from store import KeySpace, embedded_store

from .conftest import ADA, StubConnector, _serve, settings, start_bot

APP_ID = "0b3b1c1e-5f67-4a2d-9d0e-1f2a3b4c5d6e"
ISSUER = "https://api.botframework.com"


class KeyService:
    def __init__(self) -> None:
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.url = ""
        self.fetches = 0

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        jwk.update(kid="k1", use="sig", endorsements=["msteams"])
        return {"keys": [jwk]}

    async def metadata(self, request: web.Request) -> web.Response:
        self.fetches += 1
        return web.json_response({"issuer": ISSUER, "jwks_uri": self.url + "/keys"})

    async def keys(self, request: web.Request) -> web.Response:
        return web.json_response(self.jwks())

    def token(self, service_url: str, *, kid: str | None = "k1", key: Any = None, alg: str = "RS256",
              **claims: Any) -> str:
        body = {"iss": ISSUER, "aud": APP_ID, "exp": int(time.time()) + 600, "nbf": int(time.time()) - 10,
                "serviceurl": service_url, **claims}
        headers = {"kid": kid} if kid is not None else {}
        return jwt.encode(body, key if key is not None else self.private, algorithm=alg, headers=headers)


@pytest.fixture
async def key_service() -> AsyncIterator[KeyService]:
    service = KeyService()
    app = web.Application()
    app.router.add_get("/openid", service.metadata)
    app.router.add_get("/keys", service.keys)
    runner, url = await _serve(app)
    service.url = url
    yield service
    await runner.cleanup()


async def _bot(connector: StubConnector, prefix: str, metadata_url: str):
    config = settings(MICROSOFT_APP_ID=APP_ID, MICROSOFT_APP_PASSWORD="s3cret", TEAMS_EMULATOR=False,
                      TEAMS_OPENID_METADATA_URL=metadata_url)
    return await start_bot(connector, embedded_store(keys=KeySpace(prefix)), config)


async def test_unverifiable_tokens_get_401_never_500(connector: StubConnector, key_service: KeyService,
                                                     redis_prefix: str, caplog: pytest.LogCaptureFixture) -> None:
    bot, stop = await _bot(connector, redis_prefix, key_service.url + "/openid")
    try:
        # an app update: accepted, and nothing to answer (a reply would need a bearer token
        # from Azure, out of reach here)
        upgrade = bot.a.installed(*bot.a.team_conversation())
        upgrade["action"] = "add-upgrade"
        good = key_service.token(upgrade["serviceUrl"])
        resp = await bot.post(upgrade, headers={"Authorization": f"Bearer {good}"})
        assert resp.status in (200, 201)  # the keys are loaded now
        activity = bot.a.personal(ADA, "help")
        caplog.clear()
        caplog.set_level(logging.INFO)
        service_url = activity["serviceUrl"]
        forged = {
            "unknown kid": key_service.token(service_url, kid="nope"),
            "no kid": key_service.token(service_url, kid=None),
            "alg none": jwt.encode({"iss": ISSUER, "aud": APP_ID, "exp": int(time.time()) + 600,
                                    "serviceurl": service_url}, None, algorithm="none", headers={"kid": "k1"}),
            "HS256": key_service.token(service_url, key="k" * 32, alg="HS256"),
            "wrong signature": key_service.token(service_url, key=key_service.other),
            "expired": key_service.token(service_url, exp=int(time.time()) - 3600),
            "other audience": key_service.token(service_url, aud="someone-else"),
            "other serviceUrl": key_service.token("https://elsewhere.example.com/"),
            "not a JWT": "abc.def",
        }
        for name, token in forged.items():
            resp = await bot.post(bot.a.personal(ADA, "help"), headers={"Authorization": f"Bearer {token}"})
            assert resp.status == 401, name
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
        assert key_service.fetches <= 2  # an unknown kid asks for one background refresh at most
    finally:
        await stop()
    assert [c for c in connector.calls if c.body.get("text") == "help"] == []


async def test_unreachable_key_service_gets_503_with_one_log_line(connector: StubConnector, redis_prefix: str,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    closed = web.Application()
    runner, url = await _serve(closed)
    await runner.cleanup()  # nothing listens there any more
    bot, stop = await _bot(connector, redis_prefix, url + "/openid")
    try:
        caplog.set_level(logging.INFO)
        keys = KeyService()
        activity = bot.a.personal(ADA, "help")
        token = keys.token(activity["serviceUrl"])
        started = time.monotonic()
        for _ in range(3):
            resp = await bot.post(activity, headers={"Authorization": f"Bearer {token}"})
            assert resp.status == 503
            assert resp.headers.get("Retry-After")
        assert time.monotonic() - started < 5
        lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(lines) == 3 and all(r.getMessage() == "rejected a Teams request" for r in lines)
        assert not [r for r in caplog.records if r.exc_info]
    finally:
        await stop()
    assert connector.calls == []
