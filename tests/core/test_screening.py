"""The pre-screen's outcome: every case status x level cell of the pathway table."""

from __future__ import annotations

import datetime as dt

import pytest

from cse_core import screening

LEVEL_RATINGS = {"none": {}, "low": {"ind_education": "low"}, "medium": {"ind_education": "medium"},
                 "high": {"ind_missing": "high"}}


def state(k, status="new_case", level="low", **extra):
    s = {slot: None for slot in screening.slot_names(k)}
    s.update(screen_danger="no", audience="practitioner", age_band="13_15", learning_disability="no",
             case_status=status, other_children="no", offender_details="no")
    for ind in k.indicators:
        s[screening.IND_PREFIX + ind.id] = "no_concern"
    s.update(LEVEL_RATINGS[level])
    s.update(extra)
    return s


# What section 2.2 says happens, per case status and level (a phrase that must appear,
# and one that must not).
CELLS = {
    ("open_early_help", "low"): ("remains open to Early Help Services", "First Response"),
    ("open_early_help", "medium"): ("Children's First Response Team", "remains open to Early Help"),
    ("open_early_help", "high"): ("Children's First Response Team", "remains open to Early Help"),
    ("open_social_care", "low"): ("case holding social worker within 24 hours", "Designated CSE worker"),
    ("open_social_care", "medium"): ("Designated CSE worker and the Darlington Safeguarding Partnership Missing and Exploited Group", "Early Help Assessment"),
    ("open_social_care", "high"): ("team manager", "Early Help Assessment"),
    ("new_case", "low"): ("Early Help Assessment (EHA)", "First Response"),
    ("new_case", "medium"): ("Children and Families Assessment Team", "Early Help Assessment"),
    ("new_case", "high"): ("Children's First Response Team", "Early Help Assessment"),
    ("out_of_authority", "low"): ("informs the child's placing social worker", "Missing and Exploited Group"),
    ("out_of_authority", "medium"): ("Designated CSE Worker", "First Response"),
    ("out_of_authority", "high"): ("Missing and Exploited Group (MEG)", "First Response"),
    ("placed_out_of_area", "low"): ("liaises with the host Local Authority", "First Response"),
    ("placed_out_of_area", "medium"): ("liaises with the host Local Authority", "First Response"),
    ("placed_out_of_area", "high"): ("liaises with the host Local Authority", "First Response"),
}


@pytest.mark.parametrize(("status", "level"), sorted(CELLS))
def test_every_status_and_level(k, status, level):
    result = screening.result(k, state(k, status, level))
    assert result.outcome.level == level
    assert result.pathway == status
    nxt = next(m for m in result.messages if m.startswith("Next steps for "))
    must, must_not = CELLS[(status, level)]
    assert must in nxt
    assert must_not not in nxt
    assert ("stepped down" in nxt) == (level in ("medium", "high"))


def test_no_indicators_still_says_contact_cap(k):
    result = screening.result(k, state(k, level="none"))
    text = "\n".join(result.messages)
    assert result.outcome.level == "none"
    assert "If you remain concerned, contact the Children's Access Point anyway: 01325 406222" in text
    assert not any(m.startswith("Next steps for ") for m in result.messages)


def test_dont_know_status_routes_as_new_case_and_says_cap_will_check(k):
    result = screening.result(k, state(k, "unknown", "low"))
    assert result.pathway == "new_case"
    text = "\n".join(result.messages)
    assert "this shows the route for a new case" in text
    assert "The CAP determines whether the case is open to Early Help" in text


def test_do_now_names_cap_999_other_children_and_the_form(k):
    result = screening.result(k, state(k, level="medium", other_children="yes", offender_details="yes"))
    do_now = result.messages[1]
    assert "01325 406222" in do_now and "childrensaccesspoint@darlington.gov.uk" in do_now
    assert "999" in do_now
    assert "other children" in do_now
    assert "Information Sharing Form" in do_now and "Durham Constabulary" in do_now


def test_the_form_is_only_offered_when_there_are_details(k):
    assert "Information Sharing Form" not in screening.result(k, state(k, level="medium")).messages[1]


def test_under_13_requires_referral_in_the_outcome(k):
    result = screening.result(k, state(k, level="low", age_band="under_13"))
    assert result.outcome.level == "medium"
    assert "A referral to the Children's Access Point is required" in result.messages[0]


def test_summary_has_no_free_text_and_names_versions(k):
    s = state(k, "open_social_care", "high", ind_rewards="not_known")
    summary = screening.result(k, s, today=dt.date(2026, 11, 28)).summary
    assert "Date of pre-screen: 2026-11-28" in summary
    assert "Age band: 13 to 15" in summary
    assert "6. Running away / going missing: high" in summary
    assert "10. Rewards: not known" in summary
    assert f"Pre-screen rules version: {k.risk_rules['version']}" in summary
    assert "Indicative level (this assistant's own rules, not the guidance): high" in summary
    assert "Level of risk determined by: the case holding social worker, who completes the CSE risk assessment form" in summary
    assert "Guidance version: DSP1" in summary
    assert "Not known yet: Rewards" in summary


def test_it_says_it_is_a_pre_screen(k):
    text = "\n".join(screening.result(k, state(k)).messages)
    assert "Child Sexual Exploitation Risk Assessment Tool" in text and "pre-screen" in text


def test_indicator_prompt_shows_progress_and_descriptors(k):
    q = screening.question(k, "ind_violence")
    text = screening.prompt(k, q, "practitioner")
    assert text.startswith("Indicator 5 of 14: Experience of violence.")
    assert "- High: injuries suggesting physical or sexual assault" in text
    parent = screening.prompt(k, q, "parent")
    assert "- High: injuries that look like they were hurt or sexually assaulted" in parent


def test_options_are_understood_by_their_own_parser(k):
    for q in screening.questions(k):
        for option in screening.options(k, q):
            assert screening.parse(k, q, option) is not None, (q.slot, option)
