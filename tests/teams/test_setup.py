"""Configuration, start-up, token caching, the app package, and the botbuilder boundary."""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import struct
import time
import zipfile
import zlib
from pathlib import Path
import jwt
import pytest
from aiohttp import web

from adapters.config_check import teams_status
from adapters.service import TurnService
from adapters.teams import ROUTE, mount
from adapters.teams.adapter import CredentialTokens, LeanCloudAdapter, bot_configuration
from adapters.teams.package import build_package, manifest
from adapters.wiring import make_advisor
from bot.errors import ConfigurationError
from store import embedded_store

from .conftest import settings

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "0b3b1c1e-5f67-4a2d-9d0e-1f2a3b4c5d6e"


# --- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(("env", "missing"), [
    ({"MICROSOFT_APP_ID": APP_ID}, "MICROSOFT_APP_PASSWORD"),
    ({"MICROSOFT_APP_TYPE": "SingleTenant", "MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "p"}, "MICROSOFT_APP_TENANT_ID"),
    ({"MICROSOFT_APP_TYPE": "UserAssignedMSI", "MICROSOFT_APP_TENANT_ID": "t"}, "MICROSOFT_APP_ID"),
])
def test_incomplete_credentials_fail_at_start_naming_the_variable(env: dict[str, str], missing: str) -> None:
    with pytest.raises(ConfigurationError, match=missing):
        bot_configuration(settings(**env))


def test_configuration_object_for_botbuilder() -> None:
    config = bot_configuration(settings(MICROSOFT_APP_TYPE="SingleTenant", MICROSOFT_APP_ID=APP_ID,
                                        MICROSOFT_APP_PASSWORD="p", MICROSOFT_APP_TENANT_ID="t"))
    assert (config.APP_ID, config.APP_PASSWORD, config.APP_TYPE, config.APP_TENANTID) == (APP_ID, "p", "SingleTenant", "t")
    assert bot_configuration(settings()).APP_ID == ""  # emulator mode


async def test_mount_warns_loudly_without_an_app_id(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="finetune_advisor.teams")
    service = TurnService(make_advisor(), embedded_store())
    app = web.Application()
    endpoint = mount(app, service, settings())
    assert isinstance(endpoint.adapter, LeanCloudAdapter)
    assert [r for r in caplog.records if r.levelno == logging.WARNING and "authentication OFF" in r.getMessage()]
    assert [r.method for r in app.router.routes() if r.resource and r.resource.canonical == ROUTE] == ["POST"]
    caplog.clear()
    mount(web.Application(), service, settings(MICROSOFT_APP_ID=APP_ID, MICROSOFT_APP_PASSWORD="p"))
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_bearer_tokens_are_cached_until_shortly_before_expiry() -> None:
    class Credentials:
        microsoft_app_id = APP_ID

        def __init__(self) -> None:
            self.calls = 0

        def get_access_token(self, force_refresh: bool = False) -> str:
            self.calls += 1
            return jwt.encode({"exp": int(time.time()) + 3600, "n": self.calls}, "k" * 32, algorithm="HS256")

    credentials = Credentials()
    tokens = CredentialTokens(credentials)
    first = await tokens.token()
    assert await tokens.token() == first and credentials.calls == 1
    tokens.invalidate()
    assert await tokens.token() != first and credentials.calls == 2

    class Anonymous:
        microsoft_app_id = ""

    assert await CredentialTokens(Anonymous()).token() is None


# --- the app package -------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_package_zip_holds_manifest_and_icons(tmp_path: Path) -> None:
    out = build_package(APP_ID.upper(), tmp_path / "pkg" / "advisor.zip", host="advisor.example.com")
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        filled = json.loads(archive.read("manifest.json"))
        color, outline = archive.read("color.png"), archive.read("outline.png")
    assert png_size(color) == (192, 192) and png_size(outline) == (32, 32)
    assert filled["id"] == APP_ID and filled["bots"][0]["botId"] == APP_ID
    assert filled["manifestVersion"] == re.search(r"/v(\d+\.\d+)/", filled["$schema"]).group(1)  # type: ignore[union-attr]
    assert set(filled["bots"][0]["scopes"]) == {"team", "personal", "groupChat"}
    commands = [c["title"] for c in filled["bots"][0]["commandLists"][0]["commands"]]
    assert commands == ["start", "help", "restart", "status", "why"]
    assert filled["validDomains"] == ["advisor.example.com"]
    assert filled["developer"]["websiteUrl"] == "https://advisor.example.com/"
    # limits Teams enforces when an admin uploads the package
    assert len(filled["name"]["short"]) <= 30 and len(filled["name"]["full"]) <= 100
    assert len(filled["description"]["short"]) <= 80 and len(filled["description"]["full"]) <= 4000
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128 for c in filled["bots"][0]["commandLists"][0]["commands"])
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", filled["accentColor"])
    assert "{{" not in json.dumps(filled)
    # deterministic: the same inputs give the same bytes
    again = build_package(APP_ID, tmp_path / "again.zip", host="advisor.example.com")
    assert again.read_bytes() == out.read_bytes()


