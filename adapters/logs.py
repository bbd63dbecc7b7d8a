"""Structured logs: JSON lines when stderr is not a terminal, readable text when it is.

Stdlib logging (records serialised with orjson); fields passed with ``extra=`` become JSON
keys. Callers pass ids, outcomes and timings, never users' text; and one filter,
:class:`RedactSecrets`, on the one handler, rewrites every record from every library at every
level before it is written: Slack tokens (``xox?-``, ``xapp-``), ``Bearer`` values, JWTs,
``client_secret``-like parameters and the configured secrets' values (``register_secrets``,
called by ``build_app`` with the settings' SecretStr values) become ``[redacted]``.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import IO, Any

import orjson

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}


_CHATTY_LIBRARIES = ("bm25s",)

REDACTED = "[redacted]"
_PATTERNS = re.compile(
    r"xox[a-z]-[A-Za-z0-9-]+"  # Slack bot, user, refresh... tokens
    r"|xapp-[A-Za-z0-9-]+"  # Slack app-level tokens
    r"|(?<=Bearer )[^\s'\",}]+"  # any bearer credential
    r"|eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"  # JWTs
    r"|(?<=client_secret=)[^&\s'\"]+|(?<=['\"]client_secret['\"]: ['\"])[^'\"]+",
)
_secrets: re.Pattern[str] | None = None


def register_secrets(values: list[str]) -> None:
    """Redact these exact values too (the configured secrets); values under 4 characters are
    not worth a false positive on every number."""
    global _secrets
    usable = sorted({v for v in values if len(v) >= 4}, key=len, reverse=True)
    _secrets = re.compile("|".join(map(re.escape, usable))) if usable else None


def redact(text: str) -> str:
    text = _PATTERNS.sub(REDACTED, text)
    return _secrets.sub(REDACTED, text) if _secrets is not None else text


class RedactSecrets(logging.Filter):
    """Rewrites a record's message, extra fields, exception text and stack in place."""

    _exceptions = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        for key, value in list(record.__dict__.items()):
            if key in _STANDARD or value is None or isinstance(value, (bool, int, float)):
                continue
            text = value if isinstance(value, str) else str(value)
            cleaned = redact(text)
            if cleaned != text:
                setattr(record, key, cleaned)
        if record.exc_info and not record.exc_text:
            record.exc_text = self._exceptions.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_text or record.exc_info:
            entry["exc"] = record.exc_text or self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<7} {record.name}: {record.getMessage()}"
        extra = " ".join(f"{k}={v}" for k, v in record.__dict__.items() if k not in _STANDARD)
        return f"{base} {extra}".rstrip()


def configure(level: str = "INFO", json_lines: bool | None = None, stream: IO[str] | None = None) -> None:
    """Install one handler, with the redaction filter, on the root logger (idempotent)."""
    stream = stream or sys.stderr
    if json_lines is None:
        json_lines = not stream.isatty()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in _CHATTY_LIBRARIES:  # they set DEBUG on their own loggers
        logging.getLogger(noisy).setLevel(max(logging.getLevelName(level.upper()), logging.WARNING))
