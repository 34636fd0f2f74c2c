"""Frames that make a match not the writer's report: a hypothetical ("what if ..."), a
guidance question, a quotation or a training text, a film or soap storyline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from cse_core.safety.lexicon import _lexicon, word_list
from cse_core.safety.result import EMERGENCY
from cse_core.safety.tokens import _sentence_of
from cse_core.safety.victims import _determiner

if TYPE_CHECKING:
    from cse_core.safety.context import _Context
    from cse_core.safety.rule import Hit

# Word lists of word_lists.yml (what each is for is said there).
_REPORTING_VERBS = word_list("reporting_verbs")
_FICTION = word_list("fiction_frames")
_DEPICT = word_list("depict_words")
_COLON_FRAMES = word_list("colon_frames")
_GENERIC_PEOPLE = word_list("generic_people")


def _after_mark(ctx: _Context, marks: list[int], hit: Hit) -> int | None:
    """The last marker before the match in the same sentence, if any."""
    sent = ctx.sent_of[hit.start]
    found = [m for m in marks if m <= hit.start and ctx.sent_of[m] == sent]
    return found[-1] if found else None


def _generic_in(doc: Doc, start: int, end: int) -> bool:
    """A generic person between a hypothetical marker and the match: "if a child ...",
    "what if someone ..." (not a real abuser)."""
    lex = _lexicon()
    for tok in doc[start:end]:
        word = tok.lower_
        if word in lex["INDEF"] or word in lex["GENERIC_AGENT"]:
            return True
        if word in lex["PERSON"] | _GENERIC_PEOPLE and \
                _determiner(doc, tok.i) in {"a", "an", "any", "the", "some", ""}:
            return True
    return False


def _hypothetical(ctx: _Context, hit: Hit) -> bool:
    """Inside "if ...", "what if ...", "what should I do if ...", or a guidance-question frame.
    A child's conditional threat ("if I tell he'll hurt me") or a hypothetical about a definite
    abuser and the speaker ("what if he shares my pics") is still a disclosure."""
    mark = _after_mark(ctx, ctx.hypo_marks, hit)
    frame = _after_mark(ctx, ctx.frame_marks, hit)
    if mark is None and frame is None:
        return False
    if _turned_to_now(ctx, max(m for m in (mark, frame) if m is not None), hit):
        return False
    if mark is not None and frame is None and any(
            t.lower_ == "now" and ctx.doc[t.i - 1].lower_ in {"and", "but", "so", ","}
            for t in ctx.doc[mark + 1: hit.start] if t.i > 0):
        return False  # "he said if I loved him I'd do it, and now he makes me": back to fact
    if hit.rule.kind == EMERGENCY:
        # "they said if he doesn't pay they'll stab him": a threat reported, not imagined
        reported = mark is not None and frame is None and hit.rule.hypo_ok and any(
            t.lower_ in _REPORTING_VERBS for t in ctx.doc[max(0, mark - 4): mark])
        return not reported
    if frame is not None and (mark is None or frame <= mark) and _generic_in(
            ctx.doc, frame, hit.end):
        return True
    start = mark if mark is not None else frame
    assert start is not None
    if hit.rule.hypo_ok:
        return False
    if _generic_in(ctx.doc, start, hit.end) or not ctx.threat_claim:
        return True
    # "what if he shares my pics, he says he will tomorrow": a real abuser's stated threat
    definite = {"he", "she", "they", "him", "them", "my", "his", "this", "that", "xxname"}
    return not any(t.lower_ in definite for t in ctx.doc[start + 1: hit.end])


def _turned_to_now(ctx: _Context, mark: int, hit: Hit) -> bool:
    """A long message that opens with a question, a worry or a hypothetical and then turns to
    what is happening ("I was reading about the signs because ..., but he hasn't come home
    tonight"): a "but" (or "anyway") after the marker, and a now or soon cue after that, in the
    same sentence as the match. The marker no longer covers the match."""
    sent = ctx.sent_of[hit.start]
    turns = [t.i for t in ctx.doc[mark + 1: hit.start] if t.lower_ in {"but", "however", "anyway"}
             and ctx.sent_of[t.i] == sent]
    if not turns:
        return False
    return any(i > turns[-1] and ctx.sent_of[i] == sent for i in ctx.now_tokens)


def _quoted(ctx: _Context, hit: Hit) -> bool:
    """Inside double quotes in a message that frames them as a film, a scenario or training
    material ("a character says \"...\""): not the writer's own report."""
    doc = ctx.doc
    if _colon_frame(doc) is not None and hit.start > _colon_frame(doc):
        return True
    marks = [t.i for t in doc if t.text == '"']
    inside = any(a < hit.start < b for a, b in zip(marks[::2], marks[1::2], strict=False))
    return inside and bool({t.lower_ for t in doc} & _lexicon()["QUOTE_FRAME"])


def _fiction_frame(doc: Doc, end: int) -> bool:
    """Before `end`, in its sentence: "in the soap ...", "the training video shows ...", "a
    drama where ...": what follows is the material's story, not the writer's report."""
    sent = _sentence_of(doc, end)
    words = [t.lower_ for t in sent if t.i < end]
    for k, word in enumerate(words):
        if word not in _FICTION:
            continue
        before = words[max(0, k - 3): k]
        after = words[k + 1: k + 3]
        if not set(before) & {"the", "a", "an", "this", "our", "that", "in"}:
            continue
        if "in" in before or set(after) & _DEPICT:
            return True
    return False


def _fiction(ctx: _Context, hit: Hit) -> bool:
    """A story told from a film, a soap or training material, about a child who is not the
    writer's ("my daughter is in a video he's sharing" is still a report)."""
    victim = hit.slots.get("v")
    if victim is not None and _determiner(ctx.doc, victim) in {"my", "our"}:
        return False
    if victim is not None and ctx.doc[victim].lower_ in _lexicon()["FIRST_SUBJ"] | _lexicon()["FIRST_OBJ"]:
        return False
    lex = _lexicon()
    people = lex["RELATION"] | lex["PERSON"]
    if any(t.lower_ in {"my", "our"} and {u.lower_ for u in ctx.doc[t.i + 1: t.i + 4]} & people
           for t in ctx.doc):
        return False  # the writer's own child is in it
    return _fiction_frame(ctx.doc, hit.start)


def _colon_frame(doc: Doc) -> int | None:
    """Where a training text opens: "slide 4 reads: ...", "exam question: ...", "case study:
    ..." (a frame word in the first six words, then a colon)."""
    for tok in doc[:8]:
        if tok.text == ":" and {t.lower_ for t in doc[: tok.i]} & (_COLON_FRAMES | _lexicon()["QUOTE_FRAME"]):
            return tok.i
    return None
