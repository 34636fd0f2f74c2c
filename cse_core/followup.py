"""What a message asks, read from its words, and a follow-up resolved against the topic.

A message "has a topic of its own" when it names a knowledge entry ("the party model",
"the MEG"). Otherwise cues say how it leans on the conversation: an attribute of the topic
("and their email?"), a kind of follow-up ("how does that end?", "tell me more"), a risk
level ("and if it's high?"), a comparison ("what's the difference between..."), an opener
("and", "what about") or a pointer back ("it", "that", "they").

Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from cse_core import answers
from cse_core import replies as R
from cse_core.knowledge import Entry, Knowledge
from cse_core.phrases import Match
from cse_core.replies import Context, Reply
from cse_core.talk import Talk

# Attributes only some entries have (a chair, an email): when the topic is a pathway that
# names another entry (the MEG), that entry's fact answers. Absent ones are said to be absent.
NEARBY_ATTRIBUTES = {"email", "phone", "form", "website", "how_often", "chair", "attendees", "send_to", "hours",
                     "worse"}
SAY_ABSENT = NEARBY_ATTRIBUTES | {"how_long", "age"}
# Kinds a sub-entry answers for itself rather than through its parent's links: "an example?"
# after the peer-on-peer model is not the parent's example (the boyfriend model).
_OWN_KINDS = {"example", "more", "next", "previous"}
# "the second one", "the third stage", "the last one": a place in the topic's list.
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
             "5th": 5, "last": -1, "final": -1}
_ORDINAL_NOUNS = {"one", "stage", "model", "step", "bit", "option", "sign"}
# General facts any topic may be asked about ("does it happen to boys too?" after trauma
# bonding): when the topic holds none, the overview of CSE answers.
GENERAL_FACTS = {"boys", "online", "legal"}


@dataclass
class Cues:
    """Everything a message says about what it asks, as ids (no text kept)."""

    mentions: list[str] = field(default_factory=list)  # entry ids named, in text order
    spans: dict[str, int] = field(default_factory=dict)  # entry id -> tokens of its longest name
    terms: list[str] = field(default_factory=list)  # other areas' terms (terms.yml ids)
    attributes: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    compare: bool = False
    opener: bool = False
    lead_opener: bool = False  # it begins with "and", "what about"... (not only a trailing "as well")
    ordinal: int | None = None  # "the second one": 2; "the last one": -1
    pointer: bool = False
    words: int = 0

    @property
    def leans_back(self) -> bool:
        """The message refers to what was said before rather than standing alone."""
        return self.opener or self.pointer or bool(self.attributes or self.kinds or self.levels) or self.words <= 3

    @property
    def pathway_mentions(self) -> list[str]:
        return [m for m in self.mentions if m.startswith("pathway_")]


def absent(entry: Entry, attributes: list[str]) -> list[str]:
    """The attributes the guidance gives no fact for, to be said so. A resource's title is its
    web address ("PACE UK (paceuk.info)"): its website is in its answer, not absent."""
    own_site = entry.parent == "resources"
    return [a for a in attributes if a in SAY_ABSENT and not (a == "website" and own_site)]


def _entries(matches: list[Match]) -> list[str]:
    return list(dict.fromkeys(m.label for m in matches))


def read(k: Knowledge, t: Talk, doc: Doc) -> Cues:
    # statuses in people's words ("from another LA", "has a social worker") name pathways too
    by_pathway = {e.pathway: e.id for e in k.entries.values() if e.pathway}
    statuses = [Match(by_pathway[m.label], m.start, m.end, m.phrase)
                for m in t.case_status.find(doc) if m.label in by_pathway]
    topic_matches = t.topics.best(doc, also=[*t.keywords.find(doc), *statuses])
    taken = {i for m in topic_matches for i in range(m.start, m.end)}
    # other areas' words count only where no topic term already covers them
    term_matches = [m for m in t.local_terms.best(doc) if not set(range(m.start, m.end)) & taken]
    attribute_matches = t.attributes.find(doc)
    in_attribute = {i for m in attribute_matches for i in range(m.start, m.end)}
    # "how" inside "how often" / "how long" asks the attribute, not how something works
    kind_matches = [m for m in t.kinds.find(doc) if not set(range(m.start, m.end)) <= in_attribute]
    spans: dict[str, int] = {}
    for m in topic_matches:
        spans[m.label] = max(spans.get(m.label, 0), m.length)
    cues = Cues(
        mentions=_entries(topic_matches),
        spans=spans,
        terms=_entries(term_matches),
        attributes=_entries(sorted(attribute_matches, key=lambda m: (m.start, -m.length))),
        kinds=_entries(sorted(kind_matches, key=lambda m: (m.start, -m.length))),
        levels=_entries(t.levels.best(doc)),
        compare=bool(t.compare.find(doc)),
        words=sum(1 for tok in doc if not tok.is_punct),
    )
    openers = t.openers.find(doc)
    cues.lead_opener = any(m.start == 0 or (m.start <= 2 and doc[0].lower_ in ("ok", "okay", "right", "so", "and"))
                           for m in openers)
    cues.opener = cues.lead_opener or any(m.phrase in ("instead", "as well", "too") for m in openers)
    cues.ordinal = _ordinal(doc) if cues.words <= 8 else None
    pointer_tokens = {i for m in t.pointers.find(doc) for i in range(m.start, m.end)}
    cues.pointer = bool(pointer_tokens - taken)
    return cues


def _ordinal(doc: Doc) -> int | None:
    """A place in a list: an ordinal followed by "one"/"stage"/"model"... or ending the message."""
    for i, tok in enumerate(doc):
        n = _ORDINALS.get(tok.lower_)
        if n is None:
            continue
        following = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        words = sum(1 for tok in doc if not tok.is_punct)
        if following in _ORDINAL_NOUNS or (words <= 3 and (not following or doc[i + 1].is_punct)):
            return n  # "the second one", "third stage", "the last?"
    return None


# ---------------------------------------------------------------------------------------------
# How entries relate: links in followups.yml, sub-entries and their order
# ---------------------------------------------------------------------------------------------


def related(k: Knowledge, entry: Entry) -> list[Entry]:
    out = [k.entries[r] for r in entry.related if r in k.entries]
    out += k.children.get(entry.id, [])
    if entry.parent:
        out.append(k.entries[entry.parent])
    return out


def siblings(k: Knowledge, entry: Entry) -> list[Entry]:
    return k.children.get(entry.parent, []) if entry.parent else []


def nth(k: Knowledge, entry: Entry, place: int) -> Entry | None:
    """The entry at a place in the topic's list: its own sub-entries, else its siblings."""
    group = k.children.get(entry.id) or ([] if entry.pathway else siblings(k, entry))
    if not group or place > len(group):
        return None
    return group[place - 1] if place > 0 else group[place]


