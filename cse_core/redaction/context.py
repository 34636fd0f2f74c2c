"""What every recognizer reads: the normalised text, its tokens, the spans taken so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cse_core.locality import Locality
from cse_core.tokens import Spans, Token

NAME, DATE, POSTCODE, ADDRESS, PHONE, EMAIL, SCHOOL = (
    "[NAME]", "[DATE]", "[POSTCODE]", "[ADDRESS]", "[PHONE]", "[EMAIL]", "[SCHOOL]")
NHS_NUMBER, NI_NUMBER, PLATE, HANDLE, URL = "[NHS_NUMBER]", "[NI_NUMBER]", "[PLATE]", "[HANDLE]", "[URL]"
PLACE = "[PLACE]"
LABELS = (NAME, DATE, POSTCODE, ADDRESS, PHONE, EMAIL, SCHOOL, NHS_NUMBER, NI_NUMBER, PLATE, HANDLE, URL, PLACE)


@dataclass
class Context:
    text: str  # normalised: same length and offsets as the message
    tokens: list[Token]
    spans: Spans
    local: Locality
    protected: set[int] = field(default_factory=set)  # token indices of local places and terms
    allowed: list[tuple[int, int]] = field(default_factory=list)  # their character ranges

    def before(self, start: int, chars: int = 40) -> str:
        """The lower-case text just before ``start``: where context words stand."""
        return self.text[max(0, start - chars):start].lower()


def group_span(match: Any, name: str) -> tuple[int, int]:
    """The span of a named group (RE2's match objects take group numbers only)."""
    return match.span(match.re.groupindex[name])
