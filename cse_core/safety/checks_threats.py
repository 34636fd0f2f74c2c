"""Post-checks on threats: against the child or their family, used as leverage or with a demand,
not a sanction ("the school threatened my son with exclusion")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from cse_core.safety.checks_agents import _CARER_AGENTS, _not_self_family_kill
from cse_core.safety.lexicon import _lexicon, word_list
from cse_core.safety.tokens import _agent, _next

if TYPE_CHECKING:
    from cse_core.safety.rule import Hit

# Word lists of word_lists.yml (what each is for is said there).
_SAID_WORDS = word_list("said_words")
_SANCTION_VERBS = word_list("sanction_verbs")
_SANCTION_NOUNS = word_list("sanction_nouns")
_SANCTION_AGENTS = word_list("sanction_agents")
_SANCTION_GIVERS = word_list("sanction_givers")
_DEMAND_WORDS = word_list("demand_words")
_SOFT_THREAT_VERBS = word_list("soft_threat_verbs")
_VEILED_THREAT_WORDS = word_list("veiled_threat_words")


def _leverage(doc: Doc, hit: Hit) -> bool:
    """"He'll hurt my sister if I don't go" is a threat used to control the child speaking:
    their disclosure. Told about another child ("he'll kill her if she tells") it is a threat
    to that child, reported now (issue 12)."""
    text = " ".join(t.lower_ for t in doc[hit.start:])
    return bool(re.search(r"\b(if|unless) (i|we)\b", text))


def _threat_victim_mine(doc: Doc, hit: Hit) -> bool:
    """"He'll hurt my mum": a family member counts only with "my"."""
    victim = hit.slots.get("v")
    if victim is None:
        return True
    soft = {t.lower_ for t in doc[hit.start: victim]} & _SOFT_THREAT_VERBS
    if soft and (_agent(doc, hit) in _CARER_AGENTS or (_agent(doc, hit) in {"he", "she", "they"} and any(
            t.lower_ in _CARER_AGENTS - {"i", "we", "you"} for t in doc[max(0, hit.start - 6): hit.start]))):
        return False  # "my mum said she'll come for me after school", "dad will get me"
    if soft and _next(doc, victim + 1) in {"home", "back", "to", "out", "from", "a", "some", "up", "off"}:
        return False  # "he said he'd take me home", "she'll get me from school"
    if doc[victim].lower_ in _lexicon()["FAMILY"]:
        return (victim > 0 and doc[victim - 1].lower_ in {"my", "our"}) or (
            victim > 1 and doc[victim - 2].lower_ in {"my", "our"})
    return _not_self_family_kill(doc, hit)


def _threat_not_sanction(doc: Doc, hit: Hit) -> bool:
    """A threat from someone who is not a carer, and not a sanction ("the school threatened my
    son with exclusion", "warned her to be careful", "threatened to take her phone")."""
    if _agent(doc, hit) in _CARER_AGENTS | _SANCTION_AGENTS:
        return False
    words = {t.lower_ for t in doc[: hit.start]}
    if words & _SANCTION_GIVERS and \
            doc[hit.start].lower_.startswith(("threat", "warn")):
        return False
    said = _SAID_WORDS
    veiled = {t.lower_ for t in doc[hit.start: hit.end]} & _VEILED_THREAT_WORDS
    if veiled and not {t.lower_ for t in doc[max(0, hit.start - 8): hit.start]} & said:
        return False  # "my son will regret not revising": only a threat when someone said it
    after = [t.lower_ for t in doc[hit.end: hit.end + 3]]
    if after[:1] == ["with"] and set(after[1:]) & _SANCTION_NOUNS:
        return False
    if after[:1] in (["to"], ["not"], ["about"], ["that"], ["off"]) and doc[hit.start].lower_.startswith("warn"):
        return False  # "warned her to be careful", "warned him about men online"
    sanctions = _SANCTION_VERBS
    return not (len(after) > 1 and after[0] == "to" and after[1] in sanctions)


def _threat_context(doc: Doc) -> bool:
    """A threat is danger with a demand or a deadline: money, paying, images, meeting, "by
    tonight", "or else"."""
    words = {t.lower_ for t in doc}
    return bool(words & (_DEMAND_WORDS | _lexicon()["IMAGE"]))
