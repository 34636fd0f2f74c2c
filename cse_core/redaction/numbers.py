"""Numbers that identify a person or their car: NHS numbers (mod-11 check), National Insurance
numbers, vehicle registration plates, and phone numbers of every country (Google's
libphonenumber through ``phonenumbers``). Public service numbers from ``knowledge/`` stay."""

from __future__ import annotations

import phonenumbers
import re2

from cse_core.locality import national_digits
from cse_core.redaction.context import NHS_NUMBER, NI_NUMBER, PHONE, PLATE, Context, group_span
from cse_core.wordfreq import lexicon

# --- NHS numbers: ten digits, 3-3-4, the last a mod-11 check digit ---------------------------

_NHS = re2.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b")
_NHS_CONTEXT = ("nhs", "chi number", "health number", "hospital number")


def nhs_check(digits: str) -> bool:
    """The NHS number's own check: weights 10..2 on the first nine digits, mod 11."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def nhs_numbers(ctx: Context) -> None:
    for m in _NHS.finditer(ctx.text):
        digits = "".join(c for c in m.group() if c.isdigit())
        if digits.startswith("0"):
            continue  # a UK phone number: the phone recognizer has it
        if nhs_check(digits) or any(word in ctx.before(m.start()) for word in _NHS_CONTEXT):
            ctx.spans.add(*m.span(), NHS_NUMBER)


# --- National Insurance numbers: two letters, six digits, A-D ("QQ 12 34 56 C") ------------

_NI = re2.compile(r"(?i)\b[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}(?:[ -]?[A-Z])?\b")
# Prefixes HMRC never issues: first letter D F I Q U V, second D F I O Q U V, and a few pairs.
_NI_BAD_FIRST, _NI_BAD_SECOND = frozenset("dfiquv"), frozenset("dfioquv")
_NI_BAD_PAIRS = frozenset(["bg", "gb", "nk", "kn", "tn", "nt", "zz"])


def _ni_prefix(compact: str) -> bool:
    p = compact[:2].lower()
    return p[0] not in _NI_BAD_FIRST and p[1] not in _NI_BAD_SECOND and p not in _NI_BAD_PAIRS
_NI_CONTEXT = ("national insurance", "ni number", "ni no", "nino", "n.i.", "ni:", "ni is", "insurance number")


def ni_numbers(ctx: Context) -> None:
    for m in _NI.finditer(ctx.text):
        found = m.group()
        compact = found.replace(" ", "").replace("-", "")
        before = ctx.before(m.start())
        if not any(word in before for word in _NI_CONTEXT) and (" " + before.rstrip(" :-"))[-3:] != " ni":
            # without "NI (number)" before it: the suffix letter (A-D) is needed, and in lower
            # case with spaces a prefix HMRC issues ("in 12 34 56 a": "in", "is", "if" never are)
            if len(compact) != 9 or compact[-1].lower() not in "abcd":
                continue
            if found[:2].islower() and " " in found and not _ni_prefix(compact):
                continue
        ctx.spans.add(*m.span(), NI_NUMBER)


# --- Vehicle registration plates ------------------------------------------------------------

_PLATES = (
    re2.compile(r"(?i)\b(?P<a>[A-Z]{2})\d{2}[ ]?(?P<b>[A-Z]{3})\b"),  # AB12 CDE (2001 on)
    re2.compile(r"(?i)\b(?P<a>[A-Z])\d{1,3}[ ]?(?P<b>[A-Z]{3})\b"),  # A123 BCD (1983-2001)
    re2.compile(r"(?i)\b(?P<a>[A-Z]{3})[ ]?\d{1,3}(?P<b>[A-Z])\b"),  # ABC 123D (1963-1983)
)
_PLATE_AFTER = re2.compile(r"(?i)\b(?:reg|registration|number plate|plate|reg number|reg no|vrm)\.?"
                           r"(?:\s+(?:number|no\.?|plate))?(?:\s*(?:is|was|:|-)\s*|\s+)"
                           r"(?P<p>[A-Z0-9]{1,4} ?[A-Z0-9]{1,4})\b")
_VEHICLE_CONTEXT = ("reg", "plate", "car", "van", "vehicle", "motor", "taxi", "bike", "driving", "drives", "drove")
# Words after a plate that say it is one: "ld20kky is the reg", "sy64 hhn black seat".
_VEHICLE_AFTER = frozenset(
    ["reg", "registration", "plate", "plates", "car", "van", "vehicle", "motor", "taxi", "bike", "motorbike", "moped",
     "jeep", "suv", "hatchback", "audi", "bmw", "merc", "mercedes", "vw", "volkswagen", "golf", "polo", "ford",
     "fiesta", "focus", "transit", "vauxhall", "corsa", "astra", "seat", "leon", "ibiza", "skoda", "octavia", "toyota",
     "yaris", "nissan", "qashqai", "honda", "civic", "kia", "hyundai", "peugeot", "renault", "clio", "citroen",
     "fiat", "mini", "volvo", "tesla", "lexus", "mazda", "suzuki", "range", "rover", "landrover", "evoque", "porsche",
     "jaguar", "dacia", "sandero"])
_WORD_RE = re2.compile(r"[a-z]+")


def _vehicle_after(ctx: Context, end: int) -> bool:
    return any(w in _VEHICLE_AFTER for w in _WORD_RE.findall(ctx.text[end:end + 40].lower()))


def _age_identifier(plate: str) -> bool:
    """The two figures of a plate since 2001: 02-29 (March) or 51-79 (September)."""
    digits = "".join(c for c in plate if c.isdigit())
    return len(digits) == 2 and (2 <= int(digits) <= 29 or 51 <= int(digits) <= 79)


def plates(ctx: Context) -> None:
    ordinary = lexicon().ordinary
    for pattern in _PLATES:
        for m in pattern.finditer(ctx.text):
            found = m.group()
            context = any(word in ctx.before(m.start(), 60) for word in _VEHICLE_CONTEXT) or _vehicle_after(ctx, m.end())
            letters = [m.group("a").lower(), m.group("b").lower()]
            # a plate since 2001 ("sy64 hhn"): its age figures and three letters that are no word
            current = pattern is _PLATES[0] and _age_identifier(found) and letters[1] not in ordinary
            if found.islower() and not context and not current and any(w in ordinary and len(w) > 1 for w in letters):
                continue  # "yr10 and", "she 14s": words, not a plate
            if found.islower() and not context and pattern is not _PLATES[0]:
                continue  # older formats in lower case only next to a car
            if not context and pattern is not _PLATES[0] and any(w in ordinary and len(w) > 2 for w in letters):
                continue  # "the A1 and M1", "J1 and J2": a road and a word, not a plate
            ctx.spans.add(*m.span(), PLATE)
    for m in _PLATE_AFTER.finditer(ctx.text):
        plate = m.group("p")
        if any(c.isdigit() for c in plate) and any(c.isalpha() for c in plate):
            ctx.spans.add(*group_span(m, "p"), PLATE)


# --- Phone numbers of every country ----------------------------------------------------------

# A stretch of digits with the separators people type (bounded, so a candidate is short).
_CANDIDATE = re2.compile(r"(?:\+|\(\+?)?\d(?:[ ().\-/]{0,3}\d){6,39}")
_MAX_DIGITS = 15  # E.164
_DECIMAL = re2.compile(r"\d{1,3}\.\d{6,}")
# libphonenumber takes milliseconds a call: a message gets this many calls, then the rule
# below decides alone, so a message of digit soup costs linear time like any other.
_LIBRARY_CALLS = 40


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _library(ctx: Context, cand: str, base: int) -> bool:
    """Numbers libphonenumber finds in ``cand`` (valid anywhere, or possible and 10+ digits)."""
    public = ctx.local.public_numbers
    found = False
    for leniency in (phonenumbers.Leniency.VALID, phonenumbers.Leniency.POSSIBLE):
        for pm in phonenumbers.PhoneNumberMatcher(cand, "GB", leniency=leniency):
            if national_digits(pm.raw_string) in public:
                found = True
                continue
            # a possible (not valid) number only when it is long: "2011-2014" is no phone
            if leniency == phonenumbers.Leniency.VALID or len(_digits(pm.raw_string)) >= 10:
                found |= ctx.spans.add(base + pm.start, base + pm.end, PHONE)
        if found:
            break
    return found


def phones(ctx: Context) -> None:
    public = ctx.local.public_numbers
    calls = 0
    for m in _CANDIDATE.finditer(ctx.text):
        cand, base = m.group(), m.start()
        if _DECIMAL.fullmatch(cand) or (base >= 2 and ctx.text[base - 1] in ".," and ctx.text[base - 2].isdigit()):
            continue  # a decimal number ("0.9987654321", "3.14159265358"), not a phone
        if national_digits(cand) in public or (not ctx.spans.free(m.start(), m.end()) and len(_digits(cand)) < 10):
            continue
        if calls < _LIBRARY_CALLS:
            calls += 1
            _library(ctx, cand, base)
        # ten digits or more that the library did not take: a number, whoever's (split
        # around what is already taken: a date, a number found above)
        for start, end in ctx.spans.free_runs(m.start(), m.end()):
            while start < end and ctx.text[start] in " ().-/":
                start += 1
            while end > start and ctx.text[end - 1] in " (.-/":
                end -= 1
            part = ctx.text[start:end]
            international = part.startswith(("+", "(+", "00"))
            if len(_digits(part)) >= 10 or (international and len(_digits(part)) >= 8):
                ctx.spans.add(start, end, PHONE)
