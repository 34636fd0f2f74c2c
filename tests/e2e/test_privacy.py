"""After a conversation full of a child's identifiers, nothing on disk, in a log or behind
the API holds them (issue 5); the API is locked; deleting a conversation works."""

from __future__ import annotations

import sqlite3

import requests

from tests.assistant import stored_id

IDENTIFIERS = {
    "name": "Chloe Smith",
    "phone": "07700 900123",
    "email": "chloe.smith@example.com",
    "postcode": "DL2 2AB",
    "street": "12 Elm Road",
    "dob": "03/04/2011",
}
MESSAGES = [
    f"My daughter {IDENTIFIERS['name']} is 14 and I'm worried, what should I do?",
    f"she lives at {IDENTIFIERS['street']}, {IDENTIFIERS['postcode']}",
    f"you can ring me on {IDENTIFIERS['phone']} or email {IDENTIFIERS['email']}",
    f"she was born on {IDENTIFIERS['dob']}",
    "I want to do a risk screening",
    "no",
    f"her name is {IDENTIFIERS['name']}",
]


def _db_text(path) -> str:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT sender_id, type_name, intent_name, action_name, data FROM events").fetchall()
    return "\n".join(" ".join(str(c) for c in row) for row in rows)


def test_identifiers_are_nowhere_after_a_conversation(bot, server, sender):
    for message in MESSAGES:
        bot.send(sender, message)
    stored = _db_text(server["db"])
    # the database file and its write-ahead log (recent rows live there until a checkpoint)
    files = sorted(server["db"].parent.glob(server["db"].name + "*"))
    assert any(f.name.endswith("-wal") for f in files), files
    raw = "".join(f.read_bytes().decode("latin-1") for f in files)
    logs = "".join(p.read_text(encoding="utf-8", errors="replace") for p in server["logs"].values())
    api = requests.get(f"{server['url']}/conversations/{stored_id(sender)}/tracker", params={"token": server["token"]},
                       timeout=10)
    assert api.status_code == 200
    assert "[NAME]" in stored and "[PHONE]" in stored  # the conversation was stored, redacted
    for kind, value in IDENTIFIERS.items():
        assert value not in stored, f"{kind} in the database rows"
        assert value not in raw, f"{kind} in the database file"
        assert value not in logs, f"{kind} in the logs"
        assert value not in api.text, f"{kind} behind the API"


def test_the_api_needs_the_token(server, bot, sender):
    bot.send(sender, "hello")
    refused = requests.get(f"{server['url']}/conversations/{stored_id(sender)}/tracker", timeout=10)
    assert refused.status_code in (401, 403)
    wrong = requests.get(f"{server['url']}/conversations/{stored_id(sender)}/tracker", params={"token": "wrong"},
                         timeout=10)
    assert wrong.status_code in (401, 403)


def test_delete_my_conversation(bot, server, sender):
    bot.send(sender, "what is the MEG")
    assert stored_id(sender) in _db_text(server["db"])
    assert sender not in _db_text(server["db"])  # the client's own id is never stored
    reply = bot.say(sender, "delete my conversation")
    assert "delete this conversation" in reply
    assert "I've deleted this conversation" in bot.say(sender, "yes")
    assert stored_id(sender) not in _db_text(server["db"])


def test_keeping_the_conversation_when_the_user_says_no(bot, server, sender):
    bot.send(sender, "what is the MEG")
    bot.say(sender, "delete my conversation")
    assert "I haven't deleted anything" in bot.say(sender, "no")
    assert stored_id(sender) in _db_text(server["db"])


def test_health_reports_the_database(server):
    health = requests.get(f"{server['url']}/webhooks/rest/ready", timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok"}, "ok / not ok, no internals"


def test_completed_screenings_are_counted_without_identifiers(bot, server, sender):
    bot.say(sender, "I want to do a risk screening")
    for answer in ["no", "parent", "14", "no", "new case", *["no"] * 5, "high", *["no"] * 8, "no", "no"]:
        reply = bot.say(sender, answer)
    assert "Pre-screen result: high" in reply
    with sqlite3.connect(server["db"]) as conn:
        rows = conn.execute("SELECT level, pathway, age_band, role, ind_missing FROM screening_records").fetchall()
    assert ("high", "new_case", "13_15", "parent", "high") in rows
