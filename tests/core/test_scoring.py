"""Every scoring rule of knowledge/risk_rules.yml, at and either side of its threshold."""

from __future__ import annotations

import pytest

from cse_core import scoring

IDS = ["family_peer", "accommodation", "education", "emotional_health", "violence", "missing",
       "abusive_adults", "substance_misuse", "coercion_control", "rewards", "sexual_health",
       "sexualised_risk", "risk_to_others", "engagement"]


def ratings(**counts: int) -> dict[str, str]:
    """14 ratings: the given number of each rating, the rest no concern."""
    out, ids = {}, iter(IDS)
    for rating, n in counts.items():
        for _ in range(n):
            out[next(ids)] = rating
    for rest in ids:
        out[rest] = "no_concern"
    return out


@pytest.mark.parametrize(
    ("counts", "level", "rule"),
    [
        ({}, "none", "none"),
        ({"not_known": 14}, "none", "none"),
        ({"low": 1}, "low", "any_low"),
        ({"low": 2}, "low", "any_low"),
        ({"low": 3}, "medium", "three_low"),
        ({"low": 14}, "medium", "three_low"),
        ({"medium": 1}, "medium", "any_medium"),
        ({"medium": 2, "low": 5}, "medium", "any_medium"),
        ({"medium": 3}, "high", "three_medium"),
        ({"high": 1}, "high", "any_high"),
        ({"high": 1, "medium": 2, "low": 2}, "high", "any_high"),
        ({"medium": 2, "not_known": 5}, "medium", "any_medium"),
        ({"low": 2, "not_known": 12}, "low", "any_low"),
    ],
)
def test_rules_and_boundaries(k, counts, level, rule):
    outcome = scoring.score(k, ratings(**counts))
    assert (outcome.level, outcome.rule_id) == (level, rule)
    assert not outcome.referral_required


def test_reason_names_the_indicator(k):
    outcome = scoring.score(k, {**ratings(), "missing": "high"})
    assert outcome.reason == "high because Running away / going missing is high"


def test_reason_for_three_medium_lists_them(k):
    outcome = scoring.score(k, ratings(medium=3))
    assert outcome.reason.startswith("high because 3 indicators are medium (Family and peer relationships, ")


def test_not_known_is_not_scored_but_listed_as_a_gap(k):
    outcome = scoring.score(k, {**ratings(low=1), "rewards": "not_known", "engagement": "not_known"})
    assert outcome.level == "low"
    assert outcome.gaps == ["Rewards", "Engagement with services"]


@pytest.mark.parametrize("flags", [{"under_13": True}, {"learning_disability": True},
                                   {"under_13": True, "learning_disability": True}])
def test_under_13_or_learning_disability_lifts_any_concern_to_medium_and_requires_referral(k, flags):
    outcome = scoring.score(k, ratings(low=1), **flags)
    assert outcome.level == "medium"
    assert outcome.referral_required
    assert "at least medium because the child" in outcome.reason


def test_floor_never_lowers_a_higher_level(k):
    outcome = scoring.score(k, ratings(high=1), under_13=True)
    assert outcome.level == "high" and outcome.referral_required


def test_floor_needs_a_concern_or_an_unknown(k):
    outcome = scoring.score(k, ratings(), under_13=True, learning_disability=True)
    assert outcome.level == "none" and not outcome.referral_required


@pytest.mark.parametrize("flags", [{"under_13": True}, {"learning_disability": True}])
def test_unknowns_alone_require_a_referral_but_do_not_lift_the_level(k, flags):
    """Section 2.2's note: a concern that cannot be ruled out still needs the referral; the
    assistant's own floor (at least medium) is for concerns that are present."""
    outcome = scoring.score(k, ratings(not_known=14), **flags)
    assert outcome.referral_required and outcome.referral_basis == "unknown"
    assert outcome.level == "none"
    assert scoring.referral_required(k, ratings(not_known=1), **flags)
    assert not scoring.referral_required(k, ratings(not_known=1))  # 13 or over, no learning disability


def test_a_present_concern_is_the_referral_basis(k):
    outcome = scoring.score(k, {**ratings(low=1), "rewards": "not_known"}, under_13=True)
    assert outcome.referral_basis == "concern" and outcome.level == "medium"
    assert "(this floor is the assistant's own rule)" in outcome.reason


def test_thresholds_are_data(k):
    import copy

    k2 = copy.deepcopy(k)
    k2.risk_rules["rules"][1]["if"]["at_least"] = 2  # three_medium -> two medium
    assert scoring.score(k2, ratings(medium=2)).level == "high"
    assert scoring.score(k, ratings(medium=2)).level == "medium"


def test_unknown_rating_is_refused(k):
    with pytest.raises(ValueError):
        scoring.score(k, {"missing": "very high"})
