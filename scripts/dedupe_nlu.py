"""Report (and with --fix drop) NLU examples that repeat, within or across intents.

Usage: python scripts/dedupe_nlu.py data/nlu/*.yml [--fix]
"""

from __future__ import annotations

import re
import sys


def norm(text: str) -> str:
    return re.sub(r"[^\w ]+", "", text.lower()).strip()


def main(paths: list[str], fix: bool) -> int:
    seen: dict[str, tuple[str, str]] = {}
    clashes = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        out, intent = [], None
        for line in lines:
            m = re.match(r"^- intent: (\S+)", line)
            if m:
                intent = m[1]
            ex = re.match(r"^    - (.*)$", line)
            if ex and intent:
                key = norm(ex[1])
                if key in seen:
                    other_intent = seen[key][1]
                    kind = "same intent" if other_intent == intent else f"ALSO IN {other_intent}"
                    print(f"{path}: {intent}: {ex[1]!r} ({kind})")
                    clashes += other_intent != intent
                    if fix:
                        continue
                else:
                    seen[key] = (path, intent)
            out.append(line)
        if fix:
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(out))
    return 1 if clashes and not fix else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--fix"]
    sys.exit(main(args, "--fix" in sys.argv))
