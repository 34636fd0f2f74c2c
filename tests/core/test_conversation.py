"""Conversations, not single questions (issue 11): follow-ups read against the topic."""

from __future__ import annotations

import pytest

from cse_core import conversation, talk
from cse_core.conversation import Context


@pytest.fixture(scope="module")
def t(k):
    return talk.load(k)


def say(k, t, text, ctx=None, intent="nlu_fallback", confidence=0.3, audience="practitioner", in_form=False):
    return conversation.respond(k, t, text, intent, confidence, ctx or Context(), audience, in_form=in_form)


def text_of(reply):
    return "\n".join(m.text for m in reply.messages)


def buttons_of(reply):
    return [b.title for m in reply.messages for b in m.buttons]


# --- attributes of the topic -------------------------------------------------------------


@pytest.mark.parametrize(("topic", "question", "fact"), [
    ("contact_cap", "and their email?", "childrensaccesspoint@darlington.gov.uk"),
    ("contact_cap", "whats the number", "01325 406222"),
    ("meg", "how often does it meet?", "monthly"),
    ("meg", "who chairs it", "Safeguarding Lead from Durham Constabulary"),
    ("meg", "how do i get a case on it", "DSP@darlington.gov.uk"),
    ("information_sharing", "where do i send it?", "Durham Constabulary"),
    ("information_sharing", "what do i put on it", "suspected vehicles"),
    ("step_down", "how long does that last", "up to 3 months"),
    ("grooming_stages", "how long does it take?", "a few days to several years"),
    ("pathway_open_social_care", "how long does that take", "within 24 hours"),
])
def test_an_attribute_of_the_topic_is_its_fact_with_the_source(k, t, topic, question, fact):
    reply = say(k, t, question, Context(topic))
    assert reply is not None and reply.kind == "fact"
    assert fact in text_of(reply)
    assert "Source:" in text_of(reply)


def test_two_attributes_in_one_question_get_both_facts(k, t):
    reply = say(k, t, "who chairs the MEG and how often does it meet", intent="ask_meg", confidence=0.9)
    assert "monthly" in text_of(reply) and "Durham Constabulary" in text_of(reply)


def test_an_attribute_the_guidance_does_not_give_says_so_and_never_invents(k, t):
    reply = say(k, t, "what's their website?", Context("information_sharing"))
    assert "doesn't say" in text_of(reply)
    assert "www." not in text_of(reply).split("Here is what it does say:")[0]


def test_an_attribute_held_by_a_related_topic_is_found_there(k, t):
    """After a social-care pathway that names the MEG, "who chairs that meeting" is the MEG."""
    reply = say(k, t, "who chairs that meeting then", Context("pathway_open_social_care", "open_social_care", "low"))
    assert "chaired by a Safeguarding Lead from Durham Constabulary" in text_of(reply)
    assert reply.context.entry == "meg"


# --- pathway x level ---------------------------------------------------------------------


def test_a_level_after_a_pathway_is_that_cell(k, t):
    reply = say(k, t, "and if it's high?", Context("pathway_open_early_help", "open_early_help"))
    body = text_of(reply)
    assert reply.kind == "cell" and "high risk" in body
    assert "Children's First Response Team" in body
    assert "remains open to Early Help" not in body  # the low-risk step is not shown
    assert reply.context.level == "high"


def test_another_status_keeps_the_level_asked(k, t):
    reply = say(k, t, "what if it's a new case instead?", Context("pathway_open_early_help", "open_early_help", "medium"))
    assert reply.context.pathway == "new_case" and reply.context.level == "medium"
    assert "Children and Families Assessment Team" in text_of(reply)


def test_a_status_and_level_in_one_message(k, t):
    reply = say(k, t, "open to social care, low risk, what happens")
    assert reply.kind == "cell" and reply.context.pathway == "open_social_care"
    assert "within 24 hours" in text_of(reply)
    assert "Designated CSE worker" not in text_of(reply)  # medium and high only


def test_a_route_with_the_same_steps_at_every_level_says_so(k, t):
    reply = say(k, t, "a darlington child placed out of area, high risk, what happens?")
    assert reply.context.pathway == "placed_out_of_area"
    assert "same steps at every level" in text_of(reply)


def test_a_child_from_out_of_area_living_here_takes_that_route_at_the_level_asked(k, t):
    low = say(k, t, "child from out of area living here, low risk, what happens?")
    high = say(k, t, "child from out of area living here, high risk, what happens?")
    assert low.context.pathway == high.context.pathway == "out_of_authority"
    assert "placing social worker" in text_of(low)
    assert "MEG" not in text_of(low).split("Source:")[0] and "MEG" in text_of(high)


