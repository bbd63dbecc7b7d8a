"""Properties over any text: no reader raises, every result stays in the public contract."""

from __future__ import annotations

import importlib

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import reading
from bot.events import Action
from bot.factors import BY_ID, FACTOR_IDS
from bot.reading import factor_from_words, parse_answer, parse_command, understand

_CASE_MODULES = [importlib.import_module(f"tests.reading.test_{fid}") for fid in FACTOR_IDS]


# --- properties ------------------------------------------------------------------------------------

_VOCABULARY = sorted(
    {
        word
        for module in _CASE_MODULES
        for _, text, _ in module.ANSWERS
        for word in text.split()
    }
    | {word for module in _CASE_MODULES for text, _ in module.DESCRIPTIONS for word in text.split()}
    | {"not", "no", "yes", "n't", "isn't", "but", ",", ".", "?", "İ", "Σ", "’", "\x00", "\u200b"}
)
_phrases = st.lists(st.sampled_from(_VOCABULARY), max_size=25).map(" ".join)
_any_text = st.one_of(st.text(max_size=600), _phrases, _phrases.map(str.upper))


@settings(max_examples=300, deadline=None)
@given(factor_id=st.sampled_from(FACTOR_IDS), text=_any_text)
def test_parse_answer_never_raises_and_stays_in_contract(factor_id: str, text: str) -> None:
    value = parse_answer(factor_id, text)
    assert value is None or value in BY_ID[factor_id].allowed


@settings(max_examples=300, deadline=None)
@given(text=_any_text)
def test_understand_never_raises_and_quotes_the_input(text: str) -> None:
    for factor_id, u in understand(text).items():
        assert factor_id in BY_ID
        assert u.value in BY_ID[factor_id].values  # never "unknown"
        assert u.evidence and u.evidence in text
        assert u.evidence.lower() in text.lower()


@settings(max_examples=200, deadline=None)
@given(text=_any_text)
def test_commands_and_factor_names_stay_in_contract(text: str) -> None:
    action = parse_command(text)
    assert action is None or isinstance(action, Action)
    if action is not None:
        assert action.factor == "" or action.factor in BY_ID
    assert factor_from_words(text) in (None, *FACTOR_IDS)

