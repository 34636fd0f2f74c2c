"""The guided pre-screen (issue 3): its questions, their options, and the outcome.

A screening's state is a plain dict of slot name -> value, the same values the Rasa form
keeps in its slots: ``screen_danger``, ``audience``, ``age_band``, ``learning_disability``,
``case_status``, ``ind_<indicator id>`` (a rating), ``other_children``,
``offender_details``. No free text and nothing identifying is ever part of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cse_core import answers, parsing, scoring
from cse_core.knowledge import Indicator, Knowledge

IND_PREFIX = "ind_"
YES_NO_UNSURE = ["Yes", "No", "Not sure"]


@dataclass(frozen=True)
class Question:
    slot: str
    kind: str  # danger | role | age | yes_no | case_status | indicator
    indicator: Indicator | None = None


def questions(k: Knowledge) -> list[Question]:
    """The questions in the order of issue 3; indicators in the order of section 2.1."""
    return [
        Question("screen_danger", "yes_no"),
        Question("audience", "role"),
        Question("age_band", "age"),
        Question("learning_disability", "yes_no"),
        Question("case_status", "case_status"),
        *[Question(IND_PREFIX + i.id, "indicator", i) for i in k.indicators],
        Question("other_children", "yes_no"),
        Question("offender_details", "yes_no"),
    ]


def slot_names(k: Knowledge) -> list[str]:
    return [q.slot for q in questions(k)]


def question(k: Knowledge, slot: str) -> Question | None:
    return next((q for q in questions(k) if q.slot == slot), None)


def options(k: Knowledge, q: Question) -> list[str]:
    """Button labels; each is also a typed answer its parser understands."""
    if q.kind == "indicator":
        labels = k.message("screening.rating_labels")
        return [labels[r].capitalize() for r in k.risk_rules["ratings"]]
    if q.kind == "role":
        return ["Practitioner", "Parent or carer"]
    if q.kind == "age":
        return [b["label"] for b in k.risk_rules["age"]["bands"]]
    if q.kind == "case_status":
        return [p.question_label for p in k.pathways.values()] + ["Don't know"]
    return YES_NO_UNSURE


def parse(k: Knowledge, q: Question, text: str) -> str | None:
    """The slot value a typed answer gives, or None when it is unclear."""
    if q.kind == "indicator":
        return parsing.parse_rating(text)
    if q.kind == "role":
        return parsing.parse_role(text)
    if q.kind == "age":
        age = parsing.parse_age(k, text)
        return age.band if age else None
    if q.kind == "case_status":
        # "what's early help?" asks; it must not be recorded as "open to Early Help"
        return None if parsing.is_question(text) else parsing.parse_case_status(k, text)
    if parsing.is_question(text):
        return None
    return parsing.parse_yes_no(text)


# slot -> its question in messages.yml (screening.ask_*); its explanation is why_*.
_QUESTION_KEYS = {
    "screen_danger": "ask_danger", "audience": "ask_role", "age_band": "ask_age",
    "learning_disability": "ask_learning_disability", "case_status": "ask_case_status",
    "other_children": "ask_other_children", "offender_details": "ask_offender_details",
}


def prompt(k: Knowledge, q: Question, audience: str) -> str:
    """The question's words; for an indicator, with progress and level descriptors."""
    if q.indicator is None:
        return k.fill_contacts(k.message(f"screening.{_QUESTION_KEYS[q.slot]}"))
    ind = q.indicator
    lines = [k.message("screening.ask_indicator").format(n=ind.number, total=len(k.indicators), name=ind.name),
             k.indicator_label]
    lines += descriptors(k, ind, audience)
    if ind.number == 1:  # the full notice once; the short label on every indicator
        lines.append(k.indicator_notice)
    return "\n".join(lines)


def descriptors(k: Knowledge, ind: Indicator, audience: str) -> list[str]:
    wording = ind.parent if audience == answers.PARENT else ind.practitioner
    labels = k.message("screening.rating_labels")
    return [f"- {labels[level].capitalize()}: {wording[level]}" for level in ("low", "medium", "high")]


def explain(k: Knowledge, q: Question, audience: str) -> str:
    """Why a question is asked, and for an indicator what each level looks like."""
    if q.indicator is None:
        key = _QUESTION_KEYS[q.slot].replace("ask_", "why_")
        return k.fill_contacts(k.message(f"screening.{key}"))
    ind = q.indicator
    lines = [k.message("screening.why_indicator").format(name=ind.name, why=ind.why),
             k.message("screening.levels_header"), *descriptors(k, ind, audience), k.indicator_notice]
    return "\n".join(lines)


def is_complete(k: Knowledge, state: dict[str, str | None]) -> bool:
    return all(state.get(s) for s in slot_names(k))


def ratings(k: Knowledge, state: dict[str, str | None]) -> dict[str, str]:
    return {i.id: str(state[IND_PREFIX + i.id]) for i in k.indicators if state.get(IND_PREFIX + i.id)}


def score(k: Knowledge, state: dict[str, str | None]) -> scoring.Outcome:
    return scoring.score(
        k,
        ratings(k, state),
        under_13=state.get("age_band") == "under_13",
        learning_disability=state.get("learning_disability") == parsing.YES,
    )