def step(k: Knowledge, entry: Entry, by: int) -> Entry | None:
    """The next (or previous) sibling: stage 3 after stage 2."""
    group = siblings(k, entry)
    if entry not in group:
        return None
    n = group.index(entry) + by
    return group[n] if 0 <= n < len(group) else None


def link(k: Knowledge, t: Talk, entry: Entry, kind: str) -> Entry | None:
    """The entry linked from ``entry`` for this kind or attribute; its parent's links count
    too, except for the kinds a sub-entry answers for itself."""
    node: Entry | None = entry
    while node is not None:
        target = t.links.get(node.id, {}).get(kind)
        if target and target != entry.id:
            return k.entries[target]
        if kind in _OWN_KINDS:
            return None
        node = k.entries.get(node.parent) if node.parent else None
    return None


def fact_for(k: Knowledge, t: Talk, entry: Entry, attribute: str) -> Entry | None:
    """The entry holding this attribute's fact: the entry or its parent; for a pathway, an
    entry its steps name ("who chairs that meeting?" after a route that names the MEG)."""
    node: Entry | None = entry
    while node is not None:
        if attribute in t.facts.get(node.id, {}):
            return node
        node = k.entries.get(node.parent) if node.parent else None
    if entry.pathway and attribute in NEARBY_ATTRIBUTES:
        for other in related(k, entry):
            if attribute in t.facts.get(other.id, {}):
                return other
    return None


# ---------------------------------------------------------------------------------------------
# A follow-up with no topic of its own, read against the current topic
# ---------------------------------------------------------------------------------------------


# A question this long that points at the topic ("who do they work with") is about the topic.
POINTED_QUESTION_WORDS = 4


_FILLER = {"what", "about", "and", "also", "too", "well", "then", "how", "does", "do", "is", "are", "the", "a", "an", "it",
           "that", "this", "they", "them", "there", "on", "for", "with", "of", "to", "in", "any", "some", "one", "ones",
           "ok", "okay", "so", "right", "but", "if", "as", "same"}


def in_topic(k: Knowledge, entry: Entry | None, doc: Doc, audience: str) -> bool:
    """Every word the message adds ("what about teachers?") is in the topic's own answer, so
    the topic answers it rather than a menu."""
    if entry is None:
        return False
    words = [tok.lower_ for tok in doc if tok.is_alpha and tok.lower_ not in _FILLER]
    if not words or len(words) > 3:
        return False
    body = answers.body(k, entry, audience).lower()
    return all(w in body or w.rstrip("s") in body for w in words)


