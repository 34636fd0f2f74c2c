"""The running assistant the test suites and `make eval` share: what starts it and how to talk to it.

The session-scoped fixtures `server` (the real action server and Rasa server, started once
per pytest run), `bot` and `sender` are in tests/conftest.py; the e2e, channel and web
suites use them, so one pytest run over several suites (`make test-live`) boots Rasa once.
The trained model (models/cse.tar.gz, built by `make train`) is served on free ports with a
throw-away SQLite tracker store, exactly as `make run` serves it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "cse.tar.gz"
SENDER_SECRET = "e2e-sender-secret-0123456789abcdef"  # the servers' key for sender ids (one value, however imported)


def stored_id(sender: str, channel: str = "rest") -> str:
    """The id a REST sender's conversation has in the store and the API (a keyed hash)."""
    from cse_core import identity

    return identity.sender_id(channel, sender, SENDER_SECRET.encode())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer in {timeout}s")


@contextlib.contextmanager
def running_assistant(work: Path, model: Path = MODEL, env: dict[str, str] | None = None,
                      credentials: Path = ROOT / "credentials.yml", ready_path: str = "/") -> Iterator[dict[str, Any]]:
    """The action server and Rasa on free ports, serving ``model`` with a throw-away SQLite
    store in ``work``, started as `make run` starts them (the launcher, bot/serve.py: version
    checks, the patches, the action endpoint's breaker); stopped on exit. Yields the url, the
    database file, the API token and the log files."""
    rasa_port, actions_port = free_port(), free_port()
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        (ROOT / "endpoints.yml").read_text(encoding="utf-8").replace("127.0.0.1:5055", f"127.0.0.1:{actions_port}"),
        encoding="utf-8",
    )
    db = work / "cse.db"
    token = uuid.uuid4().hex
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false",
           "SANIC_HOST": "127.0.0.1", "CSE_DATABASE_URL": f"sqlite:///{db}", "CSE_SENDER_SECRET": SENDER_SECRET,
           "RASA_AUTH_TOKEN": token, **(env or {})}
    logs = {name: work / f"{name}.log" for name in ("actions", "rasa")}
    with open(logs["actions"], "w") as actions_log, open(logs["rasa"], "w") as rasa_log:
        actions = subprocess.Popen(
            [sys.executable, "-m", "bot.serve", "actions", "--port", str(actions_port)],
            cwd=ROOT, env=env, stdout=actions_log, stderr=subprocess.STDOUT,
        )
        rasa = subprocess.Popen(
            [sys.executable, "-m", "bot.serve", "rasa", "--model", str(model), "--endpoints", str(endpoints),
             "--credentials", str(credentials), "--port", str(rasa_port), "--interface", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=rasa_log, stderr=subprocess.STDOUT,
        )
        try:
            wait_for(f"http://127.0.0.1:{actions_port}/health", actions)
            wait_for(f"http://127.0.0.1:{rasa_port}{ready_path}", rasa)
            yield {"url": f"http://127.0.0.1:{rasa_port}", "work": work, "db": db, "token": token, "logs": logs}
        finally:
            for proc in (rasa, actions):
                proc.terminate()
            for proc in (rasa, actions):
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


class Bot:
    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        r = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60)
        r.raise_for_status()
        return r.json()

    def say(self, sender: str, message: str) -> str:
        """The bot's replies to one message, joined, with button titles."""
        parts = []
        for m in self.send(sender, message):
            if m.get("text"):
                parts.append(m["text"])
            parts += [f"[{b['title']}]" for b in m.get("buttons") or []]
        return "\n".join(parts)
