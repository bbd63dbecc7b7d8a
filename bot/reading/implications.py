"""What one statement settles for several factors at once.

A model the team hosts itself, on hardware it runs ("open-weights model on our own GPUs,
self-hosted", "we run Llama on-prem"), settles four questions (docs/conversation.md):

- ``model_fine_tunable`` = yes: a model whose weights you hold can be trained further;
- ``compute_available`` = yes: the team runs GPUs or servers of its own;
- ``hosted_cost_sensitive`` = no: no vendor charges a higher price per hosted prediction;
- ``needs_vendor_guardrails`` = no: no vendor's guardrails are in the loop to rely on.

Anything the text states outright about one of these wins over what is implied. Only a clear,
non-negated, non-hypothetical statement implies anything: "we'd like to self-host one day" or
"not self-hosted" settle nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.reading.rules import NEGATOR
from bot.reading.text import SENTENCE_ENDS, bounds

_OWN_HARDWARE = (
    r"(?:our|their|its|the\s+team'?s|my)\s+own\s+(?:\w+\s+)?(?:gpus?|servers?|hardware|machines?|cluster"
    r"|infrastructure|infra|data\s*cent(?:er|re)s?|metal|boxes)"
    r"|on[\s-]?prem(?:ise|ises)?|in\s+our\s+(?:own\s+)?data\s*cent(?:er|re)s?|in-?house\s+(?:gpus?|servers?|hardware|cluster)"
    r"|(?:run|runs|running|host|hosts|hosting|serve|serving)\s+(?:it|them|the\s+model|models)\s+(?:ourselves|in-?house|locally)"
)
SELF_HOSTED = re.compile(
    r"\bself[\s-]?host(?:ed|ing|s)?\b"
    rf"|\b(?:run|runs|running|host|hosts|hosted|hosting|deploy\w*|serve|serves|served|serving)\b[^.;!?\n]{{0,60}}?\b(?:{_OWN_HARDWARE})\b"
    rf"|\b(?:{_OWN_HARDWARE})\b"
)
_NOT_YET = re.compile(
    r"\b(?:would|could|might|may|want|wants|wanted|like\s+to|plan\w*|hope|considering|thinking|if"
    r"|whether|one\s+day|someday|eventually|later|maybe|perhaps|instead\s+of|rather\s+than|move\s+to"
    r"|switch\s+to|migrat\w*)\b"
)

SELF_HOSTED_SETTLES: dict[str, str] = {
    "model_fine_tunable": "yes",
    "compute_available": "yes",
    "hosted_cost_sensitive": "no",
    "needs_vendor_guardrails": "no",
}
"""The factors a self-hosted model on the team's own hardware settles, and their values."""


@dataclass(frozen=True, slots=True)
class Implication:
    """Values implied by one statement, with the user's words that state it."""

    values: dict[str, str]
    evidence: str
    start: int
    end: int


def self_hosting(raw: str, norm: str) -> Implication | None:
    """The implication of a self-hosted model in ``raw`` (``norm`` is its normalised form)."""
    for match in SELF_HOSTED.finditer(norm):
        start, end = match.span()
        left, right = bounds(norm, start, end, SENTENCE_ENDS)
        before = norm[left:start]
        if NEGATOR.search(before[-40:]) or NEGATOR.search(match.group()) or _NOT_YET.search(before):
            continue
        if norm.startswith("?", right):
            continue  # asked, not stated: "is it self-hosted?"
        evidence = raw[start:end].strip()
        if evidence:
            return Implication(dict(SELF_HOSTED_SETTLES), evidence, start, end)
    return None
