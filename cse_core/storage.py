"""Where conversations and screening records are kept, and for how long (issue 5).

One database, named by ``CSE_DATABASE_URL`` (default: SQLite under ``var/``; PostgreSQL
by configuration). Rasa's tracker store writes the ``events`` table; this module owns
retention (purge), "forget me", and connecting fast or failing clearly.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'cse.db'}"
DEFAULT_RETENTION_DAYS = 30
CONNECT_TIMEOUT_S = 3


class StorageUnavailable(RuntimeError):
    """The database cannot be reached: say so, never carry on without it."""


def database_url() -> str:
    return os.environ.get("CSE_DATABASE_URL") or DEFAULT_URL


def retention_days() -> int:
    return int(os.environ.get("CSE_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


def make_engine(url: str | None = None) -> Engine:
    """An engine that fails within seconds when the server is not there."""
    url = url or database_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if not path or path == ":memory:":
            return sa.create_engine(url)  # tests only: one connection holds the database
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A pool of open connections: SQLAlchemy 1.4's default for SQLite files opens and
        # closes one per statement, which cost more than the statements (py-spy, issue 7).
        engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=4, max_overflow=4,
                                  connect_args={"timeout": CONNECT_TIMEOUT_S, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """Write-ahead log: readers don't wait for the writer, and a commit is one append
    (synchronous=NORMAL is still safe against corruption in WAL mode). secure_delete:
    deleted conversations are overwritten in the file, not just unlinked from the b-tree."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _checkpoint(engine: Engine) -> None:
    """Copy the write-ahead log into the database and empty it, so that deleted rows do not
    linger in the log's old page images."""
    if engine.url.get_backend_name() == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def check(engine: Engine) -> None:
    """Raise StorageUnavailable, naming the database without its password, if it is down."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise StorageUnavailable(f"cannot reach the database at {where}: {exc.__class__.__name__}") from exc


def events_table(metadata: sa.MetaData | None = None) -> sa.Table:
    """Rasa's SQL tracker store table, as far as retention needs it."""
    return sa.Table(
        "events", metadata or sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
        extend_existing=True,
    )


def purge(engine: Engine, days: int, now: float | None = None) -> int:
    """Delete every conversation event older than ``days``; return how many."""
    cutoff = (now or time.time()) - days * 86400
    events = events_table()
    if not sa.inspect(engine).has_table("events"):
        return 0
    with engine.begin() as conn:
        deleted = conn.execute(events.delete().where(events.c.timestamp < cutoff)).rowcount or 0
    _checkpoint(engine)
    return deleted


def export(engine: Engine, sender_id: str) -> list[dict]:
    """Every stored event of one conversation, oldest first, as stored (redacted): what a
    subject access request for it gets."""
    events = events_table()
    if not sa.inspect(engine).has_table("events"):
        return []
    with engine.connect() as conn:
        rows = conn.execute(sa.select(events.c.data).where(events.c.sender_id == sender_id)
                            .order_by(events.c.id)).scalars().all()
    return [json.loads(row) for row in rows]


def forget(engine: Engine, sender_id: str) -> int:
    """Delete one conversation at once; return how many events went."""
    events = events_table()
    if not sa.inspect(engine).has_table("events"):
        return 0
    with engine.begin() as conn:
        deleted = conn.execute(events.delete().where(events.c.sender_id == sender_id)).rowcount or 0
    _checkpoint(engine)
    return deleted
