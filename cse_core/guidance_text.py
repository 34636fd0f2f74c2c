"""The guidance's own text, cut into its numbered sections, for the provenance check.

The text is ``knowledge/source/`` (a copy of the published document, kept with the knowledge
so a clean clone can check every statement against it). Sections are cut at the document's
own headings ("2.2 Procedure", "- 1.3 Evidence has shown ..."); a parent section ("2")
holds all of its sub-sections. Two things the plain cut would misplace are put right:

- the contents page's line for a section (its title, and for section 4 the process maps'
  titles, e.g. "Process Map 4 – Child from Out of Area") belongs to that section;
- a footnote ("¹ Department for Education ...") belongs to the section that cites it.

The front page and version-control table are the section ``version_control``.
"""

from __future__ import annotations

import re
from pathlib import Path

FRONT = "version_control"
_TOP = re.compile(r"^(\d{1,2})\.\s+\S")  # "2. What to do if you have concerns"
_SUB = re.compile(r"^(?:-\s+)?(\d{1,2}\.\d{1,2})\s+\S")  # "2.2 Procedure", "- 1.3 Evidence ..."
_CONTENTS_TOP = re.compile(r"^(\d{1,2})\t(.+?)\t")  # "4\tProcess Maps\t"
_CONTENTS_SUB = re.compile(r"^\t(\d{1,2}\.\d{1,2})\s+(.+?)\t")  # "\t2.1 Vulnerability Factors\t4"
_CONTENTS_ROW = re.compile(r"^\t([^\t]+)\t")  # "\tProcess Map 4 – Child from Out of Area\t17"
_FOOTNOTE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹])\s")


def _parent(number: str) -> str | None:
    return number.rsplit(".", 1)[0] if "." in number else None


def split_sections(text: str) -> dict[str, str]:
    """Section number -> its text (a parent section includes its sub-sections)."""
    lines = text.splitlines()
    try:
        contents = next(i for i, ln in enumerate(lines) if ln.strip() == "Contents")
        body = next(i for i, ln in enumerate(lines) if i > contents and _TOP.match(ln))
    except StopIteration as exc:
        raise ValueError("the guidance text has no contents page followed by numbered sections") from exc

    own: dict[str, list[str]] = {FRONT: lines[:contents]}
    current = None
    for line in lines[contents:body]:
        top, sub, row = _CONTENTS_TOP.match(line), _CONTENTS_SUB.match(line), _CONTENTS_ROW.match(line)
        if top:
            current = top[1]
            own.setdefault(current, []).append(top[2])
        elif sub:
            own.setdefault(sub[1], []).append(sub[2])
        elif row and current:
            own.setdefault(current, []).append(row[1])

    footnote_of: dict[str, str] = {}
    section = None
    for line in lines[body:]:
        top, sub = _TOP.match(line), _SUB.match(line)
        if sub:
            section = sub[1]
        elif top:
            section = top[1]
        note = _FOOTNOTE.match(line)
        if note and note[1] in footnote_of:
            own.setdefault(footnote_of[note[1]], []).append(line)
            continue
        if section is None:
            continue
        for mark in re.findall(r"[¹²³⁴⁵⁶⁷⁸⁹]", line):
            footnote_of.setdefault(mark, section)
        own.setdefault(section, []).append(line)

    full = {number: list(text_lines) for number, text_lines in own.items()}
    for number, text_lines in own.items():
        parent = _parent(number)
        while parent:
            full.setdefault(parent, []).extend(text_lines)
            parent = _parent(parent)
    return {number: "\n".join(text_lines).strip() for number, text_lines in full.items()}


def load_sections(path: Path) -> dict[str, str]:
    return split_sections(path.read_text(encoding="utf-8"))
