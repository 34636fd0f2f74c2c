"""Deterministic safety detector: is this message an emergency or a child's disclosure?

Every user message goes through :func:`check` before anything else. It returns

* ``emergency``: someone (an adult or a child) reports a child in danger now: held, threatened
  with a weapon, being hurt, missing, with dangerous adults, drugged, about to be harmed;
* ``disclosure``: a child or young person tells about abuse or exploitation happening to them
  (first person), now or in the past;
* ``None``: everything else, above all questions and talk *about* the guidance, negated or
  hypothetical statements, historic events and typed screening answers.

Missing an emergency is the worst failure, so the rules lean towards firing; false alarms on
ordinary guidance questions are kept down by guards rather than by narrowing the rules.

The package, in reading order: :mod:`.result` (what comes back), :mod:`.lexicon` and
``lexicon.yml`` (the words), :mod:`.normalise` (text-speak, typos, names), :mod:`.patterns`
(the pattern language), :mod:`.rule` and :mod:`.rules` (the rule table), the ``checks_*``
modules (each rule's post-check), :mod:`.context` (the cues of a message), :mod:`.victims`,
:mod:`.frames` and :mod:`.guards` (whether a match fires), :mod:`.age` (the age-gap rule),
:mod:`.detector` (:func:`read` and :func:`check`) and :mod:`.mentions` (any danger word at all).
Names with a leading underscore are the package's own; the public API is what this module
exports.

Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

from cse_core.safety.detector import check, read
from cse_core.safety.lexicon import LEXICON_PATH
from cse_core.safety.mentions import asks_advice, mentions_danger, mentions_serious_danger
from cse_core.safety.normalise import normalise
from cse_core.safety.result import DISCLOSURE, EMERGENCY, SAFE, Reading, SafetyResult

__all__ = ["DISCLOSURE", "EMERGENCY", "LEXICON_PATH", "SAFE", "Reading", "SafetyResult", "asks_advice", "check",
           "mentions_danger", "mentions_serious_danger", "normalise", "read"]
