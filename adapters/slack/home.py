"""The App Home tab: what the bot does, a Start button, the user's recent recommendations.

Recent recommendations are a capped Redis LIST per user, ``<prefix>:slack:recent:<team>:<user>``,
written when a card is posted: verdict, confidence, channel and time, never the user's text.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, DividerBlock, HeaderBlock, PlainTextObject
from slack_sdk.models.views import View

from bot import wording

from .events import HOME, block_id
from .render import button, cap, context, escape, sections
from .wording import SLACK

log = logging.getLogger("finetune_advisor.slack.home")

RECENT_LIMIT = 5
RECENT_TTL_S = 90 * 24 * 3600


class RecentRecommendations:
    """A few recent verdicts per user, newest first. Failures are logged, never raised: the
    list is a convenience, not part of the conversation."""

    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def key(self, team: str, user: str) -> str:
        return f"{self.prefix}:slack:recent:{team}:{user}"

    async def add(self, team: str, user: str, *, verdict: str, confidence: str, channel: str, at: float | None = None) -> None:
        entry = json.dumps({"verdict": verdict, "confidence": confidence, "channel": channel,
                            "at": int(at if at is not None else time.time())})
        key = self.key(team, user)
        try:
            pipe = self.client.pipeline(transaction=False)
            pipe.lpush(key, entry)
            pipe.ltrim(key, 0, RECENT_LIMIT - 1)
            pipe.expire(key, RECENT_TTL_S)
            await pipe.execute()
        except Exception as exc:  # noqa: BLE001 - any backend failure only loses the list entry
            log.warning("could not record a recent recommendation", extra={"error": type(exc).__name__})

    async def list(self, team: str, user: str) -> list[dict[str, Any]]:
        try:
            raw = await self.client.lrange(self.key(team, user), 0, RECENT_LIMIT - 1)
        except Exception as exc:  # noqa: BLE001
            log.warning("could not read recent recommendations", extra={"error": type(exc).__name__})
            return []
        entries = []
        for item in raw:
            try:
                entry = json.loads(item)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("verdict") in wording.VERDICT_TITLES:
                entries.append(entry)
        return entries


def _recent_line(entry: dict[str, Any]) -> str:
    at = int(entry.get("at", 0))
    date = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d")
    return "• " + SLACK["home_recent_item"].format(
        title=f"*{escape(wording.VERDICT_TITLES[entry['verdict']])}*",
        confidence=escape(str(entry.get("confidence", ""))),
        channel=f"<#{escape(str(entry.get('channel', '')))}>",
        date=f"<!date^{at}^{{date_short}}|{date}>",
    )


def home_view(recent: list[dict[str, Any]], command: str) -> View:
    intro = SLACK["home_intro"].format(
        fine_tune=f"*{escape(SLACK['home_intro_fine_tune'])}*", alternatives=f"*{escape(SLACK['home_intro_alternatives'])}*"
    )
    start = button(wording.BUTTON_LABELS["start"], "start", style="primary")
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=SLACK["home_title"])),
        *sections(intro),
        ActionsBlock(block_id=block_id(f"{HOME}:-", "start"), elements=[start]),
        context(SLACK["home_how"].format(command=command)),
        DividerBlock(),
        *sections(f"*{escape(SLACK['home_recent'])}*"),
    ]
    if recent:
        blocks.extend(sections("\n".join(_recent_line(e) for e in recent)))
    else:
        blocks.append(context(escape(SLACK["home_recent_none"])))
    return View(type="home", blocks=cap(blocks))
