"""Blind measure of the redaction used before storage (issue 14, item 5).

Reads two sets written by a helper who never saw the redaction code (``eval/blind/`` by
default, ``CSE_BLIND_DIR`` or ``--blind`` to override):

* ``privacy_positive.yml``: items ``{id, text, identifiers: [{class, value}]}``;
* ``privacy_negative.yml``: items ``{id, text}``, guidance messages with no identifier.

Each text goes through :func:`cse_core.redaction.redact`, the function that
``cse_core.redaction.events`` (and so ``bot/tracker_store.py`` and every log record) applies
before anything is stored. Items are split as every blind set is: ``dev`` when
``int(md5(id).hexdigest(), 16) % 10 < 4``, else ``test``. Only aggregates are printed, per
split; ``--show dev`` also prints the dev split's misses (class and redacted text) for the
developer to read. Test-split failures are never printed.

**When an identifier counts as caught.** Matching ignores case and treats any run of spaces as
one space. An identifier ``value`` is caught when, in the redacted text,

1. the value itself no longer appears (as a whole, not inside a longer word), and
2. none of its identifying pieces appears on its own (whole-word match), where the pieces are
   - every run of 4 or more digits ("07700", "900123", "2011"; a year of birth is identifying);
   - every word of 3 or more characters holding a letter ("chloe", "hummersknott", "dl3",
     "7hx", "kayla_x99" split into "kayla", "x99"), except generic words that say nothing about
     who: street and school kinds ("road", "academy"), months, weekdays and number words,
     e-mail and link plumbing ("gmail", "com", "https", "instagram"), function words, titles and
     kinship words before a name ("Mrs", "uncle": "uncle [NAME]" is caught), and the
     area's towns and regions of ``knowledge/locality.yml`` ``places`` (they stay by design);
   - for a date written in figures, its day and month as typed ("14/03" of "14/03/2011").

So "[NAME] Smith", "[PHONE] 900123", "[ADDRESS] Elm Road" and "born [DATE] 2011" are misses;
"12 [ADDRESS]" for "12 Elm Road" is caught (a house number alone identifies no one), and so is
"[ADDRESS] Darlington" (a town stays readable by design).

**Over-redaction** on the negative set: the share of messages whose text changed at all, and
the share of their words (runs of letters and digits) that the redaction removed (a word is
removed when it is not in the longest common subsequence of the original's and the redacted
text's words; placeholders are not counted as words).

    .venv/bin/python -m bench.eval_privacy [--blind DIR] [--show dev] [--json]
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cse_core import locality  # noqa: E402
from cse_core.redaction import LABELS, redact  # noqa: E402

DEFAULT_BLIND = ROOT / "eval" / "blind"
CLASSES = ("name", "date_of_birth", "address", "postcode", "phone", "email", "nhs_number", "ni_number",
           "vehicle_plate", "handle", "url", "school")

GENERIC = frozenset(["road", "rd", "street", "st", "avenue", "ave", "lane", "drive", "dr", "terrace", "tce", "crescent", "close", "way", "place", "court", "green", "view", "park", "hill", "row", "walk", "square", "gate", "grove", "gardens", "mews", "wynd", "parade", "rise", "vale", "chase", "croft", "garth", "yard", "fields", "meadows", "estate", "flat", "apartment", "apt", "unit", "house", "number", "no", "floor", "block", "school", "academy", "college", "primary", "secondary", "high", "junior", "juniors", "infant", "infants", "nursery", "grammar", "sixth", "form", "free", "church", "england", "catholic", "saint", "community", "special", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "oh", "and", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth", "thirtieth", "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th", "12th", "13th", "14th", "15th", "16th", "17th", "18th", "19th", "20th", "21st", "22nd", "23rd", "24th", "25th", "26th", "27th", "28th", "29th", "30th", "31st", "the", "her", "his", "their", "our", "my", "your", "its", "this", "that", "with", "for", "from", "was", "born", "dob", "dot", "underscore", "dash", "hyphen", "com", "net", "org", "info", "biz", "edu", "gov", "nhs", "sch", "email", "mail", "gmail", "googlemail", "hotmail", "yahoo", "outlook", "icloud", "live", "aol", "btinternet", "sky", "protonmail", "proton", "ymail", "msn", "virginmedia", "talktalk", "mr", "mrs", "ms", "miss", "mx", "mister", "sir", "madam", "prof", "uncle", "auntie", "aunty", "aunt", "nan", "nana", "nanna", "grandad", "grandma", "gran", "pc", "dc", "ds", "sgt", "sergeant", "inspector", "detective", "constable", "officer", "coach", "nurse", "http", "https", "www", "html", "php", "facebook", "instagram", "insta", "tiktok", "snapchat", "snap", "twitter", "youtube", "youtu", "linkedin", "reddit", "discord", "twitch", "onlyfans", "threads", "linktr", "pinterest", "tumblr", "kik", "telegram", "roblox", "whatsapp", "steamcommunity", "bereal", "yubo", "wizz", "profile", "user", "users", "username"])
_DIGITS = re.compile(r"\d{4,}")
_PIECE = re.compile(r"[A-Za-z0-9]+")
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2}[/.\-]\d{1,2})[/.\-]\d{2,4}\s*$")
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def split_of(item_id: str) -> str:
    return "dev" if int(hashlib.md5(str(item_id).encode()).hexdigest(), 16) % 10 < 4 else "test"


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def _places() -> frozenset[str]:
    return frozenset(w.lower() for p in locality.load().places for w in _PIECE.findall(p))


def pieces(cls: str, value: str) -> list[str]:
    """The identifying pieces of ``value`` that must not survive on their own (see the module doc)."""
    places = _places()
    found = list(_DIGITS.findall(value))
    for piece in _PIECE.findall(value):
        low = piece.lower()
        if len(low) < 3 or not any(c.isalpha() for c in low) or low in GENERIC or low in places:
            continue
        found.append(low)
    if cls == "date_of_birth":
        m = _NUMERIC_DATE.match(value)
        if m:
            found.append(m.group(1))
    return list(dict.fromkeys(found))


def _present(piece: str, text: str) -> bool:
    """``piece`` as a whole word (not inside a longer run of letters or digits)."""
    pattern = r"(?<![A-Za-z0-9])" + re.escape(piece) + r"(?![A-Za-z0-9])"
    return re.search(pattern, text, re.I) is not None


def caught(cls: str, value: str, redacted: str) -> bool:
    value = str(value)
    if _squash(value) and _present(_squash(value), _squash(redacted)):
        return False
    return not any(_present(p, redacted) for p in pieces(cls, value))


def _words(text: str) -> list[str]:
    labels = {label.strip("[]").lower() for label in LABELS}
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in labels]


def removed_words(original: str, redacted: str) -> tuple[int, int]:
    """(words removed, words in the original)."""
    before, after = _words(original), _words(redacted)
    kept = sum(block.size for block in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_matching_blocks())
    return len(before) - kept, len(before)


def _load(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    split = data.get("split") if isinstance(data, dict) else None
    if isinstance(data, dict):  # {items: [...]} or any single top-level list
        data = data.get("items") or next((v for v in data.values() if isinstance(v, list)), [])
    return [{**item, **({"split": split} if split else {})}
            for item in data if isinstance(item, dict) and item.get("text")]


def _load_all(blind: Path, name: str) -> list[dict[str, Any]]:
    """``name``.yml and any later set ``name``_N.yml (one saying ``split: dev`` is a tuning
    set, all dev: the first set's test split stays the unread measure)."""
    paths = [blind / f"{name}.yml", *sorted(blind.glob(f"{name}_[0-9]*.yml"))]
    return [item for path in paths if path.exists() for item in _load(path)]


def _split(item: dict[str, Any]) -> str:
    return str(item.get("split") or split_of(item["id"]))


def evaluate(blind: Path, show: str | None) -> dict[str, Any]:
    positive = _load_all(blind, "privacy_positive")
    negative = _load_all(blind, "privacy_negative")
    report: dict[str, Any] = {}
    started = time.perf_counter()
    for split in ("dev", "test"):
        per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        misses: list[tuple[str, str]] = []
        items = [it for it in positive if _split(it) == split]
        for item in items:
            text = str(item["text"])
            redacted = redact(text)
            for ident in item.get("identifiers") or []:
                cls = str(ident.get("class"))
                ok = caught(cls, str(ident.get("value")), redacted)
                per_class[cls][0] += ok
                per_class[cls][1] += 1
                if not ok and split == "dev" and show == "dev":
                    misses.append((cls, redacted))
        negs = [it for it in negative if _split(it) == split]
        changed, removed, total = 0, 0, 0
        over: list[str] = []
        for item in negs:
            text = str(item["text"])
            redacted = redact(text)
            gone, words = removed_words(text, redacted)
            removed += gone
            total += words
            if redacted != text:
                changed += 1
                if split == "dev" and show == "dev":
                    over.append(redacted)
        hit = sum(v[0] for v in per_class.values())
        n = sum(v[1] for v in per_class.values())
        report[split] = {
            "positive_items": len(items),
            "identifiers": n,
            "recall": round(hit / n, 4) if n else None,
            "per_class": {c: {"recall": round(v[0] / v[1], 4), "caught": v[0], "n": v[1]}
                          for c, v in sorted(per_class.items(), key=lambda kv: (CLASSES + (kv[0],)).index(kv[0]))},
            "negative_items": len(negs),
            "over_redaction_messages": round(changed / len(negs), 4) if negs else None,
            "over_redaction_words": round(removed / total, 4) if total else None,
        }
        if misses or over:
            report[split]["_misses"] = misses
            report[split]["_over"] = over
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--blind", type=Path, default=Path(os.environ.get("CSE_BLIND_DIR") or DEFAULT_BLIND))
    parser.add_argument("--show", choices=["dev"], help="also print the dev split's misses (never the test split's)")
    parser.add_argument("--json", action="store_true", help="one JSON line of figures")
    parser.add_argument("--record", type=Path, help="append the figures as a JSON line to this file")
    parser.add_argument("--label", default="", help="a note stored with --record")
    args = parser.parse_args(argv)
    report = evaluate(args.blind, args.show)
    misses = {split: (report[split].pop("_misses", []), report[split].pop("_over", [])) for split in ("dev", "test")}
    if args.record:
        with args.record.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"bench": "eval_privacy", "label": args.label,
                                "time": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()), **report}) + "\n")
    if args.json:
        print(json.dumps(report))
    else:
        for split in ("dev", "test"):
            r = report[split]
            print(f"{split}: {r['identifiers']} identifiers in {r['positive_items']} messages, recall "
                  f"{_pct(r['recall'])}; {r['negative_items']} negatives, over-redaction "
                  f"{_pct(r['over_redaction_messages'])} of messages, {_pct(r['over_redaction_words'])} of words")
            for cls, v in r["per_class"].items():
                print(f"  {cls:<14} {_pct(v['recall']):>7}  ({v['caught']}/{v['n']})")
    if args.show == "dev":
        missed, over = misses["dev"]
        print("\n# dev misses (class: redacted text)")
        for cls, redacted in missed:
            print(f"{cls}: {redacted}")
        print("\n# dev negatives changed (redacted text)")
        for redacted in over:
            print(redacted)
    return 0


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


if __name__ == "__main__":
    raise SystemExit(main())
