"""Answering what people mean in a conversation (issue 11), not just single questions.

``respond()`` looks at one message with the conversation's current topic (``Context``: a
knowledge entry, a pathway and a risk level) and decides, in this order:

1. a described child with signs of exploitation -> what to do now (CAP, 999), the
   indicators named, "referral required" for under 13 / learning disability, the route for
   the case status, and an offer of a pre-screen prefilled with what was said;
2. a comparison ("difference between X and Y") -> both entries side by side;
3. a pathway and a level ("open to social care, high risk") -> that cell of pathways.yml;
4. a topic named with an attribute ("how often does the MEG meet") -> that fact;
5. a follow-up with no topic of its own -> resolved against the context: an attribute, a
   level of the current pathway, another entry linked from the current one ("how does that
   end?"), "what should I do?"; if that fails, one short clarifying question with buttons;
6. another area's word (MASH, MACE, DSL...) -> what Darlington calls it, then the answer.

It returns None when the intent's own answer is the right one. Everything said comes from
knowledge/; this module chooses and assembles.

Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cse_core import answers, parsing, phrases, situation
from cse_core.answers import Button
from cse_core.followup import Cues
from cse_core.followup import read as read_cues
from cse_core.knowledge import Entry, Knowledge
from cse_core.talk import LEVELS, Talk

# Intents whose answer is about acting now: a situation answer covers them already.
_ACTION_INTENTS = {"ask_what_to_do", "ask_contact_cap", "ask_immediate_risk", "ask_signs", "ask_risk_indicators",
                   "ask_under_13", "ask_pathway", "ask_who_notices", "ask_what_is_cse", "ask_cse_definition"}
# The classifier is trusted over a follow-up reading only above this confidence.
CONFIDENT = 0.6


@dataclass
class Context:
    """The conversation's current topic: ids only, never text."""

    entry: str | None = None
    pathway: str | None = None
    level: str | None = None
    said: list[str] = field(default_factory=list)  # other areas' terms already explained

    @classmethod
    def from_slot(cls, value: Any) -> Context:
        if not isinstance(value, dict):
            return cls()
        level = value.get("level") if value.get("level") in LEVELS else None
        said = [str(s) for s in value.get("said") or []][:20]
        return cls(value.get("entry"), value.get("pathway"), level, said)

    def to_slot(self) -> dict[str, Any]:
        return {"entry": self.entry, "pathway": self.pathway, "level": self.level, "said": self.said}


@dataclass
class Message:
    text: str = ""
    buttons: list[Button] = field(default_factory=list)
    process_map: int | None = None


@dataclass
class Reply:
    messages: list[Message]
    context: Context
    kind: str  # situation, compare, cell, fact, link, answer, clarify, term
    prefill: dict[str, str] | None = None


def _msg(t: Talk, key: str) -> str:
    return t.message(key)


def entry_reply(k: Knowledge, entry: Entry, audience: str, ctx: Context, kind: str = "answer",
                prefix: str = "") -> Reply:
    ans = answers.render(k, entry, audience)
    text = f"{prefix}\n{ans.full_text}" if prefix else ans.full_text
    return Reply([Message(text, ans.buttons, ans.process_map)], topic_after(k, entry, ctx), kind)


def topic_after(k: Knowledge, entry: Entry, ctx: Context) -> Context:
    """The context once ``entry`` has been answered (a pathway entry keeps the level asked)."""
    pathway = entry.pathway or (ctx.pathway if entry.id in ("risk_levels", "step_down", "meg", "low_risk") else None)
    level = ctx.level if entry.pathway or pathway else None
    return Context(entry.id, pathway, level, list(ctx.said))


def _source(k: Knowledge, section: str) -> str:
    return answers.source_line(k, section)


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
    text = " ".join(texts) + "\n\n" + "\n".join(_source(k, section) for section in sections)
    more = Button(_msg(t, "fact_more_button").format(title=entry.title), answers.topic_button(k, entry).payload)
    return Reply([Message(text, [more])], topic_after(k, entry, ctx), "fact")


