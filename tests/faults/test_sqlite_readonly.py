"""The SQLite file made read-only under a running assistant (chattr +i, which binds root
too), then writable again: the message is failed kindly, nothing partial is kept, and the
assistant recovers without a restart."""

from __future__ import annotations

import subprocess
import uuid

import pytest

from cse_core import texts
from tests.faults.conftest import EMERGENCY_FIRST, Assistant
from tests.faults.load import InFlight, check_conversation


def immutable(paths: list, on: bool) -> None:
    subprocess.run(["chattr", "+i" if on else "-i", *map(str, paths)], check=True, capture_output=True)


def test_the_sqlite_file_read_only(sqlite_assistant: Assistant):
    a = sqlite_assistant
    db = a.extra["db"]
    files = [db, db.with_name(db.name + "-wal")]  # not -shm: it is memory-mapped (SIGBUS, not a disk fault)
    who = f"faults-ro-{uuid.uuid4().hex[:8]}"
    assert "immediate danger" in "\n".join(a.post(who, "I want to do a risk screening")[1])
    rasa_pid = a.pid("rasa")
    try:
        immutable([f for f in files if f.exists()], True)
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.fail("chattr +i is needed (ext4 and root): it is how this test makes the file read-only")
    try:
        with InFlight(a.url, n=3) as load:
            _, replies, _ = a.post(who, "no")
            assert replies == [texts.say(texts.STORAGE_DOWN)], replies
            _, replies, _ = a.post(f"faults-ro-{uuid.uuid4().hex[:8]}",
                                        "she's being held in a flat by older men right now")
            # 999 first; the storage words follow unless the turn outlasted the safety deadline
            assert replies[0].startswith(EMERGENCY_FIRST) and replies[1:] in ([], [texts.say(texts.STORAGE_DOWN)])
    finally:
        immutable([f for f in files if f.exists()], False)
    a.wait_ready()  # the action server shares the file (screening records) and may have timed out meanwhile
    _status, replies, _ = a.post(who, "no")
    assert "practitioner or as a parent" in "\n".join(replies), "the pre-screen resumes at the same question"
    assert a.stored_user_texts(who) == ["I want to do a risk screening", "no"]
    assert a.pid("rasa") == rasa_pid
    for conversation in load.conversations:
        check_conversation(conversation, a.stored_user_texts(conversation.sender))
