"""Issue 15, finding by finding: what the assistant says is the guidance's, or labelled as its own."""

from __future__ import annotations

import re

import pytest

from cse_core import answers, parsing, process_maps, scoring, screening

LABEL = "This is general advice, not from the Darlington procedure:"
INDICATIVE = "an indicative level from this assistant's own rules"


def state(k, status="new_case", **extra):
    s = {slot: None for slot in screening.slot_names(k)}
    s.update(screen_danger="no", audience="practitioner", age_band="13_15", learning_disability="no",
             case_status=status, other_children="no", offender_details="no")
    for ind in k.indicators:
        s[screening.IND_PREFIX + ind.id] = "no_concern"
    s.update(extra)
    return s


def all_texts(k):
    """Everything the assistant can say from knowledge/: answers for both audiences, prompts,
    explanations, outcomes for every status and level, and the process-map contents."""
    for entry in k.entries.values():
        for audience in (answers.PRACTITIONER, answers.PARENT):
            yield entry.id, answers.render(k, entry, audience).full_text
    for q in screening.questions(k):
        yield q.slot, screening.prompt(k, q, answers.PRACTITIONER)
        yield q.slot, screening.explain(k, q, answers.PARENT)
    for status in [*k.pathways, parsing.UNKNOWN_STATUS]:
        for extra in ({}, {"ind_education": "low"}, {"ind_education": "medium"}, {"ind_missing": "high"},
                      {"age_band": "under_13", "ind_rewards": "not_known"}):
            result = screening.result(k, state(k, status, **extra))
            yield status, "\n".join([*result.messages, result.summary])
    for pathway in process_maps.mapped_pathways(k):
        content = process_maps.map_content(k, pathway)
        yield pathway.id, "\n".join([content.title, content.subtitle, *content.common,
                                     *(s for b in content.branches for s in b.steps)])


# --- Wrong route -------------------------------------------------------------------------------
def test_the_cap_determines_four_case_types_and_the_placed_out_of_area_child_is_a_sentence(k):
    cap_types = [p.id for p in k.pathways.values() if p.cap_category]
    assert cap_types == ["open_early_help", "open_social_care", "new_case", "out_of_authority"]
    text = answers.answer(k, "ask_pathway").text
    listed = re.findall(r"^- (.+)$", text, flags=re.M)
    assert listed == [k.pathways[p].label for p in cap_types]
    assert "Likewise, if a Darlington child is placed out of area, the case holding social worker will liaise " \
           "with the host Local Authority." in text


@pytest.mark.parametrize("status", ["open_early_help", "open_social_care", "new_case", "out_of_authority",
                                    "placed_out_of_area"])
def test_every_pathway_answer_names_the_contact(k, status):
    entry = next(e for e in k.entries.values() if e.pathway == status)
    assert "you must contact the Children's Access Point: 01325 406222, childrensaccesspoint@darlington.gov.uk" \
           in answers.body(k, entry)


def test_out_of_area_is_the_child_from_another_authority(k):
    """Process Map 4 is "Child from Out of Area" on the contents page."""
    assert parsing.parse_case_status(k, "out of area") == "out_of_authority"
    assert answers.select(k, "ask_pathway", "what happens for an out of area child").id == "pathway_out_of_authority"
    assert answers.select(k, "ask_process_map", "out of area process map").id == "pathway_out_of_authority"


def test_the_out_of_authority_meg_referral_is_for_medium_and_high_risk(k):
    pathway = k.pathways["out_of_authority"]
    low = " ".join(answers.steps_for_level(k, pathway, "low"))
    assert "placing social worker" in low and "Designated CSE Worker" in low and "MEG" not in low
    for level in ("medium", "high"):
        assert "Missing and Exploited Group (MEG)" in " ".join(answers.steps_for_level(k, pathway, level))


# --- Under 13 / learning disability --------------------------------------------------------------
@pytest.mark.parametrize("extra", [{"age_band": "under_13"}, {"learning_disability": "yes"}])
def test_every_indicator_not_known_still_requires_a_referral(k, extra):
    s = state(k, **extra)
    for ind in k.indicators:
        s[screening.IND_PREFIX + ind.id] = "not_known"
    result = screening.result(k, s)
    text = "\n".join(result.messages)
    assert result.outcome.referral_required
    assert "A referral to the Children's Access Point is required" in result.messages[0]
    assert "no indicators identified" not in text
    assert "Pre-screen result: no indicator rated as a concern, 14 not known (" in result.messages[0]
    assert "Why: no indicator was rated as a concern, and 14 are not known" in result.messages[0]
    assert "anyway" not in text
    assert f"{LABEL} Some of the 14 indicators are not known" in result.messages[0]
    assert "Contact the Children's Access Point: 01325 406222" in result.messages[1]
    assert "anyway" not in result.messages[1]
    assert "(referral to the CAP required)" in result.summary


