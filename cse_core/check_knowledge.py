"""`python -m cse_core.check_knowledge`: validate knowledge/ and say what it holds."""

from __future__ import annotations

import sys

from cse_core import talk
from cse_core.knowledge import KnowledgeError, load


def main() -> int:
    try:
        k = load()
        conversation = talk.load(k)  # followups, dialogue cues, other areas' terms, signs
    except KnowledgeError as exc:
        print(f"knowledge/ is invalid: {exc}", file=sys.stderr)
        return 1
    print(
        f"knowledge/ is valid: {len(k.entries)} entries for {len(k.by_intent)} topic intents, "
        f"{len(k.contacts)} contacts, {len(k.indicators)} indicators, {len(k.pathways)} pathways, "
        f"rules {k.risk_rules['version']}; {sum(len(f) for f in conversation.facts.values())} follow-up facts, "
        f"{len(conversation.terms)} other areas' terms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
