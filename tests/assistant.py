"""The running assistant the test suites share: what starts it and how to talk to it.

The session-scoped fixtures `server` (the real action server and Rasa server, started once
per pytest run), `bot` and `sender` are in tests/conftest.py; the e2e, channel and web
suites use them, so one pytest run over several suites (`make test-live`) boots Rasa once.
The trained model (models/cse.tar.gz, built by `make train`) is served on free ports with a
throw-away SQLite tracker store, exactly as `make run` serves it.
"""

from __future__ import annotations

import socket
import subprocess
import time
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
