"""Fixtures for tests that run on both stores (SQLite and PostgreSQL)."""

from tests.databases import db_engine, db_url, postgres_db_url  # noqa: F401
