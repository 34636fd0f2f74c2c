"""Post-checks on captivity, missing children, abduction, being moved and plans: a place or
"against her will", not "missing school", not a school sanction, not a carer's plan."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from cse_core.safety.checks_agents import _CARER_AGENTS, _OFFICIAL_VISITS, _not_official
from cse_core.safety.checks_company import _dangerous_company, _risky_company
from cse_core.safety.lexicon import _lexicon, alternation, word_list
from cse_core.safety.tokens import _agent, _clause_rest, _next

if TYPE_CHECKING:
    from cse_core.safety.rule import Hit

# Word lists of word_lists.yml (what each is for is said there).
_SERVICE_PEOPLE = word_list("service_people")
_ORDINARY_TRIPS = word_list("ordinary_trips")
_MISSED_THINGS = word_list("missed_things")
_MENACE_WORDS = word_list("menace_words")
_LIFT_GONE_WRONG = word_list("lift_gone_wrong_words")
_HOUSE_RULE_AGENTS = word_list("house_rule_agents")
_ORDINARY_OUTINGS = word_list("ordinary_outings")
_OTHER_PLACE = word_list("other_place_words")
_SCHOOL_TIMES = word_list("school_times")
_DISPUTES = word_list("disputes")
_DOORSTEP_PLACES = word_list("doorstep_places")
_KEPT_IN_VERBS = word_list("kept_in_verbs")
_HELD_VERBS = word_list("held_verbs")
_MOVED_NOW_WORDS = word_list("moved_now_words")
_TOOK_ME_VERBS = word_list("took_me_verbs")
_PROMISE_VERBS = word_list("promise_verbs")


def _held_somewhere(doc: Doc, hit: Hit) -> bool:
    """"held/kept/keeping" mean captivity only with a place or "against her will"."""
    verb = doc[hit.slots.get("pp", hit.end - 1)].lower_
    nxt = _next(doc, hit.end)
    if nxt in {"herself", "himself", "myself", "themselves", "yourself"}:
        return False  # "she's locked herself in her room"
    if verb not in _HELD_VERBS:
        return True
    return nxt in {"at", "in", "against", "there", "prisoner", "hostage", "captive", "inside",
                   "somewhere", "up", "down", "locked", "until", "by", "", ".", "!", ","}


def _leave_not_person(doc: Doc, hit: Hit) -> bool:
    """"She can't get away/out/home" is danger; "she can't leave him" is a trauma bond."""
    last = doc[hit.end - 1].lower_
    nxt = _next(doc, hit.end)
    if _agent(doc, hit) in _HOUSE_RULE_AGENTS:
        return False  # "my mum won't let me go out": a parent's rule, not captivity
    if last == "get":
        return nxt in {"away", "out", "home", "back", "free", "off", "outside", ""} or \
            doc[min(hit.end, len(doc) - 1)].is_punct
    if last in {"go", "come", "out"}:
        return nxt not in _ORDINARY_OUTINGS
    if last == "leave":
        return nxt not in {"him", "them", "her", "his", "their", "my", "the", "that", "this"} or \
            _next(doc, hit.end + 1) in _lexicon()["PLACE"]
    return True


_WHEREABOUTS_KNOWN = re.compile(
    r"\bbut (she|he|they) ('s|is|are|'re) (at|with) (her |his |their |the )?(\w+ )?"
    rf"({alternation(word_list('ordinary_whereabouts'))})\b")


def _missing_not_object(doc: Doc, hit: Hit) -> bool:
    """"She's missing" yes; "she's missing school" no; "gone" needs "missing/off/with"; "she hasn't
    come home yet but she's at drama club" is known to be somewhere ordinary."""
    if _WHEREABOUTS_KNOWN.search(" ".join(t.lower_ for t in doc)):
        return False
    last = doc[hit.end - 1].lower_
    nxt = _next(doc, hit.end)
    if last == "missing":
        return nxt not in _MISSED_THINGS
    if last == "gone":
        return nxt in {"missing", "off", "since", "again", "all", "overnight", "for", "with",
                       "", ".", ",", "and", "two", "three", "days", "hours"} or \
            (hit.end < len(doc) and doc[hit.end].like_num)
    return True


def _not_followed_by_noun(doc: Doc, hit: Hit) -> bool:
    """"they've got her" is captivity; "they've got her phone" is not."""
    if hit.slots.get("v") != hit.end - 1:
        return True
    nxt = _next(doc, hit.end)
    if nxt == "to":
        return bool({t.lower_ for t in doc[hit.end: hit.end + 4]} & _lexicon()["PLACE"])
    return nxt in {"", "at", "in", "locked", "there", "and", ".", "!", ",", "now", "right",
                   "somewhere", "with", "inside", "hostage", "prisoner", "tied", "trapped"}


def _not_removed_from(doc: Doc, hit: Hit) -> bool:
    """"Taken off the street" is a kidnap; "taken off the bus for not having a ticket", "taken
    off the team" or "taken off her meds" is someone removed from something."""
    off = next((i for i in range(hit.start, min(hit.end + 1, len(doc))) if doc[i].lower_ == "off"), None)
    if off is None:
        return True
    after = [t.lower_ for t in doc[off + 1: off + 4]]
    if not after:
        return True
    if after[0] in _lexicon()["REMOVED_FROM"]:
        return False
    if after[0] in {"the", "a", "an", "her", "his", "their", "my", "our", "its"} and len(after) > 1:
        noun = after[1] if after[1] not in {"school", "local", "last", "first", "next"} else after[-1]
        return noun not in _lexicon()["REMOVED_FROM"]
    return True


