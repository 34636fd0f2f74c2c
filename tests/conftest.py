"""Shared fixtures: the real knowledge/, loaded once, and the running assistant.

`server` is the one running assistant (action server + Rasa over REST, free ports, a
throw-away SQLite store) shared by the e2e, channel and web suites: session-scoped, so it is
started only when a test asks for it, and once per pytest run however many suites ask
(tests/assistant.py starts it and talks to it). Suites that must break or reconfigure an
assistant (faults, scale, Teams, the privacy canary) start their own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from cse_core import knowledge
from tests.assistant import MODEL, Bot, running_assistant


@pytest.fixture(scope="session")
def k() -> knowledge.Knowledge:
    return knowledge.load()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train` (make test does)")
    with running_assistant(tmp_path_factory.mktemp("rasa")) as running:
        yield running


@pytest.fixture(scope="session")
def bot(server: dict[str, Any]) -> Bot:
    return Bot(server["url"])


@pytest.fixture()
def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"
