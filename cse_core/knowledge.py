"""Load and validate ``knowledge/``, the single source of everything the assistant says.

``load()`` reads every file once and checks it: a missing field, an unknown section, an
unknown contact or a broken cross-reference raises ``KnowledgeError`` naming the file and
the entry, so a bad edit stops the assistant at start-up instead of reaching a user.
"""

from __future__ import annotations

import datetime as dt
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
GENERATED_LISTS = {"indicator_list", "pathway_list", "map_list", "children", "rules_summary", "rules_version"}
# Where a status sits relative to the partnership's area (pathways.yml `placement`).
PLACEMENTS = {"from_elsewhere", "placed_elsewhere"}
# Keys of a message written as a mapping: {text: ..., advice: ...} or {text: ..., own_advice: true}.
MESSAGE_KEYS = {"text", "advice", "own_advice", "section"}
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
    # The assistant's own advice beside the answer, shown after it with a visible label.
    advice: str | None = None
    parent_advice: str | None = None
    # The whole entry is the assistant's own (shown with the label), not the guidance's.
    own_advice: bool = False
    # Other entries under whose intent this sub-entry may also be chosen by its keywords.
    also_under: tuple[str, ...] = ()


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
    own_advice: bool = False


@dataclass(frozen=True)
class Pathway:
    id: str
    label: str
    question_label: str
    section: str
    process_map: int | None
    keywords: tuple[str, ...]
    steps: tuple[PathwayStep, ...]
    # One of the case types the CAP determines (section 2.2); false for a status the
    # guidance covers in a sentence of its own (a Darlington child placed out of area).
    cap_category: bool = True
    map_title: str | None = None
    placement: str | None = None  # from_elsewhere | placed_elsewhere | None
    level_set_by: str = ""  # who determines the level of risk for this status


@dataclass
class Knowledge:
    document: dict[str, str]
    sections: dict[str, str]
    contacts: dict[str, dict[str, Any]]
    entries: dict[str, Entry]
    indicators: list[Indicator]
    indicator_notice: str
    indicator_section: str
    indicator_label: str
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

    def labelled(self, advice: str) -> str:
        """The assistant's own advice with its visible label ("This is general advice, ...")."""
        advice = advice.strip()
        label = str(self.messages.get("own_advice_label") or "").strip()
        joiner = "\n" if "\n" in advice else " "
        return f"{label}{joiner}{advice}" if label else advice

    def pathway_with_placement(self, placement: str) -> Pathway | None:
        return next((p for p in self.pathways.values() if p.placement == placement), None)


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
            for key in ("advice", "parent_advice"):
                if key in raw and not (isinstance(raw[key], str) and raw[key].strip()):
                    raise KnowledgeError(f"{where}: '{key}' must be text")
            if not isinstance(raw.get("own_advice", False), bool):
                raise KnowledgeError(f"{where}: 'own_advice' on an entry must be true or false")
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
                advice=(raw.get("advice") or "").strip() or None,
                parent_advice=(raw.get("parent_advice") or "").strip() or None,
                own_advice=bool(raw.get("own_advice", False)),
                also_under=tuple(raw.get("also_under") or ()),
            )
    return entries


def _load_indicators(base: Path) -> tuple[list[Indicator], str, str, str]:
    data = _read(base / "indicators.yml") or {}
    _require(data, ["section", "descriptor_notice", "descriptor_label", "indicators"], "indicators.yml")
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
    return indicators, data["descriptor_notice"], str(data["section"]), str(data["descriptor_label"])


