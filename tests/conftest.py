"""Shared fixtures: the real knowledge/, loaded once."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from cse_core import knowledge


@pytest.fixture(scope="session")
def k() -> knowledge.Knowledge:
    return knowledge.load()
