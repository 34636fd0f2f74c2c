"""The detector: the compiled matchers, the matches that pass their post-checks, the fallbacks
(co-occurrence, age gap) and :func:`read` / :func:`check`.

Method: the text is normalised (:mod:`.normalise`), tokenised and lemmatised by the shared spaCy
pipeline (:func:`cse_core.nlp.get_nlp`), then matched with spaCy ``Matcher`` patterns written in
a small pattern language (:mod:`.patterns`) over the word classes of ``lexicon.yml``. Each
match names a rule (:mod:`.rules`) and the victim token it found; the guards (:mod:`.guards`,
:mod:`.frames`) then look at the message's cues (:mod:`.context`: negation, hypotheticals,
guidance questions, modality, habit, historic time, screening ratings) and at who the victim is
(:mod:`.victims`) and decide whether the rule fires."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from cse_core.nlp import get_nlp
from cse_core.safety.age import _age_gap
from cse_core.safety.context import _Context, _context
from cse_core.safety.frames import _colon_frame, _fiction_frame, _hypothetical
from cse_core.safety.guards import _fires, _negated
from cse_core.safety.lexicon import _lexicon, word_list
from cse_core.safety.normalise import normalise
from cse_core.safety.patterns import Compiled, _compile
from cse_core.safety.result import DISCLOSURE, EMERGENCY, SAFE, Reading, SafetyResult
from cse_core.safety.rule import FIRST, GENERIC, THIRD, Hit, Rule
from cse_core.safety.rules import RULES
from cse_core.safety.victims import _determiner, _victim_class, _victim_ok

# Word lists of word_lists.yml (what each is for is said there).
_ADULT_VOICE = word_list("adult_voice")
_ANOTHER_CHILD = word_list("another_child")
_VAGUE_PEOPLE = word_list("vague_people")


@dataclass
class _Detector:
    """The shared pipeline, the compiled rule matcher and the cue phrase matcher."""

    nlp: Language
    matcher: Matcher
    phrases: PhraseMatcher
    compiled: dict[str, tuple[Rule, Compiled]] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def _detector() -> _Detector:
    """Build the matchers once (check() runs on every message)."""
    nlp = get_nlp()
    lex = _lexicon()
    matcher = Matcher(nlp.vocab)
    detector = _Detector(nlp, matcher, PhraseMatcher(nlp.vocab, attr="LOWER"))
    for rule in RULES:
        for n, spec in enumerate(rule.patterns):
            key = f"{rule.name}#{n}"
            compiled = _compile(spec, lex)
            matcher.add(key, [compiled.pattern])
            detector.compiled[key] = (rule, compiled)
    for name, phrases in lex.phrases.items():
        detector.phrases.add(name, [nlp.make_doc(p) for p in phrases])
    return detector


def _hits(det: _Detector, doc: Doc) -> Iterable[Hit]:
    """Every rule match that passes its post-check, with its slots resolved to tokens."""
    for match_id, start, end, alignment in det.matcher(doc, with_alignments=True):
        rule, compiled = det.compiled[det.nlp.vocab.strings[match_id]]
        slots: dict[str, int] = {}
        own: set[int] = set()
        for offset, index in enumerate(alignment):
            if index in compiled.slots:
                slots.setdefault(compiled.slots[index], start + offset)
            if index in compiled.own_neg:
                own.add(start + offset)
        hit = Hit(rule, start, end, slots, frozenset(own))
        if rule.check is None or rule.check(doc, hit):
            yield hit


def _cooccurrence(ctx: _Context) -> bool:
    """Fallback for free word order: one sentence names a child, dangerous adults, a place and
    distress, drugs or a weapon ("a kid upstairs in the flat screaming and older men keep going
    in"), and nothing in it is a question, a hypothetical, a negation, a habit or the past."""
    lex = _lexicon()
    if _colon_frame(ctx.doc) is not None:
        return False  # "exam question: ...": a training text
    people = lex["DANGER_PERSON"] - _VAGUE_PEOPLE
    harm = lex["DISTRESS"] | lex["DRUG"] | lex["WEAPON"]
    for sent, start in ctx.sent_start.items():
        tokens = [t for t in ctx.doc[start:] if ctx.sent_of[t.i] == sent]
        words = {t.lower_ for t in tokens}
        if not (words & people and words & lex["PLACE"] and words & harm):
            continue
        if words & (lex["HABIT_VERB"] | lex["WORRY"] | {"may", "might", "could", "would"}) or \
                sent in ctx.questions:
            continue
        if sent in ctx.habitual or sent in ctx.historic_sents or ctx.resolved or ctx.rating:
            continue
        if any(i in ctx.negations for i in range(tokens[0].i, tokens[-1].i + 1)):
            continue
        if any(ctx.sent_of[m] == sent for m in ctx.hypo_marks + ctx.frame_marks):
            continue
        if words & lex["GENERIC_AGENT"]:
            continue  # "perpetrators show the child weapons in the car": the guidance
        for tok in tokens:
            if tok.lower_ not in lex["VICTIM"]:
                continue
            victim = _victim_class(ctx.doc, tok.i)
            indefinite = _determiner(ctx.doc, tok.i) in {"a", "an"}  # "a kid", not "the child"
            if victim == THIRD or (victim == GENERIC and indefinite):
                return True
    return False


def _support(ctx: _Context, hits: list[Hit]) -> int:
    """How many separate danger cues about another child the message has: two weak ones
    ("not picking up" + "her location shows a flat") make an emergency together."""
    spans: list[tuple[int, int]] = []
    for hit in hits:
        if hit.rule.kind != EMERGENCY or _negated(ctx, hit) or _hypothetical(ctx, hit):
            continue
        if _victim_ok(ctx, hit) not in ((True, THIRD), (True, GENERIC)):
            continue
        if not any(a < hit.end and hit.start < b for a, b in spans):
            spans.append((hit.start, hit.end))
    return len(spans)


# the writer's own plan ("I'm taking my daughter to a party at her aunt's"): a carer
_OWN_PLAN = re.compile(r"^(i|we) ('m|am|'re|are) (" + "|".join(sorted(map(re.escape, word_list("own_plan_verbs"))))
                       + r")\b")


def read(text: str) -> Reading:
    """:func:`check` and the context it was judged in."""
    if not text or not text.strip():
        return Reading(SAFE, False, False, False, False)
    det = _detector()
    doc = det.nlp(normalise(text[:4000]))  # a pasted essay is cut; messages are short
    ctx = _context(det, doc)
    hits = list(_hits(det, doc))
    # Two different danger rules in one message support each other ("not answering" +
    # "phone off"), so a NOW-tier cue fires without an explicit "now".
    support = _support(ctx, hits)
    result, victims = SAFE, set()
    for hit in sorted(hits, key=lambda h: h.start):
        kind = _fires(ctx, hit, support)
        if kind:
            victims.add(FIRST if kind == DISCLOSURE else _victim_ok(ctx, hit)[1])
        if kind == EMERGENCY and result.kind != EMERGENCY:
            result = SafetyResult(EMERGENCY, hit.rule.name)
        if kind == DISCLOSURE and not result.kind:
            result = SafetyResult(DISCLOSURE, hit.rule.name)
    if result.kind != EMERGENCY and _cooccurrence(ctx):
        result = SafetyResult(EMERGENCY, "emergency.danger_cooccurrence")
        victims.add(THIRD)
    if not result.kind and _age_gap(doc):
        result = SafetyResult(DISCLOSURE, "disclosure.age_gap")
        victims.add(FIRST)
    # "they have locked me in": one reading takes "they" for the victim; the speaker is the
    # child unless another child is named
    # ...and "told him to keep it a secret from us" is a parent: words only an adult uses of a
    # child they look after or work with make the writer an adult
    words = {t.lower_ for t in doc}
    adult_voice = bool(words & _ADULT_VOICE)
    child = FIRST in victims and (victims == {FIRST} or not ctx.third_party) and not ctx.adult_survivor \
        and not adult_voice
    unsure = bool(ctx.historic_sents or ctx.habitual or ctx.hypo_marks or ctx.frame_marks
                  or ctx.classify_sents) or (bool(ctx.questions) and not ctx.first_person)
    quoted = ('"' in doc.text and bool(words & _lexicon()["QUOTE_FRAME"])) or (
        not ctx.first_person and _fiction_frame(doc, len(doc))) or _colon_frame(doc) is not None
    own_plan = bool(_OWN_PLAN.search(" ".join(t.lower_ for t in doc)))
    # A child telling about themselves ("it's happened loads", "if i really loved him id...")
    # is not settled by tense, habit or "if": what goes on or went on is a disclosure. An
    # adult's account says "my daughter", "we" or "she told me"; "me" alone may be either, and
    # a miss costs more than a 999 reminder.
    child_account = (bool(words & {"me", "myself"}) or ("i" in words and "we" not in words)) \
        and not words & _ANOTHER_CHILD
    settled = ctx.resolved or ctx.rating or ctx.adult_survivor or quoted or own_plan or (
        unsure and not ctx.soon_sure and not child_account)
    return Reading(result, child, bool(ctx.soon), settled, ctx.third_party and not child_account)


def check(text: str) -> SafetyResult:
    """Classify one user message: emergency, disclosure or nothing."""
    return read(text).result
