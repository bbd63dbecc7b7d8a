"""Training data: example inputs paired with ideal outputs, or the means to make them.

Its description rules (what a free description must say to settle it) and its answer rules
(looser words that only mean something once this question was asked) side by side.
"""

from __future__ import annotations

from bot.reading.rules import Rule, literal, rule
from bot.reading.vocabulary import ALONE

_DATA_NOUN = (
    r"(?:examples?|pairs|samples|datasets?|data\s+sets?|training\s+(?:data|sets?)"
    r"|labell?ed\s+data|annotated\s+data|ground\s+truth|gold(?:en)?\s+(?:sets?|data|answers))"
)
_INPUT_NOUN = (
    r"(?:tickets|questions|e-?mails|requests|queries|chats|conversations|cases|inputs|prompts"
    r"|logs|messages|transcripts|documents|docs|data|records|texts|calls|complaints|submissions"
    r"|forms|invoices|reports)"
)
"""What a task takes in: on their own these are not training pairs."""
_OUTPUT_NOUN = (
    r"(?:answers|replies|responses|resolutions|outputs|labels|annotations|targets|ground\s+truth"
    r"|gold(?:en)?\s+(?:answers|labels|outputs|data)|expected\s+outputs|completions|solutions"
    r"|summaries|translations)"
)
"""What a task should give back: the other half of a training pair."""
_BARE_INPUTS = (
    r"(?<!labelled\s)(?<!labeled\s)(?<!annotated\s)(?<!graded\s)(?<!reviewed\s)"
    rf"\b{_INPUT_NOUN}\b(?!\s+(?:with|and|plus)\s+(?:(?:their|the|its|our)\s+)?(?:\w+\s+)?"
    rf"{_OUTPUT_NOUN})"
)
"""Input nouns not already said to carry their outputs ("labelled data", "tickets with replies")."""
_WITHOUT_OUTPUTS = (
    r"[^.;!?]{0,40}?\b(?:no|not|without|lacking|missing|zero|none\s+of)\s+(?:any\s+|the\s+"
    r"|their\s+|its\s+|matching\s+|corresponding\s+|correct\s+|reference\s+|written\s+)?"
    rf"{_OUTPUT_NOUN}\b"
    r"|\s+(?:only|alone)\b(?!\s+(?:with|and)\b)"
)
"""After an input noun: the outputs are missing ("tickets but no answers", "inputs only")."""
_CREATE_VERB = (
    r"(?:write|create|generate|produce|label|annotate|collect|curate|gather|synthesi[sz]e"
    r"|build|make|assemble|export|draft)"
)