def resolve(k: Knowledge, t: Talk, cues: Cues, ctx: Context, audience: str, about_topic: bool = False) -> Reply | None:
    """``about_topic``: the words the message adds are all in the topic's answer (in_topic)."""
    current = k.entries.get(ctx.entry or "")
    pathway = ctx.pathway or (current.pathway if current else None)
    if cues.levels and pathway:
        return R.cell_reply(k, t, pathway, cues.levels[-1], ctx)
    if current is not None and current.pathway and set(cues.kinds) & {"next", "what_happens", "how", "more"}:
        # "what happens next?" on a route is the route (at the level we know, if any)
        if ctx.level:
            return R.cell_reply(k, t, current.pathway, ctx.level, ctx)
        return R.entry_reply(k, current, audience, ctx)
    for attribute in cues.attributes:  # facts first: "what can we do about it" has its own
        holder = fact_for(k, t, current, attribute) if current else None
        if holder is not None:
            return R.fact_reply(k, t, holder, attribute, ctx, cues.attributes)
    if "what_now" in cues.kinds:
        # "what now?" after a topic with its own next step (a disagreement, threats to share
        # images): that step; otherwise what to do
        if current is not None and "what_now" in t.facts.get(current.id, {}):
            return R.fact_reply(k, t, current, "what_now", ctx)
        linked = link(k, t, current, "what_now") if current is not None else None
        return R.entry_reply(k, linked or k.entries["what_to_do"], audience, ctx, "what_now")
    if current is None:
        return None
    for attribute in cues.attributes:  # "can boys get it too?" after trauma bonding
        if attribute in GENERAL_FACTS and attribute not in t.facts.get(current.id, {}) \
                and attribute in t.facts.get("what_is_cse", {}):
            return R.fact_reply(k, t, k.entries["what_is_cse"], attribute, ctx)
    for attribute in cues.attributes:
        linked = link(k, t, current, attribute)
        if linked:
            return R.entry_reply(k, linked, audience, ctx, "link")
    for kind in cues.kinds:
        reply = _kind_reply(k, t, current, kind, ctx, audience)
        if reply is not None:
            return reply
    if cues.attributes:
        if pathway and ctx.level and current.pathway:
            return R.cell_reply(k, t, pathway, ctx.level, ctx)  # its steps say who does what
        missing = absent(current, cues.attributes)
        if not missing:
            return R.entry_reply(k, current, audience, ctx)
        label = R.msg(t, "attribute_labels").get(missing[0], missing[0].replace("_", " "))
        prefix = R.msg(t, "no_fact").format(what=label, title=current.title)
        return R.entry_reply(k, current, audience, ctx, "answer", prefix=prefix)
    if cues.pointer and not (cues.kinds or cues.lead_opener) and cues.words >= POINTED_QUESTION_WORDS:
        # "who do they work with?": about the topic, in words no cue knows; what the guidance
        # says of it, said to be that, rather than a menu
        prefix = R.msg(t, "no_exact").format(title=current.title)
        return R.entry_reply(k, current, audience, ctx, "answer", prefix=prefix)
    if about_topic and (cues.opener or cues.pointer) and not cues.kinds:
        return R.entry_reply(k, current, audience, ctx)  # "and parents?" after who notices
    if cues.kinds or cues.opener or cues.pointer:
        return R.clarify_reply(k, t, ctx, related(k, current) + [k.entries["what_to_do"]])
    return None


def _kind_reply(k: Knowledge, t: Talk, current: Entry, kind: str, ctx: Context, audience: str) -> Reply | None:
    linked = link(k, t, current, kind)
    if linked:
        return R.entry_reply(k, linked, audience, ctx, "link")
    if kind == "boys" and "boys" in t.facts.get("what_is_cse", {}):
        return R.fact_reply(k, t, k.entries["what_is_cse"], "boys", ctx)
    if kind in ("next", "previous"):
        following = step(k, current, 1 if kind == "next" else -1)
        if following is not None:
            return R.entry_reply(k, following, audience, ctx, "link")
        if current.parent and kind == "next":
            text = R.msg(t, "last_step").format(title=current.title)
            parent = k.entries[current.parent]
            return R.Reply([R.Message(text, [answers.topic_button(k, parent)])], ctx, "clarify")
    if kind in ("more", "next") and k.children.get(current.id):
        return R.children_reply(k, t, current, audience, ctx)
    if kind == "how":
        return R.entry_reply(k, current, audience, ctx)
    if kind == "example":
        text = R.msg(t, "no_example").format(title=current.title)
        options = related(k, current)
        return Reply([R.Message(text, [answers.topic_button(k, e) for e in options[:4]])], ctx, "clarify")
    return None
