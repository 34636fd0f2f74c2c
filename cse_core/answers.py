"""Turn a knowledge entry into the words the assistant sends, with its source.

Everything returned here is built from ``knowledge/``; this module only chooses and
assembles. ``audience`` is "parent" or "practitioner": parents get an entry's
plain-language wording where it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cse_core.knowledge import Entry, Knowledge, Pathway

PARENT = "parent"
PRACTITIONER = "practitioner"


@dataclass
class Button:
    title: str
    payload: str


@dataclass
class Answer:
    entry_id: str
    text: str
    source: str
    buttons: list[Button] = field(default_factory=list)
    process_map: int | None = None

    @property
    def full_text(self) -> str:
        return f"{self.text}\n\n{self.source}"


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) is not None


def _keywords(k: Knowledge, entry: Entry) -> tuple[str, ...]:
    if entry.pathway:
        return k.pathways[entry.pathway].keywords
    return entry.keywords


def best_child(k: Knowledge, entry: Entry, text: str) -> Entry | None:
    """The sub-entry whose keywords the text names (longest match wins), if any."""
    lowered = (text or "").lower()
    best, best_len = None, 0
    for child in k.children.get(entry.choose_from or entry.id, []):
        for kw in _keywords(k, child):
            if len(kw) > best_len and _contains(lowered, kw):
                best, best_len = child, len(kw)
    return best


def pathway_for_text(k: Knowledge, text: str) -> Pathway | None:
    lowered = (text or "").lower()
    best, best_len = None, 0
    for pathway in k.pathways.values():
        for kw in pathway.keywords:
            if len(kw) > best_len and _contains(lowered, kw):
                best, best_len = pathway, len(kw)
    return best


def select(k: Knowledge, intent: str, text: str = "", topic: str | None = None) -> Entry | None:
    """The entry answering ``intent``; a sub-entry when ``topic`` or the text names one."""
    if topic and topic in k.entries:
        return k.entries[topic]
    entry = k.entry_for_intent(intent)
    if entry is None:
        return None
    return best_child(k, entry, text) or entry


def source_line(k: Knowledge, section: str) -> str:
    return k.message("source").format(
        title=k.document["short_title"], section=section, section_title=k.sections[section]
    )


def steps_for_level(k: Knowledge, pathway: Pathway, level: str) -> list[str]:
    return [k.fill_contacts(s.text) for s in pathway.steps if level in s.levels]


def describe_pathway(k: Knowledge, pathway: Pathway) -> str:
    """All of a pathway's steps, those for every level first, then by level."""
    levels = tuple(("low", "medium", "high"))
    lines = [f"For a child {pathway.label}:"]
    lines += [f"- {k.fill_contacts(s.text)}" for s in pathway.steps if set(s.levels) == set(levels)]
    groups: dict[tuple[str, ...], list[str]] = {}
    for step in pathway.steps:
        if set(step.levels) != set(levels):
            groups.setdefault(step.levels, []).append(k.fill_contacts(step.text))
    for group_levels, texts in groups.items():
        lines.append(f"If {' or '.join(group_levels)} risk:")
        lines += [f"- {t}" for t in texts]
    if pathway.process_map:
        lines.append(f"(Process map {pathway.process_map} in section 4 of the guidance.)")
    return "\n".join(lines)


def _generated_lists(k: Knowledge, entry: Entry) -> dict[str, str]:
    return {
        "indicator_list": "\n".join(f"- {i.name}" for i in k.indicators),
        "pathway_list": "\n".join(f"- {p.label}" for p in k.pathways.values()),
        "map_list": "\n".join(
            f"- Process map {p.process_map}: {p.label}" for p in k.pathways.values() if p.process_map
        ),
        "children": "\n".join(f"- {c.title}" for c in k.children.get(entry.id, [])),
    }


def body(k: Knowledge, entry: Entry, audience: str = PRACTITIONER) -> str:
    if entry.pathway:
        return describe_pathway(k, k.pathways[entry.pathway])
    text = entry.parent_answer if audience == PARENT and entry.parent_answer else entry.answer
    text = k.fill_contacts(text)
    for name, value in _generated_lists(k, entry).items():
        text = text.replace("{" + name + "}", value)
    return text


def topic_button(k: Knowledge, entry: Entry) -> Button:
    """A button that asks for ``entry`` exactly, whatever NLU would make of its title."""
    return Button(title=entry.title, payload=f'/{entry.intent}{{"topic":"{entry.id}"}}')


def render(k: Knowledge, entry: Entry, audience: str = PRACTITIONER) -> Answer:
    related = [k.entries[r] for r in entry.related]
    if not entry.parent:
        related = k.children.get(entry.id, [])[:4] + related
    process_map = k.pathways[entry.pathway].process_map if entry.pathway else None
    return Answer(
        entry_id=entry.id,
        text=body(k, entry, audience),
        source=source_line(k, entry.section),
        buttons=[topic_button(k, r) for r in related[:5]],
        process_map=process_map,
    )


def answer(k: Knowledge, intent: str, text: str = "", audience: str = PRACTITIONER,
           topic: str | None = None) -> Answer | None:
    entry = select(k, intent, text, topic)
    return render(k, entry, audience) if entry else None
