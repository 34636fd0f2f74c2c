"""Deterministic safety detector: is this message an emergency or a child's disclosure?

Every user message goes through :func:`check` before anything else. It returns

* ``emergency``: someone (an adult or a child) reports a child in danger now: held, threatened
  with a weapon, being hurt, missing, with dangerous adults, drugged, about to be harmed;
* ``disclosure``: a child or young person tells about abuse or exploitation happening to them
  (first person), now or in the past;
* ``None``: everything else, above all questions and talk *about* the guidance, negated or
  hypothetical statements, historic events and typed screening answers.

Missing an emergency is the worst failure, so the rules lean towards firing; false alarms on
ordinary guidance questions are kept down by guards rather than by narrowing the rules.

Method: the text is normalised (text-speak, contractions, typos), tokenised and lemmatised by
the shared spaCy pipeline (:func:`cse_core.nlp.get_nlp`), then matched with spaCy ``Matcher``
patterns written in a small pattern language (see :func:`_compile`) over the word classes in
``safety_lexicon.yml``. Each match names a rule and the victim token it found; the guards then
look at the sentence around it (negation, hypotheticals, guidance questions, modality, habit,
historic time, screening ratings, who the victim is) and decide whether the rule fires.

Rules are layered: danger predicate class x victim reference x immediacy cue. A ``STRONG``
predicate (held, weapon, being hurt) is danger now by itself; a ``CURRENT`` one (missing, at a
flat with older men) is danger now by its tense but can be a screening answer or history; a
``NOW`` one (scared, "not answering", "he makes her sleep with his mates") needs an immediacy
cue or a second danger cue. Disclosure rules need a first-person victim and no immediacy.

Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Token

from cse_core.nlp import get_nlp

EMERGENCY = "emergency"
DISCLOSURE = "disclosure"
LEXICON_PATH = Path(__file__).with_name("safety_lexicon.yml")


@dataclass(frozen=True)
class SafetyResult:
    """What :func:`check` found: the kind and the rule that fired (never the user's text)."""

    kind: str | None  # "emergency" | "disclosure" | None
    reason: str  # name of the rule that fired, "" when kind is None


SAFE = SafetyResult(None, "")

# Rule tiers (see the module docstring).
STRONG = "strong"  # danger now by its nature: held, weapon, being hurt, about to be hurt
CURRENT = "current"  # danger now by its tense: missing, at a flat with older men, in danger
NOW = "now"  # needs an immediacy cue (or a second danger cue): scared, not answering
PLANNED = "planned"  # harm arranged for soon: needs a time cue (now, tonight, after school)
DISCLOSE = "disclose"  # a child telling about abuse happening to them

# Victim classes returned by _victim_class.
FIRST = "1p"  # me, I, us: the speaker
THIRD = "3p"  # she, my daughter, Chloe: one real child
GENERIC = "generic"  # a child, someone, the young person: could be hypothetical
PLURAL = "plural"  # children, young people, victims: talk about children in general


# ---------------------------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """The word lists of safety_lexicon.yml, loaded once."""

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
    """Load safety_lexicon.yml once and derive the VICTIM class and the known-word set."""
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


# ---------------------------------------------------------------------------------------------
# Normalisation: text-speak, contractions, stretched letters, typos, names
# ---------------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u201c": '"',
                         "\u201d": '"'})
_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9']*")
_AGE_RE = re.compile(r"(\d{1,2})(?:yo|yrs?|y/o|yearold|yearsold)")
_STRETCH_RE = re.compile(r"([a-z])\1{2,}")
_MA_RE = re.compile(r"\bma (?=(daughter|son|bf|boyfriend|gf|girlfriend|nudes|pics|pictures|"
                    r"photos|mum|dad|sister|brother|friend|kid|child|phone|house|room|body)\b)",
                    re.IGNORECASE)
_BIN_RE = re.compile(r"(\w's|\bhas|\bhave|\bhav|'ve|\bhasnt|\bhavent) bin\b", re.IGNORECASE)
_HELL_RE = re.compile(r"\b(says|said|saying|or|and|now|then|because|cos|coz|unless|if|that|him|them)"
                      r" (hell|shell)\b", re.IGNORECASE)


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


def _looks_like_name(word: str, at_sentence_start: bool) -> bool:
    """A capitalised word we do not know, e.g. "Chloe": a child's name, so a victim."""
    low = word.lower()
    if len(word) < 3 or not word.isalpha() or not word[0].isupper() or word.isupper():
        return False
    if low in _lexicon().not_names or _is_known(low) or low in _lexicon().textspeak:
        return False
    return not at_sentence_start or _fix_word(low) is None


def normalise(text: str) -> str:
    """Rewrite text-speak, contractions typed without apostrophes, stretched letters and typos
    of key words into plain English; replace unknown capitalised names by ``xxname``."""
    text = text.translate(_QUOTES).replace("\r", "\n")
    text = re.sub(r"\n+", " . ", text)
    # "he says hell share them": "hell" is "he'll" after a reporting verb or a conjunction
    text = _HELL_RE.sub(_hell, text)
    # "ma daughter's bin missin": "ma" is "my" before a noun, "bin" is "been" after "has"
    text = _MA_RE.sub("my ", text)
    text = _BIN_RE.sub(r"\1 been", text)

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


# ---------------------------------------------------------------------------------------------
# Pattern language
# ---------------------------------------------------------------------------------------------
# A pattern is a space-separated list of token specs, each matched on one token:
#   CLASS        lower-case form in the lexicon class (BE, VICTIM, WEAPON ...)
#   ~CLASS       lemma in the lexicon class
#   word|word    lower-case form is one of the words
#   _            any word that is not punctuation or a clause-joining conjunction
#   _3           up to three such words (expands to three optional wildcards)
#   #            a number
# followed optionally by ? * + (the spaCy operators), and prefixed optionally by
#   @name:       a slot: the matched token is recorded under `name` (v = victim, a = agent)
#   !            part of the rule's own negation ("won't let", "isn't answering"): the
#                negation guard ignores it.

_CLAUSE_WORDS = ["and", "but", "because", "so", "or", "if", "when", "though", "although",
                 "while", "whilst", "unless", "then", "cos", "coz"]
_SENT_END = {".", "!", "?", "...", "\u2026", ";"}
_WILDCARD = {"IS_PUNCT": False, "LOWER": {"NOT_IN": _CLAUSE_WORDS}}
# words that may stand between a determiner and its person noun ("my 14 year old daughter")
_NOUN_MODIFIERS = {"year", "years", "yr", "old", "little", "young", "younger", "older", "eldest",
                   "youngest", "oldest", "teenage", "teen", "foster", "step", "baby", "big",
                   "small", "only", "own", "best", "new", "poor", "wee", "disabled", "vulnerable",
                   "female", "male", "autistic", "adopted", "year-old", "-", "twin", "drunk",
                   "very", "really", "scared", "school", "schoolgirl", "8", "7", "9", "10", "11"}
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


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------


@dataclass
class Hit:
    """One pattern match: which rule, where, and the tokens its slots caught."""

    rule: Rule
    start: int
    end: int
    slots: dict[str, int]
    own: frozenset[int]  # token indices of the rule's own negation


Check = Callable[[Doc, Hit], bool]


@dataclass(frozen=True)
class Rule:
    """A named group of patterns for one danger (or abuse) predicate, and how it is guarded."""

    name: str
    kind: str  # EMERGENCY or DISCLOSURE
    tier: str
    patterns: tuple[str, ...]
    check: Check | None = None  # extra condition on the match (post-check)
    hypo_ok: bool = False  # the pattern itself is a conditional threat ("if I tell, he'll ...")
    victims: tuple[str, ...] = (FIRST, THIRD, GENERIC)  # victim classes the rule accepts
    # what an emergency rule reports when the victim is the speaker and nothing says "now":
    # "I'm being forced to have sex" is a child's disclosure, "they won't let me leave" is not
    self_report: str | None = EMERGENCY
    lookback: bool = False  # the victim is the nearest person named earlier in the sentence


# ---------------------------------------------------------------------------------------------
# Post-checks: conditions a match must also meet, for what a token pattern cannot see
# ---------------------------------------------------------------------------------------------


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
    skip = lex["BE_AUX"] | lex["ADV"] | lex["HAVE"] | lex["WILL"] | lex["MODAL"] | lex["NEG"] | {
        "be", "keeps", "keep", "kept", "says", "said", "told", "tells", "also", "then", "always"}
    for tok in reversed(doc[max(0, hit.start - 5): hit.start]):
        if tok.is_punct:
            break
        if tok.lower_ not in skip:
            return tok.lower_
    return ""


# Doers that put the speaker in a professional role ("a parent threatened me at the door")
_WORK_AGENTS = {"parent", "colleague", "manager", "boss", "client", "pupil", "patient",
                "customer", "supervisor", "police", "officer", "council"}


def _agent_is_other(doc: Doc, hit: Hit) -> bool:
    """Someone else does it to the speaker: not "I", "you", "it" ("it hurts me"), and not
    someone met at work."""
    return _agent(doc, hit) not in {"i", "we", "you", "it", "this", "that", "which", "what",
                                    "u", "ya"} | _WORK_AGENTS


def _not_idiom(doc: Doc, hit: Hit) -> bool:
    """Exclude "hit me up", "beat me at fifa", "kick me out", "sold me a phone"."""
    nxt = _next(doc, hit.end)
    verb = doc[hit.start].lemma_
    if verb == "hit" and nxt in {"up", "back"}:
        return False
    if verb in {"beat", "kick"} and nxt in {"at", "in", "out", "to"}:
        return False
    if verb in {"sell", "shoot", "bring", "hit", "give"} and nxt in {"a", "an", "the", "some"}:
        return False
    agent = _agent(doc, hit)
    if verb == "kill" and agent in {"mum", "dad", "mother", "father", "parents", "nan"}:
        return False  # "my mum's going to kill me"
    if verb == "touch" and agent in {"doctor", "nurse", "it", "this", "that"}:
        return False
    if verb == "follow" and nxt in {"on", "online", "back", "in"}:
        return False  # "he follows me on instagram"
    return _agent_is_other(doc, hit)


def _act_is_abusive(doc: Doc, hit: Hit) -> bool:
    """After "make/want/ask me to ...": a sexual act, or a generic act with an abusive object
    ("do stuff", "take drugs", "send pictures"), not "do my homework"."""
    lex = _lexicon()
    act_index = hit.slots.get("act")
    if act_index is None:
        return True
    act = doc[act_index].lower_
    if act in lex["SEX_ACT"]:
        return True
    if act in {"have", "take", "drink", "smoke", "try", "do"} and {
            t.lower_ for t in _sentence_of(doc, hit.start)} & lex["DRUG"]:
        return True  # "passing round a bottle and making me have some"
    objects = [t.lower_ for t in _clause_rest(doc, act_index + 1, 5)]
    if "of" in objects and objects[objects.index("of") + 1:][:1] not in (
            ["me"], ["myself"], ["us"], ["my"], ["you"], ["yourself"], ["your"]):
        objects = objects[: objects.index("of")]  # "pictures of the process map"
    strong = lex["ACT_OBJ"] - {"it", "them", "him", "his", "their", "what", "whatever",
                               "something", "anything", "everything", "money", "men", "man"}
    weak_verbs = {"make", "makes", "made", "making", "force", "forces", "forced", "forcing",
                  "get", "gets", "got", "getting"}
    verb = doc[hit.start].lower_
    pool = lex["ACT_OBJ"] if verb in weak_verbs else strong
    if act in {"meet", "meeting", "met", "go", "going", "went", "come", "coming", "stay"}:
        pool = pool | {"him", "them", "up", "round", "over", "his", "their", "alone"}
        sentence = {t.lower_ for t in _sentence_of(doc, hit.start)}
        if _dangerous_company(doc, hit) and not sentence & _lexicon()["RELATION"]:
            return True  # "she sets up meets with men for me and I have to go"
    if act in {"do", "doing", "did"} and objects[:1] == ["it"] and verb not in weak_verbs:
        return False
    if doc[hit.start].lemma_ in {"want", "ask", "tell", "expect"} and _agent(doc, hit) in {
            "mum", "dad", "mother", "father", "parents", "teacher", "nan", "gran", "carer"}:
        return False  # "my mum asked me to get in the car"
    return bool(set(objects) & pool) or _sex_word_near(doc, act_index, 6)


def _sex_word_near(doc: Doc, i: int, n: int) -> bool:
    """A sexual word in the n tokens from i."""
    lex = _lexicon()
    words = {t.lower_ for t in doc[i: i + n]}
    return bool(words & (lex["SEXUAL_IMAGE"] | lex["SEX_ACT"] | {"porn", "nudes", "sexual"}))


def _by_abuser(doc: Doc, hit: Hit) -> bool:
    """"I was threatened by a parent" at work is not a disclosure; "by him", "by my uncle" is.
    Weak participles (pressured, made, hit, hurt) need "by <abuser>" or "to/into <abuse>"."""
    lex = _lexicon()
    pp = doc[hit.end - 1].lower_
    rest = _clause_rest(doc, hit.end, 6)
    words = [t.lower_ for t in rest]
    people = lex["AGENT"] | lex["RELATION"] | lex["FAMILY"] | lex["DANGER_PERSON"] | lex[
        "ABUSER_ROLE"] | {
        "her", "them", "him", "someone", "somebody"}
    if words[:1] == ["by"]:
        return bool(set(words[1:4]) & people)
    weak = {"pressured", "pressurised", "pressurized", "made", "hit", "punched", "kicked",
            "slapped", "used", "shared", "passed", "sold", "hurt", "followed", "stabbed",
            "manipulated", "filmed", "photographed", "touched", "bullied", "tricked",
            "persuaded", "pushed"}
    if pp not in weak:
        return True
    if pp in {"passed", "shared"} and words[:1] and words[0] in {"around", "round", "about"}:
        return True
    if pp in {"stabbed", "touched", "filmed", "photographed"}:
        return True  # "I was stabbed", "I got touched"
    if words[:1] and words[0] in {"to", "into"}:
        return _sex_word_near(doc, hit.end, 6) or bool(set(words) & lex["ACT_OBJ"] - {"it"})
    return False


def _image_agent_other(doc: Doc, hit: Hit) -> bool:
    """"He'll share my pics" yes; "should I send my pics" no; "he's got pictures" only when a
    person (not "the guidance") has them."""
    if "x" in hit.slots:
        return _agent(doc, hit) in _lexicon()["AGENT"] - {"i", "we"}
    return _agent_is_other(doc, hit)


def _held_somewhere(doc: Doc, hit: Hit) -> bool:
    """"held/kept/keeping" mean captivity only with a place or "against her will"."""
    verb = doc[hit.slots.get("pp", hit.end - 1)].lower_
    nxt = _next(doc, hit.end)
    if nxt in {"herself", "himself", "myself", "themselves", "yourself"}:
        return False  # "she's locked herself in her room"
    if verb not in {"held", "kept", "holding", "keeping", "hiding", "hidden"}:
        return True
    return nxt in {"at", "in", "against", "there", "prisoner", "hostage", "captive", "inside",
                   "somewhere", "up", "down", "locked", "until", "by", "", ".", "!", ","}


def _leave_not_person(doc: Doc, hit: Hit) -> bool:
    """"She can't get away/out/home" is danger; "she can't leave him" is a trauma bond."""
    last = doc[hit.end - 1].lower_
    nxt = _next(doc, hit.end)
    if _agent(doc, hit) in {"mum", "dad", "parents", "mother", "father", "carer", "carers",
                            "teacher", "teachers", "school", "nan", "gran", "i", "we"}:
        return False  # "my mum won't let me go out": a parent's rule, not captivity
    if last == "get":
        return nxt in {"away", "out", "home", "back", "free", "off", "outside", ""} or \
            doc[min(hit.end, len(doc) - 1)].is_punct
    if last in {"go", "come", "out"}:
        return nxt not in {"to", "on", "swimming", "shopping", "with", "clubbing", "partying"}
    if last == "leave":
        return nxt not in {"him", "them", "her", "his", "their", "my", "the", "that", "this"} or \
            _next(doc, hit.end + 1) in _lexicon()["PLACE"]
    return True


_WHEREABOUTS_KNOWN = re.compile(
    r"\bbut (she|he|they) ('s|is|are|'re) (at|with) (her |his |their |the )?(\w+ )?"
    r"(club|school|practice|training|nan|nan 's|gran|grandma|grandad|friend|friend 's|mate|mate 's|dad|"
    r"dad 's|mum|mum 's|aunt|auntie|work|college|cinema|lessons?|rehearsal|swimming)\b")


