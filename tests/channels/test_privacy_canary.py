"""End to end (issue 14): canary identifiers of every class, typed through REST, Telegram and
Teams, are then searched for in every file, table and log the run wrote.

One Rasa server (REST and Teams channels, API on, debug logging so every log line Rasa can
write is written), the action server, the Telegram bridge against the fake Bot API, and the
fake Bot Framework. After the conversations: the database rows of every table, the database
files (with the write-ahead log), every log, every file written under the work folder and the
repository during the run, and the conversations behind the HTTP API must hold none of the
canaries, nor the raw sender ids; and each conversation must have been stored (redacted).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from cse_core import identity
from tests.assistant import MODEL, ROOT, free_port, wait_for
from tests.channels.fake_botframework import (
    APP_ID,
    APP_PASSWORD,
    TENANT_ID,
    FakeServers,
    activity,
    start_connector,
    start_login,
)
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.test_telegram import SENDER_KEY, BridgeProcess, Chat

CANARIES = {
    "name": "Kaydence Whitfield",
    "friend name": "Jaylah",
    "phone": "07700 900461",
    "international phone": "+48 601 234 567",
    "email": "kaydence.w2011@example.com",
    "spelled email": "kayw at hotmail dot com",
    "postcode": "DL3 7QT",
    "address": "14 Pendower Street",
    "school": "Hummersknott Academy",
    "date of birth": "third of April two thousand and eleven",
    "nhs number": "943 476 5919",
    "ni number": "QQ 12 34 56 C",
    "plate": "NK19 XYZ",
    "handle": "kaydence_xo99",
    "profile url": "instagram.com/kaydence.whitfield",
}
C = CANARIES
MESSAGES = [
    f"my daughter {C['name']} is 14 and I'm worried, her snapchat is {C['handle']}",
    f"she goes to {C['school']} and lives at {C['address']}, {C['postcode']}",
    f"ring me on {C['phone']} or email {C['email']} or {C['spelled email']}",
    f"she was born on the {C['date of birth']}, her NHS number is {C['nhs number']}",
    f"the man's car reg is {C['plate']}, his NI number is {C['ni number']}, his profile is https://{C['profile url']}",
    f"he has a foreign number {C['international phone']} and her friend {C['friend name']} was with her",
]
RASA_SECRET = "canary-sender-secret-" + uuid.uuid4().hex
SKIP_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"}


def _credentials(login: Any) -> str:
    return ("bot.channels.rest.SafeRestInput:\n"
            "bot.channels.teams.TeamsInput:\n"
            "  app_id: ${TEAMS_TEST_APP_ID}\n"
            '  app_password: "${TEAMS_TEST_APP_PASSWORD}"\n'
            f"  tenant_id: {TENANT_ID}\n"
            f'  token_url: "{login.token_url()}"\n'
            f'  openid_metadata_url: "{login.openid_metadata_url}"\n')


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does)")
    started = time.time()
    servers = FakeServers()
    login, connector = start_login(servers), start_connector(servers)
    telegram = FakeTelegram().start()
    work = tmp_path_factory.mktemp("canary")
    rasa_port, actions_port = free_port(), free_port()
    endpoints, credentials = work / "endpoints.yml", work / "credentials.yml"
    endpoints.write_text((ROOT / "endpoints.yml").read_text(encoding="utf-8")
                         .replace("127.0.0.1:5055", f"127.0.0.1:{actions_port}"), encoding="utf-8")
    credentials.write_text(_credentials(login), encoding="utf-8")
    db, token = work / "cse.db", uuid.uuid4().hex
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false",
           "SANIC_HOST": "127.0.0.1", "CSE_DATABASE_URL": f"sqlite:///{db}", "CSE_SENDER_SECRET": RASA_SECRET,
           "TEAMS_TEST_APP_ID": APP_ID, "TEAMS_TEST_APP_PASSWORD": APP_PASSWORD}
    logs = {name: work / f"{name}.log" for name in ("actions", "rasa")}
    handles = {name: open(path, "w") for name, path in logs.items()}
    procs = [
        subprocess.Popen([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port),
                          "--debug"], cwd=ROOT, env=env, stdout=handles["actions"], stderr=subprocess.STDOUT),
        subprocess.Popen([str(Path(sys.executable).parent / "rasa"), "run", "--model", str(MODEL),
                          "--endpoints", str(endpoints), "--credentials", str(credentials), "--port", str(rasa_port),
                          "--interface", "127.0.0.1", "--enable-api", f"--auth-token={token}", "--debug"],
                         cwd=ROOT, env=env, stdout=handles["rasa"], stderr=subprocess.STDOUT),
    ]
    bridge = None
    try:
        wait_for(f"http://127.0.0.1:{actions_port}/health", procs[0])
        wait_for(f"http://127.0.0.1:{rasa_port}/webhooks/teams/", procs[1])
        url = f"http://127.0.0.1:{rasa_port}"
        bridge = BridgeProcess(telegram, work / "telegram.log", url).start()
        yield {"url": url, "work": work, "db": db, "token": token, "logs": [*logs.values(), work / "telegram.log"],
               "login": login, "connector": connector, "telegram": telegram, "bridge": bridge, "started": started}
    finally:
        if bridge is not None:
            bridge.stop()
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for handle in handles.values():
            handle.close()
        telegram.stop()
        servers.close()


def _via_rest(run: dict[str, Any]) -> str:
    raw = f"web-{uuid.uuid4().hex}"
    for message in MESSAGES:
        r = requests.post(f"{run['url']}/webhooks/rest/webhook", json={"sender": raw, "message": message}, timeout=60)
        assert r.status_code == 200 and r.json(), r.text
    return raw


def _via_telegram(run: dict[str, Any]) -> Chat:
    chat = Chat(run["telegram"], run["bridge"])
    for message in MESSAGES:
        since = chat.send(message)
        chat.reply(since)  # one answer at least before the next message
    return chat


def _via_teams(run: dict[str, Any]) -> str:
    user = f"29:canary-{uuid.uuid4().hex}"
    conversation = f"a:{uuid.uuid4().hex}"
    for n, message in enumerate(MESSAGES, start=1):
        act = activity(run["connector"].base_url, message, user_id=user, conversation_id=conversation,
                       **{"from": {"id": user, "name": C["name"], "aadObjectId": str(uuid.uuid4())}})
        token = run["login"].sign(audience=APP_ID, service_url=act["serviceUrl"])
        r = requests.post(f"{run['url']}/webhooks/teams/webhook", json=act,
                          headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert r.status_code == 202, r.text
        deadline = time.monotonic() + 60
        while len({x.match["activity"] for x in run["connector"].sent_to(conversation)}) < n:
            assert time.monotonic() < deadline, "Teams: no reply"
            time.sleep(0.2)
    return user


def _wait_until_saved(db: Path, sender: str, turns: int, timeout: float = 60) -> None:
    """Poll the store until ``turns`` user messages of ``sender`` and the listen after the last are in."""
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(db) as conn:
            users = conn.execute("SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
                                 (sender,)).fetchone()[0]
            last = conn.execute("SELECT type_name, action_name FROM events WHERE sender_id = ? ORDER BY id DESC "
                                "LIMIT 1", (sender,)).fetchone()
        if users >= turns and last == ("action", "action_listen"):
            return
        assert time.monotonic() < deadline, f"{sender}: {users} of {turns} turns saved"
        time.sleep(0.1)


def _tables(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = []
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                out.append(" ".join(str(c) for c in row))
    return "\n".join(out)


def _files_written(roots: list[Path], since: float) -> dict[Path, str]:
    found: dict[Path, str] = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    if path.stat().st_mtime >= since and path.stat().st_size < 200 * 2**20:
                        found[path] = path.read_bytes().decode("utf-8", errors="replace")
                except OSError:
                    continue
    return found


def test_no_canary_reaches_a_file_a_table_a_log_or_the_api(run):
    rest_raw = _via_rest(run)
    chat = _via_telegram(run)
    teams_raw = _via_teams(run)

    key = RASA_SECRET.encode()
    stored = {
        "rest": identity.sender_id("rest", rest_raw, key),
        "telegram": identity.sender_id("rest", identity.keyed_id("tg", str(chat.id), SENDER_KEY.encode()), key),
        "teams": identity.sender_id("teams", teams_raw, key),
    }
    _wait_until_saved(run["db"], stored["teams"], len(MESSAGES))  # Teams saves a turn after its reply
    tables = _tables(run["db"])
    for channel, sender in stored.items():  # every conversation was stored, redacted
        rows = [line for line in tables.splitlines() if f" {sender} " in line]
        assert len(rows) > 10, channel
        assert "[NAME]" in "\n".join(rows) and "[PHONE]" in "\n".join(rows), channel

    api = {channel: requests.get(f"{run['url']}/conversations/{sender}/tracker", params={"token": run["token"]},
                                 timeout=30).text for channel, sender in stored.items()}
    files = _files_written([run["work"], ROOT], run["started"])
    assert run["db"] in files and any(p.name.endswith("-wal") for p in files), sorted(files)
    assert all(log in files for log in run["logs"])

    secrets = {**CANARIES, "rest sender": rest_raw, "teams sender": teams_raw, "telegram chat": str(chat.id)}
    for kind, value in secrets.items():
        assert value not in tables, f"{kind} in a database table"
        for path, text in files.items():
            assert value not in text, f"{kind} in {path}"
        for channel, text in api.items():
            assert value not in text, f"{kind} behind the API ({channel})"