def test_a_level_after_a_screening_outcome_is_read_against_its_pathway(k, t):
    reply = say(k, t, "what if CAP rate it high though", Context("pathway_new_case", "new_case", "low"))
    assert reply.kind == "cell" and reply.context.level == "high"


# --- pronouns, ellipsis and siblings -----------------------------------------------------


@pytest.mark.parametrize(("topic", "question", "expected"), [
    ("trauma_bonding", "how does that end?", "breaking_bond"),
    ("trauma_bonding", "why does that happen", "survival_brain"),
    ("stage_befriending", "and the next one?", "stage_exchange_of_favours"),
    ("stage_control", "and the one before it?", "stage_exchange_of_favours"),
    ("stage_exchange_of_favours", "and what happens after control?", "stage_exploitation"),
    ("model_boyfriend", "and the party model?", "model_party"),
    ("meg", "tell me more", "mesa"),
    # found by the second blind set's dev split (own wording here)
    ("stage_exchange_of_favours", "which stage comes before it", "stage_befriending"),
    ("stage_befriending", "and after?", "stage_exchange_of_favours"),
    ("model_befriending", "which one is it where he pretends to be her boyfriend", "model_boyfriend"),
    ("survival_brain", "and the bonding bit", "trauma_bonding"),
    ("sexting", "and if they threaten to post the photos?", "image_threats"),
    ("online_grooming", "does it happen on roblox too", "online_grooming"),
])
def test_follow_ups_lead_to_the_entry_they_mean(k, t, topic, question, expected):
    reply = say(k, t, question, Context(topic))
    assert reply is not None and reply.context.entry == expected


def test_boys_as_well_is_answered_from_the_guidance(k, t):
    reply = say(k, t, "does it happen to lads as well?", Context("trauma_bonding"))
    assert "boys, young men" in text_of(reply)


def test_an_unresolvable_follow_up_asks_one_short_question_with_the_likely_topics(k, t):
    reply = say(k, t, "and what about that?", Context("trauma_bonding"))
    assert reply.kind == "clarify"
    assert len(reply.messages) == 1 and reply.messages[0].buttons
    assert "Breaking the trauma bond" in buttons_of(reply)
    assert "I can help with" not in text_of(reply)  # never the capabilities menu


def test_a_new_topic_replaces_the_old_one(k, t):
    reply = say(k, t, "what's the difference between the boyfriend model and the party model", Context("meg"))
    assert reply.kind == "compare"
    assert "'boyfriend' / pimp model" in text_of(reply) and "'party' model" in text_of(reply)


def test_a_comparison_with_the_current_topic(k, t):
    reply = say(k, t, "how is that different from the party model?", Context("model_boyfriend"))
    assert reply.kind == "compare"
    assert {b for b in buttons_of(reply)} == {"The 'boyfriend' / pimp model", "The 'party' model"}


def test_a_question_the_classifier_is_sure_of_is_left_to_it(k, t):
    assert say(k, t, "what is trauma bonding", Context("meg"), intent="ask_trauma_bonding", confidence=0.95) is None


# --- what should I do ---------------------------------------------------------------------


def test_what_should_i_do_on_its_own_is_the_what_to_do_answer(k, t):
    reply = say(k, t, "What should I do?", intent="ask_capabilities", confidence=0.6)
    assert reply.context.entry == "what_to_do"
    assert "01325 406222" in text_of(reply) and "999" in text_of(reply)


def test_what_should_i_do_after_a_topic_is_what_to_do(k, t):
    reply = say(k, t, "ok so what do i do now", Context("signs"))
    assert reply.context.entry == "what_to_do"


# --- other areas' words -------------------------------------------------------------------


@pytest.mark.parametrize(("question", "entry", "says"), [
    ("how do i make a MASH referral", "what_to_do", "Children's Access Point"),
    ("is there a mace panel in darlington", "meg", "Missing and Exploited Group"),
    ("im the dsl, what do i do", "what_to_do", "not from the Darlington procedure"),
])
def test_other_areas_words_say_what_darlington_calls_them(k, t, question, entry, says):
    reply = say(k, t, question)
    assert reply.context.entry == entry
    assert says in reply.messages[0].text.split("\n\n")[0]


def test_a_term_is_explained_once_per_conversation(k, t):
    first = say(k, t, "how do i make a MASH referral")
    again = say(k, t, "how do i make a MASH referral", first.context)
    assert "In Darlington" in text_of(first)
    assert not text_of(again).startswith("In Darlington")


# --- context in the slot ------------------------------------------------------------------


