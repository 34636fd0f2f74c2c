"""The safety detector's word data, loaded once.

* ``lexicon.yml``: the word classes the rule patterns name, cue phrases, text-speak, typo keys
  and words that are not names (:func:`_lexicon`);
* ``word_lists.yml``: the word lists the post-checks, guards and :func:`read` use by name
  (:func:`word_list`). They are not pattern classes and do not count as known English words
  for the typo fixer.

A list or class the code names and the data lacks fails at import or at the first message,
never by silently matching nothing."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from cse_core.nlp import get_nlp

LEXICON_PATH = Path(__file__).with_name("lexicon.yml")
WORD_LISTS_PATH = Path(__file__).with_name("word_lists.yml")


@functools.lru_cache(maxsize=1)
def _word_lists() -> dict[str, frozenset[str]]:
    """Load word_lists.yml once: every entry must be a non-empty list of strings."""
    data = yaml.load(WORD_LISTS_PATH.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    lists: dict[str, frozenset[str]] = {}
    for name, words in data.items():
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise ValueError(f"{WORD_LISTS_PATH.name}: {name!r} is not a non-empty list of words")
        lists[name] = frozenset(words)
    return lists


def word_list(name: str) -> frozenset[str]:
    """A word list of word_lists.yml by name. Modules call it at import, so a list the code
    names and the data lacks stops the import rather than matching nothing."""
    try:
        return _word_lists()[name]
    except KeyError:
        raise LookupError(f"{WORD_LISTS_PATH.name} has no word list {name!r}") from None


def alternation(words: frozenset[str]) -> str:
    """A regular-expression alternation of a word list (longest first, each escaped)."""
    return "|".join(sorted((re.escape(w) for w in words), key=lambda w: (-len(w), w)))


# A person in a victim slot said by age alone ("my youngest"): see word_lists.yml.
_AGE_NOUNS = word_list("age_nouns")


@dataclass(frozen=True)
class Lexicon:
    """The word lists of lexicon.yml, loaded once."""

    classes: dict[str, frozenset[str]]
    phrases: dict[str, tuple[str, ...]]
    textspeak: dict[str, str]
    fuzzy_keys: tuple[str, ...]
    not_names: frozenset[str]
    known: frozenset[str]  # every word we recognise as English (for typo and name detection)

    def __getitem__(self, name: str) -> frozenset[str]:
        """A word class by name."""
        try:
            return self.classes[name]
        except KeyError:
            raise LookupError(f"{LEXICON_PATH.name} has no word class {name!r}") from None


@functools.lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    """Load lexicon.yml once and derive the VICTIM class and the known-word set."""
    # BaseLoader keeps every scalar a string ("no", "off", "999" stay words, not bool/int).
    data = yaml.load(LEXICON_PATH.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    classes = {name: frozenset(words) for name, words in data["classes"].items()}
    # A victim slot accepts any person reference; _victim_class sorts them out afterwards.
    classes["VICTIM"] = frozenset().union(
        *(classes[c] for c in ("FIRST_SUBJ", "FIRST_OBJ", "P3", "RELATION", "PERSON", "INDEF"))
    ) | _AGE_NOUNS
    classes["PERSON"] = classes["PERSON"] | _AGE_NOUNS
    table = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    known: set[str] = set()
    known.update(str(v) for v in table.values())
    for words in classes.values():
        known.update(words)
    for word in data["fuzzy_keys"]:
        known.add(word)
    for phrases in data["phrases"].values():
        for phrase in phrases:
            known.update(phrase.split())
    known.update(data["known_words"])
    return Lexicon(
        classes=classes,
        phrases={name: tuple(items) for name, items in data["phrases"].items()},
        textspeak=dict(data["textspeak"]),
        fuzzy_keys=tuple(data["fuzzy_keys"]),
        not_names=frozenset(data["not_names"]),
        known=frozenset(known),
    )


def _is_known(word: str) -> bool:
    """An English word we recognise (so not a typo and not a name)."""
    table = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    return word in _lexicon().known or word in table

