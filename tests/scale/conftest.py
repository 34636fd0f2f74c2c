"""Two Rasa replicas for real, started by scripts/run_scaled.sh on free 127.0.0.1 ports.

- PostgreSQL (127.0.0.1:5432, user postgres): a fresh database per test session, created
  here with SQLAlchemy and dropped afterwards.
- Redis (127.0.0.1:6379): a dedicated database number for the lock store
  (CSE_TEST_REDIS_DB, default 14), flushed before and after.
- The trained model models/cse.tar.gz (`make train` is run if it is missing).

Every test is bounded in time (TEST_TIME_LIMIT_S, by SIGALRM), every request has a timeout,
and start-up has its own deadline. Nothing listens on or talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from tests.assistant import free_port

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "cse.tar.gz"
SCRIPT = ROOT / "scripts" / "run_scaled.sh"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql://postgres@127.0.0.1:5432/{name}"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = int(os.environ.get("CSE_TEST_REDIS_DB", "14"))
STARTUP_TIMEOUT_S = 420
STOP_TIMEOUT_S = 60
TEST_TIME_LIMIT_S = 300
REQUEST_TIMEOUT_S = 90
TRAIN_TIMEOUT_S = 1500
READY_LINE = "Two replicas of the assistant are running"


@pytest.fixture(autouse=True)
def _time_limit() -> Iterator[None]:
    """Fail any test here that runs longer than TEST_TIME_LIMIT_S."""
    def expired(signum: int, frame: Any) -> None:
        pytest.fail(f"test took longer than {TEST_TIME_LIMIT_S}s", pytrace=False)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(TEST_TIME_LIMIT_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="session")
def model() -> Path:
    if not MODEL.exists():
        try:
            done = subprocess.run(["make", "train"], cwd=ROOT, timeout=TRAIN_TIMEOUT_S,
                                  capture_output=True, text=True)
        except subprocess.TimeoutExpired:
            pytest.fail(f"`make train` took longer than {TRAIN_TIMEOUT_S}s")
        if done.returncode != 0 or not MODEL.exists():
            pytest.fail(f"`make train` failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return MODEL


@pytest.fixture(scope="session")
def redis_db() -> Iterator[int]:
    """The dedicated Redis database for the lock store, empty before and after."""
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=5, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is needed at {REDIS_HOST}:{REDIS_PORT} for these tests: {exc.__class__.__name__}")
    client.flushdb()
    try:
        yield REDIS_DB
    finally:
        client.flushdb()
        client.close()


@pytest.fixture(scope="session")
def database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session; its URL. Dropped afterwards."""
    name = f"cse_scale_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL is needed at 127.0.0.1:5432 (user postgres) for these tests: {exc.__class__.__name__}")
    try:
        yield PG_URL.format(name=name)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _session_pids(sid: int) -> list[int]:
    """The processes of the session the script leads: the script and its three servers."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == sid:
                    pids.append(int(entry))
            except (ProcessLookupError, PermissionError):
                pass
    return pids


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the script (its trap stops the three servers); then, by pid, anything of its
    session still alive (the script runs them in their own process groups)."""
    if proc.poll() is None:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=STOP_TIMEOUT_S)
    for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        left = [pid for pid in _session_pids(proc.pid) if pid != os.getpid()]
        if not left:
            break
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _session_pids(proc.pid):
            time.sleep(0.5)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


@pytest.fixture(scope="session")
def scaled(model: Path, database: str, redis_db: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """scripts/run_scaled.sh running: one action server and replicas A and B."""
    work = tmp_path_factory.mktemp("scaled")
    port_a, port_b, actions_port = free_port(), free_port(), free_port()
    env = {**os.environ, "CSE_DATABASE_URL": database, "CSE_REDIS_HOST": REDIS_HOST, "CSE_REDIS_PORT": str(REDIS_PORT),
           "CSE_REDIS_LOCK_DB": str(redis_db), "CSE_REDIS_PASSWORD": "", "RASA_PORT_A": str(port_a),
           "RASA_PORT_B": str(port_b), "ACTIONS_PORT": str(actions_port), "MODEL": str(model),
           "CSE_LOG_DIR": str(work / "logs"), "RASA_AUTH_TOKEN": uuid.uuid4().hex, "RASA_TELEMETRY_ENABLED": "false",
           "STARTUP_TIMEOUT": str(STARTUP_TIMEOUT_S - 20)}
    out_path = work / "run_scaled.out"
    out = open(out_path, "w")
    proc = subprocess.Popen(["bash", str(SCRIPT)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    engine = sa.create_engine(database, connect_args={"connect_timeout": 5})
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while READY_LINE not in out_path.read_text(encoding="utf-8", errors="replace"):
            if proc.poll() is not None:
                pytest.fail(f"scripts/run_scaled.sh exited with {proc.returncode} while starting:\n"
                            f"{out_path.read_text(encoding='utf-8', errors='replace')[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"scripts/run_scaled.sh was not ready within {STARTUP_TIMEOUT_S}s")
            time.sleep(0.25)
        yield {"a": f"http://127.0.0.1:{port_a}", "b": f"http://127.0.0.1:{port_b}",
               "actions": f"http://127.0.0.1:{actions_port}", "engine": engine, "work": work, "proc": proc,
               "output": out_path}
    finally:
        _stop(proc)
        engine.dispose()
        out.close()


def say(url: str, sender: str, message: str) -> str:
    """The replies to one message over REST, joined, with button titles."""
    r = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                      timeout=REQUEST_TIMEOUT_S)
    r.raise_for_status()
    return reply_text(r.json())


def reply_text(messages: list[dict[str, Any]]) -> str:
    parts = []
    for m in messages:
        if m.get("text"):
            parts.append(m["text"])
        parts += [f"[{b['title']}]" for b in m.get("buttons") or []]
    return "\n".join(parts)


def stored_events(engine: sa.engine.Engine, sender: str) -> list[dict[str, Any]]:
    """The conversation's events as PostgreSQL holds them, in insertion (id) order (stored
    under the REST sender's keyed hash: the replicas and this process share the secret)."""
    from cse_core import identity

    sender = identity.sender_id("rest", sender)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, type_name, action_name, data FROM events "
                                    "WHERE sender_id = :sender ORDER BY id"), {"sender": sender}).all()
    return [{"id": r.id, "type": r.type_name, "action": r.action_name, "raw": r.data, **json.loads(r.data)}
            for r in rows]


def describe(events: list[dict[str, Any]]) -> list[str]:
    """A short readable form of events, for failure messages."""
    out = []
    for e in events:
        if e["type"] == "user":
            out.append(f"user:{e.get('text')!r}")
        elif e["type"] == "action":
            out.append(f"action:{e['action']}")
        else:
            out.append(e["type"])
    return out
