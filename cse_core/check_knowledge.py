"""`python -m cse_core.check_knowledge`: validate knowledge/, check its provenance, say what it holds.

Run by `make validate` (and so by `make test`): it fails when knowledge/ does not load, or
when a statement is neither found in the section of the guidance it cites nor marked as the
assistant's own advice, or a link is neither the guidance's nor marked as added and checked
(cse_core/provenance.py; `python -m cse_core.provenance --marked` prints the full report).
"""

from __future__ import annotations

import sys

from cse_core import provenance, talk
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
    report = provenance.check()
    if not report.ok:
        print(report.text(), file=sys.stderr)
        return 1
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
