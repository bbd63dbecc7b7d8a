"""Socket Mode, live: the app opens the connection on startup (apps.connections.open on the
stand-in, then a WebSocket to it), receives envelopes, acks them, and runs the turns."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from tests.slack.drive import idle
from tests.slack.payloads import dm


async def test_socket_mode_receives_acks_and_answers(fake_slack, serve, embedded_store):
    run = await serve(embedded_store, SLACK_SIGNING_SECRET=None, SLACK_APP_TOKEN="xapp-1-test")
    sockets = await fake_slack.wait_for(lambda _: fake_slack.sockets)
    assert fake_slack.of("apps.connections.open")[0].path == "Bearer xapp-1-test"
    assert not any(r.resource.canonical == "/slack/events" for r in run.app.router.routes())

    event = {"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False,
             "retry_attempt": 0, "retry_reason": "", "payload": json.loads(run.sender.event_body(dm("hi")))}
    await sockets[0].send_json(event)
    command = {"envelope_id": "env-2", "type": "slash_commands", "accepts_response_payload": True,
               "payload": dict(parse_qsl(run.sender.command_body("status", respond="sm")))}
    await sockets[0].send_json(command)

    acks = await fake_slack.wait_for(
        lambda _: {m["envelope_id"] for m in fake_slack.socket_messages} >= {"env-1", "env-2"} and fake_slack.socket_messages
    )
    assert {a["envelope_id"] for a in acks} == {"env-1", "env-2"}
    await fake_slack.wait_count("chat.postMessage", 1)
    await fake_slack.wait_count("response_url", 1, path="sm")
    await idle(run)
    assert fake_slack.of("chat.postMessage")[0].args["channel"] == "D1"
    await run.stop()
    assert run.stopped


async def test_socket_mode_envelopes_are_checked_like_http_requests(fake_slack, serve, embedded_store, caplog):
    """A malformed envelope is acked and dropped with one warning; Bolt never sees it (the
    autouse _no_adapter_errors fixture fails the test on Bolt's middleware error)."""
    run = await serve(embedded_store, SLACK_SIGNING_SECRET=None, SLACK_APP_TOKEN="xapp-1-test")
    sockets = await fake_slack.wait_for(lambda _: fake_slack.sockets)
    payload = json.loads(dict(parse_qsl(run.sender.action_body("start")))["payload"])
    payload["actions"] = [None]
    await sockets[0].send_json({"envelope_id": "env-bad", "type": "interactive", "accepts_response_payload": False,
                                "payload": payload})
    event = json.loads(run.sender.event_body(dm("hi")))
    event["event"]["user"] = {"id": "U1"}
    await sockets[0].send_json({"envelope_id": "env-user", "type": "events_api", "accepts_response_payload": False,
                                "payload": event})
    await fake_slack.wait_for(lambda _: {m["envelope_id"] for m in fake_slack.socket_messages} >= {"env-bad", "env-user"})
    await idle(run)
    problems = [r.problem for r in caplog.records if r.getMessage() == "slack request rejected: malformed body"]
    assert len(problems) == 2 and "actions.0" in problems[0] and "event.user" in problems[1]
    assert [c.method for c in fake_slack.calls] == ["apps.connections.open"]
    await run.stop()
