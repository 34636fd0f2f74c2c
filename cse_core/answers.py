"""Turn a knowledge entry into the words the assistant sends, with its source.

Everything returned here is built from ``knowledge/``; this module only chooses and
assembles. ``audience`` is "parent" or "practitioner": parents get an entry's
plain-language wording where it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cse_core import parsing
from cse_core.knowledge import Entry, Knowledge, Pathway, PathwayStep

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


def _candidates(k: Knowledge, entry: Entry) -> list[Entry]:
    """The sub-entries a question under ``entry``'s intent may be answered by."""
    if entry.choose_from:  # "the process map for a new case": only the pathway entries
        return [c for c in k.children.get(entry.choose_from, []) if c.pathway]
    extra = [e for e in k.entries.values() if entry.id in e.also_under]
    return k.children.get(entry.id, []) + extra


def best_child(k: Knowledge, entry: Entry, text: str) -> Entry | None:
    """The sub-entry the text names: a named sub-topic by its keywords (longest match wins),
    else a case pathway by the case-status reader (parsing.case_status_from_text)."""
    lowered = (text or "").lower()
    candidates = _candidates(k, entry)
    best, best_len = None, 0
    for child in candidates:
        if child.pathway:
            continue
        for kw in child.keywords:
            if len(kw) > best_len and _contains(lowered, kw):
                best, best_len = child, len(kw)
    if best:
        return best
    pathways = {c.pathway: c for c in candidates if c.pathway}
    if pathways:
        status = parsing.case_status_from_text(k, text)
        return pathways.get(status) if status else None
    return None


def pathway_for_text(k: Knowledge, text: str) -> Pathway | None:
    status = parsing.case_status_from_text(k, text)
    return k.pathways.get(status) if status else None


def select(k: Knowledge, intent: str, text: str = "", topic: str | None = None) -> Entry | None:
    """The entry answering ``intent``; a sub-entry when ``topic`` or the text names one."""
    if topic and topic in k.entries:
        return k.entries[topic]
    entry = k.entry_for_intent(intent)
    if entry is None:
        return None
    return best_child(k, entry, text) or entry


def source_line(k: Knowledge, section: str) -> str:
    key = "source" if re.fullmatch(r"[\d.]+", section) else "source_unnumbered"
    return k.message(key).format(
        title=k.document["short_title"], section=section, section_title=k.sections[section]
    )


def step_text(k: Knowledge, step: PathwayStep) -> str:
    text = k.fill_contacts(step.text)
    return k.labelled(text) if step.own_advice else text


def steps_for_level(k: Knowledge, pathway: Pathway, level: str) -> list[str]:
    return [step_text(k, s) for s in pathway.steps if level in s.levels]


def level_group_label(k: Knowledge, levels: tuple[str, ...] | list[str]) -> str:
    return k.message("pathway_levels_header").format(levels=" or ".join(levels))


def describe_pathway(k: Knowledge, pathway: Pathway) -> str:
    """All of a pathway's steps, those for every level first, then by level."""
    levels = tuple(("low", "medium", "high"))
    lines = [k.message("pathway_header").format(label=pathway.label, section=pathway.section)]
    lines += [f"- {step_text(k, s)}" for s in pathway.steps if set(s.levels) == set(levels)]
    groups: dict[tuple[str, ...], list[str]] = {}
    for step in pathway.steps:
        if set(step.levels) != set(levels):
            groups.setdefault(step.levels, []).append(step_text(k, step))
    for group_levels, texts in groups.items():
        lines.append(level_group_label(k, group_levels))
        lines += [f"- {t}" for t in texts]
    if pathway.process_map:
        lines.append(k.message("pathway_map_note").format(number=pathway.process_map, map_title=pathway.map_title))
    lines.append(k.fill_contacts(k.message("pathway_contact")))
    return "\n".join(lines)


def rules_summary(k: Knowledge) -> str:
    """The pre-screen's own rules, in words, from knowledge/risk_rules.yml."""
    ratings = k.message("screening.rating_labels")
    levels = k.message("screening.level_labels")
    lines = []
    for rule in k.risk_rules["rules"]:
        cond = rule.get("if")
        if cond is None:
            lines.append(k.message("rules_summary_default").format(level=levels[rule["level"]]))
        else:
            lines.append(k.message("rules_summary_rule").format(
                at_least=cond["at_least"], rating=ratings[cond["rating"]], level=levels[rule["level"]]))
    for floor in k.risk_rules["floors"]:
        lines.append(k.message("rules_summary_floor").format(level=levels[floor["minimum_level"]]))
    return "\n".join(f"- {line}" for line in lines)


