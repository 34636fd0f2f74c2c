"""The replies a conversation sends (issue 11), assembled from knowledge/ only.

A ``Reply`` is one or more messages plus the conversation's topic after it (``Context``).
The builders here turn a knowledge entry, a fact, a pathway x level cell or a comparison
into words; conversation.py chooses which.

Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cse_core import answers
from cse_core.answers import Button
from cse_core.knowledge import Entry, Knowledge
from cse_core.talk import LEVELS, Talk

# Entries whose answer depends on the case's pathway: they keep it as part of the topic.
_KEEP_PATHWAY = {"risk_levels", "step_down", "meg", "low_risk"}
# A topic's list of sub-entries is shown in full for "tell me more" when it is this short.
_MORE_IN_FULL = 2400
# An entry this short is shown whole in a comparison.
_SHORT = 900


@dataclass
class Context:
    """The conversation's current topic: ids only, never text."""

    entry: str | None = None
    pathway: str | None = None
    level: str | None = None
    said: list[str] = field(default_factory=list)  # other areas' terms already explained
    step_from: str | None = None  # "<entry id>:<+1|-1>": the last step's starting entry and direction

    @classmethod
    def from_slot(cls, value: Any) -> Context:
        if not isinstance(value, dict):
            return cls()
        level = value.get("level") if value.get("level") in LEVELS else None
        said = [str(s) for s in value.get("said") or []][:20]
        step_from = value.get("step_from") if isinstance(value.get("step_from"), str) else None
        return cls(value.get("entry"), value.get("pathway"), level, said, step_from)

    def to_slot(self) -> dict[str, Any]:
        return {"entry": self.entry, "pathway": self.pathway, "level": self.level, "said": self.said,
                "step_from": self.step_from}


@dataclass
class Message:
    text: str = ""
    buttons: list[Button] = field(default_factory=list)
    process_map: int | None = None


@dataclass
class Reply:
    messages: list[Message]
    context: Context
    kind: str  # situation, compare, cell, fact, link, answer, clarify, term, not_covered
    prefill: dict[str, str] | None = None


def msg(t: Talk, key: str) -> Any:
    return t.message(key)


def source(k: Knowledge, section: str) -> str:
    return answers.source_line(k, section)


def topic_after(k: Knowledge, entry: Entry, ctx: Context) -> Context:
    """The context once ``entry`` has been answered (a pathway entry keeps the level asked)."""
    pathway = entry.pathway or (ctx.pathway if entry.id in _KEEP_PATHWAY else None)
    level = ctx.level if pathway else None
    return Context(entry.id, pathway, level, list(ctx.said))


def pathway_entry(k: Knowledge, pathway_id: str) -> Entry | None:
    return next((e for e in k.entries.values() if e.pathway == pathway_id), None)


def entry_reply(k: Knowledge, entry: Entry, audience: str, ctx: Context, kind: str = "answer",
                prefix: str = "") -> Reply:
    ans = answers.render(k, entry, audience)
    text = f"{prefix}\n{ans.full_text}" if prefix else ans.full_text
    return Reply([Message(text, ans.buttons, ans.process_map)], topic_after(k, entry, ctx), kind)


def fact_reply(k: Knowledge, t: Talk, entry: Entry, attribute: str, ctx: Context,
               also: list[str] | None = None) -> Reply | None:
    """The fact for ``attribute`` (and for each of ``also`` the entry holds: "who chairs the
    MEG and how often does it meet" gets both), with its source."""
    facts = t.facts.get(entry.id, {})
    if attribute not in facts:
        return None
    chosen = [facts[attribute]] + [facts[a] for a in also or [] if a in facts and facts[a] is not facts[attribute]]
    texts = list(dict.fromkeys(k.fill_contacts(f.text) for f in chosen))
    sections = list(dict.fromkeys(f.section for f in chosen))
    text = " ".join(texts) + "\n\n" + "\n".join(source(k, section) for section in sections)
    advice = [k.labelled(k.fill_contacts(f.advice)) for f in chosen if f.advice]
    if advice:
        text += "\n\n" + "\n".join(dict.fromkeys(advice))
    more = Button(msg(t, "fact_more_button").format(title=entry.title), answers.topic_button(k, entry).payload)
    return Reply([Message(text, [more])], topic_after(k, entry, ctx), "fact")


