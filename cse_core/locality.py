"""The local words redaction needs, read from ``knowledge/`` (issue 14).

``knowledge/locality.yml`` holds the area's towns (kept), estates, villages and landmarks,
schools and streets (identifiers), the services
and terms of the guidance, and public numbers and web sites; ``knowledge/contacts.yml`` the
contacts the assistant itself gives (their names, numbers and addresses stay readable);
``knowledge/indicators.yml`` the indicator names. Another partnership edits those files only.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Locality:
    places: tuple[str, ...]  # towns and regions: kept, never names
    areas: tuple[str, ...]  # estates, neighbourhoods, villages, landmarks: replaced by [PLACE]
    schools: tuple[str, ...]  # replaced by [SCHOOL]
    streets: tuple[str, ...]  # replaced by [ADDRESS]
    terms: tuple[str, ...]  # services, contact names, guidance terms: kept, never names
    public_numbers: frozenset[str]  # digits, national form (0...)
    public_emails: frozenset[str]  # lower case
    public_domains: tuple[str, ...]  # lower case, without "www."
    postcode_areas: frozenset[str] = frozenset()  # upper case letters: "DL", "TS"; a district alone ("DL3") is redacted


def _read(path: Path) -> Any:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def national_digits(number: str) -> str:
    """The digits of a UK number as dialled at home: +44 / 0044 become 0."""
    digits = re.sub(r"\D", "", number)
    for prefix in ("0044", "44"):
        if digits.startswith(prefix) and len(digits) > 10:
            return "0" + digits[len(prefix):].removeprefix("0")
    return digits


def _strings(values: Any) -> list[str]:
    return [str(v).strip() for v in values or [] if str(v).strip()]


@functools.lru_cache(maxsize=4)
def load(base: Path | None = None) -> Locality:
    base = base or Path(os.environ.get("CSE_KNOWLEDGE_DIR") or ROOT / "knowledge")
    local = _read(base / "locality.yml")
    contacts = (_read(base / "contacts.yml").get("contacts") or {}).values()
    indicators = _read(base / "indicators.yml").get("indicators") or []
    terms = _strings(local.get("kept_terms"))
    numbers = _strings(local.get("public_numbers"))
    emails = _strings(local.get("public_emails"))
    domains = _strings(local.get("public_domains"))
    for contact in contacts:
        name = str(contact.get("name") or "")
        # "Children's Access Point (CAP)": the name and the abbreviation are both terms
        terms += [part.strip() for part in re.split(r"[()]", name) if part.strip()]
        if contact.get("phone"):
            numbers.append(str(contact["phone"]))
        if contact.get("email"):
            emails.append(str(contact["email"]))
        if contact.get("web"):
            domains.append(str(contact["web"]))
    for indicator in indicators:
        # "Running away / going missing": each side of a slash is a term too
        name = str(indicator.get("name") or "")
        terms += [name, *[part.strip() for part in re.split(r"/|\band/or\b", name) if part.strip()]]
    return Locality(
        places=tuple(_strings(local.get("places"))),
        areas=tuple(_strings(local.get("areas")) + _strings(local.get("estates")) + _strings(local.get("landmarks"))),
        schools=tuple(_strings(local.get("schools"))),
        streets=tuple(_strings(local.get("streets"))),
        terms=tuple(dict.fromkeys(terms)),
        public_numbers=frozenset(national_digits(n) for n in numbers),
        public_emails=frozenset(e.lower() for e in emails),
        public_domains=tuple(d.lower().removeprefix("www.").rstrip("/") for d in domains),
        postcode_areas=frozenset(a.upper() for a in _strings(local.get("postcode_areas"))),
    )