def cell_reply(k: Knowledge, t: Talk, pathway_id: str, level: str, ctx: Context) -> Reply:
    """One cell of pathways.yml: what happens for this case status at this level."""
    pathway = k.pathways[pathway_id]
    steps = answers.steps_for_level(k, pathway, level)
    same = all(set(s.levels) == set(LEVELS) for s in pathway.steps)
    key = "cell_same_every_level" if same else "cell_header"
    lines = [_msg(t, key).format(label=pathway.label, level=level, section=pathway.section)]
    lines += [f"- {s}" for s in steps]
    if pathway.process_map:
        lines.append(_msg(t, "cell_map").format(n=pathway.process_map))
    text = "\n".join(lines) + f"\n\n{_source(k, pathway.section)}"
    entry = _pathway_entry(k, pathway_id)
    buttons = [] if same else [
        Button(_msg(t, "cell_other_levels").format(level=other.capitalize()),
               f'/ask_pathway{{"topic":"{entry.id if entry else "pathway"}","level":"{other}"}}')
        for other in LEVELS if other != level]
    return Reply([Message(text, buttons)], Context(entry.id if entry else ctx.entry, pathway_id, level, list(ctx.said)),
                 "cell")


def _pathway_entry(k: Knowledge, pathway_id: str) -> Entry | None:
    return next((e for e in k.entries.values() if e.pathway == pathway_id), None)


def _first_paragraph(k: Knowledge, entry: Entry, audience: str) -> str:
    body = answers.body(k, entry, audience)
    return next((line for line in body.splitlines() if line.strip()), body)


def compare_reply(k: Knowledge, t: Talk, a: Entry, b: Entry, audience: str, ctx: Context) -> Reply:
    parts = [_msg(t, "compare_intro")]
    for entry in (a, b):
        parts.append(f"{entry.title}: {_first_paragraph(k, entry, audience)}\n{_source(k, entry.section)}")
    buttons = [answers.topic_button(k, a), answers.topic_button(k, b)]
    return Reply([Message("\n\n".join(parts), buttons)], Context(b.id, None, None, list(ctx.said)), "compare")


def clarify_reply(k: Knowledge, t: Talk, ctx: Context, options: list[Entry]) -> Reply:
    seen: list[Entry] = []
    for entry in options:
        if entry not in seen:
            seen.append(entry)
    if not seen:
        return Reply([Message(k.fill_contacts(_msg(t, "clarify_followup_none")))], ctx, "clarify")
    buttons = [answers.topic_button(k, e) for e in seen[:4]]
    return Reply([Message(_msg(t, "clarify_followup"), buttons)], ctx, "clarify")


def _related(k: Knowledge, entry: Entry) -> list[Entry]:
    out = [k.entries[r] for r in entry.related if r in k.entries]
    out += k.children.get(entry.id, [])
    if entry.parent:
        out.append(k.entries[entry.parent])
    return out


def _siblings(k: Knowledge, entry: Entry) -> list[Entry]:
    return k.children.get(entry.parent, []) if entry.parent else []


def _step(k: Knowledge, entry: Entry, by: int) -> Entry | None:
    """The next (or previous) sibling: stage 3 after stage 2."""
    siblings = _siblings(k, entry)
    if entry not in siblings:
        return None
    n = siblings.index(entry) + by
    return siblings[n] if 0 <= n < len(siblings) else None


def _link(k: Knowledge, t: Talk, entry: Entry, kind: str) -> Entry | None:
    """The entry linked from ``entry`` for this kind, looking up its parent too."""
    node: Entry | None = entry
    while node is not None:
        target = t.links.get(node.id, {}).get(kind)
        if target:
            return k.entries[target]
        node = k.entries.get(node.parent) if node.parent else None
    return None


def _fact_for(k: Knowledge, t: Talk, entry: Entry, attribute: str, nearby: bool = False) -> tuple[Entry, str] | None:
    """The entry holding this attribute: the entry, its parent, and with ``nearby`` the entries
    it links to ("who chairs that meeting?" after a pathway naming the MEG)."""
    node: Entry | None = entry
    while node is not None:
        if attribute in t.facts.get(node.id, {}):
            return node, attribute
        node = k.entries.get(node.parent) if node.parent else None
    if nearby:
        for other in [*_related(k, entry), *(k.entries[e] for e in t.links.get(entry.id, {}).values())]:
            if attribute in t.facts.get(other.id, {}):
                return other, attribute
    return None


def _what_to_do(k: Knowledge, audience: str, ctx: Context) -> Reply:
    return entry_reply(k, k.entries["what_to_do"], audience, ctx, "what_now")


