"""Shared fixtures: the real knowledge/, loaded once, and the running assistant.

`server` is the one running assistant (action server + Rasa over REST, free ports, a
throw-away SQLite store) shared by the e2e, channel and web suites: session-scoped, so it is
started only when a test asks for it, and once per pytest run however many suites ask
(tests/assistant.py starts it and talks to it). Suites that must break or reconfigure an
assistant (faults, scale, Teams, the privacy canary) start their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from cse_core import knowledge
from tests.assistant import MODEL, ROOT, SENDER_SECRET, Bot, free_port, wait_for


@pytest.fixture(scope="session")
def k() -> knowledge.Knowledge:
    return knowledge.load()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does)")
    work = tmp_path_factory.mktemp("rasa")
    rasa_port, actions_port = free_port(), free_port()
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        (ROOT / "endpoints.yml").read_text(encoding="utf-8").replace("127.0.0.1:5055", f"127.0.0.1:{actions_port}"),
        encoding="utf-8",
    )
    db = work / "cse.db"
    token = uuid.uuid4().hex
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false",
           "SANIC_HOST": "127.0.0.1", "CSE_DATABASE_URL": f"sqlite:///{db}", "CSE_SENDER_SECRET": SENDER_SECRET}
    bin_dir = Path(sys.executable).parent
    logs = {name: open(work / f"{name}.log", "w") for name in ("actions", "rasa")}
    actions = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
        cwd=ROOT, env=env, stdout=logs["actions"], stderr=subprocess.STDOUT,
    )
    rasa = subprocess.Popen(
        [str(bin_dir / "rasa"), "run", "--model", str(MODEL), "--endpoints", str(endpoints),
         "--credentials", str(ROOT / "credentials.yml"), "--port", str(rasa_port), "--interface", "127.0.0.1",
         "--enable-api", "--auth-token", token, "--cors", "*"],
        cwd=ROOT, env=env, stdout=logs["rasa"], stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{actions_port}/health", actions)
        wait_for(f"http://127.0.0.1:{rasa_port}/", rasa)
        yield {"url": f"http://127.0.0.1:{rasa_port}", "work": work, "db": db, "token": token,
               "logs": {name: work / f"{name}.log" for name in logs}}
    finally:
        for proc in (rasa, actions):
            proc.terminate()
        for proc in (rasa, actions):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs.values():
            log.close()


@pytest.fixture(scope="session")
def bot(server: dict[str, Any]) -> Bot:
    return Bot(server["url"])


@pytest.fixture()
def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"
