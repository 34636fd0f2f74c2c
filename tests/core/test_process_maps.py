"""The process-map pictures are drawn from knowledge/pathways.yml, and agree with it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cse_core import answers, knowledge, process_maps

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
EXPECTED = {1: "open_early_help", 2: "open_social_care", 3: "new_case", 4: "out_of_authority"}


def _squash(text: str) -> str:
    """Text with all whitespace removed: wrapping a box's text must not change its words."""
    return "".join(text.split())


def svg_text(path: Path) -> str:
    """The words of the picture: the SVG's <text> elements only (not its title or metadata)."""
    root = ET.parse(path).getroot()
    return " ".join("".join(el.itertext()) for el in root.iter(f"{SVG_NS}text"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, k) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("maps")
    paths = process_maps.render_all(out, k)
    return {p.name: p for p in paths}


def test_one_map_per_status_with_a_map_number(k):
    assert {p.process_map: p.id for p in process_maps.mapped_pathways(k)} == EXPECTED
    for number, status in EXPECTED.items():
        assert process_maps.map_for_status(status, k) == number
        assert process_maps.map_for_status(status) == number  # the cached knowledge
    assert process_maps.map_for_status("placed_out_of_area", k) is None
    assert process_maps.map_for_status("no_such_status", k) is None


def test_render_all_writes_svg_and_png_for_every_map(rendered):
    assert sorted(rendered) == sorted(f"map-{n}.{ext}" for n in EXPECTED for ext in ("svg", "png"))


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_png_is_a_valid_image_at_phone_friendly_width(rendered, number):
    from PIL import Image

    path = rendered[f"map-{number}.png"]
    assert path.read_bytes()[:8] == PNG_MAGIC
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        width, height = image.size
    assert width == round(process_maps.FIG_WIDTH / 72 * process_maps.PNG_DPI)
    assert height > width / 2


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_svg_is_valid_and_its_words_are_real_text(rendered, number):
    path = rendered[f"map-{number}.svg"]
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert list(root.iter(f"{SVG_NS}text")), "text was drawn as paths, not searchable SVG text"


@pytest.mark.parametrize(("number", "status"), sorted(EXPECTED.items()))
def test_picture_shows_every_step_of_its_pathway_and_no_other(rendered, k, number, status):
    pathway = k.pathways[status]
    words = _squash(svg_text(rendered[f"map-{number}.svg"]))
    assert _squash(pathway.label[:1].upper() + pathway.label[1:]) in words
    # it says where it is drawn from, and that it is not the guidance's own map
    assert _squash(f"Drawn by this assistant from the text of section {pathway.section}; "
                   f"not the guidance's own Process Map {number}.") in words
    assert _squash(k.contacts["cap"]["phone"]) in words
    assert _squash("Concern about a child → contact the Children's Access Point") in words
    for step in pathway.steps:
        text = k.fill_contacts(step.text)
        assert "{" not in text
        assert _squash(text) in words, f"map {number} is missing step: {text}"
    own = {k.fill_contacts(s.text) for s in pathway.steps}
    for other in k.pathways.values():
        for step in other.steps:
            text = k.fill_contacts(step.text)
            if text not in own:
                assert _squash(text) not in words, f"map {number} shows a step of '{other.id}': {text}"


@pytest.mark.parametrize(("number", "status"), sorted(EXPECTED.items()))
def test_branches_group_steps_as_the_text_answer_does(rendered, k, number, status):
    pathway = k.pathways[status]
    common, branches = process_maps.group_steps(k, pathway)
    described = answers.describe_pathway(k, pathway)
    groups = re.findall(r"^If (.+) risk:$", described, flags=re.M)
    assert sorted(b.label.lower() for b in branches if b.steps) == sorted(f"{g} risk" for g in groups)
    words = _squash(svg_text(rendered[f"map-{number}.svg"]))
    for branch in branches:
        assert _squash(branch.label) in words
        for text in branch.steps:
            assert f"- {text}" in described.split(f"If {' or '.join(branch.levels)} risk:", 1)[1]
    for text in common:
        assert f"- {text}" in described.split("\nIf ", 1)[0]


def test_branch_columns_for_the_early_help_and_new_case_maps(k):
    for status in ("open_early_help", "new_case"):
        _, branches = process_maps.group_steps(k, k.pathways[status])
        assert [b.label for b in branches] == ["Low risk", "Medium or high risk"]
    # Out of authority: the MEG referral is drawn for medium and high risk only (2.4).
    _, branches = process_maps.group_steps(k, k.pathways["out_of_authority"])
    assert [b.label for b in branches] == ["Low risk", "Medium or high risk"]
    assert branches[0].steps == () and "MEG" in branches[1].steps[0]


@pytest.mark.slow  # a whole program in a subprocess, or full renders: test-unit, not test-fast
def test_changing_a_step_in_the_knowledge_changes_the_picture(tmp_path, k, rendered):
    old = "The case remains open to Early Help Services and is forwarded to the relevant Early Help practitioner."
    new = "The case stays with Early Help Services and goes to the named Early Help practitioner (edited)."
    base = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", base)
    pathways = base / "pathways.yml"
    source = pathways.read_text(encoding="utf-8")
    assert source.count(old) == 1
    pathways.write_text(source.replace(old, new), encoding="utf-8")

    edited = knowledge.load(base)
    out = tmp_path / "maps"
    paths = {p.name: p for p in process_maps.render_all(out, edited)}

    words = _squash(svg_text(paths["map-1.svg"]))
    assert _squash(new) in words and _squash(old) not in words
    assert paths["map-1.svg"].read_bytes() != rendered["map-1.svg"].read_bytes()
    assert paths["map-1.png"].read_bytes() != rendered["map-1.png"].read_bytes()
    # The other maps do not use that step, so they are unchanged.
    for number in (2, 3, 4):
        for ext in ("svg", "png"):
            name = f"map-{number}.{ext}"
            assert paths[name].read_bytes() == rendered[name].read_bytes(), name


@pytest.mark.slow  # a whole program in a subprocess, or full renders: test-unit, not test-fast
def test_output_is_identical_across_renders(tmp_path, k, rendered):
    again = process_maps.render_all(tmp_path, k)
    assert [p.name for p in again] == [p.name for p in rendered.values()]
    for path in again:
        assert path.read_bytes() == rendered[path.name].read_bytes(), path.name


def test_no_dates_or_software_versions_in_the_files(rendered):
    for name, path in rendered.items():
        data = path.read_bytes()
        assert b"dc:date" not in data, name
        if name.endswith(".png"):
            assert b"Software" not in data, name
            assert b"Creation Time" not in data, name


def test_long_text_wraps_inside_its_box(k):
    content = process_maps.map_content(k, k.pathways["open_social_care"])
    plan = process_maps.layout(content)
    for box in plan.boxes:
        assert box.x >= 0 and box.x + box.w <= plan.width
        assert box.y >= 0 and box.bottom <= plan.height
        for line in box.lines:
            assert process_maps._width(line, box.font) <= box.w - 2 * process_maps.PAD_X, line
    # Boxes never overlap.
    for i, a in enumerate(plan.boxes):
        for b in plan.boxes[i + 1:]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.bottom <= b.y or b.bottom <= a.y
            assert apart, (a.lines, b.lines)


def test_wrap_keeps_phone_numbers_whole_and_splits_only_at_spaces():
    font = process_maps._font(process_maps.BODY_SIZE)
    text = "Concern about a child → contact the Children's Access Point (CAP) on 01325 406222"
    for width in (120, 160, 200, 280):
        lines = process_maps.wrap(text, width, font, keep=["01325 406222"])
        assert " ".join(lines) == text
        assert any("01325 406222" in line for line in lines)
    lines = process_maps.wrap("(averyveryverylongaddress@example.gov.uk)", 90, font)
    assert "".join(lines) == "(averyveryverylongaddress@example.gov.uk)"
    assert all(process_maps._width(line, font) <= 90 for line in lines)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_colours_meet_wcag_aa():
    styles = [process_maps.START, process_maps.COMMON, process_maps.NOTE, *process_maps.LEVEL_STYLES.values()]
    for style in styles:
        for fill in (style.fill, style.heading_fill):
            assert _contrast(process_maps.TEXT, fill) >= 4.5, fill  # text on its box
        assert _contrast(style.edge, process_maps.BACKGROUND) >= 3, style.edge  # box outlines
    assert _contrast(process_maps.MUTED, process_maps.BACKGROUND) >= 4.5
    assert _contrast(process_maps.ARROW, process_maps.BACKGROUND) >= 3


def test_public_url(tmp_path, monkeypatch):
    monkeypatch.setattr(process_maps, "DEFAULT_OUT_DIR", tmp_path)
    monkeypatch.delenv("CSE_PUBLIC_URL", raising=False)
    assert process_maps.public_url(1) is None  # not rendered yet
    (tmp_path / "map-1.png").write_bytes(PNG_MAGIC)
    assert process_maps.public_url(1) == "http://localhost:8080/maps/map-1.png"
    monkeypatch.setenv("CSE_PUBLIC_URL", "https://cse.example.org/")
    assert process_maps.public_url(1) == "https://cse.example.org/maps/map-1.png"
    assert process_maps.public_url(2) is None


@pytest.mark.slow  # a whole program in a subprocess, or full renders: test-unit, not test-fast
def test_cli_prints_what_it_wrote(tmp_path, capsys):
    assert process_maps.main([str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / f"map-{n}.{ext}") for n in sorted(EXPECTED) for ext in ("svg", "png")]
    assert all(Path(p).is_file() for p in printed)


@pytest.mark.slow  # a whole program in a subprocess, or full renders: test-unit, not test-fast
def test_module_does_not_import_rasa():
    code = (
        "import sys, cse_core.process_maps\n"
        "bad = [m for m in sys.modules if m == 'rasa' or m.startswith('rasa.')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env={"PYTHONPATH": str(ROOT)})
