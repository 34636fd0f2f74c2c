"""The guards that decide whether a rule match fires: negation, inverted questions, generic
agents, modality, habit, history, screening ratings and the immediacy each tier needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cse_core.safety.frames import _fiction, _hypothetical, _quoted
from cse_core.safety.lexicon import _lexicon, word_list
from cse_core.safety.result import DISCLOSURE, EMERGENCY
from cse_core.safety.rule import CURRENT, FIRST, GENERIC, NOW, PLANNED, STRONG, THIRD, Hit
from cse_core.safety.tokens import _agent, _next
from cse_core.safety.victims import _determiner, _victim_ok

if TYPE_CHECKING:
    from cse_core.safety.context import _Context

# Word lists of word_lists.yml (what each is for is said there).
_PHYSICAL_NOW = word_list("physical_now")


def _negated(ctx: _Context, hit: Hit) -> bool:
    """A negation in the 4 words before the match (same clause) or inside it, other than the
    rule's own ("won't let her leave" is the danger, "she is not in danger" is not)."""
    clause = ctx.clause_of[hit.start]
    window = [i for i in range(max(0, hit.start - 4), hit.start) if ctx.clause_of[i] == clause]
    inside = [i for i in range(hit.start, hit.end) if i not in hit.own]
    return any(i in ctx.negations for i in window + inside)


def _inverted_question(ctx: _Context, hit: Hit) -> bool:
    """"Is she in danger?", "does he have a knife?": the speaker asks, does not report. A
    request to the bot ("can you help, ...") is not this."""
    lex = _lexicon()
    clause = ctx.clause_of[hit.start]
    first = next((i for i in range(hit.start, -1, -1)
                  if i == 0 or ctx.clause_of[i - 1] != clause), hit.start)
    word = ctx.doc[first].lower_
    return word in lex["AUX_Q"] and first < hit.start + 1 and _next(ctx.doc, first + 1) not in (
        lex["NEG"] | {"you", "u", "someone", "somebody", "anyone", "anybody"})


def _near(ctx: _Context, marks: set[int], hit: Hit, width: int) -> bool:
    """A marker in the `width` tokens before the match, in its clause."""
    clause = ctx.clause_of[hit.start]
    window = range(max(0, hit.start - width), hit.start)
    return any(i in marks and ctx.clause_of[i] == clause for i in window)


def _agent_generic(ctx: _Context, hit: Hit) -> bool:
    """"Abusers have weapons", "perpetrators force children": a general statement."""
    agent = _agent(ctx.doc, hit)
    return agent in _lexicon()["GENERIC_AGENT"] - {"someone", "somebody"} or agent in {
        "children", "kids", "victims"}


def _emergency_fires(ctx: _Context, hit: Hit, victim: str, support: int) -> bool:
    """Emergency guards, by tier."""
    sent = ctx.sent_of[hit.start]
    explicit = sent in ctx.explicit_now
    immediate = sent in ctx.any_now or ctx.message_now
    if _inverted_question(ctx, hit):
        return False
    if _agent_generic(ctx, hit) and not (victim == THIRD and _determiner(ctx.doc, hit.slots.get("v", 0)) in {
            "my", "our", "xxname"}):
        return False  # "gangs force children..." is the guidance; "the gang are driving my son" is not
    if victim == GENERIC and not explicit and hit.rule.tier != STRONG and not (
            hit.rule.tier == CURRENT and sent in ctx.any_now) and not (
            hit.rule.tier == PLANNED and sent in ctx.soon):
        return False
    if victim == GENERIC and sent in ctx.questions:
        return False
    if not explicit:
        habit = ctx.clause_of[hit.start] in ctx.habitual_clauses or (
            sent in ctx.habitual and sent not in ctx.any_now)
        if ctx.resolved or habit or _near(ctx, ctx.modals, hit, 3):
            return False
        if _historic(ctx, hit):
            return False
        # a typed screening answer describes a pattern ("in cars with older men, high")
        # unless it says when ("missing since friday, high")
        if ctx.rating and hit.rule.tier != STRONG and sent not in ctx.any_now:
            return False
    if hit.rule.tier == NOW and _near(ctx, ctx.worries, hit, 6) and not explicit:
        return False
    if hit.rule.tier != STRONG and sent in ctx.classify_sents and not explicit:
        return False  # "she hasn't come home late before, is that a risk indicator?"
    if hit.rule.tier in (NOW, PLANNED):
        sentence_start = ctx.sent_start[sent]
        if any(sentence_start <= m < hit.start for m in ctx.modals):
            return False  # "perpetrators may ... pick them up"
        if hit.rule.tier == PLANNED:  # "he's picking her up after school", "... tonight"
            return sent in ctx.soon or ctx.message_now
        return immediate or support >= 2
    return True


def _historic(ctx: _Context, hit: Hit) -> bool:
    """"Last year she was held at a flat": a past time in the same clause, or elsewhere in the
    sentence when nothing in it says now ("she was groomed last year, now she's missing")."""
    if ctx.clause_of[hit.start] in ctx.historic_clauses:
        return True
    sent = ctx.sent_of[hit.start]
    return sent in ctx.historic_sents and sent not in ctx.any_now


def _self_report(ctx: _Context, hit: Hit) -> str | None:
    """What an emergency rule reports when the speaker is the victim."""
    if hit.rule.self_report == EMERGENCY or ctx.sent_of[hit.start] in ctx.explicit_now:
        return EMERGENCY
    if hit.rule.self_report == DISCLOSURE and any(
            t.lower_ in _PHYSICAL_NOW for t in ctx.doc[hit.start: hit.end]):
        return EMERGENCY
    return hit.rule.self_report


def _fires(ctx: _Context, hit: Hit, support: int) -> str | None:
    """The kind this match reports after the guards, or None."""
    ok, victim = _victim_ok(ctx, hit)
    if not ok or _negated(ctx, hit) or _hypothetical(ctx, hit) or _quoted(ctx, hit) or _fiction(ctx, hit):
        return None
    if hit.rule.kind == DISCLOSURE:
        return None if ctx.adult_survivor else DISCLOSURE
    if victim == FIRST and _self_report(ctx, hit) != EMERGENCY:
        return _self_report(ctx, hit)
    return EMERGENCY if _emergency_fires(ctx, hit, victim, support) else None