def _missing_not_object(doc: Doc, hit: Hit) -> bool:
    """"She's missing" yes; "she's missing school" no; "gone" needs "missing/off/with"; "she hasn't
    come home yet but she's at drama club" is known to be somewhere ordinary."""
    if _WHEREABOUTS_KNOWN.search(" ".join(t.lower_ for t in doc)):
        return False
    last = doc[hit.end - 1].lower_
    nxt = _next(doc, hit.end)
    if last == "missing":
        return nxt not in {"school", "lessons", "lesson", "class", "classes", "college", "work",
                           "appointments", "sessions", "meals", "out", "a", "the", "her", "his",
                           "some", "lots", "days", "education", "you", "him", "them", "me",
                           "something", "anything", "homework", "information", "info"}
    if last == "gone":
        return nxt in {"missing", "off", "since", "again", "all", "overnight", "for", "with",
                       "", ".", ",", "and", "two", "three", "days", "hours"} or \
            (hit.end < len(doc) and doc[hit.end].like_num)
    return True


def _dangerous_company(doc: Doc, hit: Hit) -> bool:
    """A place is danger when the sentence names dangerous company: men, older lads, strangers,
    an adult's age, or a house "she doesn't know"."""
    lex = _lexicon()
    tokens = _sentence_of(doc, hit.start)
    words = [t.lower_ for t in tokens]
    if set(words) & lex["DANGER_PERSON"]:
        return True
    if "boot" in words and words[min(words.index("boot") + 1, len(words) - 1)] not in {"sale", "sales"} \
            and words[max(words.index("boot") - 1, 0)] in {"car", "the", "a", "his", "their", "van"}:
        return True  # "in a car boot" (not a car boot sale)
    if set(words) & ({"strange", "unknown", "random", "dodgy", "trap", "crack", "dealer"}
                     | lex["DRUG"] | lex["WEAPON"]):
        return True
    if set(words) & {"hotel", "motel", "bnb", "airbnb"} and set(words) & {
            "him", "them", "he", "they", "man", "his", "boyfriend", "ex"}:
        return True
    text = " ".join(words)
    if re.search(r"(do n't|does n't|did n't|not) know", text):
        return True
    return any(_adult_age(doc, t.i) for t in tokens if t.like_num)


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
    return nxt in {"year", "years", "yr", "yrs", "yo"} or prev in {"is", "'s", "he", "aged",
                                                                "age", "like", "about"}


def _not_self_family_kill(doc: Doc, hit: Hit) -> bool:
    """"My mum's going to kill me" is an idiom, not a threat."""
    agent = _agent(doc, hit)
    return agent not in {"mum", "dad", "mother", "father", "parents", "nan", "teacher"}


def _leverage(doc: Doc, hit: Hit) -> bool:
    """"He'll hurt my sister if I don't go" is a threat used to control the child speaking:
    their disclosure. Told about another child ("he'll kill her if she tells") it is a threat
    to that child, reported now (issue 12)."""
    text = " ".join(t.lower_ for t in doc[hit.start:])
    return bool(re.search(r"\b(if|unless) (i|we)\b", text))


def _threat_victim_mine(doc: Doc, hit: Hit) -> bool:
    """"He'll hurt my mum": a family member counts only with "my"."""
    victim = hit.slots.get("v")
    if victim is None:
        return True
    soft = {t.lower_ for t in doc[hit.start: victim]} & {"come", "get", "find", "take", "end"}
    if soft and (_agent(doc, hit) in _CARER_AGENTS or (_agent(doc, hit) in {"he", "she", "they"} and any(
            t.lower_ in _CARER_AGENTS - {"i", "we", "you"} for t in doc[max(0, hit.start - 6): hit.start]))):
        return False  # "my mum said she'll come for me after school", "dad will get me"
    if soft and _next(doc, victim + 1) in {"home", "back", "to", "out", "from", "a", "some", "up", "off"}:
        return False  # "he said he'd take me home", "she'll get me from school"
    if doc[victim].lower_ in _lexicon()["FAMILY"]:
        return (victim > 0 and doc[victim - 1].lower_ in {"my", "our"}) or (
            victim > 1 and doc[victim - 2].lower_ in {"my", "our"})
    return _not_self_family_kill(doc, hit)


def _not_followed_by_noun(doc: Doc, hit: Hit) -> bool:
    """"they've got her" is captivity; "they've got her phone" is not."""
    if hit.slots.get("v") != hit.end - 1:
        return True
    nxt = _next(doc, hit.end)
    if nxt == "to":
        return bool({t.lower_ for t in doc[hit.end: hit.end + 4]} & _lexicon()["PLACE"])
    return nxt in {"", "at", "in", "locked", "there", "and", ".", "!", ",", "now", "right",
                   "somewhere", "with", "inside", "hostage", "prisoner", "tied", "trapped"}


def _not_removed_from(doc: Doc, hit: Hit) -> bool:
    """"Taken off the street" is a kidnap; "taken off the bus for not having a ticket", "taken
    off the team" or "taken off her meds" is someone removed from something."""
    off = next((i for i in range(hit.start, min(hit.end + 1, len(doc))) if doc[i].lower_ == "off"), None)
    if off is None:
        return True
    after = [t.lower_ for t in doc[off + 1: off + 4]]
    if not after:
        return True
    if after[0] in _lexicon()["REMOVED_FROM"]:
        return False
    if after[0] in {"the", "a", "an", "her", "his", "their", "my", "our", "its"} and len(after) > 1:
        noun = after[1] if after[1] not in {"school", "local", "last", "first", "next"} else after[-1]
        return noun not in _lexicon()["REMOVED_FROM"]
    return True


def _not_official(doc: Doc, hit: Hit) -> bool:
    """"Social services have taken her into care" is not an abduction."""
    words = {t.lower_ for t in doc}
    official = {"police", "social", "services", "ambulance", "paramedics", "hospital",
                "custody", "court"}
    if re.search(r"\b(into|in) care\b", " ".join(t.lower_ for t in doc)):
        official = official | {"care"}  # "taken into care"; not "a girl from our care home"
    return not words & official or bool(words & {"kidnapped", "abducted", "snatched", "grabbed"})


def _driver_not_carer(doc: Doc, hit: Hit) -> bool:
    """"He's driving me somewhere" is danger; "dad's driving us somewhere for my birthday", or
    a bus going the wrong way, is not: someone other than a carer drives, and a person ("he",
    "the man") is named."""
    words = {t.lower_ for t in doc}
    if words & (_CARER_AGENTS - {"i", "we", "you"}) or words & {"bus", "train", "satnav",
                                                               "sat", "taxi", "uber", "birthday",
                                                               "surprise", "holiday"}:
        return False
    return bool(words & {"he", "him", "his", "they", "them", "man", "men", "guy", "lads", "bloke"})


def _menacing_presence(doc: Doc, hit: Hit) -> bool:
    """Someone outside now is danger when the message says why: he follows, stalks or
    threatens the child, or is a dangerous adult; a carer outside is not."""
    if doc[hit.slots.get("a", hit.start)].lower_ in _CARER_AGENTS or _agent(doc, hit) in _CARER_AGENTS:
        return False
    agent = hit.slots.get("a", hit.start)
    service = {"taxi", "cab", "bus", "delivery", "lollipop", "cream", "minibus", "escort", "club", "youth"}
    if (agent > 0 and doc[agent - 1].lower_ in service) or \
            {t.lower_ for t in doc} & {"booked", "ordered", "arranged"}:
        return False  # "the taxi man is waiting for my son", "the lift we booked"
    if not any(t.lower_ in {"outside", "downstairs"} for t in doc[hit.start: hit.end]) or \
            doc[hit.end - 1].lower_ in {"house", "home", "door", "school", "window", "flat", "gate",
                                        "gates", "college"}:
        return True  # the rule's original patterns
    words = {t.lower_ for t in doc}
    return bool(words & ({"following", "followed", "follows", "follow", "stalking", "stalked",
                          "threatening", "threatened", "knife", "gang", "owes", "owe", "debt"}
                         | (_lexicon()["DANGER_PERSON"] - {"someone", "somebody", "older"})))


def _threat_not_sanction(doc: Doc, hit: Hit) -> bool:
    """A threat from someone who is not a carer, and not a sanction ("the school threatened my
    son with exclusion", "warned her to be careful", "threatened to take her phone")."""
    if _agent(doc, hit) in _CARER_AGENTS | {"school", "college", "head", "headteacher", "council",
                                            "landlord", "coach", "manager", "boss"}:
        return False
    words = {t.lower_ for t in doc[: hit.start]}
    if words & {"school", "teacher", "headteacher", "head", "police", "mum", "dad", "council"} and \
            doc[hit.start].lower_.startswith(("threat", "warn")):
        return False
    said = {"said", "says", "saying", "told", "tells", "telling", "warned", "threatened", "messaged",
            "texted", "message", "messages", "posted", "wrote", "writing", "sent"}
    veiled = {t.lower_ for t in doc[hit.start: hit.end]} & {"regret", "suffer", "sorry", "in", "over", "off"}
    if veiled and not {t.lower_ for t in doc[max(0, hit.start - 8): hit.start]} & said:
        return False  # "my son will regret not revising": only a threat when someone said it
    after = [t.lower_ for t in doc[hit.end: hit.end + 3]]
    if after[:1] == ["with"] and set(after[1:]) & {"exclusion", "detention", "eviction", "expulsion",
                                                  "court", "police", "prosecution", "fine", "fines"}:
        return False
    if after[:1] in (["to"], ["not"], ["about"], ["that"], ["off"]) and doc[hit.start].lower_.startswith("warn"):
        return False  # "warned her to be careful", "warned him about men online"
    sanctions = {"take", "ground", "ban", "stop", "tell", "report", "call", "exclude", "expel",
                 "confiscate", "cancel"}
    return not (len(after) > 1 and after[0] == "to" and after[1] in sanctions)


_SCHOOL_TIMES = {"break", "breaktime", "lunch", "lunchtime", "detention", "playtime", "isolation",
                 "class", "school", "talking", "homework", "being", "misbehaving"}
_DISPUTES = {"argument", "arguments", "fight", "row", "drama", "conversation", "discussion",
             "debate", "meeting", "mess", "trouble", "gossip", "feud", "beef", "it", "this", "that"}


def _not_school_sanction(doc: Doc, hit: Hit) -> bool:
    """"Kept in at break for talking", "kept back after school" is a sanction, not captivity."""
    after = {t.lower_ for t in doc[hit.end: hit.end + 4]}
    return not (doc[hit.end - 1].lower_ in {"kept", "held", "keeping", "holding", "locked"} and after & _SCHOOL_TIMES)


def _not_dragged_into_a_dispute(doc: Doc, hit: Hit) -> bool:
    """"Dragged into an argument", "pulled into the drama" is not an abduction."""
    after = [t.lower_ for t in doc[hit.end: hit.end + 3]]
    if after[:1] in (["into"], ["in"]):
        after = after[1:]
    elif doc[hit.end - 1].lower_ not in {"into", "in"}:
        return True
    words = [w for w in after if w not in {"a", "an", "the", "their", "his", "her", "some"}]
    return not (words and words[0] in _DISPUTES)


def _lift_gone_wrong(doc: Doc, hit: Hit) -> bool:
    """The promised lift home is only danger when the message then says it went elsewhere:
    "but" and now, a motorway, miles away, the wrong way, somewhere unknown."""
    if doc[hit.start].lower_ not in {"said", "says", "promised", "offered"}:
        return True
    after = [t.lower_ for t in doc[hit.end:]]
    if "but" not in after:
        return False
    rest = set(after[after.index("but"):])
    return bool(rest & {"now", "motorway", "miles", "wrong", "somewhere", "instead", "wo", "wont",
                        "wouldn't", "refusing", "wherever", "unknown"})


def _images_held_over(doc: Doc, hit: Hit) -> bool:
    """A threat to spread "them"/"it" is sextortion when images were named before it and the
    threat is used as leverage ("unless he pays", "or she has to meet him") or says
    "threatening"; "the school will send them home tomorrow" is not."""
    lex = _lexicon()
    before = {t.lower_ for t in doc[: hit.start]}
    if not before & (lex["IMAGE"] | lex["SEXUAL_IMAGE"]) - {"messages", "texts", "chats", "film"}:
        return False
    if "a" in hit.slots and not _agent_is_other(doc, hit):
        return False
    if _agent(doc, hit) in _CARER_AGENTS:
        return False
    if doc[hit.start].lower_.startswith("threat"):
        return True
    after = " ".join(t.lower_ for t in doc[hit.end: hit.end + 14])
    return bool(re.search(r"\b(unless|or else|otherwise|if (he|she|they) (do|does|did) n't|pay|pays|"
                          r"money|£|more|meets?)\b", after))


def _exposure_context(doc: Doc) -> bool:
    """Something to expose: images, a video, or sexual acts ("what I did")."""
    words = {t.lower_ for t in doc}
    lex = _lexicon()
    return bool(words & (lex["IMAGE"] | lex["SEXUAL_IMAGE"] | {"did", "done", "sex", "slept",
                                                               "stuff", "things"}))


def _made_me_alone(doc: Doc, hit: Hit) -> bool:
    """"I didn't want to but he made me": "made me" ending the clause."""
    if doc[hit.start].lemma_ == "make" and hit.end - hit.start == 2:
        return hit.end == len(doc) or doc[hit.end].is_punct or doc[hit.end].lower_ in (
            _CLAUSE_WORDS + ["anyway", "again", "every", "all", "now", "too", "still"])
    return True


def _took_me_somewhere(doc: Doc, hit: Hit) -> bool:
    """"They take me to a flat" is a disclosure when the place has dangerous company."""
    if doc[hit.start].lemma_ in {"take", "drive", "bring", "send"} and "act" not in hit.slots:
        return _dangerous_company(doc, hit)
    return True


def _secret_keeper(doc: Doc, hit: Hit) -> bool:
    """"He told me not to tell" is an abuser's secrecy; "the police told me not to tell" and
    "she (my daughter) told me not to tell her dad" are not."""
    if doc[hit.start].lower_ not in {"told", "tells", "said", "says", "warned", "threatened"}:
        return True
    return _agent_is_other(doc, hit) and _agent(doc, hit) not in {
        "she", "her", "mum", "mother", "nan", "friend", "mate", "daughter", "son"}


def _requester_is_other(doc: Doc, hit: Hit) -> bool:
    """Someone else asks: "he wants nudes", "I keep getting asked for nudes" (passive)."""
    before = doc[hit.start - 1].lower_ if hit.start else ""
    return before in {"getting", "being", "been", "got", "get", "gets"} or \
        _agent_is_other(doc, hit)


def _request_context(doc: Doc, hit: Hit) -> bool:
    """"He keeps asking for more" is about images only when images were mentioned."""
    if doc[hit.end - 2].lower_ == "for":
        return _exposure_context(doc)
    return True


def _debt_context(doc: Doc, hit: Hit) -> bool:
    """"I owe him" is a disclosure when paying back is sex, drugs or "doing stuff"."""
    words = {t.lower_ for t in doc}
    return bool(words & {"pay", "repay", "back", "off", "work", "sex", "sleep", "stuff", "things",
                         "drugs", "do", "debt", "favours", "favors", "lifts", "owe"})


def _online_contact(doc: Doc, hit: Hit) -> bool:
    """"He wants to meet me" is grooming when the person is from online, older or secret."""
    words = {t.lower_ for t in doc}
    return bool(words & ({"online", "internet", "app", "game", "snapchat", "instagram", "tiktok",
                          "secret", "alone", "hotel", "tell", "stranger", "older"}
                         | _lexicon()["DANGER_PERSON"]))


def _sexual_content(doc: Doc, hit: Hit) -> bool:
    """"He sent me pictures" is a disclosure when they are sexual."""
    words = {t.lower_ for t in doc[hit.start: hit.end + 6]}
    return bool(words & (_lexicon()["SEXUAL_IMAGE"] | _lexicon()["BODY"] | {
        "porn", "dick", "penis", "willy", "cock", "privates", "himself", "his"}))


