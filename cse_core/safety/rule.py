"""What a rule is (a named group of patterns with its tier, victims and post-check) and what a
match of one is (:class:`Hit`).

Rules are layered: danger predicate class x victim reference x immediacy cue. A ``STRONG``
predicate (held, weapon, being hurt) is danger now by itself; a ``CURRENT`` one (missing, at a
flat with older men) is danger now by its tense but can be a screening answer or history; a
``NOW`` one (scared, "not answering", "he makes her sleep with his mates") needs an immediacy
cue or a second danger cue; a ``PLANNED`` one needs a time cue (tonight, after school).
Disclosure rules (``DISCLOSE``) need a first-person victim and no immediacy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc

from cse_core.safety.result import EMERGENCY

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


def _all(*checks: Check) -> Check:
    """A post-check that needs every one of `checks`."""
    return lambda doc, hit: all(c(doc, hit) for c in checks)
