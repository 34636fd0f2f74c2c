"""Post-checks on who does it: someone other than the speaker, a carer or an official (not
danger), a figure of speech ("my mum's going to kill me", "hit me up")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from cse_core.safety.lexicon import word_list
from cse_core.safety.tokens import _agent, _next

if TYPE_CHECKING:
    from cse_core.safety.rule import Hit

# Word lists of word_lists.yml (what each is for is said there).
_WORK_AGENTS = word_list("work_agents")
_OFFICIAL_BODIES = word_list("official_bodies")
_ORDINARY_JOURNEYS = word_list("ordinary_journeys")
_CARER_AGENTS = word_list("carer_agents")
_OFFICIAL_VISITS = word_list("official_visits")
_KILL_IDIOM_AGENTS = word_list("kill_idiom_agents")
_KILL_IDIOM_FAMILY = word_list("kill_idiom_family")
_TOUCH_IDIOM_AGENTS = word_list("touch_idiom_agents")
_IDIOM_VERBS_WITH_OBJECT = word_list("idiom_verbs_with_object")
_ABDUCTION_WORDS = word_list("abduction_words")
_DRIVER_PERSONS = word_list("driver_persons")
_SECRECY_VERBS = word_list("secrecy_verbs")
_SECRET_SHARERS = word_list("secret_sharers")


def _agent_is_other(doc: Doc, hit: Hit) -> bool:
    """Someone else does it to the speaker: not "I", "you", "it" ("it hurts me"), and not
    someone met at work."""
    return _agent(doc, hit) not in {"i", "we", "you", "it", "this", "that", "which", "what",
                                    "u", "ya"} | _WORK_AGENTS


def _not_idiom(doc: Doc, hit: Hit) -> bool:
    """Exclude "hit me up", "beat me at fifa", "kick me out", "sold me a phone"."""
    nxt = _next(doc, hit.end)
    verb = doc[hit.start].lemma_
    if verb == "hit" and nxt in {"up", "back"}:
        return False
    if verb in {"beat", "kick"} and nxt in {"at", "in", "out", "to"}:
        return False
    if verb in _IDIOM_VERBS_WITH_OBJECT and nxt in {"a", "an", "the", "some"}:
        return False
    agent = _agent(doc, hit)
    if verb == "kill" and agent in _KILL_IDIOM_FAMILY:
        return False  # "my mum's going to kill me"
    if verb == "touch" and agent in _TOUCH_IDIOM_AGENTS:
        return False
    if verb == "follow" and nxt in {"on", "online", "back", "in"}:
        return False  # "he follows me on instagram"
    return _agent_is_other(doc, hit)


def _not_self_family_kill(doc: Doc, hit: Hit) -> bool:
    """"My mum's going to kill me" is an idiom, not a threat."""
    agent = _agent(doc, hit)
    return agent not in _KILL_IDIOM_AGENTS


def _not_official(doc: Doc, hit: Hit) -> bool:
    """"Social services have taken her into care" is not an abduction."""
    words = {t.lower_ for t in doc}
    official = _OFFICIAL_BODIES
    if re.search(r"\b(into|in) care\b", " ".join(t.lower_ for t in doc)):
        official = official | {"care"}  # "taken into care"; not "a girl from our care home"
    return not words & official or bool(words & _ABDUCTION_WORDS)


def _driver_not_carer(doc: Doc, hit: Hit) -> bool:
    """"He's driving me somewhere" is danger; "dad's driving us somewhere for my birthday", or
    a bus going the wrong way, is not: someone other than a carer drives, and a person ("he",
    "the man") is named."""
    words = {t.lower_ for t in doc}
    if words & (_CARER_AGENTS - {"i", "we", "you"}) or words & _ORDINARY_JOURNEYS:
        return False
    return bool(words & _DRIVER_PERSONS)


def _secret_keeper(doc: Doc, hit: Hit) -> bool:
    """"He told me not to tell" is an abuser's secrecy; "the police told me not to tell" and
    "she (my daughter) told me not to tell her dad" are not."""
    if doc[hit.start].lower_ not in _SECRECY_VERBS:
        return True
    return _agent_is_other(doc, hit) and _agent(doc, hit) not in _SECRET_SHARERS


def _requester_is_other(doc: Doc, hit: Hit) -> bool:
    """Someone else asks: "he wants nudes", "I keep getting asked for nudes" (passive)."""
    before = doc[hit.start - 1].lower_ if hit.start else ""
    return before in {"getting", "being", "been", "got", "get", "gets"} or \
        _agent_is_other(doc, hit)


def _supplier_not_carer(doc: Doc, hit: Hit) -> bool:
    """"They're giving her vodka" yes; "the nurse is giving her pills" no."""
    return _agent(doc, hit) not in _CARER_AGENTS