def _harm_now_ok(doc: Doc, hit: Hit) -> bool:
    """Progressive harm: "making" needs a sexual/abusive act after it; "following",
    "filming" are not about social media; "holding/keeping" need a place; "the man who is
    hurting her" describes him rather than reporting harm now."""
    if hit.start > 0 and doc[hit.start - 1].lower_ in {"who", "that", "whos", "who's"}:
        return False
    verb = doc[hit.start + 1].lower_ if hit.start + 1 < len(doc) else ""
    for tok in doc[hit.start: hit.end]:
        if tok.lower_ in _lexicon()["HARM_ING"]:
            verb = tok.lower_
            break
    after = _after(doc, hit, 3)
    if verb == "making":
        victim = hit.slots.get("v", hit.end - 1)
        rest = Hit(hit.rule, hit.start, hit.end, {**hit.slots, "act": victim + 1}, hit.own)
        nxt = _next(doc, victim + 1)
        if nxt == "to":
            rest.slots["act"] = victim + 2
        return victim + 1 < len(doc) and _act_is_abusive(doc, rest)
    if verb in {"following", "filming", "messaging"} and set(after) & {"on", "online"}:
        return False
    if verb in {"holding", "keeping", "hiding"}:
        return _held_somewhere(doc, Hit(hit.rule, hit.start, hit.end, {"pp": hit.start},
                                        hit.own))
    if verb in {"touching", "grabbing"}:
        return not after or after[0] not in {"base"}
    return True


# Doers who take a child somewhere or give them things in the ordinary way of caring
_CARER_AGENTS = {"mum", "dad", "mother", "father", "parents", "parent", "nan", "nana", "gran",
                 "grandma", "grandad", "grandpa", "carer", "carers", "teacher", "teachers",
                 "school", "doctor", "doctors", "nurse", "nurses", "police", "worker",
                 "workers", "husband", "wife", "partner", "auntie", "aunt", "i", "we", "you",
                 "pharmacist", "hospital", "staff", "paramedics", "coach"}


# Where a child or family goes in the ordinary way: a planned visit there is not danger
_OFFICIAL_VISITS = {"police", "court", "social", "hospital", "doctor", "doctors", "gp",
                    "dentist", "appointment", "counsellor", "counselling", "therapy", "therapist",
                    "worker", "nurse", "mum", "dad", "nan", "gran", "grandma", "grandad", "church",
                    "mosque", "lesson", "lessons", "practice", "training", "cap", "meeting"}


def _risky_company(doc: Doc) -> bool:
    """The message names who makes a plan dangerous: adults, strangers, people met online,
    an adult's age, older males, a house "she doesn't know", a debt, drugs or a weapon."""
    lex = _lexicon()
    words = [t.lower_ for t in doc]
    seen = set(words)
    if seen & (lex["ADULT_COMPANY"] | lex["DRUG"] | lex["WEAPON"] | lex["COUNTY_LINES"]) or seen & {
            "debt", "owe", "owes", "trap", "crack", "dealer", "hotel", "motel"}:
        return True
    for i, word in enumerate(words[:-1]):
        if word in {"older", "grown"} and words[i + 1] in {"lads", "lad", "boys", "guys", "guy",
                                                          "males", "male", "boyfriend", "man"}:
            return True
    text = " ".join(words)
    if re.search(r"(do n't|does n't|did n't|not) know (him|them|who|where)", text):
        return True
    # a place the child does not know ("a town he doesn't know"), or secrecy ("says I can't tell
    # anyone", "told her not to tell her mum", "it's a secret")
    if re.search(r"\b(town|city|area|place|house|flat|address|street|estate) (he|she|they|i|we) "
                 r"(do n't|does n't|did n't) know\b", text) or re.search(
            r"\b(ca n't|cannot|can not|not to|must n't|never to|do n't) (tell|say|let) "
            r"(anyone|anybody|no one|noone|my|her|his|their|your|mum|dad|the)\b|\bsecret\b", text):
        return True
    # an adult's age: 20 or more, or 18-19 with a child of 15 or under ("a 19 year old lad
    # taking my 17 year old to the cinema" is not danger by itself)
    adults = [int(t.text) for t in doc if t.text.isdigit() and _adult_age(doc, t.i)]
    young = [int(t.text) for t in doc if t.text.isdigit() and 8 <= int(t.text) <= 15]
    return any(age >= 20 or young for age in adults)


def _reluctant_me(doc: Doc, hit: Hit) -> bool:
    """The speaker is the one taken and does not want it: "he's picking me up later and I
    don't want to go", "they're making me go tonight, I'm scared"."""
    words = [t.lower_ for t in doc]
    if not set(words) & {"me", "us"}:
        return False
    text = " ".join(words)
    return bool(re.search(r"(do n't|not|never) want to|scared|frightened|terrified|petrified|"
                          r"have to|make me|making me|made me|or they|or he|or else", text))


def _planned_danger(doc: Doc, hit: Hit) -> bool:
    """A plan is danger when it is not a carer's ordinary plan and the company is risky (or
    the child speaking does not want to go)."""
    if _agent(doc, hit) in _CARER_AGENTS:
        return False
    going_to = {t.lower_ for t in _clause_rest(doc, hit.end, 8)}
    if going_to & _OFFICIAL_VISITS:
        return False  # "we're meeting the police tomorrow about the men"
    mover = doc[hit.slots["v"]].lower_ if "v" in hit.slots else ""
    if mover in {"i", "we"}:  # "I'm meeting her tomorrow about the men": a worker's plan
        lex = _lexicon()
        risky = going_to & (lex["ADULT_COMPANY"] | {"his", "their", "hotel", "trap"})
        return _reluctant_me(doc, hit) or bool(risky and not going_to & {"about", "who", "her", "him"})
    ordinary = {"gala", "match", "tournament", "trip", "competition", "team", "holiday", "wedding",
                "residential", "camp", "squad"}
    if going_to & ordinary and not going_to & _lexicon()["ADULT_COMPANY"]:
        return False  # "going to a hotel for a swimming gala with the club"
    return _risky_company(doc) or _reluctant_me(doc, hit)


def _moved_away(doc: Doc, hit: Hit) -> bool:
    """Being moved now: with risky company, or "to another town", "a different flat"."""
    if _agent(doc, hit) in _CARER_AGENTS or not _not_official(doc, hit):
        return False
    after = [t.lower_ for t in _clause_rest(doc, hit.end, 8)]
    if "by" in after and set(after[after.index("by") + 1:][:3]) & _CARER_AGENTS and not set(
            after) & _lexicon()["ADULT_COMPANY"]:
        return False  # "picked up by her dad"
    if set(after) & _OFFICIAL_VISITS - {"meeting"}:
        return False  # "taken to the police station"
    words = [t.lower_ for t in doc]
    moved = any(w in {"another", "different", "other", "new", "unknown", "strange"} and
                words[i + 1: i + 2] and words[i + 1] in _lexicon()["DESTINATION"] | _lexicon()["PLACE"]
                for i, w in enumerate(words[:-1]))
    soon = {"now", "just", "ago", "tonight", "today", "currently"}
    return moved or bool(set(words) & soon) or _risky_company(doc) or _reluctant_me(doc, hit)


def _supplier_not_carer(doc: Doc, hit: Hit) -> bool:
    """"They're giving her vodka" yes; "the nurse is giving her pills" no."""
    return _agent(doc, hit) not in _CARER_AGENTS


def _image_pressure(doc: Doc, hit: Hit) -> bool:
    """Asking a child for images is pressure when it is sexual, insistent, threatening or
    from an adult: "he keeps demanding pics", "a man is asking her for nudes"."""
    lex = _lexicon()
    words = {t.lower_ for t in doc}
    if words & (lex["SEXUAL_IMAGE"] | {"porn", "sexual", "body", "clothes", "undressed"}):
        return True
    if any(t.lower_ in lex["DEMAND_V"] for t in doc[max(0, hit.start - 2): hit.end]):
        return True
    if words & {"unless", "threatening", "threatened", "threatens", "leak", "post", "expose",
                "else"}:
        return True
    return _risky_company(doc)


_COERCIVE = {"demand", "demands", "demanded", "demanding", "pressure", "pressures", "pressured",
             "pressuring", "pressurising", "force", "forces", "forced", "forcing", "blackmail",
             "blackmails", "blackmailed", "blackmailing", "threaten", "threatens", "threatened",
             "threatening", "sextorting", "harassing", "bombarding"}


def _image_coerced(doc: Doc, hit: Hit) -> bool:
    """Images demanded with a coercive verb: danger by its nature."""
    if _agent(doc, hit) in _CARER_AGENTS:
        return False
    words = {t.lower_ for t in doc}
    sexual = words & (_lexicon()["SEXUAL_IMAGE"] | {"porn", "sexual"})
    if any(t.lower_ in _COERCIVE for t in doc[hit.start: hit.end]):
        return True
    return bool(sexual) and _risky_company(doc) and not words & _lexicon()["WORRY"]


def _adult_in_life(doc: Doc) -> bool:
    """An adult in the child's life (teacher, coach, stepdad) or an adult stranger is named."""
    lex = _lexicon()
    words = {t.lower_ for t in doc}
    roles = (lex["ABUSER_ROLE"] - {"boyfriend", "girlfriend", "friend", "mate", "ex", "youth"}) | {
        "stepdad", "stepdads", "dads", "step"}
    return bool(words & (roles | lex["ADULT_COMPANY"] - {"online", "internet", "app", "game"})) or _risky_company(doc)


def _images_of_a_thing(doc: Doc) -> bool:
    """"Pics of my new puppy", "photos of the house": images of something, not of the child."""
    text = " ".join(t.lower_ for t in doc)
    return bool(re.search(r"\b(pictures|picture|photos|photo|videos|video|images) of (my|his|her|the|a|our|your) "
                          r"(?!body|privates|bum|boobs|chest)", text))


def _image_request_pressure(doc: Doc) -> bool:
    """Asked for images by someone insisting, threatening, older, online or a trusted adult,
    or by anyone when the child gives an age under 18."""
    words = {t.lower_ for t in doc}
    text = " ".join(t.lower_ for t in doc)
    if _images_of_a_thing(doc):
        return False
    if words & {"again", "keeps", "keep", "spamming", "constantly", "always", "else", "unless",
                "nudes", "naked", "sexual", "stuff", "love"}:
        return True
    if re.search(r"(do n't|not) want|(wo n't|not|never) stop|if i (do n't|dont|block|stop|say)", text):
        return True
    age = _own_age(doc)
    return (age is not None and age < 18) or _adult_in_life(doc)


def _threat_context(doc: Doc) -> bool:
    """A threat is danger with a demand or a deadline: money, paying, images, meeting, "by
    tonight", "or else"."""
    words = {t.lower_ for t in doc}
    return bool(words & ({"money", "pay", "paid", "cash", "owe", "owes", "debt", "until", "by",
                          "tonight", "else", "demanding", "demands", "meet", "come", "send"}
                         | _lexicon()["IMAGE"]))


def _all(*checks: Check) -> Check:
    """A post-check that needs every one of `checks`."""
    return lambda doc, hit: all(c(doc, hit) for c in checks)


E, D = EMERGENCY, DISCLOSURE
_ME = (FIRST,)

# Adults handing a child drink or drugs (two rules: with risky company it is danger by its
# tense; otherwise it needs a time cue)
_SUPPLY_PATTERNS = (
    "BE_PRES ADV* SUPPLY_ING OBJ ADV? _2 DRUG",
    "BE_PRES ADV* SUPPLY_ING OBJ ADV? with|full|on _3 DRUG",
    ("BE_PRES ADV* getting|making OBJ ADV? "
     "drunk|high|wasted|stoned|pissed|smashed|mashed|wrecked|off"),
    "SUBJ BE_PRES ADV* being|getting ADV* given|plied|fed|supplied|sold|injected _3 DRUG",
    "keep|keeps ADV? SUPPLY_ING OBJ ADV? _3 DRUG",
    "HAVE ADV* been ADV* SUPPLY_ING OBJ ADV? _2 DRUG",
    # "a man keeps buying cans for a group of girls"
    "BE_PRES|keep|keeps ADV* SUPPLY_ING _2 DRUG for|to _3 OBJ",
)
# Images asked for or demanded from a child (two rules: coerced, or only asked)
_IMAGE_DEMAND_PATTERNS = (
    ("DEMAND_V|REQUEST_V ADV? OBJ ADV? to? ADV? send|take|show|share|film|strip|undress|do|get "
     "_3 IMAGE|SEXUAL_IMAGE|clothes|off|body|naked"),
    "DEMAND_V ADV? REQUEST_V? ADV? _2 IMAGE|SEXUAL_IMAGE _2 from|off|of OBJ",
    "DEMAND_V|REQUEST_V ADV? OBJ ADV? for _2 IMAGE|SEXUAL_IMAGE",
    "DEMAND_V ADV? that? @v:she|he|they send|sends|take|takes|show|shows _3 IMAGE|SEXUAL_IMAGE",
    "DEMAND_V|REQUEST_V ADV? OBJ ADV? to? ADV? strip|undress|pose|wank|masturbate|flash",
)

