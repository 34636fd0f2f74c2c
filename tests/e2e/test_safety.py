"""The safety regression suite over REST (issue 4): every emergency and disclosure in
tests/safety/cases.yml is caught as a first message and in the middle of a screening,
999 first; the false-alarm rate on ordinary messages is reported and kept low."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

CASES = yaml.safe_load((Path(__file__).resolve().parents[1] / "safety" / "cases.yml").read_text(encoding="utf-8"))
DANGER = [("emergency", m) for m in CASES["emergency"]] + [("disclosure", m) for m in CASES["disclosure"]]
MAX_FALSE_ALARM_RATE = 0.05

FIRST_WORDS = {
    "emergency": "If a child is in immediate danger, call the Police on 999 now.",
    "disclosure": "If you are in danger right now, call 999.",
}


def caught(reply: str) -> bool:
    return reply.startswith(FIRST_WORDS["emergency"]) or reply.startswith(FIRST_WORDS["disclosure"])


@pytest.mark.parametrize(("kind", "message"), DANGER)
def test_caught_as_a_first_message(bot, sender, kind, message):
    reply = bot.say(sender, message)
    assert caught(reply), f"missed {kind}: {message!r} -> {reply[:120]!r}"
    if kind == "disclosure" and reply.startswith(FIRST_WORDS["disclosure"]):
        assert "Childline" in reply and "0800 1111" in reply


@pytest.mark.parametrize(("kind", "message"), DANGER)
def test_caught_in_the_middle_of_a_screening_which_then_resumes(bot, sender, kind, message):
    bot.say(sender, "I want to do a risk screening")
    bot.say(sender, "no")
    assert "How old" in bot.say(sender, "practitioner")
    reply = bot.say(sender, message)
    assert caught(reply), f"missed {kind} mid-screening: {message!r} -> {reply[:120]!r}"
    assert "How old" in bot.say(sender, "carry on")


def test_false_alarm_rate_on_ordinary_messages(bot, sender):
    alarms = []
    for n, message in enumerate(CASES["ordinary"]):
        if caught(bot.say(f"{sender}-{n}", message)):
            alarms.append(message)
    rate = len(alarms) / len(CASES["ordinary"])
    print(f"\nfalse alarms: {len(alarms)} of {len(CASES['ordinary'])} ordinary messages ({rate:.1%})")
    for message in alarms:
        print(f"  false alarm: {message}")
    report = Path(__file__).resolve().parents[2] / "results" / "safety-false-alarms.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps({"ordinary": len(CASES["ordinary"]), "false_alarms": alarms,
                                  "rate": round(rate, 4), "cap": MAX_FALSE_ALARM_RATE}, indent=1))
    assert rate <= MAX_FALSE_ALARM_RATE, alarms
