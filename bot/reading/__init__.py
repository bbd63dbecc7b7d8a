"""Reading what people type: answers to a question, free descriptions, commands, factor names.

Everything here is pure (no I/O) over module-level rule tables. The tables favour precision
over recall: when a message could mean two things nothing is read and the caller asks again
with the options, because a wrong guess is worse than none.

Modules: ``text`` (normalisation, the one ``is_question`` / ``is_hypothetical``), ``rules`` (the
rule engine), ``factors`` (one module per factor: description rules and answer rules side by
side), ``answers`` (a typed answer to one question), ``descriptions`` (a free description),
``names`` (loose factor names) and ``commands``.
"""

from __future__ import annotations

from bot.reading.answers import MAX_ANSWER_CHARS, parse_answer, yes_or_no
from bot.reading.commands import MAX_COMMAND_CHARS, parse_command
from bot.reading.descriptions import MAX_DESCRIPTION_CHARS, Understood, understand
from bot.reading.factors.sensitive_data import CONFIDENTIAL
from bot.reading.names import factor_from_words
from bot.reading.text import hypothesis_body, is_hypothetical, is_question, is_topic

__all__ = [
    "CONFIDENTIAL",
    "MAX_ANSWER_CHARS",
    "MAX_COMMAND_CHARS",
    "MAX_DESCRIPTION_CHARS",
    "Understood",
    "factor_from_words",
    "hypothesis_body",
    "is_hypothetical",
    "is_question",
    "is_topic",
    "parse_answer",
    "parse_command",
    "understand",
    "yes_or_no",
]