# Each rule: a danger (or abuse) predicate class, the victim slot it needs, and why it exists.
RULES: tuple[Rule, ...] = (
    # --- emergency: captivity. "won't let her leave", "being held at a flat", "can't get out"
    Rule("emergency.restraint", E, STRONG, (
        "NEG_AUX? !NEG let|letting|allow|allowing OBJ ADV? to? LEAVE",
        "SUBJ AUX* !NEG allowed to? LEAVE",
        "SUBJ AUX* !ca|cannot|unable !NEG? to? ADV? escape|leave|get|go|run|breathe",
        "SUBJ AUX+ being? ADV* @pp:held|kept|locked|trapped|imprisoned|tied|chained",
        "SUBJ AUX* hostage|captive|prisoner",
        "BE_PRES ADV* @pp:holding|keeping|hiding|locking|trapping OBJ",
        "locked|lock|locks OBJ in|up|inside",
        "refusing|refuses|refused ADV? to bring|take|drive|let|give OBJ home|back|go",
        "!NEG_AUX !NEG ADV? bring|take|drive|give OBJ home|back",
    ), check=_all(_leave_not_person, _held_somewhere, _not_school_sanction)),
    # --- emergency: "they've got her", "they've taken her", "pushed her into a car"
    Rule("emergency.abduction", E, STRONG, (
        "HAVE|'ve|'s got OBJ",
        "HAVE|'ve|'s taken|took|snatched|grabbed OBJ",
        "SUBJ AUX+ been? ADV* kidnapped|abducted|snatched|bundled|dragged|grabbed",
        "SUBJ was|were ADV* kidnapped|abducted|snatched|taken|grabbed|bundled|dragged|pushed",
        ("kidnapped|abducted|kidnapping|abducting|snatched|bundled|dragged|grabbed|took|taken "
         "OBJ into|in|away|off"),
        ("put|puts|push|pushed|pushing|force|forced|forcing|drag|dragged|dragging|bundle|bundled|"
         "bundling|threw|throw|shoved|shove|pulled|pull|pulling OBJ in|into|towards _2 "
         "car|van|boot|taxi|motor|truck"),
        "kidnap|kidnaps|kidnapped|kidnapping|abduct|abducts|abducted|abducting OBJ",
        "SUBJ AUX+ taken by|away|off",
        ("SUBJ AUX+ pushed|shoved|pulled|forced|put|thrown|bundled|dragged|taken "
         "into|in|towards _2 car|van|boot|taxi|motor|truck"),
    ), check=_all(_not_followed_by_noun, _not_official, _not_removed_from, _not_dragged_into_a_dispute)),
    # --- emergency: "... watched her get pulled into the back of a car": the victim is named
    # earlier in the sentence
    Rule("emergency.abduction_seen", E, STRONG, (
        ("get|got|getting|being pulled|pushed|shoved|dragged|bundled|forced|thrown|grabbed "
         "into|in _6 car|van|boot|taxi|motor|truck"),
    ), check=_not_official, lookback=True),
    # --- emergency: a child taken somewhere by dangerous adults. "a man just took a girl up
    # to his room", "she's been taken to another town by the men", "he has her in his car"
    Rule("emergency.taken_away", E, CURRENT, (
        "took|taken|taking|takes|drove|driven|driving OBJ _8 PLACE",
        "SUBJ AUX+ taken|driven|moved|trafficked to|into|up _4",
        "HAVE OBJ in|at|inside|locked",
        "SUBJ AUX+ picked|collected|taken ADV? up? by _3 DANGER_PERSON",
        "driving|drove|driven|gone|went|ran ADV? off|away with OBJ",
    ), check=lambda doc, hit: _dangerous_company(doc, hit) and _not_official(doc, hit)),
    # --- emergency: a child being driven off now. "he's driving me somewhere and won't say
    # where", "he said he'd take me home but we're on the motorway going the wrong way"
    Rule("emergency.driven_off", E, STRONG, (
        ("@a:AGENT BE_PRES ADV* driving|taking|dragging|bringing @v:me|us ADV? "
         "somewhere|away|off|round|around|miles|out"),
        "@a:AGENT BE_PRES ADV* driving|going|heading _3 the wrong way",
        "@v:we BE_PRES _6 going|heading|driving _3 the wrong way",
        # a lift home that went elsewhere: "he said he'd drop me home but now we're miles away"
        ("said|says|promised|offered @a:AGENT? WILL? ADV? to? take|drive|bring|drop|give @v:me|us ADV? "
         "a? lift? home|back"),
    ), check=lambda doc, hit: _driver_not_carer(doc, hit) and _lift_gone_wrong(doc, hit)),
    # --- emergency: a weapon is there now. "he's got a knife", "a man with a gun"
    Rule("emergency.weapon", E, STRONG, (
        "HAVE_V _? _? WEAPON",
        "pulled|pulls|pulling|pointing|pointed|waving|holding|held ADV? a|an|the|his|her? WEAPON",
    ), check=lambda doc, hit: not {t.lower_ for t in doc[max(0, hit.end - 3): hit.end + 3]} & {
        "fork", "forks", "cutlery", "butter", "toy", "nerf", "water", "plastic", "foam", "pretend", "lunchbox"}),
    # --- emergency: someone is hurting a child as we speak (active or passive progressive)
    Rule("emergency.harm_now", E, STRONG, (
        "BE_PRES ADV* HARM_ING ADV? OBJ",
        "SUBJ BE_PRES ADV* being|getting ADV* HARM_PP",
        "@a:DANGER_PERSON HARM_ING ADV? OBJ",  # "I can see a man hitting a child"
    ), check=_harm_now_ok, self_report=DISCLOSURE),
    # --- emergency: a wound from a weapon. "he's come home with a stab wound"
    Rule("emergency.wounded", E, STRONG, (
        "stab|knife|gunshot|bullet|slash ADV? wound|wounds|injury|injuries",
    ), self_report=None, lookback=True),
    # --- emergency: "... being pulled towards a car", "... being kept at a flat": the victim
    # is named earlier in the sentence
    Rule("emergency.being_harmed", E, STRONG, (
        "being|getting ADV? @pp:HARM_PP",
    ), check=_held_somewhere, self_report=DISCLOSURE, lookback=True),
    # --- emergency: a child made to do sexual things now. "men are telling her to take her
    # clothes off", "she's being made to do stuff on webcam"
    Rule("emergency.coerced_now", E, STRONG, (
        "BE_PRES ADV* making|forcing OBJ ADV? to? ADV? @act:SEX_ACT|ACT_NEEDS_OBJ",
        "SUBJ BE_PRES ADV* being|getting ADV* made|forced ADV? to ADV? @act:SEX_ACT|ACT_NEEDS_OBJ",
    ), check=_act_is_abusive, self_report=DISCLOSURE),
    # --- emergency (needs a time cue): abuse described as going on, which may be a worry
    # rather than danger now. "he's blackmailing her", "she's being threatened"
    Rule("emergency.abuse_ongoing_now", E, NOW, (
        "BE_PRES ADV* CONCERN_ING ADV? OBJ",
        ("SUBJ BE_PRES ADV* being|getting ADV* "
         "threatened|blackmailed|abused|exploited|groomed|sextorted|extorted|pimped|trafficked"),
        "who|that BE_PRES ADV* HARM_ING ADV? OBJ",
    ), self_report=None),
    # --- emergency (needs a time cue): pressure happening now. "men in the chat are telling
    # her to take her clothes off right now"
    Rule("emergency.pressured_now", E, NOW, (
        ("BE_PRES ADV* getting|telling|pressuring|pushing|asking|daring|encouraging OBJ ADV? "
         "to? ADV? @act:SEX_ACT|ACT_NEEDS_OBJ"),
        ("SUBJ BE_PRES ADV* being|getting ADV* pressured|told|pushed|asked|dared|encouraged ADV? "
         "to ADV? @act:SEX_ACT|ACT_NEEDS_OBJ"),
        "telling|getting|making|forcing|pressuring|daring OBJ ADV? to ADV? @act:SEX_ACT",
    ), check=_act_is_abusive, self_report=DISCLOSURE),
    # --- emergency: harm is about to happen. "he's going to hurt her", "coming to get me",
    # "trying to get her into a car", "he's outside my house"
    Rule("emergency.imminent", E, STRONG, (
        "BE_PRES ADV* going|gon|about ADV? to|na ADV? HARM_V OBJ",
        "BE_PRES ADV* coming ADV? back? to? ADV? get|for|after OBJ",
        "trying|try|tries|tried ADV? to ADV? take|grab|drag|get|snatch|force|pull|HARM_V OBJ",
        "trying|try|tries ADV? to ADV? break|get|force ADV? in|into|through",
        "threatening|threatens|threatened ADV? to ADV? come|turn ADV? round|over|back|up|here",
        ("@a:AGENT BE_PRES ADV* waiting? outside|at my|our|the|her|his _? "
         "house|home|door|school|window|flat|work|gate|gates|college"),
        ("@a:AGENT BE_PRES ADV* waiting|hanging|parked|sat|sitting ADV? for? @v:her|him|them|me|us? ADV? "
         "outside|near|by|round _? house|home|door|school|window|flat|gate|gates|college"),
        # "a man is waiting for my son at the end of the road"
        "@a:DANGER_PERSON BE_PRES ADV* waiting|lurking|hanging|parked ADV? around? for OBJ",
        # "he keeps following her home and he's outside now"
        "@a:AGENT BE_PRES ADV* outside|downstairs ADV? now|again|right|already",
    ), check=lambda doc, hit: _not_self_family_kill(doc, hit) and _menacing_presence(doc, hit)),
    # --- emergency (needs a time cue: now, tonight, later, after school, this weekend, on the
    # way): harm arranged or about to happen, with adults, strangers or people met online.
    # "he's picking her up after school", "she's meeting him tonight, he's 30", "they're
    # taking her to another town tomorrow", "my son is on his way to meet the man"
    Rule("emergency.planned", E, PLANNED, (
        "BE_PRES ADV* PLAN_V OBJ",
        "WILL+ ADV? PLAN_V OBJ",
        "@a:AGENT HAVE|BE_PRES? ADV* ARRANGE_V ADV? to ADV? PLAN_V OBJ",
        "@a:AGENT HAVE|BE_PRES? ADV* ARRANGE_V ADV? a|an? _2 room|meet|meeting|taxi|lift|ride",
        "SUBJ BE_PRES ADV* MOVE_ING",
        "SUBJ BE_PRES ADV* on ADV? her|his|their|my|the way",
        "SUBJ HAVE|BE_NOW? ADV* got? ADV? to ADV? go|meet|see|come|stay|deliver|drop|work|sleep|do|carry|take",
        ("SUBJ AUX+ told|ordered|made|expected|supposed|meant|due|asked ADV? to "
         "go|meet|see|come|stay|deliver|drop|work|sleep"),
        ("told|tells|telling|wants|asked|asking|ordered|ordering OBJ ADV? to "
         "ADV? go|meet|see|come|stay|deliver|drop|sleep|be|take|carry"),
        # "the men said they'll come for her after school"
        "@a:AGENT WILL+ ADV? come|coming|be|call|calling ADV? round|back? for|after|to get? OBJ",
        "ARRANGE_V ADV? to ADV? meet|see|visit ADV? _2 DANGER_PERSON|him|them",
        "SUBJ ADV* going|gon ADV? to|na ADV? meet|see|visit|stay|sleep",
        # "my 14 year old has gone to meet a man", "she's snuck out to see him"
        "SUBJ HAVE|'s ADV* gone|went|left|snuck|sneaked|run|ran ADV? off|out? ADV? to ADV? meet|see|visit|stay",
    ), check=_planned_danger),
    # --- emergency: a child being moved now, with risky company or to another town.
    # "he's driving her to another city", "they're moving him to a different flat"
    Rule("emergency.moved_now", E, CURRENT, (
        ("@a:AGENT BE_PRES ADV* taking|driving|moving|bringing|carrying|sending|trafficking OBJ "
         "ADV? to|into|away|off|round|up|down|out _4 PLACE|DESTINATION"),
        "@a:AGENT BE_PRES ADV* taking|driving|moving|carrying|trafficking OBJ ADV? away|off|out",
        "SUBJ AUX+ ADV* MOVE_PP",
        "MOVE_PAST OBJ",
        # "they've put her on a train to london with a man"
        "put|puts|putting OBJ ADV? on|in|into a|the|an _? train|bus|coach|taxi|car|van|plane|uber",
        "SUBJ BE_PRES ADV* being ADV* taken|driven|moved|sent|trafficked|transported ADV? to|into|away|off",
    ), check=_all(_moved_away, _not_dragged_into_a_dispute)),
    # --- emergency: adults giving a child drink or drugs now. "the men are plying her with
    # vodka", "he's giving my son cocaine", "they're getting her drunk at the flat"
    Rule("emergency.supplying", E, CURRENT, _SUPPLY_PATTERNS,
         check=lambda doc, hit: _supplier_not_carer(doc, hit) and _risky_company(doc),
         self_report=DISCLOSURE),
    Rule("emergency.supplying_now", E, NOW, _SUPPLY_PATTERNS, check=_supplier_not_carer,
         self_report=DISCLOSURE),
    # --- emergency: images demanded from a child, with a coercive verb ("he's demanding she
    # sends nudes", "a man is pressuring her for pictures"); only asked ("he keeps asking her
    # for pics") it needs a time cue or a second cue
    Rule("emergency.image_demand", E, CURRENT, _IMAGE_DEMAND_PATTERNS, check=_image_coerced,
         victims=(THIRD, GENERIC), self_report=DISCLOSURE),
    Rule("emergency.image_request_now", E, NOW, _IMAGE_DEMAND_PATTERNS, check=_image_pressure,
         victims=(THIRD, GENERIC), self_report=DISCLOSURE),
    # --- emergency: a threat to spread a child's images (sextortion), reported by an adult.
    # "he says he'll post her pictures unless she sends more"
    Rule("emergency.sextortion", E, CURRENT, (
        "@a:AGENT WILL+ ADV? SHARE_V|leak|post|send|show @v:her|his|their _? IMAGE|SEXUAL_IMAGE",
        ("threatening|threatened|threatens|threaten ADV? to ADV? SHARE_V|leak|post|send|show "
         "@v:her|his|their _? IMAGE|SEXUAL_IMAGE"),
        # "he'll share my girl's nudes", "threatening to post my son's pictures"
        ("@a:AGENT WILL+ ADV? SHARE_V|leak|post|send|show|put my|our|his|her|their MOD? MOD? @v:VICTIM 's "
         "_? IMAGE|SEXUAL_IMAGE"),
        ("threatening|threatened|threatens|threaten ADV? to ADV? SHARE_V|leak|post|send|show|put "
         "my|our|his|her|their MOD? MOD? @v:VICTIM 's _? IMAGE|SEXUAL_IMAGE"),
    ), check=_agent_is_other, victims=(THIRD,), hypo_ok=True),
    # --- emergency: the same threat when the images were named earlier and the threat says
    # "them" or "it": "a man has my son's videos and says he'll post them unless he pays"
    Rule("emergency.sextortion_elided", E, CURRENT, (
        ("threatening|threatened|threatens|threaten ADV? to ADV? SHARE_V|leak|post|send|show|put "
         "@x:them|it|those|these|everything"),
        "@a:AGENT WILL+ ADV? SHARE_V|leak|post|send|show|put @x:them|it|those|these|everything",
    ), check=lambda doc, hit: _images_held_over(doc, hit), victims=(THIRD,), lookback=True,
        hypo_ok=True),
    # --- emergency: a threat to kill or seriously hurt a specific child, reported now
    Rule("emergency.threat_to_kill", E, CURRENT, (
        ("SUBJ WILL+ ADV? be|get ADV? "
         "beaten|hurt|killed|stabbed|attacked|raped|shot|battered|smashed|burned|burnt|jumped"),
        ("WILL ADV? to? ADV? kill|stab|shoot|murder|rape|hurt|harm|beat|attack|burn|strangle|smash|"
         "batter|bash|deck|slash|torture|kidnap OBJ"),
        ("threatening|threatened|threatens|threaten|going ADV? to ADV? kill|stab|burn|smash|petrol|"
         "firebomb|hurt|attack|shoot _? our|my|his|her|their house|home|family|mum|dad|brother|sister"),
        ("threatening|threatened|threatens|threaten ADV? to ADV? "
         "kill|stab|shoot|murder|rape|hurt|harm|beat|attack|burn|strangle OBJ"),
        "SUBJ BE_PRES ADV* a? dead man|meat|boy|girl|kid",
        ("threatening|threatened|threatens|threaten|going|gon ADV? to|na ADV? set ADV? fire|light to? _? "
         "our|my|his|her|their|your house|home|flat|car|door|family"),
        ("threatening|threatened|threatens|threaten|going|gon ADV? to|na ADV? torch|firebomb|petrol|"
         "smash|wreck|trash|burn ADV? up|down? _? our|my|his|her|their|your house|home|flat|car|door"),
        ("WILL ADV? to? ADV? break|snap|smash|cut|slash @v:his|her|their _? "
         "legs|leg|arms|arm|neck|fingers|face|jaw|knees|kneecaps|teeth|head"),
        ("her|his|their family|families|mum|dad|brother|sister WILL+ ADV? be|get ADV? "
         "hurt|killed|stabbed|attacked|beaten|done|burned|burnt"),
        "@a:AGENT|gang|men know|knows where @v:she|he|they|you BE_PRES|live|lives|go|goes|stay|stays",
        "@a:AGENT WILL+ ADV? be ADV? waiting|coming|outside ADV? for OBJ",
    ), check=lambda doc, hit: _not_self_family_kill(doc, hit) and not _leverage(doc, hit),
        hypo_ok=True, victims=(THIRD, GENERIC)),
    # --- emergency: a specific child threatened, said in other words. "the dealer has threatened
    # my son's sister", "he's going to get shanked after school", "she'll regret it if she
    # talks", "they'll do him in", "he'll ruin her life and post her pictures"
    Rule("emergency.threatened", E, CURRENT, (
        "threatened|threatening|threatens|threaten|warned|warning OBJ",
        "SUBJ AUX+ being? ADV* threatened|warned",
        ("SUBJ BE_PRES|WILL+ ADV* going? to? get|getting|be ADV? "
         "shanked|jumped|stabbed|battered|merked|rushed|bottled|slashed|deaded|shot"),
        "SUBJ WILL+ ADV? regret|suffer",
        "SUBJ WILL+ ADV? be ADV? sorry",
        "WILL+ ADV? do|sort|finish OBJ in|over|off",
        "WILL+ ADV? _4 and|or SHARE_V|leak|post|send|show @v:her|his|their _? IMAGE|SEXUAL_IMAGE",
    ), check=lambda doc, hit: _threat_not_sanction(doc, hit) and _not_self_family_kill(doc, hit),
        victims=(THIRD,)),
    # --- emergency: a threat or demand made of another child ("pay or they'll come to the
    # house", "threatening her and demanding money"); the child's own account is a disclosure
    Rule("emergency.threat_or_demand", E, CURRENT, (
        "or|otherwise else? @a:AGENT WILL+ ADV? HARM_V|visit|find|come",
        "BE_PRES ADV* threatening|blackmailing|sextorting|extorting OBJ",
    ), check=lambda doc, hit: not {t.lower_ for t in doc} & {"me", "i", "us", "we", "myself"} - {"i"}
        and _threat_context(doc), hypo_ok=True, victims=(THIRD, GENERIC)),
    # --- emergency: suicide or self-harm intent now
    Rule("emergency.self_harm", E, STRONG, (
        "kill|killing|hurt|hurting|harm|harming|cut|cutting|hang|hanging @v:myself|herself|himself",
        "end|ending @v:my|her|his life",
        ("SUBJ AUX* going|gon|want|wants|wanna|about|trying|threatening ADV? to|na "
         "ADV? die|suicide"),
        "SUBJ AUX* suicidal",
        "@v:i|we ADV? want|wanna ADV? to? die",
    ), victims=(FIRST, THIRD)),
    # --- emergency: a medical emergency. "she's unconscious", "he's not breathing"
    Rule("emergency.medical", E, STRONG, (
        "SUBJ AUX* MEDICAL",
        "SUBJ AUX* passed|blacked out",
        "SUBJ AUX* !NEG ADV? breathing|conscious|responding|waking",
    )),
    # --- emergency: a child is missing now. "she's been missing since last night",
    # "hasn't come home", "I don't know where she is", "can't find him"
    Rule("emergency.missing", E, CURRENT, (
        "SUBJ AUX* missing|disappeared|vanished|gone",
        "SUBJ was|were ADV* missing|gone",
        "SUBJ HAVE? ADV* went|gone|run|ran ADV? missing|away|off",
        ("SUBJ HAVE|BE_NOW|did|does ADV* !NEG ADV* come|came|been|got|returned|arrived "
         "ADV? back|home"),
        "SUBJ HAVE|BE_NOW|did|does ADV* !NEG ADV* turned|showed|turn|show up",
        "SUBJ !never ADV? came|come|returned|got ADV? home|back",
        "!NEG_AUX? !NEG ADV? know|knows where OBJ is|'s|are|'re|was|went|has|might",
        "!nobody|noone know|knows where OBJ",
        "!NEG_AUX !NEG ADV? find|reach|contact|locate|trace OBJ",
        "!NEG_AUX !NEG ADV? get hold of OBJ",
        "reported OBJ missing",
        "SUBJ AUX+ reported missing",
    ), check=_missing_not_object, self_report=None),
    # --- emergency: "... and been missing since friday": the victim is named earlier
    Rule("emergency.missing_elided", E, CURRENT, (
        "been|gone|went ADV? missing|gone",
        "missing since|overnight|for|all|from",
        "SUBJ missing|vanished|disappeared",
    ), check=_missing_not_object, self_report=None, lookback=True),
    # --- emergency: a child is with dangerous adults now. "she's in a car with two men",
    # "at a house she doesn't know", "got into a van with older lads"
    Rule("emergency.dangerous_place", E, CURRENT, (
        ("SUBJ BE_PRES ADV* stuck|trapped|stranded|sat|sitting|waiting|hiding|locked? "
         "in|at|inside|with|round|into _4 PLACE|DANGER_PERSON"),
        # "she's been in a car with men for hours"
        "SUBJ HAVE|'s been ADV* in|at|inside|with _4 PLACE|DANGER_PERSON",
        # "there's a girl of about 12 sitting in a car with three men"
        ("there BE_PRES ADV* a|an|my|our|this|some? MOD? @v:VICTIM _4 sitting|sat|stuck|waiting|locked|"
         "hiding|lying in|at|inside|with|into _4 PLACE|DANGER_PERSON"),
        "SUBJ BE_PRES ADV* out|off|away|round ADV? with _3 PLACE|DANGER_PERSON",
        ("SUBJ HAVE|BE_PRES? ADV* got|get|getting|went|gone|jumped|climbed|taken ADV? in|into|off "
         "_3 PLACE|DANGER_PERSON"),
        "SUBJ BE_PRES ADV* going|heading|running ADV? out|off|away ADV? with _3 DANGER_PERSON",
        "SUBJ BE_PRES ADV* meeting|meets ADV? _3 DANGER_PERSON",
        "SUBJ HAVE? ADV* left|went|gone|drove|driven|ran|run ADV? off? with _3 DANGER_PERSON",
    ), check=_dangerous_company),
    # --- emergency: the child rang in distress. "she just rang me crying", "she texted sos",
    # "begging me to come and get her"
    Rule("emergency.distress_call", E, CURRENT, (
        ("SUBJ rang|called|phoned|texted|messaged|facetimed|snapchatted|text|rings|calls _? ADV? "
         "crying|screaming|scared|terrified|begging|sobbing|panicking|hysterical|whispering|"
         "petrified|sos|help|999"),
        "SUBJ BE_PRES ADV* begging|screaming|crying ADV? for|me|us|to help|me|us|to",
        "SUBJ AUX* asking|begging ADV? me|us to come|pick|collect|fetch",
        ("SUBJ sent|sends|texted|messaged|snapchatted|rang|called _3 saying|said|says|that _? _? "
         "help|sos|999|scared|terrified|trapped|stuck|come|hurt|bleeding"),
    )),
    # --- emergency: stated danger. "she's in danger", "my son is at immediate risk"
    Rule("emergency.in_danger", E, CURRENT, (
        "SUBJ AUX* in ADV? immediate|real|serious|grave|great|big? danger",
        "SUBJ AUX* at ADV? immediate|serious ADV? risk",
    )),
    # --- emergency: recent serious harm. "she's been raped", "she's been hit"
    Rule("emergency.harmed", E, CURRENT, (
        ("SUBJ HAVE|'s ADV* been|got ADV* raped|attacked|assaulted|stabbed|beaten|drugged|spiked|"
         "injected|strangled|shot|hurt|injured|trafficked|sold|hit|punched|kicked|battered|"
         "choked|slapped"),
        ("has|have|'ve|'s ADV* raped|drugged|spiked|attacked|stabbed|beaten|hurt|assaulted|"
         "injected|strangled|battered|kidnapped|abducted OBJ"),
    ), victims=(THIRD, GENERIC)),
    # --- emergency: a dangerous adult in a child's room or home now. "a man is in my
    # daughter's room"
    Rule("emergency.intruder", E, CURRENT, (
        ("@a:DANGER_PERSON BE_PRES ADV* in|inside|into my|her|his|our|their|the _2 "
         "room|bedroom|bed|house|home|flat|bathroom"),
        ("there BE_PRES ADV* _? @a:DANGER_PERSON in|inside|at my|her|his|our|their|the _2 "
         "room|bedroom|bed|house|home|flat|bathroom"),
        "@a:DANGER_PERSON BE_PRES ADV* waiting|parked|sat|sitting|lurking|hanging ADV? around? outside",
    ), check=lambda doc, hit: _agent(doc, hit) not in {"someone", "somebody", "older"}),
    # --- emergency (needs "now", "just", "tonight" or a second cue): a danger state or a
    # harm verb that alone may be a worry or history. "she's scared right now", "he just hit her"
    Rule("emergency.danger_now", E, NOW, (
        "SUBJ AUX* in? DANGER_STATE",
        "SUBJ AUX* !NEG ADV? safe",
        "SUBJ BE_PRES ADV* being ADV* CONCERN_PP",
        "HARM_FORMS OBJ",
        "pick|picking|picked|collect|collecting ADV? OBJ up?",
        "SUBJ HAVE? ADV* come|came|got|arrived|turned|stumbled ADV? home|back|in|up ADV? DANGER_STATE|MEDICAL",
    ), check=lambda doc, hit: _agent(doc, hit) not in _CARER_AGENTS and (
        _not_idiom(doc, hit) if doc[hit.start].lemma_ not in {"be", "come", "get", "arrive", "turn"} else True),
        self_report=None),
    # --- emergency (needs an immediacy cue or a second missing cue): out of contact
    Rule("emergency.no_contact", E, NOW, (
        ("SUBJ HAVE|BE_NOW|did|does|wo|will ADV* !NEG ADV* answering|answered|answer|"
         "replying|replied|reply|responding|responded|picking"),
        "SUBJ AUX* !NEG ADV* home|back|answering",
        "phone|phones BE_AUX* ADV* off|dead|switched|going",
        "phone|it goes|going|went|keeps ADV? going? straight? to voicemail|answerphone",
        "location|whereabouts|tracker|snapmap BE_AUX* ADV* showing|shows|says|saying|at|in",
        "SUBJ AUX* stranded|stuck",
    ), self_report=None),
    # --- emergency (needs a time cue): a specific child made to have sex, sold or passed
    # around. Without "now"/"tonight" it is often a question about grooming models ("he makes
    # her sleep with his mates, what kind of exploitation is that").
    Rule("emergency.sexual_abuse_now", E, NOW, (
        "forces|force|coerces|coerce OBJ",
        ("makes|make|gets|get|has|forces|force|pressures|pressure OBJ ADV? to|into? ADV? "
         "@act:SEX_ACT|ACT_NEEDS_OBJ"),
        ("SUBJ BE_PRES ADV* forced|made|pressured|pimped|prostituted|sold|passed|trafficked|"
         "raped|abused|used"),
        ("sells|sell|pimps|pimp|pimping|prostitutes|prostituting|trafficks|trafficking|passes|"
         "pass|rapes|rape|molests|molest|abuses OBJ"),
        ("SUBJ BE_PRES ADV* sleeping|having|doing ADV? sex|stuff|things? with _3 "
         "DANGER_PERSON|mates|friends"),
    ), check=_act_is_abusive, victims=(THIRD,)),
    # --- disclosure: something abusive done to me. "he forced me", "they threaten me",
    # "my uncle touches me", "he hits me", "they pass me round"
    Rule("disclosure.abuse_to_me", D, DISCLOSE, (
        "~ABUSE_V ADV? @v:FIRST_OBJ",
        "FORCE_V ADV? @v:FIRST_OBJ",
        ("pass|passes|passed|passing|share|shares|shared|sharing @v:me|us "
         "around|round|about|between|with"),
        "took|take|takes|taking|taken turns ADV? on|with @v:me|us",
        "do|does|did|doing stuff|things ADV? to @v:me|us",
        ("AGENT ADV? gets|get|goes|go|becomes|got|went ADV? angry|mad|violent|nasty|aggressive|"
         "moody if|when @v:i|we"),
    ), check=_not_idiom, victims=_ME),
    # --- disclosure: I was / am being abused. "I'm being forced", "I was raped", "I got
    # touched"
    Rule("disclosure.abused_passive", D, DISCLOSE, (
        "@v:FIRST_SUBJ BE_AUX+ ADV* sexually? ABUSE_PP",
    ), check=_by_abuser, victims=_ME),
    # --- disclosure: made to do sexual or exploitative things. "he makes me do things",
    # "my bf makes me sleep with his mates", "I have to do stuff for them"
    Rule("disclosure.made_to", D, DISCLOSE, (
        "MAKE_V|FORCE_V ADV? @v:FIRST_OBJ ADV? to? ADV? @act:SEX_ACT|ACT_NEEDS_OBJ",
        "@v:FIRST_SUBJ ADV* have|has|got|had ADV? to ADV? @act:SEX_ACT|ACT_NEEDS_OBJ",
        ("@v:FIRST_SUBJ BE_AUX* ADV* expected|supposed|meant|told|made|paid ADV? to ADV? "
         "@act:SEX_ACT|ACT_NEEDS_OBJ"),
        ("take|takes|took|taking|drive|drives|drove|bring|brings|brought|send|sends|sent "
         "@v:me|us _3 PLACE|parties|party|meets"),
        "made|makes|make|making @v:me|us",
        "and|then|get|got|getting|being|was|been made|forced|paid|told ADV? to ADV? @act:SEX_ACT|ACT_NEEDS_OBJ",
        # "i get driven to a flat and made to have sex with his mates"
        ("@v:i|we ADV* get|got|getting|am|'m|was|were|been|being _6 and|then ADV? made|forced|paid "
         "ADV? to ADV? @act:SEX_ACT|ACT_NEEDS_OBJ"),
    ), check=_all(_act_is_abusive, _agent_is_other, _took_me_somewhere, _made_me_alone),
        victims=_ME),
    # --- disclosure: my images shared or held over me. "he'll share my pictures",
    # "he has pics of me", "my nudes got leaked"
    Rule("disclosure.image_abuse", D, DISCLOSE, (
        "SHARE_V _? _? @v:my|our _? IMAGE",
        "HAVE_V|got|stole|stolen|hacked|saved|screenshotted @v:my|our _? IMAGE",
        "SHARE_V _? IMAGE|them|it|those|these _? of @v:me|us|myself",
        ("HAVE_V|take|takes|took|taken|taking|filmed|recorded|keeps|kept|saved _? _? IMAGE _? of "
         "@v:me|us|myself"),
        "@v:my|our _? IMAGE BE_AUX+ ADV* SHARE_V",
        "IMAGE of @v:me|us|myself ADV? naked|nude|topless|undressed|in",
        ("filmed|filming|films|recorded|recording @v:me|us ADV? "
         "naked|having|doing|in|undressing|without"),
        "HAVE_V|got ADV? @x:IMAGE",
    ), check=_image_agent_other, victims=_ME),
    # --- disclosure: asked or pushed for sex or sexual images. "this guy wants nudes",
    # "he keeps asking me to send pics", "they all want sex"
    Rule("disclosure.sexual_request", D, DISCLOSE, (
        "REQUEST_V REQ_FILL? REQ_FILL? REQ_FILL? REQ_FILL? SEXUAL_IMAGE",
        ("REQUEST_V ADV? @v:me|us ADV? to? ADV? send|take|show|do|share|film _? _? _? "
         "IMAGE|body|pictures|clothes|off"),
        "REQUEST_V ADV? @v:me|us ADV? to? ADV? go|get ADV? on? webcam|cam|camera|facetime|video",
        "REQUEST_V ADV? for more|others|another|new",
        "REQUEST_V ADV? me|us? for _? IMAGE of @v:me|my|myself|us",
        ("want|wants|wanted|wanting|asking|asks|asked|demanding|demands|pressuring|pressures|"
         "begging|begs ADV? @v:me|us? ADV? for? sex"),
        "keeps|keep|kept|constantly|always ADV? REQUEST_V ADV? @v:me|us ADV? for|to _3 IMAGE",
        "DEMAND_V ADV? @v:me|us ADV? for|to _3 IMAGE",
    ), check=_all(_requester_is_other, _request_context, lambda doc, hit: not _images_of_a_thing(doc)),
        victims=(FIRST, GENERIC)),
    # --- disclosure: conditional threats, the child's own "if": "if I tell anyone he'll hurt
    # my mum", "if I don't send more he'll post them", "or he'll tell everyone"
    Rule("disclosure.conditional_threat", D, DISCLOSE, (
        ("or|unless|otherwise else? @a:AGENT WILL ADV? to? ADV? "
         "SHARE_V|tell|expose|HARM_V|post|send|show|ruin|leave|dump|finish|drop|kick"),
        ("if|unless @v:i|we !NEG_AUX? !NEG? ADV? send|do|sleep|meet|have|give|go|come|pay _? _? "
         "IMAGE|SEX_ACT|sex|nudes|stuff|things"),
        ("if @v:i|we ADV? !NEG_AUX? !NEG? ADV? tell|told|say|speak|report|grass|snitch|talk|go|"
         "do|send|stop|leave|refuse _3 ,? @a:AGENT WILL ADV? to? ADV? "
         "HARM_V|SHARE_V|tell|expose|post"),
        "unless @v:i|we ADV? send|do|sleep|meet|give|pay|have|go|come",
        "if|unless @v:i|we !NEG_AUX !NEG ADV? _3 ,? he|she|they|him|xxname WILL",
    ), hypo_ok=True, victims=(FIRST, GENERIC)),
    # --- disclosure: sextortion and secrecy. "he's threatening to post my pics", "he told me
    # not to tell", "it's our secret", "nobody will believe me"
    Rule("disclosure.threat", D, DISCLOSE, (
        "told|tells|said|says|warned|threatened @v:me|us? !not|never to tell|say|speak|grass",
        "our ADV? little? secret",
        "keep|kept|keeping it|this|everything ADV? a? secret",
        "!nobody|noone|no will|would|'ll|gon|going ADV? believe @v:me|us",
        ("threatening|threatened|threatens|threaten ADV? to ADV? "
         "SHARE_V|tell|expose|post|send|show|leak"),
    ), check=_secret_keeper, victims=(FIRST, GENERIC)),
    # --- disclosure: a threat to spread images or secrets already mentioned. "I sent him pics
    # and now he says he'll share them", "he'll tell everyone what I did"
    Rule("disclosure.exposure_threat", D, DISCLOSE, (
        ("AGENT WILL ADV? to? ADV? SHARE_V|leak|post|send|show "
         "@x:them|it|those|these|everything|everyone|everybody"),
        "AGENT WILL ADV? to? ADV? SHARE_V|leak|post|send|show my|our _? @x:IMAGE",
        ("AGENT WILL ADV? to? ADV? tell|show|expose "
         "@x:everyone|everybody|people|my|the|school|mum|dad|parents"),
    ), check=lambda doc, hit: _agent_is_other(doc, hit) and _exposure_context(doc),
        hypo_ok=True, victims=(FIRST, GENERIC)),
    # --- disclosure: a threat against me or my family. "he'll hurt my mum", "he said he'd
    # kill me"
    Rule("disclosure.threat_to_me", D, DISCLOSE, (
        ("WILL|threatening|threatened|threatens|threaten ADV? to? ADV? HARM_V ADV? "
         "my|our? _? @v:FIRST_OBJ|FAMILY"),
        # "they said they'd come to my house and hurt my family"
        "WILL ADV? _5 and ADV? HARM_V ADV? my|our _? @v:FIRST_OBJ|FAMILY",
        "knows|know where @v:i|we live|go|am|'m|stay",
    ), check=_threat_victim_mine, hypo_ok=True, victims=(FIRST, GENERIC)),
    # --- disclosure: drugs, drink or money given to me by abusers. "they give me weed",
    # "he pays me for pics", "they got me drunk"
    Rule("disclosure.rewards", D, DISCLOSE, (
        ("give|gives|gave|giving|buy|buys|bought|buying|supply|supplies|get|gets|got|sell|sells "
         "ADV? @v:me|us ADV? _? and|or? _? DRUG"),
        ("pay|pays|paid|paying|give|gives|gave|offer|offers|offered @v:me|us _? and? _? _? "
         "for|to ADV? do? _2 IMAGE|SEX_ACT|stuff|things|it|sex"),
        ("got|get|gets|getting|make|makes|made|making @v:me|us ADV? "
         "drunk|high|wasted|stoned|pissed|smashed|mashed|wrecked"),
    ), check=_all(_agent_is_other, lambda doc, hit: _agent(doc, hit) not in {"mum", "dad"}),
        victims=_ME),
    # --- disclosure: in debt to abusers. "I owe them money", "I have to repay him"
    Rule("disclosure.debt", D, DISCLOSE, (
        "@v:i|we ADV* owe|owes|owed @a:him|them|these|those|the|my|a|his|her|their",
        "@v:i|we ADV* have|has|got ADV? to ADV? repay|pay|payback @a:him|them|it back?",
    ), check=_debt_context, victims=_ME),
    # --- disclosure: sex with adults. "I'm sleeping with older men for money"
    Rule("disclosure.sex_with_adults", D, DISCLOSE, (
        "sleeps|slept|sleeping|sex|shags|shagged|shagging with @v:me|us",
        ("@v:FIRST_SUBJ BE_AUX* ADV* !NEG_AUX? !NEG? ADV? "
         "sleeping|slept|sleep|having|had|have|shagging|doing|did ADV? "
         "sex|stuff|things? with _3 DANGER_PERSON|mates|friends|cousins|him|them|#"),
    ), check=_dangerous_company, victims=_ME),
    # --- disclosure: someone asking the child for images, insisting or threatening. "he keeps
    # asking me for pics", "send one or else", "he wants a video of me"
    Rule("disclosure.image_request", D, DISCLOSE, (
        "REQUEST_V ADV? @v:me|us _3 for _2 IMAGE",
        # "asking me and my mate (both 12) for pics"
        "REQUEST_V ADV? @v:me|us and|& my|our? _ (? _? _? _? _? )? ADV? for _2 IMAGE|SEXUAL_IMAGE",
        "REQUEST_V ADV? for _2 IMAGE",
        "REQUEST_V ADV? a|some|more? IMAGE of @v:me|us|myself",
        "send|sending ADV? _2 or else|otherwise",
        "send|sending @x:him|them ADV? _? IMAGE|SEXUAL_IMAGE",
    ), check=lambda doc, hit: _requester_is_other(doc, hit) and _image_request_pressure(doc),
        hypo_ok=True, victims=(FIRST, GENERIC)),
    # --- disclosure: a child saying it is happening to them. "it's happening to me", "this is
    # what he does to me", "I think it's happening to me too"
    Rule("disclosure.happening_to_me", D, DISCLOSE, (
        ("it|this|that|stuff|things|something|all BE_AUX* ADV* happening|happened|going|done "
         "ADV? on? to @v:me|us"),
        "what|that @a:AGENT ADV? does|did|do|is|'s ADV? doing? to @v:me|us",
    ), check=lambda doc, hit: "a" not in hit.slots or _agent_is_other(doc, hit), victims=_ME),
    # --- disclosure: sexual touching. "he touches my private parts", "puts his hand down my
    # pants", "comes into my room at night"
    Rule("disclosure.touching", D, DISCLOSE, (
        "~TOUCH_LEMMA _3 @v:my BODY",
        ("trying|tries|tried|keeps|kept|keep ADV? to? kiss|kissing|touch|touching|grab|grabbing|"
         "feel|feeling|grope|groping @v:me|us"),
        ("come|comes|came|coming|get|gets|got|getting|climb|climbs|climbed into|in @v:my "
         "bed|room|bedroom _? night?"),
    ), check=_agent_is_other, victims=_ME),
    # --- disclosure: an adult in the child's life kissing or touching them, or in their room
    # again. "a teacher has been kissing me", "he's in my room again"
    Rule("disclosure.adult_contact", D, DISCLOSE, (
        "kissing|touching|groping|fondling|feeling|cuddling ADV? @v:me|us",
        "in|into @v:my bed|room|bedroom ADV* again|every|tonight|at",
    ), check=lambda doc, hit: _agent_is_other(doc, hit) and _adult_in_life(doc), victims=_ME),
    # --- disclosure: online grooming. "a man sent me pics of his dick", "he wants to meet me"
    Rule("disclosure.online_grooming", D, DISCLOSE, (
        "sent|sends|sending|send|showed|shows|showing @v:me|us _3 IMAGE|porn|dick|penis|willy|cock",
        "REQUEST_V ADV? to ADV? meet @v:me|us",
        "REQUEST_V ADV? @v:me|us ADV? to ADV? meet",
        "REQUEST_V ADV? @v:me|us? what @v:i|we BE_PRES wearing",
    ), check=lambda doc, hit: (_sexual_content(doc, hit) if doc[hit.start].lower_ in
                               {"sent", "sends", "sending", "send", "showed", "shows",
                                "showing"} else _online_contact(doc, hit)), victims=_ME),
)


