"""The Teams app package an admin uploads: ``manifest.json`` + ``color.png`` + ``outline.png``.

``build_package(app_id, out, host=...)`` fills ``deploy/teams/manifest.template.json`` (the
bot id placeholder, the developer URLs and ``validDomains``) and zips it with the two icons.
The CLI command ``finetune-advisor teams-package --app-id ID [--out FILE]`` calls it.
"""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "deploy" / "teams"
ICONS = ("color.png", "outline.png")
DEFAULT_URL = "https://example.com/"
_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$")
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)  # fixed timestamps: the same inputs give the same bytes


def manifest(app_id: str, *, host: str | None = None, template_dir: Path = TEMPLATE_DIR) -> dict[str, object]:
    """The filled manifest. ``app_id`` is the bot's Microsoft App ID (a GUID); ``host`` the public
    host name of the messaging endpoint (``https://HOST/api/messages``), without scheme."""
    try:
        app_id = str(uuid.UUID(app_id))
    except (ValueError, AttributeError, TypeError):
        raise ValueError(f"app id must be the bot's Microsoft App ID, a GUID; got {app_id!r}") from None
    if host is not None and not _HOST.match(host):
        raise ValueError(f"host must be a bare host name like bot.example.com (no scheme or path); got {host!r}")
    text = (template_dir / "manifest.template.json").read_text(encoding="utf-8")
    url = f"https://{host}/" if host else DEFAULT_URL
    for placeholder, value in {
        "MICROSOFT_APP_ID": app_id, "WEBSITE_URL": url, "PRIVACY_URL": url, "TERMS_URL": url,
    }.items():
        text = text.replace("{{" + placeholder + "}}", value)
    filled: dict[str, object] = json.loads(text)
    if host:
        filled["validDomains"] = [host.split(":")[0]]
    leftover = re.findall(r"\{\{[A-Z_]+\}\}", json.dumps(filled))
    if leftover:
        raise ValueError(f"manifest template has unknown placeholders: {', '.join(sorted(set(leftover)))}")
    return filled


def build_package(app_id: str, out: Path, *, host: str | None = None, template_dir: Path = TEMPLATE_DIR) -> Path:
    """Write the zip to ``out`` (a directory gets ``finetune-advisor-teams.zip`` inside) and return its path."""
    out = Path(out)
    if out.is_dir():
        out = out / "finetune-advisor-teams.zip"
    filled = manifest(app_id, host=host, template_dir=template_dir)
    missing = [name for name in ICONS if not (template_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"icons missing from {template_dir}: {', '.join(missing)} (run deploy/teams/make_icons.py)")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries = [("manifest.json", (json.dumps(filled, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))]
        entries += [(name, (template_dir / name).read_bytes()) for name in ICONS]
        for name, data in entries:  # at the zip root, as Teams requires
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out
