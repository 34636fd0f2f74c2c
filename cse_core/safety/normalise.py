"""Normalisation before matching: text-speak, contractions typed without apostrophes,
stretched letters ("helppp"), typos of key words ("knif") and people's names (``xxname``:
the names :mod:`cse_core.names` finds, as for redaction, and capitalised words
no word list knows).

The character step (quotes, odd spaces, all capitals) is :func:`cse_core.tokens.normalise`,
shared with redaction; this layer may change lengths, as the safety rules keep no offsets."""

from __future__ import annotations

import functools
import re

from cse_core import names
from cse_core.safety.lexicon import _is_known, _lexicon, alternation, word_list
from cse_core.tokens import normalise as plain_characters  # the character step redaction reads too

_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9']*")
_AGE_RE = re.compile(r"(\d{1,2})(?:yo|yrs?|y/o|yearold|yearsold)")
_STRETCH_RE = re.compile(r"([a-z])\1{2,}")
_MA_RE = re.compile(rf"\bma (?=({alternation(word_list('ma_nouns'))})\b)", re.IGNORECASE)
_BIN_RE = re.compile(r"(\w's|\bhas|\bhave|\bhav|'ve|\bhasnt|\bhavent) bin\b", re.IGNORECASE)
_HELL_RE = re.compile(rf"\b({alternation(word_list('hell_openers'))}) (hell|shell)\b", re.IGNORECASE)


def _hell(match: re.Match[str]) -> str:
    """Replacement for _HELL_RE: "hell" -> "he'll", "shell" -> "she'll"."""
    return f"{match.group(1)} {'she' if match.group(2).lower() == 'shell' else 'he'}'ll"


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a transposition counts as one edit), capped."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


@functools.lru_cache(maxsize=4096)
def _fix_word(low: str) -> str | None:
    """The normalised form of one lower-case word, or None to keep the word as typed."""
    lex = _lexicon()
    if low in lex.textspeak:
        return lex.textspeak[low]
    age = _AGE_RE.fullmatch(low)
    if age:
        return f"{age.group(1)} years old"
    if _is_known(low) or not low.isalpha():
        return None
    if _STRETCH_RE.search(low):  # "helppp", "pleaseee", "misssing"
        two = _STRETCH_RE.sub(r"\1\1", low)
        one = _STRETCH_RE.sub(r"\1", low)
        for candidate in (two, one):
            if _is_known(candidate) or candidate in lex.textspeak:
                return _fix_word(candidate) or candidate
        low = two
    if low.endswith("in") and _is_known(low + "g"):  # "hurtin", "comin"
        return low + "g"
    if low.endswith("z") and _is_known(low[:-1] + "s"):  # "makez", "tingz"
        return _fix_word(low[:-1] + "s") or low[:-1] + "s"
    if low.startswith("t") and not low.startswith("th") and _is_known("th" + low[1:]):
        return "th" + low[1:]  # "tings", "tink"
    if len(low) >= 4:  # a typo of a key word: "knif", "forcd", "mising", "threatning"
        limit = 1 if len(low) <= 6 else 2
        best = min(lex.fuzzy_keys, key=lambda key: _edit_distance(low, key, limit))
        # another form of the key ("immediate" / "immediately") is not a typo of it
        other_form = low.startswith(best) or (best.startswith(low) and len(best) - len(low) > 1)
        if _edit_distance(low, best, limit) <= limit and not other_form:
            return best
    return None


@functools.lru_cache(maxsize=1)
def _rule_words() -> frozenset[str]:
    """Words the rules read as themselves (class words, typo keys, text-speak, not-names)."""
    lex = _lexicon()
    return frozenset().union(*lex.classes.values(), lex.fuzzy_keys, lex.textspeak, lex.not_names) - {"xxname"}


def _mark_names(text: str) -> str:
    """The names the project's one detector finds (:mod:`cse_core.names`, as redaction does), as
    ``xxname``: "my daughter chloe" and "Chloe Smith" alike. A name the rules read as a word
    stays ("giving my daughter xanax": a drug, not a name)."""
    pieces, pos = [], 0
    for start, end in names.find_names(text):
        if any(word.lower() in _rule_words() for word in _WORD_RE.findall(text[start:end])):
            continue
        pieces += [text[pos:start], "xxname"]
        pos = end
    return "".join(pieces) + text[pos:]


def _looks_like_name(word: str, at_sentence_start: bool) -> bool:
    """A capitalised word no word list knows, e.g. "Oluwaseun": a name the detector cannot
    place, so a person (the detector's never-a-name lists excluded: places, apps, weekdays)."""
    low = word.lower()
    if len(word) < 3 or not word.isalpha() or not word[0].isupper() or word.isupper():
        return False
    if low in _lexicon().not_names or _is_known(low) or low in _lexicon().textspeak:
        return False
    if low in names.words().blocked:  # the name detector's never-a-name lists: "Leeds", "Tesco"
        return False
    return not at_sentence_start or _fix_word(low) is None


def normalise(text: str) -> str:
    """Rewrite text-speak, contractions typed without apostrophes, stretched letters and typos
    of key words into plain English; replace people's names by ``xxname``."""
    text = plain_characters(text).replace("\r", "\n")
    text = re.sub(r"\n+", " . ", text)
    # "he says hell share them": "hell" is "he'll" after a reporting verb or a conjunction
    text = _HELL_RE.sub(_hell, text)
    # "ma daughter's bin missin": "ma" is "my" before a noun, "bin" is "been" after "has"
    text = _MA_RE.sub("my ", text)
    text = _BIN_RE.sub(r"\1 been", text)
    text = _mark_names(text)

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        before = text[max(0, match.start() - 8): match.start()].rstrip()
        at_start = not before or before[-1] in ".!?" or match.start() < 2
        if _looks_like_name(word, at_start):
            return "xxname" + ("'s" if low.endswith("'s") else "")
        if "'" in low.strip("'"):
            return word
        fixed = _fix_word(low.strip("'"))
        return word if fixed is None else fixed

    return _WORD_RE.sub(replace, text)
