"""The redaction developer's own probe set (tests/core/data/identifier_probes.txt)."""

from __future__ import annotations

from pathlib import Path

PATH = Path(__file__).with_name("data") / "identifier_probes.txt"


def load(path: Path = PATH) -> dict[str, list[tuple[str, list[str]]]]:
    """{class: [(message, [identifiers that must be gone])]}; class "clean" has none."""
    classes: dict[str, list[tuple[str, list[str]]]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            current = line.strip().rstrip(":")
            classes[current] = []
            continue
        text, *values = [part.strip() for part in line.strip().removeprefix("- ").split("||")]
        classes[current].append((text, values))
    return classes
