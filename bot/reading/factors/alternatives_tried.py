"""Alternatives tried: prompt engineering and prompt chaining, and whether they fell short.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import LITERAL, Rule, literal, rule

_FAILED = (
    r"(?:failed|fail|fails|fell\s+short|falls?\s+short|plateau(?:ed|s)?|hit\s+a\s+(?:wall|ceiling)"
    r"|maxed\s+out|topped\s+out|stopped\s+improving|(?:did|do|does)\s*n'?t\s+(?:work|help|cut\s+it)"
    r"|(?:did|does|do)\s+not\s+(?:work|help)|(?:was|were|is|are)\s*n'?t\s+(?:enough|sufficient|good\s+enough)"
    r"|not\s+(?:\w+\s+)?enough|insufficient|no\s+(?:luck|good)|weren'?t\s+enough"
    r"|neither\s+(?:\w+\s+)?(?:is|was|worked|works|helped|cut\s+it|good|reliable|enough)"
    r"|(?:is|are|was|were)?\s*n'?t\s+cutting\s+it|not\s+cutting\s+it|unreliable|not\s+reliable"
    r"|still\s+(?:poor|bad|weak|wrong|mediocre|disappointing|inconsistent|not\s+(?:there|good|great|reliable|accurate))"
    r"|(?:is|are|was|were)\s+(?:still\s+)?(?:poor|bad|weak|inconsistent|mediocre|disappointing)"
    r"|can'?t\s+get\s+(?:it\s+)?(?:past|above|beyond|over)|stuck\s+(?:at|around|near|below|on)"
    r"|(?:still|keeps?)\s+hallucinat\w*|(?:still\s+)?(?:gets?|got|getting)\s+(?:\w+\s+){0,3}?wrong"
    r"|still\s+(?:miss\w*|fail\w*|makes?\s+mistakes|breaks?|struggles?)|(?:too\s+many|lots\s+of)\s+(?:errors|mistakes))"
)

DESCRIPTION_RULES: tuple[Rule, ...] = (
    literal(
        r"\b(?:besides|except|other\s+than|beyond|apart\s+from)\s+(?:a\s+|one\s+|some\s+|the\s+|our\s+)?(?:\w+\s+){0,2}?"
        r"(?:system\s+)?prompts?\b",
        "partly",
    ),
    literal(
        r"\b(?:haven'?t|have\s+not|didn'?t|did\s+not)\s+(?:tried|done|used|tested)\s+(?:much|a\s+lot\s+of|many|that\s+much)\s+"
        r"(?:\w+\s+)?(?:prompt\w*|chain\w*)"
        r"|\b(?:just|only)\s+(?:one|a\s+single|a\s+couple\s+of|two|a\s+basic|a\s+simple)\s+(?:\w+\s+)?prompts?\b",
        "partly",
    ),
    literal(
        r"\b(?:just|only)\s+(?:a\s+|one\s+)?(?:quick|brief|small|little|couple\s+of|few|single)\s+(?:\w+\s+)?(?:tests?|try|tries"
        r"|experiments?|attempts?|pokes?|prototypes?)\b",
        "partly",
    ),
    literal(
        r"\bwithout\s+(?:\w+\s+)?(?:trying|testing|using|attempting)\s+(?:any\s+)?(?:prompt\w*|chain\w*|alternatives)"
        r"|\b(?:jump\w*|went|go|going)\s+straight\s+to\s+fine[\s-]?tun\w*",
        "no",
    ),
    rule(
        r"\b(?:went\s+deep\s+on|spent\s+(?:weeks|months|a\s+lot\s+of\s+time)\s+on|been\s+prompt\w*\s+for\s+(?:weeks|months)"
        r"|iterat\w+\s+on\s+(?:the\s+|our\s+)?prompts?\s+for\s+(?:\w+\s+)?(?:weeks|months))"
        r"\s*(?:\w+\s+)?(?:prompt\w*|chain\w*)?",
        "exhausted",
    ),
    literal(
        r"\b(?:haven'?t|have\s+not|hasn'?t|didn'?t|did\s+not|not)\s+(?:\w+\s+){0,3}?(?:prompt\w*|chain\w*)\s+"
        r"(?:\w+\s+)?(?:much|a\s+lot|properly|thoroughly|extensively|seriously|systematically)\b"
        r"|\b(?:just|only\s+just|recently|barely)\s+(?:started|begun|began|starting)\s+(?:\w+\s+){0,3}?(?:prompt\w*|chain\w*)"
        r"|\bplay(?:ed|ing)?\s+(?:around\s+)?with\s+(?:\w+\s+)?(?:prompt\w*|chain\w*)",
        "partly",
    ),
    literal(
        r"\bnothing\s+(?:tried|attempted|done|tested)(?:\s+(?:yet|so\s+far))?\b"
        r"|\b(?:haven'?t|have\s+not|not)\s+(?:yet\s+)?tried\s+anything\b",
        "no",
    ),
    literal(
        r"\b(?:prompt\w*|few[\s-]shot)\b[^?!]{0,120}?\b(?:haven'?t|have\s+not|hasn'?t|didn'?t|did\s+not|never"
        r"|not\s+yet)\s+(?:\w+\s+)?(?:tried|used|done|tested|attempted)\s+(?:any\s+|prompt\s+)?chain\w*",
        "partly",
    ),
    literal(
        r"\b(?:prompt\w*|few[\s-]shot|chain\w*)(?:\s+<W>){0,6}?,?\s+but\s+(?:<W>\s+){0,3}?"
        r"(?:not|never|\w+n't)\s+(?:<W>\s+){0,3}?(?:chain\w*|prompt\w*)",
        "partly",
    ),
    literal(
        r"\b(?:haven'?t|have\s+not|hasn'?t|has\s+not|didn'?t|did\s+not|never|not\s+yet|yet\s+to"
        r"|still\s+need\s+to)\s+(?:\w+\s+){0,2}?(?:tried|try|tested|test|attempted|attempt"
        r"|explored|explore|experimented|done|did|used|use|looked\s+into)"
        r"(?:\s+(?:any|much|some|the|with|out|our|a|more|basic|proper|serious|real|other|really"
        r"|yet)\b){0,2}\s+(?:prompt\w*|chain\w*|rag|retrieval|few[\s-]shot|alternatives?"
        r"|anything(?:\s+else)?|other\s+(?:approaches|options|methods|things)"
        r"|in-?context\s+learning|system\s+prompts?)",
        "no",
    ),
    literal(
        r"\b(?:no|zero)\s+(?:prompt\s+engineering|prompting|chaining|prompt\s+chaining|attempts?"
        r"|alternatives)\s+(?:yet|so\s+far|at\s+all|tried|done)\b",
        "no",
    ),
    rule(
        r"\b(?:some|a\s+bit\s+of|a\s+little(?:\s+bit\s+of)?|basic|light|initial|limited|a\s+few"
        r"|brief(?:ly)?|quick(?:ly)?|early)\s+(?:\w+\s+)?(?:prompt\w*|chain\w*|few[\s-]shot)"
        r"|\b(?:only|just)\s+tried\s+(?:\w+\s+){0,3}?(?:prompt\w*|chain\w*)",
        "partly",
    ),
    literal(
        r"\b(?:partly|partially|somewhat|to\s+some\s+extent|not\s+(?:fully|thoroughly|exhaustively"
        r"|extensively|systematically|properly))\s+(?:\w+\s+){0,2}?(?:tried|explored|tested|done"
        r"|used)\b",
        "partly",
    ),
    rule(
        r"\btried\s+(?:\w+\s+)?(?:everything|it\s+all|all\s+of\s+(?:them|it|that)|every\s+\w+"
        r"|extensively|exhaustively|thoroughly|both|hard|a\s+lot|lots|all\s+the\s+\w+)\b",
        "exhausted",
    ),
    rule(
        r"\b(?:had|'d|have|'ve|has)\s+(?:already\s+)?(?:tried|attempted|done|used|explored|tested)"
        r"(?:\s+(?:out|the|our|proper|serious|real|both|with))?\s+(?:prompt\w*(?:\s+(?:engineering"
        r"|chaining))?|chain\w*|few[\s-]shot"
        r"|alternatives|rag|retrieval|other\s+(?:approaches|options|methods))\b"
        r"(?![^.;!?]{0,40}\b(?:a\s+bit|a\s+little|briefly|somewhat|partly|partially|but\s+not"
        r"|not\s+(?:yet|much|fully|properly|chain\w*|prompt\w*)|works?|worked|helps?|helped))",
        "exhausted",
        hypothetical=True,
    ),
    rule(
        r"\b(?:exhausted|maxed\s+out)\s+(?:\w+\s+){0,2}?(?:prompt\w*|chain\w*|options|alternatives|methods|techniques"
        r"|approaches)",
        "exhausted",
        "partly",
    ),
    rule(
        r"\b(?:prompt\w*|chain\w*|few[\s-]shot|rag|retrieval)\b(?:[^\w.!?]+<W>){0,10}?"
        rf"[^\w.!?]+{_FAILED}",
        "exhausted",
        LITERAL,
        lead=r"(?:tried|used|did|done|tested|attempted|iterated\s+on)\s+(?:<W>\s+){0,2}",
    ),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    literal(
        r"\b(?:partly|partially|somewhat|a\s+(?:bit|little)|to\s+some\s+extent|sort\s+of|kind\s+of"
        r"|not\s+(?:fully|thoroughly|exhaustively|extensively|properly|much)|some|a\s+few|a\s+couple(?:\s+of)?|a\s+handful|one\s+or\s+two|briefly"
        r"|only\s+(?:a\s+bit|prompting|prompt\s+engineering|chaining|one)"
        r"|just\s+(?:prompt\w*|chain\w*|a\s+bit|a\s+little))\b",
        "partly",
    ),
    rule(
        r"\b(?:everything|exhaustively|extensively|thoroughly|a\s+lot|lots|both|all\s+of\s+(?:it|them)"
        r"|exhausted|maxed\s+out|fully|completely)\b",
        "exhausted",
    ),
    literal(
        r"\b(?:not\s+yet|haven'?t|have\s+not|hasn'?t|didn'?t|did\s+not|never|nothing|none|not\s+really"
        r"|nope|not\s+at\s+all|yet\s+to)\b",
        "no",
    ),
)
"""Extra rules for a typed answer to this question: looser words that only mean something once
we know what was asked."""

POLARITY: dict[str, str] = {"yes": "exhausted", "no": "no"}
"""What a bare "yes" or "no" means as an answer to this question; a missing key is ambiguous."""

REFINES: frozenset[str] = frozenset({"partly"})
"""Values that win over a leading yes/no ("yes, but masked")."""

ALIASES = (
    r"tried|tried\s+so\s+far|what\s+we(?:'ve|\s+have)\s+tried|attempts|alternatives[\s_-]tried|alternatives|prompt\s+engineering|prompting|prompt\s+chaining|chaining"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