def test_context_round_trips_through_a_slot_and_keeps_no_text():
    ctx = Context("meg", "new_case", "high", ["mace"])
    assert Context.from_slot(ctx.to_slot()) == ctx
    assert Context.from_slot({"entry": "meg", "level": "enormous"}).level is None
    assert Context.from_slot("garbage") == Context()


@pytest.mark.parametrize("question", [
    "How do I make a Prevent referral about a pupil I think is being radicalised?",
    "my elderly mum's carer is taking money from her purse, who do I report it to?",
])
def test_safeguarding_words_about_something_else_are_out_of_scope(k, t, question):
    reply = say(k, t, question, intent="ask_what_to_do", confidence=0.8)
    assert reply.kind == "not_covered"
    assert "I can only help with Darlington's child sexual exploitation" in text_of(reply)


# --- found by a black-box tester (issue 11): each was a wrong answer --------------------------


@pytest.mark.parametrize(("topic", "question", "expected"), [
    ("contact_cap", "and out of hours?", "doesn't say an out-of-hours contact"),
    ("sexting", "is it illegal?", "indecent images of children"),
    ("low_risk", "who manages them?", "Early Help"),
    ("low_risk", "what if it gets worse?", "must refer to the CAP"),
    ("signs", "what if its only one of them?", "three or more"),
    ("cse_definition", "does it have to involve touching?", "physical contact"),
    ("image_threats", "what can we do about it?", "ceop.police.uk"),
])
def test_the_guidance_has_the_answer_so_no_menu(k, t, topic, question, expected):
    reply = say(k, t, question, Context(topic))
    assert reply is not None and reply.kind != "clarify"
    assert expected in text_of(reply)


def test_who_chairs_mesa_is_not_the_meg_chair(k, t):
    reply = say(k, t, "who chairs it?", Context("mesa"))
    assert "Durham Constabulary" not in text_of(reply).split("Here is what it does say")[0]
    assert "doesn't say" in text_of(reply)


def test_an_example_of_a_model_is_not_another_model(k, t):
    reply = say(k, t, "an example?", Context("model_peer_on_peer"))
    assert reply.context.entry != "model_boyfriend"


def test_tell_me_more_about_the_stages_gives_all_five(k, t):
    reply = say(k, t, "tell me more", Context("grooming_stages"))
    body = text_of(reply)
    assert all(stage in body for stage in ("1. Initial contact", "3. Exchange of favours", "5. Exploitation"))


def test_after_the_last_stage_there_is_no_next(k, t):
    reply = say(k, t, "and the next stage?", Context("stage_exploitation"))
    assert reply is not None and "stage_" not in (reply.context.entry or "")


@pytest.mark.parametrize(("question", "both"), [
    ("what's the difference between sexting and online grooming", ["send or post sexually explicit images",
                                                                    "exchange of sexual messages"]),
    ("is CAP the same as children's social care", ["Telephone: 01325 406222", "within 24 hours"]),
    ("whats the diff between the boyfriend model and the party model", ["proof", "lift home"]),
])
def test_a_comparison_shows_both_sides_with_their_content(k, t, question, both):
    reply = say(k, t, question)
    assert reply.kind == "compare"
    assert all(part in text_of(reply) for part in both), text_of(reply)


def test_a_registration_number_goes_on_the_information_sharing_form(k, t):
    reply = say(k, t, "can i give the reg number to someone?", Context("what_to_do"), intent="ask_contact_cap",
                confidence=0.7)
    assert "Information Sharing Form" in text_of(reply) and "Durham Constabulary" in text_of(reply)


@pytest.mark.parametrize("question", ["What is a LADO", "whats the difference between CSE and CCE"])
def test_other_kinds_of_safeguarding_are_out_of_scope(k, t, question):
    assert say(k, t, question, Context("what_is_cse")).kind == "not_covered"


def test_what_happens_next_on_a_route_is_the_route(k, t):
    reply = say(k, t, "what happens next?", Context("pathway_open_early_help", "open_early_help"))
    assert reply.context.pathway == "open_early_help"


# --- found by the second blind set's dev split (own wording here) ------------------------


@pytest.mark.parametrize("question", ["what if it was a new case instead?", "and for a new case"])
def test_another_case_status_after_a_pathway_is_that_pathway(k, t, question):
    reply = say(k, t, question, Context("pathway_open_early_help", "open_early_help"))
    assert reply is not None and reply.context.pathway == "new_case"


def test_a_decision_someone_disagrees_with_is_professional_challenge_not_the_cap_number(k, t):
    reply = say(k, t, "the CAP decided no further action but I disagree, what now?", Context())
    assert reply is not None and reply.context.entry == "professional_challenge"


