"""Whether a message has any word of danger, abuse or absence at all (the NLU safety component
keeps the classifier alone from alarming on an everyday question without one)."""

from __future__ import annotations

from cse_core.safety.lexicon import _lexicon
from cse_core.safety.normalise import _WORD_RE, normalise

_DANGER_CLASSES = ("DANGER_PERSON", "DRUG", "WEAPON", "DISTRESS", "DANGER_STATE", "MEDICAL",
                   "HARM_FORMS", "HARM_ING", "HARM_PP", "CONCERN_ING", "CONCERN_PP", "ABUSE_PP",
                   "FORCE_V", "SEX_ACT", "SEXUAL_IMAGE", "IMAGE", "BODY", "SUPPLY_ING", "MOVE_PP",
                   "COUNTY_LINES", "DEMAND_V", "ABUSE_V")
_DANGER_EXTRA = {"missing", "gone", "alone", "secret", "scared", "help", "owe", "owes", "debt",
                 "older", "stranger", "hotel", "flat", "threat", "threats", "threaten", "kill",
                 "stab", "hurt", "touch", "touched", "sex", "sexual", "abuse", "abused", "police",
                 "999", "danger", "unsafe", "met", "online", "won't", "can't", "cannot", "not",
                 "never", "hasn't", "isn't", "nobody", "meet", "meeting", "night", "tonight",
                 "boyfriend", "girlfriend", "bf", "gf", "relationship", "dating", "gifts", "money",
                 "presents", "lifts", "car", "van", "party", "parties", "snapchat", "messaging",
                 "messages", "webcam", "pics", "groom", "grooming", "groomed", "exploit", "cse"}


def mentions_danger(text: str) -> bool:
    """Whether a message has any word of danger, abuse or absence at all: the safety component
    does not let the classifier alone alarm on an everyday question without one ("my son's
    shooting hoops at the park with his mates, is there a youth club nearby?")."""
    lex = _lexicon()
    words = {w.lower() for w in _WORD_RE.findall(normalise(text))}
    words |= {w.split("'")[0] for w in words}
    vocab = frozenset().union(*(lex[name] for name in _DANGER_CLASSES)) | _DANGER_EXTRA
    adult_age = any(w.isdigit() and 18 <= int(w) <= 99 for w in words)  # "he's 30"
    return bool(words & vocab) or adult_age
