"""App Home, multi-workspace OAuth with the Redis installation store, uninstalling, and the
store going away mid-conversation."""

from __future__ import annotations

import re
from urllib.parse import unquote

import aiohttp
import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation

from adapters.slack.installation_store import RedisInstallationStore, RedisOAuthStateStore
from bot import wording
from bot.errors import StoreError
from store import StoreSettings, store_from_settings
from tests.redis_servers import RedisServer, binary
from tests.slack.drive import click_through, idle
from tests.slack.payloads import FORM, dm


def _home_view(call):
    assert call.method == "views.publish" and call.args["user_id"] == "U1"
    view = call.args["view"]
    assert view["type"] == "home"
    return view


@pytest.mark.redis
async def test_app_home_has_a_start_button_and_recent_recommendations(fake_slack, serve, redis_store):
    run = await serve(redis_store)
    opened = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.1"}
    await run.sender.event(opened)
    await idle(run)
    view = _home_view(fake_slack.of("views.publish")[0])
    starts = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "start"]
    assert len(starts) == 1
    assert "None yet" in str(view["blocks"])

    await run.sender.command("", respond="start")
    await idle(run)
    card, _, _ = await click_through(run, fake_slack, fake_slack.responses("start")[0])
    verdict = card.metadata["event_payload"]["verdict"]
    await run.sender.event(opened)
    await idle(run)
    view = _home_view(fake_slack.of("views.publish")[1])
    assert wording.VERDICT_TITLES[verdict] in str(view["blocks"]) and "<#C1>" in str(view["blocks"])
    keys = await redis_store.client.keys(f"{redis_store.keys.prefix}:slack:recent:*")
    assert len(keys) == 1

    # Start on the home tab opens the direct message and asks the first question there
    await run.sender.post(run.sender.home_action_body("start"), FORM)
    await idle(run)
    assert fake_slack.of("conversations.open")[0].args["users"] == "U1"
    (question,) = fake_slack.of("chat.postMessage")
    assert question.args["channel"] == "D1" and question.text.startswith(wording.WELCOME[:20])


async def _install(fake_slack, run) -> None:
    """/slack/install then /slack/oauth_redirect, as a browser would."""
    async with aiohttp.ClientSession() as browser:
        async with browser.get(f"{run.url}/slack/install") as page:
            assert page.status == 200
            html = await page.text()
        state = unquote(re.search(r"state=([^&\"]+)", html).group(1))
        cookie = page.cookies["slack-app-oauth-state"].value
        async with browser.get(f"{run.url}/slack/oauth_redirect", params={"code": "the-code", "state": state},
                               headers={"Cookie": f"slack-app-oauth-state={cookie}"}, allow_redirects=False) as done:
            assert done.status == 200, await done.text()
    assert fake_slack.of("oauth.v2.access")[0].args["code"] == "the-code"


@pytest.mark.redis
async def test_oauth_install_then_uninstall_clears_the_installation(fake_slack, serve, redis_store):
    run = await serve(redis_store, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="111.222", SLACK_CLIENT_SECRET="shh")
    installs = RedisInstallationStore(redis_store.client, redis_store.keys.prefix)
    assert await installs.async_find_bot(enterprise_id=None, team_id="T1") is None
    await _install(fake_slack, run)
    bot = await installs.async_find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-installed"

    await run.sender.event(dm("hi"))  # authorized from the installation store
    await idle(run)
    (question,) = fake_slack.of("chat.postMessage")
    assert question.path == "Bearer xoxb-installed"

    await run.sender.event({"type": "app_uninstalled"})
    await idle(run)
    assert await installs.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await installs.async_find_installation(enterprise_id=None, team_id="T1") is None
    assert not await redis_store.client.exists(installs.key(None, "T1"))


async def test_installation_and_state_stores_on_the_embedded_store(embedded_store):
    client, prefix = embedded_store.client, embedded_store.keys.prefix
    installs = RedisInstallationStore(client, prefix)
    first = Installation(app_id="A1", team_id="T1", user_id="U1", bot_token="xoxb-1", bot_id="B1",
                         bot_user_id="UBOT", bot_scopes="chat:write", user_token="xoxp-1")
    await installs.async_save(first)
    await installs.async_save(Installation(app_id="A1", team_id="T1", user_id="U2", bot_token="xoxb-2",
                                           bot_id="B1", bot_user_id="UBOT", bot_scopes="chat:write"))
    by_u1 = await installs.async_find_installation(enterprise_id=None, team_id="T1", user_id="U1")
    assert by_u1 is not None and by_u1.user_token == "xoxp-1" and by_u1.bot_token == "xoxb-2"  # latest bot
    await installs.async_delete_installation(enterprise_id=None, team_id="T1", user_id="U1")  # tokens_revoked
    assert await installs.async_find_installation(enterprise_id=None, team_id="T1", user_id="U1") is None
    assert (await installs.async_find_installation(enterprise_id=None, team_id="T1")).user_id == "U2"
    await installs.async_delete_bot(enterprise_id=None, team_id="T1")
    assert await installs.async_find_bot(enterprise_id=None, team_id="T1") is None
    await installs.async_delete_all(enterprise_id=None, team_id="T1")
    assert await installs.async_find_installation(enterprise_id=None, team_id="T1") is None

    states = RedisOAuthStateStore(client, prefix, expiration_seconds=60)
    state = await states.async_issue()
    assert await client.ttl(states.key(state)) > 0
    assert await states.async_consume(state) is True
    assert await states.async_consume(state) is False  # one use only
    assert await states.async_consume("never-issued") is False


@pytest.mark.redis
async def test_redis_going_away_mid_conversation(fake_slack, serve, tmp_path, redis_prefix):
    binary("redis-server")
    server = RedisServer(tmp_path / "redis", persistent=True).start()
    store = store_from_settings(StoreSettings(url=server.url, prefix=redis_prefix, timeout_s=0.5))
    try:
        await store.prepare()
        run = await serve(store)
        await run.sender.event(dm("hi"))
        await idle(run)
        (question,) = fake_slack.of("chat.postMessage")

        server.kill()
        await run.sender.event(dm("1"))
        await idle(run, timeout=20)
        polite = fake_slack.of("chat.postMessage")[-1]
        assert polite.text == StoreError.user_message and polite.args["channel"] == "D1"

        server = RedisServer(tmp_path / "redis", port=server.port, persistent=True).start()
        before = len(fake_slack.calls)
        await run.sender.event(dm("1"))
        await idle(run, timeout=20)
        (update,) = [c for c in fake_slack.calls[before:] if c.method == "chat.update"]
        assert update.args["ts"] == question.ts and "Question 2" in update.text
    finally:
        await store.close()
        server.stop()
