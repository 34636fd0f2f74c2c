"""The knowledge loader: the real files are valid, and each kind of mistake is named."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cse_core import answers, knowledge
from cse_core.knowledge import KnowledgeError

GUIDANCE = Path(__file__).resolve().parents[3] / "shared" / "guidance" / "cse-procedure-and-practice-guidance.txt"


def test_real_knowledge_is_valid(k):
    assert len(k.indicators) == 14
    assert set(k.pathways) == {"open_early_help", "open_social_care", "new_case", "out_of_authority", "placed_out_of_area"}
    assert len(k.children["resources"]) == 13  # all 13 resources of section 5
    assert len(k.children["grooming_models"]) == 4
    assert len(k.children["grooming_stages"]) == 5


def test_contacts_match_the_guidance(k):
    assert k.contacts["cap"]["phone"] == "01325 406222"
    assert k.contacts["cap"]["email"] == "childrensaccesspoint@darlington.gov.uk"
    assert k.contacts["police_emergency"]["phone"] == "999"
    assert k.contacts["dsp_business_support"]["email"] == "DSP@darlington.gov.uk"
    assert k.contacts["info_sharing_form"]["submit_to"] == "Durham Constabulary"


def test_contacts_from_outside_the_guidance_name_their_source(k):
    text = GUIDANCE.read_text(encoding="utf-8") if GUIDANCE.exists() else None
    for cid, contact in k.contacts.items():
        for field in ("phone", "email"):
            value = str(contact.get(field) or "")
            if value and text is not None and value not in text:
                assert contact["source"].get("external"), f"{cid}.{field} is not in the guidance and names no source"


def test_every_entry_cites_a_section_of_the_guidance(k):
    for entry in k.entries.values():
        assert entry.section in k.sections
        line = answers.source_line(k, entry.section)
        if entry.section[0].isdigit():
            assert line.startswith(f"Source: CSE Procedure and Practice Guidance, section {entry.section} (")
        else:  # the unnumbered front page: its title instead of a number
            assert line == f"Source: CSE Procedure and Practice Guidance, {k.sections[entry.section]}."


def test_indicators_are_in_the_order_of_section_2_1(k):
    names = [i.name for i in k.indicators]
    assert names[0] == "Family and peer relationships"
    assert names[4] == "Experience of violence"
    assert names[5] == "Running away / going missing"
    assert names[-1] == "Engagement with services"


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge.KNOWLEDGE_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "error"),
    [
        ("topics/2-procedure.yml", "    section: \"2.4\"\n    title: The Missing", "    title: The Missing",
         r"topics/2-procedure.yml: entry 'meg': missing field 'section'"),
        ("topics/2-procedure.yml", "{cap.phone} or {cap.email}", "{cap_line.phone} or {cap.email}",
         r"entry 'immediate_risk': unknown contact 'cap_line'"),
        ("topics/2-procedure.yml", "{cap.phone} or {cap.email}", "{cap.fax} or {cap.email}",
         r"entry 'immediate_risk': contact 'cap' has no field 'fax'"),
        ("topics/2-procedure.yml", "related: [mesa, agency_responsibility]", "related: [mesa, no_such_entry]",
         r"entry 'meg': related entry 'no_such_entry' does not exist"),
        ("topics/2-procedure.yml", "pathway: new_case", "pathway: brand_new_case",
         r"entry 'pathway_new_case': pathway 'brand_new_case' is not in pathways.yml"),
        ("topics/3-practice.yml", "section: \"3.4\"", "section: \"3.44\"",
         r"entry 'trauma_bonding': unknown guidance section '3.44'"),
        ("contacts.yml", "    name: Childline\n", "",
         r"contacts.yml: contact 'childline': missing field 'name'"),
        ("pathways.yml", "levels: [low]", "levels: [lowish]", r"pathways.yml: status 'open_early_help': unknown level"),
        ("risk_rules.yml", "    level: high\n    reason: One", "    level: severe\n    reason: One",
         r"risk_rules.yml: rule 'any_high': unknown level 'severe'"),
        ("messages.yml", "{cap.phone}", "{cap.telephone}", r"messages.yml: contact 'cap' has no field 'telephone'"),
        # issue 15's fields
        ("pathways.yml", "placement: from_elsewhere", "placement: sideways",
         r"pathways.yml: status 'out_of_authority': unknown placement 'sideways'"),
        ("pathways.yml", "placement: placed_elsewhere", "placement: from_elsewhere",
         r"pathways.yml: status 'placed_out_of_area': placement 'from_elsewhere' is also 'out_of_authority'"),
        ("pathways.yml", "    map_title: New Case Identified\n", "",
         r"pathways.yml: status 'new_case': a status with a process_map needs its 'map_title' (section 4)"),
        ("pathways.yml", "    cap_category: false\n", "    cap_category: nope\n",
         r"pathways.yml: status 'placed_out_of_area': 'cap_category' must be true or false"),
        ("risk_rules.yml", "referral_when_any_rated: [low, medium, high, not_known]",
         "referral_when_any_rated: [low, unsure]",
         r"risk_rules.yml: floor 'under_13_or_learning_disability': unknown rating(s) ['unsure'] in 'referral_when_any_rated'"),
        ("topics/2-procedure.yml", "    own_advice: true\n    title: How my", "    own_advice: maybe\n    title: How my",
         r"topics/2-procedure.yml: entry 'prescreen_rules': 'own_advice' on an entry must be true or false"),
        ("topics/2-procedure.yml", "    also_under: [risk_levels]", "    also_under: [no_such_entry]",
         r"entry 'risk_assessment_form': also_under entry 'no_such_entry' does not exist"),
        ("indicators.yml", "own_advice: [practitioner, parent, descriptor_notice, descriptor_label]", "own_advice: yes please",
         r"indicators.yml: 'own_advice' must be true/false or a list of field names"),
        ("topics/4-6-maps-resources-legislation.yml", "    keywords: [fearless]\n",
         "    keywords: [fearless]\n    added_links: [{url: www.fearless.org}]\n",
         r"each of 'added_links' needs a url and the date it was checked (YYYY-MM-DD)"),
        ("messages.yml", "  own_advice_label: \"This is general advice, not from the Darlington procedure:\"\n", "",
         r"messages.yml: screening.adult: advice needs 'own_advice_label' to label it"),
        ("guidance.yml", "  area: Darlington\n", "", r"guidance.yml: document: missing field 'area'"),
    ],
)
def test_a_broken_file_is_named_with_its_entry(copy: Path, file: str, old: str, new: str, error: str):
    _edit(copy / file, old, new)
    with pytest.raises(KnowledgeError, match=re.escape(error) if not error.endswith("level") else error):
        knowledge.load(copy)


def test_fourteen_indicators_are_required(copy: Path):
    text = (copy / "indicators.yml").read_text(encoding="utf-8")
    cut = text.index("  - id: engagement")
    (copy / "indicators.yml").write_text(text[:cut], encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"expected the 14 indicators of section 2\.1, found 13"):
        knowledge.load(copy)


def test_unreadable_yaml_is_named(copy: Path):
    (copy / "contacts.yml").write_text("contacts: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"contacts\.yml: cannot be read"):
        knowledge.load(copy)


def test_a_changed_phone_number_reaches_every_answer(copy: Path):
    _edit(copy / "contacts.yml", "phone: 01325 406222", "phone: 01325 999000")
    k2 = knowledge.load(copy)
    text = answers.answer(k2, "ask_contact_cap").text
    assert "01325 999000" in text and "406222" not in text

