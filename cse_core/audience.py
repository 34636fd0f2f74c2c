"""Is the person a parent or carer, or a practitioner? Cues in their own words.

Used to pick an answer's plain-language wording for parents without asking a role
question first (issue 2: the first message is answered directly).
"""

from __future__ import annotations

import re

PARENT = "parent"
PRACTITIONER = "practitioner"

_CHILD = r"(?:daughter|son|child|kid|kids|boy|girl|lad|lass|teenager|step ?daughter|step ?son|grand ?daughter|grand ?son|foster (?:child|son|daughter))"
_PARENT_CUES = [
    rf"\bmy (?:\d{{1,2}}[- ]?(?:yo|y/o|year[- ]old) )?(?:little |teenage |eldest |youngest |oldest )?{_CHILD}(?:'?s)?\b",
    r"\bi(?:'m| am|m) (?:a |her |his |their |the )?(?:mum|mom|mother|dad|father|parent|carer|foster carer|step ?(?:mum|dad)|gran|grandma|grandad|guardian)\b",
    r"\bas (?:a|her|his|their) (?:parent|mum|mom|dad|carer|foster carer)\b",
    r"\bour (?:daughter|son|child|kid)\b",
]
_PRACTITIONER_CUES = [
    r"\bi(?:'m| am|m) (?:a |an |the )?(?:teacher|dsl|designated safeguarding lead|social worker|sw|family worker|school nurse|nurse|gp|doctor|health visitor|police officer|pc|youth worker|early help (?:practitioner|worker)|practitioner|headteacher|head of year|safeguarding lead)\b",
    r"\bas (?:a|an|the) (?:teacher|dsl|social worker|practitioner|professional|school nurse|gp|police officer|youth worker)\b",
    r"\bmy (?:pupil|student|client|caseload|case load|young person|yp)\b",
    r"\bone of (?:my|our) (?:pupils|students|clients|young people|yp)\b",
    # a role written as a label before the message: "school nurse - ...", "resi worker: ..."
    r"^\s*(?:[a-z]+ ){0,3}(?:nurse|worker|teacher|officer|social worker|dsl|gp|practitioner|manager|senco|"
    r"head|pc|tutor|mentor|keyworker|key worker|health visitor|paramedic|police)\s*[-:\u2013\u2014]",
    r"\bi work (?:in|at|for) (?:a |the )?(?:school|college|academy|children's home|residential|youth)",
]


def detect(text: str) -> str | None:
    """``parent``, ``practitioner`` or None when the text says nothing about it."""
    lowered = (text or "").lower()
    if any(re.search(p, lowered) for p in _PRACTITIONER_CUES):
        return PRACTITIONER
    if any(re.search(p, lowered) for p in _PARENT_CUES):
        return PARENT
    return None
