"""Slack with the model: the real Slack route acks at once however slow the model, and the
turn, in the background, uses the model or falls back to the rules."""

from __future__ import annotations

from bot import wording
from bot.answers import answer_question
from knowledge import default_index
from tests.llm.stand_in import PHRASING, UNDERSTANDING, answered, understood
from tests.llm.test_understanding import LOOSE_LATENCY
from tests.slack.conftest import _clean_slack_env, _no_adapter_errors, fake_slack, serve  # noqa: F401 - fixtures
from tests.slack.drive import idle
from tests.slack.payloads import dm


def llm_env(stand_in, timeout: str = "2") -> dict[str, str]:
    return {"LLM_MODEL": "openai:gpt-4o-mini", "LLM_BASE_URL": stand_in.base_url, "LLM_API_KEY": "sk-test", "LLM_TIMEOUT_S": timeout}


async def test_a_dm_description_is_understood_and_an_answer_phrased(fake_slack, serve, embedded_store, stand_in):  # noqa: F811
    run = await serve(embedded_store, **llm_env(stand_in))
    stand_in.prepare(UNDERSTANDING, understood(("latency_critical", "yes", "people lose patience")))
    assert (await run.sender.event(dm(LOOSE_LATENCY))).status == 200
    await idle(run)
    [posted] = fake_slack.of("chat.postMessage")
    assert wording.UNDERSTOOD_INTRO[:30] in str(posted.blocks) and "people lose patience" in str(posted.blocks)

    question = "why does latency matter?"
    retrieved = [c.id for c in answer_question(question, default_index()).citations]
    assert retrieved, "the rule-based answer cites the entries retrieval found"
    stand_in.prepare(PHRASING, answered("One tuned call beats a chain of prompts on speed.", retrieved[0]))
    before = len(fake_slack.of("chat.postMessage"))
    assert (await run.sender.event(dm(question))).status == 200
    await idle(run)
    answer = fake_slack.of("chat.postMessage")[before]
    assert "One tuned call beats a chain of prompts on speed." in str(answer.blocks)
    assert retrieved[0] in str(answer.blocks)
    assert all(other not in str(answer.blocks) for other in retrieved[1:]), "only what the model used is cited"


async def test_slack_acks_at_once_while_a_slow_model_falls_back(fake_slack, serve, embedded_store, stand_in):  # noqa: F811
    run = await serve(embedded_store, **llm_env(stand_in, timeout="1"))
    stand_in.prepare(UNDERSTANDING, understood(("latency_critical", "yes", "people lose patience")).slow(5))
    reply = await run.sender.event(dm(LOOSE_LATENCY))
    assert reply.status == 200 and reply.elapsed < 0.5, reply.elapsed  # acked before the model is even asked
    await idle(run)
    [posted] = fake_slack.of("chat.postMessage")
    assert wording.NOTHING_UNDERSTOOD[:30] in str(posted.blocks), "the rules' reply, after the 1 s budget"
    assert len(stand_in.calls(UNDERSTANDING)) == 1
