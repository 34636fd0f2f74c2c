"""`python -m cse_core.purge [--days N]`: delete conversations older than the retention
period (default CSE_RETENTION_DAYS or 30). Schedulable, e.g. from cron:
    17 3 * * *  cd /srv/cse && make purge
"""

from __future__ import annotations

import argparse
import sys

from cse_core import storage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Delete conversation events older than the retention period.")
    parser.add_argument("--days", type=int, default=storage.retention_days())
    args = parser.parse_args(argv)
    engine = storage.make_engine()
    try:
        storage.check(engine)
    except storage.StorageUnavailable as exc:
        print(f"purge failed: {exc}", file=sys.stderr)
        return 2
    deleted = storage.purge(engine, args.days)
    print(f"deleted {deleted} conversation events older than {args.days} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