def _resolve_followup(k: Knowledge, t: Talk, cues: Cues, ctx: Context, audience: str) -> Reply | None:
    """A message with no topic of its own, read against the current topic."""
    current = k.entries.get(ctx.entry or "")
    pathway = ctx.pathway or (current.pathway if current else None)
    if cues.levels and pathway:
        return cell_reply(k, t, pathway, cues.levels[-1], ctx)
    if "what_now" in cues.kinds:
        return _what_to_do(k, audience, ctx)
    if current is None:
        return None
    for attribute in cues.attributes:
        found = _fact_for(k, t, current, attribute, nearby=attribute in _SPECIFIC_ATTRIBUTES)
        if found:
            reply = fact_reply(k, t, found[0], found[1], ctx, cues.attributes)
            if reply:
                return reply
        linked = _link(k, t, current, attribute)
        if linked:
            return entry_reply(k, linked, audience, ctx, "link")
    for kind in cues.kinds:
        linked = _link(k, t, current, kind)
        if linked:
            return entry_reply(k, linked, audience, ctx, "link")
        if kind == "boys" and "boys" in t.facts.get("what_is_cse", {}):
            return fact_reply(k, t, k.entries["what_is_cse"], "boys", ctx)
        if kind in ("next", "previous"):
            step = _step(k, current, 1 if kind == "next" else -1)
            if step is not None:
                return entry_reply(k, step, audience, ctx, "link")
        if kind in ("more", "next") and k.children.get(current.id):
            children = k.children[current.id]
            return Reply([Message(_msg(t, "more_children"), [answers.topic_button(k, c) for c in children[:5]])],
                          ctx, "clarify")
        if kind == "example":
            options = _related(k, current)
            text = _msg(t, "no_example").format(title=current.title)
            return Reply([Message(text, [answers.topic_button(k, e) for e in options[:4]])], ctx, "clarify")
    if cues.attributes:
        if pathway and ctx.level and current.pathway:
            return cell_reply(k, t, pathway, ctx.level, ctx)  # its steps say who does what
        specific = [a for a in cues.attributes if a in _SPECIFIC_ATTRIBUTES]
        if not specific:
            return entry_reply(k, current, audience, ctx, "answer")
        label = _msg(t, "attribute_labels").get(specific[0], specific[0].replace("_", " "))
        prefix = _msg(t, "no_fact").format(what=label, title=current.title)
        return entry_reply(k, current, audience, ctx, "answer", prefix=prefix)
    if cues.kinds or cues.opener or cues.pointer:
        return clarify_reply(k, t, ctx, _related(k, current) + [k.entries["what_to_do"]])
    return None


def _situation_reply(k: Knowledge, t: Talk, s: situation.Situation, audience: str, ctx: Context) -> Reply:
    if s.speaker == "child":
        return Reply([Message(k.fill_contacts(_msg(t, "situation_child")))], ctx, "situation")
    parent = (s.speaker or audience) == answers.PARENT
    act = k.fill_contacts(_msg(t, "situation_act_parent" if parent else "situation_act")).strip()
    names = [i.name for i in k.indicators if i.id in s.signs]
    lines = [_msg(t, "situation_matches").format(section=t.signs_section, names="; ".join(names))]
    if s.referral_required:
        lines.append(_referral_line(t, s))
    if s.case_status:
        pathway = k.pathways[s.case_status]
        first = answers.steps_for_level(k, pathway, "low")[:1] or [k.fill_contacts(st.text) for st in pathway.steps][:1]
        if first:
            lines.append(_msg(t, "situation_status").format(label=pathway.label, step=first[0]))
    lines.append("")
    lines.append(_source(k, "2.2"))
    offer = Message(_msg(t, "situation_offer"), [
        Button(_msg(t, "situation_offer_button"), "/start_screening"),
        answers.topic_button(k, k.entries["pathway"]),
        answers.topic_button(k, k.entries["information_sharing"]),
    ])
    entry = _pathway_entry(k, s.case_status) if s.case_status else None
    new_ctx = Context(entry.id if entry else "what_to_do", s.case_status, None, list(ctx.said))
    return Reply([Message(act), Message("\n".join(lines)), offer], new_ctx, "situation", prefill=s.prefill())