@pytest.mark.parametrize(("question", "expected"), [
    ("can children groom other children", "model_peer_on_peer"),
    ("is police intelligence needed for a multi-agency meeting", "strategy_meeting"),
    ("what do they do if she refuses to go along with it", "control_tactics"),
    ("would we even notice as parents", "who_notices"),
    ("is your pre-screen an official risk assessment", "prescreen_rules"),
    ("he's in a placement in another county, who deals with worries about him?", "pathway_placed_out_of_area"),
    ("boy placed here by another council in a children's home, who does what", "pathway_out_of_authority"),
])
def test_public_wording_names_the_topic(k, t, question, expected):
    reply = say(k, t, question)
    assert reply is not None and reply.context.entry == expected, reply and reply.context


def test_what_now_about_something_else_is_not_the_safeguarding_answer(k, t):
    assert say(k, t, "my boiler broke what now", intent="out_of_scope", confidence=0.8) is None


@pytest.mark.parametrize(("topic", "question"), [("resource_pace", "who do they support?"),
                                                 ("mesa", "where does it get its information?")])
def test_a_question_pointing_at_the_topic_in_unknown_words_gets_the_topic_said_to_be_that(k, t, topic, question):
    reply = say(k, t, question, Context(topic))
    assert reply.kind == "answer" and reply.context.entry == topic
    assert text_of(reply).startswith("I can't find exactly that in the guidance")


# --- third blind round (issue 11): own wording for what the dev split showed -------------------


@pytest.mark.parametrize(("topic", "question", "expected"), [
    ("grooming_stages", "whats the second one", "stage_befriending"),
    ("grooming_stages", "ok and the fourth stage?", "stage_control"),
    ("stage_befriending", "and the last one?", "stage_exploitation"),
    ("grooming_models", "tell me about the third model", "model_boyfriend"),
    (None, "what's the first stage of grooming", "stage_initial_contact"),
])
def test_a_place_in_a_list_is_that_entry(k, t, topic, question, expected):
    reply = say(k, t, question, Context(topic) if topic else None)
    assert reply is not None and reply.context.entry == expected


def test_an_ordinal_in_other_words_is_not_a_place_in_a_list(k, t):
    reply = say(k, t, "what happens first?", Context("pathway_new_case", "new_case"))
    assert reply is None or reply.context.pathway == "new_case"


def test_boys_after_a_topic_with_no_word_on_boys_get_the_overview_fact(k, t):
    reply = say(k, t, "can boys get it too", Context("trauma_bonding"))
    assert reply.kind == "fact" and "boys, young men" in text_of(reply)


def test_a_named_topic_is_not_taken_for_a_general_fact(k, t):
    """'online' in 'online grooming' names the topic; it does not ask whether CSE is online."""
    reply = say(k, t, "online grooming")
    assert reply.context.entry == "online_grooming"


def test_a_pointed_question_ending_as_well_is_about_the_topic(k, t):
    reply = say(k, t, "do they run sessions for schools as well", Context("resource_pace"))
    assert reply.kind == "answer" and reply.context.entry == "resource_pace"
    assert text_of(reply).startswith("I can't find exactly that in the guidance")


@pytest.mark.parametrize(("topic", "question", "expected"), [
    ("contact_cap", "what are their opening hours", "doesn't say an out-of-hours contact"),
    ("information_sharing", "how fast does it need to go in", "matter of urgency"),
])
def test_more_words_for_attributes(k, t, topic, question, expected):
    reply = say(k, t, question, Context(topic))
    assert expected in text_of(reply)


@pytest.mark.parametrize("question", ["what's early help?", "whats early help"])
def test_a_short_question_about_a_case_status_gets_its_route(k, t, question):
    reply = say(k, t, question)
    assert reply is not None and reply.context.pathway == "open_early_help"


def test_a_case_status_alone_still_asks_nothing(k, t):
    assert say(k, t, "kids in care") is None


@pytest.mark.parametrize(("topic", "question"), [
    ("online_grooming", "right so what do i actually do"),
    ("signs", "ok I've spotted a couple of those, now what"),
    ("meg", "how can i help her"),
])
def test_what_now_in_more_words_after_a_topic(k, t, topic, question):
    reply = say(k, t, question, Context(topic))
    assert reply is not None and "01325 406222" in text_of(reply)


@pytest.mark.parametrize(("text", "asks"), [
    ("thanks, ok so now what?", True), ("hi there, what's the MEG?", True), ("hello", False),
    ("thanks, bye for now, that's all", False),
])
def test_a_greeting_or_goodbye_that_also_asks(k, t, text, asks):
    assert conversation.asks_something(k, t, text) is asks