# ---------------------------------------------------------------------------------------------
# The compiled detector
# ---------------------------------------------------------------------------------------------


@dataclass
class _Detector:
    """The shared pipeline, the compiled rule matcher and the cue phrase matcher."""

    nlp: Language
    matcher: Matcher
    phrases: PhraseMatcher
    compiled: dict[str, tuple[Rule, Compiled]] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def _detector() -> _Detector:
    """Build the matchers once (check() runs on every message)."""
    nlp = get_nlp()
    lex = _lexicon()
    matcher = Matcher(nlp.vocab)
    detector = _Detector(nlp, matcher, PhraseMatcher(nlp.vocab, attr="LOWER"))
    for rule in RULES:
        for n, spec in enumerate(rule.patterns):
            key = f"{rule.name}#{n}"
            compiled = _compile(spec, lex)
            matcher.add(key, [compiled.pattern])
            detector.compiled[key] = (rule, compiled)
    for name, phrases in lex.phrases.items():
        detector.phrases.add(name, [nlp.make_doc(p) for p in phrases])
    return detector


# ---------------------------------------------------------------------------------------------
# Context: sentences, clauses and the guard cues found once per message
# ---------------------------------------------------------------------------------------------

_CLAUSE_PUNCT = {",", ":", "-", "\u2013", "\u2014", "(", ")", '"'}


