"""People's names in free text, wherever they stand (issues 5 and 14).

One detector for the whole project: redaction and the safety normaliser
(:mod:`cse_core.safety.normalise`, which reads its names as ``xxname``) both use it:

    >>> from cse_core.names import find_names
    >>> find_names("my daughter chloe, 14, is with Jayden Smith")
    [(12, 17), (33, 45)]

It finds a name
- next to a cue: "her name is X", "called X", "named X", "my daughter X", "her friend X",
  "Mrs X", "14 year old X", "X is 14", "X, 14", "X (14)", "X said", "X's mum", "with X";
- in a run of capitalised words that are not all ordinary ("Chloe Smith", "Amy-Leigh");
- alone: a known given name in any case ("I think Chloe is...", "worried about jayden");
- in lower case after a known given name ("chloe smith").

Word knowledge comes from data: ``cse_core/data/names.yml`` (cue words, English usage),
``cse_core/data/given_names.txt`` and ``surnames.txt`` (generated from Faker's name lists,
scripts/make_name_lists.py), the word-frequency table (:mod:`cse_core.wordfreq`: an
ordinary word such as "will" or "hope" is a name only after a cue), and the local places and
terms of ``knowledge/`` (:mod:`cse_core.locality`), which are never names.

Linear in the length of the text: each token is looked at a bounded number of times.
Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from cse_core import locality
from cse_core.tokens import PhraseIndex, Spans, Token, normalise, tokenize
from cse_core.wordfreq import lexicon

DATA = Path(__file__).with_name("data")
NAME = "[NAME]"
SENTENCE_END = frozenset(".!?;:\"()[]")
# After a capitalised word these make it the name of a thing, not a person: "the Jay Report".
INSTITUTION_WORDS = frozenset(
    ["report", "review", "inquiry", "enquiry", "act", "law", "laws", "procedure", "procedures", "guidance", "protocol", "model", "framework", "assessment", "team", "service", "services", "centre", "center", "group", "meeting", "board", "unit", "trust", "foundation", "project", "programme", "program", "partnership", "council", "academy", "school", "college", "hospital", "clinic", "estate", "syndrome", "principle", "principles", "test", "rule", "rules", "commission", "charity", "guidelines", "guideline",
     "competence", "competency", "ruling", "judgment", "judgement", "tool", "toolkit", "cases", "campaign", "fund",
     "appeal", "helpline", "hub", "network", "alliance", "association", "society", "institute", "coalition",
     "initiative", "scheme"])
FAMILY_WORDS = frozenset(["family", "families", "household", "brothers", "sisters", "boys", "girls", "kids", "children", "twins", "lot"])
# One child of a family: "the Walsh girl" (after "the", and a word that is no ordinary word only).
CHILD_WORDS = frozenset(["girl", "boy", "lad", "lads", "lass", "kid", "child"])
NICKNAME_WORDS = frozenset(["big", "little", "lil", "young", "old", "mad", "fat", "baby", "wee"])
DETERMINERS = frozenset(["a", "an", "the", "this", "that", "these", "those", "some", "any", "no", "every", "each", "another"])
OWNERS = DETERMINERS | frozenset(["my", "her", "his", "their", "our", "your", "its"])


def _read_list(path: Path) -> frozenset[str]:
    with path.open(encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Words:
    """The word lists, lower case."""

    lists: dict[str, frozenset[str]]
    given: frozenset[str]  # given names from the generated list
    surnames: frozenset[str]
    places: frozenset[str]  # single-word places: never names
    blocked: frozenset[str]  # never the first word of a name
    protect: PhraseIndex  # local places and terms, any length

    def __getitem__(self, key: str) -> frozenset[str]:
        return self.lists[key]


@functools.lru_cache(maxsize=1)
def words() -> Words:
    with (DATA / "names.yml").open(encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    lists = {key: frozenset(str(value).lower().split()) for key, value in raw.items()}
    local = locality.load()
    places = frozenset(p.lower() for p in local.places if " " not in p and "-" not in p)
    clitics = frozenset(["n't", "'d", "'ll", "'m", "'re", "'s", "'ve"])
    blocked = (lists["stop_words"] | clitics | lists["never_names"] | lists["weekdays"] | lists["months"]
               | lists["titles"] | lists["discourse"] | lists["text_speak"] | places)
    given = _read_list(DATA / "given_names.txt") | _read_list(DATA / "given_names_extra.txt")
    return Words(lists=lists, given=given, surnames=_read_list(DATA / "surnames.txt"), places=places,
                 blocked=blocked, protect=PhraseIndex([*local.places, *local.terms]))


# ---------------------------------------------------------------------------------------------
# Cues: short token patterns next to a name
# ---------------------------------------------------------------------------------------------

NUM, PUNCT, ANY_PUNCT_OR_END = "<num>", "<punct>", "<punct-or-end>"


@dataclass(frozen=True)
class Cue:
    kind: str  # what the cue says about its neighbour (see Names.accept_after / accept_before)
    forward: bool  # the name follows the cue (else it comes before)
    slots: tuple[tuple[frozenset[str] | str, bool], ...]  # (words or a class, optional)


def _slot(value: str | Iterable[str], optional: bool = False) -> tuple[frozenset[str] | str, bool]:
    if isinstance(value, str) and value.startswith("<"):
        return value, optional
    items = value.split() if isinstance(value, str) else list(value)
    return frozenset(items), optional


@functools.lru_cache(maxsize=1)
def cues() -> dict[str, list[Cue]]:
    """Every cue, indexed by the word it starts with (a class slot first: by that class)."""
    w = words()
    pronouns = "himself herself themselves him her them"
    defs = [
        Cue("name_is", True, (_slot("name names surname nickname"), _slot(["is", "was", "'s", ":", "=", "-"]))),
        Cue("name_is", True, (_slot("her his their my your our the"), _slot("names"))),
        # "Surname Walsh, first name Kayla", "last name: walsh"
        Cue("name_is", True, (_slot("surname forename firstname lastname"),)),
        Cue("name_is", True, (_slot("first last family given middle"), _slot("name"), _slot(["is", ":", "=", "-"], True))),
        Cue("called", True, (_slot("called named nicknamed calls call"), _slot(pronouns, True))),
        Cue("called", True, (_slot("known"), _slot("as"))),
        Cue("called", True, (_slot("goes"), _slot("by"))),
        Cue("relation", True, (_slot(w["relation_owners"]), _slot(w["relations"]), _slot([","], True))),
        Cue("relation", True, (_slot(w["case_words"]), _slot([","], True))),
        Cue("relation", True, (_slot("young"), _slot("person"), _slot([","], True))),
        Cue("intro", True, (_slot("i'm im"),)),
        Cue("intro", True, (_slot("i"), _slot(["am", "'m", "m"]))),
        Cue("intro", True, (_slot("this"), _slot(["is", "'s"]))),
        Cue("greeting", True, (_slot("hi hello hey hiya thanks cheers dear bye love"), _slot([","], True))),
        Cue("greeting", True, (_slot("thank"), _slot("you"), _slot([","], True))),
        Cue("coordination", True, (_slot(["and", "&"]),)),
        Cue("object", True, (_slot(w["object_cues"]),)),
        Cue("title", True, (_slot(w["titles"]), _slot(["."], True))),
        Cue("age_before", True, (_slot(NUM), _slot(["-"], True), _slot("year years yr yrs"), _slot(["-"], True),
                                 _slot("old"))),
        Cue("age_after", False, (_slot("is was 's s aged age turned turns"), _slot("only just now nearly almost", True),
                                 _slot(NUM))),
        Cue("age_after", False, (_slot("who"), _slot(["is", "'s", "was"]), _slot(NUM))),
        Cue("age_after", False, (_slot(["("]), _slot(NUM), _slot([")"]))),
        Cue("age_after", False, (_slot([","]), _slot(NUM))),
        Cue("age_after", False, (_slot(NUM), _slot("yo yrs yr"))),
        Cue("age_bare", False, (_slot(NUM),)),  # "jess 14", "ruby 03.08.12": a given name only
        Cue("verb_after", False, (_slot(w["person_verbs"]),)),
        Cue("verb_after", False, (_slot(w["auxiliaries"]), _slot(w["person_states"]))),
        # "Oluwaseun has sent pics": a person's verb after "has" (after "was" it is passive: "a parcel was sent")
        Cue("verb_after", False, (_slot("has had"), _slot("told sent said asked disclosed admitted gone"))),
        Cue("verb_after", False, (_slot(["'s"]), _slot(w["person_nouns"]))),
    ]
    index: dict[str, list[Cue]] = {}
    for cue in defs:
        first = cue.slots[0][0]
        for key in ([first] if isinstance(first, str) else first):
            index.setdefault(key, []).append(cue)
    return index


def _fits(slot: frozenset[str] | str, tok: Token) -> bool:
    if slot == NUM:
        return tok.like_num
    if slot == PUNCT:
        return tok.is_punct
    return tok.lower in slot  # type: ignore[operator]


def _match(cue: Cue, tokens: list[Token], start: int) -> int:
    """The end (exclusive) of ``cue`` matched at ``start``, greedily; 0 if it does not match."""
    i = start
    for slot, optional in cue.slots:
        if i < len(tokens) and _fits(slot, tokens[i]):
            i += 1
        elif not optional:
            return 0
    return i


# ---------------------------------------------------------------------------------------------
# The detector
# ---------------------------------------------------------------------------------------------


class Names:
    """Finds the names in one tokenised message, adding them to ``spans``."""

    def __init__(self, tokens: list[Token], protected: set[int], spans: Spans) -> None:
        self.tokens = tokens
        self.protected = protected  # token indices of local places and terms
        self.spans = spans
        self.w = words()
        self.lex = lexicon()
        self.named: set[int] = set()  # token indices already taken as a name

    # -- word tests -----------------------------------------------------------------------------

    def nbor(self, tok: Token, offset: int) -> Token | None:
        i = tok.i + offset
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def usable(self, tok: Token) -> bool:
        return tok.i not in self.protected and tok.is_word and self.spans.free(tok.start, tok.end)

    def blocked(self, tok: Token) -> bool:
        low = tok.lower
        return not self.usable(tok) or low in self.w.blocked or (
            low.endswith("s") and low[:-1] in self.w["never_names"])  # "the Americans", "Romanians"

    def ordinary(self, tok: Token) -> bool:
        low = tok.lower
        return low in self.lex.ordinary and low not in self.w["given_words"]

    def namelike(self, tok: Token) -> bool:
        return not self.blocked(tok) and not self.ordinary(tok)

    def known_name(self, tok: Token) -> bool:
        """A name in any case: "Chloe" and "chloe", "Grace"; not "angel" nor an unknown word."""
        low = tok.lower
        return (low in self.lex.proper or low in self.w["given_words"]
                or (low in self.w.given and low not in self.lex.ordinary))

    def given_name(self, tok: Token) -> bool:
        """A given name that is no ordinary word: "Chloe", "jayden", "Kaydence"; not "Will"."""
        low = tok.lower
        return len(low) > 2 and low in self.w.given and low not in self.lex.ordinary and not self.blocked(tok)

    def at_start(self, tok: Token) -> bool:
        prev = self.nbor(tok, -1)
        return prev is None or tok.nl_before or prev.text in SENTENCE_END

    # -- span growing ----------------------------------------------------------------------------

    def hyphen_next(self, tok: Token) -> Token | None:
        """The word after "Amy-" in Amy-Leigh, when the hyphen touches both words."""
        dash, nxt = self.nbor(tok, 1), self.nbor(tok, 2)
        if dash is not None and nxt is not None and dash.text == "-" and dash.start == tok.end \
                and nxt.start == dash.end and nxt.is_word and self.usable(nxt):
            return nxt
        return None

    def person_follows(self, tok: Token) -> bool:
        """A person's verb or an age right after ``tok``: "maddie brown said", "amy wood, 14"."""
        nxt = self.nbor(tok, 1)
        if nxt is None or (not tok.ws and nxt.text != ","):
            return False
        low = nxt.lower
        after = self.nbor(nxt, 1)
        return low in self.w["person_verbs"] or (low in ("is", "was", ",", "(") and after is not None and after.like_num)

    def extend_forward(self, first: Token, strong: bool = False) -> Token:
        """The last token of the name that starts at ``first``: up to three words. After a strong
        cue ("her name is", "called") a surname that is also a word too: "kayla brown"."""
        last, count = first, 1
        capitals = first.text.isupper() and len(first.text) > 1  # "BRONWEN JAMES" in a lower-case message
        lower_case = not first.is_cap and not capitals
        while count < 3:
            nxt = self.hyphen_next(last)
            if nxt is None:
                nxt = self.nbor(last, 1)
                if nxt is None or not last.ws or nxt.nl_before:
                    break
                ok = (nxt.is_cap and not lower_case and not self.blocked(nxt)) or (
                    # "Kayla walsh", "kayla Walsh": typed in mixed case
                    nxt.is_lower and first.is_cap and (nxt.lower in self.w.surnames or nxt.lower in self.lex.proper)
                    and not self.blocked(nxt) and nxt.lower not in self.lex.ordinary) or (
                    nxt.is_cap and lower_case and not self.blocked(nxt)
                    and (nxt.lower in self.w.surnames or not self.ordinary(nxt))) or (
                    lower_case and nxt.is_lower and (self.namelike(nxt) or (
                        nxt.lower in self.w.surnames and not self.blocked(nxt)
                        and (strong or nxt.lower not in self.lex.ordinary or self.person_follows(nxt))))) or (
                    capitals and nxt.text.isupper() and nxt.is_word and not self.blocked(nxt)
                    and (nxt.lower in self.w.surnames or not self.ordinary(nxt)))
                if not ok:
                    break
            last, count = nxt, count + 1
        return last

    def extend_back(self, last: Token) -> Token:
        """The first token of the name that ends at ``last`` ("Chloe Smith is 14")."""
        first = last
        for _ in range(2):
            dash, before = self.nbor(first, -1), self.nbor(first, -2)
            if dash is not None and before is not None and dash.text == "-" and dash.end == first.start \
                    and before.end == dash.start and self.usable(before):
                first = before
                continue
            prev = self.nbor(first, -1)
            if prev is None or not prev.ws or first.nl_before:
                break
            capitals = prev.is_cap and first.is_cap
            lower_case = prev.is_lower and first.is_lower and self.given_name(prev)  # "chloe smith"
            if not (self.namelike(prev) and (capitals or lower_case)):
                break
            first = prev
        return first

    def take(self, first: Token, last: Token) -> None:
        prev = self.nbor(first, -1)
        if prev is not None and prev.is_cap and prev.lower in NICKNAME_WORDS and prev.ws and self.usable(prev):
            first = prev  # "Big Stevie", "Lil Kaz": the nickname whole
        if self.spans.add(first.start, last.end, NAME):
            self.named.update(range(first.i, last.i + 1))

    # -- rules -----------------------------------------------------------------------------------

    def accept_after(self, cue: str, tok: Token, cue_word: str) -> bool:
        """Whether ``tok`` (right after a cue) starts a name."""
        if self.blocked(tok):
            return False
        cap = tok.is_cap
        proper = tok.lower in self.lex.proper or self.given_name(tok)
        if cue in ("name_is", "called"):  # strong cues: a capitalised ordinary word too ("Hope", "Big Mo")
            if cap or not self.ordinary(tok):
                return True
            # "a lad called dev", "a girl called precious, 13": a given name that is also a word,
            # when the sentence ends or a person's verb follows ("called stupid" is no name)
            nxt = self.nbor(tok, 1)
            return tok.lower in self.w.given and tok.lower not in self.w["relations"] and (
                nxt is None or nxt.text in SENTENCE_END or nxt.text in (",", "'s") or nxt.lower in ("and", "who")
                or nxt.lower in self.w["person_verbs"] or nxt.lower in self.w["auxiliaries"])
        if cue == "title":  # "Mrs Green", "mr smith"; after "miss" ("miss school") a known name only
            surname = not self.ordinary(tok) or tok.lower in self.w["surname_words"]
            if cue_word == "miss" and tok.lower in self.w["surname_words"] and (nxt_ := self.nbor(tok, 1)) is not None \
                    and nxt_.lower in ("at", "in", "from", "said", "says", "told", "is", "was", "who", ","):
                return True  # "ask for miss wood at reception"
            return cap or (proper if cue_word in ("miss", "nan", "gran", "sir") else surname)
        if cue in ("intro", "greeting"):  # "I'm Sarah", "im sarah" but not "I'm worried"
            return not self.ordinary(tok) and (cap or proper)
        if cue == "object" and tok.lower in self.w["given_words"] and self.in_a_school_group(tok):
            return True  # "worried about hope in my year 9 form": a name that is also a word, in a class
        if cue == "object":  # "with Jayden", "with kayden": a known name only, not "with Whatever"
            return self.known_name(tok) and (cap or proper)
        if not self.ordinary(tok):  # relation, age: "my daughter chloe", "14 year old Chloe"
            return True
        # a name that is also a word, when a person's verb follows: "her friend saffron went"
        nxt = self.nbor(tok, 1)
        return tok.lower in self.w.given and tok.lower not in self.w["relations"] and nxt is not None and (
            nxt.lower in self.w["person_verbs"] or nxt.lower in self.w["auxiliaries"] or nxt.text in (",", "'s"))

    def accept_before(self, cue: str, tok: Token, cue_word: str = "") -> bool:
        """Whether ``tok`` (right before a cue) ends a name."""
        prev = self.nbor(tok, -1)
        if tok.is_lower and prev is not None and prev.lower in DETERMINERS:
            return False  # "a teddy has gone missing": a thing
        if cue == "age_bare":  # a number right after: a given name, not "chapter 3" nor "will 13 year olds"
            if self.blocked(tok) or tok.lower not in self.w.given or tok.lower in self.w["auxiliaries"]:
                return False
            if tok.is_lower:
                return self.given_name(tok) or (tok.lower in self.w["given_words"] and self.at_start(tok))
            return tok.is_cap and (not self.at_start(tok) or self.known_name(tok))
        if cue == "age_after" and tok.is_cap and tok.lower in self.w.given and (not self.blocked(tok) or (
                self.usable(tok) and tok.lower in self.w["given_words"] and tok.lower in self.w["auxiliaries"])):
            return True  # "Precious is 13", "Bill, 15"; "Will is 15": a modal never comes before an age
        if cue == "verb_after" and tok.is_lower and tok.lower in self.w["given_words"] and not self.blocked(tok) \
                and cue_word in self.w["speech_verbs"] and not (prev is not None and prev.lower in OWNERS):
            return True  # "faith told me", "rose said": a name that is also a word, speaking
        if cue == "verb_after" and cue_word in self.w["person_nouns"] and self.usable(tok) \
                and tok.lower in self.w["given_words"] and tok.lower in self.w["never_names"]:
            return True  # "sky's phone": a name that is also a brand, owning a person's things
        if cue == "verb_after" and cue_word in self.w["person_verbs"] and tok.is_cap and not self.blocked(tok) \
                and tok.lower in self.w["given_words"]:
            return True  # "Precious went missing", "Blessing told her teacher": a name that is also a word
        if not self.namelike(tok):
            return False
        if cue == "age_after" and tok.is_lower:  # "jess is 14", "chloe, 14"
            return True
        if tok.is_lower:  # "jayden said": a given name only
            return self.given_name(tok)
        if not tok.is_cap:
            return False
        # A sentence's first word is capitalised anyway: a known proper noun only ("Chloe said"),
        # or a word no English word list knows before a person's verb ("Oluwaseun keeps ...").
        return not self.at_start(tok) or self.known_name(tok) or (
            cue_word in self.w["person_verbs"] and tok.lower not in self.lex.known)

    def age_ok(self, end: int) -> bool:
        """The number in an age cue is an age (1-25), not a count or a year."""
        nums = [t for t in self.tokens[max(end - 3, 0):end] if t.like_num]
        return bool(nums) and (not nums[-1].text.isdigit() or 0 < int(nums[-1].text) <= 25)

    def cues(self) -> None:
        """Names next to a cue: after it ("her name is X") or before it ("X is 14", "X said")."""
        index = cues()
        tokens = self.tokens
        for start, tok in enumerate(tokens):
            options = index.get(tok.lower, []) + (index.get(NUM, []) if tok.like_num else [])
            for cue in options:
                end = _match(cue, tokens, start)
                if not end:
                    continue
                if cue.kind == "coordination":
                    self.coordinated(start, end)
                elif cue.forward:
                    if end < len(tokens) - 1 and tokens[end].text in ("\"", "'") and cue.kind in ("called", "name_is"):
                        end += 1  # a man who calls himself "Tank"
                    elif end < len(tokens) - 1 and tokens[end].text == "(" and cue.kind == "relation":
                        end += 1  # "our daughter (ruby) is 13"
                    if end < len(tokens) and not tokens[end].nl_before:
                        nxt = tokens[end]
                        if self.accept_after(cue.kind, nxt, tok.lower.rstrip(".")):
                            self.take(nxt, self.extend_forward(nxt, cue.kind in ("name_is", "called")))
                elif start > 0 and not tok.nl_before:
                    prev = tokens[start - 1]
                    if cue.kind in ("age_after", "age_bare") and not self.age_ok(end):
                        continue
                    # "Oluwaseun has sent": the person's verb after the auxiliary is the cue's word
                    word = tokens[end - 1].lower if cue.kind == "verb_after" else tok.lower
                    if self.accept_before(cue.kind, prev, word):
                        self.take(self.extend_back(prev), prev)

    def run_word(self, tok: Token) -> bool:
        return tok.is_cap and not self.blocked(tok)

    def joins(self, prev: Token, tok: Token) -> bool:
        """Whether ``tok`` continues a run of capitalised words that ends with ``prev``."""
        if tok.text == "-":  # "Amy-Leigh", "Sophie-May": no space either side
            return prev.end == tok.start and not tok.ws and prev.text != "-"
        if prev.text == "-":
            return tok.is_cap and self.usable(tok)
        return prev.ws and not tok.nl_before and self.run_word(tok)

    def runs(self) -> Iterable[list[Token]]:
        """Runs of capitalised words joined by spaces or hyphens, split at blocked words."""
        run: list[Token] = []
        for tok in self.tokens:
            if run and self.joins(run[-1], tok):
                run.append(tok)
                continue
            if run:
                yield run
            run = [tok] if self.run_word(tok) else []
        if run:
            yield run

    def pairs(self) -> None:
        """Two or more capitalised words that are not all ordinary: "Chloe Smith", "Amy-Leigh"."""
        for run in self.runs():
            lo, hi = 0, len(run)  # the name is run[lo:hi]
            count = sum(t.text != "-" for t in run)
            while hi > lo and (run[hi - 1].text == "-" or (
                    count > 2 and self.tokens[run[hi - 1].i - 1].text != "-"
                    and self.ordinary(run[hi - 1]) and run[hi - 1].lower not in self.w["surname_words"])):
                count -= run[hi - 1].text != "-"
                hi -= 1  # "Chloe Smith Year 9": drop "Year", keep a two-word name whole
            while lo < hi and (run[lo].text == "-" or self.ordinary(run[lo])):
                count -= run[lo].text != "-"
                lo += 1  # "Sexual Health", "Poor Chloe"
            if count < 2 or run[hi - 1].lower in INSTITUTION_WORDS or (
                    hi < len(run) and run[hi].lower in INSTITUTION_WORDS):
                continue
            if self.at_start(run[lo]) and not self.known_name(run[lo]) and not any(
                    self.known_name(t) or t.lower in self.w["surname_words"] for t in run[lo + 1:hi]):
                continue  # "Cuckooing Explained": unknown words opening a sentence
            self.take(run[lo], run[hi - 1])

    def lower_pairs(self) -> None:
        """A lower-case given name and another word that is no ordinary word: "chloe smith"."""
        for tok in self.tokens[:-1]:
            nxt = self.tokens[tok.i + 1]
            if (tok.ws and tok.is_lower and nxt.is_lower and self.given_name(tok)
                    and (self.namelike(nxt) or nxt.lower in self.w.surnames)
                    and not self.blocked(nxt) and nxt.lower not in self.lex.ordinary):
                self.take(tok, self.extend_forward(tok))

    def in_a_school_group(self, tok: Token) -> bool:
        """"X in my class", "X in year 9", "X in her form": a pupil."""
        words = [t.lower for t in self.tokens[tok.i + 1:tok.i + 4]]
        if not words or words[0] != "in":
            return False
        rest = words[2:] if len(words) > 1 and words[1] in OWNERS else words[1:]
        return bool(rest) and rest[0] in ("year", "yr", "class", "form", "group", "set", "tutor")

    def child_follows(self, tok: Token) -> bool:
        nxt = self.nbor(tok, 1)
        return nxt is not None and tok.ws and nxt.lower in CHILD_WORDS

    def aux_follows(self, tok: Token) -> bool:
        nxt = self.nbor(tok, 1)
        return nxt is not None and nxt.lower in ("is", "was", "has", "had", "isn", "wasn", "hasn")

    def names_a_thing(self, tok: Token) -> bool:
        """Whether a run of capitalised words from ``tok`` ends in an institution word ("Report")."""
        nxt = self.nbor(tok, 1)
        for _ in range(3):
            if nxt is None or not nxt.is_cap or nxt.nl_before:
                return False
            if nxt.lower in INSTITUTION_WORDS:
                return True
            nxt = self.nbor(nxt, 1)
        return False

    def known_alone(self) -> None:
        """A given name standing anywhere: "I think Chloe is...", "worried about jayden".

        Capitalised: a given name that is no ordinary word. Lower case: the same, and one whose
        capitalised form is far the more frequent ("chloe", not "jean"), not after "a"/"the"."""
        for tok in self.tokens:
            prev = self.nbor(tok, -1)
            if tok.is_cap and tok.lower in self.w["given_words"] and not self.blocked(tok) and not self.at_start(tok) \
                    and self.aux_follows(tok) and not self.names_a_thing(tok) and prev is not None \
                    and prev.lower not in DETERMINERS:
                self.take(tok, tok)  # "after Demi was returned": a name that is also a word, capitalised mid-sentence
            if not self.given_name(tok):
                continue
            prev = self.nbor(tok, -1)
            if self.names_a_thing(tok):
                continue  # "the Jay Report", "the Lucy Faithfull Foundation"
            if tok.is_cap:
                if self.at_start(tok) and tok.lower not in self.lex.proper and tok.lower in self.lex.known:
                    continue  # a sentence's first word, capitalised anyway, that is not mostly a name
                self.take(self.extend_back(tok), self.extend_forward(tok))
            elif tok.text.isupper() and len(tok.text) > 2:  # "CHLOE SMITH is missing" (the rest in lower case)
                last = self.extend_forward(tok)
                if last is not tok or self.person_follows(tok):  # one word alone may be an acronym ("an ABE interview")
                    self.take(tok, last)
            elif tok.is_lower and (tok.lower in self.lex.proper or tok.lower not in self.lex.known) and not (
                    prev and prev.lower in DETERMINERS and not self.child_follows(tok)):
                # "chloe", and "kacper" the table never saw; after "a"/"that" only before "lad": "that callum lad"
                first = tok
                before = self.nbor(tok, -2)
                if prev is not None and prev.text == "-" and prev.start == tok.start - 1 and before is not None \
                        and before.end == prev.start and before.is_word and self.usable(before):
                    first = before  # "demi-leigh", "lacey-mae": the first half too
                self.take(first, self.extend_forward(tok))

    def families(self) -> None:
        """"the Johnson family", "the Kowalski brothers": a surname before a family word;
        "the Wilsons", "the Gallaghers": a surname in the plural after "the"."""
        for tok in self.tokens[:-1]:
            nxt = self.tokens[tok.i + 1]
            lower_surname = tok.is_lower and tok.i >= 1 and self.tokens[tok.i - 1].lower == "the" \
                and tok.lower in self.w.surnames and tok.lower not in self.lex.ordinary  # "the mccarthy brothers"
            the = tok.i >= 1 and self.tokens[tok.i - 1].lower == "the"
            if nxt.lower in CHILD_WORDS:  # "the Walsh girl"; not "a Black girl", "a Congolese boy"
                if the and (tok.is_cap or lower_surname) and not self.blocked(tok) and not self.ordinary(tok):
                    self.take(tok, tok)
            elif nxt.lower in FAMILY_WORDS and (tok.is_cap or lower_surname) and not self.blocked(tok) and (
                    tok.lower in self.w.surnames or not self.ordinary(tok)) and (the or not self.ordinary(tok)):
                self.take(self.extend_back(tok), tok)  # "the Brown family"; not "Black children"
        for tok in self.tokens[1:]:
            low = tok.lower
            if self.tokens[tok.i - 1].lower != "the" or not low.endswith("s") or self.blocked(tok) or not (
                    tok.is_cap or (tok.is_lower and low not in self.lex.known)):
                continue  # "the Gallaghers", and "the kowalskis" that no word list knows
            stem = low[:-2] if low.endswith("es") and low[:-2] in self.w.surnames else low[:-1]
            if tok.is_cap and low not in self.lex.known and stem not in self.lex.known and stem not in self.w.blocked:
                self.take(tok, tok)  # "the Lowthers": a plural no word list knows, a family's surname
                continue
            if (stem in self.w.surnames or (tok.is_lower and stem in self.lex.proper and stem not in self.w.places)) \
                    and stem not in self.lex.ordinary and low not in self.lex.ordinary and stem not in self.w.blocked:
                self.take(tok, tok)

    def apposition(self) -> None:
        """", Maisie," and ", Keira Walsh,": capitalised words that are no ordinary words set off
        by commas after a noun ("a girl in my class, Maisie, has bruises")."""
        for tok in self.tokens:
            prev = self.nbor(tok, -1)
            if prev is None or prev.text != "," or not tok.is_cap or not self.namelike(tok):
                continue
            last = self.extend_forward(tok)
            after = self.nbor(last, 1)
            if after is None or after.text in (",", ".", ")", "!", "?", ";"):
                self.take(tok, last)

    def coordinated(self, start: int, end: int) -> None:
        """"Chloe and Jess", "me and Chloe": a known name next to another name or to "me"."""
        if start == 0 or end >= len(self.tokens):
            return
        prev, nxt = self.tokens[start - 1], self.tokens[end]
        names = [self.namelike(t) and self.known_name(t) for t in (prev, nxt)]
        # "friends with ruby and ella": one side already a name, the other a given name
        if prev.i in self.named and not names[1] and not self.blocked(nxt) and nxt.lower in self.w.given:
            names = [True, True]
        after, before = self.nbor(nxt, 1), self.nbor(prev, -1)
        if nxt.lower in ("his", "her", "their") and after is not None and after.lower in self.w["relations"] \
                and prev.lower in self.w["given_words"] and not self.blocked(prev) \
                and (self.at_start(prev) or (before is not None and before.lower in self.w["object_cues"])):
            self.take(prev, prev)  # "jack and his mate": a name that is also a word, with a person of his own
        me = [t.lower in self.w["first_person"] for t in (prev, nxt)]
        if (names[0] and names[1]) or (names[0] and me[1]):
            self.take(self.extend_back(prev), prev)
        if (names[0] and names[1]) or (names[1] and me[0]):
            self.take(nxt, self.extend_forward(nxt))

    def possessives(self) -> None:
        """A name with its "'s" typed without the apostrophe: "amys boyfriend", "Danielles dads house";
        a lower-case surname with it: "nowak's brother"."""
        for tok in self.tokens[:-2]:
            nxt, after = self.tokens[tok.i + 1], self.tokens[tok.i + 2]
            if tok.is_lower and nxt.text == "'s" and (after.lower in self.w["person_nouns"] or after.lower in self.w["relations"]) \
                    and (tok.lower in self.w.surnames or tok.lower in self.lex.proper) \
                    and tok.lower not in self.lex.ordinary and not self.blocked(tok):
                self.take(tok, tok)
        for tok in self.tokens[:-1]:
            low, nxt = tok.lower, self.tokens[tok.i + 1]
            owned = nxt.lower in self.w["person_nouns"] or nxt.lower.removesuffix("s") in self.w["person_nouns"]
            if len(low) < 4 or not low.endswith("s") or not tok.ws or not owned \
                    or self.blocked(tok) or low in self.lex.ordinary or low in self.w.given:
                continue
            stem = low[:-1]
            if stem in self.w.given and stem not in self.lex.ordinary and stem not in self.w.blocked:
                self.take(tok, tok)
        for tok in self.tokens[:-1]:  # "jades mum": a name that is also a word ("jades"), before kin
            low, nxt = tok.lower, self.tokens[tok.i + 1]
            if tok.ws and low.endswith("s") and low[:-1] in self.w["given_words"] and nxt.lower in self.w["relations"] \
                    and low[:-1] not in self.w.blocked and self.usable(tok) \
                    and not (tok.i >= 1 and self.tokens[tok.i - 1].lower in OWNERS):
                self.take(tok, tok)

    def alone(self) -> None:
        """A message that is only a name: "Sarah", "jayden"."""
        found = [t for t in self.tokens if not t.is_punct]
        if len(found) == 1 and self.namelike(found[0]) and (
                self.given_name(found[0]) or (found[0].is_cap and self.known_name(found[0]))):
            self.take(found[0], found[0])
        elif len(found) == 2 and all(self.namelike(t) for t in found) and self.known_name(found[0]) \
                and (found[1].is_cap or found[1].lower in self.w.surnames):
            self.take(found[0], found[1])

    def run(self) -> None:
        self.cues()
        self.pairs()
        self.lower_pairs()
        self.known_alone()
        self.apposition()
        self.families()
        self.possessives()
        self.alone()


def protected_tokens(tokens: list[Token]) -> tuple[set[int], list[tuple[int, int]]]:
    """Token indices and character ranges of local places and terms ("Early Help")."""
    indices: set[int] = set()
    ranges: list[tuple[int, int]] = []
    for first, last in words().protect.matches(tokens):
        indices.update(range(first, last))
        ranges.append((tokens[first].start, tokens[last - 1].end))
    return indices, ranges


def find_in(tokens: list[Token], spans: Spans, protected: set[int] | None = None) -> None:
    """Add the names among ``tokens`` to ``spans`` (text already normalised and tokenised)."""
    if protected is None:
        protected = protected_tokens(tokens)[0]
    Names(tokens, protected, spans).run()


def find_names(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the people's names in ``text``, in order."""
    norm = normalise(text)
    tokens = tokenize(norm)
    spans = Spans(len(norm))
    find_in(tokens, spans)
    return [(s.start, s.end) for s in spans.sorted()]


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a given name that is no ordinary English word ("Chloe", not "Will")."""
    low = word.lower()
    return low in words().given and low not in lexicon().ordinary


def warm_up() -> None:
    """Load the lists and the word table now (about two seconds), not on a first message."""
    words()
    cues()
    lexicon()
