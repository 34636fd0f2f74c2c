"""Answering what people mean in a conversation (issue 11), not just single questions.

``respond()`` looks at one message with the conversation's current topic (``Context``: a
knowledge entry, a pathway and a risk level) and decides, in this order:

1. a described child with signs of exploitation -> what to do now (CAP, 999), the
   indicators named, "referral required" for under 13 / learning disability, the route for
   the case status, and an offer of a pre-screen prefilled with what was said;
2. a comparison ("difference between X and Y") -> both entries side by side;
3. a pathway and a level ("open to social care, high risk") -> that cell of pathways.yml;
4. a topic named with an attribute ("how often does the MEG meet") -> that fact;
5. a follow-up with no topic of its own -> resolved against the context (followup.py);
   if that fails, one short clarifying question with buttons;
6. another area's word (MASH, MACE, DSL...) -> what Darlington calls it, then the answer.

It returns None when the intent's own answer is the right one. Everything said comes from
knowledge/; this module chooses and assembles.

Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

from typing import Any

from cse_core import answers, followup, parsing, phrases, situation
from cse_core.answers import Button
from cse_core.followup import Cues
from cse_core.knowledge import Entry, Knowledge
from cse_core.replies import (
    Context,
    Message,
    Reply,
    cell_reply,
    compare_reply,
    entry_reply,
    fact_reply,
    msg,
    pathway_entry,
    source,
    topic_after,
)
from cse_core.talk import Talk

__all__ = ["CONFIDENT", "Context", "Message", "Reply", "cell_reply", "respond", "topic_after"]

# Intents whose answer is about acting now: a situation answer covers them already.
_ACTION_INTENTS = {"ask_what_to_do", "ask_contact_cap", "ask_immediate_risk", "ask_signs", "ask_risk_indicators",
                   "ask_under_13", "ask_pathway", "ask_who_notices", "ask_what_is_cse", "ask_cse_definition"}
# Entries named by a level's own words ("low risk"): on a route, the level asks for its cell.
_LEVEL_ENTRIES = {"low_risk", "risk_levels"}
# Intents whose own reply answers nothing about a child ("I'm a parent", "yes", not understood).
_NO_ANSWER_INTENTS = {"inform_parent", "inform_practitioner", "affirm", "deny", "nlu_fallback"}
# The classifier is trusted over a reading of the words only above this confidence...
CONFIDENT = 0.6
# ...and over a topic named in two or more words ("the information sharing form") above this.
SURE = 0.9
# Entries named by very general words ("CSE", "the guidance", "grooming"): set aside when a
# message names something more specific, and no obstacle to reading a worried parent.
_GENERAL = {"what_is_cse", "about_guidance", "grooming_stages", "signs", "online_grooming", "contact_cap", "what_to_do"}


# ---------------------------------------------------------------------------------------------
# Described situations
# ---------------------------------------------------------------------------------------------


def _referral_line(t: Talk, s: situation.Situation) -> str:
    who = "who_both" if s.under_13 and s.learning_disability else (
        "who_under_13" if s.under_13 else "who_learning_disability")
    return msg(t, "situation_referral").format(who=msg(t, who))


def _situation_reply(k: Knowledge, t: Talk, s: situation.Situation, audience: str, ctx: Context) -> Reply:
    if s.speaker == "child":
        return Reply([Message(k.fill_contacts(msg(t, "situation_child")))], ctx, "situation")
    parent = (s.speaker or audience) == answers.PARENT
    act = k.fill_contacts(msg(t, "situation_act_parent" if parent else "situation_act")).strip()
    names = [i.name for i in k.indicators if i.id in s.signs]
    # after a 999 reply a child in danger may be described with no sign the vocabulary knows
    lines = [msg(t, "situation_matches").format(section=t.signs_section, names="; ".join(names))] if names else []
    if s.referral_required:
        lines.append(_referral_line(t, s))
    if s.case_status:
        pathway = k.pathways[s.case_status]
        if s.case_holder:  # "I'm her social worker": the route's steps are theirs
            lines.append(msg(t, "situation_case_holder"))
            lines += [f"- {answers.step_text(k, st)}" for st in pathway.steps]
        else:
            first = [answers.step_text(k, st) for st in pathway.steps][:1]
            if first:
                lines.append(msg(t, "situation_status").format(label=pathway.label, step=first[0]))
    lines += ["", source(k, "2.2")]
    offer = Message(msg(t, "situation_offer"), [
        Button(msg(t, "situation_offer_button"), "/start_screening"),
        answers.topic_button(k, k.entries["pathway"]),
        answers.topic_button(k, k.entries["information_sharing"]),
    ])
    entry = pathway_entry(k, s.case_status) if s.case_status else None
    new_ctx = Context(entry.id if entry else "what_to_do", s.case_status, None, list(ctx.said))
    return Reply([Message(act), Message("\n".join(lines)), offer], new_ctx, "situation", prefill=s.prefill())


def _worried_reply(k: Knowledge, t: Talk, s: situation.Situation, audience: str, ctx: Context) -> Reply:
    """A worried person with no sign named: what to do (the guidance's answer), the referral
    rule where it applies, and the signs and the pre-screen offered next."""
    who = s.speaker if s.speaker in (answers.PARENT, answers.PRACTITIONER) else audience
    reply = entry_reply(k, k.entries["what_to_do"], who, ctx, "situation")
    first = reply.messages[0]
    extra = [answers.topic_button(k, k.entries["signs"]), Button(msg(t, "situation_offer_button"), "/start_screening")]
    text = f"{_referral_line(t, s)}\n\n{first.text}" if s.referral_required else first.text
    reply.messages[0] = Message(text, extra + first.buttons[:3], first.process_map)
    return reply


def _watch_reply(k: Knowledge, t: Talk, s: situation.Situation, audience: str, ctx: Context) -> Reply:
    """Ordinary teenage life, or one everyday sign with "is this normal?": the signs to look
    out for, and the CAP if they are worried at any point. Never told it "may mean little"."""
    who = s.speaker if s.speaker in (answers.PARENT, answers.PRACTITIONER) else audience
    reply = entry_reply(k, k.entries["signs"], who, ctx, "watch")
    first = reply.messages[0]
    intro = k.fill_contacts(msg(t, "situation_watch")).strip()
    if s.referral_required and s.signs:
        intro = f"{intro}\n{_referral_line(t, s)}"
    reply.messages[0] = Message(f"{intro}\n\n{first.text}", first.buttons, first.process_map)
    return reply


# ---------------------------------------------------------------------------------------------
# Topics named in the message
# ---------------------------------------------------------------------------------------------


def _specific(entries: list[Entry]) -> list[Entry]:
    """Set aside general entries, and a topic when one of its own sub-entries is named too
    ("a charity that supports parents": PACE, not the list of resources)."""
    specific = [e for e in entries if e.id not in _GENERAL] or entries
    parents = {e.parent for e in specific if e.parent}
    return [e for e in specific if e.id not in parents] or specific


def _sibling_named(k: Knowledge, current: Entry | None, named: Entry, doc: Any) -> Entry:
    """Among stages, "control" is stage 4, not the control tactics: a sibling of the current
    topic whose title is a word of the message wins over an entry elsewhere."""
    if current is None or named.parent == current.parent:
        return named
    words = {tok.lower_ for tok in doc}
    for sibling in followup.siblings(k, current):
        title = [w for w in sibling.title.lower().replace(".", " ").split() if w.isalpha()]
        if title and all(w in words for w in title) and len(" ".join(title)) > 3:
            return sibling
    return named


def _with_term(k: Knowledge, t: Talk, reply: Reply, cues: Cues, ctx: Context) -> Reply:
    """Start with what Darlington calls another area's word, once per conversation."""
    for term_id in cues.terms:
        term = t.terms[term_id]
        if term_id in ctx.said or term.entry != reply.context.entry:
            continue
        says = k.fill_contacts(term.says)
        if term.own_advice:
            says = f"{says} {msg(t, 'own_advice_label')}"
        first = reply.messages[0]
        reply.messages[0] = Message(f"{says}\n\n{first.text}", first.buttons, first.process_map)
        # one explanation per reply; the message's other words for the same thing count as said
        reply.context.said = list(dict.fromkeys([*reply.context.said, *cues.terms]))
        break
    return reply


def _named(k: Knowledge, t: Talk, cues: Cues, entries: list[Entry], intent: str, confidence: float,
           ctx: Context, audience: str, text: str) -> Reply | None:
    """A message naming one or more topics: a comparison, a pathway cell, a fact, a linked
    entry, or the topic itself where the classifier is less sure than the words."""
    current = k.entries.get(ctx.entry or "")
    if cues.levels and ctx.pathway and not cues.pathway_mentions and all(e.id in _LEVEL_ENTRIES for e in entries):
        # "if it's low risk what's different?" on a route: that route's cell, not "low risk cases"
        return cell_reply(k, t, ctx.pathway, cues.levels[-1], ctx)
    every = [k.entries[m] for m in cues.mentions if m not in ("what_is_cse", "about_guidance")]
    if cues.compare and len(every) >= 2 and len(entries) < 2:
        entries = every  # "sexting and online grooming": both, however general one of them is
    if cues.compare and len(entries) >= 2:
        return compare_reply(k, t, entries[0], entries[1], audience, ctx)
    if cues.compare and len(entries) == 1 and current and current.id != entries[0].id and cues.pointer:
        return compare_reply(k, t, current, entries[0], audience, ctx)

    pathway_ids = [k.entries[m].pathway for m in cues.pathway_mentions]
    if pathway_ids:
        # where the child lives decides first ("a social worker in Leeds": out of authority)
        routed = parsing.case_status_from_text(k, text)
        chosen = routed if routed in k.pathways else next((p for p in t.status_priority if p in pathway_ids),
                                                          pathway_ids[0])
        level = cues.levels[-1] if cues.levels else (ctx.level if cues.opener and ctx.level else None)
        if level:
            return cell_reply(k, t, chosen, level, ctx)
        maps = intent == "ask_process_map" or "process_map" in cues.mentions
        # "what if it was a new case instead?" after a pathway, or "what about new cases?"
        # ...or "our lad's in a placement in another county, who deals with it?"
        named_fully = max(cues.spans.get(m, 0) for m in cues.pathway_mentions) >= 3
        # "what's early help?": a short question about a status asks what it means here
        short_question = parsing.is_question(text) and cues.words <= 5
        asks_pathway = ctx.pathway is not None or cues.opener or intent == "ask_pathway" or short_question or (
            named_fully and (bool(cues.attributes) or parsing.is_question(text)))
        if not maps and (len(set(pathway_ids)) > 1 or "what_happens" in cues.kinds or asks_pathway):
            entry = pathway_entry(k, chosen)
            if entry is not None:
                return entry_reply(k, entry, audience, ctx, "answer")
    elif cues.levels and ctx.pathway and (cues.opener or cues.pointer or cues.words <= 6):
        return cell_reply(k, t, ctx.pathway, cues.levels[-1], ctx)  # "what if CAP rate it high though"

    plain = [e for e in entries if not e.pathway]
    if "what_now" in cues.kinds and plain and all(e.id in _GENERAL for e in plain):
        # "I've spotted a couple of those, now what?": a general word names no question of its own
        # "what do i do now" names what_to_do itself: then the topic's own what-now comes first
        named = None if plain[0].id in ("what_to_do", "contact_cap") else plain[0]
        anchor = named or current
        target = (followup.link(k, t, anchor, "what_now") if anchor else None) or k.entries["what_to_do"]
        return _with_term(k, t, entry_reply(k, target, audience, ctx, "what_now"), cues, ctx)
    for kind in ("next", "previous", "what_happens", "end", "example"):
        if kind in cues.kinds and plain:
            target = followup.step(k, plain[0], 1 if kind == "next" else -1) if kind in ("next", "previous") \
                else followup.link(k, t, plain[0], kind)
            if target is not None:
                return entry_reply(k, target, audience, ctx, "link")
    if plain and cues.attributes and not pathway_ids:
        for attribute in cues.attributes:
            for entry in plain:
                holder = followup.fact_for(k, t, entry, attribute)
                if holder is not None:
                    reply = fact_reply(k, t, holder, attribute, ctx, cues.attributes)
                    return _with_term(k, t, reply, cues, ctx) if reply else None

    intent_entry = k.entry_for_intent(intent)
    if not plain:
        return None  # a case status alone ("kids in care") describes a child; it asks nothing
    target = plain[0]
    if intent_entry is not None and target.parent == intent_entry.id:
        # "explain the befriending and grooming model": the model, not the overview
        return _with_term(k, t, entry_reply(k, target, audience, ctx), cues, ctx)
    if intent_entry is not None and intent_entry.id in (target.id, target.parent):
        return None  # the classifier agrees: its answer (and its own sub-entry choice) is right
    named_well = cues.spans.get(target.id, 0) >= 2 and confidence < SURE
    if named_well or cues.opener or confidence < CONFIDENT or intent_entry is None:
        return _with_term(k, t, entry_reply(k, target, audience, ctx, "sibling"), cues, ctx)
    return None


# ---------------------------------------------------------------------------------------------
# The decision
# ---------------------------------------------------------------------------------------------


def respond(k: Knowledge, t: Talk, text: str, intent: str, confidence: float, ctx: Context,
            audience: str, in_form: bool = False, danger: bool = False) -> Reply | None:
    """The reply this message needs in this conversation, or None for the intent's own answer.
    Inside the pre-screen (``in_form``) a description is an answer to read, not a new case.
    ``danger``: the safety check already sent the 999 reply, so a described child is a concern
    whatever signs the vocabulary found."""
    if not text or text.startswith("/"):
        return None
    doc = phrases.parse(text)
    cues = followup.read(k, t, doc)
    s = situation.read(k, t, doc, text, t.status_priority)

    if t.not_covered and t.not_covered.find(doc) and not s.describes_concern:
        return Reply([Message(k.fill_contacts(k.message("out_of_scope")).strip())], ctx, "not_covered")
    current = k.entries.get(ctx.entry or "")
    names_a_sibling = current is not None and current.parent is not None and any(
        k.entries[m].parent == current.parent and cues.spans.get(m, 0) >= 2 for m in cues.mentions)
    if not in_form:
        if not names_a_sibling:  # "the one where they pretend to be her bf" asks for another model
            reply = _about_a_child(k, t, s, cues, intent, confidence, text, audience, ctx, danger)
            if reply is not None:
                return reply
    elif not (parsing.is_question(text) or cues.attributes or cues.kinds or cues.compare):
        return None  # a pre-screen answer the form did not understand is asked again, not answered

    if current is not None and cues.attributes and cues.pointer:
        # "who goes to it, is it just social care?" asks about the topic, whatever else it names
        for attribute in cues.attributes:
            holder = followup.fact_for(k, t, current, attribute)
            if holder is not None:
                return fact_reply(k, t, holder, attribute, ctx, cues.attributes)
        absent = followup.absent(current, cues.attributes)
        if absent and not current.pathway:
            label = msg(t, "attribute_labels").get(absent[0], absent[0].replace("_", " "))
            prefix = msg(t, "no_fact").format(what=label, title=current.title)
            return entry_reply(k, current, audience, ctx, "answer", prefix=prefix)
    mentions = cues.mentions
    if current is not None and current.parent and not current.pathway and {"next", "previous"} & set(cues.kinds):
        # "what's the stage before?" after a stage: "stage" names the overview, the step is the stage's
        mentions = [m for m in mentions if m != current.parent]
        if not mentions:
            by = 1 if "next" in cues.kinds else -1
            base = current
            anchor, _, was = (ctx.step_from or "").partition(":")
            if cues.lead_opener and anchor in k.entries and was == str(-by):
                base = k.entries[anchor]  # "the stage before?" then "and after?": both sides of one stage
            target = followup.step(k, base, by)
            if target is not None:
                reply = entry_reply(k, target, audience, ctx, "link")
                reply.context.step_from = f"{base.id}:{by}"
                return reply
    if cues.ordinal is not None and not cues.levels:
        # "the second one" after the stages, "the third model": a place in a list
        lists = [k.entries[m] for m in mentions if k.children.get(m) and not k.entries[m].pathway]
        base = lists[0] if lists else (current if not mentions else None)
        placed = followup.nth(k, base, cues.ordinal) if base is not None else None
        if placed is not None:
            return entry_reply(k, placed, audience, ctx, "link")
    entries = _specific([_sibling_named(k, current, k.entries[m], doc) for m in mentions])
    if entries:
        return _named(k, t, cues, entries, intent, confidence, ctx, audience, text)

    intent_entry = k.entry_for_intent(intent)
    if current is not None and current.parent and intent_entry is not None and intent_entry.id == current.parent:
        # "who are the older men usually?" after the befriending model: still that model
        return entry_reply(k, current, audience, ctx)
    if current is not None or ctx.pathway:
        classifier_sure = confidence >= 0.85 and intent_entry is not None and not (
            cues.opener or cues.pointer or cues.attributes or cues.kinds or cues.levels)
        if not classifier_sure and (cues.leans_back or intent_entry is None):
            reply = followup.resolve(k, t, cues, ctx, audience, followup.in_topic(k, current, doc, audience))
            if reply is not None:
                return reply

    if cues.terms:
        term = t.terms[cues.terms[0]]
        if intent_entry is None or confidence < CONFIDENT or intent_entry.id == term.entry:
            return _with_term(k, t, entry_reply(k, k.entries[term.entry], audience, ctx, "term"), cues, ctx)
        return None
    out_of_scope = intent == "out_of_scope" and confidence >= CONFIDENT  # "my car failed its MOT, what now"
    if "what_now" in cues.kinds and cues.words <= 10 and not out_of_scope:
        return entry_reply(k, k.entries["what_to_do"], audience, ctx, "what_now")
    contact = set(cues.attributes) & {"phone", "email", "form", "website", "hours"}
    if current is None and contact and cues.words <= 5:
        return fact_reply(k, t, k.entries["contact_cap"], next(a for a in cues.attributes if a in contact), ctx)
    return None


def asks_something(k: Knowledge, t: Talk, text: str) -> bool:
    """A greeting or goodbye that also asks ("thanks, ok so now what?", "hi, what's the MEG?")."""
    if len(text.split()) <= 3:
        return False
    cues = followup.read(k, t, phrases.parse(text))
    return parsing.is_question(text) or "what_now" in cues.kinds


def _about_a_child(k: Knowledge, t: Talk, s: situation.Situation, cues: Cues, intent: str, confidence: float,
                   text: str, audience: str, ctx: Context, danger: bool = False) -> Reply | None:
    """Someone describing a child: act now if it is a concern, else what to look out for."""
    in_danger = danger and (s.child or bool(s.signs) or s.learning_disability or s.speaker is not None)
    if s.describes_concern or in_danger:
        reply = _situation_reply(k, t, s, audience, ctx)
        topic = k.entry_for_intent(intent)
        if topic and intent not in _ACTION_INTENTS and confidence >= CONFIDENT and s.speaker != "child":
            extra = entry_reply(k, answers.select(k, intent, text) or topic, audience, ctx)
            reply.messages += extra.messages
        return reply
    general_only = all(m in _GENERAL for m in cues.mentions)
    if s.child and "is_cse" in s.questions and general_only:
        return _worried_reply(k, t, s, audience, ctx)  # "I think my daughter is being groomed"
    if s.watch and general_only:
        return _watch_reply(k, t, s, audience, ctx)
    if s.worried_without_signs and not cues.mentions:
        return _worried_reply(k, t, s, audience, ctx)
    if s.age is not None and not s.signs and not cues.mentions and intent in _NO_ANSWER_INTENTS \
            and cues.words >= 6:
        # "year 8 boy is quiet lately, his parents are divorcing" read as a role: a child is
        # described, so what to look out for and the CAP, not "I'll use plain language"
        return _watch_reply(k, t, s, audience, ctx)
    return None
