"""The safety check and redaction read a message through one character step and one name
detector (issue 12, item 6): a quote or space fixed for one is fixed for both."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from cse_core import redaction, tokens

CSE_CORE = Path(tokens.__file__).parent
# the module, not the function cse_core.safety exports under the same name
safety_normalise = importlib.import_module("cse_core.safety.normalise")


def test_one_character_step_shared_by_safety_and_redaction() -> None:
    assert safety_normalise.plain_characters is tokens.normalise
    assert redaction.normalise is tokens.normalise


def test_no_other_character_table_in_safety_or_redaction() -> None:
    for folder in ("safety", "redaction"):
        for path in sorted((CSE_CORE / folder).glob("*.py")):
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
