"""Print the per-intent NLU report of the held-out set and fail below a weighted F1.

Usage: python scripts/nlu_gate.py results/nlu/intent_report.json --min-f1 0.90
"""

from __future__ import annotations

import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--min-f1", type=float, default=0.90)
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as f:
        report = json.load(f)
    rows = sorted((k, v) for k, v in report.items() if isinstance(v, dict) and "support" in v and k not in {"micro avg", "macro avg", "weighted avg"})
    print(f"{'intent':32} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>4}")
    for name, v in rows:
        print(f"{name:32} {v['precision']:9.2f} {v['recall']:7.2f} {v['f1-score']:6.2f} {v['support']:4}")
    weighted = report["weighted avg"]["f1-score"]
    print(f"\nweighted F1 on the held-out set: {weighted:.3f} (gate {args.min_f1:.2f}, n={report['weighted avg']['support']})")
    if weighted < args.min_f1:
        print("NLU gate FAILED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
