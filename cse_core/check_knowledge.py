"""`python -m cse_core.check_knowledge`: validate knowledge/ and say what it holds."""

from __future__ import annotations

import sys

from cse_core.knowledge import KnowledgeError, load


def main() -> int:
    try:
        k = load()
    except KnowledgeError as exc:
        print(f"knowledge/ is invalid: {exc}", file=sys.stderr)
        return 1
    print(
        f"knowledge/ is valid: {len(k.entries)} entries for {len(k.by_intent)} topic intents, "
        f"{len(k.contacts)} contacts, {len(k.indicators)} indicators, {len(k.pathways)} pathways, "
        f"rules {k.risk_rules['version']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
