"""The provenance check (issue 15): every statement in knowledge/ is found in the section it
cites, or is marked as the assistant's own and shown with a label; every link is the guidance's."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cse_core import guidance_text, knowledge, provenance

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "knowledge" / "source" / "cse-procedure-and-practice-guidance.txt"
SHARED = ROOT.parents[1] / "shared" / "guidance" / "cse-procedure-and-practice-guidance.txt"


@pytest.fixture(scope="module")
def sections() -> dict[str, str]:
    return guidance_text.load_sections(SOURCE)


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(knowledge.KNOWLEDGE_DIR, target)
    return target


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# --- the real knowledge ------------------------------------------------------------------------
def test_every_statement_in_knowledge_is_supported_or_marked():
    report = provenance.check()
    assert report.ok, report.text()
    assert len(report.statements) > 400  # the check really looked at the knowledge
    assert not report.unsupported and not report.link_problems and not report.errors


def test_the_repository_copy_of_the_guidance_is_the_published_text():
    if not SHARED.exists():
        pytest.skip("the shared guidance folder is not on this machine")
    assert SOURCE.read_bytes() == SHARED.read_bytes()


@pytest.mark.slow  # a whole program in a subprocess, or full renders: test-unit, not test-fast
def test_validate_runs_the_check_and_fails_on_an_unsupported_statement(copy: Path):
    """`make validate` runs cse_core.check_knowledge: the real knowledge passes, an edit fails."""
    ok = subprocess.run([sys.executable, "-m", "cse_core.check_knowledge"], cwd=ROOT,
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert "0 unsupported" in ok.stdout
    _append(copy / "topics" / "3-practice.yml", """
  - id: test_unsupported
    intent: ask_test_unsupported
    section: "3.3"
    title: Test
    answer: |
      Care leavers can ask the CAP for advice.
""")
    bad = subprocess.run([sys.executable, "-m", "cse_core.check_knowledge"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env={**os.environ, "CSE_KNOWLEDGE_DIR": str(copy)})
    assert bad.returncode == 1
    assert "Care leavers can ask the CAP for advice." in bad.stderr and "leavers" in bad.stderr


def test_guidance_yml_names_the_documents_own_front_page(k):
    text = SOURCE.read_text(encoding="utf-8")
    for field in ("title", "version", "issued"):
        assert k.document[field] in text, field
    for number, title in k.sections.items():
        if number[0].isdigit():
            assert title.lower() in text.lower(), (number, title)


# --- the section text ---------------------------------------------------------------------------
def test_sections_are_cut_at_the_documents_headings(sections):
    assert sections["2.2"].startswith("Procedure\n2.2 Procedure")
    assert "01325 406222" in sections["2.2"] and "01325 406222" not in sections["2.3"]
    assert "Children's First Response Team" in sections["2.2"]
    assert sections["2.2"] in sections["2"]  # a parent section holds its sub-sections
    assert "Stockholm Syndrome" in sections["3.4"] and "Stockholm" not in sections["3.5"]
    assert "July 2019" in sections[guidance_text.FRONT] and "Contents" not in sections[guidance_text.FRONT]


def test_the_footnote_belongs_to_the_definition_and_contents_lines_to_their_section(sections):
    assert "(February 2017)" in sections["1.5"]
    assert "Department for Education" not in sections["2.1"]
    # the contents page names Process Map 4 "Child from Out of Area"
    assert "Process Map 4 – Child from Out of Area" in sections["4"]


# --- the check itself ---------------------------------------------------------------------------
@pytest.mark.parametrize(("statement", "section", "missing"), [
    ("The CAP forwards the contact to the case holding social worker within 24 hours.", "2.2", ()),
    # inflection: "groomed" / "grooming", "forwarded" / "forward", "children" / "child"
    ("Children are groomed and the contact is forwarded.", "3.7", ("forwarded",)),
    ("A child is being groomed.", "3.7", ()),
    ("One sign on its own may mean little.", "3.3", ("mean", "little")),
    ("The CAP forwards the contact within 48 hours.", "2.2", ("48",)),
    ("Care leavers can ask the CAP for advice.", "2.2", ("leavers",)),
])
def test_content_words_are_looked_for_in_the_cited_section(sections, statement, section, missing):
    found_missing = provenance.missing_words(statement, sections[section])
    assert set(missing) <= set(found_missing)
    if not missing:
        assert found_missing == ()


def test_citations_in_a_sentence_are_read():
    assert provenance.cited_sections("The MEG has oversight (2.4).") == ["2.4"]
    assert provenance.cited_sections("warning signs (sections 3.3 and 3.7).") == ["3.3", "3.7"]
    assert provenance.cited_sections("as section 2.2 says") == ["2.2"]
    assert provenance.cited_sections("(2.2 note)") == ["2.2"]
    assert provenance.cited_sections("Working Together (2018) and (EHA)") == []


def test_an_unsupported_statement_is_listed_and_fails(copy: Path):
    path = copy / "topics" / "3-practice.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("There could be cause for concern if a child is exhibiting",
                                 "Adolescence is a time of change, so one sign on its own may mean little. "
                                 "There could be cause for concern if a child is exhibiting", 1), encoding="utf-8")
    report = provenance.check(copy)
    assert not report.ok
    [bad] = report.unsupported
    assert (bad.file, bad.item, bad.field) == ("topics/3-practice.yml", "'signs'", "answer")
    assert "little" in bad.missing
    assert "one sign on its own may mean little" in report.text()


def test_citing_the_right_section_makes_it_supported(copy: Path):
    path = copy / "topics" / "3-practice.yml"
    _append(path, """
  - id: test_recited
    intent: ask_test_recited
    section: "3.7"
    title: Grooming models
    answer: |
      The MEG is chaired by a Safeguarding Lead from Durham Constabulary.
