"""Answers are assembled from knowledge/ only, with their source, in the right wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cse_core import answers

ROOT = Path(__file__).resolve().parents[2]


def test_every_topic_intent_has_an_answer_with_its_section(k):
    for intent in k.intents:
        answer = answers.answer(k, intent)
        assert answer is not None and answer.text.strip()
        entry = k.entries[answer.entry_id]
        assert answer.source == answers.source_line(k, entry.section)
        assert "{" not in answer.text, f"unfilled placeholder in {entry.id}"


def test_every_sub_entry_renders(k):
    for entry in k.entries.values():
        text = answers.body(k, entry)
        assert text.strip() and "{" not in text, entry.id


@pytest.mark.parametrize(("intent", "text", "entry"), [
    ("ask_pathway", "what happens if the child is open to social care", "pathway_open_social_care"),
    ("ask_pathway", "what happens for a new case", "pathway_new_case"),
    ("ask_pathway", "child from another local authority living here", "pathway_out_of_authority"),
    ("ask_pathway", "she's a darlington child placed out of area", "pathway_placed_out_of_area"),
    ("ask_pathway", "what happens after I ring CAP", "pathway"),
    ("ask_grooming_models", "what is the party model", "model_party"),
    ("ask_grooming_models", "explain the boyfriend model", "model_boyfriend"),
    ("ask_grooming_stages", "what is the exchange of favours stage", "stage_exchange_of_favours"),
    ("ask_resources", "what does PACE do", "resource_pace"),
    ("ask_resources", "tell me about think u know", "resource_thinkuknow"),
    ("ask_resources", "any websites?", "resources"),
])
def test_sub_topics_are_chosen_by_their_keywords(k, intent, text, entry):
    assert answers.select(k, intent, text).id == entry


def test_a_topic_button_names_its_entry_exactly(k):
    entry = answers.select(k, "ask_pathway", "", topic="pathway_new_case")
    assert entry.id == "pathway_new_case"
    button = answers.topic_button(k, entry)
    assert button.payload == '/ask_pathway{"topic":"pathway_new_case"}'


def test_parents_get_plain_wording_where_there_is_one(k):
    practitioner = answers.answer(k, "ask_what_to_do", audience="practitioner").text
    parent = answers.answer(k, "ask_what_to_do", audience="parent").text
    assert practitioner != parent
    assert "01325 406222" in parent and "01325 406222" in practitioner
    # an entry without parent wording gives parents the practitioner text
    assert answers.answer(k, "ask_mesa", audience="parent").text == answers.answer(k, "ask_mesa").text


def test_social_care_pathway_answer_has_the_24_hours_and_team_manager(k):
    text = answers.answer(k, "ask_pathway", "open to social care").text
    for fact in ("within 24 hours", "team manager", "police intelligence", "Designated CSE worker"):
        assert fact in text


def test_meg_answer(k):
    text = answers.answer(k, "ask_meg").full_text
    for fact in ("monthly", "Durham Constabulary", "DSP@darlington.gov.uk", "medium and high risk",
                 "section 2.4"):
        assert fact in text


def test_answer_text_lives_only_in_knowledge():
    """No guidance sentence is copied into domain.yml, data/ or code: answers are looked up
    from knowledge/ at run time, so there is one copy of the text."""
    from cse_core import knowledge

    k = knowledge.load()
    sentences = set()
    for entry in k.entries.values():
        for text in (entry.answer, entry.parent_answer or ""):
            sentences.update(s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 40)
    places = [ROOT / "domain.yml", *ROOT.glob("data/**/*.yml"), *ROOT.glob("actions/**/*.py"),
              *ROOT.glob("cse_core/**/*.py"), *ROOT.glob("bot/**/*.py")]
    for path in places:
        content = path.read_text(encoding="utf-8")
        copied = [s for s in sentences if s in content]
        assert not copied, f"{path.relative_to(ROOT)} repeats knowledge text: {copied[:2]}"
    assert "responses:" not in (ROOT / "domain.yml").read_text(encoding="utf-8")
