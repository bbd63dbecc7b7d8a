"""Sensitive data: private, personal or confidential information in the training data.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

import re

from bot.reading.rules import Rule, literal, rule
from bot.reading.vocabulary import YES_NO

_SENSITIVE_THING = (
    r"(?:pii|phi|personal(?:ly)?\s+(?:identifiable\s+)?(?:data|information|info|details)"
    r"|(?:customer|user|patient|client|employee|citizen|member|people's|personal|private"
    r"|account[\s-]?holder|card[\s-]?holder|policy[\s-]?holder|applicant|student|tenant)s?'?\s+"
    r"(?:data|names|e-?mails?|e-?mail\s+addresses|addresses|phone\s+numbers|records|information"
    r"|info|details|pii|conversations|messages|profiles|accounts|identifiers|ids|histories|photos)"
    r"|(?:names|e-?mails|e-?mail\s+addresses|phone\s+numbers|home\s+addresses)\s+(?:and|or|&)\s+"
    r"(?:names|e-?mails|e-?mail\s+addresses|phone\s+numbers|addresses)"
    r"|e-?mail\s+addresses|phone\s+numbers|home\s+addresses|social\s+security\s+numbers?|ssns?|diagnos[ie]s"
    r"|performance\s+reviews|appraisals|disciplinary\s+records|medical\s+notes"
    r"|internal\s+(?:financial\s+|hr\s+|customer\s+|business\s+)?(?:data|records|financials|emails|memos|contracts|files)"
    r"|passport\s+numbers?|dates?\s+of\s+birth|credit\s+cards?(?:\s+numbers)?"
    r"|bank\s+(?:details|account\s+numbers?|accounts)|medical\s+(?:records|data|histor(?:y|ies))"
    r"|health\s+(?:data|records|information)|patient\s+(?:data|records|information)"
    r"|financial\s+records|salar(?:y|ies)|payroll|hipaa|gdpr|trade\s+secrets"
    r"|confidential\s+(?:data|information|documents|records|files)"
    r"|sensitive\s+(?:data|information|info|content|documents|records|fields|details)"
    r"|private\s+(?:data|information|info))"
)
_IDENTIFIER = (
    r"(?:names|identifiers|identifying\s+(?:details|information|data|fields)|personal\s+details"
    r"|e-?mails|e-?mail\s+addresses|phone\s+numbers|addresses|account\s+numbers)"
)
"""Personal details a message may say were taken out."""
_REMOVE_VERB = (
    r"(?:strip|strips|stripped|stripping|remove|removes|removed|removing|delete|deletes|deleted"
    r"|deleting|drop|drops|dropped|dropping|hash|hashes|hashed|hashing|replace|replaces|replaced"
    r"|replacing|tokeni[sz]e|tokeni[sz]es|tokeni[sz]ed|tokeni[sz]ing|blank|blanks|blanked"
    r"|blanking|erase|erases|erased|erasing|(?:take|takes|took|taking|cut|cuts|cutting)(?=\s+out\b))"
)
_REMOVED = (
    r"(?:removed|stripped(?:\s+out)?|deleted|dropped|hashed|replaced|tokeni[sz]ed|blanked(?:\s+out)?"
    r"|taken\s+out|cut\s+out|erased|masked|redacted|scrubbed|anonymi[sz]ed|pseudonymi[sz]ed"
    r"|de-?identified)"
)
"""Removal verbs: a sensitive thing they act on is masked, not present."""
_HOLDS = r"(?:contains?|containing|includes?|including|has|have|with|holds?|stores?|process(?:es)?|handles?)"
CONFIDENTIAL = re.compile(
    r"(?<![\w-])(?:confidential|trade\s+secrets?|business[\s-]sensitive|commercially\s+sensitive"
    r"|internal[\s-]only|under\s+(?:an\s+)?nda|classified)\b"
)
"""Confidential business data: not personal, but a fine-tuned model can repeat it to anyone who
uses the model, so it reads as sensitive ("they are confidential, but no customer PII")."""


DESCRIPTION_RULES: tuple[Rule, ...] = (
    rule(
        r"\b(?:anonymi[sz](?:ed|e|es|ing|ation)|pseudonymi[sz]\w*|de-?identifi\w*|redact\w*"
        r"|mask(?:ed|ing|s)?|scrubbed|scrub|sanitis\w*|sanitiz\w*|obfuscat\w*)\b",
        "masked",
    ),
    rule(
        rf"\b{_REMOVE_VERB}(?:\s+out)?\s+(?:(?:all|any|every|the|their|its|our|of|those|these)\s+)*"
        rf"(?:{_SENSITIVE_THING}|{_IDENTIFIER})\b",
        "masked",
    ),
    rule(
        rf"\b(?:{_SENSITIVE_THING}|{_IDENTIFIER})\s+(?:(?:is|are|was|were|has|have|had|been|being"
        r"|get|gets|got|will\s+be|would\s+be|already|all|always|first|automatically|fully"
        rf"|completely|then)\s+)*{_REMOVED}\b",
        "masked",
    ),
    rule(CONFIDENTIAL.pattern, "yes"),
    rule(
        rf"\b{_SENSITIVE_THING}\b",
        "yes",
        "no",
        lead=rf"\b{_HOLDS}\s+(?:(?:the|their|our|some|any|lots\s+of|a\s+lot\s+of)\s+)?",
    ),
    rule(
        r"\b(?:data|it|this|content|documents|information|records)\s+(?:is|are|'s)\s+"
        r"(?:very\s+|highly\s+|quite\s+|really\s+)?(?:sensitive|confidential|private|personal)\b",
        "yes",
        "no",
    ),
    literal(r"\bnon[\s-]?(?:sensitive|personal|confidential)\b", "no"),
    literal(r"\bnothing\s+(?:sensitive|personal|confidential|private)\b", "no"),
    literal(r"\b(?:from|uses?|using|only)\s+(?:\w+\s+)?open\s+(?:datasets?|data|source\s+(?:code|data|repositories|repos))\b", "no"),
    literal(
        r"\b(?:is|are|'s|'re)\s+(?:all\s+|entirely\s+|purely\s+)?(?:synthetic|made[\s-]up|fake|dummy)\b"
        r"|\bnothing\s+(?:\w+\s+){0,3}?identif\w+\s+(?:a\s+|any\s+)?(?:person|people|individuals?|users?|customers?)\b",
        "no",
    ),
    rule(
        r"\b(?:all|only|entirely|purely|just|fully)\s+public\b"
        r"|\bpublic(?:ly\s+available)?\s+(?:data|information|documents?|docs|content|sources"
        r"|web\s+pages|websites?|datasets?)\b"
        r"|(?<!which\s)\b(?:is|are|'s|'re)\s+(?:all\s+|entirely\s+|fully\s+)?public(?:ly\s+available)?\b",
        "no",
    ),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    literal(
        r"^\W*(?:(?:yes,?\s+)?(?:a\s+little|a\s+bit|somewhat|some(?:\s+of\s+it)?|partly|partially|kind\s+of|sort\s+of"
        r"|a\s+few|here\s+and\s+there|occasionally|sometimes))\W*$",
        "yes",
    ),
    rule(r"\b(?:sensitive|confidential|private|personal|pii|gdpr|hipaa|secrets?)\b", "yes", "no"),
    rule(
        r"\b(?:names?|e-?mails?|addresses|phone|medical|health|patients?|financial|salar\w*"
        r"|customers?|users?|employees?|clients?)\b",
        "yes",
        "no",
    ),
    rule(r"\bpublic\b", "no"),
    literal(
        r"\b(?:only|just|purely)\s+(?:\w+\s+){0,2}?(?:product|technical|public|marketing|catalog(?:ue)?|engineering)\s+"
        r"(?:specs|specifications|data|docs|descriptions|info\w*|manuals|content|text)\b",
        "no",
    ),
)
"""Extra rules for a typed answer to this question: looser words that only mean something once
we know what was asked."""

POLARITY: dict[str, str] = YES_NO
"""What a bare "yes" or "no" means as an answer to this question; a missing key is ambiguous."""

REFINES: frozenset[str] = frozenset({"masked"})
"""Values that win over a leading yes/no ("yes, but masked")."""

ALIASES = (
    r"sensitive[\s_-]data|sensitive|privacy|private|pii|personal\s+data|personal|confidential\w*"
    r"|data\s+protection|gdpr|masking"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
