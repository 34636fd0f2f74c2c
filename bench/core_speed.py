"""Per-message time of the two checks every message goes through: redaction and the safety check.

    python -m bench.core_speed [--rounds 5] [--no-record]

Formerly wall-clock assertions in tests/core (a busy machine failed them without a change in
the code); here they are measured and compared with their budgets: redaction under 10 ms a
message, the safety check under 5 ms. Texts: the safety regression cases
(tests/safety/cases.yml) and the redaction probes (tests/core/data/identifier_probes.txt).
Prints a table and appends one JSON line to bench/results.jsonl (``"kind": "core_speed"``).
A benchmark, not a test: the exit code is 0 unless it could not measure. That redaction
stays linear in the message's length is a test (tests/core/test_redaction_linear.py: a
ratio of CPU times, not a wall-clock limit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.jsonl"
SAFETY_CASES = ROOT / "tests" / "safety" / "cases.yml"
PROBES = ROOT / "tests" / "core" / "data" / "identifier_probes.txt"
BUDGET_S = {"redaction": 0.010, "safety_check": 0.005}


def texts() -> list[str]:
    cases = yaml.safe_load(SAFETY_CASES.read_text(encoding="utf-8"))
    found = [str(t) for kind in ("emergency", "disclosure", "ordinary") for t in cases.get(kind, [])]
    for line in PROBES.read_text(encoding="utf-8").splitlines():
        if line.startswith(" ") and line.strip():
            found.append(line.strip().removeprefix("- ").split("||")[0].strip())
    return found


def per_message(fn: Callable[[str], object], messages: list[str], rounds: int) -> float:
    """The best round's mean seconds per message (the least disturbed by other load)."""
    fn("warm up")  # matchers and tables are built once, on first use
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for text in messages:
            fn(text)
        best = min(best, (time.perf_counter() - start) / len(messages))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.core_speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/results.jsonl")
    args = parser.parse_args(argv)

    from cse_core import redaction, safety

    redaction.warm_up()
    messages = texts()
    figures = {"redaction": per_message(redaction.redact, messages, args.rounds),
               "safety_check": per_message(safety.check, messages, args.rounds)}
    print(f"\nPer message over {len(messages)} messages, best of {args.rounds} rounds:")
    print(f"{'':14} {'ms':>8} {'budget ms':>10}")
    summary = {}
    for name, seconds in figures.items():
        over = seconds > BUDGET_S[name]
        summary[name] = {"ms": round(seconds * 1000, 3), "budget_ms": BUDGET_S[name] * 1000, "over_budget": over}
        print(f"{name:14} {seconds * 1000:>8.3f} {BUDGET_S[name] * 1000:>10.1f}{'  OVER BUDGET' if over else ''}")
    if not args.no_record:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
        with open(RESULTS, "a", encoding="utf-8") as f:
            f.write(json.dumps({"kind": "core_speed", "commit": commit, "messages": len(messages),
                                "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                                "figures": summary}, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
