"""Fuzzing the two webhook routes with mutated real payloads (issue 20).

hypothesis takes the real request shapes of tests/slack/payloads.py and tests/teams/conftest.py
(every Slack payload kind the app can receive, every Teams activity kind), and mutates one
place in each: a field removed, its type swapped, a null, a huge string, deep nesting. Slack
requests are signed (so they pass the signature check and reach the shape checks); Teams runs
in emulator mode (authentication off, so every activity reaches the shape checks).

For every request: the answer is below 500; when the request was refused (4xx), nothing
reached the Web API, response_url or the Bot Connector; no error is logged (a turn that died
after the ack would log one). At the end ``/healthz`` still answers. CI sends
SLACK_EXAMPLES + TEAMS_EXAMPLES requests (260).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.slack.drive import idle
from tests.slack.payloads import FORM, JSON, SlackSender, dm, mention, message
from tests.teams.conftest import ADA, BOB, Activities, StubConnector, _serve

SLACK_EXAMPLES = 160
TEAMS_EXAMPLES = 100

# --- the real payloads -----------------------------------------------------------------------------


def _payload(form: str) -> dict[str, Any]:
    return json.loads(dict(parse_qsl(form))["payload"])


def slack_bases(sender: SlackSender) -> list[tuple[str, Any]]:
    """(kind, body): ``command`` bodies are form dicts, ``interaction`` bodies payload dicts,
    ``event`` bodies JSON objects."""
    action = _payload(sender.action_body("answer:task_scope", "narrow", block_id="ft:p:U1:q1"))
    home = _payload(sender.home_action_body("start"))
    view = {"type": "view_submission", "team": {"id": "T1", "domain": "test"},
            "user": {"id": "U1", "team_id": "T1"}, "api_app_id": "A1", "token": "t", "trigger_id": "1.2.3",
            "view": {"id": "V1", "team_id": "T1", "type": "modal", "callback_id": "cb", "state": {"values": {}},
                     "blocks": [], "private_metadata": ""}, "response_urls": []}
    closed = {**view, "type": "view_closed", "is_cleared": False}
    shortcut = {"type": "shortcut", "token": "t", "action_ts": "1.2", "team": {"id": "T1"},
                "user": {"id": "U1", "team_id": "T1"}, "callback_id": "cb", "trigger_id": "1.2.3"}
    message_action = {**shortcut, "type": "message_action", "channel": {"id": "C1"},
                      "message": {"type": "message", "user": "U2", "ts": "1.1", "text": "hi"},
                      "response_url": sender.response_base + "/respond/ma"}
    suggestion = {"type": "block_suggestion", "user": {"id": "U1", "team_id": "T1"}, "team": {"id": "T1"},
                  "action_id": "a", "block_id": "b", "value": "x", "container": {"type": "view", "view_id": "V1"}}
    events = [
        mention("we want a support bot"),
        message("narrow", thread_ts="1700000100.000100"),
        dm("start"),
        {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.2"},
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": ["U1"], "bot": ["UBOT"]}},
        {"type": "message", "subtype": "message_changed", "channel": "C1", "channel_type": "channel", "ts": "1.3",
         "hidden": True, "message": {"type": "message", "user": "U1", "text": "x", "ts": "1.1"},
         "previous_message": {"type": "message", "user": "U1", "text": "y", "ts": "1.1"}},
    ]
    bases: list[tuple[str, Any]] = [("command", dict(parse_qsl(sender.command_body("start"))))]
    bases += [("interaction", p) for p in (action, home, view, closed, shortcut, message_action, suggestion)]
    bases += [("event", json.loads(sender.event_body(e))) for e in events]
    bases.append(("event", {"token": "t", "challenge": "abc", "type": "url_verification"}))
    return bases


def teams_bases(a: Activities) -> list[dict[str, Any]]:
    channel = a.channel(ADA, "we want a support bot")
    conversation, channel_data = a.team_conversation()
    invoke = a.personal(ADA, "")
    invoke.update(type="invoke", name="adaptiveCard/action", value={"action": {"type": "Action.Execute", "verb": "x"}})
    return [
        a.personal(ADA, "start"),
        channel,
        a.group(BOB, "help"),
        a.submit(ADA, channel, {"action": "answer", "factor": "task_scope", "value": "narrow", "owner": ADA.aad},
                 reply_to="1700000001"),
        a.bot_added(conversation, channel_data),
        a.installed(conversation, channel_data),
        invoke,
    ]


# --- mutations -------------------------------------------------------------------------------------


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += paths(value, (*prefix, i))
    return found


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


REPLACEMENTS = st.one_of(
    st.sampled_from([None, 0, -1, 1.5, True, "", [], {}, [None], {"id": None}, {"id": {"id": "U1"}}]),
    st.builds(lambda n: "x" * n, st.integers(1000, 200_000)),
    st.builds(_deep, st.integers(10, 200)),
    st.text(max_size=30),
    st.integers(),
)


def mutate(data: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    data = json.loads(json.dumps(data))
    *parents, last = path
    node = data
    for part in parents:
        node = node[part]
    if how == "remove":
        del node[last]
    elif how == "swap":
        current = node[last]
        node[last] = ([current] if not isinstance(current, list) else {"0": current}) if current is not None else 7
    else:
        node[last] = value
    return data


MUTATION = st.tuples(st.sampled_from(["remove", "swap", "replace", "replace"]), REPLACEMENTS, st.integers(0, 10_000))


def _form_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


# --- the test ------------------------------------------------------------------------------------------


class Harness:
    def __init__(self, run: Any, fake: Any, connector: StubConnector, teams_url: str) -> None:
        self.run, self.fake, self.connector, self.teams_url = run, fake, connector, teams_url
        self.requests = 0
        self.statuses: dict[int, int] = {}

    def outbound(self) -> int:
        return len(self.fake.calls) + len(self.connector.calls)

    async def settle(self) -> None:
        await idle(self.run, timeout=20)
        deadline = time.monotonic() + 60  # generous: the suite shares two cores with everything else
        while self.run.app[TEAMS_KEY].outbox.pending:
            assert time.monotonic() < deadline, "Teams deliveries did not finish"
            await asyncio.sleep(0.01)

    def record(self, status: int, before: int, what: str, invoke: bool = False) -> None:
        self.requests += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        # an invoke the bot does not implement (Action.Execute) is botbuilder's 501, by contract
        assert status < 500 or (invoke and status == 501), (status, what)
        if status >= 400:
            assert self.outbound() == before, f"a refused request reached the platform: {what}"


from adapters.teams import TEAMS_ENDPOINT as TEAMS_KEY  # noqa: E402


@pytest.fixture
async def harness(fake_slack, serve, embedded_store):
    stub = StubConnector()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", stub.handle)
    runner, url = await _serve(app)
    stub.url = url + "/amer/"
    run = await serve(embedded_store, TEAMS_EMULATOR="1")
    harness = Harness(run, fake_slack, stub, run.url + "/api/messages")
    yield harness
    async with aiohttp.ClientSession() as http:  # the server still answers after the fuzzing
        async with http.get(run.url + "/healthz") as resp:
            assert resp.status == 200
    print(f"\nfuzz: {harness.requests} requests, statuses {dict(sorted(harness.statuses.items()))}")
    await run.stop()
    await runner.cleanup()


@pytest.fixture
def no_errors(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith(("finetune_advisor", "aiohttp"))]
    assert not errors, [r.getMessage() for r in errors]


FUZZ = settings(max_examples=SLACK_EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(base=st.integers(0, 999), mutation=MUTATION)
async def test_mutated_slack_payloads_never_get_500(harness: Harness, no_errors: None, base: int, mutation) -> None:
    sender = harness.run.sender
    bases = slack_bases(sender)
    kind, data = bases[base % len(bases)]
    how, value, where = mutation
    options = paths(data)
    data = mutate(data, options[where % len(options)], how, value)
    if kind == "command":
        body, content_type = urlencode({k: _form_value(v) for k, v in data.items()}), FORM
    elif kind == "interaction":
        body, content_type = urlencode({"payload": json.dumps(data)}), FORM
    else:
        body, content_type = json.dumps(data), JSON
    before = harness.outbound()
    reply = await sender.post(body, content_type)
    await harness.settle()
    harness.record(reply.status, before, f"{kind} {how} at {options[where % len(options)]}")


@settings(FUZZ, max_examples=TEAMS_EXAMPLES)
@given(base=st.integers(0, 999), mutation=MUTATION)
async def test_mutated_teams_activities_never_get_500(harness: Harness, no_errors: None, base: int, mutation) -> None:
    bases = teams_bases(Activities(harness.connector.url))
    data = bases[base % len(bases)]
    how, value, where = mutation
    options = paths(data)
    data = mutate(data, options[where % len(options)], how, value)
    before = harness.outbound()
    async with aiohttp.ClientSession() as http:
        async with http.post(harness.teams_url, data=json.dumps(data),
                             headers={"Content-Type": "application/json"}) as resp:
            status = resp.status
    await harness.settle()
    harness.record(status, before, f"{data.get('type')} {how} at {options[where % len(options)]}",
                   invoke=data.get("type") == "invoke")
