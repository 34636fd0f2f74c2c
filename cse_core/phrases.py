"""Phrase patterns from knowledge/ files, matched on lemmas with spaCy's Matcher.

The follow-up cues, topic terms, signs and other areas' words (issue 11) are data, written
as short phrases: ``stays out late`` also finds "stayed out late" (lemmas), ``a|b`` is
either word, ``*`` up to two other words, ``<n>`` a number, ``word?`` an optional word.
Matching is spaCy's token automaton: linear in the message, whatever the phrases.

Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc

from cse_core.nlp import get_nlp
from cse_core.tokens import PLAIN  # the project's one table of typographic characters

# Written forms that the tokenizer would split differently in a message and in a phrase.
_HYPHEN = re.compile(r"(?<=[a-z0-9])-(?=[a-z0-9])")
_AGE = re.compile(r"\b(\d{1,2}) ?(?:yo|y/o|yr olds?|yrs? old|yrs?|year-olds?|years?-old)\b")
_DECADE = re.compile(r"\b([1-9]0)s\b")
_STUCK = re.compile(r"\b(year|yr)(\d{1,2})\b")
# A token's key is its lemma, except where the lookup lemmatizer would blur a word we need.
_KEEP_FORM = {"'s", "s", "older", "oldest", "lads", "us", "her", "his", "him"}
_ANY = {"IS_PUNCT": False, "OP": "?"}


def prepare(text: str) -> str:
    """Lower case, straight quotes, "self-harm" as "self harm", "13yo" as "13 year old"."""
    text = (text or "").translate(PLAIN).lower()
    text = _HYPHEN.sub(" ", text)
    text = _STUCK.sub(r"\1 \2", text)
    text = _AGE.sub(r"\1 year old", text)
    return _DECADE.sub(r"\1 s", text)


def parse(text: str) -> Doc:
    """The message as a Doc whose tokens carry ``key``: the form phrases match on."""
    doc = get_nlp()(prepare(text))
    return doc


def key(token_text: str, lemma: str) -> str:
    return token_text if token_text in _KEEP_FORM or not lemma else lemma


def keys(doc: Doc) -> list[str]:
    return [key(t.lower_, t.lemma_) for t in doc]


def _word_forms(word: str) -> list[str]:
    return [t.lower_ for t in get_nlp().make_doc(prepare(word))]


def _word_keys(word: str) -> list[str]:
    """The keys of one written word (it may be more than one token: "won't")."""
    doc = get_nlp()(prepare(word))
    return [key(t.lower_, t.lemma_) for t in doc]


def _compile(phrase: str, exact: bool = False) -> list[list[dict]]:
    """One phrase -> spaCy token patterns (more than one when an alternative is two tokens).
    ``exact``: match the written forms, not lemmas ("not known" must not find "don't know")."""
    patterns: list[list[dict]] = [[]]
    for item in phrase.split():
        optional = item.endswith("?") and len(item) > 1
        item = item[:-1] if optional else item
        if item == "*":
            patterns = [p + [dict(_ANY), dict(_ANY)] for p in patterns]
            continue
        if item == "<n>":
            patterns = [p + [{"LIKE_NUM": True, **({"OP": "?"} if optional else {})}] for p in patterns]
            continue
        alternatives = [_word_forms(a) if exact else _word_keys(a) for a in item.split("|") if a]
        attr = "LOWER" if exact else "NORM"  # NORM holds the key (see _set_keys)
        single = sorted({a[0] for a in alternatives if len(a) == 1})
        multi = [a for a in alternatives if len(a) > 1]
        options: list[list[dict]] = []
        if single:
            options.append([{attr: {"IN": single}, **({"OP": "?"} if optional else {})}])
        for toks in multi:
            options.append([{attr: t} for t in toks])
        patterns = [p + option for p in patterns for option in options]
    return patterns


@dataclass(frozen=True)
class Match:
    label: str  # what the phrase stands for (a topic id, an indicator and level, a cue...)
    start: int  # token offsets in the Doc
    end: int
    phrase: str

    @property
    def length(self) -> int:
        return self.end - self.start


class PhraseSet:
    """Named groups of phrases; ``find`` returns every match, ``best`` non-overlapping ones."""

    def __init__(self, groups: dict[str, Iterable[str]], exact: bool = False) -> None:
        self._matcher = Matcher(get_nlp().vocab, validate=True)
        self._phrases: dict[str, str] = {}
        for label, phrases in groups.items():
            for n, phrase in enumerate(phrases):
                name = f"{label}\x1f{n}"
                self._phrases[name] = str(phrase)
                self._matcher.add(name, _compile(str(phrase), exact))

    def find(self, doc: Doc) -> list[Match]:
        _set_keys(doc)
        vocab = doc.vocab.strings
        found = []
        for match_id, start, end in self._matcher(doc):
            name = vocab[match_id]
            found.append(Match(name.split("\x1f")[0], start, end, self._phrases[name]))
        return found

    def best(self, doc: Doc, also: Iterable[Match] = ()) -> list[Match]:
        """Longest matches first (with ``also``, another set's), none overlapping, in text order."""
        chosen: list[Match] = []
        taken: set[int] = set()
        for m in sorted([*self.find(doc), *also], key=lambda m: (-m.length, m.start)):
            span = set(range(m.start, m.end))
            if not span & taken:
                chosen.append(m)
                taken |= span
        return sorted(chosen, key=lambda m: m.start)

    def labels(self, doc: Doc) -> set[str]:
        return {m.label for m in self.find(doc)}


def _set_keys(doc: Doc) -> None:
    """Each token's key goes into its NORM, which the Matcher reads natively: a custom
    ``token._`` attribute is a Python call per token per pattern state, and made phrase
    matching most of the action server's time (issue 13's bench)."""
    if doc.user_data.get("keys_set"):
        return
    for token in doc:
        token.norm_ = key(token.lower_, token.lemma_)
    doc.user_data["keys_set"] = True


@functools.lru_cache(maxsize=8)
def words_of(text: str) -> tuple[str, ...]:
    """The keys of a short text, for tests and simple look-ups."""
    return tuple(_word_keys(text))
