"""Faults in a running assistant on PostgreSQL + Redis, with conversations in flight:
the action server killed and hung, PostgreSQL stopped and restarted, Redis stopped and
restarted. Each time: 999 first for a danger message, a kind reply (never silence) for
anything else, no lost or mixed turn, and recovery without restarting Rasa."""

from __future__ import annotations

import os
import signal
import uuid

import pytest

from cse_core import texts
from tests.faults.conftest import EMERGENCY_FIRST, Assistant, poll
from tests.faults.load import InFlight, check_conversation

DANGER = "he has got her in his car right now and won't let her out"
QUESTION = "what is trauma bonding"
SCREEN = [("I want to do a risk screening", "immediate danger"), ("no", "practitioner or as a parent"),
          ("practitioner", "How old"), ("14", "learning disability")]


def sender(tag: str) -> str:
    return f"faults-{tag}-{uuid.uuid4().hex[:8]}"


def start_screening(assistant: Assistant, who: str) -> None:
    for message, expected in SCREEN:
        status, replies, _ = assistant.post(who, message)
        assert status == 200 and expected in "\n".join(replies), (message, replies)


def assert_999_first(replies: list[str]) -> None:
    assert replies and replies[0].startswith(EMERGENCY_FIRST), replies


def check_in_flight(assistant: Assistant, load: InFlight) -> None:
    for conversation in load.conversations:
        assert conversation.sent, "the load did not run"
        check_conversation(conversation, assistant.stored_user_texts(conversation.sender))


def test_the_action_server_killed(pg_redis_assistant: Assistant):
    a = pg_redis_assistant
    rasa_pid, actions_pid = a.pid("rasa"), a.pid("actions")
    screening = sender("screen")
    start_screening(a, screening)
    with InFlight(a.url) as load:
        os.kill(actions_pid, signal.SIGKILL)
        status, replies, took = a.post(sender("danger"), DANGER)
        assert status == 200
        assert_999_first(replies)
        print(f"999 with the action server dead: {took:.3f} s")
        status, replies, _ = a.post(sender("question"), QUESTION)
        assert status == 200 and replies, "never silence"
        assert replies == [texts.say(texts.UNAVAILABLE)] or "trauma bond" in replies[0].lower()
        poll(lambda: a.pid("actions") != actions_pid, "the supervisor restarts the action server")
        a.wait_ready()
    status, replies, _ = a.post(screening, "no")
    assert "known to services" in "\n".join(replies), "the pre-screen carries on where it was"
    assert a.pid("rasa") == rasa_pid, "Rasa was not restarted"
    check_in_flight(a, load)


def test_the_action_server_hung(pg_redis_assistant: Assistant):
    a = pg_redis_assistant
    a.wait_ready()
    actions_pid = a.pid("actions")
    screening = sender("screen")
    start_screening(a, screening)
    with InFlight(a.url) as load:
        os.kill(actions_pid, signal.SIGSTOP)
        try:
            status, replies, took = a.post(sender("danger"), DANGER)
            assert status == 200
            assert_999_first(replies)
            print(f"999 with the action server hung: {took:.3f} s")
            status, replies, _ = a.post(sender("question"), QUESTION)
            assert status == 200 and replies == [texts.say(texts.UNAVAILABLE)]
            assert not a.ready(), "readiness says a part is down"
        finally:
            os.kill(actions_pid, signal.SIGCONT)
        a.wait_ready()
    status, replies, _ = a.post(screening, "no")
    assert "known to services" in "\n".join(replies)
    check_in_flight(a, load)


def test_postgres_stopped_and_restarted(pg_redis_assistant: Assistant):
    a = pg_redis_assistant
    a.wait_ready()
    pg = a.extra["pg"]
    rasa_pid = a.pid("rasa")
    screening = sender("screen")
    start_screening(a, screening)
    with InFlight(a.url) as load:
        pg.stop()
        try:
            _, replies, _ = a.post(screening, "no")
            assert replies == [texts.say(texts.STORAGE_DOWN)], replies
            _, replies, _ = a.post(sender("danger"), DANGER)
            assert_999_first(replies)
            assert replies[1:] in ([], [texts.say(texts.STORAGE_DOWN)])
            poll(lambda: not a.ready(), "readiness false while the database is down", timeout=10)
        finally:
            pg.start()
        a.wait_ready()
    _status, replies, _ = a.post(screening, "no")
    assert "known to services" in "\n".join(replies), "the failed answer was not kept; the retry is"
    assert a.stored_user_texts(screening) == [m for m, _ in SCREEN] + ["no"], "intact: nothing partial, nothing lost"
    assert a.pid("rasa") == rasa_pid, "recovered without a restart"
    check_in_flight(a, load)


def test_redis_stopped_and_restarted(pg_redis_assistant: Assistant):
    a = pg_redis_assistant
    a.wait_ready()
    rds = a.extra["redis"]
    rasa_pid = a.pid("rasa")
    screening = sender("screen")
    start_screening(a, screening)
    with InFlight(a.url) as load:
        rds.stop()
        try:
            status, replies, _ = a.post(screening, "no")
            assert status == 200 and replies == [texts.say(texts.UNAVAILABLE)], replies
            status, replies, _ = a.post(sender("danger"), DANGER)
            assert_999_first(replies)
        finally:
            rds.start()
        poll(lambda: a.post(sender("probe"), "hello")[1] != [texts.say(texts.UNAVAILABLE)],
             "conversations answered again once Redis is back", timeout=60, every=0.5)
    status, replies, _ = a.post(screening, "no")
    assert "known to services" in "\n".join(replies)
    assert a.stored_user_texts(screening) == [m for m, _ in SCREEN] + ["no"]
    assert a.pid("rasa") == rasa_pid
    check_in_flight(a, load)


@pytest.mark.parametrize("body", [b"{", b"[]", b'{"sender": 5, "message": "hi"}', b'{"sender": "' + b"x" * 300 + b'"}'])
def test_malformed_requests_get_400_not_500(pg_redis_assistant: Assistant, body: bytes):
    import requests

    r = requests.post(f"{pg_redis_assistant.url}/webhooks/rest/webhook", data=body,
                      headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 400 and "error" in r.json()
