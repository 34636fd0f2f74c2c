"""Typed screening answers: understood, or None so the question is asked again."""

from __future__ import annotations

import pytest

from cse_core import parsing


@pytest.mark.parametrize(("text", "rating"), [
    ("no", "no_concern"), ("nothing", "no_concern"), ("No concern", "no_concern"), ("none at all", "no_concern"),
    ("a bit", "low"), ("Low", "low"), ("slightly", "low"), ("not very", "low"),
    ("some concerns", "medium"), ("medium", "medium"), ("Moderate", "medium"), ("quite worried", "medium"),
    ("yes, a lot", "high"), ("HIGH", "high"), ("very worried", "high"), ("low to medium", "medium"),
    ("not sure", "not_known"), ("dunno", "not_known"), ("Not known", "not_known"), ("idk", "not_known"),
])
def test_ratings(text, rating):
    assert parsing.parse_rating(text) == rating


@pytest.mark.parametrize("text", ["yes", "what does coercion mean?", "why do you ask", "what counts as medium?",
                                  "purple", ""])
def test_unclear_ratings_are_not_taken(text):
    assert parsing.parse_rating(text) is None


@pytest.mark.parametrize(("text", "band", "years"), [
    ("she's 14", "13_15", 14), ("14", "13_15", 14), ("he is fourteen", "13_15", 14), ("12 years old", "under_13", 12),
    ("Under 13", "under_13", None), ("13 to 15", "13_15", None), ("16 or 17", "16_17", None), ("17yo", "16_17", 17),
    ("18 or over", "adult", None), ("she's 19", "adult", 19), ("13", "13_15", 13), ("12", "under_13", 12),
])
def test_ages(k, text, band, years):
    age = parsing.parse_age(k, text)
    assert age is not None and (age.band, age.years) == (band, years)


@pytest.mark.parametrize("text", ["born 03/04/2011", "DOB 3.4.11", "12th march 2012"])
def test_a_date_of_birth_is_flagged_not_kept(k, text):
    age = parsing.parse_age(k, text)
    assert age is not None and age.dob_given and age.band is None and age.years is None


@pytest.mark.parametrize("text", ["teenager", "14 months", "she is 14 or 16", "200"])
def test_unclear_ages(k, text):
    assert parsing.parse_age(k, text) is None


@pytest.mark.parametrize(("text", "status"), [
    ("they have a social worker", "open_social_care"), ("open to early help", "open_early_help"),
    ("Not known to services (a new case)", "new_case"), ("no, nobody's involved", "new_case"),
    ("she's from another local authority", "out_of_authority"), ("placed out of area", "placed_out_of_area"),
    ("don't know", "unknown"), ("Don't know", "unknown"), ("she has an EHA with the family worker", "open_early_help"),
])
def test_case_status(k, text, status):
    assert parsing.parse_case_status(k, text) == status


@pytest.mark.parametrize(("text", "answer"), [
    ("yes", "yes"), ("Yeah I think so", "yes"), ("no", "no"), ("nope", "no"), ("not sure", "not_sure"),
    ("dunno", "not_sure"), ("maybe", "not_sure"), ("banana", None),
])
def test_yes_no(text, answer):
    assert parsing.parse_yes_no(text) == answer


@pytest.mark.parametrize(("text", "field", "value"), [
    ("change education to high", "education", "high"),
    ("actually running away should be medium", "missing", "medium"),
    ("set substance misuse to low", "substance_misuse", "low"),
    ("can you change the age to 15", "age", "15"),
])
def test_changes(k, text, field, value):
    change = parsing.parse_change(k, text)
    assert change is not None and (change.field, change.value_text) == (field, value)


def test_a_plain_answer_is_not_a_change(k):
    assert parsing.parse_change(k, "high") is None


# Every case-status wording reaches its section 2.2 path (issue 15). A child from another
# authority living here is Process Map 4 ("Child from Out of Area" on the contents page); a
# Darlington child placed elsewhere is the sentence on the host local authority.
@pytest.mark.parametrize(("text", "status"), [
    ("a looked after child placed here by another council", "out_of_authority"),
    ("looked-after child placed in darlington by leeds", "out_of_authority"),
    ("LAC placed here by Durham County Council", "out_of_authority"),
    ("in foster care here, placed by Stockton", "out_of_authority"),
    ("from Leeds living here", "out_of_authority"),
    ("she's from leeds but living here", "out_of_authority"),
    ("he's a Leeds child living in Darlington", "out_of_authority"),
    ("she moved here from Newcastle last month", "out_of_authority"),
    ("her social worker is in Leeds", "out_of_authority"),
    ("has a social worker from another authority", "out_of_authority"),
    ("social worker elsewhere", "out_of_authority"),
    ("out of area", "out_of_authority"),
    ("out of area child living here", "out_of_authority"),
    ("the placing authority is Leeds", "out_of_authority"),
    ("From another authority, living in Darlington", "out_of_authority"),
    ("a darlington child placed elsewhere", "placed_out_of_area"),
    ("a darlington child in a placement in York", "placed_out_of_area"),
    ("one of our looked after children placed in Middlesbrough", "placed_out_of_area"),
    ("she lives outside darlington in a foster placement", "placed_out_of_area"),
    ("we placed her in a children's home in Leeds", "placed_out_of_area"),
    ("the host authority", "placed_out_of_area"),
    ("A Darlington child placed out of area", "placed_out_of_area"),
    ("a looked after child", "open_social_care"),
    ("looked after by darlington, lives in darlington", "open_social_care"),
    ("she lives in darlington and has a social worker", "open_social_care"),
    ("the social worker in the team", "open_social_care"),
    ("child protection plan", "open_social_care"),
    ("early help are working with us", "open_early_help"),
    ("not known", "new_case"),
    ("no", "new_case"),
    ("A new case (not open to Early Help or Social Care)", "new_case"),
    ("not sure", "unknown"),
])
def test_case_status_by_where_the_child_lives(k, text, status):
    assert parsing.parse_case_status(k, text) == status


@pytest.mark.parametrize("text", ["she lives here with her mum", "the child lives in darlington", "purple",
                                  "she is 14 and lives with her nan"])
def test_living_here_alone_names_no_status(k, text):
    assert parsing.parse_case_status(k, text) is None


def test_the_area_name_comes_from_the_knowledge(k):
    import copy

    k2 = copy.deepcopy(k)
    k2.document["area"] = "Leeds"
    assert parsing.case_status_from_text(k2, "a Leeds child placed in York") == "placed_out_of_area"
    assert parsing.case_status_from_text(k2, "from Darlington, living in Leeds") == "out_of_authority"