def cell_reply(k: Knowledge, t: Talk, pathway_id: str, level: str, ctx: Context) -> Reply:
    """One cell of pathways.yml: what happens for this case status at this level."""
    pathway = k.pathways[pathway_id]
    steps = answers.steps_for_level(k, pathway, level)
    same = all(set(s.levels) == set(LEVELS) for s in pathway.steps)
    key = "cell_same_every_level" if same else "cell_header"
    lines = [msg(t, key).format(label=pathway.label, level=level, section=pathway.section)]
    lines += [f"- {s}" for s in steps]
    if pathway.process_map:
        lines.append(msg(t, "cell_map").format(n=pathway.process_map))
    text = "\n".join(lines) + f"\n\n{source(k, pathway.section)}"
    entry = pathway_entry(k, pathway_id)
    topic = entry.id if entry else "pathway"
    buttons = [] if same else [
        Button(msg(t, "cell_other_levels").format(level=other.capitalize()),
               f'/ask_pathway{{"topic":"{topic}","level":"{other}"}}')
        for other in LEVELS if other != level]
    return Reply([Message(text, buttons)], Context(entry.id if entry else ctx.entry, pathway_id, level, list(ctx.said)),
                 "cell")


def summary(k: Knowledge, entry: Entry, audience: str) -> str:
    """An entry's opening: all of a short entry; else its first paragraph, with the list that
    follows a colon ("For a child open to Early Help:" is nothing without its steps)."""
    body = answers.body(k, entry, audience)
    if len(body) <= _SHORT:
        return body
    lines = [line for line in body.splitlines() if line.strip()]
    out = lines[:1]
    for line in lines[1:]:
        if not out[-1].rstrip().endswith(":") and not line.lstrip().startswith(("-", "If ")):
            break
        out.append(line)
        if len(out) >= 8:
            break
    return "\n".join(out)


def compare_reply(k: Knowledge, t: Talk, a: Entry, b: Entry, audience: str, ctx: Context) -> Reply:
    parts = [msg(t, "compare_intro")]
    for entry in (a, b):
        parts.append(f"{entry.title}:\n{summary(k, entry, audience)}\n{source(k, entry.section)}")
    buttons = [answers.topic_button(k, a), answers.topic_button(k, b)]
    return Reply([Message("\n\n".join(parts), buttons)], Context(b.id, None, None, list(ctx.said)), "compare")


def children_reply(k: Knowledge, t: Talk, entry: Entry, audience: str, ctx: Context) -> Reply:
    """ "Tell me more" about a topic with sub-entries: each of them, in order."""
    children = k.children[entry.id]
    parts = [f"{c.title}\n{answers.body(k, c, audience)}" for c in children]
    if sum(len(p) for p in parts) > _MORE_IN_FULL:
        return Reply([Message(msg(t, "more_children"), [answers.topic_button(k, c) for c in children[:5]])],
                     ctx, "clarify")
    text = "\n\n".join(parts) + f"\n\n{source(k, entry.section)}"
    return Reply([Message(text, [answers.topic_button(k, c) for c in children[:5]])],
                 topic_after(k, entry, ctx), "more")


def clarify_reply(k: Knowledge, t: Talk, ctx: Context, options: list[Entry]) -> Reply:
    seen: list[Entry] = []
    for entry in options:
        if entry not in seen:
            seen.append(entry)
    if not seen:
        return Reply([Message(k.fill_contacts(msg(t, "clarify_followup_none")))], ctx, "clarify")
    buttons = [answers.topic_button(k, e) for e in seen[:4]]
    return Reply([Message(msg(t, "clarify_followup"), buttons)], ctx, "clarify")
