"""What the safety detector returns: the kind of alarm (emergency, disclosure or none), the
rule that fired, and the :class:`Reading` with who it is about and when."""

from __future__ import annotations

from dataclasses import dataclass

EMERGENCY = "emergency"
DISCLOSURE = "disclosure"


@dataclass(frozen=True)
class SafetyResult:
    """What :func:`check` found: the kind and the rule that fired (never the user's text)."""

    kind: str | None  # "emergency" | "disclosure" | None
    reason: str  # name of the rule that fired, "" when kind is None


SAFE = SafetyResult(None, "")


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
