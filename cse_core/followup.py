"""What a message asks, read from its words: topics it names, follow-up cues, levels.

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

from cse_core.knowledge import Knowledge
from cse_core.phrases import Match
from cse_core.talk import Talk


@dataclass
class Cues:
    """Everything a message says about what it asks, as ids (no text kept)."""

    mentions: list[str] = field(default_factory=list)  # entry ids named, in text order
    terms: list[str] = field(default_factory=list)  # other areas' terms (terms.yml ids)
    attributes: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    compare: bool = False
    opener: bool = False
    pointer: bool = False
    words: int = 0

    @property
    def leans_back(self) -> bool:
        """The message refers to what was said before rather than standing alone."""
        return self.opener or self.pointer or bool(self.attributes or self.kinds or self.levels) or self.words <= 3

    @property
    def pathway_mentions(self) -> list[str]:
        return [m for m in self.mentions if m.startswith("pathway_")]


def _entries(matches: list[Match]) -> list[str]:
    seen: list[str] = []
    for m in matches:
        if m.label not in seen:
            seen.append(m.label)
    return seen


def read(k: Knowledge, t: Talk, doc: Doc) -> Cues:
    # statuses in people's words ("from another LA", "has a social worker") name pathways too
    pathway_entry = {e.pathway: e.id for e in k.entries.values() if e.pathway}
    statuses = [Match(pathway_entry[m.label], m.start, m.end, m.phrase)
                for m in t.case_status.find(doc) if m.label in pathway_entry]
    topic_matches = t.topics.best(doc, also=[*t.keywords.find(doc), *statuses])
    taken = {i for m in topic_matches for i in range(m.start, m.end)}
    # other areas' words count only where no topic term already covers them
    term_matches = [m for m in t.local_terms.best(doc) if not set(range(m.start, m.end)) & taken]
    cues = Cues(
        mentions=_entries(topic_matches),
        terms=_entries(term_matches),
        attributes=_entries(sorted(t.attributes.find(doc), key=lambda m: (m.start, -m.length))),
        kinds=_entries(t.kinds.best(doc)),
        levels=_entries(t.levels.best(doc)),
        compare=bool(t.compare.find(doc)),
        words=sum(1 for tok in doc if not tok.is_punct),
    )
    openers = t.openers.find(doc)
    cues.opener = any(m.start == 0 or (m.start <= 2 and doc[0].lower_ in ("ok", "okay", "right", "so", "and"))
                      for m in openers) or any(m.phrase in ("instead", "as well", "too") for m in openers)
    pointer_tokens = {i for m in t.pointers.find(doc) for i in range(m.start, m.end)}
    cues.pointer = bool(pointer_tokens - taken)
    return cues
