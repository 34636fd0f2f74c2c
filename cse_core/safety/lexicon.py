"""The safety detector's word data: ``lexicon.yml`` (word classes the rule patterns name,
cue phrases, text-speak, typo keys, words that are not names), loaded once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from cse_core.nlp import get_nlp

LEXICON_PATH = Path(__file__).with_name("lexicon.yml")


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
        return self.classes[name]


@functools.lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    """Load lexicon.yml once and derive the VICTIM class and the known-word set."""
    # BaseLoader keeps every scalar a string ("no", "off", "999" stay words, not bool/int).
    data = yaml.load(LEXICON_PATH.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    classes = {name: frozenset(words) for name, words in data["classes"].items()}
    # A victim slot accepts any person reference; _victim_class sorts them out afterwards.
    classes["VICTIM"] = frozenset().union(
        *(classes[c] for c in ("FIRST_SUBJ", "FIRST_OBJ", "P3", "RELATION", "PERSON", "INDEF"))
    ) | {"old", "youngest", "eldest", "oldest"}
    classes["PERSON"] = classes["PERSON"] | {"old", "youngest", "eldest", "oldest"}
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
