"""The small pattern language the rules are written in, compiled to spaCy ``Matcher`` patterns.

A pattern is a space-separated list of token specs, each matched on one token:

* ``CLASS``: lower-case form in the lexicon class (BE, VICTIM, WEAPON ...)
* ``~CLASS``: lemma in the lexicon class
* ``word|word``: lower-case form is one of the words
* ``_``: any word that is not punctuation or a clause-joining conjunction
* ``_3``: up to three such words (expands to three optional wildcards)
* ``#``: a number

followed optionally by ``?`` ``*`` ``+`` (the spaCy operators), and prefixed optionally by

* ``@name:``: a slot, the matched token is recorded under ``name`` (v = victim, a = agent)
* ``!``: part of the rule's own negation ("won't let", "isn't answering"); the negation guard
  ignores it.

The macros ``OBJ``, ``SUBJ``, ``AUX+`` and ``AUX*`` expand to common noun-phrase and auxiliary
sequences (see ``_MACROS``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cse_core.safety.lexicon import word_list
from cse_core.safety.tokens import _CLAUSE_WORDS

if TYPE_CHECKING:
    from cse_core.safety.lexicon import Lexicon

# Word lists of word_lists.yml (what each is for is said there).
_NOUN_MODIFIERS = word_list("noun_modifiers")


_WILDCARD = {"IS_PUNCT": False, "LOWER": {"NOT_IN": sorted(_CLAUSE_WORDS)}}

# a modifier inside a noun phrase: a modifier word or a number, so OBJ never reaches past
# "why she" or "me round" to a later noun
_MODIFIER = {"LOWER": {"IN": sorted(_NOUN_MODIFIERS | {str(n) for n in range(1, 100)})}}


# OBJ: a victim as an object, with its determiner and up to two modifiers ("my 14 year old",
# "my little sister", "her")
_OBJ = "SPECIFIC_DET|GENERIC_DET? MOD? MOD? MOD? @v:VICTIM"
# SUBJ: a victim as the subject, with adverbs before the verb ("my son just got bundled")
_SUBJ = "@v:VICTIM (? #? )? ADV*"  # "my brother (14) just got ..."
# AUX+ / AUX*: auxiliaries with adverbs between them ("has just been", "'s still")
_MACROS = {
    "OBJ": _OBJ.split(),
    "SUBJ": _SUBJ.split(),
    "AUX+": ["BE_NOW+", "ADV*", "BE_NOW*", "ADV*"],
    "AUX*": ["BE_NOW*", "ADV*", "BE_NOW*", "ADV*"],
}


@dataclass(frozen=True)
class Compiled:
    """One spaCy pattern plus where its slots and own negation sit in it."""

    pattern: list[dict]
    slots: dict[int, str]  # pattern index -> slot name
    own_neg: frozenset[int]  # pattern indices that carry the rule's own negation


def _token_spec(item: str, lex: Lexicon) -> dict:
    """The spaCy token pattern for one item of the pattern language."""
    if item == "_":
        return dict(_WILDCARD)
    if item == "MOD":
        return dict(_MODIFIER)
    if item == "#":
        return {"LIKE_NUM": True}
    if item.startswith("~"):
        return {"LEMMA": {"IN": sorted(lex[item[1:]])}}
    if "~" in item:
        raise ValueError(f"cannot mix lemma and word alternatives: {item}")
    words: set[str] = set()
    for part in item.split("|"):
        words |= lex[part] if part.isupper() else {part}
    return {"LOWER": {"IN": sorted(words)}}


def _compile(spec: str, lex: Lexicon) -> Compiled:
    """Compile one pattern-language string into a spaCy pattern with its slots."""
    pattern: list[dict] = []
    slots: dict[int, str] = {}
    own_neg: set[int] = set()
    items = [part for raw in spec.split() for part in _MACROS.get(raw, [raw])]
    for raw in items:
        item, slot, neg = raw, "", False
        if item.startswith("!"):
            item, neg = item[1:], True
        if item.startswith("@"):
            slot, item = item[1:].split(":", 1)
        if re.fullmatch(r"_\d", item):  # _3: up to three wildcards
            pattern.extend({**_WILDCARD, "OP": "?"} for _ in range(int(item[1])))
            continue
        op = ""
        if len(item) > 1 and item[-1] in "?*+":
            item, op = item[:-1], item[-1]
        token = _token_spec(item, lex)
        if op:
            token["OP"] = op
        if slot:
            slots[len(pattern)] = slot
        if neg:
            own_neg.add(len(pattern))
        pattern.append(token)
    return Compiled(pattern, slots, frozenset(own_neg))
