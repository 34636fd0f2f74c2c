"""Anonymous screening records, their migrations, and the report (issue 5)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from cse_core import records, report, screening, storage
from tests.core.test_screening import state


@pytest.fixture()
def engine(tmp_path):
    return storage.make_engine(f"sqlite:///{tmp_path / 'records.db'}")


def test_migrations_are_idempotent(engine):
    assert records.migrate(engine) == len(records.MIGRATIONS)
    assert records.migrate(engine) == len(records.MIGRATIONS)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM schema_version")).scalar() == len(records.MIGRATIONS)


def test_a_record_holds_fixed_values_only(k, engine):
    records.migrate(engine)
    s = state(k, "open_social_care", "high")
    records.record(engine, k, s, screening.result(k, s), now=dt.datetime(2026, 11, 28, 10, 30))
    with engine.connect() as conn:
        row = conn.execute(sa.select(records.screening_records)).mappings().one()
    assert row["level"] == "high" and row["pathway"] == "open_social_care" and row["ind_missing"] == "high"
    assert row["rules_version"] == k.risk_rules["version"] and row["guidance_version"].startswith("DSP1")
    text_columns = [c.name for c in records.screening_records.columns if isinstance(c.type, sa.Text)]
    assert text_columns == []  # nowhere for free text to go


def test_columns_match_the_indicators(k):
    assert [i.id for i in k.indicators] == records.RATING_COLUMNS


def test_unexpected_values_are_refused(k, engine):
    records.migrate(engine)
    s = state(k)
    s["audience"] = "Chloe"
    with pytest.raises(ValueError):
        records.record(engine, k, s, screening.result(k, s))


def test_report_counts_and_chart(k, engine, tmp_path):
    records.migrate(engine)
    for when, status, level in [(dt.datetime(2026, 10, 3), "new_case", "low"),
                                (dt.datetime(2026, 11, 4), "new_case", "high"),
                                (dt.datetime(2026, 11, 5), "open_early_help", "medium")]:
        s = state(k, status, level)
        records.record(engine, k, s, screening.result(k, s), now=when)
    summary = report.summarise(engine)
    assert summary["month"] == {"2026-10": 1, "2026-11": 2}
    assert summary["level"] == {"low": 1, "high": 1, "medium": 1}
    assert summary["pathway"] == {"new_case": 2, "open_early_help": 1}
    assert summary["indicator"]["Education"] == 2 and summary["indicator"]["Running away / going missing"] == 1
    assert "2026-11      2" in report.table("month", summary["month"], sort_by_key=True)
    png = report.chart(summary, tmp_path / "chart.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