""")
    assert [s.text for s in provenance.check(copy).unsupported] == [
        "The MEG is chaired by a Safeguarding Lead from Durham Constabulary."]
    path.write_text(path.read_text(encoding="utf-8").replace("Durham Constabulary.\n", "Durham Constabulary (2.4).\n"),
                    encoding="utf-8")
    assert provenance.check(copy).ok


@pytest.mark.parametrize("mark", ["    own_advice: true\n", "    own_advice: [answer]\n"])
def test_marked_own_advice_is_not_checked_but_counted(copy: Path, mark: str):
    path = copy / "topics" / "3-practice.yml"
    _append(path, """
  - id: test_marked
    intent: ask_test_marked
    section: "3.3"
""" + mark + """    title: Spotting the signs
    answer: |
      Care leavers can ask for help.
""")
    report = provenance.check(copy)
    assert report.ok, report.text()
    assert any(s.item == "'test_marked'" and s.marked == "own_advice" for s in report.statements)


def test_advice_fields_are_marked(copy: Path):
    path = copy / "topics" / "3-practice.yml"
    _append(path, """
  - id: test_advice
    intent: ask_test_advice
    section: "3.3"
    title: Spotting the signs
    answer: |
      There could be cause for concern.
    advice: |
      Care leavers can ask for help.
""")
    report = provenance.check(copy)
    assert report.ok, report.text()


def test_any_new_yaml_file_with_sections_is_checked(copy: Path):
    """A new knowledge file (the lead's followups.yml, terms.yml) is covered without code."""
    (copy / "terms.yml").write_text("""
terms:
  - id: meg
    section: "2.4"
    term: MEG
    meaning: The Missing and Exploited Group meets every week.
""", encoding="utf-8")
    report = provenance.check(copy)
    [bad] = report.unsupported
    assert (bad.file, bad.item, bad.field, bad.missing) == ("terms.yml", "'meg'", "meaning", ("week",))
    (copy / "terms.yml").write_text("""
terms:
  - id: meg
    section: "2.4"
    term: MEG
    meaning: The Missing and Exploited Group meets on a monthly basis.
  - id: tip
    section: "2.4"
    own_advice: true
    meaning: Ask your manager about it every week.
""", encoding="utf-8")
    assert provenance.check(copy).ok


def test_an_unknown_cited_section_is_an_error(copy: Path):
    _append(copy / "topics" / "3-practice.yml", """
  - id: test_unknown
    intent: ask_test_unknown
    section: "3.3"
    title: Test
    answer: |
      Warning signs (section 9.9).
""")
    report = provenance.check(copy)
    assert any("unknown section" in e for e in report.errors)


def test_a_link_the_guidance_does_not_give_fails_unless_added_and_checked(copy: Path):
    path = copy / "topics" / "4-6-maps-resources-legislation.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Fearless (www.fearless.org) is", "Fearless (www.fearless-example.org) is"),
                    encoding="utf-8")
    report = provenance.check(copy)
    assert [p.link for p in report.link_problems] == ["www.fearless-example.org"]
    path.write_text(text.replace("Fearless (www.fearless.org) is", "Fearless (www.fearless-example.org) is")
                    .replace("    keywords: [fearless]\n",
                             "    keywords: [fearless]\n    added_links:\n"
                             "      - {url: www.fearless-example.org, checked: 2026-12-01, note: test}\n"),
                    encoding="utf-8")
    report = provenance.check(copy)
    assert report.ok, report.text()
    knowledge.load(copy)  # the loader accepts a well-formed added_links


def test_an_email_not_in_the_guidance_fails(copy: Path):
    path = copy / "contacts.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("DSP@darlington.gov.uk", "dsp-new@darlington.gov.uk"),
                    encoding="utf-8")
    assert [p.link for p in provenance.check(copy).link_problems] == ["dsp-new@darlington.gov.uk"]


def test_every_link_in_knowledge_is_one_the_guidance_gives():
    text = SOURCE.read_text(encoding="utf-8")
    report = provenance.check()
    assert report.links_checked >= 13  # the 13 resources of section 5 at least
    given = {provenance._norm_link(link) for link in provenance.LINK.findall(text)}
    assert "childline.org.uk" in given and "ceop.police.uk" in given


@pytest.mark.slow  # a whole program in a subprocess, or full renders: test-unit, not test-fast
def test_cli_exit_code_and_report(tmp_path: Path):
    out = tmp_path / "report.txt"
    result = subprocess.run([sys.executable, "-m", "cse_core.provenance", "--marked", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    report = out.read_text(encoding="utf-8")
    assert "0 unsupported" in report
    assert "Marked as the assistant's own" in report and "indicators.yml" in report
