"""Small readers over a spaCy ``Doc`` shared by the checks and guards: the next words, the rest
of a clause, the sentence around a token, the doer before a match, an adult's age."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from cse_core.safety.lexicon import _lexicon, word_list

if TYPE_CHECKING:
    from cse_core.safety.rule import Hit

# Word lists of word_lists.yml (what each is for is said there).
_CLAUSE_WORDS = word_list("clause_words")
_AGENT_SKIP = word_list("agent_skip_words")
_AGE_UNITS = word_list("age_units")
# Tokens that end a sentence.
_SENT_END = {".", "!", "?", "...", "\u2026", ";"}


def _next(doc: Doc, i: int) -> str:
    """The lower-case token at i, or "" past the end."""
    return doc[i].lower_ if i < len(doc) else ""


def _after(doc: Doc, hit: Hit, n: int) -> list[str]:
    """The n lower-case tokens after the match."""
    return [t.lower_ for t in doc[hit.end: hit.end + n]]


def _clause_rest(doc: Doc, i: int, n: int = 6) -> list[Token]:
    """Up to n tokens from i to the end of its clause."""
    out: list[Token] = []
    for tok in doc[i: i + n]:
        if tok.is_punct or tok.lower_ in _CLAUSE_WORDS:
            break
        out.append(tok)
    return out


def _agent(doc: Doc, hit: Hit) -> str:
    """The doer before the match: skip auxiliaries and adverbs back to a noun or pronoun."""
    if "a" in hit.slots:
        return doc[hit.slots["a"]].lower_
    lex = _lexicon()
    skip = lex["BE_AUX"] | lex["ADV"] | lex["HAVE"] | lex["WILL"] | lex["MODAL"] | lex["NEG"] | _AGENT_SKIP
    for tok in reversed(doc[max(0, hit.start - 5): hit.start]):
        if tok.is_punct:
            break
        if tok.lower_ not in skip:
            return tok.lower_
    return ""


def _sentence_of(doc: Doc, i: int) -> list[Token]:
    """The tokens of the sentence around token i."""
    start = i
    while start > 0 and doc[start - 1].text not in _SENT_END:
        start -= 1
    end = i
    while end < len(doc) and doc[end].text not in _SENT_END:
        end += 1
    return list(doc[start:end])


def _adult_age(doc: Doc, i: int) -> bool:
    """A number that is an adult's age ("a 25 year old", "he's 30")."""
    try:
        value = int(doc[i].text)
    except ValueError:
        return False
    if not 18 <= value <= 80:
        return False
    nxt = _next(doc, i + 1)
    prev = doc[i - 1].lower_ if i > 0 else ""
    return nxt in _AGE_UNITS or prev in {"is", "'s", "he", "aged",
                                                                "age", "like", "about"}
