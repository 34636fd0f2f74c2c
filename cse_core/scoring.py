"""Pre-screen scoring: the 14 ratings -> an indicative level, by the rules in knowledge/.

The rules (knowledge/risk_rules.yml) are the assistant's own, not the guidance's: the
Children's Access Point, or for a case open to social care the social worker, determines
the actual level (section 2.2), and every place that shows this level says so. They are
data: thresholds and their order can change without touching this code. *Not known*
answers are never scored; they become gaps, and for a child under 13 or with a learning
disability they still make a referral to the CAP required (section 2.2's note).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cse_core.knowledge import Knowledge

LEVEL_ORDER = ["none", "low", "medium", "high"]
RATING_ORDER = ["no_concern", "low", "medium", "high"]


@dataclass
class Outcome:
    level: str
    rule_id: str
    reason: str
    referral_required: bool = False
    # Why the referral is required: "concern" (a concern is present) or "unknown" (only
    # indicators not known, so a concern cannot be ruled out); None when not required.
    referral_basis: str | None = None
    floor_id: str | None = None
    gaps: list[str] = field(default_factory=list)


CONCERNS = {"low", "medium", "high"}


def _names(k: Knowledge, ratings: dict[str, str], rating: str) -> list[str]:
    return [i.name for i in k.indicators if ratings.get(i.id) == rating]


def _detail(k: Knowledge, ratings: dict[str, str], rating: str) -> str:
    names = _names(k, ratings, rating)
    label = k.message("screening.rating_labels")[rating]
    if len(names) == 1:
        return k.message("screening.reason_one").format(name=names[0], rating=label)
    return k.message("screening.reason_many").format(count=len(names), rating=label, names=", ".join(names))


def _highest_rated(ratings: dict[str, str]) -> str | None:
    scored = [r for r in ratings.values() if r in RATING_ORDER and r != "no_concern"]
    return max(scored, key=RATING_ORDER.index) if scored else None


def score(k: Knowledge, ratings: dict[str, str], *, under_13: bool = False,
          learning_disability: bool = False) -> Outcome:
    """Apply the first matching rule, then any floor (under 13 / learning disability)."""
    rules: dict[str, Any] = k.risk_rules
    unknown = set(ratings.values()) - set(rules["ratings"])
    if unknown:
        raise ValueError(f"unknown rating(s): {sorted(unknown)}")
    outcome = None
    for rule in rules["rules"]:
        cond = rule["if"]
        if cond is None or sum(1 for r in ratings.values() if r == cond["rating"]) >= cond["at_least"]:
            level_label = k.message("screening.level_labels")[rule["level"]]
            if cond is None:  # the default rule explains itself
                reason = rule["reason"]
            else:
                detail = _detail(k, ratings, cond["rating"])
                reason = k.message("screening.reason_rule").format(level=level_label, detail=detail)
            outcome = Outcome(level=rule["level"], rule_id=rule["id"], reason=reason)
            break
    assert outcome is not None  # the loader guarantees a default rule

    flags = {"under_13": under_13, "learning_disability": learning_disability}
    rated = set(ratings.values())
    for floor in rules["floors"]:
        if not any(flags.get(f) for f in floor["applies_if_any"]):
            continue
        if floor.get("referral_required") and rated & set(floor["referral_when_any_rated"]):
            outcome.referral_required = True
            concern = "concern" if rated & CONCERNS else "unknown"
            if outcome.referral_basis != "concern":
                outcome.referral_basis = concern
            outcome.floor_id = floor["id"]
        if not rated & set(floor["minimum_when_any_rated"]):
            continue
        outcome.floor_id = floor["id"]
        if LEVEL_ORDER.index(outcome.level) < LEVEL_ORDER.index(floor["minimum_level"]):
            who = " and ".join(k.message(f"screening.who_{f}") for f in floor["applies_if_any"] if flags.get(f))
            top = _highest_rated(ratings) or "low"
            outcome.level = floor["minimum_level"]
            level_label = k.message("screening.level_labels")[floor["minimum_level"]]
            outcome.reason = k.message("screening.reason_floor").format(
                level=level_label, who=who, detail=_detail(k, ratings, top))
    outcome.gaps = _names(k, ratings, "not_known")
    if outcome.level == "none" and outcome.gaps:  # "no concern" would misread a list of unknowns
        outcome.reason = k.message("screening.reason_none_with_gaps").format(count=len(outcome.gaps))
    return outcome


def referral_required(k: Knowledge, ratings: dict[str, str], *, under_13: bool = False,
                      learning_disability: bool = False) -> bool:
    """Section 2.2's note: a child under 13 and/or with a learning disability, with any
    concern present or not known (knowledge/risk_rules.yml `referral_when_any_rated`),
    needs a referral to the CAP. For the Q&A and situation answers as well as the outcome."""
    return score(k, ratings, under_13=under_13, learning_disability=learning_disability).referral_required
