"""Reading a message that describes a child (issue 11): who, how old, which signs.

"My 13-year-old has a new phone she won't explain, stays out late and has an older
boyfriend, what should I do?" -> a child aged 13 (13 to 15), signs of three indicators
(rewards, missing, contact with abusive adults), a what-to-do question. Only ids and
levels are kept: nothing the person typed.

Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from cse_core import audience as audience_cues
from cse_core.knowledge import Knowledge
from cse_core.talk import LEVELS, Talk

_NUMBER_WORDS = {w: n for n, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"])}
# Words after an age that make it someone else's ("a 19 year old boyfriend").
_NOT_THE_CHILD = {"boyfriend", "girlfriend", "man", "men", "bloke", "guy", "lad", "lads", "male", "woman", "bf", "gf",
                  "brother", "cousin", "friend", "mate", "neighbour", "adult"}
# Indicators that are a concern even alone (an adult, control, sexual risk, recruiting).
_STRONG = {"abusive_adults", "coercion_control", "sexualised_risk", "sexual_health", "risk_to_others"}
# Words after a number that make it something other than an age ("my son 10 minutes ago").
_NOT_AN_AGE = {"year", "years", "yr", "yrs", "minute", "minutes", "mins", "hour", "hours", "hrs", "day", "days", "week",
               "weeks", "month", "months", "time", "times", "pound", "pounds", "quid", "pm", "am", "o'clock", "%"}
_SUBJECTS = {"she", "he", "i", "they", "daughter", "son", "child", "kid", "girl", "boy", "pupil", "student", "lad",
             "lass", "grandson", "granddaughter", "niece", "nephew", "stepson", "stepdaughter", "sister", "brother",
             "teen", "teenager", "yp", "person"}
# Words for a child that an age may follow directly: "YP (16, ...)", "girl, 15,", "my son 14".
_CHILD_NOUNS = {"yp", "child", "kid", "girl", "boy", "lad", "lass", "pupil", "student", "daughter", "son", "teen",
                "teenager", "person", "grandson", "granddaughter", "niece", "nephew", "stepson", "stepdaughter", "girls",
                "boys", "lads", "kids", "ours"}


@dataclass
class Situation:
    """What a message says about a child. Empty when it describes no one."""

    signs: dict[str, str] = field(default_factory=dict)  # indicator id -> indicative level
    child: bool = False  # a child is described ("my daughter", "a year 9 pupil", "she's 14")
    speaker: str | None = None  # "child" when the writer is the child; else parent / practitioner / None
    age: int | None = None
    age_band: str | None = None
    learning_disability: bool = False
    case_status: str | None = None  # a pathway id
    questions: set[str] = field(default_factory=set)  # what_now, worried, is_cse, is_normal
    case_holder: bool = False  # the writer holds the case ("I'm her social worker")

    @property
    def under_13(self) -> bool:
        return self.age_band == "under_13"

    @property
    def strong(self) -> bool:
        """A sign that is a concern on its own: a high level, an adult or control or sexual
        risk, or several indicators together."""
        return any(level == "high" for level in self.signs.values()) or bool(set(self.signs) & _STRONG) \
            or len(self.signs) >= 2

    @property
    def describes_concern(self) -> bool:
        """Signs of exploitation about a child the writer describes (or about the writer).
        One everyday sign asked about as "is this normal?" is not; said with worry, it is."""
        described = self.child or self.speaker == "child" or self.learning_disability or self.age is not None
        if not self.signs or not (described or self.questions):
            return False
        if self.strong or self.referral_required:
            return True
        return bool(self.questions & {"worried", "is_cse", "what_now"}) or not self.questions

    @property
    def watch(self) -> bool:
        """Asking whether something ordinary is normal or worrying: what to look out for."""
        return self.child and bool(self.questions & {"is_normal", "worried"}) and not self.describes_concern \
            and not self.questions & {"is_cse", "what_now"}

    @property
    def worried_without_signs(self) -> bool:
        return not self.signs and self.child and bool(self.questions & {"is_cse", "what_now"})

    @property
    def referral_required(self) -> bool:
        """Section 2.2 note: under 13 and/or a learning disability, with concerns."""
        return self.under_13 or self.learning_disability

    def prefill(self) -> dict[str, str]:
        """Screening slot values the message already gives (issue 11: asked only the rest)."""
        values: dict[str, str] = {}
        if self.speaker in ("parent", "practitioner"):
            values["audience"] = self.speaker
        if self.age_band:
            values["age_band"] = self.age_band
        if self.learning_disability:
            values["learning_disability"] = "yes"
        if self.case_status:
            values["case_status"] = self.case_status
        for indicator, level in self.signs.items():
            values[f"ind_{indicator}"] = level
        return values


def _age_value(token_text: str) -> int | None:
    if token_text.isdigit():
        return int(token_text)
    return _NUMBER_WORDS.get(token_text)


def _ages(doc: Doc) -> list[int]:
    """Ages of children named in the text, in order ("my 14 year old", "she's 13", "aged 12",
    "year 9" -> 13), skipping the ages of others ("a 19 year old boyfriend")."""
    words = [t.lower_ for t in doc]
    found: list[int] = []
    for i, word in enumerate(words):
        value = _age_value(word)
        if value is None:
            continue
        before = words[max(0, i - 2): i]
        after = words[i + 1: i + 4]
        if before[-1:] in (["year"], ["yr"], ["yr."]) and 1 <= value <= 13:
            found.append(value + 4)  # school year N: aged N+4 to N+5; the younger errs to safety
            continue
        is_age = after[:2] in (["year", "old"], ["years", "old"], ["yr", "old"], ["yrs", "old"]) or \
            before[-1:] in (["aged"], ["age"], ["im"], ["shes"], ["hes"]) or \
            (before[-1:] in (["is"], ["'s"], ["s"], ["am"], ["'m"], ["m"], ["are"], ["turned"], ["just"])
             and (len(before) < 2 or before[-2] in _SUBJECTS | {"who", "only", "she", "he", "i", "they"}))
        if not is_age and 5 <= value <= 17 and set(before) & _CHILD_NOUNS and not set(after[:1]) & _NOT_AN_AGE:
            is_age = True  # "a girl, 15, ..." / "YP (16, learning disability)"
        if not is_age:
            continue
        rest = after[2:3] if after[:1] in (["year"], ["years"], ["yr"], ["yrs"]) else after[:1]
        if rest and rest[0] in _NOT_THE_CHILD and not (value < 18 and rest[0] in ("lad", "boy", "girl", "lass")):
            continue  # "a 19 year old lad" is someone else; "a 14 yr old lad attending" is the child
        if 5 <= value <= 25:
            found.append(value)
    return found


_ADULT_PEOPLE = {"he", "boyfriend", "girlfriend", "man", "bloke", "guy", "lad", "bf", "gf", "she", "partner", "friend"}


def _adult_named(doc: Doc) -> bool:
    """An adult's age for someone with the child: "he's 19", "her boyfriend is 22", "a lad of 20"."""
    words = [t.lower_ for t in doc]
    for i, word in enumerate(words):
        if not word.isdigit() or not 18 <= int(word) <= 70:
            continue
        before = words[max(0, i - 3): i]
        after = words[i + 1: i + 4]
        if set(before) & _ADULT_PEOPLE and set(before) & {"is", "'s", "s", "of", "aged", "was"}:
            return True
        if after[:2] in (["year", "old"], ["years", "old"]) and set(after[2:3]) & (_ADULT_PEOPLE | {"men", "lads"}):
            return True
        if after[:2] in (["year", "olds"], ["years", "olds"], ["yr", "olds"]):
            return True  # "hanging around with 17 and 18 year olds"
    return False


