"""Domain knowledge: whether the task needs specialised, non-public knowledge.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import Rule, literal, rule
from bot.reading.vocabulary import YES_NO


DESCRIPTION_RULES: tuple[Rule, ...] = (
    literal(
        r"\b(?:model|it|llm|gpt[\w.-]*|claude)\s+(?:\w+\s+)?(?:doesn'?t|does\s+not|won'?t|can'?t|cannot)\s+(?:really\s+)?"
        r"(?:know|understand)\s+(?:about\s+)?(?:our|them|these|those)\b",
        "yes",
    ),
    literal(
        r"\bnothing\s+(?:that\s+)?(?:a|the|any)\s+(?:general|base|normal|standard|regular)\s+(?:model|llm)\s+"
        r"(?:wouldn'?t|doesn'?t|won'?t|couldn'?t)\s+know\b",
        "no",
    ),
    rule(r"\balready\s+knows?\s+(?:everything|all)\s+(?:it\s+needs|that'?s\s+needed|we\s+need)", "no"),
    literal(
        r"\b(?:none\s+of\s+(?:which|it|this|them|that)\s+(?:is|are)\s+(?:public|published)"
        r"|(?:not|never|isn'?t|aren'?t)\s+(?:been\s+)?(?:published|public(?:ly\s+available)?|freely\s+available"
        r"|available\s+(?:online|publicly|on\s+the\s+(?:internet|web)))(?:\s+anywhere)?"
        r"|nothing\s+(?:of\s+it\s+)?(?:is\s+)?public)\b",
        "yes",
    ),
    literal(
        r"\bnothing\s+internal\b|\b(?:all|everything)\s+(?:\w+\s+){0,6}?(?:is\s+)?(?:in\s+)?(?:our\s+|the\s+)?"
        r"public(?:ly\s+available)?\b(?!\s+(?:and|or)\s+internal)"
        r"|\b(?:just|only)\s+(?:our\s+|the\s+)?public\s+(?:\w+\s+)?(?:docs|documentation|faq|faqs|info\w*|pages|website"
        r"|content|knowledge)\b|\b(?:on|from)\s+wikipedia\b|\bcommon\s+knowledge\b"
        r"|\bnothing\s+(?:specialis|specializ|special|niche|technical|domain)\w*|\bcommon[\s-]sense\b",
        "no",
    ),
    rule(
        r"\b(?:internal|proprietary|in-?house|company[\s-]specific|private)\s+(?:\w+\s+){0,2}?(?:codes|abbreviations"
        r"|table\s+names|tables|schemas?|policies|policy|procedures|processes|docs|documentation|wiki|knowledge\s+base"
        r"|rules|product\s+(?:names|codes|catalog(?:ue)?)|systems|tools|apis|formats|standards|guidelines)\b",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:models?|llms?|gpt[\w.-]*|claude|llama)\s+(?:already\s+)?"
        r"(?:(?:does|do)\s*n'?t\s+|does\s+not\s+|do\s+not\s+|won'?t\s+|can'?t\s+|cannot\s+)?"
        r"(?:knows?|understands?|handles?)\s+(?:\w+\s+){0,3}?(?:domain|terminology|jargon|products?"
        r"|terms|field|subject|vocabulary|acronyms|codes)\b",
        "no",
        "yes",
    ),
    rule(
        r"\b(?:general|common|everyday|generic|public|world|basic|commonsense)\s+(?:knowledge"
        r"|language|english|vocabulary)\b",
        "no",
    ),
    rule(
        r"\b(?:internal|proprietary|in-?house|company[\s-]specific|domain[\s-]specific"
        r"|industry[\s-]specific|niche|speciali[sz]ed|specialist|special|bespoke|technical|medical"
        r"|legal|clinical|regulatory|scientific|financial|pharma\w*|engineering|insurance|tax"
        r"|accounting|biomedical|our\s+own|company)\s+(?:\w+\s+)?(?:terminology|jargon|vocabulary"
        r"|knowledge|terms|acronyms|lingo|conventions|expertise|nomenclature|abbreviations"
        r"|product\s+names)\b",
        "yes",
        "no",
    ),
    rule(
        r"\b(?:domain|subject[\s-]matter)[\s-](?:knowledge|expertise|terminology|jargon|experts?)\b"
        r"|\b(?:terminology|jargon|acronyms|lingo|nomenclature)\b",
        "yes",
        "no",
    ),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    rule(
        r"\b(?:general|generic|common|everyday|standard|ordinary|plain|basic|nothing\s+special"
        r"|public)\b",
        "no",
    ),
    rule(
        r"\b(?:jargon|terminology|speciali[sz]ed|specialist|special|niche|technical|domain|proprietary"
        r"|internal|in-?house|acronyms|expert\w*|industry|medical|legal|scientific|unique"
        r"|company[\s-]specific)\b",
        "yes",
        "no",
    ),
)
"""Extra rules for a typed answer to this question: looser words that only mean something once
we know what was asked."""

POLARITY: dict[str, str] = YES_NO
"""What a bare "yes" or "no" means as an answer to this question; a missing key is ambiguous."""

REFINES: frozenset[str] = frozenset()

ALIASES = (
    r"domain[\s_-]knowledge|domain|terminology|jargon|expertise|knowledge"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
