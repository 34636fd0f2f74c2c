"""Dates with a day in them, in figures or in words ("03/04/2011", "3rd April 2011", "the third
of April two thousand and eleven"), and the year or month of a birth ("born in 2011").
Weekdays, months and years used alone stay: they say when, not who."""

from __future__ import annotations

import re2

from cse_core.redaction.context import DATE, Context, group_span

_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_MON = r"(?:1[0-2]|0?[1-9])"
_YEAR = r"(?:19|20)\d{2}"
_NUMERIC = re2.compile(
    r"\b(?:" + _DAY + r"(?P<s1>[/.-])" + _MON + r"[/.-](?:" + _YEAR + r"|\d{2})"
    r"|" + _YEAR + r"[/.-]" + _MON + r"[/.-]" + _DAY + r")\b")

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_ORDINAL_UNITS = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
_ORDINAL = (r"(?:" + _ORDINAL_UNITS + r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
            r"seventeenth|eighteenth|nineteenth|twentieth|twenty[- ]?" + _ORDINAL_UNITS + r"|thirtieth|thirty[- ]?first)")
_DAY_ANY = r"(?:" + _DAY + r"(?:st|nd|rd|th)?|" + _ORDINAL + r")"
_YEAR_WORDS = (r"(?:two thousand(?:\s+and)?(?:\s+(?:" + _TEENS + r"|" + _TENS + r"(?:[- ]" + _UNITS + r")?|" +
               _UNITS + r"))?|twenty[- ](?:" + _TEENS + r"|" + _TENS + r"(?:[- ]" + _UNITS + r")?|oh?[- ]" + _UNITS +
               r")|nineteen[- ]" + _TENS + r"(?:[- ]" + _UNITS + r")?)")
_YEAR_ANY = r"(?:" + _YEAR + r"|" + _YEAR_WORDS + r"|'\d{2})"  # '11 too
# Between a day and its month: spaces, or a hyphen, slash or dot ("3-Apr-2011", "3/apr/11").
_SEP = r"(?:[-/.]|\s+)"
_WORDS = (
    # "3rd April 2011", "the third of april", "3 May"
    re2.compile(r"(?i)\b(?:the\s+)?" + _DAY_ANY + r"(?:\s+of\s+|" + _SEP + r")" + _MONTH +
                r"(?:(?:,?\s+|\s*[-/.]\s*)" + _YEAR_ANY + r"\b)?"),
    # "April 3rd, 2011", "april the third"
    re2.compile(r"(?i)\b" + _MONTH + r"\s+(?:the\s+)?" + _DAY_ANY + r"\b(?:,?\s+" + _YEAR_ANY + r"\b)?"),
)
# "born in 2011", "dob: March 2011", "born in twenty eleven"
_DOB = r"(?:dob|d\.? ?o\.? ?b\.?)"  # "dob", "d.o.b.", "d o b"
# "born in the summer of 2011", "born late 2010", "year of birth 2011", "YOB 2011"
_SEASON = r"(?:(?:the\s+)?(?:summer|spring|autumn|fall|winter|early|late|mid|end|start|beginning|middle)(?:\s+of)?[-\s]+)?"
_BIRTH = re2.compile(r"(?i)\b(?:born|" + _DOB + r"|date of birth|birthday|year of birth|birth year|yob)\s*(?:is|was)?\s*:?\s*"
                     r"(?:in\s+|on\s+)?(?:the\s+year\s+)?" + _SEASON +
                     r"(?P<date>(?:" + _MONTH + r"\s+)?" + _YEAR_ANY + r")\b")
# "born at Darlington Memorial in 2011", "born in march of 2011": the year a few words after "born"
_BORN_LATER = re2.compile(r"(?i)\bborn(?:\s+[a-z0-9']+,?){0,4}?\s+(?:in|of)\s+(?P<date>(?:19|20)\d{2})\b")
_SECTION_WORDS = ("section", "sections", "para", "paragraph", "chapter", "part", "appendix", "annex", "§", "s.")
_BIRTH_CONTEXT = ("born", "dob", "d.o.b", "d o b", "birth", "birthday", "bday")
# After a birth word only: figures with spaces or none ("DOB 03 04 2011", "dob 14032011"), a day
# and month without the year ("birthday: 07/08"), a year of two digits after a month ("3 Apr 11").
_BIRTH_FIGURES = re2.compile(
    r"(?i)\b(?:born|" + _DOB + r"|date of birth|birthday|bday)\s*(?:is\s+|was\s+)?(?:on\s+)?:?\s*(?:the\s+)?"
    r"(?P<date>" + _DAY + r"\s+" + _MON + r"\s+(?:" + _YEAR + r"|\d{2})|(?:3[01]|[12]\d|0[1-9])(?:1[0-2]|0[1-9])(?:" +
    _YEAR + r"|\d{2})|" + _DAY + r"(?:st|nd|rd|th)?[/.-]" + _MON + r"(?:[/.-](?:" + _YEAR + r"|\d{2}))?|" +
    # month first, as in the United States: "dob 2/14/2010"
    _MON + r"[/.-](?:3[01]|1[3-9]|2\d)[/.-](?:" + _YEAR + r"|\d{2}))(?:$|[^0-9/.:-]|[/.:-](?:$|[^0-9]))")
