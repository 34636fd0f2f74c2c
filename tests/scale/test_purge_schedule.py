"""The retention purge as deploy/ schedules it: the exact command of the k8s CronJob (and of
the compose service's loop), run against a real database seeded with old and new
conversations. Records past retention are gone, newer ones kept."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import RedactingSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


def cronjob_command() -> list[str]:
    docs = yaml.safe_load_all((ROOT / "deploy" / "k8s" / "purge.yaml").read_text(encoding="utf-8"))
    cron = next(d for d in docs if d and d["kind"] == "CronJob")
    return cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"]


def seed(url: str) -> tuple[str, str]:
    store = RedactingSQLTrackerStore(Domain.empty(), url=url)
    old, new = uuid.uuid4().hex, uuid.uuid4().hex
    for sender in (old, new):
        tracker = DialogueStateTracker(sender, [])
        tracker.update(UserUttered("what are the signs", {"name": "ask_signs", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_answer"))
        asyncio.run(store.save(tracker))
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE events SET timestamp = :t WHERE sender_id = :s"),
                     {"t": time.time() - 31 * 86400, "s": old})
    store.engine.dispose()
    return old, new


def count(url: str, sender: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar_one()
    engine.dispose()
    return n


def test_the_scheduled_purge_deletes_what_is_past_retention_and_keeps_the_rest(tmp_path):
    url = f"sqlite:///{tmp_path / 'cse.db'}"
    old, new = seed(url)
    command = cronjob_command()
    assert command[:2] == ["python", "-m"]
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text(encoding="utf-8"))
    assert " ".join(command) in " ".join(compose["services"]["purge"]["command"]), "compose runs the same command"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CSE_DATABASE_URL": url, "CSE_RETENTION_DAYS": "30"}
    done = subprocess.run([sys.executable, *command[1:]], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "deleted 2 conversation events older than 30 days" in done.stdout
    assert count(url, old) == 0 and count(url, new) == 2


def test_the_scheduled_purge_fails_loudly_when_the_database_is_down(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CSE_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/cse"}
    done = subprocess.run([sys.executable, *cronjob_command()[1:]], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode != 0 and "purge failed" in done.stderr, "a CronJob retry, not a silent success"
