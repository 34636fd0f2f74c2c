"""Recall per identifier class and over-redaction, on the developer's own probe set and on
the NLU training messages (questions about the guidance, without identifiers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cse_core.names import find_names, is_given_name
from cse_core.redaction import LABELS, redact
from tests.core.probes import load

PROBES = load()
CLASSES = [c for c in PROBES if c != "clean"]
ROOT = Path(__file__).resolve().parents[2]


def test_every_class_is_probed():
    assert len(CLASSES) >= 12 and all(len(PROBES[c]) >= 4 for c in CLASSES)
    assert len(PROBES["clean"]) >= 40


@pytest.mark.parametrize("cls", CLASSES)
def test_recall_per_class(cls):
    missed = [(text, redact(text)) for text, values in PROBES[cls] if any(v in redact(text) for v in values)]
    assert missed == []


@pytest.mark.parametrize("text", [t for t, _ in PROBES["clean"]])
def test_guidance_messages_stay_readable(text):
    assert redact(text) == text


def _nlu_examples() -> list[str]:
    examples = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(item.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append(re.sub(r"\[([^\]]+)\][({][^)}]*[)}]", r"\1", line[2:]))
    return examples


def test_over_redaction_of_guidance_questions_is_below_half_a_percent():
    examples = _nlu_examples()
    assert len(examples) > 1000
    changed = [e for e in examples if redact(e) != e]
    assert len(changed) / len(examples) < 0.005, changed[:20]


def test_placeholders_are_typed_labels():
    out = redact("Chloe Smith, 07700 900123, chloe@example.com, DL1 5QT, AB12 CDE, QQ 12 34 56 C, 943 476 5919")
    assert set(re.findall(r"\[[A-Z_]+\]", out)) <= set(LABELS)
    assert "[NAME]" in out and "[PHONE]" in out and "[NHS_NUMBER]" in out and "[NI_NUMBER]" in out


def test_names_api_stands_alone():
    text = "my daughter chloe, 14, is with Jayden Smith"
    assert [text[s:e] for s, e in find_names(text)] == ["chloe", "Jayden Smith"]
    assert is_given_name("Chloe") and not is_given_name("Will")


def _knowledge_ids(k) -> set[str]:
    ids = {i.id for i in k.indicators} | set(k.pathways)
    ids |= {str(b["id"]) for b in k.risk_rules["age"]["bands"]}
    ids |= {str(r) for r in k.risk_rules["ratings"]}
    ids |= set(k.contacts)
    return ids


def test_the_assistants_own_ids_survive_redaction(k):
    """Slot values are stored redacted: the ids the screening keeps in them must come back."""
    ids = _knowledge_ids(k)
    assert {"under_13", "13_15", "new_case"} <= ids
    assert [i for i in ids if redact(i) != i] == []