@dataclass
class _Context:
    """Everything the guards need, computed once per message."""

    doc: Doc
    sent_of: list[int]
    clause_of: list[int]
    sent_start: dict[int, int]  # sentence id -> first token index
    questions: set[int]  # sentence ids
    negations: set[int]  # token indices
    modals: set[int]
    worries: set[int]
    explicit_now: set[int]  # sentence ids with "right now", "currently" ...
    any_now: set[int]  # sentence ids with any immediacy cue
    soon: set[int]  # sentence ids with an immediacy or a planned-time cue ("after school")
    soon_sure: set[int]
    message_now: bool  # an explicit immediacy cue anywhere
    hypo_marks: list[int]  # token indices of hypothetical markers
    frame_marks: list[int]  # token indices where a guidance-question frame starts
    habitual: set[int]  # sentence ids
    habitual_clauses: set[int]
    resolved: bool  # the message says it is over / historic
    rating: bool  # the message is a typed screening answer ("..., high")
    adult_survivor: bool  # an adult speaking about their own childhood
    third_party: bool  # the message names a specific child other than the speaker
    threat_claim: bool  # "he says he will", "he's threatening": an abuser's stated threat
    first_person: bool
    speaker_object: bool  # "me"/"us" appear: the speaker is on the receiving end
    historic_clauses: set[int]  # clauses with "last year", "used to" ...
    historic_sents: set[int]
    classify_sents: set[int]  # "..., is that CSE?", "which model": a description to classify
    now_tokens: set[int]  # where an immediacy or planned-time cue starts


def _segment(doc: Doc) -> tuple[list[int], list[int], dict[int, int]]:
    """Sentence and clause number of every token, and where each sentence starts."""
    sent_of: list[int] = []
    clause_of: list[int] = []
    sent_start: dict[int, int] = {0: 0}
    sent = clause = 0
    new_sent = False
    for tok in doc:
        if new_sent and not (tok.text in _SENT_END or tok.is_space):
            sent += 1
            clause += 1
            sent_start[sent] = tok.i
            new_sent = False
        if tok.lower_ in _CLAUSE_WORDS or tok.text in _CLAUSE_PUNCT:
            clause += 1
        sent_of.append(sent)
        clause_of.append(clause)
        if tok.text in _SENT_END or "\n" in tok.text:
            new_sent = True
    return sent_of, clause_of, sent_start


def _is_question(doc: Doc, start: int, end: int) -> bool:
    """A question: a "?", a clause opening with a wh-word, or an opening auxiliary."""
    lex = _lexicon()
    words = [t for t in doc[start:end] if not t.is_space]
    if not words:
        return False
    if any(t.text == "?" for t in words):
        return not _asks_only_what_to_do(words)
    # a wh-word opening any clause: "I'm writing a training session, what are signs ..."
    for i, tok in enumerate(words):
        if i == 0 or words[i - 1].text in _CLAUSE_PUNCT or words[i - 1].lower_ in _CLAUSE_WORDS:
            nxt = words[i + 1].lower_ if i + 1 < len(words) else ""
            if tok.lower_ in lex["WH"] and nxt not in {"i", "we"} | lex["P3"]:
                return True
            if i == 0 and tok.lower_ in lex["AUX_Q"] and nxt not in lex["NEG"]:
                return True
    return False


_WHAT_TO_DO = re.compile(
    r"^(?:what (?:should|do|shall|can|would) (?:i|we) do"
    r"|(?:should|do|shall|can|must) (?:i|we) (?:ring|call|phone|contact|tell|report|wait|go|do|get)"
    r"|(?:who|where) (?:should|do|shall|can) (?:i|we) (?:ring|call|phone|contact|tell|report|go))\b")


def _asks_only_what_to_do(words: list[Token]) -> bool:
    """A report that ends by asking what to do ("..., there are three of them up there now,
    should I ring someone?"): the last clause asks for help and an earlier one of four or more
    words reports. Such a sentence is not a question about the event."""
    starts = [0] + [i for i in range(1, len(words)) if words[i - 1].text in _CLAUSE_PUNCT
                    or words[i - 1].lower_ in {"and", "but", "so"}]
    last = starts[-1]
    if last < 4:
        return False
    clause = " ".join(t.lower_ for t in words[last:] if not t.is_punct)
    return bool(_WHAT_TO_DO.match(clause)) and not any(t.text == "?" for t in words[:last])


def _negations(doc: Doc, sent_start: dict[int, int]) -> set[int]:
    """Token indices of negation words (not the "no" that answers the bot)."""
    lex = _lexicon()
    starts = set(sent_start.values())
    out: set[int] = set()
    for tok in doc:
        word = tok.lower_
        if word not in lex["NEG"] and word not in {"nobody", "noone", "nothing"}:
            continue
        # a sentence-initial "no," / "no she's ..." answers the bot; "no one" still negates
        if word == "no" and tok.i in starts and _next(doc, tok.i + 1) not in {"one", "body",
                                                                              "longer"}:
            continue
        if word == "no" and _next(doc, tok.i + 1) in {"idea", "way", "clue"}:
            continue
        out.add(tok.i)
    return out


def _phrase_spans(det: _Detector, doc: Doc) -> dict[str, list[tuple[int, int]]]:
    """The cue phrases found, by list name."""
    found: dict[str, list[tuple[int, int]]] = {}
    for match_id, start, end in det.phrases(doc):
        found.setdefault(det.nlp.vocab.strings[match_id], []).append((start, end))
    return found


def _rating_answer(doc: Doc) -> bool:
    """A typed screening answer: "high", "she's 14, medium", "... sometimes, high"."""
    lex = _lexicon()
    words = [t for t in doc if not t.is_punct and not t.is_space]
    if not words:
        return False
    last, first = words[-1], words[0]
    if last.lower_ == "risk" and len(words) > 1:
        last = words[-2]
    for tok in (last, first):
        if tok.lower_ not in lex["RATING"]:
            continue
        before = doc[tok.i - 1].lower_ if tok.i > 0 else ""
        if before in lex["BE"] | {"so", "very", "really", "getting", "got", "get", "too"}:
            continue
        if tok is last and (tok.i == 0 or doc[tok.i - 1].is_punct or len(words) <= 8):
            return True
        if tok is first and tok.i + 1 < len(doc) and doc[tok.i + 1].is_punct:
            return True
    return False


def _adult_survivor(doc: Doc, spans: dict[str, list[tuple[int, int]]]) -> bool:
    """An adult talking about their own childhood ("I was groomed when I was 14, now I'm a
    social worker"), not a child disclosing."""
    if spans.get("ADULT_SURVIVOR") or (_own_age(doc) or 0) >= 18:
        return True
    text = " ".join(t.lower_ for t in doc)
    if not re.search(r"\bwhen i was (\d+|a|younger|little|small)\b", text):
        return False
    # "when i was 12 ... im 14 now" is a child: an age said now decides
    ages = re.findall(r"\b(?:i 'm|i am)(?: now)? (\d\d?)\b", text)
    if ages:
        return any(int(age) >= 18 for age in ages)
    return bool(re.search(r"\b(now i 'm|i 'm now|now i am|i am now)\b", text))


_SCENE_ING = {"sitting", "standing", "waiting", "crying", "screaming", "lying", "hanging", "being",
              "getting", "shouting", "sat", "stood", "parked", "knocking", "banging", "hiding"}


def _presentative(doc: Doc, sent_of: list[int]) -> set[int]:
    """"There's a girl of about 12 sitting in a car with three men": a scene in front of the
    writer is happening now. "there is/are" and a scene word within eight words."""
    out: set[int] = set()
    for tok in doc:
        if tok.lower_ != "there" or _next(doc, tok.i + 1) not in {"is", "'s", "are", "'re"}:
            continue
        if any(t.lower_ in _SCENE_ING and sent_of[t.i] == sent_of[tok.i] for t in doc[tok.i + 2: tok.i + 10]):
            out.add(sent_of[tok.i])
    return out


