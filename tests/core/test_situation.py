"""A message that describes a child (issue 11): read it, answer what to do now."""

from __future__ import annotations

import pytest

from cse_core import conversation, phrases, situation, talk
from cse_core.conversation import Context


@pytest.fixture(scope="module")
def t(k):
    return talk.load(k)


def read(k, t, text):
    return situation.read(k, t, phrases.parse(text), text, t.status_priority)


def reply(k, t, text, audience="practitioner"):
    return conversation.respond(k, t, text, "nlu_fallback", 0.3, Context(), audience)


def text_of(r):
    return "\n".join(m.text for m in r.messages)


def test_a_parent_describing_three_signs(k, t):
    s = read(k, t, "my 13 yr old has a new phone she won't explain, stays out late and has an older boyfriend, "
                   "what should I do?")
    assert s.child and s.age == 13 and s.age_band == "13_15"
    assert set(s.signs) == {"rewards", "missing", "abusive_adults"}
    assert "what_now" in s.questions and s.describes_concern


def test_the_answer_is_action_first_and_never_talks_them_out_of_it(k, t):
    r = reply(k, t, "my daughter is 13, she has a new phone she won't explain, stays out late and has an older "
                    "boyfriend. should I be worried?", audience="parent")
    first = r.messages[0].text
    assert "01325 406222" in first and "childrensaccesspoint@darlington.gov.uk" in first
    assert "999" in first
    body = text_of(r).lower()
    assert "may mean little" not in body and "wait" not in body
    assert "Rewards" in text_of(r) and "Running away / going missing" in text_of(r)
    assert any(b.payload == "/start_screening" for m in r.messages for b in m.buttons)


@pytest.mark.parametrize("text", [
    "my 12 year old keeps going missing and comes home with expensive trainers",
    "she has a learning disability and a man keeps giving her money and lifts in his car",
    "year 7 pupil, older lads are picking her up outside school",
])
def test_under_13_or_a_learning_disability_means_a_referral_is_required(k, t, text):
    s = read(k, t, text)
    assert s.referral_required
    assert "referral to the Children's Access Point is required" in text_of(reply(k, t, text))


def test_a_case_status_gives_the_first_step_of_its_route(k, t):
    r = reply(k, t, "she's 15 and has a social worker, she's been going missing and coming back drunk")
    assert "case holding social worker within 24 hours" in text_of(r)
    assert r.context.pathway == "open_social_care"


def test_a_child_placed_here_by_another_council_is_the_out_of_authority_route(k, t):
    s = read(k, t, "a looked after child placed here by another council has been going missing with older men")
    assert s.case_status == "out_of_authority"


def test_an_adults_age_is_a_sign_and_not_the_childs_age(k, t):
    s = read(k, t, "my 14 year old daughter's boyfriend is 19 and buys her things")
    assert s.age == 14
    assert "abusive_adults" in s.signs and "rewards" in s.signs


def test_the_prefill_holds_slot_values_only(k, t):
    s = read(k, t, "I'm a teacher. a year 9 girl with learning difficulties has been truanting and has a new phone")
    values = s.prefill()
    assert values["audience"] == "practitioner"
    assert values["age_band"] == "13_15"
    assert values["learning_disability"] == "yes"
    assert values["ind_education"] in ("medium", "high")
    assert all(isinstance(v, str) and " " not in v for v in values.values())


def test_a_young_person_about_themselves_gets_words_for_them(k, t):
    r = reply(k, t, "im 14 and my boyfriend is 19 and buys me stuff, is that ok?")
    assert "0800 1111" in text_of(r)
    assert not any(b.payload == "/start_screening" for m in r.messages for b in m.buttons)


def test_ordinary_teenage_life_is_not_a_concern(k, t):
    s = read(k, t, "my 15 year old has a girlfriend her own age, they go to the cinema, is that normal?")
    assert not s.signs and not s.describes_concern


def test_inside_the_pre_screen_a_description_is_not_a_new_case(k, t):
    text = "she stays out late and has an older boyfriend"
    assert conversation.respond(k, t, text, "nlu_fallback", 0.3, Context(), "parent", in_form=True) is None


@pytest.mark.parametrize(("text", "age"), [
    ("my daughter is 14 and stays out late", 14),
    ("she's 13 and has an older boyfriend", 13),
    ("a 12 year old boy in my class keeps going missing", 12),
    ("my son, aged 15, has a new phone", 15),
    ("year 8 girl, truanting", 12),
])
def test_the_childs_age_in_everyday_words(k, t, text, age):
    assert read(k, t, text).age == age


# --- found by a black-box tester (issue 11): each was a wrong answer --------------------------


def test_send_in_a_sentence_is_not_a_learning_disability(k, t):
    s = read(k, t, "my daughters friend told me my daughter is sending nudes to someone she met online. she's 14")
    assert not s.learning_disability
    assert "learning disability" not in text_of(reply(k, t, "a man asked my 14 year old to send him pictures"))


