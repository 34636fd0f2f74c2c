"""`python -m cse_core.report`: completed pre-screens counted by month, level, pathway and
indicator, as tables and a PNG chart, from the anonymous screening records (issue 5).

Usage: python -m cse_core.report [--out var/report/screenings.png]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cse_core import knowledge, records, storage

CONCERN = {"low", "medium", "high"}


def summarise(engine: Engine) -> dict[str, collections.Counter]:
    records.migrate(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(records.screening_records)).mappings().all()
    k = knowledge.get()
    names = {i.id: i.name for i in k.indicators}
    out: dict[str, collections.Counter] = {
        "month": collections.Counter(), "level": collections.Counter(), "pathway": collections.Counter(),
        "indicator": collections.Counter(),
    }
    for row in rows:
        out["month"][row["completed_at"].strftime("%Y-%m")] += 1
        out["level"][row["level"]] += 1
        out["pathway"][row["pathway"]] += 1
        for column in records.RATING_COLUMNS:
            if row[f"ind_{column}"] in CONCERN:
                out["indicator"][names[column]] += 1
    return out


def table(title: str, counter: collections.Counter, sort_by_key: bool = False) -> str:
    items = sorted(counter.items()) if sort_by_key else counter.most_common()
    width = max([len(title)] + [len(str(k)) for k, _ in items])
    lines = [f"{title:<{width}}  count", f"{'-' * width}  -----"]
    lines += [f"{k!s:<{width}}  {v:5d}" for k, v in items] or ["(none)"]
    return "\n".join(lines)


def chart(summary: dict[str, collections.Counter], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    panels = [("month", "Pre-screens by month", True), ("level", "By indicative level (own rules)", False),
              ("pathway", "By case status (pathway)", False), ("indicator", "Indicators rated above no concern", False)]
    for ax, (key, title, by_key) in zip(axes.flat, panels, strict=True):
        items = sorted(summary[key].items()) if by_key else summary[key].most_common(10)
        labels, values = [str(k) for k, _ in items], [v for _, v in items]
        (ax.barh if key == "indicator" else ax.bar)(labels, values, color="#2b6f8e")
        ax.set_title(title)
        if key != "indicator":
            ax.tick_params(axis="x", rotation=30)
    fig.suptitle("CSE pre-screens (anonymous records)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(storage.ROOT / "var" / "report" / "screenings.png"))
    args = parser.parse_args(argv)
    engine = storage.make_engine()
    storage.check(engine)
    summary = summarise(engine)
    print(table("month", summary["month"], sort_by_key=True), end="\n\n")
    print(table("indicative level (pre-screen rules)", summary["level"]), end="\n\n")
    print(table("pathway", summary["pathway"]), end="\n\n")
    print(table("indicator", summary["indicator"]), end="\n\n")
    print(f"chart: {chart(summary, Path(args.out))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