def _band(k: Knowledge, years: int) -> str | None:
    for band in k.risk_rules["age"]["bands"]:
        if band["min"] <= years <= band["max"]:
            return band["id"]
    return None


def _status(t: Talk, doc: Doc, priority: list[str]) -> str | None:
    also = t.status_keywords.find(doc) if t.status_keywords else []
    found = {m.label for m in t.case_status.best(doc, also=also)}
    for pid in priority:
        if pid in found:
            return pid
    return next(iter(sorted(found)), None)


def read(k: Knowledge, t: Talk, doc: Doc, text: str, status_priority: list[str]) -> Situation:
    """What the message says about a child; signs keep the highest indicative level."""
    s = Situation()
    for match in t.signs.find(doc):
        indicator, level = match.label.split(":")
        if LEVELS.index(level) > LEVELS.index(s.signs.get(indicator, "low")) or indicator not in s.signs:
            s.signs[indicator] = level
    s.child = bool(t.child.find(doc))
    if _adult_named(doc) and LEVELS.index(s.signs.get("abusive_adults", "low")) <= LEVELS.index("medium"):
        s.signs["abusive_adults"] = "medium" if s.signs.get("abusive_adults") != "high" else "high"
    ages = _ages(doc)
    if ages:
        s.child = True
        s.age = ages[0]
        s.age_band = _band(k, ages[0])
    s.learning_disability = bool(t.learning_disability.find(doc))
    s.case_status = _status(t, doc, status_priority)
    s.questions = t.questions.labels(doc)
    s.case_holder = bool(t.case_holder and t.case_holder.find(doc))
    role = audience_cues.detect(text)
    if role:
        s.speaker = role
    elif t.child_speaker.find(doc) and not t.child.find(doc):
        s.speaker = "child"
    if not s.child and s.signs and any(tok.lower_ in ("she", "he", "her", "him") for tok in doc):
        s.child = True  # "she stays out late and..." describes a child
    return s
