"""Who the victim of a match is: the speaker, one real child, a generic or a plural one; and
whether the speaker is the child at risk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from cse_core.safety.lexicon import _lexicon, word_list
from cse_core.safety.patterns import _NOUN_MODIFIERS
from cse_core.safety.result import DISCLOSURE
from cse_core.safety.rule import FIRST, GENERIC, PLURAL, THIRD, Hit
from cse_core.safety.tokens import _sentence_of

if TYPE_CHECKING:
    from cse_core.safety.context import _Context

# Word lists of word_lists.yml (what each is for is said there).
_PLURAL_PEOPLE = word_list("plural_people")
_OTHER_CHILD_WORDS = word_list("other_child_words")
_GROUP_WORDS = word_list("group_words")


def _determiner(doc: Doc, i: int) -> str:
    """The nearest determiner or possessive to the left of a noun ("my 14 year old daughter")."""
    lex = _lexicon()
    for tok in reversed(doc[max(0, i - 5): i]):
        word = tok.lower_
        if word in lex["SPECIFIC_DET"] or word in lex["GENERIC_DET"] or word == "xxname":
            return word
        if not (tok.like_num or word in _NOUN_MODIFIERS):
            break  # "abusers show children": a verb, so "children" has no determiner
    return ""


def _victim_class(doc: Doc, i: int) -> str:
    """Who the person word at i is: the speaker, one real child, a generic or plural one."""
    lex = _lexicon()
    word = doc[i].lower_
    if word in lex["FIRST_SUBJ"] | lex["FIRST_OBJ"] | {"my", "our"}:
        return FIRST
    if word in {"they", "them", "themselves"}:
        sentence_words = {t.lower_ for t in _sentence_of(doc, i)}
        plural_people = _PLURAL_PEOPLE | lex["GENERIC_AGENT"]
        if not sentence_words & plural_people:
            return THIRD
        # "two of our girls ... they're going back": the group is named with "our", "my"
        groups = [t for t in _sentence_of(doc, i) if t.lower_ in plural_people]
        specific = all(_determiner(doc, t.i) in lex["SPECIFIC_DET"] and t.lower_ not in lex["GENERIC_AGENT"]
                       for t in groups)
        return THIRD if specific else PLURAL
    if word in lex["P3"] or word in lex["RELATION"]:
        return THIRD
    if word in lex["INDEF"]:
        return GENERIC
    det = _determiner(doc, i)
    if det in lex["SPECIFIC_DET"] or det == "xxname":
        return THIRD
    plural = (word.endswith("s") and word not in {"boss"}) or word in {"children", "people"}
    return PLURAL if plural and det not in {"a", "an"} else GENERIC


def _victim_ok(ctx: _Context, hit: Hit) -> tuple[bool, str]:
    """Is the victim one this rule accepts, and which class is it?"""
    if "v" not in hit.slots and hit.rule.lookback:
        index = _nearest_person(ctx, hit.start)
        if index is None:
            return False, ""
        hit.slots["v"] = index
    if "v" not in hit.slots:
        if hit.rule.kind == DISCLOSURE:  # the speaker is the child unless a child is named
            return _speaker_is_victim(ctx, hit), FIRST
        return True, THIRD
    index = hit.slots["v"]
    victim = _victim_class(ctx.doc, index)
    if hit.rule.kind == DISCLOSURE and ctx.doc[index].lower_ in _lexicon()["FAMILY"] and \
            _determiner(ctx.doc, index) in {"my", "our"}:
        victim = FIRST  # "he'll hurt my mum": a threat against the speaker's family
    if victim == PLURAL:
        if _present_group(ctx, index) and GENERIC in hit.rule.victims:
            return True, GENERIC  # judged as "a child": it needs a now cue to be an emergency
        return False, victim
    return victim in hit.rule.victims, victim


def _present_group(ctx: _Context, i: int) -> bool:
    """A group of real children there now ("the girls from the estate ... there are three of
    them up there now", "two boys"), not children in general: "the" or a number before the
    noun, an immediacy cue in the sentence, and no question."""
    doc = ctx.doc
    sent = ctx.sent_of[i]
    if sent in ctx.questions or sent not in ctx.any_now or ctx.doc[i].lower_ in {"people", "victims"}:
        return False
    before = [t for t in doc[max(0, i - 3): i] if ctx.sent_of[t.i] == sent]
    if len(before) >= 2 and before[-1].lower_ == "of" and before[-2].lower_ in _GROUP_WORDS:
        return True  # "a group of girls", "two of the boys"
    return bool(before) and (before[-1].lower_ in {"the", "two", "three", "four", "five", "some",
                                                   "few", "several"} or before[-1].like_num)


def _speaker_is_victim(ctx: _Context, hit: Hit) -> bool:
    """For a disclosure rule with no victim slot ("this guy wants nudes"): the speaker must talk
    in the first person, and not about another child ("a student said she is pressured")."""
    if not ctx.first_person:
        return False
    lex = _lexicon()
    sent = ctx.sent_of[hit.start]
    before = [t for t in ctx.doc[: hit.end] if ctx.sent_of[t.i] == sent]
    others = lex["RELATION"] | _OTHER_CHILD_WORDS
    if any(t.lower_ in others for t in before):
        sentence = {t.lower_ for t in ctx.doc if ctx.sent_of[t.i] == sent}
        return bool(sentence & lex["FIRST_OBJ"]) and not any(
            t.lower_ in lex["RELATION"] for t in before)
    return not ctx.third_party or ctx.speaker_object


def _nearest_person(ctx: _Context, start: int) -> int | None:
    """The nearest victim word to the left of `start` in the same sentence."""
    victims = _lexicon()["VICTIM"]
    for i in range(start - 1, -1, -1):
        if ctx.sent_of[i] != ctx.sent_of[start]:
            return None
        if ctx.doc[i].lower_ in victims:
            return i
    return None
