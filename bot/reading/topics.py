"""Reading a sentence by its topic: the last resort of a free description.

When no description rule reads a factor, a sentence that is clearly about one factor, and only
one, is read as if it answered that factor's question ("Latency budget is 500ms." is about
latency, so it is read with the latency question's answer rules). Sensitive data, training data
and whether the model can be fine-tuned are never read this way (a wrong value there changes the
verdict most, and "fine-tuning" or "examples" come up in almost any message); nor is a sentence
that hedges or asks ("maybe the prompt is too long?").
"""

from __future__ import annotations

import re

from bot.reading.text import is_question, normalize

TOPICS: dict[str, re.Pattern[str]] = {
    fid: re.compile(words)
    for fid, words in {
        "latency_critical": r"\b(?:latency|response\s+times?|speed|real[\s-]?time|instant\w*|milliseconds|\d+\s*ms"
        r"|wait(?:ing)?|turnaround|asynchronous\w*|async)\b",
        "context_size": r"\b(?:prompt|context(?:\s+window)?|tokens?|style\s+guide|instructions)\b",
        "domain_knowledge": r"\b(?:jargon|terminology|domain|acronyms|vocabulary|knowledge|lingo|codes)\b",
        "task_scope": r"\b(?:scope|one\s+task|single\s+task|general[\s-]purpose|assistant\s+for)\b",
        "alternatives_tried": r"\b(?:prompt\s+engineering|prompting|few[\s-]shot|chain(?:ing|s)?)\b",
        "hosted_cost_sensitive": r"\b(?:cost|costs|price|prices|pricing|per[\s-](?:call|token|request)|paying|spend)\b",
        "compute_available": r"\b(?:gpus?|compute|hardware|a100s?|h100s?|cluster|quota)\b",
        "needs_vendor_guardrails": r"\b(?:guardrails?|moderation|safety|content\s+filter\w*)\b",
        "iteration_capacity": r"\b(?:iterat\w+|experiments?|training\s+rounds|rounds|retrain\w*|bandwidth|capacity)\b",
    }.items()
}
_SENTENCE = re.compile(r"[^.!?\n;]+")
_HEDGE = re.compile(
    r"\b(?:whether|maybe|perhaps|possibly|probably|might|unsure|unclear|wonder\w*|not\s+sure|not\s+certain"
    r"|don'?t\s+know|no\s+idea|if)\b"
)
_FIT_IDIOM = re.compile(r"\bfits?\s+(?:our|the|your|their|my)\s+(?:needs|bill|purpose|requirements|use|case|style)\b")
MIN_WORDS = 3


def by_topic(raw: str, skip: set[str]) -> dict[str, tuple[str, str]]:
    """``{factor: (value, sentence)}`` for sentences about exactly one factor not in ``skip``
    whose words read as an answer to that factor's question."""
    from bot.reading.answers import parse_answer
    from bot.factors import UNKNOWN

    norm = normalize(raw)
    found: dict[str, tuple[str, str]] = {}
    for match in _SENTENCE.finditer(norm):
        sentence = match.group()
        if len(sentence.split()) < MIN_WORDS or _HEDGE.search(sentence) or _FIT_IDIOM.search(sentence):
            continue
        if norm.startswith("?", match.end()) or is_question(sentence):
            continue
        about = [f for f, topic in TOPICS.items() if topic.search(sentence)]
        if len(about) != 1 or about[0] in skip or about[0] in found:
            continue
        # the topic's own words ("guardrails", "compute") say what it is about, not its value
        # and must agree with the whole sentence's reading ("8k tokens" vs "ok")
        masked = TOPICS[about[0]].sub("it", sentence)
        value = parse_answer(about[0], masked)
        if value != parse_answer(about[0], sentence):
            continue
        if value is not None and value != UNKNOWN:
            found[about[0]] = (value, raw[match.start():match.end()].strip())
    return found