def test_a_present_concern_gives_the_guidance_sentence_without_the_advice(k):
    result = screening.result(k, state(k, age_band="under_13", ind_education="low"))
    assert "where a child is under the age of 13 and/or has a learning disability and there are concerns" \
           in result.messages[0]
    assert LABEL not in result.messages[0]


def test_learning_disability_not_sure_with_a_concern_says_what_the_guidance_requires(k):
    result = screening.result(k, state(k, learning_disability="not_sure", ind_education="low"))
    assert not result.outcome.referral_required
    assert "You weren't sure whether the child has a learning disability." in result.messages[0]


def test_the_under_13_answer_says_referral_is_required_and_labels_the_unknowns_advice(k):
    text = answers.answer(k, "ask_under_13").text
    assert "a referral to the Children's Access Point is required" in text
    assert f"{LABEL} If you are not sure whether there are concerns" in text


# --- Rules presented as the partnership's ----------------------------------------------------------
@pytest.mark.parametrize("status", ["new_case", "open_social_care", "out_of_authority", "unknown"])
def test_every_level_shown_is_labelled_indicative_and_names_who_sets_the_level(k, status):
    result = screening.result(k, state(k, status, ind_missing="high"))
    assert result.messages[0].startswith(f"Pre-screen result: high ({INDICATIVE}, version {k.risk_rules['version']}")
    assert "Indicative level (this assistant's own rules, not the guidance): high" in result.summary
    who = ("the case holding social worker, who completes the CSE risk assessment form" if status == "open_social_care"
           else "the Children's Access Point, using the Child Sexual Exploitation Risk Assessment Tool")
    assert f"The level of risk is determined by {who} (section 2.2)." in result.messages[-1]
    assert f"Level of risk determined by: {who}" in result.summary


def test_answers_about_scoring_label_the_rules_and_are_built_from_the_data(k):
    text = answers.answer(k, "ask_risk_levels").text
    assert f"{LABEL} My pre-screen suggests an indicative level" in text
    assert "1 or more high → high; 3 or more medium → high" in text
    rules = answers.answer(k, "ask_risk_levels", "how does your pre-screen score it").text
    assert rules.startswith(LABEL) and "- 3 or more low → medium" in rules
    import copy

    k2 = copy.deepcopy(k)
    k2.risk_rules["rules"][1]["if"]["at_least"] = 2
    assert "- 2 or more medium → high" in answers.answer(k2, "ask_risk_levels", "your scoring rules").text


def test_the_indicative_descriptors_are_labelled_on_every_indicator(k):
    for ind in k.indicators:
        q = screening.question(k, screening.IND_PREFIX + ind.id)
        for audience in (answers.PRACTITIONER, answers.PARENT):
            prompt = screening.prompt(k, q, audience)
            assert "not from the Darlington procedure" in prompt, ind.id
            assert "not from the Darlington procedure" in screening.explain(k, q, audience)


def test_the_cap_is_not_said_to_set_the_level_for_a_social_care_case(k):
    for _, text in all_texts(k):
        assert "CAP sets the level" not in text and "Access Point sets the level" not in text


# --- Text with no source --------------------------------------------------------------------------
def test_no_care_leaver_advice_and_no_unsourced_signs_reassurance(k):
    for where, text in all_texts(k):
        assert "care leaver" not in text.lower(), where
        assert "mean little" not in text, where
    adult = k.message("screening.adult")
    assert "under the age of 18 (section 1.5)" in adult
    assert f"{LABEL} If you are worried about an adult's safety" in adult


def test_own_advice_is_always_shown_with_its_label(k):
    for entry in k.entries.values():
        for audience in (answers.PRACTITIONER, answers.PARENT):
            text = answers.body(k, entry, audience)
            advice = entry.parent_advice if audience == answers.PARENT and entry.parent_advice else entry.advice
            if advice:
                assert LABEL in text, entry.id
            if entry.own_advice:
                assert text.startswith(LABEL), entry.id


