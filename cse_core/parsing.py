"""Understanding typed screening answers: "a bit", "she's 14", "they have a social worker".

Every parser returns None when it is not sure, so the question is asked again with its
options; an answer is never taken silently on a guess (issue 3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cse_core.knowledge import Knowledge

YES, NO, NOT_SURE = "yes", "no", "not_sure"
NOT_KNOWN = "not_known"
UNKNOWN_STATUS = "unknown"


def _norm(text: str) -> str:
    text = (text or "").lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[^\w'/+?\- ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _has(text: str, phrases: list[str] | tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![\w']){re.escape(p)}(?![\w'])", text) for p in phrases)


_UNSURE = ["not sure", "unsure", "don't know", "dont know", "do not know", "dunno", "idk", "no idea",
           "not known", "unknown", "can't say", "cant say", "no clue", "maybe", "possibly", "not certain",
           "don't know yet", "no i don't know", "i'm not sure", "im not sure", "?"]
_NO = ["no", "nope", "nah", "n", "not really", "none", "nobody", "no one", "noone", "don't think so",
       "dont think so", "no they don't", "no she doesn't", "no he doesn't", "not that i know",
       "not that i know of", "negative", "never", "no concerns", "nothing"]
_YES = ["yes", "yeah", "yep", "yup", "y", "ya", "yh", "aye", "sure", "definitely", "correct", "i think so",
        "probably", "likely", "they do", "she does", "he does", "there are", "there is", "true", "yes please"]

WH_START = re.compile(
    r"^(what|why|how|who|where|when|which|whats|what's|can you|could you|should|does|do you|is it|is there|"
    r"are there|tell me|explain)\b"
)


def is_question(text: str) -> bool:
    """A question rather than an answer: "what does coercion mean?", "why do you ask"."""
    t = _norm(text)
    return bool(WH_START.match(t)) or (t.endswith("?") and len(t.split()) > 2)


def parse_yes_no(text: str) -> str | None:
    """yes / no / not_sure, or None."""
    t = _norm(text)
    if not t:
        return None
    if _has(t, _UNSURE):
        return NOT_SURE
    if _has(t, _NO):
        return NO
    if _has(t, _YES):
        return YES
    return None


# Ratings of an indicator. Level words first; then everyday phrases.
_LEVEL_WORDS = {"high": "high", "medium": "medium", "med": "medium", "moderate": "medium", "low": "low"}
_SKIP = ["skip", "skip it", "skip this", "skip this one", "pass", "n/a", "na", "not applicable", "no idea",
         "next", "leave it", "leave it blank", "rather not say", "prefer not to say", "don't want to say", "unsure"]
_RATING_PHRASES: list[tuple[str, list[str]]] = [
    (NOT_KNOWN, _UNSURE + _SKIP),
    ("low", ["not very", "not a lot", "not much", "not really much", "a bit", "a little", "a little bit",
             "bit", "slight", "slightly", "minor", "mild", "mildly", "small", "a few", "occasionally",
             "sometimes", "a tad", "1"]),
    ("no_concern", ["no concern", "no concerns", "not a concern", "none", "no", "nope", "nah", "nothing",
                    "not at all", "not really", "fine", "ok", "okay", "all good", "not an issue", "no issues",
                    "no problem", "no problems", "zero", "0", "not worried", "no worries"]),
    ("high", ["a lot", "lots", "very", "very worried", "very concerned", "really worried", "serious",
              "seriously", "severe", "major", "huge", "extreme", "extremely", "massive", "loads", "big", "3",
              "yes a lot", "really bad", "constantly", "all the time"]),
    ("medium", ["some", "some concern", "some concerns", "somewhat", "quite", "fairly", "a fair bit",
                "moderately", "mid", "middle", "in between", "often", "2", "worrying", "concerned"]),
]
_RATING_ORDER = ["no_concern", "low", "medium", "high"]


def parse_rating(text: str) -> str | None:
    """no_concern / low / medium / high / not_known, or None when unclear ("yes")."""
    t = _norm(text)
    if not t or is_question(text):
        return None
    words = [w for w in re.findall(r"[a-z]+", t) if w in _LEVEL_WORDS]
    if words:
        # "low to medium": take the higher; a pre-screen errs towards safety.
        return max((_LEVEL_WORDS[w] for w in words), key=_RATING_ORDER.index)
    for rating, phrases in _RATING_PHRASES:
        if _has(t, phrases):
            return rating
    return None


_NUMBER_WORDS = {w: n for n, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
_DATE = re.compile(
    r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b(19|20)\d{2}[/.\-]\d{1,2}[/.\-]\d{1,2}\b|\bborn\b|\bdob\b|\bd\.o\.b\b"
    r"|\b\d{1,2}(st|nd|rd|th)? (of )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
)


@dataclass
class Age:
    band: str | None  # a band id from risk_rules.yml
    years: int | None
    dob_given: bool = False


def _band_for(k: Knowledge, years: int) -> str | None:
    for band in k.risk_rules["age"]["bands"]:
        if band["min"] <= years <= band["max"]:
            return band["id"]
    return None


def parse_age(k: Knowledge, text: str) -> Age | None:
    """An age in years or a band; a date of birth is flagged, not kept."""
    raw = (text or "").lower()
    if _DATE.search(raw):
        return Age(band=None, years=None, dob_given=True)
    t = _norm(text)
    for band in k.risk_rules["age"]["bands"]:
        if _norm(band["label"]) == t:
            return Age(band=band["id"], years=None)
    if re.search(r"\b(under|below|younger than|less than) ?13\b|\bunder thirteen\b", t):
        return Age(band="under_13", years=None)
    if re.search(r"\b(18|eighteen) ?(\+|or over|or older|and over)|\bover 18\b|\badult\b", t):
        return Age(band="adult", years=None)
    match = re.search(r"\b(\d{1,3})\s*(?:-|to|or)\s*(\d{1,3})\b", t)
    if match:
        low, high = int(match[1]), int(match[2])
        band_low, band_high = _band_for(k, low), _band_for(k, high)
        if band_low and band_low == band_high:
            return Age(band=band_low, years=None)
        return None
    numbers = [int(n) for n in re.findall(r"\b(\d{1,3})(?:\s*(?:yo|y/o|yrs?|years?))?\b", t)]
    numbers += [_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", t) if w in _NUMBER_WORDS]
    if re.search(r"\bmonths?\b", t):
        return None
    school_year = re.search(r"\b(?:year|yr) ?(\d{1,2})\b", t)
    if school_year and 1 <= int(school_year[1]) <= 13 and len(numbers) == 1:
        # school year N: aged N+4 or N+5; the younger age errs towards the under-13 rule
        years = int(school_year[1]) + 4
        return Age(band=_band_for(k, years), years=years)
    if len(numbers) == 1 and 0 < numbers[0] <= 25:
        return Age(band=_band_for(k, numbers[0]), years=numbers[0])
    return None


def parse_role(text: str) -> str | None:
    t = _norm(text)
    if _has(t, ["parent", "carer", "mum", "mom", "mother", "dad", "father", "foster carer", "guardian",
                "grandparent", "gran", "grandma", "grandad", "family member", "step mum", "step dad"]):
        return "parent"
    if _has(t, ["practitioner", "professional", "teacher", "social worker", "worker", "nurse", "police",
                "officer", "gp", "doctor", "dsl", "safeguarding lead", "health visitor", "staff", "school",
                "work with", "early help"]):
        return "practitioner"
    return None


def parse_case_status(k: Knowledge, text: str) -> str | None:
    """A pathway id from pathways.yml, ``unknown`` for "don't know", or None."""
    t = _norm(text)
    for pid, pathway in k.pathways.items():
        if t == _norm(pathway.question_label):
            return pid
    status = case_status_from_text(k, t)  # "not known to anyone" is a new case
    if status:
        return status
    if _has(t, _UNSURE):
        return UNKNOWN_STATUS
    if parse_yes_no(t) == NO:
        return "new_case" if "new_case" in k.pathways else None  # "no": not known to services
    return None


# Where the child lives against where their case belongs (section 2.2): a child from out of
# authority living in the area (Process Map 4, "Child from Out of Area" on the contents
# page), or a child of the area placed out of area. The area's name comes from
# guidance.yml, the statuses from pathways.yml `placement`; only the sentence shapes are here.
_HERE_WORDS = r"here|locally|in (?:our|the|this) (?:area|town|borough)|in town|with us|to us"
_ELSEWHERE = (r"(?:another|a different|different|other|an other|a neighbouring|neighbouring|a nearby|out of|outside)"
              r" (?:local )?(?:authority|authorities|council|la|area|borough|county|city|town|region|place)")
_AUTHORITY = r"(?:council|authority|local authority|la|children'?s services|social services|social care)"
_LIVES = (r"(?:placed|living|lives|live|staying|stays|stay|moved|moving|resides|residing|housed|fostered|"
          r"in (?:a )?(?:placement|foster care|care|a children'?s home)|placement)")
# Words after "placed here by" / "from" that do not name another area.
_NOT_A_PLACE = {
    "her", "his", "their", "the", "a", "an", "us", "our", "my", "mum", "mom", "dad", "parents", "parent", "family",
    "police", "court", "foster", "carers", "carer", "social", "children", "childrens", "children's", "cap", "early",
    "school", "home", "care", "what", "where", "which", "this", "that", "there", "then", "now", "birth",
    "being", "time", "age", "year", "years", "today", "work", "them", "him", "me", "you", "nobody", "no",
}


# Words that describe a child rather than name where they are from ("a looked after child").
_NOT_A_PLACE_BEFORE_CHILD = {
    "after", "looked", "young", "little", "teenage", "local", "vulnerable", "older", "younger", "new", "old", "yo",
    "this", "that", "another", "other", "same", "disabled", "autistic", "cared", "primary", "secondary", "only",
    "eldest", "youngest", "oldest", "middle", "step", "foster", "adopted", "missing", "exploited", "abused", "at",
    "risk", "sen", "send", "year", "aged", "of", "one", "two", "three", "our", "your", "his", "her", "their",
}


def _names_another_place(word: str, area: str) -> bool:
    return bool(word) and word != area and word not in _NOT_A_PLACE and not word.isdigit()


def _placement(k: Knowledge, t: str) -> str | None:
    """``from_elsewhere``, ``placed_elsewhere`` or None, from how the text places the child."""
    area = _norm(str(k.document.get("area") or ""))
    here = rf"(?:{_HERE_WORDS}|in {re.escape(area)}|to {re.escape(area)})" if area else rf"(?:{_HERE_WORDS})"
    lives_here = re.search(rf"\b{_LIVES}\b(?: \w+){{0,4}} {here}\b", t)

    # A child of the area placed out of area: "a Darlington child placed in Leeds", "placed
    # outside Darlington", "our LAC placed elsewhere", "the host authority".
    if area:
        ours = rf"(?:{re.escape(area)}|our|one of our|an? {re.escape(area)})"
        child = (r"(?:child|children|kids?|young (?:person|people)|yp|lac|cla|looked after child(?:ren)?|"
                 r"looked-after child(?:ren)?|girl|boy|teenager|son|daughter)")
        if re.search(rf"\b{ours} (?:\w+ ){{0,2}}{child}\b.{{0,40}}\b(?:placed|living|lives|staying|placement|moved)\b"
                     rf"(?: \w+){{0,3}} (?:out of (?:area|authority|borough|county)|outside|elsewhere|away|in another|"
                     rf"in a different|in (?!{re.escape(area)}\b)[a-z]+)", t) and not lives_here:
            return "placed_elsewhere"
        if re.search(rf"\b(?:placed|living|lives|placement|staying) (?:\w+ )?(?:outside|out of) (?:of )?{re.escape(area)}\b", t):
            return "placed_elsewhere"
        if re.search(rf"\b(?:we|{re.escape(area)}) (?:have )?placed (?:him|her|them|the child|the young person)\b", t) \
                and not lives_here:
            return "placed_elsewhere"
    if re.search(r"\bhost (?:local )?(?:authority|council|la|area)\b", t):
        return "placed_elsewhere"
    if re.search(r"\bplaced (?:out of (?:area|authority|borough|county)|outside (?:the )?(?:area|borough)|"
                 r"elsewhere|away|in another (?:area|authority|council|county|town|city|borough))\b", t) \
            and not lives_here:
        return "placed_elsewhere"

    # A child from out of authority living in the area: "from Leeds, living here", "placed
    # here by another council", "her social worker is in Leeds", "the placing authority".
    if re.search(rf"\bfrom {_ELSEWHERE}\b", t) or re.search(r"\bplacing (?:local )?(?:authority|council|la|social worker|sw)\b", t):
        return "from_elsewhere"
    if re.search(r"\b(?:home|responsible) (?:local )?(?:authority|council|la)\b", t) and lives_here:
        return "from_elsewhere"
    if lives_here:
        by = re.search(rf"\bby (?:an? |the )?(\w+)(?: {_AUTHORITY})?\b", t[lives_here.start():])
        frm = re.search(r"\bfrom (?:an? |the )?(\w+)\b", t)
        if re.search(rf"\b{_ELSEWHERE}\b", t):
            return "from_elsewhere"
        if by and (by[1] in {"another", "other", "different"} or _names_another_place(by[1], area)):
            return "from_elsewhere"
        if frm and _names_another_place(frm[1], area):
            return "from_elsewhere"
        # "a Leeds child living here": a place name before the child
        named = re.search(r"\b(\w+) (?:child|kid|lac|cla|young person|girl|boy|teenager|looked after child)\b", t)
        if named and _names_another_place(named[1], area) and named[1] not in _NOT_A_PLACE_BEFORE_CHILD:
            return "from_elsewhere"
    social_worker = re.search(r"\b(?:social worker|sw|case holder|allocated worker)\b(?: is)?(?: \w+)? (?:from|in|at|with|based in|based at) "
                              r"(?:an? |the )?(\w+)", t)
    if social_worker and (social_worker[1] in {"another", "other", "different", "elsewhere"}
                          or (_names_another_place(social_worker[1], area) and social_worker[1] not in {"team", "office"})):
        return "from_elsewhere"
    if re.search(r"\b(?:social worker|sw)\b(?: is)? (?:elsewhere|out of (?:area|authority|borough)|outside)", t):
        return "from_elsewhere"
    if re.search(rf"\b{_ELSEWHERE}'?s? (?:child|kid|lac|looked after child|social worker)\b", t):
        return "from_elsewhere"
    return None


def case_status_from_text(k: Knowledge, text: str) -> str | None:
    """The case status a description names, or None: where the child lives first (section
    2.2's out-of-authority sentences), then the statuses' keywords, the longest match winning.

    Used by the pre-screen's case-status question and by the Q&A ("what happens for a child
    from Leeds living here?"), so both route a wording to the same pathway.
    """
    t = _norm(text)
    if not t:
        return None
    placement = _placement(k, t)
    if placement:
        pathway = k.pathway_with_placement(placement)
        if pathway:
            return pathway.id
    described = _described_status(text)  # people's own words ("no one's involved")
    if described:
        return described
    best, best_len = None, 0
    for pid, pathway in k.pathways.items():
        for kw in pathway.keywords:
            if len(kw) > best_len and _has(t, [kw]):
                best, best_len = pid, len(kw)
    return best


def _described_status(text: str) -> str | None:
    """A status in people's words ("she's got a social worker", "placed here by another
    council"): knowledge/dialogue.yml's case_status phrases, most specific status first."""
    from cse_core import phrases, talk  # spaCy: loaded only for free-text statuses

    t = talk.get()
    whole = _norm(text).strip(" .!?")
    if whole in t.case_status_answers:
        return t.case_status_answers[whole]
    doc = phrases.parse(text)
    found = {m.label for m in t.case_status.best(doc, also=t.status_keywords.find(doc) if t.status_keywords else [])}
    return next((pid for pid in t.status_priority if pid in found), None)


def find_indicator(k: Knowledge, text: str) -> str | None:
    """The indicator a message names ("change education to high" -> education)."""
    t = _norm(text)
    best, best_len = None, 0
    for ind in k.indicators:
        for name in (ind.name.lower(), *ind.aliases):
            if len(name) > best_len and _has(t, [_norm(name)]):
                best, best_len = ind.id, len(name)
    return best


_CHANGE = re.compile(
    r"\b(change|set|make|put|update|correct|amend|actually|switch|mark)\b|\bshould (be|have been)\b"
)
_NON_INDICATOR_FIELDS = {
    "age": ["age", "how old"],
    "learning_disability": ["learning disability", "learning difficulty", "ld", "sen"],
    "case_status": ["case status", "status", "known to services", "social care", "early help", "new case"],
    "role": ["role", "i am a", "i'm a"],
    "other_children": ["other children", "other kids", "other young people"],
    "offender_details": ["offender", "offenders", "vehicle", "vehicles", "locations"],
}


@dataclass
class Change:
    field: str  # an indicator id, or age / learning_disability / case_status / ...
    value_text: str  # the words after the field name, to parse with that field's parser


def parse_change(k: Knowledge, text: str) -> Change | None:
    """ "change education to high" -> Change("education", "high")."""
    t = _norm(text)
    if not _CHANGE.search(t):
        return None
    target = find_indicator(k, t)
    if target is None:
        for field_id, names in _NON_INDICATOR_FIELDS.items():
            if _has(t, names):
                target = field_id
                break
    if target is None:
        return None
    tail = re.split(r"\b(?:to|as|be|is|=)\b", t, maxsplit=1)
    return Change(field=target, value_text=tail[1].strip() if len(tail) > 1 else t)
