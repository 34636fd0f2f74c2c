"""Anonymous screening records (issue 5): one row per completed pre-screen.

The day (never the time of day: a time narrows a record to one conversation), role, age band, learning-disability flag, case status, the 14 ratings, level,
pathway, rules version and guidance version; no free text and nothing identifying, so
completed screenings can be counted for the MEG and MESA groups without keeping a child.
The schema is created and migrated here: ``MIGRATIONS`` is an ordered list, and the
``schema_version`` table records how far a database has come.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from cse_core import screening
from cse_core.knowledge import Knowledge

metadata = sa.MetaData()
schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))
RATING_COLUMNS = [
    "family_peer", "accommodation", "education", "emotional_health", "violence", "missing", "abusive_adults",
    "substance_misuse", "coercion_control", "rewards", "sexual_health", "sexualised_risk", "risk_to_others",
    "engagement",
]
screening_records = sa.Table(
    "screening_records", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("completed_at", sa.DateTime, nullable=False, index=True),
    sa.Column("role", sa.String(20)),
    sa.Column("age_band", sa.String(20)),
    sa.Column("learning_disability", sa.String(10)),
    sa.Column("case_status", sa.String(40)),
    *[sa.Column(f"ind_{c}", sa.String(12)) for c in RATING_COLUMNS],
    sa.Column("level", sa.String(10), nullable=False),
    sa.Column("referral_required", sa.Boolean, nullable=False, default=False),
    sa.Column("pathway", sa.String(40), nullable=False),
    sa.Column("rules_version", sa.String(40), nullable=False),
    sa.Column("guidance_version", sa.String(80), nullable=False),
)


def _v1(conn: Connection) -> None:
    screening_records.create(conn, checkfirst=True)


def _v2(conn: Connection) -> None:
    """Records keep the day, not the second (issue 14): truncate the times already stored."""
    rows = conn.execute(sa.select(screening_records.c.id, screening_records.c.completed_at)).all()
    for row_id, completed in rows:
        if completed is not None and completed != day_of(completed):
            conn.execute(screening_records.update().where(screening_records.c.id == row_id)
                         .values(completed_at=day_of(completed)))


# Append new steps; never edit a released one.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2]


def day_of(moment: dt.datetime) -> dt.datetime:
    """Midnight of ``moment``'s day (UTC), naive, as the column holds it."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def current_version(conn: Connection) -> int:
    schema_version.create(conn, checkfirst=True)
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def migrate(engine: Engine) -> int:
    """Bring the database's schema up to date; return its version."""
    with engine.begin() as conn:
        version = current_version(conn)
        for number, step in enumerate(MIGRATIONS, start=1):
            if number > version:
                step(conn)
                conn.execute(schema_version.insert().values(version=number))
                version = number
    return version


def record(engine: Engine, k: Knowledge, state: dict[str, str | None], result: screening.Result,
           now: dt.datetime | None = None) -> None:
    """Store one completed screening: fixed values only, never text the user typed."""
    if set(RATING_COLUMNS) != {i.id for i in k.indicators}:
        raise ValueError("knowledge/indicators.yml ids no longer match the screening_records columns")
    row = {
        "completed_at": day_of(now or dt.datetime.now(dt.timezone.utc)),
        "role": state.get("audience"),
        "age_band": state.get("age_band"),
        "learning_disability": state.get("learning_disability"),
        "case_status": state.get("case_status"),
        **{f"ind_{c}": state.get(screening.IND_PREFIX + c) for c in RATING_COLUMNS},
        "level": result.outcome.level,
        "referral_required": result.outcome.referral_required,
        "pathway": result.pathway,
        "rules_version": str(k.risk_rules["version"]),
        "guidance_version": str(k.document["version"]),
    }
    allowed = {"role": {"parent", "practitioner", None}, "learning_disability": {"yes", "no", "not_sure", None}}
    for column, values in allowed.items():
        if row[column] not in values:
            raise ValueError(f"unexpected value for {column}")
    with engine.begin() as conn:
        conn.execute(screening_records.insert().values(**row))