def _worried_reply(k: Knowledge, t: Talk, s: situation.Situation, audience: str, ctx: Context) -> Reply:
    """A worried person with no sign named: what to do (the guidance's answer), the referral
    rule where it applies, and the signs and the pre-screen offered next."""
    reply = _what_to_do(k, s.speaker if s.speaker in (answers.PARENT, answers.PRACTITIONER) else audience, ctx)
    first = reply.messages[0]
    extra = [answers.topic_button(k, k.entries["signs"]), Button(_msg(t, "situation_offer_button"), "/start_screening")]
    text = first.text
    if s.referral_required:
        text = f"{_referral_line(t, s)}\n\n{text}"
    reply.messages[0] = Message(text, extra + first.buttons[:3], first.process_map)
    reply.kind = "situation"
    return reply


def _referral_line(t: Talk, s: situation.Situation) -> str:
    who = "who_both" if s.under_13 and s.learning_disability else (
        "who_under_13" if s.under_13 else "who_learning_disability")
    return _msg(t, "situation_referral").format(who=_msg(t, who))


def _sibling_named(k: Knowledge, current: Entry | None, named: Entry, doc: Any) -> Entry:
    """Among stages, "control" is stage 4, not the control tactics: a sibling of the current
    topic whose title is a word of the message wins over an entry elsewhere."""
    if current is None or named.parent == current.parent:
        return named
    words = {t.lower_ for t in doc}
    for sibling in _siblings(k, current):
        title = [w for w in sibling.title.lower().replace(".", " ").split() if w.isalpha()]
        if title and all(w in words for w in title) and len(" ".join(title)) > 3:
            return sibling
    return named


# Entries named by very general words ("CSE", "the guidance"): set aside when a message
# names something more specific ("the signs of CSE and the 14 indicators").
_GENERAL = {"what_is_cse", "about_guidance"}


def _specific(entries: list[Entry]) -> list[Entry]:
    """Set aside general entries, and a topic when one of its own sub-entries is named too
    ("a charity that supports parents": PACE, not the list of resources)."""
    specific = [e for e in entries if e.id not in _GENERAL] or entries
    parents = {e.parent for e in specific if e.parent}
    return [e for e in specific if e.id not in parents] or specific


# Attributes only one kind of entry has (a chair, an email): worth looking for on the entries
# the topic links to. Generic ones ("who does it", "why") are answered by the topic itself.
_SPECIFIC_ATTRIBUTES = {"email", "phone", "form", "website", "how_often", "chair", "attendees", "send_to"}


def _with_term(k: Knowledge, t: Talk, reply: Reply, cues: Cues, ctx: Context) -> Reply:
    """Start with what Darlington calls another area's word, once per conversation."""
    for term_id in cues.terms:
        term = t.terms[term_id]
        if term_id in ctx.said or term.entry != reply.context.entry:
            continue
        says = k.fill_contacts(term.says)
        if term.own_advice:
            says = f"{says} {_msg(t, 'own_advice_label')}"
        first = reply.messages[0]
        reply.messages[0] = Message(f"{says}\n\n{first.text}", first.buttons, first.process_map)
        # one explanation per reply; the message's other words for the same thing count as said
        reply.context.said = list(dict.fromkeys([*reply.context.said, *cues.terms]))
        break
    return reply


