"""The safety check and redaction read a message through one character step and one name
detector (issue 12, item 6): a quote or space fixed for one is fixed for both."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from cse_core import names, redaction, safety, tokens

CSE_CORE = Path(tokens.__file__).parent
# the module, not the function cse_core.safety exports under the same name
safety_normalise = importlib.import_module("cse_core.safety.normalise")


def test_one_character_step_shared_by_safety_and_redaction() -> None:
    assert safety_normalise.plain_characters is tokens.normalise
    assert redaction.normalise is tokens.normalise


def test_no_other_character_table_in_cse_core() -> None:
    """tokens.PLAIN is the one table (safety, redaction and the phrase matcher read it)."""
    for path in sorted(CSE_CORE.rglob("*.py")):
        if path.name != "tokens.py":
            assert "maketrans" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("char", sorted(chr(code) for code in tokens.PLAIN))
def test_safety_reads_every_character_of_the_table_as_redaction_does(char: str) -> None:
    plain = char.translate(tokens.PLAIN)
    text = f"he said{char}come now{char}"
    assert safety_normalise.normalise(text) == safety_normalise.normalise(f"he said{plain}come now{plain}")
    assert tokens.normalise(text) == f"he said{plain}come now{plain}"


def test_safety_reads_typographic_text_as_plain() -> None:
    assert safety_normalise.normalise("he\u2019s got a knif\u00a0now") == "he's got a knife now"
    assert safety_normalise.normalise("she\u00b4s missin") == "she's missing"


# -- one name detector -----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "my daughter chloe is missing",
    "Chloe Smith is missing",
    "worried about jayden, he is 13",
    "my daughter Grace is with a man",
    "Amy-Leigh is with him now",
])
def test_safety_reads_as_a_name_what_redaction_redacts(text: str) -> None:
    """Every name cse_core.names finds (the detector redaction uses) is one ``xxname``."""
    found = names.find_names(text)
    assert found
    expected = text
    for start, end in reversed(found):
        expected = expected[:start] + "xxname" + expected[end:]
    assert safety_normalise.normalise(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a lower-case name after a cue, a two-word name, a name that is also a word, all capitals
    ("my daughter chloe is missing", "emergency"),
    ("Chloe Smith is missing", "emergency"),
    ("my daughter Grace is with a man", "emergency"),
    ("MY DAUGHTER CHLOE IS MISSING", "emergency"),
    # a capitalised word no list knows is still a person
    ("Oluwaseun hasn't come home", "emergency"),
])
def test_names_the_shared_detector_finds_are_victims(text: str, expected: str) -> None:
    assert safety.check(text).kind == expected


def test_a_word_the_rules_read_is_no_name() -> None:
    """names.py takes "xanax" after "my daughter" for a name; the rules need the drug."""
    assert "xanax" in safety_normalise.normalise("they've been giving my daughter xanax")


@pytest.mark.parametrize("place", ["Leeds", "Middlesbrough", "Sunderland"])
def test_a_place_is_no_name(place: str) -> None:
    """The detector's never-a-name lists (places, apps) hold for capitalised unknown words too."""
    assert place in safety_normalise.normalise(f"she's from {place} and living here")
