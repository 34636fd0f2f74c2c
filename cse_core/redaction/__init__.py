"""Redact identifiers from anything before it is stored or logged (issues 5, 13 and 14).

:func:`redact` replaces names, dates, postcodes, street addresses, schools, phone numbers,
e-mail addresses, profile links, social-media handles, NHS and National Insurance numbers and
vehicle registration plates, and the area's estates, villages and landmarks, by typed placeholders (``[NAME]``, ``[DATE]``, ...) and keeps the
rest of the text as typed. Ages, towns and estates, weekdays and months used alone, the
guidance's own terms and its public phone numbers and addresses are not identifiers and stay.
:func:`redact_value` does the same through any JSON-like value (metadata, entities, slots).

One recognizer per identifier class, in the spirit of Microsoft Presidio's predefined
recognizers (a named pattern, context words, validation such as the NHS number's mod-11
check), in this order: an earlier recognizer's span wins, later ones skip text already taken.

Linear time (issue 13): every regular expression runs on RE2 (``google-re2``), which never
backtracks; the street, school and name rules work on tokens and look a bounded number of
tokens around each; a byte per character records what is taken. Local words come from
``knowledge/`` (:mod:`cse_core.locality`); names from :mod:`cse_core.names`.

Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cse_core import locality, names
from cse_core.redaction import dates, numbers, online, places
from cse_core.redaction.context import (
    ADDRESS,
    DATE,
    EMAIL,
    HANDLE,
    LABELS,
    NAME,
    NHS_NUMBER,
    NI_NUMBER,
    PHONE,
    PLACE,
    PLATE,
    POSTCODE,
    SCHOOL,
    URL,
    Context,
)
from cse_core.tokens import Span, Spans, normalise, tokenize

__all__ = [
    "ADDRESS",
    "DATE",
    "EMAIL",
    "HANDLE",
    "LABELS",
    "NAME",
    "NHS_NUMBER",
    "NI_NUMBER",
    "PHONE",
    "PLACE",
    "PLATE",
    "POSTCODE",
    "RECOGNIZERS",
    "SCHOOL",
    "URL",
    "Span",
    "find",
    "redact",
    "redact_value",
    "warm_up",
]

Recognizer = Callable[[Context], None]

# In order: links and addresses first (they contain digits and words the others would split),
# then the numbers, dates, places, and names last (they skip whatever is already taken).
RECOGNIZERS: dict[str, Recognizer] = {
    "url": online.urls,
    "email": online.emails,
    "handle": online.handles,
    "date": dates.dates,
    "nhs_number": numbers.nhs_numbers,
    "ni_number": numbers.ni_numbers,
    "phone": numbers.phones,
    "plate": numbers.plates,
    "postcode": places.postcodes,
    "address": places.addresses,
    "school": places.schools,
    "place": places.areas,
    "name": lambda ctx: names.find_in(ctx.tokens, ctx.spans, ctx.protected),
}


def find(text: str) -> list[Span]:
    """The identifiers in ``text``, as character spans, in text order."""
    if not text or not text.strip():
        return []
    norm = normalise(text)
    tokens = tokenize(norm)
    protected, allowed = names.protected_tokens(tokens)
    ctx = Context(norm, tokens, Spans(len(norm)), locality.load(), protected, allowed)
    for recognize in RECOGNIZERS.values():
        recognize(ctx)
    return ctx.spans.sorted()


def redact(text: str) -> str:
    """``text`` with every identifier replaced by its placeholder ([NAME], [DATE] ...)."""
    out, pos = [], 0
    for span in find(text):
        out.append(text[pos:span.start])
        out.append(span.label)
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def redact_value(value: Any, redact_text: Callable[[str], str] = redact) -> Any:
    """Any JSON-like value with identifiers redacted wherever they stand: strings, numbers
    (a phone number sent as an integer), inside lists and dicts (keys too). A value with
    nothing to redact comes back as it was, type and all; one that had is a string.
    ``redact_text``: what redacts one string (the event store passes a memoised one)."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        text = str(value)
        redacted = redact_text(text)
        return value if redacted == text else redacted
    if isinstance(value, dict):
        return {redact_value(k, redact_text) if isinstance(k, str) else k: redact_value(v, redact_text)
                for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [redact_value(v, redact_text) for v in value]
    return redact_text(str(value))  # anything else is stored as its text: redact that


def warm_up() -> None:
    """Load the word tables and local lists now (about two seconds), not on a first message."""
    names.warm_up()
    locality.load()
    redact("Chloe Smith, 07700 900123, 12 Elm Road DL1 1AA")
