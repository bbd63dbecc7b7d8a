"""Task scope: one narrow task, or a general assistant.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import Rule, literal, rule


DESCRIPTION_RULES: tuple[Rule, ...] = (
    rule(
        r"\b(?:bot|assistant|helpdesk|help\s+desk|copilot|co-pilot|chat\s*bot|agent)\b[^.;!?\n]{0,40}?(?:for|covering|:|with"
        r"|handling)\s+(?:[\w-]+\s+){0,2}[\w-]+(?:,\s*(?:and\s+|or\s+)?(?:[\w-]+\s+){0,2}[\w-]+){2,}"
        r"|\bdo[\s-]everything\b|\b(?:does|do|handles?|handling|automates?)\s+(?:\w+\s+)?everything\b|\ball[\s-]round(?:er)?\b|\bjack\s+of\s+all\s+trades\b",
        "broad",
    ),
    rule(
        r"\b(?:any|every|all)\s+(?:kinds?\s+of\s+|types?\s+of\s+|sorts?\s+of\s+)?(?:questions?|requests?|tasks?|topics?)\b"
        r"|\b(?:chatgpt|copilot|gpt)[\s-](?:style|like)\b|\binternal\s+chatgpt\b"
        r"|\b(?:help\w*|assist\w*|support\w*)\s+(?:\w+\s+){0,3}?with\s+(?:anything|everything|whatever)\b"
        r"|\b(?:assistant|bot|copilot|helper)\s+for\s+(?:all|every|the\s+whole|everyone|everybody|the\s+entire)\b"
        r"|\b(?:covering|covers|across|spanning|handles?|answers?)\s+\w+(?:\s+\w+)?(?:,\s*\w+(?:\s+\w+)?){1,}"
        r",?\s+(?:and|or)\s+\w+"
        r"|(?:\w+,\s*){2,}[\w\s]*(?:and\s+more|etc\.?|and\s+so\s+on)\b",
        "broad",
    ),
    rule(
        r"\b(?:general[\s-]purpose|general|generic|open[\s-]ended|all[\s-]purpose|do[\s-]it[\s-]all"
        r"|multi[\s-]?purpose|universal|catch[\s-]all|swiss[\s-]army)\s+(?:\w+\s+)?(?:assistant"
        r"|chat\s*bot|bot|copilot|co-pilot|helper|agent|questions|conversations?|chat|q\s*&\s*a)\b",
        "broad",
    ),
    rule(
        r"\b(?:many|lots\s+of|all\s+kinds\s+of|all\s+sorts\s+of|various|a\s+wide\s+range\s+of"
        r"|wide\s+range\s+of|a\s+variety\s+of|variety\s+of|multiple|many\s+different|diverse"
        r"|dozens\s+of|hundreds\s+of)\s+(?:\w+\s+)?(?:tasks|use[\s-]cases|kinds\s+of\s+(?:tasks"
        r"|requests|questions)|types\s+of\s+(?:tasks|requests|questions)|domains|departments"
        r"|workflows|jobs|functions)\b",
        "broad",
    ),
    rule(
        r"\b(?:arbitrary|anything|whatever|all\s+kinds\s+of|all\s+sorts\s+of)\s+(?:\w+\s+)?"
        r"(?:questions?|requests?|tasks?|topics?|things|stuff|subjects)\b|\b(?:anything|whatever)\s+(?:the\s+|our\s+|their\s+)?"
        r"(?:\w+\s+)?(?:users?|employees?|people|staff|customers?|clients?|visitors?|agents?|teams?)\s+"
        r"(?:ask|asks|want|wants|need|needs|throw\w*)\b|\bwhatever\s+comes\s+up\b",
        "broad",
    ),
    literal(r"\bnot\s+(?:just\s+|really\s+)?(?:one|a\s+single)\s+(?:\w+\s+)?task\b", "broad"),
    rule(
        r"\b\w+ing\s+[^,.;:!?]{1,40},\s*\w+ing\s+[^,.;:!?]{1,40},\s*(?:and\s+|or\s+)?\w+ing\b",
        "broad",
    ),
    rule(
        r"\bbroad\s+(?:\w+\s+)?(?:scope|range|set|variety|tasks?|use|domain|assistant|copilot|chat\s*bot)\b"
        r"|\bwide[\s-]ranging\b|\bopen[\s-]domain\b",
        "broad",
    ),
    rule(
        r"\b(?:one|a|single|1)\s+(?:\w+\s+)?(?:narrow|specific|well[\s-]defined|focused|particular"
        r"|repetitive|fixed|clear|simple)\s+(?:task|job|use[\s-]case|function|problem|workflow)\b"
        r"|\b(?:single|one)[\s-](?:task|purpose)\b",
        "narrow",
    ),
    rule(
        r"\b(?:narrow(?:ly)?|narrowly[\s-]defined|well[\s-]defined|tightly[\s-]scoped|specific"
        r"|focused|single[\s-]purpose|repetitive)\s+(?:\w+\s+)?(?:task|scope|use[\s-]case|job"
        r"|problem|purpose|workflow)\b",
        "narrow",
    ),
    rule(
        r"\bclassif(?:y|ies|ying)\b(?:<G4>|\s+)(?:into|as|by)\s+(?:one\s+of\s+)?(?:\d+|\w+)\s+"
        r"(?:\w+\s+)?(?:categories|classes|labels|buckets|types|groups|intents|topics)\b",
        "narrow",
    ),
    rule(
        r"\b(?:classification|extraction|tagging|routing|triage|labell?ing|sentiment\s+analysis"
        r"|entity\s+extraction|ner)\s+(?:task|job|model|only|problem|use[\s-]case|pipeline)\b"
        r"|\b(?:just|only|purely|solely)\s+(?:for\s+|does\s+|do\s+)?(?:classif\w*|extract\w*"
        r"|tagging|routing|triage|summari[sz]\w*|translat\w*|one\s+(?:task|thing)|a\s+single\s+task)",
        "narrow",
    ),
    rule(
        r"\b(?:classif(?:y|ies|ying|ied)|categori[sz](?:e|es|ing)|tag(?:s|ging)?|extract(?:s|ing)?|rout(?:e|es|ing)"
        r"|flag(?:s|ging)?|rank(?:s|ing)?|triag(?:e|es|ing)|label(?:s|l?ing)?|detect(?:s|ing)?|pars(?:e|es|ing)"
        r"|score(?:s)?|scoring|grad(?:e|es|ing)|redact(?:s|ing)?)\s+(?:\w+\s+){0,5}?(?:into|by|as|from|to|on|with"
        r"|for)\b"
        r"|\b(?:turn|turns|turning|convert|converts|converting|map|maps|mapping|transform\w*)\s+[^.;!?]{1,60}?\binto\s+"
        r"(?:\w+\s+){0,3}?(?:json|structured|records?|fields?|sql|schema|format|categories|labels|codes)\b"
        r"|\b(?:generate|generating|write|writing)\s+(?:\w+\s+){0,3}?(?:descriptions|summaries|titles|headlines|captions)"
        r"\s+(?:\w+\s+){0,6}?(?:in\s+a\s+(?:strict|fixed|set|house)|format|template|style)\b"
        r"|\b(?:sentiment|intent)\s+(?:tagging|classification|detection|analysis)\b"
        r"|\b(?:classifier|extractor|tagger|router|ranker|detector|parser|summari[sz]er|translator|scorer|grader)s?\b"
        r"|\b(?:use[\s-]case|task|job|goal|aim|purpose|idea|project)\s+(?:is|would\s+be|will\s+be|:)\s+(?:to\s+|about\s+)?"
        r"(?:\w+\s+)?(?:classif|categori|tag|extract|rout|flag|rank|triag|label|detect|pars|scor|grad|summari|translat"
        r"|convert|turn|map|match|predict|identif)\w*"
        r"|\b(?:generat\w*|writ\w*|produc\w*|translat\w*)\s+(?:\w+\s+)?(?:sql|queries|json|code|regex(?:es)?)\s+(?:from|for)\b"
        r"|(?:^|[.!;:\n]\s*|\b(?:to|that|which|will|should|must|would|can|could|and)\s+)(?:summari[sz]|translat|classif|categori[sz]"
        r"|pull(?:s|ing)?\s+out|fill(?:s|ing)?\s+in|populat"
        r"|extract|rout|flag|rank|triag|detect|pars|predict|draft|convert|moderat|transcrib|normali[sz]|rewrit|redact"
        r"|identif|assign|match|auto-?repl)\w*\s+(?:\w+\s+){0,4}?\w+"
        r"(?:\s+(?:into|to|from|for\s+each|per|as|by|in)\b|\s*[.,;]|$)"
        r"|\b(?:about|on|for)\s+(?:\w+\s+){1,4}only\b"
        r"|\b(?<!general\s)(?<!generic\s)(?!(?:own|our|their|its|the|a|an|vendor|content|safety|any|some|no)\b)[\w-]+\s+"
        r"(?:classification|categori[sz]ation"
        r"|extraction|summari[sz]ation|translation|tagging|routing|triage|detection|scoring|ranking"
        r"|matching|transcription|labell?ing|parsing)\b",
        "narrow",
    ),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    rule(r"\b(?:broad|general|generic|wide|open[\s-]ended|varied|diverse)\b", "broad", "narrow"),
    rule(
        r"\b(?:many|lots|multiple|various|everything|anything|all\s+sorts|all\s+kinds|several"
        r"|variety)\b",
        "broad",
    ),
    rule(r"\b(?:narrow|specific|single|focused|niche|well[\s-]defined|one)\b", "narrow", "broad"),
    rule(
        r"\b(?:just|only|simple|classif\w*|categori[sz]\w*|extract\w*|tagging|routing|triage"
        r"|sentiment|summari[sz]\w*|translat\w*)\b",
        "narrow",
    ),
)
"""Extra rules for a typed answer to this question: looser words that only mean something once
we know what was asked."""

POLARITY: dict[str, str] = {}
"""What a bare "yes" or "no" means as an answer to this question; a missing key is ambiguous."""

REFINES: frozenset[str] = frozenset()

ALIASES = (
    r"use\s+case|goal|purpose|task[\s_-]scope|scope|task|breadth|narrow|broad"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
