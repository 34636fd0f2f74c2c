"""The safety detector's word data (cse_core/safety/lexicon.yml and word_lists.yml) loads, and
every word list and class the code names exists: a missing one must fail loudly at load, never
silently match nothing (issue 12, item 6)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cse_core import safety
from cse_core.safety import lexicon
from cse_core.safety.detector import _detector

PACKAGE = Path(safety.__file__).parent


def _package_trees() -> dict[str, ast.Module]:
    return {path.name: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.glob("*.py"))}


def _word_list_calls() -> list[tuple[str, ast.Call, bool]]:
    """Every ``word_list("name")`` call in the package, and whether it runs at import."""
    found = []
    for name, tree in _package_trees().items():
        in_function = {id(node) for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.Lambda))
                       for node in ast.walk(fn)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "word_list":
                found.append((name, node, id(node) not in in_function))
    return found


def _class_names_in_code() -> set[str]:
    """Word classes the code looks up by name: ``lex["X"]`` and ``_lexicon()["X"]``."""
    names = set()
    for tree in _package_trees().values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and \
                    isinstance(node.slice.value, str) and node.slice.value.isupper():
                target = node.value
                if (isinstance(target, ast.Name) and target.id == "lex") or (
                        isinstance(target, ast.Call) and isinstance(target.func, ast.Name)
                        and target.func.id == "_lexicon"):
                    names.add(node.slice.value)
    return names


def test_the_word_data_loads() -> None:
    lists = lexicon._word_lists()
    assert len(lists) > 40
    for name, words in lists.items():
        assert words and all(w == w.lower() or name.endswith("danger_classes") for w in words), name
    lex = lexicon._lexicon()
    assert {"VICTIM", "WEAPON", "PLACE"} <= set(lex.classes)
    assert lex.phrases["IMMEDIATE_EXPLICIT"] and lex.textspeak["u"] == "you"


def test_every_word_list_the_code_names_exists_and_is_read_at_import() -> None:
    calls = _word_list_calls()
    assert calls
    names = set()
    for module, call, at_import in calls:
        assert at_import, f"{module}: word_list() inside a function would fail only when it runs"
        assert len(call.args) == 1 and isinstance(call.args[0], ast.Constant), module
        names.add(call.args[0].value)
    data = set(lexicon._word_lists())
    assert names - data == set(), "word lists the code names but word_lists.yml lacks"
    assert data - names == set(), "word lists in word_lists.yml that no code reads"


def test_every_word_class_the_code_names_exists() -> None:
    classes = set(lexicon._lexicon().classes)
    named = _class_names_in_code()
    assert {"DANGER_PERSON", "RELATION"} <= named
    assert named - classes == set()
    assert set(lexicon.word_list("danger_classes")) - classes == set()
    assert set(lexicon.word_list("serious_danger_classes")) - classes == set()


def test_every_rule_pattern_compiles() -> None:
    """Building the detector compiles every rule's patterns: a class a pattern names and the
    lexicon lacks raises there, at the first message, not later."""
    det = _detector()
    assert len(det.compiled) > 200


def test_a_missing_list_or_class_fails_loudly(tmp_path, monkeypatch) -> None:
    with pytest.raises(LookupError, match="no word list 'no_such_list'"):
        lexicon.word_list("no_such_list")
    with pytest.raises(LookupError, match="no word class 'NO_SUCH_CLASS'"):
        lexicon._lexicon()["NO_SUCH_CLASS"]
    broken = tmp_path / "word_lists.yml"
    broken.write_text("carer_agents: []\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "WORD_LISTS_PATH", broken)
    lexicon._word_lists.cache_clear()
    try:
        with pytest.raises(ValueError, match="carer_agents"):
            lexicon.word_list("carer_agents")
    finally:
        monkeypatch.undo()
        lexicon._word_lists.cache_clear()
    assert "mum" in lexicon.word_list("carer_agents")
