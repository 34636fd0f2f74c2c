"""Load and validate ``knowledge/``, the single source of everything the assistant says.

``load()`` reads every file once and checks it: a missing field, an unknown section, an
unknown contact or a broken cross-reference raises ``KnowledgeError`` naming the file and
the entry, so a bad edit stops the assistant at start-up instead of reaching a user.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = Path(os.environ.get("CSE_KNOWLEDGE_DIR", ROOT / "knowledge"))

# {contact.field} in any text; other {names} are filled at run time.
CONTACT_REF = re.compile(r"\{([a-z_]+)\.([a-z_]+)\}")
# Placeholders an answer may use that are built from other knowledge, not contacts.
GENERATED_LISTS = {"indicator_list", "pathway_list", "map_list", "children"}
LIST_REF = re.compile(r"\{(" + "|".join(sorted(GENERATED_LISTS)) + r")\}")


class KnowledgeError(ValueError):
    """A problem in knowledge/, naming the file and the entry."""


@dataclass(frozen=True)
class Entry:
    id: str
    intent: str
    section: str
    title: str
    answer: str
    parent_answer: str | None
    related: tuple[str, ...]
    parent: str | None
    keywords: tuple[str, ...]
    pathway: str | None
    file: str
    choose_from: str | None = None


@dataclass(frozen=True)
class Indicator:
    id: str
    number: int
    name: str
    aliases: tuple[str, ...]
    why: str
    practitioner: dict[str, str]
    parent: dict[str, str]


@dataclass(frozen=True)
class PathwayStep:
    text: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class Pathway:
    id: str
    label: str
    question_label: str
    section: str
    process_map: int | None
    keywords: tuple[str, ...]
    steps: tuple[PathwayStep, ...]


@dataclass
class Knowledge:
    document: dict[str, str]
    sections: dict[str, str]
    contacts: dict[str, dict[str, Any]]
    entries: dict[str, Entry]
    indicators: list[Indicator]
    indicator_notice: str
    indicator_section: str
    pathways: dict[str, Pathway]
    unknown_status_route: str
    risk_rules: dict[str, Any]
    messages: dict[str, Any]
    by_intent: dict[str, Entry] = field(default_factory=dict)
    children: dict[str, list[Entry]] = field(default_factory=dict)

    def entry_for_intent(self, intent: str) -> Entry | None:
        return self.by_intent.get(intent)

    @property
    def intents(self) -> list[str]:
        return sorted(self.by_intent)

    def message(self, key: str) -> Any:
        """A message by dotted key, e.g. ``screening.ask_age``."""
        node: Any = self.messages
        for part in key.split("."):
            node = node[part]
        return node

    def fill_contacts(self, text: str) -> str:
        return CONTACT_REF.sub(lambda m: str(self.contacts[m[1]][m[2]]), text)


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path.name}: cannot be read: {exc}") from exc


def _require(data: dict[str, Any], keys: list[str], where: str) -> None:
    for key in keys:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise KnowledgeError(f"{where}: missing field '{key}'")


def _check_refs(text: str, contacts: dict[str, dict[str, Any]], where: str) -> None:
    for ref in CONTACT_REF.finditer(text):
        contact, attr = ref[1], ref[2]
        if contact not in contacts:
            raise KnowledgeError(f"{where}: unknown contact '{contact}' in {{{contact}.{attr}}}")
        if attr not in contacts[contact]:
            raise KnowledgeError(f"{where}: contact '{contact}' has no field '{attr}'")


def _walk_strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _walk_strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _walk_strings(v)]
    return []


def _load_contacts(base: Path, sections: dict[str, str]) -> dict[str, dict[str, Any]]:
    contacts = (_read(base / "contacts.yml") or {}).get("contacts") or {}
    for cid, contact in contacts.items():
        where = f"contacts.yml: contact '{cid}'"
        _require(contact, ["name", "use", "source"], where)
        section = str(contact["source"].get("section", ""))
        if section not in sections:
            raise KnowledgeError(f"{where}: unknown guidance section '{section}'")
    return contacts


def _load_entries(base: Path, sections: dict[str, str]) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    files = sorted((base / "topics").glob("*.yml"))
    if not files:
        raise KnowledgeError("topics/: no topic files")
    for path in files:
        rel = f"topics/{path.name}"
        for raw in (_read(path) or {}).get("entries") or []:
            where = f"{rel}: entry '{raw.get('id', '?')}'"
            _require(raw, ["id", "intent", "section", "title"], where)
            if "answer" not in raw and "pathway" not in raw:
                raise KnowledgeError(f"{where}: missing field 'answer'")
            section = str(raw["section"])
            if section not in sections:
                raise KnowledgeError(f"{where}: unknown guidance section '{section}'")
            if raw["id"] in entries:
                raise KnowledgeError(f"{where}: duplicate id (also in {entries[raw['id']].file})")
            entries[raw["id"]] = Entry(
                id=raw["id"],
                intent=raw["intent"],
                section=section,
                title=raw["title"],
                answer=(raw.get("answer") or "").strip(),
                parent_answer=(raw.get("parent_answer") or "").strip() or None,
                related=tuple(raw.get("related") or ()),
                parent=raw.get("parent"),
                keywords=tuple(str(k).lower() for k in raw.get("keywords") or ()),
                pathway=raw.get("pathway"),
                file=rel,
                choose_from=raw.get("choose_from"),
            )
    return entries


def _load_indicators(base: Path) -> tuple[list[Indicator], str, str]:
    data = _read(base / "indicators.yml") or {}
    _require(data, ["section", "descriptor_notice", "indicators"], "indicators.yml")
    indicators = []
    for number, raw in enumerate(data["indicators"], start=1):
        where = f"indicators.yml: indicator '{raw.get('id', number)}'"
        _require(raw, ["id", "name", "why", "practitioner", "parent"], where)
        for audience in ("practitioner", "parent"):
            for level in ("low", "medium", "high"):
                if not raw[audience].get(level):
                    raise KnowledgeError(f"{where}: missing {audience} descriptor for '{level}'")
        indicators.append(
            Indicator(
                id=raw["id"],
                number=number,
                name=raw["name"],
                aliases=tuple(str(a).lower() for a in raw.get("aliases") or ()),
                why=raw["why"],
                practitioner=dict(raw["practitioner"]),
                parent=dict(raw["parent"]),
            )
        )
    if len(indicators) != 14:
        raise KnowledgeError(f"indicators.yml: expected the 14 indicators of section 2.1, found {len(indicators)}")
    return indicators, data["descriptor_notice"], str(data["section"])


def _load_pathways(base: Path, sections: dict[str, str]) -> tuple[dict[str, Pathway], str]:
    data = _read(base / "pathways.yml") or {}
    _require(data, ["levels", "statuses", "unknown_status_route"], "pathways.yml")
    levels = tuple(data["levels"])
    pathways = {}
    for pid, raw in data["statuses"].items():
        where = f"pathways.yml: status '{pid}'"
        _require(raw, ["label", "question_label", "section", "steps"], where)
        if str(raw["section"]) not in sections:
            raise KnowledgeError(f"{where}: unknown guidance section '{raw['section']}'")
        steps = []
        for step in raw["steps"]:
            _require(step, ["text"], where)
            step_levels = tuple(step.get("levels") or levels)
            unknown = set(step_levels) - set(levels)
            if unknown:
                raise KnowledgeError(f"{where}: unknown level(s) {sorted(unknown)}")
            steps.append(PathwayStep(text=step["text"], levels=step_levels))
        pathways[pid] = Pathway(
            id=pid,
            label=raw["label"],
            question_label=raw["question_label"],
            section=str(raw["section"]),
            process_map=raw.get("process_map"),
            keywords=tuple(str(k).lower() for k in raw.get("keywords") or ()),
            steps=tuple(steps),
        )
    route = data["unknown_status_route"]
    if route not in pathways:
        raise KnowledgeError(f"pathways.yml: unknown_status_route '{route}' is not a status")
    return pathways, route


def _validate_rules(rules: dict[str, Any]) -> None:
    _require(rules, ["version", "ratings", "rules", "floors", "age"], "risk_rules.yml")
    ratings = set(rules["ratings"])
    levels = {"none", "low", "medium", "high"}
    for rule in rules["rules"]:
        where = f"risk_rules.yml: rule '{rule.get('id', '?')}'"
        _require(rule, ["id", "level", "reason"], where)
        if rule["level"] not in levels:
            raise KnowledgeError(f"{where}: unknown level '{rule['level']}'")
        cond = rule.get("if")
        if cond is not None and (cond.get("rating") not in ratings or int(cond.get("at_least", 0)) < 1):
            raise KnowledgeError(f"{where}: 'if' needs a known rating and at_least >= 1")
    if rules["rules"][-1].get("if") is not None:
        raise KnowledgeError("risk_rules.yml: the last rule must have 'if: null' (the default)")
    for floor in rules["floors"]:
        where = f"risk_rules.yml: floor '{floor.get('id', '?')}'"
        _require(floor, ["id", "applies_if_any", "and_any_rated_above", "minimum_level", "reason"], where)
        if floor["minimum_level"] not in levels:
            raise KnowledgeError(f"{where}: unknown level '{floor['minimum_level']}'")


def _cross_check(k: Knowledge) -> None:
    for entry in k.entries.values():
        where = f"{entry.file}: entry '{entry.id}'"
        for text in (entry.answer, entry.parent_answer or ""):
            _check_refs(text, k.contacts, where)
        for rel in entry.related:
            if rel not in k.entries:
                raise KnowledgeError(f"{where}: related entry '{rel}' does not exist")
        if entry.parent and entry.parent not in k.entries:
            raise KnowledgeError(f"{where}: parent entry '{entry.parent}' does not exist")
        if entry.choose_from and entry.choose_from not in k.entries:
            raise KnowledgeError(f"{where}: choose_from entry '{entry.choose_from}' does not exist")
        if entry.pathway and entry.pathway not in k.pathways:
            raise KnowledgeError(f"{where}: pathway '{entry.pathway}' is not in pathways.yml")
        if "{children}" in entry.answer and not k.children.get(entry.id):
            raise KnowledgeError(f"{where}: uses {{children}} but has no sub-entries")
    for pathway in k.pathways.values():
        for step in pathway.steps:
            _check_refs(step.text, k.contacts, f"pathways.yml: status '{pathway.id}'")
    for text in _walk_strings(k.messages):
        _check_refs(text, k.contacts, "messages.yml")


def load(base: Path | None = None) -> Knowledge:
    """Read and validate every file under ``base`` (default: knowledge/)."""
    base = Path(base or KNOWLEDGE_DIR)
    guidance = _read(base / "guidance.yml") or {}
    _require(guidance, ["document", "sections"], "guidance.yml")
    sections = {str(num): title for num, title in guidance["sections"].items()}
    contacts = _load_contacts(base, sections)
    entries = _load_entries(base, sections)
    indicators, notice, ind_section = _load_indicators(base)
    pathways, route = _load_pathways(base, sections)
    rules = _read(base / "risk_rules.yml") or {}
    _validate_rules(rules)
    messages = (_read(base / "messages.yml") or {}).get("messages") or {}
    k = Knowledge(
        document=guidance["document"],
        sections=sections,
        contacts=contacts,
        entries=entries,
        indicators=indicators,
        indicator_notice=notice,
        indicator_section=ind_section,
        pathways=pathways,
        unknown_status_route=route,
        risk_rules=rules,
        messages=messages,
    )
    for entry in entries.values():
        if entry.parent:
            k.children.setdefault(entry.parent, []).append(entry)
        elif entry.intent in k.by_intent:
            other = k.by_intent[entry.intent]
            raise KnowledgeError(
                f"{entry.file}: entry '{entry.id}': intent '{entry.intent}' already answered by '{other.id}'"
            )
        else:
            k.by_intent[entry.intent] = entry
    _cross_check(k)
    return k


@functools.lru_cache(maxsize=1)
def get() -> Knowledge:
    """The validated knowledge, loaded once per process."""
    return load()
