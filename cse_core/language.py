"""A cheap check for messages not written in English, so they get a clear reply."""

from __future__ import annotations

import re

# Short, very common English words; any English sentence of a few words has some.
_COMMON = set(
    "a an the i im i'm you u she he her him his they them we my me is are was be been do does did "
    "what how who where when why which can could should would will to of in on at for with about "
    "and or not no yes if it its this that there have has had get got from by as so but".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


def looks_english(text: str) -> bool:
    """False only when the text is clearly not English (non-Latin script, or several
    words and none of them common English words). Short or mixed text counts as English."""
    words = _WORD.findall(text or "")
    if not words:
        return True
    letters = "".join(words)
    non_latin = sum(1 for ch in letters if ord(ch) > 0x24F)
    if non_latin > len(letters) / 2:
        return False
    if len(words) < 3:
        return True
    return any(w.lower() in _COMMON for w in words)
