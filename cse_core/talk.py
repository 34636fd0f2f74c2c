"""The conversation data of knowledge/ (issue 11), loaded, validated and compiled once.

``followups.yml`` (topic terms, facts and links per entry), ``dialogue.yml`` (follow-up
cues), ``terms.yml`` (other areas' words) and ``signs.yml`` (how people describe a child).
A bad edit raises ``KnowledgeError`` naming the file and the item, as knowledge.load() does.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cse_core import knowledge
from cse_core.knowledge import Knowledge, KnowledgeError
from cse_core.phrases import PhraseSet

LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class Fact:
    text: str
    section: str
    advice: str = ""  # the assistant's own words beside it, always shown with their label


@dataclass(frozen=True)
class Term:
    id: str
    words: tuple[str, ...]
    says: str
    section: str
    entry: str
    own_advice: bool = False


@dataclass
class Talk:
    """Everything the conversation layer reads from knowledge/, with compiled matchers."""

    facts: dict[str, dict[str, Fact]]  # entry id -> attribute -> fact
    links: dict[str, dict[str, str]]  # entry id -> follow-up kind -> entry id
    terms: dict[str, Term]
    attributes: PhraseSet  # label: attribute name
    kinds: PhraseSet  # label: follow-up kind
    levels: PhraseSet  # label: low / medium / high
    compare: PhraseSet
    openers: PhraseSet
    pointers: PhraseSet
    topics: PhraseSet  # label: entry id (followups.yml terms, on lemmas)
    keywords: PhraseSet  # label: entry id (topics/ and pathways.yml keywords, written forms)
    local_terms: PhraseSet  # label: term id
    signs: PhraseSet  # label: "<indicator>:<level>"
    child: PhraseSet
    child_speaker: PhraseSet
    questions: PhraseSet  # label: what_now / worried / is_cse / is_normal
    learning_disability: PhraseSet
    case_status: PhraseSet  # label: pathway id
    case_holder: PhraseSet | None = None  # "I'm her social worker": the writer holds the case
    not_covered: PhraseSet | None = None  # safeguarding words about something else (Prevent, adults)
    status_keywords: PhraseSet | None = None  # pathways.yml keywords, written forms
    case_status_answers: dict[str, str] = field(default_factory=dict)  # whole typed answer -> pathway id
    signs_section: str = "2.1"
    status_priority: list[str] = field(default_factory=list)
    messages: dict[str, Any] = field(default_factory=dict)

    def message(self, key: str) -> Any:
        """A message of conversation.yml by key."""
        return self.messages[key]


def _read(base: Path, name: str) -> dict[str, Any]:
    path = base / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{name}: cannot be read: {exc}") from exc


def _phrases(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(p, (str, int)) for p in raw):
        raise KnowledgeError(f"{where}: expected a list of phrases")
    return [str(p) for p in raw]


def _check_text(k: Knowledge, text: str, section: str, where: str) -> None:
    if section not in k.sections:
        raise KnowledgeError(f"{where}: unknown guidance section '{section}'")
    for ref in knowledge.CONTACT_REF.finditer(text):
        if ref[1] not in k.contacts or ref[2] not in k.contacts[ref[1]]:
            raise KnowledgeError(f"{where}: unknown contact field {{{ref[1]}.{ref[2]}}}")


def load(k: Knowledge, base: Path | None = None) -> Talk:
    base = Path(base or knowledge.KNOWLEDGE_DIR)
    follow = _read(base, "followups.yml").get("entries") or {}
    dialogue = _read(base, "dialogue.yml")
    terms_raw = _read(base, "terms.yml").get("terms") or []
    signs_raw = _read(base, "signs.yml")
    messages = _read(base, "conversation.yml").get("messages") or {}
    for key, text in messages.items():
        for line in knowledge._walk_strings(text):
            _check_text(k, line, "2.2", f"conversation.yml: message '{key}'")

    attributes = {name: _phrases(p, f"dialogue.yml: attribute '{name}'")
                  for name, p in (dialogue.get("attributes") or {}).items()}
    kinds = {name: _phrases(p, f"dialogue.yml: kind '{name}'") for name, p in (dialogue.get("kinds") or {}).items()}

    facts: dict[str, dict[str, Fact]] = {}
    links: dict[str, dict[str, str]] = {}
    topic_groups: dict[str, list[str]] = {}
    keyword_groups: dict[str, list[str]] = {}
    for entry_id, raw in follow.items():
        where = f"followups.yml: entry '{entry_id}'"
        if entry_id not in k.entries:
            raise KnowledgeError(f"{where}: no such entry in topics/")
        raw = raw or {}
        topic_groups.setdefault(entry_id, []).extend(_phrases(raw.get("terms") or [], where))
        for attr, fact in (raw.get("facts") or {}).items():
            if attr not in attributes:
                raise KnowledgeError(f"{where}: fact '{attr}' is not an attribute in dialogue.yml")
            if not isinstance(fact, dict) or not fact.get("text") or not fact.get("section"):
                raise KnowledgeError(f"{where}: fact '{attr}' needs text and section")
            _check_text(k, fact["text"], str(fact["section"]), f"{where}: fact '{attr}'")
            facts.setdefault(entry_id, {})[attr] = Fact(fact["text"], str(fact["section"]), fact.get("advice") or "")
        for kind, target in (raw.get("links") or {}).items():
            if kind not in kinds and kind not in attributes:
                raise KnowledgeError(f"{where}: link '{kind}' is not a kind or attribute in dialogue.yml")
            if target not in k.entries:
                raise KnowledgeError(f"{where}: link '{kind}' names unknown entry '{target}'")
            links.setdefault(entry_id, {})[kind] = target
    for entry in k.entries.values():
        # a named resource's keywords are its name ("childline"); other sub-entries' keywords
        # are everyday words ("boyfriend") that pick a model inside its topic, not a topic
        if entry.parent == "resources" and entry.keywords:
            keyword_groups.setdefault(entry.id, []).extend(entry.keywords)
        if entry.pathway:
            keyword_groups.setdefault(entry.id, []).extend(k.pathways[entry.pathway].keywords)

    terms: dict[str, Term] = {}
    for raw in terms_raw:
        where = f"terms.yml: term '{raw.get('id', '?')}'"
        for key in ("id", "words", "says", "section", "entry"):
            if not raw.get(key):
                raise KnowledgeError(f"{where}: missing field '{key}'")
        if raw["entry"] not in k.entries:
            raise KnowledgeError(f"{where}: no such entry '{raw['entry']}'")
        _check_text(k, raw["says"], str(raw["section"]), where)
        terms[raw["id"]] = Term(raw["id"], tuple(_phrases(raw["words"], where)), raw["says"].strip(),
                                str(raw["section"]), raw["entry"], bool(raw.get("own_advice")))

    indicator_ids = {i.id for i in k.indicators}
    sign_groups: dict[str, list[str]] = {}
    for ind, by_level in (signs_raw.get("signs") or {}).items():
        if ind not in indicator_ids:
            raise KnowledgeError(f"signs.yml: '{ind}' is not one of the 14 indicators")
        for level, phrases in (by_level or {}).items():
            if level not in LEVELS:
                raise KnowledgeError(f"signs.yml: '{ind}': unknown level '{level}'")
            sign_groups[f"{ind}:{level}"] = _phrases(phrases, f"signs.yml: '{ind}' {level}")
    status_groups = {pid: _phrases(p, f"dialogue.yml: case_status '{pid}'")
                     for pid, p in (dialogue.get("case_status") or {}).items()}
    for pid in status_groups:
        if pid not in k.pathways:
            raise KnowledgeError(f"dialogue.yml: case_status '{pid}' is not a status in pathways.yml")
    keyword_status = {pid: list(p.keywords) for pid, p in k.pathways.items()}

    levels = {lvl: _phrases(p, f"dialogue.yml: level '{lvl}'") for lvl, p in (dialogue.get("levels") or {}).items()}
    if set(levels) != set(LEVELS):
        raise KnowledgeError("dialogue.yml: levels must be low, medium and high")
    questions = {name: _phrases(p, f"signs.yml: question '{name}'")
                 for name, p in (signs_raw.get("questions") or {}).items()}
    return Talk(
        facts=facts,
        links=links,
        terms=terms,
        attributes=PhraseSet(attributes),
        kinds=PhraseSet(kinds),
        levels=PhraseSet(levels),
        compare=PhraseSet({"compare": _phrases(dialogue.get("compare") or [], "dialogue.yml: compare")}),
        openers=PhraseSet({"opener": _phrases(dialogue.get("openers") or [], "dialogue.yml: openers")}),
        pointers=PhraseSet({"pointer": _phrases(dialogue.get("pointers") or [], "dialogue.yml: pointers")}),
        topics=PhraseSet(topic_groups),
        keywords=PhraseSet(keyword_groups, exact=True),
        local_terms=PhraseSet({t.id: t.words for t in terms.values()}),
        signs=PhraseSet(sign_groups),
        child=PhraseSet({"child": _phrases(signs_raw.get("child") or [], "signs.yml: child")}),
        child_speaker=PhraseSet({"child": _phrases(signs_raw.get("child_speaker") or [], "signs.yml: child_speaker")}),
        questions=PhraseSet(questions),
        learning_disability=PhraseSet({"ld": _phrases(signs_raw.get("learning_disability") or [],
                                                      "signs.yml: learning_disability")}),
        case_status=PhraseSet(status_groups),
        status_keywords=PhraseSet(keyword_status, exact=True),
        case_holder=PhraseSet({"holder": _phrases(signs_raw.get("case_holder") or [], "signs.yml: case_holder")}),
        not_covered=PhraseSet({"not_covered": _phrases(dialogue.get("not_covered") or [], "dialogue.yml: not_covered")}),
        signs_section=str(signs_raw.get("indicators_section") or "2.1"),
        status_priority=_priority(k, dialogue),
        case_status_answers={str(a).lower(): pid for pid, answers in (dialogue.get("case_status_answers") or {}).items()
                             for a in _phrases(answers, f"dialogue.yml: case_status_answers '{pid}'")},
        messages=messages,
    )


def _priority(k: Knowledge, dialogue: dict[str, Any]) -> list[str]:
    order = [str(p) for p in dialogue.get("status_priority") or []]
    unknown = set(order) - set(k.pathways)
    if unknown:
        raise KnowledgeError(f"dialogue.yml: status_priority names unknown statuses {sorted(unknown)}")
    return order + [p for p in k.pathways if p not in order]


@functools.lru_cache(maxsize=1)
def get() -> Talk:
    """The conversation data for the validated knowledge, loaded once per process."""
    return load(knowledge.get())
