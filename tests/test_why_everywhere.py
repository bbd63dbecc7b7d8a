"""Issue 16 through every door: `ask`, Slack and Teams give the same answers to questions about
the decision (a limit of the article, a help entry, a decline) as bot.answers does."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.service import TurnService
from adapters.teams.bot import AdvisorBot
from adapters.teams.outbox import Outbox
from adapters.wiring import make_advisor
from bot import wording
from knowledge.guide import default_guide
from store import KeySpace, embedded_store
from tests.slack.conftest import _clean_slack_env, _no_adapter_errors, fake_slack, serve  # noqa: F401 - fixtures
from tests.slack.drive import idle
from tests.slack.payloads import dm
from tests.teams.conftest import ADA, Activities
from tests.teams.test_bot import adapter_for, turn

REPO = Path(__file__).resolve().parents[1]
DECISIVE = default_guide().help_entry("decisive").text
LIMIT = "how many examples do I need to fine-tune?"
NOT_AN_LLM = "how do I fine-tune my guitar"


def test_ask_says_what_the_article_does_not_say_and_cites_the_nearest_entry() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "ask", LIMIT, "--json"],
        cwd=REPO, check=True, capture_output=True, text=True, timeout=60,
    )
    reply = json.loads(out.stdout)
    assert reply["answer"].startswith("The article doesn't say")
    assert [c["id"] for c in reply["citations"]] == ["training-data-pairs"]


async def test_slack_answers_help_limits_and_declines(fake_slack, serve, embedded_store):  # noqa: F811
    run = await serve(embedded_store)
    posted: list[str] = []
    for text in ("what does decisive mean?", LIMIT, NOT_AN_LLM):
        before = len(fake_slack.of("chat.postMessage"))
        assert (await run.sender.event(dm(text))).status == 200
        await idle(run)
        posted.append(str(fake_slack.of("chat.postMessage")[before].blocks))
    assert DECISIVE[:40] in posted[0] and "[" not in posted[0].split(DECISIVE[:40])[1][:5]
    assert "The article doesn't say" in posted[1] and "training-data-pairs" in posted[1]
    assert wording.OFF_TOPIC[:40] in posted[2] and ', section ' not in posted[2], "a decline cites nothing"


@pytest.fixture
async def teams_service(redis_prefix: str) -> AsyncIterator[TurnService]:
    store = embedded_store(keys=KeySpace(redis_prefix))
    await store.prepare()
    yield TurnService(make_advisor(), store)
    await store.close()


async def test_teams_answers_help_limits_and_declines(teams_service: TurnService) -> None:
    activities = Activities("https://smba.trafficmanager.net/amer/")
    body = activities.personal(ADA, "what does decisive mean?")
    adapter, bot = adapter_for(body), AdvisorBot(teams_service, Outbox())
    sent, _ = await turn(adapter, bot, body)
    assert DECISIVE[:40] in str(sent[0].text or sent[0].attachments)
    sent, _ = await turn(adapter, bot, activities.personal(ADA, LIMIT))
    assert "The article doesn't say" in str(sent[0].text or sent[0].attachments)
    sent, _ = await turn(adapter, bot, activities.personal(ADA, NOT_AN_LLM))
    assert wording.OFF_TOPIC[:40] in str(sent[0].text or sent[0].attachments)
