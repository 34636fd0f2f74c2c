"""Screening records keep the day, not the second (issue 14), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from cse_core import records, screening
from tests.core.test_screening import state


def _completed(engine: sa.engine.Engine) -> list[dt.datetime]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.select(records.screening_records.c.completed_at))]


def test_a_record_keeps_the_day_only(k, db_engine):
    records.migrate(db_engine)
    s = state(k, "new_case", "high")
    records.record(db_engine, k, s, screening.result(k, s), now=dt.datetime(2026, 11, 28, 17, 42, 13, 501))
    assert _completed(db_engine) == [dt.datetime(2026, 11, 28)]


def test_the_day_is_the_utc_day(k, db_engine):
    records.migrate(db_engine)
    s = state(k)
    late = dt.datetime(2026, 11, 28, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2)))  # 01:30 UTC next day
    records.record(db_engine, k, s, screening.result(k, s), now=late)
    assert _completed(db_engine) == [dt.datetime(2026, 11, 29)]


def test_migration_truncates_times_already_stored(k, db_engine):
    with db_engine.begin() as conn:  # a database at version 1, with a record to the second
        records.schema_version.create(conn, checkfirst=True)
        records.MIGRATIONS[0](conn)
        conn.execute(records.schema_version.insert().values(version=1))
    s = state(k)
    records.record(db_engine, k, s, screening.result(k, s), now=dt.datetime(2026, 1, 1))
    with db_engine.begin() as conn:
        conn.execute(records.screening_records.update().values(completed_at=dt.datetime(2026, 1, 2, 9, 15, 7)))
    assert records.migrate(db_engine) == len(records.MIGRATIONS)
    assert _completed(db_engine) == [dt.datetime(2026, 1, 2)]
