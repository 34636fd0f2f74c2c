"""Whether a message has any word of danger, abuse or absence at all (the NLU safety component
keeps the classifier alone from alarming on an everyday question without one)."""

from __future__ import annotations

import re

from cse_core.safety.lexicon import _lexicon, alternation, word_list
from cse_core.safety.normalise import _WORD_RE, normalise

# Word lists of word_lists.yml (what each is for is said there).
_DANGER_CLASSES = word_list("danger_classes")
_DANGER_EXTRA = word_list("danger_words")
_SERIOUS_CLASSES = word_list("serious_danger_classes")
_SERIOUS_WORDS = word_list("serious_danger_words")
_ADVICE = re.compile(rf"(?<![a-z'])(?:{alternation(word_list('advice_phrases'))})(?![a-z'])")


def mentions_danger(text: str) -> bool:
    """Whether a message has any word of danger, abuse or absence at all: the safety component
    does not let the classifier alone alarm on an everyday question without one ("my son's
    shooting hoops at the park with his mates, is there a youth club nearby?")."""
    lex = _lexicon()
    words = _words(text)
    vocab = frozenset().union(*(lex[name] for name in _DANGER_CLASSES)) | _DANGER_EXTRA
    return bool(words & vocab) or _adult_age(words)


def _words(text: str) -> set[str]:
    """The message's words in lower case, each also without what follows an apostrophe."""
    words = {w.lower() for w in _WORD_RE.findall(normalise(text))}
    return words | {w.split("'")[0] for w in words}


def _adult_age(words: set[str]) -> bool:
    return any(w.isdigit() and 18 <= int(w) <= 99 for w in words)  # "he's 30"


def mentions_serious_danger(text: str) -> bool:
    """A word of serious danger (a dangerous adult, drugs, a weapon, an injury, distress, a
    sexual act or image) or an adult's age: what an advice question must not have for the
    classifier to stay quiet on it."""
    lex = _lexicon()
    words = _words(text)
    vocab = frozenset().union(*(lex[name] for name in _SERIOUS_CLASSES)) | _SERIOUS_WORDS
    return bool(words & vocab) or _adult_age(words)


def asks_advice(text: str) -> bool:
    """Whether a message asks for everyday advice or permission ("any tips?", "is it ok to let
    her go?"): a parent planning a sleepover, not a child in danger. The safety component does
    not let the classifier alone alarm on one that says nothing of now or soon."""
    return bool(_ADVICE.search(" ".join(normalise(text).lower().split())))