def _context(det: _Detector, doc: Doc) -> _Context:
    """Find the guard cues of one message: sentences, questions, negation, immediacy,
    hypotheticals, guidance frames, habit, history, screening ratings, who speaks."""
    lex = _lexicon()
    sent_of, clause_of, sent_start = _segment(doc)
    n_sents = max(sent_of, default=0) + 1
    ends = {s: (sent_start[s + 1] if s + 1 in sent_start else len(doc)) for s in range(n_sents)}
    questions = {s for s in range(n_sents) if _is_question(doc, sent_start[s], ends[s])}
    spans = _phrase_spans(det, doc)

    not_now = {i for a, b in spans.get("NOT_IMMEDIATE", []) for i in range(a, b)}
    explicit = {sent_of[a] for a, b in spans.get("IMMEDIATE_EXPLICIT", [])
                if not set(range(a, b)) & not_now}
    weak = {sent_of[a] for a, b in spans.get("IMMEDIATE_WEAK", [])
            if not set(range(a, b)) & not_now}
    # "just" before a verb: "she just rang", "he's just hit her"
    weak |= _presentative(doc, sent_of)
    weak |= {sent_of[t.i] for t in doc if t.lower_ == "just" and _next(doc, t.i + 1) not in
             {"a", "an", "the", "want", "wanted", "wondering", "curious", "asking", "to", "need",
              "like", "in", "for", "about", "checking", "one", "trying", "because"}}

    not_hypo = {b - 1 for a, b in spans.get("NOT_HYPO", [])}
    hypo = sorted({a for a, b in spans.get("HYPO", []) if b - 1 not in not_hypo
                   and a not in not_hypo})
    # "when" is hypothetical in a question ("what happens when a child is held?")
    hypo += [t.i for t in doc if t.lower_ == "when" and sent_of[t.i] in questions]
    # "what does X mean"
    frames = [a for a, _ in spans.get("GUIDANCE_FRAME", [])]
    for s in questions:
        words = {t.lower_ for t in doc[sent_start[s]: ends[s]]}
        if words & {"mean", "means", "meaning", "meant", "define", "definition"}:
            frames.append(sent_start[s])

    negations = _negations(doc, sent_start)
    historic = spans.get("HISTORIC", [])
    resolved = False
    hurt = lex["DANGER_STATE"] | lex["MEDICAL"] | lex["DISTRESS"] | {
        "with", "covered", "really", "so", "stoned", "high", "smashed", "mashed", "wrecked", "off",
        "smelling", "out", "very", "absolutely", "completely"}
    for a, b in spans.get("RESOLVED", []):
        window = range(max(0, a - 3), a)
        if _next(doc, b) in hurt:
            continue  # "came home bleeding", "came back with a stab wound": not over
        if not any(i in negations and clause_of[i] == clause_of[a] for i in window):
            resolved = True

    words = {t.lower_ for t in doc}
    return _Context(
        doc=doc,
        sent_of=sent_of,
        clause_of=clause_of,
        sent_start=sent_start,
        questions=questions,
        negations=negations,
        modals={t.i for t in doc if t.lower_ in lex["MODAL"] and _next(doc, t.i + 1) not in
                lex["NEG"]},
        worries={t.i for t in doc if t.lower_ in lex["WORRY"]},
        explicit_now=explicit,
        any_now=explicit | weak,
        soon=explicit | weak | {sent_of[a] for a, b in spans.get("IMMEDIATE_PLANNED", [])
                                if not set(range(a, b)) & not_now},
        # a cue that says now or soon by itself ("since", "still", "yet" only carry a state on)
        soon_sure=explicit | {sent_of[a] for name in ("IMMEDIATE_WEAK", "IMMEDIATE_PLANNED")
                              for a, b in spans.get(name, []) if not set(range(a, b)) & not_now
                              and doc[a:b].text.lower() not in {"since", "still", "yet"}},
        message_now=bool(explicit),
        hypo_marks=sorted(hypo),
        frame_marks=sorted(frames),
        habitual={sent_of[a] for a, b in spans.get("HABITUAL", [])},
        habitual_clauses={clause_of[a] for a, b in spans.get("HABITUAL", [])},
        resolved=resolved,
        rating=_rating_answer(doc),
        adult_survivor=_adult_survivor(doc, spans),
        third_party=bool(words & lex["RELATION"]) or any(
            t.lower_ in lex["PERSON"] and _victim_class(doc, t.i) == THIRD for t in doc),
        first_person=bool(words & (lex["FIRST_SUBJ"] | lex["FIRST_OBJ"] | lex["FIRST_POSS"])),
        speaker_object=bool(words & lex["FIRST_OBJ"]),
        threat_claim=bool(spans.get("THREAT_CLAIM")),
        historic_clauses={clause_of[a] for a, _ in historic},
        historic_sents={sent_of[a] for a, _ in historic},
        classify_sents={sent_of[a] for a, _ in spans.get("CLASSIFY_FRAME", [])},
        now_tokens={a for name in ("IMMEDIATE_EXPLICIT", "IMMEDIATE_WEAK", "IMMEDIATE_PLANNED")
                    for a, b in spans.get(name, []) if not set(range(a, b)) & not_now
                    and doc[a:b].text.lower() not in {"since", "still", "yet"}},
    )


# ---------------------------------------------------------------------------------------------
# Victims
# ---------------------------------------------------------------------------------------------


def _determiner(doc: Doc, i: int) -> str:
    """The nearest determiner or possessive to the left of a noun ("my 14 year old daughter")."""
    lex = _lexicon()
    for tok in reversed(doc[max(0, i - 5): i]):
        word = tok.lower_
        if word in lex["SPECIFIC_DET"] or word in lex["GENERIC_DET"] or word == "xxname":
            return word
        if not (tok.like_num or word in _NOUN_MODIFIERS):
            break  # "abusers show children": a verb, so "children" has no determiner
    return ""


def _victim_class(doc: Doc, i: int) -> str:
    """Who the person word at i is: the speaker, one real child, a generic or plural one."""
    lex = _lexicon()
    word = doc[i].lower_
    if word in lex["FIRST_SUBJ"] | lex["FIRST_OBJ"] | {"my", "our"}:
        return FIRST
    if word in {"they", "them", "themselves"}:
        sentence_words = {t.lower_ for t in _sentence_of(doc, i)}
        plural_people = {"children", "kids", "people", "victims", "teenagers", "teens", "pupils",
                         "students", "girls", "boys", "youngsters"} | lex["GENERIC_AGENT"]
        if not sentence_words & plural_people:
            return THIRD
        # "two of our girls ... they're going back": the group is named with "our", "my"
        groups = [t for t in _sentence_of(doc, i) if t.lower_ in plural_people]
        specific = all(_determiner(doc, t.i) in lex["SPECIFIC_DET"] and t.lower_ not in lex["GENERIC_AGENT"]
                       for t in groups)
        return THIRD if specific else PLURAL
    if word in lex["P3"] or word in lex["RELATION"]:
        return THIRD
    if word in lex["INDEF"]:
        return GENERIC
    det = _determiner(doc, i)
    if det in lex["SPECIFIC_DET"] or det == "xxname":
        return THIRD
    plural = (word.endswith("s") and word not in {"boss"}) or word in {"children", "people"}
    return PLURAL if plural and det not in {"a", "an"} else GENERIC


# ---------------------------------------------------------------------------------------------
# Guards
# ---------------------------------------------------------------------------------------------


def _negated(ctx: _Context, hit: Hit) -> bool:
    """A negation in the 4 words before the match (same clause) or inside it, other than the
    rule's own ("won't let her leave" is the danger, "she is not in danger" is not)."""
    clause = ctx.clause_of[hit.start]
    window = [i for i in range(max(0, hit.start - 4), hit.start) if ctx.clause_of[i] == clause]
    inside = [i for i in range(hit.start, hit.end) if i not in hit.own]
    return any(i in ctx.negations for i in window + inside)


def _after_mark(ctx: _Context, marks: list[int], hit: Hit) -> int | None:
    """The last marker before the match in the same sentence, if any."""
    sent = ctx.sent_of[hit.start]
    found = [m for m in marks if m <= hit.start and ctx.sent_of[m] == sent]
    return found[-1] if found else None


def _generic_in(doc: Doc, start: int, end: int) -> bool:
    """A generic person between a hypothetical marker and the match: "if a child ...",
    "what if someone ..." (not a real abuser)."""
    lex = _lexicon()
    for tok in doc[start:end]:
        word = tok.lower_
        if word in lex["INDEF"] or word in lex["GENERIC_AGENT"]:
            return True
        if word in lex["PERSON"] | {"man", "guy", "woman", "adult", "stranger"} and \
                _determiner(doc, tok.i) in {"a", "an", "any", "the", "some", ""}:
            return True
    return False


def _hypothetical(ctx: _Context, hit: Hit) -> bool:
    """Inside "if ...", "what if ...", "what should I do if ...", or a guidance-question frame.
    A child's conditional threat ("if I tell he'll hurt me") or a hypothetical about a definite
    abuser and the speaker ("what if he shares my pics") is still a disclosure."""
    mark = _after_mark(ctx, ctx.hypo_marks, hit)
    frame = _after_mark(ctx, ctx.frame_marks, hit)
    if mark is None and frame is None:
        return False
    if _turned_to_now(ctx, max(m for m in (mark, frame) if m is not None), hit):
        return False
    if mark is not None and frame is None and any(
            t.lower_ == "now" and ctx.doc[t.i - 1].lower_ in {"and", "but", "so", ","}
            for t in ctx.doc[mark + 1: hit.start] if t.i > 0):
        return False  # "he said if I loved him I'd do it, and now he makes me": back to fact
    if hit.rule.kind == EMERGENCY:
        # "they said if he doesn't pay they'll stab him": a threat reported, not imagined
        reported = mark is not None and frame is None and hit.rule.hypo_ok and any(
            t.lower_ in {"said", "says", "saying", "told", "tells", "telling", "threatened", "message",
                         "messages", "texted", "warned"} for t in ctx.doc[max(0, mark - 4): mark])
        return not reported
    if frame is not None and (mark is None or frame <= mark) and _generic_in(
            ctx.doc, frame, hit.end):
        return True
    start = mark if mark is not None else frame
    assert start is not None
    if hit.rule.hypo_ok:
        return False
    if _generic_in(ctx.doc, start, hit.end) or not ctx.threat_claim:
        return True
    # "what if he shares my pics, he says he will tomorrow": a real abuser's stated threat
    definite = {"he", "she", "they", "him", "them", "my", "his", "this", "that", "xxname"}
    return not any(t.lower_ in definite for t in ctx.doc[start + 1: hit.end])


def _turned_to_now(ctx: _Context, mark: int, hit: Hit) -> bool:
    """A long message that opens with a question, a worry or a hypothetical and then turns to
    what is happening ("I was reading about the signs because ..., but he hasn't come home
    tonight"): a "but" (or "anyway") after the marker, and a now or soon cue after that, in the
    same sentence as the match. The marker no longer covers the match."""
    sent = ctx.sent_of[hit.start]
    turns = [t.i for t in ctx.doc[mark + 1: hit.start] if t.lower_ in {"but", "however", "anyway"}
             and ctx.sent_of[t.i] == sent]
    if not turns:
        return False
    return any(i > turns[-1] and ctx.sent_of[i] == sent for i in ctx.now_tokens)


def _quoted(ctx: _Context, hit: Hit) -> bool:
    """Inside double quotes in a message that frames them as a film, a scenario or training
    material ("a character says \"...\""): not the writer's own report."""
    doc = ctx.doc
    if _colon_frame(doc) is not None and hit.start > _colon_frame(doc):
        return True
    marks = [t.i for t in doc if t.text == '"']
    inside = any(a < hit.start < b for a, b in zip(marks[::2], marks[1::2], strict=False))
    return inside and bool({t.lower_ for t in doc} & _lexicon()["QUOTE_FRAME"])


_FICTION = {"film", "films", "movie", "soap", "drama", "episode", "programme", "series", "story",
            "book", "novel", "play", "scene", "script", "scenario", "roleplay", "character",
            "training", "lesson", "presentation", "leaflet", "poster", "advert", "campaign",
            "video", "documentary", "study", "game", "exercise", "vignette"}
_DEPICT = {"shows", "showed", "showing", "depicts", "depicted", "features", "featured", "portrays",
           "where", "about", "in", "when", "had", "has"}


def _fiction_frame(doc: Doc, end: int) -> bool:
    """Before `end`, in its sentence: "in the soap ...", "the training video shows ...", "a
    drama where ...": what follows is the material's story, not the writer's report."""
    sent = _sentence_of(doc, end)
    words = [t.lower_ for t in sent if t.i < end]
    for k, word in enumerate(words):
        if word not in _FICTION:
            continue
        before = words[max(0, k - 3): k]
        after = words[k + 1: k + 3]
        if not set(before) & {"the", "a", "an", "this", "our", "that", "in"}:
            continue
        if "in" in before or set(after) & _DEPICT:
            return True
    return False


def _fiction(ctx: _Context, hit: Hit) -> bool:
    """A story told from a film, a soap or training material, about a child who is not the
    writer's ("my daughter is in a video he's sharing" is still a report)."""
    victim = hit.slots.get("v")
    if victim is not None and _determiner(ctx.doc, victim) in {"my", "our"}:
        return False
    if victim is not None and ctx.doc[victim].lower_ in _lexicon()["FIRST_SUBJ"] | _lexicon()["FIRST_OBJ"]:
        return False
    lex = _lexicon()
    people = lex["RELATION"] | lex["PERSON"]
    if any(t.lower_ in {"my", "our"} and {u.lower_ for u in ctx.doc[t.i + 1: t.i + 4]} & people
           for t in ctx.doc):
        return False  # the writer's own child is in it
    return _fiction_frame(ctx.doc, hit.start)


_COLON_FRAMES = {"slide", "question", "exam", "worksheet", "reads", "prompt", "task", "activity",
                 "scenario", "example", "quote", "study", "vignette", "script", "caption", "handout"}


def _colon_frame(doc: Doc) -> int | None:
    """Where a training text opens: "slide 4 reads: ...", "exam question: ...", "case study:
    ..." (a frame word in the first six words, then a colon)."""
    for tok in doc[:8]:
        if tok.text == ":" and {t.lower_ for t in doc[: tok.i]} & (_COLON_FRAMES | _lexicon()["QUOTE_FRAME"]):
            return tok.i
    return None


def _inverted_question(ctx: _Context, hit: Hit) -> bool:
    """"Is she in danger?", "does he have a knife?": the speaker asks, does not report. A
    request to the bot ("can you help, ...") is not this."""
    lex = _lexicon()
    clause = ctx.clause_of[hit.start]
    first = next((i for i in range(hit.start, -1, -1)
                  if i == 0 or ctx.clause_of[i - 1] != clause), hit.start)
    word = ctx.doc[first].lower_
    return word in lex["AUX_Q"] and first < hit.start + 1 and _next(ctx.doc, first + 1) not in (
        lex["NEG"] | {"you", "u", "someone", "somebody", "anyone", "anybody"})


def _near(ctx: _Context, marks: set[int], hit: Hit, width: int) -> bool:
    """A marker in the `width` tokens before the match, in its clause."""
    clause = ctx.clause_of[hit.start]
    window = range(max(0, hit.start - width), hit.start)
    return any(i in marks and ctx.clause_of[i] == clause for i in window)


def _victim_ok(ctx: _Context, hit: Hit) -> tuple[bool, str]:
    """Is the victim one this rule accepts, and which class is it?"""
    if "v" not in hit.slots and hit.rule.lookback:
        index = _nearest_person(ctx, hit.start)
        if index is None:
            return False, ""
        hit.slots["v"] = index
    if "v" not in hit.slots:
        if hit.rule.kind == DISCLOSURE:  # the speaker is the child unless a child is named
            return _speaker_is_victim(ctx, hit), FIRST
        return True, THIRD
    index = hit.slots["v"]
    victim = _victim_class(ctx.doc, index)
    if hit.rule.kind == DISCLOSURE and ctx.doc[index].lower_ in _lexicon()["FAMILY"] and \
            _determiner(ctx.doc, index) in {"my", "our"}:
        victim = FIRST  # "he'll hurt my mum": a threat against the speaker's family
    if victim == PLURAL:
        if _present_group(ctx, index) and GENERIC in hit.rule.victims:
            return True, GENERIC  # judged as "a child": it needs a now cue to be an emergency
        return False, victim
    return victim in hit.rule.victims, victim


def _present_group(ctx: _Context, i: int) -> bool:
    """A group of real children there now ("the girls from the estate ... there are three of
    them up there now", "two boys"), not children in general: "the" or a number before the
    noun, an immediacy cue in the sentence, and no question."""
    doc = ctx.doc
    sent = ctx.sent_of[i]
    if sent in ctx.questions or sent not in ctx.any_now or ctx.doc[i].lower_ in {"people", "victims"}:
        return False
    before = [t for t in doc[max(0, i - 3): i] if ctx.sent_of[t.i] == sent]
    if len(before) >= 2 and before[-1].lower_ == "of" and before[-2].lower_ in {
            "group", "bunch", "couple", "load", "gang", "few", "pair", "two", "three", "four"}:
        return True  # "a group of girls", "two of the boys"
    return bool(before) and (before[-1].lower_ in {"the", "two", "three", "four", "five", "some",
                                                   "few", "several"} or before[-1].like_num)


def _speaker_is_victim(ctx: _Context, hit: Hit) -> bool:
    """For a disclosure rule with no victim slot ("this guy wants nudes"): the speaker must talk
    in the first person, and not about another child ("a student said she is pressured")."""
    if not ctx.first_person:
        return False
    lex = _lexicon()
    sent = ctx.sent_of[hit.start]
    before = [t for t in ctx.doc[: hit.end] if ctx.sent_of[t.i] == sent]
    others = lex["RELATION"] | {"she", "her", "child", "pupil", "student", "girl", "boy", "kid",
                                "client", "young", "niece", "nephew"}
    if any(t.lower_ in others for t in before):
        sentence = {t.lower_ for t in ctx.doc if ctx.sent_of[t.i] == sent}
        return bool(sentence & lex["FIRST_OBJ"]) and not any(
            t.lower_ in lex["RELATION"] for t in before)
    return not ctx.third_party or ctx.speaker_object


