"""A fingerprint of the safety detector's behaviour, to prove a refactor changed nothing.

Runs ``cse_core.safety.read()`` and ``mentions_danger()`` over every message it can find (the
blind sets in eval/blind/, tests/safety/cases.yml, the string lists of the safety tests, the NLU
examples of data/nlu/ and tests/nlu/) and writes one line per distinct message, keyed by the
SHA-1 of its text (never the text: the blind sets' messages must not leave the repository),
into a JSON file. Run it before and after a change and compare the two files byte for byte:

    .venv/bin/python scripts/safety_fingerprint.py --out /tmp/safety_fp_before.json
    ... change the detector ...
    .venv/bin/python scripts/safety_fingerprint.py --out /tmp/safety_fp_after.json
    cmp /tmp/safety_fp_before.json /tmp/safety_fp_after.json

It prints only counts (and, with ``--compare``, how many lines differ and their keys).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Test modules whose string lists are messages for the detector.
TEST_MODULES = ("tests/core/test_safety_detector.py", "tests/safety/*.py", "tests/bot/test_safety_component.py",
                "tests/e2e/test_safety.py")


def _strings(node: Any) -> Iterator[str]:
    """Every string in a YAML value (dicts, lists, scalars), depth first."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def blind_messages() -> Iterator[str]:
    """The message texts of eval/blind/*.yml: ``text`` fields and the follow-ups' ``say`` turns."""
    for path in sorted((ROOT / "eval" / "blind").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("text"), str):
                yield item["text"]
            for turn in item.get("turns") or []:
                if isinstance(turn, dict) and isinstance(turn.get("say"), str):
                    yield turn["say"]


def case_messages() -> Iterator[str]:
    """tests/safety/cases.yml: every string under every heading."""
    yield from _strings(yaml.safe_load((ROOT / "tests" / "safety" / "cases.yml").read_text(encoding="utf-8")))


def nlu_examples() -> Iterator[str]:
    """The examples of data/nlu/ and tests/nlu/ (Rasa's "- text" lines under ``examples: |``)."""
    for folder in ("data/nlu", "tests/nlu"):
        for path in sorted((ROOT / folder).rglob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for block in data.get("nlu") or []:
                for line in str(block.get("examples") or "").splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        yield line[2:]


def test_list_messages() -> Iterator[str]:
    """Strings in list or tuple literals of the safety tests (the message lists and the
    parametrize tables), read from the source without importing it."""
    for pattern in TEST_MODULES:
        for path in sorted(ROOT.glob(pattern)):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
                    for elt in node.elts:
                        if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                            yield elt.value


def all_messages() -> dict[str, int]:
    """Distinct messages, with how many sources each came from (for the counts only)."""
    sources: dict[str, Iterable[str]] = {"blind": blind_messages(), "cases": case_messages(),
                                         "tests": test_list_messages(), "nlu": nlu_examples()}
    seen: dict[str, int] = {}
    for name, texts in sources.items():
        n = 0
        for text in texts:
            if text.strip():
                seen[text] = seen.get(text, 0) + 1
                n += 1
        print(f"{name}: {n} messages")
    return seen


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def fingerprint() -> dict[str, list[Any]]:
    from cse_core import safety

    out: dict[str, list[Any]] = {}
    for text in all_messages():
        reading = safety.read(text)
        out[digest(text)] = [reading.result.kind, reading.result.reason, reading.speaker_is_victim, reading.now,
                             reading.settled, reading.about_another, safety.mentions_danger(text),
                             digest(safety.normalise(text))[:12]]
    return out


def write(prints: dict[str, list[Any]], path: Path) -> None:
    """One line per message, sorted, so that two runs compare byte for byte (and diff by line)."""
    lines = [json.dumps(key) + ": " + json.dumps(value) for key, value in sorted(prints.items())]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    """How many keys differ between two fingerprint files (prints the keys, never a text)."""
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    changed = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    for key in changed[:50]:
        print(f"{key}: {a.get(key)} -> {b.get(key)}")
    print(f"{len(changed)} of {len(a.keys() | b.keys())} messages differ")
    return len(changed)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/safety_fp.json"), help="where to write the fingerprint")
    ap.add_argument("--compare", type=Path, help="a fingerprint written earlier: report the lines that differ")
    args = ap.parse_args()
    prints = fingerprint()
    write(prints, args.out)
    print(f"{len(prints)} distinct messages -> {args.out}")
    if args.compare:
        return 1 if compare(args.compare, args.out) else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
