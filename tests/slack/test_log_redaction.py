"""No secret in any log line at any level (issue 20, finding 6).

The service's own logging setup (``adapters.logs.configure``) at DEBUG, writing JSON lines to
a buffer; then an OAuth install (slack_sdk logs the whole ``oauth.v2.access`` answer, with the
new workspace's bot token, at DEBUG), a Slack turn on the installed token, a Teams turn, and a
record carrying a bearer token in an extra field. The whole log is then searched for every secret.
"""

from __future__ import annotations

import io
import logging
import time

import aiohttp
import jwt

from adapters.logs import configure
from tests.slack.drive import idle
from tests.slack.test_install_home import _install
from tests.teams.conftest import ADA, Activities

CLIENT_SECRET = "client-secret-0123456789"
SIGNING_SECRET = "signing-secret-9876543210"


async def test_debug_logs_of_install_and_turns_hold_no_secret(fake_slack, serve, redis_store):
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    buffer = io.StringIO()
    configure("DEBUG", json_lines=True)
    for handler in root.handlers:
        handler.setStream(buffer)  # type: ignore[attr-defined]
    try:
        run = await serve(redis_store, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET=CLIENT_SECRET,
                          SLACK_SIGNING_SECRET=SIGNING_SECRET, TEAMS_EMULATOR="1")
        run.sender.secret = SIGNING_SECRET
        await _install(fake_slack, run)
        assert (await run.sender.command("")).status == 200
        await idle(run)
        assert fake_slack.of("chat.postMessage") or fake_slack.calls[-1].method == "response_url"
        assert any(c.path == "Bearer xoxb-installed" for c in fake_slack.calls)  # the token was used

        activities = Activities(fake_slack.url + "/teams/")  # replies get 404: they are not looked at
        forged = jwt.encode({"iss": "https://api.botframework.com", "exp": int(time.time()) + 60}, "k" * 32,
                            algorithm="HS256")
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{run.url}/api/messages", json=activities.personal(ADA, "start")) as resp:
                assert resp.status == 201
        logging.getLogger("finetune_advisor.test").debug("a header seen", extra={"authorization": f"Bearer {forged}"})
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    log = buffer.getvalue()
    assert '"level":"debug"' in log and "oauth.v2.access" in log  # DEBUG really was on
    for secret in ("xoxb-installed", CLIENT_SECRET, SIGNING_SECRET, forged, "Bearer xox", "Bearer ey"):
        assert secret not in log, secret