def _nearest_person(ctx: _Context, start: int) -> int | None:
    """The nearest victim word to the left of `start` in the same sentence."""
    victims = _lexicon()["VICTIM"]
    for i in range(start - 1, -1, -1):
        if ctx.sent_of[i] != ctx.sent_of[start]:
            return None
        if ctx.doc[i].lower_ in victims:
            return i
    return None


def _agent_generic(ctx: _Context, hit: Hit) -> bool:
    """"Abusers have weapons", "perpetrators force children": a general statement."""
    agent = _agent(ctx.doc, hit)
    return agent in _lexicon()["GENERIC_AGENT"] - {"someone", "somebody"} or agent in {
        "children", "kids", "victims"}


def _emergency_fires(ctx: _Context, hit: Hit, victim: str, support: int) -> bool:
    """Emergency guards, by tier."""
    sent = ctx.sent_of[hit.start]
    explicit = sent in ctx.explicit_now
    immediate = sent in ctx.any_now or ctx.message_now
    if _inverted_question(ctx, hit):
        return False
    if _agent_generic(ctx, hit) and not (victim == THIRD and _determiner(ctx.doc, hit.slots.get("v", 0)) in {
            "my", "our", "xxname"}):
        return False  # "gangs force children..." is the guidance; "the gang are driving my son" is not
    if victim == GENERIC and not explicit and hit.rule.tier != STRONG and not (
            hit.rule.tier == CURRENT and sent in ctx.any_now) and not (
            hit.rule.tier == PLANNED and sent in ctx.soon):
        return False
    if victim == GENERIC and sent in ctx.questions:
        return False
    if not explicit:
        habit = ctx.clause_of[hit.start] in ctx.habitual_clauses or (
            sent in ctx.habitual and sent not in ctx.any_now)
        if ctx.resolved or habit or _near(ctx, ctx.modals, hit, 3):
            return False
        if _historic(ctx, hit):
            return False
        # a typed screening answer describes a pattern ("in cars with older men, high")
        # unless it says when ("missing since friday, high")
        if ctx.rating and hit.rule.tier != STRONG and sent not in ctx.any_now:
            return False
    if hit.rule.tier == NOW and _near(ctx, ctx.worries, hit, 6) and not explicit:
        return False
    if hit.rule.tier != STRONG and sent in ctx.classify_sents and not explicit:
        return False  # "she hasn't come home late before, is that a risk indicator?"
    if hit.rule.tier in (NOW, PLANNED):
        sentence_start = ctx.sent_start[sent]
        if any(sentence_start <= m < hit.start for m in ctx.modals):
            return False  # "perpetrators may ... pick them up"
        if hit.rule.tier == PLANNED:  # "he's picking her up after school", "... tonight"
            return sent in ctx.soon or ctx.message_now
        return immediate or support >= 2
    return True


def _historic(ctx: _Context, hit: Hit) -> bool:
    """"Last year she was held at a flat": a past time in the same clause, or elsewhere in the
    sentence when nothing in it says now ("she was groomed last year, now she's missing")."""
    if ctx.clause_of[hit.start] in ctx.historic_clauses:
        return True
    sent = ctx.sent_of[hit.start]
    return sent in ctx.historic_sents and sent not in ctx.any_now


# Harm to the speaker that is physical danger now; other abuse of the speaker ("they're
# forcing me to ...") is the child's disclosure unless they say it is happening right now.
_PHYSICAL_NOW = {"following", "chasing", "holding", "keeping", "hiding", "locking", "trapping",
                 "stabbing", "strangling", "choking", "kidnapping", "abducting", "dragging",
                 "grabbing", "attacking", "beating", "hitting", "kicking", "punching",
                 "hurting", "burning", "injecting", "held", "kept", "locked", "trapped",
                 "attacked", "beaten", "hurt", "followed", "chased", "stabbed", "dragged",
                 "pulled", "pushed", "bundled", "kidnapped", "abducted", "tied", "hit"}


def _self_report(ctx: _Context, hit: Hit) -> str | None:
    """What an emergency rule reports when the speaker is the victim."""
    if hit.rule.self_report == EMERGENCY or ctx.sent_of[hit.start] in ctx.explicit_now:
        return EMERGENCY
    if hit.rule.self_report == DISCLOSURE and any(
            t.lower_ in _PHYSICAL_NOW for t in ctx.doc[hit.start: hit.end]):
        return EMERGENCY
    return hit.rule.self_report


def _fires(ctx: _Context, hit: Hit, support: int) -> str | None:
    """The kind this match reports after the guards, or None."""
    ok, victim = _victim_ok(ctx, hit)
    if not ok or _negated(ctx, hit) or _hypothetical(ctx, hit) or _quoted(ctx, hit) or _fiction(ctx, hit):
        return None
    if hit.rule.kind == DISCLOSURE:
        return None if ctx.adult_survivor else DISCLOSURE
    if victim == FIRST and _self_report(ctx, hit) != EMERGENCY:
        return _self_report(ctx, hit)
    return EMERGENCY if _emergency_fires(ctx, hit, victim, support) else None


# ---------------------------------------------------------------------------------------------
# Age gap: "I'm 14 and my boyfriend is 23"
# ---------------------------------------------------------------------------------------------


# The speaker giving their age: "I'm 14", "im only 13", "I am a 15 year old", "me 14"
_OWN_AGE_PATTERNS = (
    "i 'm|am|m ADV? a? #",
    "i|me ADV? just? turned|aged|age #",
    "me #",
)


@functools.lru_cache(maxsize=1)
def _age_matcher() -> Matcher:
    """A small Matcher for the speaker's own age, built once."""
    matcher = Matcher(get_nlp().vocab)
    lex = _lexicon()
    matcher.add("OWN_AGE", [_compile(spec, lex).pattern for spec in _OWN_AGE_PATTERNS])
    return matcher


def _own_age(doc: Doc) -> int | None:
    """The speaker's age when they give it."""
    for _, _, end in _age_matcher()(doc):
        if doc[end - 1].text.isdigit():
            return int(doc[end - 1].text)
    return None


def _age_gap(doc: Doc) -> bool:
    """A child under 18 talks about an adult partner or sexual contact with an adult."""
    age = _own_age(doc)
    if age is None or not 8 <= age <= 17:
        return False
    words = {t.lower_ for t in doc}
    if any(_adult_age(doc, t.i) and int(t.text) != age for t in doc if t.text.isdigit()):
        return True
    older = {"older", "adult", "grown"} & words and words & {
        "man", "men", "guy", "guys", "lad", "lads", "boyfriend", "bloke", "woman", "girlfriend"}
    sexual = words & {"sex", "sleep", "slept", "sleeping", "nudes", "naked", "touch", "touches",
                      "touched", "kiss", "kissed", "pregnant"}
    return bool(older) and bool(sexual or words & {"boyfriend", "girlfriend", "dating",
                                                   "seeing", "relationship", "going"})


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def _hits(det: _Detector, doc: Doc) -> Iterable[Hit]:
    """Every rule match that passes its post-check, with its slots resolved to tokens."""
    for match_id, start, end, alignment in det.matcher(doc, with_alignments=True):
        rule, compiled = det.compiled[det.nlp.vocab.strings[match_id]]
        slots: dict[str, int] = {}
        own: set[int] = set()
        for offset, index in enumerate(alignment):
            if index in compiled.slots:
                slots.setdefault(compiled.slots[index], start + offset)
            if index in compiled.own_neg:
                own.add(start + offset)
        hit = Hit(rule, start, end, slots, frozenset(own))
        if rule.check is None or rule.check(doc, hit):
            yield hit


def _cooccurrence(ctx: _Context) -> bool:
    """Fallback for free word order: one sentence names a child, dangerous adults, a place and
    distress, drugs or a weapon ("a kid upstairs in the flat screaming and older men keep going
    in"), and nothing in it is a question, a hypothetical, a negation, a habit or the past."""
    lex = _lexicon()
    if _colon_frame(ctx.doc) is not None:
        return False  # "exam question: ...": a training text
    people = lex["DANGER_PERSON"] - {"someone", "somebody", "older", "adult", "adults"}
    harm = lex["DISTRESS"] | lex["DRUG"] | lex["WEAPON"]
    for sent, start in ctx.sent_start.items():
        tokens = [t for t in ctx.doc[start:] if ctx.sent_of[t.i] == sent]
        words = {t.lower_ for t in tokens}
        if not (words & people and words & lex["PLACE"] and words & harm):
            continue
        if words & (lex["HABIT_VERB"] | lex["WORRY"] | {"may", "might", "could", "would"}) or \
                sent in ctx.questions:
            continue
        if sent in ctx.habitual or sent in ctx.historic_sents or ctx.resolved or ctx.rating:
            continue
        if any(i in ctx.negations for i in range(tokens[0].i, tokens[-1].i + 1)):
            continue
        if any(ctx.sent_of[m] == sent for m in ctx.hypo_marks + ctx.frame_marks):
            continue
        if words & lex["GENERIC_AGENT"]:
            continue  # "perpetrators show the child weapons in the car": the guidance
        for tok in tokens:
            if tok.lower_ not in lex["VICTIM"]:
                continue
            victim = _victim_class(ctx.doc, tok.i)
            indefinite = _determiner(ctx.doc, tok.i) in {"a", "an"}  # "a kid", not "the child"
            if victim == THIRD or (victim == GENERIC and indefinite):
                return True
    return False


def _support(ctx: _Context, hits: list[Hit]) -> int:
    """How many separate danger cues about another child the message has: two weak ones
    ("not picking up" + "her location shows a flat") make an emergency together."""
    spans: list[tuple[int, int]] = []
    for hit in hits:
        if hit.rule.kind != EMERGENCY or _negated(ctx, hit) or _hypothetical(ctx, hit):
            continue
        if _victim_ok(ctx, hit) not in ((True, THIRD), (True, GENERIC)):
            continue
        if not any(a < hit.end and hit.start < b for a, b in spans):
            spans.append((hit.start, hit.end))
    return len(spans)


@dataclass(frozen=True)
class Reading:
    """:func:`check`'s result with who it is about and when (issue 12, item 4): what the NLU
    component needs to choose the child's words, and to keep the classifier from alarming on
    an adult's account of something past, habitual, hypothetical or asked about."""

    result: SafetyResult
    speaker_is_victim: bool  # the child telling is the one at risk ("they won't let me leave")
    now: bool  # an immediacy or planned-time cue: now, just, tonight, after school, on the way
    # over or a typed rating; or past, habitual, hypothetical or a guidance question with
    # nothing saying now or soon
    settled: bool
    about_another: bool  # the writer names another child ("my daughter", "she", a name)


# Words an adult uses of a child in their care or work ("my son", "a pupil", "foster carer").
_ADULT_VOICE = frozenset({"son", "daughter", "pupil", "pupils", "student", "students", "yp", "client", "grandson",
                          "granddaughter", "stepson", "stepdaughter", "carer", "nurse", "teacher", "worker", "gp",
                          "officer", "practitioner", "resi"})
# Words for a child other than the writer ("if a pupil told me", "she said to me").
_ANOTHER_CHILD = frozenset({"she", "her", "hers", "pupil", "pupils", "student", "students", "child", "children",
                            "kid", "kids", "daughter", "son", "yp", "client", "grandson", "granddaughter", "niece",
                            "nephew", "stepdaughter", "stepson", "sister", "brother", "teenager"})


def read(text: str) -> Reading:
    """:func:`check` and the context it was judged in."""
    if not text or not text.strip():
        return Reading(SAFE, False, False, False, False)
    det = _detector()
    doc = det.nlp(normalise(text[:4000]))  # a pasted essay is cut; messages are short
    ctx = _context(det, doc)
    hits = list(_hits(det, doc))
    # Two different danger rules in one message support each other ("not answering" +
    # "phone off"), so a NOW-tier cue fires without an explicit "now".
    support = _support(ctx, hits)
    result, victims = SAFE, set()
    for hit in sorted(hits, key=lambda h: h.start):
        kind = _fires(ctx, hit, support)
        if kind:
            victims.add(FIRST if kind == DISCLOSURE else _victim_ok(ctx, hit)[1])
        if kind == EMERGENCY and result.kind != EMERGENCY:
            result = SafetyResult(EMERGENCY, hit.rule.name)
        if kind == DISCLOSURE and not result.kind:
            result = SafetyResult(DISCLOSURE, hit.rule.name)
    if result.kind != EMERGENCY and _cooccurrence(ctx):
        result = SafetyResult(EMERGENCY, "emergency.danger_cooccurrence")
        victims.add(THIRD)
    if not result.kind and _age_gap(doc):
        result = SafetyResult(DISCLOSURE, "disclosure.age_gap")
        victims.add(FIRST)
    # "they have locked me in": one reading takes "they" for the victim; the speaker is the
    # child unless another child is named
    # ...and "told him to keep it a secret from us" is a parent: words only an adult uses of a
    # child they look after or work with make the writer an adult
    adult_voice = bool({t.lower_ for t in doc} & _ADULT_VOICE)
    child = FIRST in victims and (victims == {FIRST} or not ctx.third_party) and not ctx.adult_survivor \
        and not adult_voice
    unsure = bool(ctx.historic_sents or ctx.habitual or ctx.hypo_marks or ctx.frame_marks
                  or ctx.classify_sents) or (bool(ctx.questions) and not ctx.first_person)
    quoted = ('"' in doc.text and bool({t.lower_ for t in doc} & _lexicon()["QUOTE_FRAME"])) or (
        not ctx.first_person and _fiction_frame(doc, len(doc))) or _colon_frame(doc) is not None
    # the writer's own plan ("I'm taking my daughter to a party at her aunt's"): a carer
    own_plan = bool(re.search(r"^(i|we) ('m|am|'re|are) (taking|driving|staying|picking|collecting|going|bringing)\b",
                              " ".join(t.lower_ for t in doc)))
    # A child telling about themselves ("it's happened loads", "if i really loved him id...")
    # is not settled by tense, habit or "if": what goes on or went on is a disclosure. An
    # adult's account says "my daughter", "we" or "she told me"; "me" alone may be either, and
    # a miss costs more than a 999 reminder.
    words = {t.lower_ for t in doc}
    child_account = (bool(words & {"me", "myself"}) or ("i" in words and "we" not in words)) \
        and not words & _ANOTHER_CHILD
    settled = ctx.resolved or ctx.rating or ctx.adult_survivor or quoted or own_plan or (
        unsure and not ctx.soon_sure and not child_account)
    return Reading(result, child, bool(ctx.soon), settled, ctx.third_party and not child_account)



_DANGER_CLASSES = ("DANGER_PERSON", "DRUG", "WEAPON", "DISTRESS", "DANGER_STATE", "MEDICAL",
                   "HARM_FORMS", "HARM_ING", "HARM_PP", "CONCERN_ING", "CONCERN_PP", "ABUSE_PP",
                   "FORCE_V", "SEX_ACT", "SEXUAL_IMAGE", "IMAGE", "BODY", "SUPPLY_ING", "MOVE_PP",
                   "COUNTY_LINES", "DEMAND_V", "ABUSE_V")
_DANGER_EXTRA = {"missing", "gone", "alone", "secret", "scared", "help", "owe", "owes", "debt",
                 "older", "stranger", "hotel", "flat", "threat", "threats", "threaten", "kill",
                 "stab", "hurt", "touch", "touched", "sex", "sexual", "abuse", "abused", "police",
                 "999", "danger", "unsafe", "met", "online", "won't", "can't", "cannot", "not",
                 "never", "hasn't", "isn't", "nobody", "meet", "meeting", "night", "tonight",
                 "boyfriend", "girlfriend", "bf", "gf", "relationship", "dating", "gifts", "money",
                 "presents", "lifts", "car", "van", "party", "parties", "snapchat", "messaging",
                 "messages", "webcam", "pics", "groom", "grooming", "groomed", "exploit", "cse"}


def mentions_danger(text: str) -> bool:
    """Whether a message has any word of danger, abuse or absence at all: the safety component
    does not let the classifier alone alarm on an everyday question without one ("my son's
    shooting hoops at the park with his mates, is there a youth club nearby?")."""
    lex = _lexicon()
    words = {w.lower() for w in _WORD_RE.findall(normalise(text))}
    words |= {w.split("'")[0] for w in words}
    vocab = frozenset().union(*(lex[name] for name in _DANGER_CLASSES)) | _DANGER_EXTRA
    adult_age = any(w.isdigit() and 18 <= int(w) <= 99 for w in words)  # "he's 30"
    return bool(words & vocab) or adult_age


def check(text: str) -> SafetyResult:
    """Classify one user message: emergency, disclosure or nothing."""
    return read(text).result