DESCRIPTION_RULES: tuple[Rule, ...] = (
    rule(
        r"\bwe\s+(?:already\s+|regularly\s+|routinely\s+)?(?:label|annotate)\s+(?:our\s+own\s+)?(?:data|examples|datasets?)\b",
        "can_create",
    ),
    literal(
        r"\b(?:getting|obtaining|collecting|finding|gathering)\s+(?:\w+\s+)?(?:training\s+)?(?:data|examples|pairs)\s+"
        r"(?:\w+\s+){0,3}?(?:hard|difficult|impossible|tough|unrealistic)\b",
        "none",
    ),
    rule(
        r"\b[\w-]+s\s+(?:could|can|would|will)\s+(?:easily\s+|probably\s+|also\s+)?(?:write|label|annotate|produce|draft|generate)\b",
        "can_create",
    ),
    rule(
        r"\b(?:tickets|questions|e-?mails|requests|queries|chats|conversations|cases|inputs|messages|transcripts"
        r"|records|logs|claims|applications|documents|reports|reviews)\s+(?:\w+\s+){0,2}?(?:include|includes|including|with|contain|contains|containing|have|has"
        r"|come\s+with)\s+(?:the\s+|their\s+|its\s+|our\s+)?(?:(?!no\b|not\b|without\b)[\w-]+'?s?\s+){0,3}?(?:final\s+|correct\s+|actual\s+)?"
        r"(?:responses?|replies|reply|answers?|resolutions?|outputs?|labels?|categories|codes|decisions?|outcomes?"
        r"|verdicts?|summaries)\b"
        r"|\b(?:and|with|plus)\s+(?:the\s+|their\s+)?(?:replies|responses|answers)\s+(?:our|the|their)\s+"
        r"(?:\w+\s+)?(?:sent|wrote|gave|gives|send|write)\b",
        "have_pairs",
    ),
    rule(r"\bsynthetic\s+(?:training\s+)?(?:data|examples|pairs|datasets?|answers|outputs|labels|responses)\b", "can_create"),
    rule(
        r"(?:\b(?:could|can|would|will|able\s+to|plan\s+to|going\s+to|might|should\s+be\s+able\s+to)|'d(?!\s+(?:need|require)))"
        rf"(?:<G2>|\s+){_CREATE_VERB}<G3>{_DATA_NOUN}\b",
        "can_create",
    ),
    rule(
        rf"\b{_DATA_NOUN}\s+(?:could|can|would|will)\s+be\s+(?:created|generated|written|labell?ed"
        r"|annotated|collected|produced|synthesi[sz]ed|exported|drafted)\b",
        "can_create",
    ),
    rule(
        r"\b(?:experts?|annotators?|labell?ers|reviewers|smes?|specialists|another\s+llm|an\s+llm"
        r"|gpt[\w.-]*)\s+(?:could|can|will|would)\s+(?:write|label|annotate|create|produce|draft"
        r"|generate)\b"
        r"|\b(?:ask|have|let|use|get|prompt)\s+(?:our\s+|the\s+|some\s+|a\s+few\s+)?(?:experts?|annotators?|smes?|another\s+llm|an\s+llm"
        r"|gpt[\w.-]*|claude|a\s+bigger\s+model|a\s+larger\s+model)\s+(?:to\s+)?(?:write|label"
        r"|annotate|create|produce|draft|generate)\b",
        "can_create",
    ),
    rule(rf"\b(?:need|needs|needed|require|requires|want|wants|would\s+need)<G3>{_DATA_NOUN}\b", None),
    # inputs without outputs are not pairs: "we have thousands of tickets but no answers"
    literal(
        r"\b(?:have|has|had|got|kept|collected|gathered|own|there\s+(?:are|is)|there's|only"
        rf"|just)\b(?:<G4>|\s+){_BARE_INPUTS}(?:{_WITHOUT_OUTPUTS})",
        "none",
    ),
    rule(
        r"\b(?:have|has|had|got|own|possess|hold|collected|gathered|there\s+(?:are|is)|there's"
        rf"|there're)\b(?!\s+to\b)(?:<G4>|\s+){_DATA_NOUN}\b",
        "have_pairs",
        "none",
    ),
    rule(
        r"\b(?:have|has|had|got|kept|collected|there\s+(?:are|is)|there's)\b(?:<G4>|\s+)(?:tickets"
        r"|questions|e-?mails|requests|queries|chats|conversations|cases|inputs)\s+(?:with|and)\s+"
        r"(?:(?:their|the|its|our)\s+)?(?:[\w'-]+\s+)?(?:replies|answers|responses|resolutions|outputs)\b",
        "have_pairs",
    ),
    rule(
        r"\b\d[\d,.]*\s*k?\+?\s+(?:hand[\s-])?(?:labell?ed|annotated|curated|historical|existing|gold(?:en)?"
        r"|training|input[/-]output|example|sample|human[\s-]written|graded|reviewed)\s+"
        r"(?:examples|pairs|samples|records|conversations|tickets|e-?mails|documents|transcripts"
        r"|answers|responses)\b",
        "have_pairs",
    ),
    rule(
        r"\b(?:have|has|had|got|there\s+(?:are|is))\b(?:<G4>|\s+)(?:hand[\s-])?(?:labell?ed|annotated|graded|tagged)\b"
        r"|\b(?:have|has|had|got)\b(?:<G4>|\s+)(?:labell?ed|annotated|tagged|graded|classified)\s+by\s+"
        r"(?:\w+\s+)?(?:agents?|humans?|hand|experts?|annotators?|people|staff|reviewers|analysts|doctors"
        r"|lawyers|editors|moderators|our\s+\w+)\b",
        "have_pairs",
        "none",
    ),
    literal(
        r"\bno\s+(?:training|labell?ed|annotated|example|historical)\s+(?:data|examples|pairs|sets?)\b"
        r"|\bno\s+(?:examples|datasets?|training\s+sets?)\b"
        r"|\bno\s+data\s+(?:at\s+all|yet|whatsoever|to\s+(?:train|fine[\s-]?tune))",
        "none",
    ),
    literal(
        r"\b(?:lack|lacks|lacking|without)\s+(?:any\s+)?(?:training\s+|labell?ed\s+)?(?:data|examples)\b"
        r"|\b(?:don'?t|do\s+not|doesn'?t|does\s+not)\s+have\s+(?:any\s+)?(?:\w+\s+)?(?:data|examples)\b",
        "none",
    ),
)
"""Rules a free description can trigger: each names its subject, so they hold in any text."""

