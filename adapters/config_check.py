"""``finetune-advisor config check``: the effective configuration, secrets redacted, and
per platform what is missing to run it."""

from __future__ import annotations

from pydantic import SecretStr

from adapters.llm.config import describe as describe_llm
from adapters.settings import Settings
from store import redact_url


def _shown(name: str, value: object) -> str:
    if isinstance(value, SecretStr):
        return "set (redacted)"
    if value is None:
        return "unset"
    if name in ("REDIS_URL", "LLM_BASE_URL"):
        return redact_url(str(value))
    return str(value)


def effective(settings: Settings) -> list[tuple[str, str]]:
    """(variable, shown value) for every setting, in declaration order."""
    rows = []
    for field_name, info in Settings.model_fields.items():
        rows.append((info.alias or field_name.upper(), _shown(info.alias or "", getattr(settings, field_name))))
    return rows


def slack_status(s: Settings) -> tuple[str, list[str]]:
    """(mode, missing variables) for Slack."""
    if not (s.slack_bot_token or s.slack_client_id or s.slack_app_token or s.slack_signing_secret or s.slack_client_secret):
        return "off", ["SLACK_BOT_TOKEN (single workspace) or SLACK_CLIENT_ID + SLACK_CLIENT_SECRET (OAuth)"]
    missing = []
    if s.slack_client_id or s.slack_client_secret:
        mode = "multi-workspace OAuth"
        if not s.slack_client_id:
            missing.append("SLACK_CLIENT_ID")
        if not s.slack_client_secret:
            missing.append("SLACK_CLIENT_SECRET")
        if not s.redis_url:
            mode += " (installations in the embedded store are lost on restart: set REDIS_URL)"
    else:
        mode = "single workspace"
        if not s.slack_bot_token:
            missing.append("SLACK_BOT_TOKEN")
    if s.slack_app_token:
        mode += ", Socket Mode"
    elif not s.slack_signing_secret:
        missing.append("SLACK_SIGNING_SECRET")
    if missing:
        mode += " (incomplete: serve refuses to start)"
    return mode, missing


def teams_status(s: Settings) -> tuple[str, list[str]]:
    if not s.microsoft_app_id:
        if s.microsoft_app_password or s.microsoft_app_tenant_id:
            return "incomplete (serve refuses to start)", ["MICROSOFT_APP_ID"]
        if s.teams_emulator:
            return "local emulator (authentication off)", ["MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to run in Teams"]
        return "off", ["MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (or TEAMS_EMULATOR=1 for the local emulator)"]
    missing = []
    if s.microsoft_app_type != "UserAssignedMSI" and not s.microsoft_app_password:
        missing.append("MICROSOFT_APP_PASSWORD")
    if s.microsoft_app_type in ("SingleTenant", "UserAssignedMSI") and not s.microsoft_app_tenant_id:
        missing.append("MICROSOFT_APP_TENANT_ID")
    return f"Bot Framework auth ({s.microsoft_app_type})", missing


def report(settings: Settings) -> str:
    lines = ["Effective configuration:"]
    rows = effective(settings)
    width = max(len(name) for name, _ in rows)
    lines += [f"  {name:<{width}}  {value}" for name, value in rows]
    lines.append("")
    store = "Redis Cluster" if settings.redis_cluster else "Redis"
    lines.append(f"Store: {store if settings.redis_url else 'embedded (one process only; set REDIS_URL to share)'}")
    for platform, (mode, missing) in (("Slack", slack_status(settings)), ("Teams", teams_status(settings))):
        state = "ready" if not missing else "missing " + ", ".join(missing)
        lines.append(f"{platform}: {mode}; {state}")
    lines.append(f"Language model: {describe_llm(settings)}")
    return "\n".join(lines)