def test_package_into_a_directory_without_host(tmp_path: Path) -> None:
    out = build_package(APP_ID, tmp_path)
    assert out == tmp_path / "finetune-advisor-teams.zip"
    with zipfile.ZipFile(out) as archive:
        filled = json.loads(archive.read("manifest.json"))
    assert filled["validDomains"] == [] and filled["developer"]["privacyUrl"].startswith("https://")


@pytest.mark.parametrize(("app_id", "host"), [("not-a-guid", None), (APP_ID, "https://x.example.com/api"), (APP_ID, "a b")])
def test_package_rejects_bad_input(app_id: str, host: str | None, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        manifest(app_id, host=host)


def test_outline_icon_is_white_on_transparent() -> None:
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "deploy/teams/make_icons.py")
    assert spec is not None and spec.loader is not None
    icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(icons)
    outline = icons.outline_icon()
    assert outline == (ROOT / "deploy/teams/outline.png").read_bytes()  # committed file is current
    pixels = zlib.decompress(b"".join(_chunks(outline, b"IDAT")))
    rows = [pixels[i * 129 + 1:(i + 1) * 129] for i in range(32)]
    rgba = [row[j:j + 4] for row in rows for j in range(0, 128, 4)]
    assert all(p[:3] == b"\xff\xff\xff" for p in rgba)  # white only
    assert {p[3] for p in rgba} >= {0, 255}  # transparent background, opaque symbol


def _chunks(png: bytes, kind: bytes) -> list[bytes]:
    found, i = [], 8
    while i < len(png):
        (length,) = struct.unpack(">I", png[i:i + 4])
        if png[i + 4:i + 8] == kind:
            found.append(png[i + 8:i + 8 + length])
        i += 12 + length
    return found


# --- the botbuilder boundary ---------------------------------------------------------------------


def test_botbuilder_is_imported_only_inside_adapters_teams() -> None:
    pattern = re.compile(r"^\s*(?:from|import)\s+(?:botbuilder|botframework)\b", re.M)
    offenders = [
        str(path.relative_to(ROOT))
        for top in ("adapters", "bot", "store", "knowledge")  # the product; bench/ may run a stock baseline
        for path in (ROOT / top).rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
        and not path.is_relative_to(ROOT / "adapters" / "teams")
    ]
    assert offenders == []


def test_teams_is_off_without_an_app_id_unless_the_emulator_is_asked_for() -> None:
    service = TurnService(make_advisor(), embedded_store())
    off = web.Application()
    assert mount(off, service, settings(TEAMS_EMULATOR=False)) is None
    assert all(r.resource is None or r.resource.canonical != ROUTE for r in off.router.routes())
    on = web.Application()
    assert mount(on, service, settings(TEAMS_EMULATOR=True)) is not None
    assert any(r.resource is not None and r.resource.canonical == ROUTE for r in on.router.routes())


@pytest.mark.parametrize(("env", "given"), [
    ({"MICROSOFT_APP_PASSWORD": "p"}, "MICROSOFT_APP_PASSWORD"),
    ({"MICROSOFT_APP_PASSWORD": "p", "TEAMS_EMULATOR": True}, "MICROSOFT_APP_PASSWORD"),
    ({"MICROSOFT_APP_TENANT_ID": "t"}, "MICROSOFT_APP_TENANT_ID"),
])
def test_teams_credentials_without_an_app_id_refuse_to_start(env: dict[str, object], given: str) -> None:
    """Half a Teams configuration is a mistake to name at start, not Teams silently off."""
    service = TurnService(make_advisor(), embedded_store())
    with pytest.raises(ConfigurationError, match=f"MICROSOFT_APP_ID is required with {given}"):
        mount(web.Application(), service, settings(**env))
    mode, missing = teams_status(settings(**env))
    assert missing == ["MICROSOFT_APP_ID"], (mode, missing)


def test_blank_teams_password_is_unset() -> None:
    assert settings(MICROSOFT_APP_PASSWORD="  ").microsoft_app_password is None
    service = TurnService(make_advisor(), embedded_store())
    assert mount(web.Application(), service, settings(MICROSOFT_APP_PASSWORD="", TEAMS_EMULATOR=False)) is None
