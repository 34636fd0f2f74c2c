"""Faults injected into the real assistant, started as `make run` starts it.

The assistant runs under its supervisor (``python -m bot.serve``) on free 127.0.0.1
ports. Its PostgreSQL and Redis are PRIVATE instances made here (initdb into a temp dir,
a redis-server on its own port), so stopping them never touches the machine's shared
servers that other test runs use, and every fault is undone in a ``finally``.

Every wait polls with a deadline; nothing sleeps a fixed time to let something happen.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from tests.assistant import free_port

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "cse.tar.gz"
PG_BIN = Path("/usr/lib/postgresql") / (sorted(os.listdir("/usr/lib/postgresql"))[-1] if Path("/usr/lib/postgresql").exists() else "15") / "bin"
START_TIMEOUT_S = 420
REQUEST_TIMEOUT_S = 30
EMERGENCY_FIRST = "If a child is in immediate danger, call the Police on 999 now."
SENDER_SECRET = uuid.uuid4().hex  # the assistant's sender-id key here, so tests can find a conversation


def poll(condition: Callable[[], bool], what: str, timeout: float = 60.0, every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:.0f} s")
        time.sleep(every)


# --- private PostgreSQL and Redis --------------------------------------------------------

class PrivatePostgres:
    def __init__(self, base: Path) -> None:
        # Outside pytest's temp dir: initdb runs as the postgres user, who cannot enter it.
        self.dir = Path(tempfile.mkdtemp(prefix="cse-faults-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *cmd: str) -> None:
        quoted = " ".join(f"'{c}'" for c in cmd)
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", quoted], check=True, timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def init(self) -> None:
        shutil.chown(self.dir, "postgres")
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                          "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "pg.log"), "-w",
                          "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    def __init__(self, base: Path) -> None:
        self.port = free_port()
        self.log = base / "redis.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1, socket_connect_timeout=1)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        poll(answers, "private redis-server answering", timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


# --- the assistant -------------------------------------------------------------------------

@dataclass
class Assistant:
    url: str
    logs: Path
    proc: subprocess.Popen
    engine: sa.engine.Engine | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def pid(self, name: str) -> int:
        return int((self.logs / f"{name}.pid").read_text().strip())

    def post(self, sender: str, message: str) -> tuple[int, list[str], float]:
        started = time.perf_counter()
        r = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                          timeout=REQUEST_TIMEOUT_S)
        took = time.perf_counter() - started
        body = r.json()
        return r.status_code, [m.get("text") or "" for m in body] if isinstance(body, list) else [], took

    def ready(self) -> bool:
        try:
            return requests.get(f"{self.url}/webhooks/rest/health", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def wait_ready(self, timeout: float = 120) -> None:
        poll(self.ready, "the assistant ready again", timeout=timeout, every=0.5)

    def stored_user_texts(self, sender: str) -> list[str]:
        """What the database holds of a REST sender's messages (stored under its keyed id)."""
        from cse_core import identity

        sender = identity.keyed_id("rest", sender, SENDER_SECRET.encode())
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' "
                                        "ORDER BY id"), {"s": sender}).scalars().all()
        return [json.loads(r)["text"] for r in rows]


def start_assistant(work: Path, env_extra: dict[str, str], endpoints: Path) -> Assistant:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does)")
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    logs = work / "logs"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false",
           "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port), "WEB_PORT": str(web_port),
           "CSE_LOG_DIR": str(logs), "CSE_ENDPOINTS": str(endpoints), "RASA_AUTH_TOKEN": uuid.uuid4().hex,
           "CSE_SENDER_BURST": "1000", "CSE_SENDER_RATE": "100", "CSE_SENDER_SECRET": SENDER_SECRET, **env_extra}
    out = open(work / "serve.out", "w")
    proc = subprocess.Popen([str(Path(os.sys.executable)), "-m", "bot.serve"], cwd=ROOT, env=env, stdout=out,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    assistant = Assistant(f"http://127.0.0.1:{rasa_port}", logs, proc)
    deadline = time.monotonic() + START_TIMEOUT_S
    while not assistant.ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_assistant(assistant)
            pytest.fail(f"the assistant did not become ready:\n{(work / 'serve.out').read_text()[-2000:]}\n"
                        f"{(logs / 'rasa.log').read_text(errors='replace')[-3000:] if (logs / 'rasa.log').exists() else ''}")
        time.sleep(0.25)
    return assistant


def stop_assistant(assistant: Assistant) -> None:
    proc = assistant.proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    for name in ("rasa", "actions", "web"):  # anything the supervisor could not stop
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
            os.killpg(assistant.pid(name), signal.SIGKILL)


def endpoints_file(work: Path, redis_port: int | None) -> Path:
    text = (ROOT / "endpoints.yml").read_text(encoding="utf-8")
    if redis_port is not None:
        text += (f"\nlock_store:\n  type: bot.lock_store.AtomicRedisLockStore\n  url: 127.0.0.1\n"
                 f"  port: {redis_port}\n  db: 0\n  key_prefix: faults\n")
    path = work / "endpoints.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pg_redis_assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """The assistant on a private PostgreSQL (tracker store) and Redis (lock store)."""
    if shutil.which("redis-server") is None or not (PG_BIN / "initdb").exists():
        pytest.fail("these tests need PostgreSQL's server binaries and redis-server (they run on every machine)")
    work = tmp_path_factory.mktemp("faults-pg")
    pg, rds = PrivatePostgres(work), PrivateRedis(work)
    pg.init()
    pg.start()
    rds.start()
    assistant = None
    try:
        assistant = start_assistant(work, {"CSE_DATABASE_URL": pg.url}, endpoints_file(work, rds.port))
        assistant.engine = sa.create_engine(pg.url, pool_pre_ping=True)
        assistant.extra.update(pg=pg, redis=rds)
        yield assistant
    finally:
        if assistant is not None:
            stop_assistant(assistant)
            if assistant.engine is not None:
                assistant.engine.dispose()
        rds.stop()
        pg.stop()
        pg.remove()


@pytest.fixture(scope="module")
def sqlite_assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    work = tmp_path_factory.mktemp("faults-sqlite")
    db = work / "cse.db"
    assistant = start_assistant(work, {"CSE_DATABASE_URL": f"sqlite:///{db}"}, endpoints_file(work, None))
    assistant.engine = sa.create_engine(f"sqlite:///{db}")
    assistant.extra["db"] = db
    try:
        yield assistant
    finally:
        stop_assistant(assistant)
        assistant.engine.dispose()
