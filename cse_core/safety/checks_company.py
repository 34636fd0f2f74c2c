"""Post-checks on the company a child is in: dangerous adults, strangers, an adult's age, a
house "she doesn't know", drugs or a weapon."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from cse_core.safety.lexicon import _lexicon, word_list
from cse_core.safety.tokens import _adult_age, _sentence_of

if TYPE_CHECKING:
    from cse_core.safety.rule import Hit

# Word lists of word_lists.yml (what each is for is said there).
_DODGY_WORDS = word_list("dodgy_words")
_RISKY_PLAN_WORDS = word_list("risky_plan_words")
_STEP_PARENTS = word_list("step_parents")
_PEER_ROLES = word_list("peer_roles")
_ONLINE_WORDS = word_list("online_words")
_OLDER_MALES = word_list("older_males")
_HOTELS = word_list("hotels")
_HOTEL_COMPANY = word_list("hotel_company")


def _dangerous_company(doc: Doc, hit: Hit) -> bool:
    """A place is danger when the sentence names dangerous company: men, older lads, strangers,
    an adult's age, or a house "she doesn't know"."""
    lex = _lexicon()
    tokens = _sentence_of(doc, hit.start)
    words = [t.lower_ for t in tokens]
    if set(words) & lex["DANGER_PERSON"]:
        return True
    if "boot" in words and words[min(words.index("boot") + 1, len(words) - 1)] not in {"sale", "sales"} \
            and words[max(words.index("boot") - 1, 0)] in {"car", "the", "a", "his", "their", "van"}:
        return True  # "in a car boot" (not a car boot sale)
    if set(words) & (_DODGY_WORDS
                     | lex["DRUG"] | lex["WEAPON"]):
        return True
    if set(words) & _HOTELS and set(words) & _HOTEL_COMPANY:
        return True
    text = " ".join(words)
    if re.search(r"(do n't|does n't|did n't|not) know", text):
        return True
    return any(_adult_age(doc, t.i) for t in tokens if t.like_num)


def _risky_company(doc: Doc) -> bool:
    """The message names who makes a plan dangerous: adults, strangers, people met online,
    an adult's age, older males, a house "she doesn't know", a debt, drugs or a weapon."""
    lex = _lexicon()
    words = [t.lower_ for t in doc]
    seen = set(words)
    if seen & (lex["ADULT_COMPANY"] | lex["DRUG"] | lex["WEAPON"] | lex["COUNTY_LINES"]) or seen & _RISKY_PLAN_WORDS:
        return True
    for i, word in enumerate(words[:-1]):
        if word in {"older", "grown"} and words[i + 1] in _OLDER_MALES:
            return True
    text = " ".join(words)
    if re.search(r"(do n't|does n't|did n't|not) know (him|them|who|where)", text):
        return True
    # a place the child does not know ("a town he doesn't know"), or secrecy ("says I can't tell
    # anyone", "told her not to tell her mum", "it's a secret")
    if re.search(r"\b(town|city|area|place|house|flat|address|street|estate) (he|she|they|i|we) "
                 r"(do n't|does n't|did n't) know\b", text) or re.search(
            r"\b(ca n't|cannot|can not|not to|must n't|never to|do n't) (tell|say|let) "
            r"(anyone|anybody|no one|noone|my|her|his|their|your|mum|dad|the)\b|\bsecret\b", text):
        return True
    # an adult's age: 20 or more, or 18-19 with a child of 15 or under ("a 19 year old lad
    # taking my 17 year old to the cinema" is not danger by itself)
    adults = [int(t.text) for t in doc if t.text.isdigit() and _adult_age(doc, t.i)]
    young = [int(t.text) for t in doc if t.text.isdigit() and 8 <= int(t.text) <= 15]
    return any(age >= 20 or young for age in adults)


def _adult_in_life(doc: Doc) -> bool:
    """An adult in the child's life (teacher, coach, stepdad) or an adult stranger is named."""
    lex = _lexicon()
    words = {t.lower_ for t in doc}
    roles = (lex["ABUSER_ROLE"] - _PEER_ROLES) | _STEP_PARENTS
    return bool(words & (roles | lex["ADULT_COMPANY"] - _ONLINE_WORDS)) or _risky_company(doc)