def _menacing_presence(doc: Doc, hit: Hit) -> bool:
    """Someone outside now is danger when the message says why: he follows, stalks or
    threatens the child, or is a dangerous adult; a carer outside is not."""
    if doc[hit.slots.get("a", hit.start)].lower_ in _CARER_AGENTS or _agent(doc, hit) in _CARER_AGENTS:
        return False
    agent = hit.slots.get("a", hit.start)
    if (agent > 0 and doc[agent - 1].lower_ in _SERVICE_PEOPLE) or \
            {t.lower_ for t in doc} & {"booked", "ordered", "arranged"}:
        return False  # "the taxi man is waiting for my son", "the lift we booked"
    if not any(t.lower_ in {"outside", "downstairs"} for t in doc[hit.start: hit.end]) or \
            doc[hit.end - 1].lower_ in _DOORSTEP_PLACES:
        return True  # the rule's original patterns
    words = {t.lower_ for t in doc}
    return bool(words & (_MENACE_WORDS | (_lexicon()["DANGER_PERSON"] - {"someone", "somebody", "older"})))


def _not_school_sanction(doc: Doc, hit: Hit) -> bool:
    """"Kept in at break for talking", "kept back after school" is a sanction, not captivity."""
    after = {t.lower_ for t in doc[hit.end: hit.end + 4]}
    return not (doc[hit.end - 1].lower_ in _KEPT_IN_VERBS and after & _SCHOOL_TIMES)


def _not_dragged_into_a_dispute(doc: Doc, hit: Hit) -> bool:
    """"Dragged into an argument", "pulled into the drama" is not an abduction."""
    after = [t.lower_ for t in doc[hit.end: hit.end + 3]]
    if after[:1] in (["into"], ["in"]):
        after = after[1:]
    elif doc[hit.end - 1].lower_ not in {"into", "in"}:
        return True
    words = [w for w in after if w not in {"a", "an", "the", "their", "his", "her", "some"}]
    return not (words and words[0] in _DISPUTES)


def _lift_gone_wrong(doc: Doc, hit: Hit) -> bool:
    """The promised lift home is only danger when the message then says it went elsewhere:
    "but" and now, a motorway, miles away, the wrong way, somewhere unknown."""
    if doc[hit.start].lower_ not in _PROMISE_VERBS:
        return True
    after = [t.lower_ for t in doc[hit.end:]]
    if "but" not in after:
        return False
    rest = set(after[after.index("but"):])
    return bool(rest & _LIFT_GONE_WRONG)


def _took_me_somewhere(doc: Doc, hit: Hit) -> bool:
    """"They take me to a flat" is a disclosure when the place has dangerous company."""
    if doc[hit.start].lemma_ in _TOOK_ME_VERBS and "act" not in hit.slots:
        return _dangerous_company(doc, hit)
    return True


def _reluctant_me(doc: Doc, hit: Hit) -> bool:
    """The speaker is the one taken and does not want it: "he's picking me up later and I
    don't want to go", "they're making me go tonight, I'm scared"."""
    words = [t.lower_ for t in doc]
    if not set(words) & {"me", "us"}:
        return False
    text = " ".join(words)
    return bool(re.search(r"(do n't|not|never) want to|scared|frightened|terrified|petrified|"
                          r"have to|make me|making me|made me|or they|or he|or else", text))


def _planned_danger(doc: Doc, hit: Hit) -> bool:
    """A plan is danger when it is not a carer's ordinary plan and the company is risky (or
    the child speaking does not want to go)."""
    if _agent(doc, hit) in _CARER_AGENTS:
        return False
    going_to = {t.lower_ for t in _clause_rest(doc, hit.end, 8)}
    if going_to & _OFFICIAL_VISITS:
        return False  # "we're meeting the police tomorrow about the men"
    mover = doc[hit.slots["v"]].lower_ if "v" in hit.slots else ""
    if mover in {"i", "we"}:  # "I'm meeting her tomorrow about the men": a worker's plan
        lex = _lexicon()
        risky = going_to & (lex["ADULT_COMPANY"] | {"his", "their", "hotel", "trap"})
        return _reluctant_me(doc, hit) or bool(risky and not going_to & {"about", "who", "her", "him"})
    if going_to & _ORDINARY_TRIPS and not going_to & _lexicon()["ADULT_COMPANY"]:
        return False  # "going to a hotel for a swimming gala with the club"
    return _risky_company(doc) or _reluctant_me(doc, hit)


def _moved_away(doc: Doc, hit: Hit) -> bool:
    """Being moved now: with risky company, or "to another town", "a different flat"."""
    if _agent(doc, hit) in _CARER_AGENTS or not _not_official(doc, hit):
        return False
    after = [t.lower_ for t in _clause_rest(doc, hit.end, 8)]
    if "by" in after and set(after[after.index("by") + 1:][:3]) & _CARER_AGENTS and not set(
            after) & _lexicon()["ADULT_COMPANY"]:
        return False  # "picked up by her dad"
    if set(after) & _OFFICIAL_VISITS - {"meeting"}:
        return False  # "taken to the police station"
    words = [t.lower_ for t in doc]
    moved = any(w in _OTHER_PLACE and
                words[i + 1: i + 2] and words[i + 1] in _lexicon()["DESTINATION"] | _lexicon()["PLACE"]
                for i, w in enumerate(words[:-1]))
    soon = _MOVED_NOW_WORDS
    return moved or bool(set(words) & soon) or _risky_company(doc) or _reluctant_me(doc, hit)
