"""The conversation never changes what the user did not mean to change (issue 15, section 2).

Driven through the pure ``Advisor.step`` with the real knowledge base, like test_conversation.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot import wording
from bot.conversation import ASKING, DONE, ConversationState
from bot.events import Action
from bot.factors import FACTOR_IDS
from bot.reading import is_question
from bot.reading.implications import SELF_HOSTED_SETTLES
from bot.replies import Card, Question, Reply, Text
from tests.test_conversation import STRONG, Chat, finished_chat, last_question


def texts(replies: list[Reply]) -> list[str]:
    return [r.text for r in replies if isinstance(r, Text)]


def asking(factor_id: str, answers: dict[str, str] | None = None) -> Chat:
    """A chat whose open question is ``factor_id``, its card posted as message "m-1"."""
    chat = Chat()
    answers = answers or {}
    chat.state = ConversationState(
        phase=ASKING, owner="alice", answers=answers, settled=tuple(answers), pending=factor_id,
        questions_asked=len(answers) + 1, updated_at=chat.now, message_ref="m-1",
    )
    return chat


# --- after the card, questions are answered and never read as answers -------------------------


def test_short_questions_after_the_card_change_nothing() -> None:
    chat = finished_chat()
    assert chat.state is not None
    before = dict(chat.state.answers)
    verdict = chat.state.phase
    for text in ("pii?", "gdpr?", "personal data?", "PII", "what about gdpr", "does masking help",
                 "is latency important", "why is the data a problem?"):
        replies = chat.send(text)
        assert chat.state.answers == before, text
        assert not chat.state.proposed, text
        assert chat.state.phase == verdict
        assert not any(isinstance(r, (Card, Question)) for r in replies), text


_WORDS = st.sampled_from(
    "pii gdpr personal data sensitive latency fast real-time prompt chaining examples labelled gpu "
    "budget cost guardrails masked customer emails we have no our it is the a tried exhausted "
    "narrow broad fits context too long self-hosted confidential".split()
)
_LEADS = st.sampled_from(["", "what if ", "why ", "how ", "is ", "does ", "can you explain ", "what about "])


@settings(max_examples=150, deadline=None)
@given(lead=_LEADS, words=st.lists(_WORDS, min_size=1, max_size=10), mark=st.sampled_from(["?", " ?", "??", ""]))
def test_any_question_after_the_card_leaves_the_answers_unchanged(lead: str, words: list[str], mark: str) -> None:
    text = lead + " ".join(words) + mark
    assume(is_question(text))
    chat = finished_chat()
    assert chat.state is not None
    before = dict(chat.state.answers)
    chat.send(text)
    chat.send("yes")  # even a "yes" right after cannot confirm a change nobody proposed
    assert chat.state.answers == before
    assert chat.state.phase == DONE


def test_what_if_recomputes_without_storing() -> None:
    chat = finished_chat()
    assert chat.state is not None
    before = dict(chat.state.answers)
    [reply] = chat.send("what if the data had customer emails in it?")
    assert isinstance(reply, Text) and "Sensitive data" in reply.text
    assert chat.state.answers == before


def test_a_plain_statement_is_confirmed_before_it_changes_anything() -> None:
    chat = finished_chat()
    assert chat.state is not None
    replies = chat.send("actually the data has PII")
    assert texts(replies) == ['Change Sensitive data from "No" to "Yes"? yes / no']
    assert chat.state.answers["sensitive_data"] == "no"
    replies = chat.send("no")
    assert texts(replies) == [wording.CHANGE_KEPT]
    assert chat.state.answers["sensitive_data"] == "no" and not chat.state.proposed
    chat.send("actually the data has PII")
    replies = chat.send("yes")
    assert chat.state.answers["sensitive_data"] == "yes"
    card = next(r for r in replies if isinstance(r, Card))
    assert card.recommendation.answers["sensitive_data"] == "yes"


def test_a_proposal_lapses_when_the_user_moves_on() -> None:
    chat = finished_chat()
    assert chat.state is not None
    chat.send("actually the data has PII")
    chat.send("why?")
    chat.send("yes")
    assert chat.state.answers["sensitive_data"] == "no"


def test_change_command_still_changes_directly() -> None:
    chat = finished_chat()
    replies = chat.send("change latency")
    assert last_question(replies).factor == "latency_critical"


def test_statement_matching_the_answers_says_so() -> None:
    chat = finished_chat()
    [reply] = chat.send("we have no personal data")
    assert isinstance(reply, Text) and reply.text.startswith("That matches what I have already")


# --- echo and status ---------------------------------------------------------------------------


def test_an_answer_read_from_free_text_is_echoed_in_one_line() -> None:
    chat = asking("sensitive_data")
    replies = chat.send("we strip out the PII")
    assert texts(replies)[0] == 'Got it: Sensitive data = Yes, but masked, from "we strip out the PII".'
    assert chat.state is not None and chat.state.answers["sensitive_data"] == "masked"


def test_a_picked_option_is_not_echoed() -> None:
    chat = asking("sensitive_data")
    replies = chat.send("1")
    assert texts(replies) == []


def test_status_lists_every_recorded_answer() -> None:
    chat = finished_chat()
    assert chat.state is not None
    [reply] = chat.send("status")
    assert isinstance(reply, Text)
    for factor_id in chat.state.settled:
        label = wording.option_label(factor_id, chat.state.answers[factor_id])
        assert f"- {wording.SHORT_NAMES[factor_id]}: {label}" in reply.text
    assert len(chat.state.settled) >= 3


# --- settled factors are not asked again -------------------------------------------------------


def test_a_self_hosted_model_settles_what_it_implies_and_is_never_asked() -> None:
    chat = Chat()
    replies = chat.send("A narrow ticket classifier on an open-weights model on our own GPUs, self-hosted. "
                        "No personal data. We haven't tried prompt engineering.")
    intro = texts(replies)[0]
    assert "implied by" in intro
    assert chat.state is not None
    for factor_id, value in SELF_HOSTED_SETTLES.items():
        assert chat.state.answers[factor_id] == value
    truth = {**STRONG, "alternatives_tried": "no", "sensitive_data": "no", "task_scope": "narrow"}
    asked = []
    while not any(isinstance(r, Card) for r in replies):
        q = last_question(replies)
        asked.append(q.factor)
        replies = chat.send(truth[q.factor])
    assert not set(asked) & set(SELF_HOSTED_SETTLES)


def test_i_just_told_you_its_self_hosted_is_understood() -> None:
    chat = asking("hosted_cost_sensitive", {"sensitive_data": "no"})
    replies = chat.send("I just told you, it's self-hosted")
    assert chat.state is not None and chat.state.answers["hosted_cost_sensitive"] == "no"
    assert all(not isinstance(r, Question) or r.factor not in SELF_HOSTED_SETTLES for r in replies)


def test_an_answer_already_given_is_never_overwritten_silently_while_asking() -> None:
    chat = asking("latency_critical", {"sensitive_data": "no"})
    replies = chat.send("it must answer in real time and the data has customer emails")
    assert chat.state is not None
    assert chat.state.answers["sensitive_data"] == "no"
    assert chat.state.answers["latency_critical"] == "yes"
    assert texts(replies)[-1] == 'Change Sensitive data from "No" to "Yes"? yes / no'
    chat.send("yes")
    assert chat.state.answers["sensitive_data"] == "yes"


# --- two-part questions --------------------------------------------------------------------------


def test_yes_to_the_training_data_question_means_pairs() -> None:
    chat = asking("training_data")
    chat.send("yes")
    assert chat.state is not None and chat.state.answers["training_data"] == "have_pairs"


def test_no_to_the_training_data_question_asks_its_second_part() -> None:
    for reply, value in (("yes", "can_create"), ("no", "none"), ("3", "unknown")):
        chat = asking("training_data")
        [question] = chat.send("no")
        assert isinstance(question, Question) and question.text == wording.SUBQUESTIONS["training_data"]
        assert question.replaces == "m-1"
        assert [o.value for o in question.options] == ["can_create", "none", "unknown"]
        chat.send(reply)
        assert chat.state is not None and chat.state.answers["training_data"] == value, reply


def test_the_second_part_survives_the_store() -> None:
    chat = asking("training_data")
    chat.send("no")
    assert chat.state is not None
    assert ConversationState.from_dict(chat.state.to_dict()) == chat.state


# --- one message, one live card -------------------------------------------------------------------


BRIEF = """Project brief: support-ticket triage
We route incoming tickets into 14 queues; it is one narrow classification task.
The tickets contain customer names and emails.
We have 20k historical tickets with the queue agents picked.
Latency is not critical: a few seconds is fine.
We have not tried prompt engineering yet."""


def test_a_multi_line_brief_is_read_as_one_message() -> None:
    chat = Chat()
    replies = chat.send(BRIEF)
    assert texts(replies)[0].startswith(wording.UNDERSTOOD_INTRO)
    assert sum(isinstance(r, (Question, Card)) for r in replies) == 1
    assert chat.state is not None
    assert chat.state.answers["sensitive_data"] == "yes"
    assert chat.state.answers["latency_critical"] == "no"
    assert chat.state.answers["alternatives_tried"] == "no"
    assert not any("couldn't read" in t for t in texts(replies))


def test_a_bare_mention_or_unreadable_answer_updates_the_open_card_in_place() -> None:
    for step in ({"action": Action("start")}, {"action": Action("resume")}, {"text": "hmm banana"}, {"text": "hi"}):
        chat = asking("latency_critical")
        replies = chat.send(**step)  # type: ignore[arg-type]
        questions = [r for r in replies if isinstance(r, Question)]
        assert len(questions) == 1 and questions[0].replaces == "m-1", step
        assert chat.state is not None and chat.state.questions_asked == 1


def test_a_question_while_asking_is_answered_and_the_card_kept_in_place() -> None:
    chat = asking("sensitive_data")
    replies = chat.send("personal data?")
    assert isinstance(replies[0], Text)
    assert isinstance(replies[-1], Question) and replies[-1].replaces == "m-1"
    assert chat.state is not None and "sensitive_data" not in chat.state.answers


# --- confidential data ------------------------------------------------------------------------------


def test_confidential_business_data_is_sensitive_and_the_bot_says_why() -> None:
    chat = asking("sensitive_data")
    replies = chat.send("they are confidential, but no customer PII")
    assert chat.state is not None and chat.state.answers["sensitive_data"] == "yes"
    assert wording.CONFIDENTIAL_NOTE in texts(replies)[0]


def test_every_factor_has_a_short_name_for_the_echo() -> None:
    assert set(wording.SHORT_NAMES) == set(FACTOR_IDS)


def test_back_or_change_during_the_second_part_leaves_a_valid_state() -> None:
    for command in ("back", "change latency", "skip"):
        chat = asking("training_data", {"sensitive_data": "no"})
        chat.send("no")
        chat.send(command)
        assert chat.state is not None
        chat.state.validate()
        assert ConversationState.from_dict(chat.state.to_dict()) == chat.state