# --- Labels -------------------------------------------------------------------------------------
def test_no_repeated_words_anywhere(k):
    repeated = re.compile(r"\b((?:\w+\s+){0,2}\w+)\s+\1\b", re.IGNORECASE)
    for where, text in all_texts(k):
        for line in text.splitlines():
            m = repeated.search(line)
            assert m is None or m[1].lower() in {"again and"}, f"{where}: {m[0]!r} in {line!r}"


def test_the_process_map_answer_counts_maps_against_case_types(k):
    text = answers.answer(k, "ask_process_map").text
    assert "four process maps, one for each case status" not in text
    assert "- Process Map 4: Child from Out of Authority living in Darlington" in text
    assert "There is no process map for a Darlington child placed out of area" in text
    assert "drawn from the text of section 2.2" in text and LABEL in text


def test_pictures_say_they_are_drawn_from_section_2_2(k):
    for pathway in process_maps.mapped_pathways(k):
        content = process_maps.map_content(k, pathway)
        assert not content.title.startswith("Process map")
        assert content.subtitle == (f"Drawn by this assistant from the text of section 2.2; "
                                    f"not the guidance's own Process Map {pathway.process_map}.")


# --- Gaps ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("intent", "text", "entry", "facts"), [
    ("ask_pathway", "what does the first response team do?", "first_response_team",
     ["transferred to the Children's First Response Team to determine whether a strategy"]),
    ("ask_pathway", "when does it go to the children and families assessment team", "assessment_team",
     ["referred to the Children and Families Assessment Team and the Designated CSE worker"]),
    ("ask_pathway", "who refers to the designated CSE worker?", "designated_cse_worker",
     ["placing Local Authority can make a referral to the Designated CSE Worker", "must refer to the Designated CSE worker"]),
    ("ask_step_down", "what is the CSE project worker?", "cse_project_worker",
     ["strategies provided by the CSE Project worker", LABEL]),
    ("ask_pathway", "who takes part in a strategy meeting?", "strategy_meeting",
     ["The guidance does not say who takes part in a strategy meeting", "Durham Constabulary to obtain police intelligence",
      LABEL]),
    ("ask_risk_indicators", "where do I get the risk assessment information form", "risk_assessment_form",
     ["Child Sexual Exploitation Risk Assessment Information Form", "completes the CSE risk assessment form", LABEL]),
    ("ask_risk_levels", "risk assessment tool vs risk assessment form, what's the difference", "risk_assessment_form",
     ["Child Sexual Exploitation Risk Assessment Tool"]),
    ("ask_about_guidance", "is this the latest version of the procedure?", "document_version",
     ["issue date July 2019", "DSP1 (DSCB V3.7)", "November 2017", f"{LABEL} The document gives no review date"]),
])
def test_the_gaps_have_entries_chosen_by_their_words(k, intent, text, entry, facts):
    answer = answers.answer(k, intent, text)
    assert answer.entry_id == entry
    for fact in facts:
        assert fact in answer.text, fact


def test_the_document_date_answer_cites_the_front_page(k):
    answer = answers.answer(k, "ask_about_guidance", "when was this written")
    assert answer.source == "Source: CSE Procedure and Practice Guidance, Title page and version control."


def test_every_answer_ends_with_next_steps(k):
    for entry in k.entries.values():
        buttons = answers.render(k, entry).buttons
        payloads = [b.payload for b in buttons]
        assert "/start_screening" in payloads, entry.id
        if entry.id != "what_to_do":
            assert '/ask_what_to_do{"topic":"what_to_do"}' in payloads, entry.id
        assert len(payloads) == len(set(payloads)), entry.id
        assert len([b for b in buttons if b.payload.startswith("/ask_")]) >= 2, entry.id  # related topics too
        assert all(len(p.encode()) <= 64 for p in payloads), entry.id  # Telegram's callback_data limit


def test_a_sub_entry_without_its_own_related_offers_its_parent_and_siblings(k):
    titles = [b.title for b in answers.render(k, k.entries["resource_nspcc"]).buttons]
    assert titles[0] == "Research, resources and websites"
    assert "NWG (www.nwgnetwork.org)" in titles


def test_referral_required_helper_for_other_answers(k):
    assert scoring.referral_required(k, {"education": "not_known"}, under_13=True)
    assert not scoring.referral_required(k, {"education": "no_concern"}, under_13=True)
