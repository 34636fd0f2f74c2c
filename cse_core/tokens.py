"""Words of a message with their character offsets, and the spans already taken (issue 14).

Shared by the name detector (:mod:`cse_core.names`) and redaction (:mod:`cse_core.redaction`).
Everything here is linear in the length of the text: one pass of a linear-time (RE2) scanner
to cut words, and a byte per character to remember which characters a span already holds,
so checking and taking a span costs its own length, never the number of spans found so far.

Tokens follow spaCy's English conventions where the rules rely on them: "Chloe's" is
``Chloe`` + ``'s``, "don't" is ``do`` + ``n't``, "Amy-Leigh" is ``Amy`` ``-`` ``Leigh``;
"O'Neill" stays one word.
"""

from __future__ import annotations

from dataclasses import dataclass

import re2

# A word: letters and digits, with apostrophes inside ("O'Neill's"); anything else that is not
# a space is a token of its own character.
_TOKEN = re2.compile(r"[\pL\pN\pM]+(?:'[\pL\pN\pM]+)*|\S")
_CLITICS = ("'s", "'m", "'re", "'ve", "'ll", "'d")
_NUMBER_WORDS = frozenset(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])

# Typographic variants read as their plain forms, one character for one, so offsets hold. The
# one table of the project: redaction, the name detector and the safety normaliser read it.
PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
                       "\u201c": '"', "\u201d": '"', "\t": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
                       "\u2007": " ", "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\uff20": "@"})


def normalise(text: str) -> str:
    """The text the rules read: same length and offsets as ``text``.

    Curly quotes become straight, odd spaces plain, dashes "-" (:data:`PLAIN`), and a message typed all in
    capitals is read in lower case, like text-speak: capitals tell nothing there.
    """
    norm = text.translate(PLAIN)
    if not any(ch.islower() for ch in norm):
        norm = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in norm)
    return norm


@dataclass(eq=False)
class Token:
    text: str
    start: int
    end: int
    i: int = 0
    ws: bool = False  # a space or tab follows (not a line break)
    nl_before: bool = False  # a line break comes before it (or it opens the text)

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha() and self.text.replace("'", "").isalpha()

    @property
    def is_lower(self) -> bool:
        return self.text.islower()

    @property
    def is_punct(self) -> bool:
        return not self.text[0].isalnum()

    @property
    def like_num(self) -> bool:
        return self.text.isdigit() or self.text.lower() in _NUMBER_WORDS

    @property
    def is_cap(self) -> bool:
        """Capitalised like a name: Chloe, O'Neill, McDonald; not CSE, not I."""
        return self.text[:1].isupper() and any(c.islower() for c in self.text)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (already normalised), in order."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        word = m.group()
        parts = [(start, end)]
        low = word.lower()
        if len(word) > 3 and low.endswith("n't") and word[-4].isalpha():
            parts = [(start, end - 3), (end - 3, end)]
        elif "'" in word:
            for clitic in _CLITICS:
                if low.endswith(clitic) and len(word) > len(clitic):
                    cut = end - len(clitic)
                    parts = [(start, cut), (cut, end)]
                    break
        for s, e in parts:
            tokens.append(Token(text[s:e], s, e))
    n = len(text)
    for i, tok in enumerate(tokens):
        tok.i = i
        tok.ws = tok.end < n and text[tok.end] in " \t"
        if i == 0:
            tok.nl_before = True
        else:
            gap = text[tokens[i - 1].end:tok.start]
            tok.nl_before = "\n" in gap or "\r" in gap
    return tokens


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str


class Spans:
    """The spans found so far; a span overlapping one already taken is refused."""

    def __init__(self, length: int) -> None:
        self.items: list[Span] = []
        self._taken = bytearray(length)

    def free(self, start: int, end: int) -> bool:
        return self._taken.find(1, start, end) == -1

    def add(self, start: int, end: int, label: str) -> bool:
        if start >= end or not self.free(start, end):
            return False
        self._taken[start:end] = b"\x01" * (end - start)
        self.items.append(Span(start, end, label))
        return True

    def free_runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """The stretches of ``start:end`` that no span holds yet."""
        runs, pos = [], start
        while pos < end:
            taken = self._taken.find(1, pos, end)
            stop = end if taken == -1 else taken
            if stop > pos:
                runs.append((pos, stop))
            if taken == -1:
                break
            nxt = self._taken.find(0, taken, end)
            if nxt == -1:
                break
            pos = nxt
        return runs

    def sorted(self) -> list[Span]:
        return sorted(self.items, key=lambda s: s.start)


class PhraseIndex:
    """Multi-word phrases matched on lower-case tokens ("early help", "children 's access point").

    Phrases are indexed by their first token; at each token only the phrases that start with
    it are tried, longest first, so matching is linear in the number of tokens.
    """

    def __init__(self, phrases: list[str]) -> None:
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(t.lower for t in tokenize(normalise(phrase)))
            if words:
                self._by_first.setdefault(words[0], []).append(words)
        for options in self._by_first.values():
            options.sort(key=len, reverse=True)

    def matches(self, tokens: list[Token]) -> list[tuple[int, int]]:
        """(first, last + 1) token indices of the longest non-overlapping matches, in order."""
        found, i, n = [], 0, len(tokens)
        while i < n:
            best = 0
            for words in self._by_first.get(tokens[i].lower, ()):
                if len(words) <= n - i and all(tokens[i + k].lower == w for k, w in enumerate(words)):
                    best = len(words)
                    break
            if best:
                found.append((i, i + best))
                i += best
            else:
                i += 1
        return found
