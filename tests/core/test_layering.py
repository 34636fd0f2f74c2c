"""The layering, checked by imports, and the README's architecture section against the tree.

knowledge/ (data) -> cse_core/ (pure Python) -> actions/ (Rasa SDK glue) -> bot/ (Rasa-side
parts). No arrow goes back up. clients/ talk to the assistant over the REST contract only:
they import nothing from bot/, actions/ or Rasa, and cse_core/ where they need its words or
its sender-id hashing.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What each layer must not import (top-level module names).
FORBIDDEN = {
    "cse_core": {"rasa", "rasa_sdk", "actions", "bot", "clients"},
    "actions": {"rasa", "bot", "clients"},
    "bot": {"clients"},
    "clients": {"rasa", "rasa_sdk", "actions", "bot"},
}
# Folders made by running things, never committed (.gitignore).
GENERATED = {"var", "models", "results", "artifacts", "node_modules", "__pycache__"}


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def violations(package: str) -> list[str]:
    forbidden = FORBIDDEN[package]
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in sorted(imported_modules(path)):
            if module.split(".")[0] in forbidden:
                out.append(f"{path.relative_to(ROOT)} imports {module}")
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_goes_back_up_the_layers(package):
    assert (ROOT / package).is_dir()
    assert violations(package) == []


def test_knowledge_is_data_only():
    assert not list((ROOT / "knowledge").rglob("*.py")), "knowledge/ holds data; code that reads it is in cse_core/"


def test_the_checker_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from bot.channels import gateway\n    import rasa_sdk.events\n", encoding="utf-8")
    assert {"bot.channels", "bot.channels.gateway", "rasa_sdk.events"} <= imported_modules(module)


def top_level_folders() -> set[str]:
    """The committed top-level folders (git's view if there is one, else the tree's, minus generated ones)."""
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True)
        folders = {line.split("/", 1)[0] for line in listed.stdout.splitlines() if "/" in line}
    except (OSError, subprocess.SubprocessError):
        folders = {p.name for p in ROOT.iterdir() if p.is_dir()}
    return {f for f in folders if not f.startswith(".") and f not in GENERATED and (ROOT / f).is_dir()}


def architecture_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Architecture\b.*?(?=^## |\Z)", readme, re.M | re.S)
    assert match, "README.md has no '## Architecture' section"
    return match.group(0)


def test_the_readme_architecture_names_every_top_level_folder():
    section = architecture_section()
    folders = top_level_folders()
    assert {"bot", "clients", "cse_core", "actions", "knowledge"} <= folders
    missing = sorted(f for f in folders if f"`{f}/" not in section)
    assert missing == [], f"README.md's architecture section does not name: {missing}"


def test_the_readme_architecture_names_no_folder_that_is_gone():
    section = architecture_section()
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("|")]
    named = {m for cell in first_cells for m in re.findall(r"`([A-Za-z_][\w.-]*)/", cell)}
    assert named, "the architecture section's table names no folders"
    gone = sorted(f for f in named if not (ROOT / f).is_dir() and f not in GENERATED)
    assert gone == [], f"README.md's architecture section names folders that do not exist: {gone}"
