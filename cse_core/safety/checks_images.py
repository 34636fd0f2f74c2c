"""Post-checks on images: sexual images asked for, demanded or held over a child (sextortion),
not pictures of a puppy or of the process map."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from cse_core.safety.age import _own_age
from cse_core.safety.checks_agents import _CARER_AGENTS, _agent_is_other
from cse_core.safety.checks_company import _adult_in_life, _risky_company
from cse_core.safety.lexicon import _lexicon, word_list
from cse_core.safety.tokens import _agent

if TYPE_CHECKING:
    from cse_core.safety.rule import Hit

# Word lists of word_lists.yml (what each is for is said there).
_INSISTENCE = word_list("insistence_words")
_IMAGE_THREATS = word_list("image_threat_words")
_SEXUAL_CONTENT = word_list("sexual_content_words")
_COERCIVE = word_list("coercive_verbs")
_SEXUAL_REQUEST_WORDS = word_list("sexual_request_words")
_NOT_IMAGE_WORDS = word_list("not_image_words")
_EXPOSURE_WORDS = word_list("exposure_words")


def _image_agent_other(doc: Doc, hit: Hit) -> bool:
    """"He'll share my pics" yes; "should I send my pics" no; "he's got pictures" only when a
    person (not "the guidance") has them."""
    if "x" in hit.slots:
        return _agent(doc, hit) in _lexicon()["AGENT"] - {"i", "we"}
    return _agent_is_other(doc, hit)


def _images_held_over(doc: Doc, hit: Hit) -> bool:
    """A threat to spread "them"/"it" is sextortion when images were named before it and the
    threat is used as leverage ("unless he pays", "or she has to meet him") or says
    "threatening"; "the school will send them home tomorrow" is not."""
    lex = _lexicon()
    before = {t.lower_ for t in doc[: hit.start]}
    if not before & (lex["IMAGE"] | lex["SEXUAL_IMAGE"]) - _NOT_IMAGE_WORDS:
        return False
    if "a" in hit.slots and not _agent_is_other(doc, hit):
        return False
    if _agent(doc, hit) in _CARER_AGENTS:
        return False
    if doc[hit.start].lower_.startswith("threat"):
        return True
    after = " ".join(t.lower_ for t in doc[hit.end: hit.end + 14])
    return bool(re.search(r"\b(unless|or else|otherwise|if (he|she|they) (do|does|did) n't|pay|pays|"
                          r"money|£|more|meets?)\b", after))


def _exposure_context(doc: Doc) -> bool:
    """Something to expose: images, a video, or sexual acts ("what I did")."""
    words = {t.lower_ for t in doc}
    lex = _lexicon()
    return bool(words & (lex["IMAGE"] | lex["SEXUAL_IMAGE"] | _EXPOSURE_WORDS))


def _request_context(doc: Doc, hit: Hit) -> bool:
    """"He keeps asking for more" is about images only when images were mentioned."""
    if doc[hit.end - 2].lower_ == "for":
        return _exposure_context(doc)
    return True


def _sexual_content(doc: Doc, hit: Hit) -> bool:
    """"He sent me pictures" is a disclosure when they are sexual."""
    words = {t.lower_ for t in doc[hit.start: hit.end + 6]}
    return bool(words & (_lexicon()["SEXUAL_IMAGE"] | _lexicon()["BODY"] | _SEXUAL_CONTENT))


def _image_pressure(doc: Doc, hit: Hit) -> bool:
    """Asking a child for images is pressure when it is sexual, insistent, threatening or
    from an adult: "he keeps demanding pics", "a man is asking her for nudes"."""
    lex = _lexicon()
    words = {t.lower_ for t in doc}
    if words & (lex["SEXUAL_IMAGE"] | _SEXUAL_REQUEST_WORDS):
        return True
    if any(t.lower_ in lex["DEMAND_V"] for t in doc[max(0, hit.start - 2): hit.end]):
        return True
    if words & _IMAGE_THREATS:
        return True
    return _risky_company(doc)


def _image_coerced(doc: Doc, hit: Hit) -> bool:
    """Images demanded with a coercive verb: danger by its nature."""
    if _agent(doc, hit) in _CARER_AGENTS:
        return False
    words = {t.lower_ for t in doc}
    sexual = words & (_lexicon()["SEXUAL_IMAGE"] | {"porn", "sexual"})
    if any(t.lower_ in _COERCIVE for t in doc[hit.start: hit.end]):
        return True
    return bool(sexual) and _risky_company(doc) and not words & _lexicon()["WORRY"]


def _images_of_a_thing(doc: Doc) -> bool:
    """"Pics of my new puppy", "photos of the house": images of something, not of the child."""
    text = " ".join(t.lower_ for t in doc)
    return bool(re.search(r"\b(pictures|picture|photos|photo|videos|video|images) of (my|his|her|the|a|our|your) "
                          r"(?!body|privates|bum|boobs|chest)", text))


def _image_request_pressure(doc: Doc) -> bool:
    """Asked for images by someone insisting, threatening, older, online or a trusted adult,
    or by anyone when the child gives an age under 18."""
    words = {t.lower_ for t in doc}
    text = " ".join(t.lower_ for t in doc)
    if _images_of_a_thing(doc):
        return False
    if words & _INSISTENCE:
        return True
    if re.search(r"(do n't|not) want|(wo n't|not|never) stop|if i (do n't|dont|block|stop|say)", text):
        return True
    age = _own_age(doc)
    return (age is not None and age < 18) or _adult_in_life(doc)