def respond(k: Knowledge, t: Talk, text: str, intent: str, confidence: float, ctx: Context,
            audience: str, in_form: bool = False) -> Reply | None:
    """The reply this message needs in this conversation, or None for the intent's own answer.
    Inside the pre-screen (``in_form``) a description is an answer to read, not a new case."""
    if not text or text.startswith("/"):
        return None
    doc = phrases.parse(text)
    cues = read_cues(k, t, doc)
    s = situation.read(k, t, doc, text, t.status_priority)

    if t.not_covered and t.not_covered.find(doc) and not s.describes_concern:
        return Reply([Message(k.fill_contacts(k.message("out_of_scope")).strip())], ctx, "not_covered")

    if s.describes_concern and not in_form:
        reply = _situation_reply(k, t, s, audience, ctx)
        topic = k.entry_for_intent(intent)
        if topic and intent not in _ACTION_INTENTS and confidence >= CONFIDENT and s.speaker != "child":
            extra = entry_reply(k, answers.select(k, intent, text) or topic, audience, ctx)
            reply.messages += extra.messages
        return reply
    if s.worried_without_signs and not cues.mentions and not in_form:
        return _worried_reply(k, t, s, audience, ctx)
    if in_form and not (parsing.is_question(text) or cues.attributes or cues.kinds or cues.compare):
        return None  # a pre-screen answer the form did not understand is asked again, not answered


    current = k.entries.get(ctx.entry or "")
    if current is not None and cues.attributes and cues.pointer:
        # "who goes to it, is it just social care?" asks about the topic, whatever else it names
        for attribute in cues.attributes:
            found = _fact_for(k, t, current, attribute, nearby=True)
            if found:
                return fact_reply(k, t, found[0], found[1], ctx, cues.attributes)
    entries = _specific([_sibling_named(k, current, k.entries[m], doc) for m in cues.mentions])
    if cues.compare and len(entries) >= 2:
        return compare_reply(k, t, entries[0], entries[1], audience, ctx)
    if cues.compare and len(entries) == 1 and current and current.id != entries[0].id and cues.pointer:
        return compare_reply(k, t, current, entries[0], audience, ctx)

    pathway_ids = [k.entries[m].pathway for m in cues.pathway_mentions]
    if pathway_ids:
        chosen = next((p for p in t.status_priority if p in pathway_ids), pathway_ids[0])
        level = cues.levels[-1] if cues.levels else (ctx.level if cues.opener and ctx.level else None)
        if level:
            return cell_reply(k, t, chosen, level, ctx)
        maps = intent == "ask_process_map" or "process_map" in cues.mentions
        if not maps and (len(set(pathway_ids)) > 1 or "what_happens" in cues.kinds or intent == "ask_pathway"):
            entry = _pathway_entry(k, chosen)
            if entry is not None:
                return entry_reply(k, entry, audience, ctx, "answer")
    elif cues.levels and ctx.pathway and (cues.opener or cues.pointer or cues.words <= 6):
        return cell_reply(k, t, ctx.pathway, cues.levels[-1], ctx)  # "what if CAP rate it high though"

    named = [e for e in entries if not e.pathway]
    for kind in ("next", "previous"):
        if kind in cues.kinds and named:
            step = _step(k, named[0], 1 if kind == "next" else -1)
            if step is not None:
                return entry_reply(k, step, audience, ctx, "link")
    if named and cues.attributes and not pathway_ids:
        for attribute in cues.attributes:
            for entry in named:
                found = _fact_for(k, t, entry, attribute)
                if found:
                    reply = fact_reply(k, t, found[0], found[1], ctx, cues.attributes)
                    return _with_term(k, t, reply, cues, ctx) if reply else None

    intent_entry = k.entry_for_intent(intent)
    if entries:
        target = entries[0] if not pathway_ids else k.entries[cues.pathway_mentions[0]]
        if intent_entry is not None and target.parent == intent_entry.id:
            # "explain the befriending and grooming model": the model, not the overview
            return _with_term(k, t, entry_reply(k, target, audience, ctx, "answer"), cues, ctx)
        agrees = intent_entry is not None and intent_entry.id in (target.id, target.parent)
        if agrees or (confidence >= CONFIDENT and intent_entry is not None and not (cues.opener and current)):
            return None  # the classifier's answer (with its own sub-entry choice) is right
        if cues.opener or confidence < CONFIDENT or intent_entry is None:
            return _with_term(k, t, entry_reply(k, target, audience, ctx, "sibling"), cues, ctx)
        return None

    if current is not None and current.parent and intent_entry is not None and intent_entry.id == current.parent:
        # "who are the older men usually?" after the befriending model: still that model
        return entry_reply(k, current, audience, ctx, "answer")
    if current is not None or ctx.pathway:
        classifier_sure = confidence >= 0.85 and intent_entry is not None and not (
            cues.opener or cues.pointer or cues.attributes or cues.kinds or cues.levels)
        if not classifier_sure and (cues.leans_back or intent_entry is None):
            reply = _resolve_followup(k, t, cues, ctx, audience)
            if reply:
                return reply

    if cues.terms:
        term = t.terms[cues.terms[0]]
        if intent_entry is None or confidence < CONFIDENT or intent_entry.id == term.entry:
            return _with_term(k, t, entry_reply(k, k.entries[term.entry], audience, ctx, "term"), cues, ctx)
        return None

    if "what_now" in cues.kinds and cues.words <= 8:
        return _what_to_do(k, audience, ctx)
    if current is None and cues.attributes and cues.words <= 4 and set(cues.attributes) & {"phone", "email", "form",
                                                                                             "website"}:
        return fact_reply(k, t, k.entries["contact_cap"], cues.attributes[0] if cues.attributes[0] in
                          t.facts["contact_cap"] else "form", ctx)
    return None