# Run together after a birth word: "dob 3rd may11", "dob 3may2011".
_MONTH_RUN = _MONTH.removesuffix(r"\b\.?")
_BIRTH_RUN = re2.compile(
    r"(?i)\b(?:born|" + _DOB + r"|date of birth|birthday|bday)\s*(?:is\s+|was\s+)?(?:on\s+)?:?\s*(?:the\s+)?"
    r"(?P<date>" + _DAY + r"(?:st|nd|rd|th)?\s*" + _MONTH_RUN + r"\s*(?:" + _YEAR + r"|\d{2})\b)")
# "the 3rd of the 5th 2011": the month as an ordinal too.
_ORDINAL_MONTH = re2.compile(r"(?i)\b(?:the\s+)?" + _DAY + r"(?:st|nd|rd|th)\s+of\s+the\s+" + _MON +
                             r"(?:st|nd|rd|th)\b(?:,?\s+(?:" + _YEAR + r"|'?\d{2})\b)?")
_SPACED = re2.compile(r"\b" + _DAY + r" " + _MON + r" (?P<y>" + _YEAR + r"|\d{2})\b")  # "born ... on 12 10 2010"
_TWO_DIGIT_YEAR = re2.compile(r"(?:,?\s+|[-/.])\d{2}\b")
_YEAR_AFTER_DOT = re2.compile(r"(?:" + _YEAR + r"|\d{2})\b")


def _certain(low: str) -> bool:
    """An ordinal or a year in the match: "3rd may", "may 2011", "the third of may"."""
    words = low.replace(",", " ").split()
    return any((w[:-2].isdigit() and w.endswith(("st", "nd", "rd", "th"))) or (w.isdigit() and len(w) == 4)
               or w.startswith(("first", "second", "third", "fifth", "eighth", "ninth", "twelfth")) or w.endswith("th")
               for w in words if w != "may")


def dates(ctx: Context) -> None:
    for m in _NUMERIC.finditer(ctx.text):
        found = m.group()
        # "2.2.11" could be a section: a two-digit year after dots only next to a birth word
        # ("03.08.12", two figures each, is a date: sections have no leading zero nor a day)
        if m.group("s1") == "." and len(found.rsplit(".", 1)[-1]) == 2 and \
                not any(w in ctx.before(m.start()) for w in _BIRTH_CONTEXT) and (
                    len(found) < 8 or any(w in ctx.before(m.start(), 16) for w in _SECTION_WORDS)):
            continue
        ctx.spans.add(*m.span(), DATE)
    for pattern in _WORDS:
        for m in pattern.finditer(ctx.text):
            found = m.group()
            low = found.lower()
            # "may" is a month with a capital, an ordinal, a year or "on"/"born" before it ("she may 2")
            birth = any(w in ctx.before(m.start()) for w in _BIRTH_CONTEXT)
            if "may" in low.replace(".", " ").split() and "May" not in found and not _certain(low) and not birth \
                    and not ctx.before(m.start(), 8).rstrip().endswith(("on", "born", "the", "of")):
                continue
            end = m.end()
            if birth and not found[-1].isdigit():
                # "born on 3 Apr 11"; "dob 5.may.10": the month took the dot before the year
                year = (_YEAR_AFTER_DOT if found[-1] in "./-" else _TWO_DIGIT_YEAR).match(ctx.text, end)
                if year is not None:
                    end = year.end()
            ctx.spans.add(m.start(), end, DATE)
    for m in _BIRTH_FIGURES.finditer(ctx.text):
        rest = ctx.text[m.end():m.end() + 6].lower().lstrip()
        if not rest.startswith(("am", "pm", "week", "day", "month", "year", "hour", "min")):
            ctx.spans.add(*group_span(m, "date"), DATE)
    for m in _SPACED.finditer(ctx.text):
        near = 48 if len(m.group("y")) == 4 else 24
        if any(w in ctx.before(m.start(), near) for w in _BIRTH_CONTEXT):
            ctx.spans.add(*m.span(), DATE)
    for m in _BIRTH_RUN.finditer(ctx.text):
        ctx.spans.add(*group_span(m, "date"), DATE)
    for m in _ORDINAL_MONTH.finditer(ctx.text):
        ctx.spans.add(*m.span(), DATE)
    for m in _BIRTH.finditer(ctx.text):
        ctx.spans.add(*group_span(m, "date"), DATE)
    for m in _BORN_LATER.finditer(ctx.text):
        ctx.spans.add(*group_span(m, "date"), DATE)
