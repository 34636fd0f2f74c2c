"""The cues of one message found once before any rule is judged: sentences and clauses,
questions, negations, modals, immediacy and planned-time cues, hypotheticals, guidance frames,
habit, history, screening ratings and who is speaking."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from cse_core.safety.age import _own_age
from cse_core.safety.lexicon import _lexicon, word_list
from cse_core.safety.rule import THIRD
from cse_core.safety.tokens import _CLAUSE_WORDS, _SENT_END, _next
from cse_core.safety.victims import _victim_class

if TYPE_CHECKING:
    from cse_core.safety.detector import _Detector

# Word lists of word_lists.yml (what each is for is said there).
_HURT_FOLLOWERS = word_list("hurt_followers")
_NOT_JUST_NOW = word_list("not_just_now")
_MEANING_WORDS = word_list("meaning_words")
_SCENE_ING = word_list("scene_words")
_NOT_RATING_BEFORE = word_list("not_rating_before")


_CLAUSE_PUNCT = {",", ":", "-", "\u2013", "\u2014", "(", ")", '"'}


@dataclass
class _Context:
    """Everything the guards need, computed once per message."""

    doc: Doc
    sent_of: list[int]
    clause_of: list[int]
    sent_start: dict[int, int]  # sentence id -> first token index
    questions: set[int]  # sentence ids
    negations: set[int]  # token indices
    modals: set[int]
    worries: set[int]
    explicit_now: set[int]  # sentence ids with "right now", "currently" ...
    any_now: set[int]  # sentence ids with any immediacy cue
    soon: set[int]  # sentence ids with an immediacy or a planned-time cue ("after school")
    soon_sure: set[int]
    message_now: bool  # an explicit immediacy cue anywhere
    hypo_marks: list[int]  # token indices of hypothetical markers
    frame_marks: list[int]  # token indices where a guidance-question frame starts
    habitual: set[int]  # sentence ids
    habitual_clauses: set[int]
    resolved: bool  # the message says it is over / historic
    rating: bool  # the message is a typed screening answer ("..., high")
    adult_survivor: bool  # an adult speaking about their own childhood
    third_party: bool  # the message names a specific child other than the speaker
    threat_claim: bool  # "he says he will", "he's threatening": an abuser's stated threat
    first_person: bool
    speaker_object: bool  # "me"/"us" appear: the speaker is on the receiving end
    historic_clauses: set[int]  # clauses with "last year", "used to" ...
    historic_sents: set[int]
    classify_sents: set[int]  # "..., is that CSE?", "which model": a description to classify
    now_tokens: set[int]  # where an immediacy or planned-time cue starts


def _segment(doc: Doc) -> tuple[list[int], list[int], dict[int, int]]:
    """Sentence and clause number of every token, and where each sentence starts."""
    sent_of: list[int] = []
    clause_of: list[int] = []
    sent_start: dict[int, int] = {0: 0}
    sent = clause = 0
    new_sent = False
    for tok in doc:
        if new_sent and not (tok.text in _SENT_END or tok.is_space):
            sent += 1
            clause += 1
            sent_start[sent] = tok.i
            new_sent = False
        if tok.lower_ in _CLAUSE_WORDS or tok.text in _CLAUSE_PUNCT:
            clause += 1
        sent_of.append(sent)
        clause_of.append(clause)
        if tok.text in _SENT_END or "\n" in tok.text:
            new_sent = True
    return sent_of, clause_of, sent_start


def _is_question(doc: Doc, start: int, end: int) -> bool:
    """A question: a "?", a clause opening with a wh-word, or an opening auxiliary."""
    lex = _lexicon()
    words = [t for t in doc[start:end] if not t.is_space]
    if not words:
        return False
    if any(t.text == "?" for t in words):
        return not _asks_only_what_to_do(words)
    # a wh-word opening any clause: "I'm writing a training session, what are signs ..."
    for i, tok in enumerate(words):
        if i == 0 or words[i - 1].text in _CLAUSE_PUNCT or words[i - 1].lower_ in _CLAUSE_WORDS:
            nxt = words[i + 1].lower_ if i + 1 < len(words) else ""
            if tok.lower_ in lex["WH"] and nxt not in {"i", "we"} | lex["P3"]:
                return True
            if i == 0 and tok.lower_ in lex["AUX_Q"] and nxt not in lex["NEG"]:
                return True
    return False


_WHAT_TO_DO = re.compile(
    r"^(?:what (?:should|do|shall|can|would) (?:i|we) do"
    r"|(?:should|do|shall|can|must) (?:i|we) (?:ring|call|phone|contact|tell|report|wait|go|do|get)"
    r"|(?:who|where) (?:should|do|shall|can) (?:i|we) (?:ring|call|phone|contact|tell|report|go))\b")


def _asks_only_what_to_do(words: list[Token]) -> bool:
    """A report that ends by asking what to do ("..., there are three of them up there now,
    should I ring someone?"): the last clause asks for help and an earlier one of four or more
    words reports. Such a sentence is not a question about the event."""
    starts = [0] + [i for i in range(1, len(words)) if words[i - 1].text in _CLAUSE_PUNCT
                    or words[i - 1].lower_ in {"and", "but", "so"}]
    last = starts[-1]
    if last < 4:
        return False
    clause = " ".join(t.lower_ for t in words[last:] if not t.is_punct)
    return bool(_WHAT_TO_DO.match(clause)) and not any(t.text == "?" for t in words[:last])


def _negations(doc: Doc, sent_start: dict[int, int]) -> set[int]:
    """Token indices of negation words (not the "no" that answers the bot)."""
    lex = _lexicon()
    starts = set(sent_start.values())
    out: set[int] = set()
    for tok in doc:
        word = tok.lower_
        if word not in lex["NEG"] and word not in {"nobody", "noone", "nothing"}:
            continue
        # a sentence-initial "no," / "no she's ..." answers the bot; "no one" still negates
        if word == "no" and tok.i in starts and _next(doc, tok.i + 1) not in {"one", "body",
                                                                              "longer"}:
            continue
        if word == "no" and _next(doc, tok.i + 1) in {"idea", "way", "clue"}:
            continue
        out.add(tok.i)
    return out


def _phrase_spans(det: _Detector, doc: Doc) -> dict[str, list[tuple[int, int]]]:
    """The cue phrases found, by list name."""
    found: dict[str, list[tuple[int, int]]] = {}
    for match_id, start, end in det.phrases(doc):
        found.setdefault(det.nlp.vocab.strings[match_id], []).append((start, end))
    return found


def _rating_answer(doc: Doc) -> bool:
    """A typed screening answer: "high", "she's 14, medium", "... sometimes, high"."""
    lex = _lexicon()
    words = [t for t in doc if not t.is_punct and not t.is_space]
    if not words:
        return False
    last, first = words[-1], words[0]
    if last.lower_ == "risk" and len(words) > 1:
        last = words[-2]
    for tok in (last, first):
        if tok.lower_ not in lex["RATING"]:
            continue
        before = doc[tok.i - 1].lower_ if tok.i > 0 else ""
        if before in lex["BE"] | _NOT_RATING_BEFORE:
            continue
        if tok is last and (tok.i == 0 or doc[tok.i - 1].is_punct or len(words) <= 8):
            return True
        if tok is first and tok.i + 1 < len(doc) and doc[tok.i + 1].is_punct:
            return True
    return False


def _adult_survivor(doc: Doc, spans: dict[str, list[tuple[int, int]]]) -> bool:
    """An adult talking about their own childhood ("I was groomed when I was 14, now I'm a
    social worker"), not a child disclosing."""
    if spans.get("ADULT_SURVIVOR") or (_own_age(doc) or 0) >= 18:
        return True
    text = " ".join(t.lower_ for t in doc)
    if not re.search(r"\bwhen i was (\d+|a|younger|little|small)\b", text):
        return False
    # "when i was 12 ... im 14 now" is a child: an age said now decides
    ages = re.findall(r"\b(?:i 'm|i am)(?: now)? (\d\d?)\b", text)
    if ages:
        return any(int(age) >= 18 for age in ages)
    return bool(re.search(r"\b(now i 'm|i 'm now|now i am|i am now)\b", text))


def _presentative(doc: Doc, sent_of: list[int]) -> set[int]:
    """"There's a girl of about 12 sitting in a car with three men": a scene in front of the
    writer is happening now. "there is/are" and a scene word within eight words."""
    out: set[int] = set()
    for tok in doc:
        if tok.lower_ != "there" or _next(doc, tok.i + 1) not in {"is", "'s", "are", "'re"}:
            continue
        if any(t.lower_ in _SCENE_ING and sent_of[t.i] == sent_of[tok.i] for t in doc[tok.i + 2: tok.i + 10]):
            out.add(sent_of[tok.i])
    return out


def _context(det: _Detector, doc: Doc) -> _Context:
    """Find the guard cues of one message: sentences, questions, negation, immediacy,
    hypotheticals, guidance frames, habit, history, screening ratings, who speaks."""
    lex = _lexicon()
    sent_of, clause_of, sent_start = _segment(doc)
    n_sents = max(sent_of, default=0) + 1
    ends = {s: (sent_start[s + 1] if s + 1 in sent_start else len(doc)) for s in range(n_sents)}
    questions = {s for s in range(n_sents) if _is_question(doc, sent_start[s], ends[s])}
    spans = _phrase_spans(det, doc)

    not_now = {i for a, b in spans.get("NOT_IMMEDIATE", []) for i in range(a, b)}
    explicit = {sent_of[a] for a, b in spans.get("IMMEDIATE_EXPLICIT", [])
                if not set(range(a, b)) & not_now}
    weak = {sent_of[a] for a, b in spans.get("IMMEDIATE_WEAK", [])
            if not set(range(a, b)) & not_now}
    # "just" before a verb: "she just rang", "he's just hit her"
    weak |= _presentative(doc, sent_of)
    weak |= {sent_of[t.i] for t in doc if t.lower_ == "just" and _next(doc, t.i + 1) not in
             _NOT_JUST_NOW}

    not_hypo = {b - 1 for a, b in spans.get("NOT_HYPO", [])}
    hypo = sorted({a for a, b in spans.get("HYPO", []) if b - 1 not in not_hypo
                   and a not in not_hypo})
    # "when" is hypothetical in a question ("what happens when a child is held?")
    hypo += [t.i for t in doc if t.lower_ == "when" and sent_of[t.i] in questions]
    # "what does X mean"
    frames = [a for a, _ in spans.get("GUIDANCE_FRAME", [])]
    for s in questions:
        words = {t.lower_ for t in doc[sent_start[s]: ends[s]]}
        if words & _MEANING_WORDS:
            frames.append(sent_start[s])

    negations = _negations(doc, sent_start)
    historic = spans.get("HISTORIC", [])
    resolved = False
    hurt = lex["DANGER_STATE"] | lex["MEDICAL"] | lex["DISTRESS"] | _HURT_FOLLOWERS
    for a, b in spans.get("RESOLVED", []):
        window = range(max(0, a - 3), a)
        if _next(doc, b) in hurt:
            continue  # "came home bleeding", "came back with a stab wound": not over
        if not any(i in negations and clause_of[i] == clause_of[a] for i in window):
            resolved = True

    words = {t.lower_ for t in doc}
    return _Context(
        doc=doc,
        sent_of=sent_of,
        clause_of=clause_of,
        sent_start=sent_start,
        questions=questions,
        negations=negations,
        modals={t.i for t in doc if t.lower_ in lex["MODAL"] and _next(doc, t.i + 1) not in
                lex["NEG"]},
        worries={t.i for t in doc if t.lower_ in lex["WORRY"]},
        explicit_now=explicit,
        any_now=explicit | weak,
        soon=explicit | weak | {sent_of[a] for a, b in spans.get("IMMEDIATE_PLANNED", [])
                                if not set(range(a, b)) & not_now},
        # a cue that says now or soon by itself ("since", "still", "yet" only carry a state on)
        soon_sure=explicit | {sent_of[a] for name in ("IMMEDIATE_WEAK", "IMMEDIATE_PLANNED")
                              for a, b in spans.get(name, []) if not set(range(a, b)) & not_now
                              and doc[a:b].text.lower() not in {"since", "still", "yet"}},
        message_now=bool(explicit),
        hypo_marks=sorted(hypo),
        frame_marks=sorted(frames),
        habitual={sent_of[a] for a, b in spans.get("HABITUAL", [])},
        habitual_clauses={clause_of[a] for a, b in spans.get("HABITUAL", [])},
        resolved=resolved,
        rating=_rating_answer(doc),
        adult_survivor=_adult_survivor(doc, spans),
        third_party=bool(words & lex["RELATION"]) or any(
            t.lower_ in lex["PERSON"] and _victim_class(doc, t.i) == THIRD for t in doc),
        first_person=bool(words & (lex["FIRST_SUBJ"] | lex["FIRST_OBJ"] | lex["FIRST_POSS"])),
        speaker_object=bool(words & lex["FIRST_OBJ"]),
        threat_claim=bool(spans.get("THREAT_CLAIM")),
        historic_clauses={clause_of[a] for a, _ in historic},
        historic_sents={sent_of[a] for a, _ in historic},
        classify_sents={sent_of[a] for a, _ in spans.get("CLASSIFY_FRAME", [])},
        now_tokens={a for name in ("IMMEDIATE_EXPLICIT", "IMMEDIATE_WEAK", "IMMEDIATE_PLANNED")
                    for a, b in spans.get(name, []) if not set(range(a, b)) & not_now
                    and doc[a:b].text.lower() not in {"since", "still", "yet"}},
    )