def _load_pathways(base: Path, sections: dict[str, str]) -> tuple[dict[str, Pathway], str]:
    data = _read(base / "pathways.yml") or {}
    _require(data, ["levels", "statuses", "unknown_status_route", "level_set_by"], "pathways.yml")
    levels = tuple(data["levels"])
    pathways = {}
    placements: dict[str, str] = {}
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
            if not isinstance(step.get("own_advice", False), bool):
                raise KnowledgeError(f"{where}: a step's 'own_advice' must be true or false")
            steps.append(PathwayStep(text=step["text"], levels=step_levels, own_advice=bool(step.get("own_advice"))))
        if not isinstance(raw.get("cap_category", True), bool):
            raise KnowledgeError(f"{where}: 'cap_category' must be true or false")
        placement = raw.get("placement")
        if placement is not None:
            if placement not in PLACEMENTS:
                raise KnowledgeError(f"{where}: unknown placement '{placement}' (use {sorted(PLACEMENTS)})")
            if placement in placements:
                raise KnowledgeError(f"{where}: placement '{placement}' is also '{placements[placement]}'")
            placements[placement] = pid
        if raw.get("process_map") is not None and not raw.get("map_title"):
            raise KnowledgeError(f"{where}: a status with a process_map needs its 'map_title' (section 4)")
        pathways[pid] = Pathway(
            id=pid,
            label=raw["label"],
            question_label=raw["question_label"],
            section=str(raw["section"]),
            process_map=raw.get("process_map"),
            keywords=tuple(str(k).lower() for k in raw.get("keywords") or ()),
            steps=tuple(steps),
            cap_category=bool(raw.get("cap_category", True)),
            map_title=raw.get("map_title"),
            placement=placement,
            level_set_by=str(raw.get("level_set_by") or data["level_set_by"]),
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
        _require(floor, ["id", "applies_if_any", "referral_when_any_rated", "minimum_level",
                         "minimum_when_any_rated", "reason"], where)
        if floor["minimum_level"] not in levels:
            raise KnowledgeError(f"{where}: unknown level '{floor['minimum_level']}'")
        for key in ("referral_when_any_rated", "minimum_when_any_rated"):
            unknown = set(floor[key]) - ratings
            if unknown:
                raise KnowledgeError(f"{where}: unknown rating(s) {sorted(unknown)} in '{key}'")


def _message(value: Any, where: str, label: str) -> Any:
    """A message as the rest of the code uses it: a mapping {text, advice} becomes one text."""
    if isinstance(value, dict) and "text" in value and set(value) <= MESSAGE_KEYS:
        text = value["text"]
        if not isinstance(text, str) or not text.strip():
            raise KnowledgeError(f"messages.yml: {where}: 'text' must be text")
        own = value.get("own_advice", False)
        if not isinstance(own, bool):
            raise KnowledgeError(f"messages.yml: {where}: 'own_advice' must be true or false")
        if (value.get("advice") or own) and not label:
            raise KnowledgeError(f"messages.yml: {where}: advice needs 'own_advice_label' to label it")
        if own:
            return f"{label} {text.strip()}" if "\n" not in text.strip() else f"{label}\n{text.strip()}"
        advice = value.get("advice")
        if advice is None:
            return text
        if not isinstance(advice, str) or not advice.strip():
            raise KnowledgeError(f"messages.yml: {where}: 'advice' must be text")
        return f"{text.rstrip()}\n{label} {advice.strip()}"
    if isinstance(value, dict):
        return {key: _message(v, f"{where}.{key}" if where else key, label) for key, v in value.items()}
    return value


def _load_messages(base: Path) -> dict[str, Any]:
    raw = (_read(base / "messages.yml") or {}).get("messages") or {}
    label = str(raw.get("own_advice_label") or "").strip()
    return _message(raw, "", label)


def _check_marks(node: Any, where: str) -> None:
    """`own_advice` and `added_links` wherever they appear (any file under knowledge/)."""
    if isinstance(node, dict):
        own = node.get("own_advice")
        if own is not None and not (isinstance(own, bool) or (isinstance(own, list)
                                                              and all(isinstance(f, str) for f in own))):
            raise KnowledgeError(f"{where}: 'own_advice' must be true/false or a list of field names")
        for link in node.get("added_links") or []:
            if not (isinstance(link, dict) and link.get("url") and isinstance(link.get("checked"), dt.date)):
                raise KnowledgeError(f"{where}: each of 'added_links' needs a url and the date it was checked (YYYY-MM-DD)")
        for key, value in node.items():
            _check_marks(value, f"{where}: {node.get('id', key)}" if isinstance(value, (dict, list)) else where)
    elif isinstance(node, list):
        for value in node:
            _check_marks(value, where)


def _cross_check(k: Knowledge) -> None:
    for entry in k.entries.values():
        where = f"{entry.file}: entry '{entry.id}'"
        for text in (entry.answer, entry.parent_answer or "", entry.advice or "", entry.parent_advice or ""):
            _check_refs(text, k.contacts, where)
        if (entry.advice or entry.parent_advice or entry.own_advice) and not k.messages.get("own_advice_label"):
            raise KnowledgeError(f"{where}: advice needs messages.yml 'own_advice_label' to label it")
        for other in entry.also_under:
            if other not in k.entries:
                raise KnowledgeError(f"{where}: also_under entry '{other}' does not exist")
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
    _require(guidance["document"], ["title", "short_title", "version", "issued", "area"], "guidance.yml: document")
    indicators, notice, ind_section, ind_label = _load_indicators(base)
    pathways, route = _load_pathways(base, sections)
    rules = _read(base / "risk_rules.yml") or {}
    _validate_rules(rules)
    messages = _load_messages(base)
    for path in sorted(base.rglob("*.yml")):
        _check_marks(_read(path), str(path.relative_to(base)))
    k = Knowledge(
        document=guidance["document"],
        sections=sections,
        contacts=contacts,
        entries=entries,
        indicators=indicators,
        indicator_notice=notice,
        indicator_section=ind_section,
        indicator_label=ind_label,
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
