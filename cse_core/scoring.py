"""Pre-screen scoring: the 14 ratings -> a suggested level, by the rules in knowledge/.

The rules (knowledge/risk_rules.yml) are data: thresholds and their order can change
without touching this code. *Not known* answers are never scored; they become gaps.
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
    floor_id: str | None = None
    gaps: list[str] = field(default_factory=list)


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
    for floor in rules["floors"]:
        applies = any(flags.get(f) for f in floor["applies_if_any"])
        above = floor["and_any_rated_above"]
        concern = any(
            r in RATING_ORDER and RATING_ORDER.index(r) > RATING_ORDER.index(above) for r in ratings.values()
        )
        if not (applies and concern):
            continue
        outcome.referral_required = outcome.referral_required or bool(floor.get("referral_required"))
        outcome.floor_id = floor["id"]
        if LEVEL_ORDER.index(outcome.level) < LEVEL_ORDER.index(floor["minimum_level"]):
            who = " and ".join(k.message(f"screening.who_{f}") for f in floor["applies_if_any"] if flags.get(f))
            top = _highest_rated(ratings) or "low"
            outcome.level = floor["minimum_level"]
            outcome.reason = k.message("screening.reason_floor").format(who=who, detail=_detail(k, ratings, top))
    outcome.gaps = _names(k, ratings, "not_known")
    return outcome
