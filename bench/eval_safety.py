"""Blind safety figures without a running assistant (issue 12, item 5).

Reads ``safety_positive.yml`` (danger and disclosure messages) and ``safety_negative.yml``
(hard negatives: guidance questions with danger words, past events, screening answers...)
from the blind folder, which helpers wrote without seeing the lexicon or the rules, and runs
every text through

* ``rules``: ``cse_core.safety.check`` alone (fast, no Rasa), and, with ``--nlu MODEL``,
* ``nlu``: the trained Rasa NLU pipeline (classifier + the safety component), where an alarm
  is the ``emergency`` or ``disclosure`` intent.

It prints only aggregate figures, per split (``dev`` when ``md5(id) % 10 < 4``, else
``test``): recall on the positives (any alarm; and the right kind when an item names one),
by kind and category, and the false-alarm rate on the negatives, by category. ``--show dev``
also prints the dev split's failures (text and what fired); the test split's failures are
never printed.

    .venv/bin/python -m bench.eval_safety [--blind DIR] [--nlu models/cse.tar.gz] [--min-mass 0.35] [--show dev]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_BLIND = Path(os.environ.get("CSE_BLIND_DIR", ROOT / "eval" / "blind"))
ALARMS = {"emergency", "disclosure"}


def split_of(item_id: str) -> str:
    """The same split as bench/blind_eval.py."""
    return "dev" if int(hashlib.md5(str(item_id).encode()).hexdigest(), 16) % 10 < 4 else "test"


def load(folder: Path, name: str) -> list[dict[str, Any]]:
    """``name``.yml, then any later set ``name``_N.yml. A later set may say ``split: dev`` at its
    top: written blind to tune on, it is all dev, and the first set's test split stays the
    measure nobody has read."""
    items: list[dict[str, Any]] = []
    for path in [folder / f"{name}.yml", *sorted(folder.glob(f"{name}_[0-9]*.yml"))]:
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        split = data.get("split") if isinstance(data, dict) else None
        if isinstance(data, dict):  # {items: [...]} or {category: [...]}
            if "items" in data:
                data = data["items"]
            else:
                data = [{**item, "category": item.get("category", key)} for key, items in data.items()
                        if isinstance(items, list) for item in items]
        items += [{**item, **({"split": split} if split else {})}
                  for item in data if isinstance(item, dict) and item.get("text")]
    return items


def item_split(item: dict[str, Any]) -> str:
    return str(item.get("split") or split_of(item.get("id", item["text"])))


def rules_detector() -> Callable[[str], str | None]:
    from cse_core import safety

    def detect(text: str) -> str | None:
        result = safety.check(text)
        return f"{result.kind}:{result.reason}" if result.kind else None

    return detect


def nlu_detector(model: Path, min_mass: float | None = None) -> Callable[[str], str | None]:
    """The whole NLU pipeline of a trained model (classifier, safety component, fallback).

    ``min_mass`` overrides the safety component's ``classifier_min_mass`` for this run only
    (to compare thresholds on the dev split without retraining)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Unconfigured, structlog prints every parsed text (the test split's too) at debug level.
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    if min_mass is not None:
        _set_min_mass(agent, min_mass)
    loop = asyncio.new_event_loop()

    def detect(text: str) -> str | None:
        parsed = loop.run_until_complete(agent.parse_message(text))
        intent = (parsed.get("intent") or {}).get("name")
        if intent not in ALARMS:
            return None
        rule = (parsed.get("safety") or {}).get("rule") or "classifier"
        return f"{intent}:{rule}"

    return detect


def _set_min_mass(agent: Any, min_mass: float) -> None:
    """Sets ``classifier_min_mass`` on every SafetyCheck node of a loaded agent's graph."""
    from bot.components.safety import SafetyCheck

    found = 0
    for node in agent.processor.graph_runner._instantiated_nodes.values():
        if getattr(node, "_component_class", None) is not SafetyCheck:
            continue
        node._component_config["classifier_min_mass"] = min_mass  # lazy nodes
        component = getattr(node, "_component", None)
        if isinstance(component, SafetyCheck):  # eager nodes
            component.config["classifier_min_mass"] = min_mass
        found += 1
    if not found:
        raise SystemExit("--min-mass: no SafetyCheck component in the model")


def _labels(item: dict[str, Any]) -> list[str]:
    """Short labels an item carries besides its id and text (kind, category, speaker, timing,
    in_form...): one group each, so every figure can be read per label."""
    out = []
    for key, value in sorted(item.items()):
        if key in {"id", "text", "note", "notes", "split"}:
            continue
        if isinstance(value, bool | int) or (isinstance(value, str) and len(value) <= 30):
            out.append(f"{key}={value}")
    return out


def _kind_of(item: dict[str, Any]) -> str | None:
    kind = str(item.get("kind") or item.get("expect") or "").lower()
    return kind if kind in ALARMS else None


def evaluate(detect: Callable[[str], str | None], pos: list[dict[str, Any]], neg: list[dict[str, Any]]
             ) -> tuple[dict[tuple[str, str], Counter], list[dict[str, Any]]]:
    """counts[(group, split)] = Counter(n=..., ok=..., kind_ok=..., kind_n=...); and failures."""
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    failures: list[dict[str, Any]] = []

    def add(groups: list[str], split: str, ok: bool, kind_n: int = 0, kind_ok: int = 0) -> None:
        for group in groups:
            for s in (split, "all"):
                c = counts[(group, s)]
                c["n"] += 1
                c["ok"] += ok
                c["kind_n"] += kind_n
                c["kind_ok"] += kind_ok

    for item in pos:
        fired = detect(str(item["text"]))
        split = item_split(item)
        kind = _kind_of(item)
        kind_ok = int(bool(fired and kind and fired.split(":", 1)[0] == kind))
        groups = ["positive (all)"] + [f"positive {label}" for label in _labels(item)]
        add(groups, split, bool(fired), int(kind is not None), kind_ok)
        if not fired:
            failures.append({"split": split, "set": "positive", "id": item.get("id"), "kind": kind,
                             "labels": _labels(item), "text": item["text"], "fired": fired})
    for item in neg:
        fired = detect(str(item["text"]))
        split = item_split(item)
        groups = ["negative (all)"] + [f"negative {label}" for label in _labels(item)]
        add(groups, split, not fired)
        if fired:
            failures.append({"split": split, "set": "negative", "id": item.get("id"),
                             "labels": _labels(item), "text": item["text"], "fired": fired})
    return counts, failures


def report(counts: dict[tuple[str, str], Counter], split: str) -> str:
    lines = [f"{'group':<46}{'n':>5}{'recall':>9}{'false alarm':>13}{'kind right':>12}"]
    for (group, s), c in sorted(counts.items()):
        if s != split:
            continue
        n = c["n"]
        if group.startswith("positive"):
            kind = f"{c['kind_ok'] / c['kind_n']:>12.1%}" if c["kind_n"] else f"{'':>12}"
            lines.append(f"{group:<46}{n:>5}{c['ok'] / n:>9.1%}{'':>13}{kind}")
        else:
            lines.append(f"{group:<46}{n:>5}{'':>9}{(n - c['ok']) / n:>13.1%}{'':>12}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blind", type=Path, default=DEFAULT_BLIND, help="folder of safety_positive/negative.yml")
    ap.add_argument("--nlu", type=Path, help="also run a trained model's NLU pipeline (models/cse.tar.gz)")
    ap.add_argument("--min-mass", type=float,
                    help="with --nlu: override the safety component's classifier_min_mass for this run")
    ap.add_argument("--no-rules", action="store_true", help="with --nlu: skip the rules-only run")
    ap.add_argument("--show", choices=["dev"], help="print the dev split's failures (never the test split's)")
    args = ap.parse_args(argv)

    pos, neg = load(args.blind, "safety_positive"), load(args.blind, "safety_negative")
    print(f"blind sets: {len(pos)} positives, {len(neg)} negatives from {args.blind}")
    runs: list[tuple[str, Callable[[], Callable[[str], str | None]]]] = []
    if not (args.no_rules and args.nlu):
        runs.append(("rules", rules_detector))
    if args.nlu:
        runs.append(("nlu", lambda: nlu_detector(args.nlu, args.min_mass)))
    for name, make in runs:
        detect = make()
        start = time.perf_counter()
        counts, failures = evaluate(detect, pos, neg)
        took = time.perf_counter() - start
        for split in ("dev", "test", "all"):
            print(f"\n== {name}: {split} split")
            print(report(counts, split))
        print(f"({name}: {took / max(1, len(pos) + len(neg)) * 1000:.1f} ms a message)")
        if args.show == "dev":
            print(f"\n== {name}: dev-split failures")
            for f in failures:
                if f["split"] != "dev":
                    continue
                what = f"fired {f['fired']}" if f["set"] == "negative" else f"missed (kind {f['kind']})"
                print(f"- [{f['set']} {' '.join(f['labels'])}] {what}: {f['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
