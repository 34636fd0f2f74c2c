"""Fixtures for tests that must pass on both stores: SQLite (the embedded default) and the real
PostgreSQL server (127.0.0.1:5432, user postgres, trust), each test on a fresh database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from cse_core import storage

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture()
def postgres_db_url() -> Iterator[str]:
    name = f"cse_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cse.db'}"
    return request.getfixturevalue("postgres_db_url")


@pytest.fixture()
def db_engine(db_url: str) -> Iterator[sa.engine.Engine]:
    engine = storage.make_engine(db_url)
    yield engine
    engine.dispose()