@pytest.mark.parametrize("text", [
    "my 16 yr old has started drinking at weekends with mates, normal teenage stuff?",
    "my 15 yr old wants to go to a party on saturday with her mates from school, is that ok?",
    "my son is 16 and has a girlfriend the same age, should i be worried",
])
def test_ordinary_teenage_life_gets_what_to_look_out_for_not_an_alarm(k, t, text):
    r = reply(k, t, text, audience="parent")
    assert r.kind == "watch"
    assert "01325 406222" in text_of(r)  # the CAP is there if they are worried
    assert "please share this concern" not in text_of(r)


def test_i_think_my_daughter_is_being_groomed_is_told_what_to_do(k, t):
    r = reply(k, t, "i think my daughter is being groomed", audience="parent")
    assert "01325 406222" in text_of(r) and "999" in text_of(r)


@pytest.mark.parametrize(("text", "status"), [
    ("We have a looked after child placed here by Leeds, she's 15 and has been missing 3 times this month",
     "out_of_authority"),
    ("one of our darlington lads is placed in a childrens home in middlesbrough and staff think hes being exploited",
     "placed_out_of_area"),
    ("her social worker is from Stockton council, she lives with foster carers here and keeps going missing",
     "out_of_authority"),
])
def test_placements_in_free_text_take_their_route(k, t, text, status):
    assert read(k, t, text).case_status == status


def test_the_case_holding_social_worker_is_given_the_steps_that_are_theirs(k, t):
    r = reply(k, t, "I'm her social worker. a 15 year old on my caseload has been given vodka and weed by a 24 yr old "
                    "who picks her up from school")
    body = text_of(r)
    assert "As you hold the case" in body
    assert "completes the CSE risk assessment form" in body


# --- third blind round (issue 11): own wording for what the dev split showed -------------------


@pytest.mark.parametrize(("text", "age"), [
    ("YP (15, autistic) came back to the unit after midnight with a new coat", 15),
    ("one of our girls, 14, has been seen in cars with older men", 14),
    ("my lad is 11 and keeps going off with older boys he won't name", 11),
    ("a 16 yr old lad in our project says men on an app send him money", 16),
])
def test_an_age_beside_the_word_for_the_child_is_the_childs_age(k, t, text, age):
    s = read(k, t, text)
    assert s.child and s.age == age


def test_a_number_that_is_not_an_age_is_not_read_as_one(k, t):
    assert read(k, t, "my son 10 minutes ago got into a car with an older man").age is None


@pytest.mark.parametrize(("text", "indicator"), [
    ("she's been knocking about with 19 and 20 year olds from the estate", "abusive_adults"),
    ("a man outside the shop hands out free cigs to the kids", "rewards"),
    ("he told her she can sleep at his flat whenever she wants", "abusive_adults"),
    ("she met up with older men she found through a dating app", "abusive_adults"),
])
def test_more_ways_of_describing_the_signs(k, t, text, indicator):
    assert indicator in read(k, t, text).signs


def test_a_learning_disability_and_a_sign_are_a_concern_without_the_word_child(k, t):
    r = reply(k, t, "YP with a learning disability was seen leaving with two adult males tonight")
    assert r is not None and r.kind == "situation"
    assert "referral to the Children's Access Point is required" in text_of(r)


def test_after_a_999_reply_a_described_child_is_told_what_to_do_even_with_no_known_sign(k, t):
    text = "a young person I support is with someone right now and I can't reach her"
    r = conversation.respond(k, t, text, "", 0.0, Context(), "practitioner", danger=True)
    assert r is not None and r.kind == "situation" and "01325 406222" in text_of(r)
    assert "matches these of the 14 risk indicators" not in text_of(r)  # no sign named, no empty list


def test_after_a_999_reply_a_child_writing_gets_childline(k, t):
    r = conversation.respond(k, t, "im 12 and a man keeps waiting for me by the park", "", 0.0, Context(),
                             "practitioner", danger=True)
    assert r is not None and "0800 1111" in text_of(r) and "999" in text_of(r)


@pytest.mark.parametrize(("text", "role"), [
    ("school nurse - a girl in year 9 says an older man buys her vapes", "practitioner"),
    ("resi worker: one of ours came back drunk at 3am", "practitioner"),
    ("i work in a school and a pupil told me something", "practitioner"),
    ("my lad is 12 and has a new phone", "parent"),
    ("a girl in my class has a 20 year old boyfriend", None),  # a child may write this too
])
def test_who_is_writing(text, role):
    from cse_core import audience

    assert audience.detect(text) == role


def test_a_described_child_read_as_a_role_gets_what_to_look_out_for(k, t):
    r = conversation.respond(k, t, "year 7 girl has gone very quiet since her nan died", "inform_practitioner", 0.8,
                             Context(), "practitioner")
    assert r is not None and r.kind == "watch" and "01325 406222" in text_of(r)


def test_a_role_alone_is_still_a_role(k, t):
    assert conversation.respond(k, t, "I'm a parent", "inform_parent", 0.9, Context(), "parent") is None