ANSWER_RULES: tuple[Rule, ...] = (
    literal(r"^\W*(?:we\s+have\s+|we've\s+got\s+)?(?:some|a\s+few|a\s+handful|lots|plenty|loads|tons)\W*$", "have_pairs"),
    rule(
        r"\b(?:could|can(?!')|would|will|able\s+to|plan\s+to|going\s+to|might|'d\s+have\s+to|would\s+have\s+to)"
        rf"(?:<G2>|\s+){_CREATE_VERB}\b",
        "can_create",
    ),
    rule(r"\bsynthetic\b|\b(?:another|an)\s+llm\b", "can_create"),
    literal(
        rf"{_BARE_INPUTS}(?:{_WITHOUT_OUTPUTS})"
        rf"|\b(?:no|without|lacking|missing)\s+(?:any\s+|the\s+)?{_OUTPUT_NOUN}\b",
        "none",
    ),
    rule(r"\b(?:unlabell?ed|raw|unstructured|not\s+labell?ed)\b", None),
    rule(
        r"\b(?:have|got)\b(?!\s+to\b)(?:<G3>|\s+)(?:data|lots|plenty|thousands|hundreds|loads|tons)\b",
        "have_pairs",
        "none",
    ),
    rule(r"\b(?:labell?ed|annotated|input[/-]output|pairs|examples)\b", "have_pairs", "none"),
    literal(
        ALONE.format(
            r"none|nothing|nada|zilch|zero|no\s+data|no\s+examples|none\s+(?:yet|at\s+all)"
            r"|nothing\s+(?:yet|at\s+all)|we\s+have\s+none"
        ),
        "none",
    ),
    literal(r"\bno\s+(?:\w+\s+)?(?:data|examples)\b", "none"),
)
"""Extra rules for a typed answer to this question: looser words that only mean something once
we know what was asked."""

POLARITY: dict[str, str] = {"yes": "have_pairs", "no": "none"}
"""What a bare "yes" or "no" means as an answer to this question ("Do you already have example
inputs paired with ideal outputs?"). In the conversation a plain "no" first asks the question's
second part (could experts or another LLM write them?); read alone, it means none."""

REFINES: frozenset[str] = frozenset({"can_create"})
"""Values that win over a leading yes/no ("yes, but masked")."""

ALIASES = (
    r"training[\s_-]data|training\s+sets?|training\s+examples|examples|labell?ed\s+data|labels"
    r"|data\s*sets?|pairs|data|training"
)
"""Loose names of this factor, for "change ..." (a regex alternation)."""
