"""Ordinary word or proper noun, from spaCy's English word-frequency table (issue 5, 14).

``spacy-lookups-data`` (already installed for the lemmatizer) ships the table: a word is
*ordinary* when its lower-case form is at least as frequent as its capitalised one ("health",
"help"), *proper* when the capitalised form is much the more frequent ("Chloe", "Smith"). The
table is read once per process (1-2 s, see :func:`lexicon`); look-ups are set membership.
"""

from __future__ import annotations

import functools
import gzip
import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Lexicon:
    ordinary: frozenset[str]  # lower-case form at least as frequent as the capitalised one
    proper: frozenset[str]  # capitalised form far more frequent (x e): chloe, smith, jayden
    known: frozenset[str]  # every lower-case word in the table


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    # Scanning the JSON text is quicker and far smaller in memory than json.load of 1M entries.
    # The table is trusted package data, not user input.
    try:
        path = resources.files("spacy_lookups_data").joinpath("data/en_lexeme_prob.json.gz")
        raw = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # no table: every word counts as unknown
        return Lexicon(frozenset(), frozenset(), frozenset())
    lower: dict[str, float] = {}
    title: dict[str, float] = {}
    # one entry a line: "word":-12.3 (anchored, so an escaped key such as "\\"people" is no match)
    for match in re.finditer(r'^\s*"([A-Za-z][a-z\'-]*)": ?(-?[0-9.]+)', raw, re.M):
        word = match.group(1)
        (title if word[0].isupper() else lower).setdefault(word, float(match.group(2)))
    ordinary, proper = set(), set()
    for word, prob in lower.items():
        title_prob = title.get(word[0].upper() + word[1:], -99.0)
        if prob >= title_prob:
            ordinary.add(word)
        elif title_prob - prob >= 1.0:  # words in between ("angel", "wow") are neither
            proper.add(word)
    for word in title:  # proper nouns never written in lower case ("Kayden")
        low = word.lower()
        if low not in lower:
            proper.add(low)
    for word in _proper_words():  # names the table has seen in lower case ("dawid", "pooja")
        ordinary.discard(word)
        proper.add(word)
    return Lexicon(frozenset(ordinary), frozenset(proper), frozenset(lower) | frozenset(w.lower() for w in title))


def _proper_words() -> frozenset[str]:
    """Given names the table calls ordinary words although they are names only (``data/proper_words.txt``)."""
    path = resources.files("cse_core").joinpath("data/proper_words.txt")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))