def _generated_lists(k: Knowledge, entry: Entry) -> dict[str, str]:
    return {
        "indicator_list": "\n".join(f"- {i.name}" for i in k.indicators),
        "pathway_list": "\n".join(f"- {p.label}" for p in k.pathways.values() if p.cap_category),
        "map_list": "\n".join(
            f"- Process Map {p.process_map}: {p.map_title}" for p in k.pathways.values() if p.process_map
        ),
        "children": "\n".join(f"- {c.title}" for c in k.children.get(entry.id, [])),
        "rules_summary": rules_summary(k),
        "rules_version": str(k.risk_rules["version"]),
    }


def _fill(k: Knowledge, entry: Entry, text: str) -> str:
    text = k.fill_contacts(text)
    for name, value in _generated_lists(k, entry).items():
        if "{" + name + "}" in text:
            # a list inside a sentence reads as one line; on a line of its own, as a list
            inline = not re.search(r"(^|\n)\{" + name + r"\}($|\n)", text)
            text = text.replace("{" + name + "}", value.replace("\n- ", "; ").lstrip("- ") if inline else value)
    return text


def body(k: Knowledge, entry: Entry, audience: str = PRACTITIONER) -> str:
    """The entry's words; the assistant's own advice after them, with its label."""
    if entry.pathway:
        text = describe_pathway(k, k.pathways[entry.pathway])
    else:
        text = entry.parent_answer if audience == PARENT and entry.parent_answer else entry.answer
        text = _fill(k, entry, text)
        if entry.own_advice:
            text = k.labelled(text)
    advice = entry.parent_advice if audience == PARENT and entry.parent_advice else entry.advice
    if advice:
        text = f"{text}\n\n{k.labelled(_fill(k, entry, advice))}"
    return text


def topic_button(k: Knowledge, entry: Entry) -> Button:
    """A button that asks for ``entry`` exactly, whatever NLU would make of its title."""
    return Button(title=entry.title, payload=f'/{entry.intent}{{"topic":"{entry.id}"}}')


MAX_TOPIC_BUTTONS = 4


def related_entries(k: Knowledge, entry: Entry) -> list[Entry]:
    """What to offer next: a parent's sub-topics and its related entries; for a sub-entry
    without its own, its parent and the sub-topics after it."""
    if not entry.parent:
        related = k.children.get(entry.id, [])[:MAX_TOPIC_BUTTONS] + [k.entries[r] for r in entry.related]
    elif entry.related:
        related = [k.entries[r] for r in entry.related]
    else:
        siblings = k.children.get(entry.parent, [])
        i = siblings.index(entry)
        related = [k.entries[entry.parent], *(siblings[i + 1:] + siblings[:i])]
    out: list[Entry] = []
    for r in related:
        if r.id != entry.id and r not in out:
            out.append(r)
    return out[:MAX_TOPIC_BUTTONS]


def next_step_buttons(k: Knowledge, entry: Entry | None = None) -> list[Button]:
    """ "What do I do?" and the pre-screen, ending every answer (not the answer's own button)."""
    out = []
    for b in k.message("next_step_buttons"):
        if entry is not None and b.get("entry") == entry.id:
            continue
        out.append(Button(title=b["title"], payload=b["payload"]))
    return out


def buttons_for(k: Knowledge, entry: Entry) -> list[Button]:
    steps = next_step_buttons(k, entry)
    step_entries = {b.get("entry") for b in k.message("next_step_buttons")}
    topics = [topic_button(k, r) for r in related_entries(k, entry) if r.id not in step_entries]
    return topics + steps


def render(k: Knowledge, entry: Entry, audience: str = PRACTITIONER) -> Answer:
    process_map = k.pathways[entry.pathway].process_map if entry.pathway else None
    return Answer(
        entry_id=entry.id,
        text=body(k, entry, audience),
        source=source_line(k, entry.section),
        buttons=buttons_for(k, entry),
        process_map=process_map,
    )


def answer(k: Knowledge, intent: str, text: str = "", audience: str = PRACTITIONER,
           topic: str | None = None) -> Answer | None:
    entry = select(k, intent, text, topic)
    return render(k, entry, audience) if entry else None
