"""The speaker's own age ("I'm 14") and the age gap rule: a child under 18 talking about an
adult partner or sexual contact with an adult."""

from __future__ import annotations

import functools

from spacy.matcher import Matcher
from spacy.tokens import Doc

from cse_core.nlp import get_nlp
from cse_core.safety.lexicon import _lexicon, word_list
from cse_core.safety.patterns import _compile
from cse_core.safety.tokens import _adult_age

# Word lists of word_lists.yml (what each is for is said there).
_AGE_GAP_SEXUAL = word_list("age_gap_sexual")
_PARTNER_PERSONS = word_list("partner_persons")
_RELATIONSHIP_WORDS = word_list("relationship_words")


# The speaker giving their age: "I'm 14", "im only 13", "I am a 15 year old", "me 14"
_OWN_AGE_PATTERNS = (
    "i 'm|am|m ADV? a? #",
    "i|me ADV? just? turned|aged|age #",
    "me #",
)


@functools.lru_cache(maxsize=1)
def _age_matcher() -> Matcher:
    """A small Matcher for the speaker's own age, built once."""
    matcher = Matcher(get_nlp().vocab)
    lex = _lexicon()
    matcher.add("OWN_AGE", [_compile(spec, lex).pattern for spec in _OWN_AGE_PATTERNS])
    return matcher


def _own_age(doc: Doc) -> int | None:
    """The speaker's age when they give it."""
    for _, _, end in _age_matcher()(doc):
        if doc[end - 1].text.isdigit():
            return int(doc[end - 1].text)
    return None


def _age_gap(doc: Doc) -> bool:
    """A child under 18 talks about an adult partner or sexual contact with an adult."""
    age = _own_age(doc)
    if age is None or not 8 <= age <= 17:
        return False
    words = {t.lower_ for t in doc}
    if any(_adult_age(doc, t.i) and int(t.text) != age for t in doc if t.text.isdigit()):
        return True
    older = {"older", "adult", "grown"} & words and words & _PARTNER_PERSONS
    sexual = words & _AGE_GAP_SEXUAL
    return bool(older) and bool(sexual or words & _RELATIONSHIP_WORDS)