def route(k: Knowledge, state: dict[str, str | None]) -> str:
    status = state.get("case_status") or parsing.UNKNOWN_STATUS
    return k.unknown_status_route if status == parsing.UNKNOWN_STATUS else status


def level_label(k: Knowledge, outcome: scoring.Outcome) -> str:
    """The level's words; "none" with unknowns says how many are not known."""
    if outcome.level == "none" and outcome.gaps:
        return k.message("screening.level_label_none_with_gaps").format(count=len(outcome.gaps))
    return k.message("screening.level_labels")[outcome.level]


@dataclass
class Result:
    outcome: scoring.Outcome
    pathway: str
    messages: list[str] = field(default_factory=list)
    summary: str = ""


def result(k: Knowledge, state: dict[str, str | None], today: dt.date | None = None) -> Result:
    """The level with its reason, what to do now, what happens next, and the summary."""
    outcome = score(k, state)
    pathway_id = route(k, state)
    pathway = k.pathways[pathway_id]
    msg = k.message
    fill = k.fill_contacts
    label = level_label(k, outcome)

    head = [msg("screening.outcome_intro").format(level_label=label, rules_version=k.risk_rules["version"]),
            msg("screening.outcome_reason").format(reason=outcome.reason)]
    if outcome.referral_required:
        head.append(msg("screening.outcome_referral_" + ("required" if outcome.referral_basis == "concern"
                                                         else "unknown")))
    elif state.get("learning_disability") == parsing.NOT_SURE and any(
            r != "no_concern" for r in ratings(k, state).values()):
        head.append(msg("screening.outcome_ld_not_sure"))

    do_now = [msg("screening.outcome_do_now_header")]
    contact_anyway = outcome.level == "none" and not outcome.referral_required
    do_now.append("- " + fill(msg("screening.outcome_do_now_none" if contact_anyway
                                  else "screening.outcome_do_now_cap")))
    if state.get("other_children") in (parsing.YES, parsing.NOT_SURE):
        do_now.append("- " + msg("screening.outcome_do_now_other_children"))
    do_now.append("- " + fill(msg("screening.outcome_do_now_999")))
    if state.get("offender_details") == parsing.YES:
        do_now.append("- " + fill(msg("screening.outcome_do_now_info_form")))

    messages = ["\n".join(head), "\n".join(do_now)]
    if outcome.level != "none":
        nxt = [msg("screening.outcome_next_header").format(status_label=pathway.label, level=label)]
        if state.get("case_status") in (None, parsing.UNKNOWN_STATUS):
            nxt.append(msg("screening.outcome_unknown_status"))
        nxt += [f"- {s}" for s in answers.steps_for_level(k, pathway, outcome.level)]
        if outcome.level in ("medium", "high"):
            nxt.append(msg("screening.outcome_step_down"))
        messages.append("\n".join(nxt))
    tail = []
    if outcome.gaps:
        tail.append(msg("screening.outcome_gaps").format(gaps=", ".join(outcome.gaps)))
    tail.append(msg("screening.not_a_decision").format(level_set_by=pathway.level_set_by))
    messages.append("\n".join(tail))
    return Result(outcome=outcome, pathway=pathway_id, messages=messages,
                  summary=summary(k, state, outcome, pathway_id, today))


def summary(k: Knowledge, state: dict[str, str | None], outcome: scoring.Outcome, pathway_id: str,
            today: dt.date | None = None) -> str:
    """A copyable summary with no identifiers: bands, ratings, level, versions."""
    msg = k.message
    labels = msg("screening.summary_labels")
    ratings_label = msg("screening.rating_labels")
    band = next((b["label"] for b in k.risk_rules["age"]["bands"] if b["id"] == state.get("age_band")), "-")
    status = state.get("case_status")
    status_label = (k.pathways[status].label if status in k.pathways else msg("screening.status_not_known"))
    pathway = k.pathways[pathway_id]
    yes_no = msg("screening.yes_no_labels")
    lines = [
        msg("screening.summary_header"),
        f"{labels['date']}: {(today or dt.date.today()).isoformat()}",
        f"{labels['age_band']}: {band}",
        f"{labels['learning_disability']}: {yes_no.get(state.get('learning_disability'), '-')}",
        f"{labels['case_status']}: {status_label}",
    ]
    for ind in k.indicators:
        rating = state.get(IND_PREFIX + ind.id)
        lines.append(f"{ind.number}. {ind.name}: {ratings_label.get(rating, '-')}")
    lines += [
        f"{labels['other_children']}: {yes_no.get(state.get('other_children'), '-')}",
        f"{labels['offender_details']}: {yes_no.get(state.get('offender_details'), '-')}",
        f"{labels['level']}: {level_label(k, outcome)}"
        + (f" ({labels['referral_required']})" if outcome.referral_required else ""),
        f"{labels['level_set_by']}: {pathway.level_set_by}",
        f"{labels['gaps']}: {', '.join(outcome.gaps) or '-'}",
        f"{labels['rules_version']}: {k.risk_rules['version']}",
        f"{labels['guidance_version']}: {k.document['version']}, {k.document['issued']}",
    ]
    return "\n".join(lines)