def test_what_do_i_do_now_after_a_topic_with_its_own_next_step_is_that_step(k, t):
    reply = say(k, t, "he keeps texting her and she goes back. what do i do now", Context("trauma_bonding"))
    assert reply is not None and reply.context.entry == "breaking_bond"


@pytest.mark.parametrize(("topic", "expected"), [
    ("professional_challenge", "Professional Challenge Procedure"),
    ("image_threats", "ceop.police.uk"),
    ("trauma_bonding", "break the trauma bond"),
    ("meg", "01325 406222"),
])
def test_what_now_after_a_topic_is_its_own_next_step_where_it_has_one(k, t, topic, expected):
    reply = say(k, t, "what now?", Context(topic))
    assert expected in text_of(reply)


@pytest.mark.parametrize(("topic", "question", "expected"), [
    ("meg", "when does it happen", "held monthly"),
    ("meg", "who's on it", "doesn't say who attends"),
    ("mesa", "how often", "doesn't say how often"),  # "how" inside "how often" is not "how does it work"
    ("pathway_open_early_help", "what if it escalates", "new or escalating risk"),
])
def test_attribute_words_found_by_own_probes(k, t, topic, question, expected):
    reply = say(k, t, question, Context(topic, k.entries[topic].pathway))
    assert expected in text_of(reply)


def test_escalating_a_decision_is_still_professional_challenge(k, t):
    reply = say(k, t, "how do i escalate a decision i disagree with")
    assert reply.context.entry == "professional_challenge"


@pytest.mark.parametrize(("question", "level"), [
    ("if it's low risk what's different", "low"),
    ("ok and at the top level", "high"),
    ("and somewhere in the middle?", "medium"),
])
def test_a_level_in_other_words_on_a_route_is_that_cell(k, t, question, level):
    reply = say(k, t, question, Context("pathway_new_case", "new_case"))
    assert reply.kind == "cell" and reply.context.level == level


def test_low_risk_cases_asked_about_with_no_route_is_the_low_risk_entry(k, t):
    reply = say(k, t, "how are low risk cases managed")
    assert reply is None or reply.context.entry == "low_risk"


@pytest.mark.parametrize(("topic", "question", "expected"), [
    ("model_befriending", "what about the one at parties", "model_party"),
    ("model_befriending", "and when kids do it to each other", "model_peer_on_peer"),
    ("resource_nspcc", "and one for parents", "resource_pace"),
    ("survival_brain", "how is that linked to trauma bonding", "trauma_bonding"),
    ("stage_control", "how do they get out of it", "breaking_bond"),
    ("model_boyfriend", "how does it usually end", "breaking_bond"),
])
def test_siblings_and_links_found_by_own_probes(k, t, topic, question, expected):
    reply = say(k, t, question, Context(topic))
    assert reply is not None and reply.context.entry == expected


def test_boys_in_other_words(k, t):
    assert "boys, young men" in text_of(say(k, t, "does it affect boys differently", Context("survival_brain")))


def test_a_resources_website_is_its_own_answer_not_absent(k, t):
    reply = say(k, t, "is there a link to their website", Context("resource_pace"))
    assert "doesn't say" not in text_of(reply) and "paceuk.info" in text_of(reply)


@pytest.mark.parametrize(("topic", "question"), [("who_notices", "what about teachers"), ("who_notices", "and parents?"),
                                                 ("impact", "on the family too?")])
def test_a_follow_up_whose_words_are_in_the_topics_answer_gets_the_topic(k, t, topic, question):
    reply = say(k, t, question, Context(topic))
    assert reply.kind == "answer" and reply.context.entry == topic


def test_a_follow_up_with_words_the_topic_does_not_have_still_asks(k, t):
    assert say(k, t, "what about gangs", Context("who_notices")).kind == "clarify"


def test_before_then_and_after_are_both_sides_of_the_same_stage(k, t):
    before = say(k, t, "what's the stage before it", Context("stage_exchange_of_favours"))
    assert before.context.entry == "stage_befriending"
    after = say(k, t, "and after?", before.context)
    assert after.context.entry == "stage_control"


def test_next_then_next_again_walks_on(k, t):
    first = say(k, t, "what's the next stage", Context("stage_initial_contact"))
    again = say(k, t, "and the next one?", first.context)
    assert (first.context.entry, again.context.entry) == ("stage_befriending", "stage_exchange_of_favours")


def test_the_step_taken_round_trips_through_the_slot():
    ctx = Context("stage_befriending", step_from="stage_exchange_of_favours:-1")
    assert Context.from_slot(ctx.to_slot()) == ctx
