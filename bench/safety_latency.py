"""How long a danger message waits for 999 when the action server is up, hung or dead.

    python -m bench.safety_latency [--messages 10]

Starts the assistant as `make run` does (the supervisor in bot/serve.py) on free 127.0.0.1
ports with a throw-away SQLite database, then for each condition sends danger messages
from fresh senders one after another and times each request until its whole reply is
read. "hung": the action server is SIGSTOPped (then SIGCONTed); "dead": it is SIGKILLed
and each message is sent before the supervisor has restarted it. Every reply must start
with the 999 words. Prints a table and appends one JSON line to bench/results.jsonl
(``"kind": "safety_latency"``). A benchmark, not a test: the exit code is 0 unless it
could not measure.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from tests.assistant import free_port

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.jsonl"
EMERGENCY_FIRST = "If a child is in immediate danger, call the Police on 999 now."
DANGER = ["he has got her in his car right now and won't let her out",
          "she's being held in a flat by older men right now",
          "plz help my sister is locked in a lock up garage and they wont let her out"]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    pos = (len(values) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--messages", type=int, default=10)
    p.add_argument("--no-record", action="store_true")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cse-safety-latency-"))
    rasa_port = free_port()
    url = f"http://127.0.0.1:{rasa_port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false",
           "CSE_DATABASE_URL": f"sqlite:///{work / 'cse.db'}", "RASA_PORT": str(rasa_port),
           "ACTIONS_PORT": str(free_port()), "WEB_PORT": str(free_port()), "CSE_LOG_DIR": str(work),
           "RASA_AUTH_TOKEN": uuid.uuid4().hex, "CSE_SENDER_BURST": "1000", "CSE_SENDER_RATE": "100"}
    with open(work / "serve.out", "w") as out:  # the child keeps its own copy
        proc = subprocess.Popen([sys.executable, "-m", "bot.serve"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def ready() -> bool:
        try:
            return requests.get(f"{url}/webhooks/rest/health", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def wait_ready(limit: float) -> None:
        deadline = time.monotonic() + limit
        while not ready():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the assistant is not ready; see {work}")
            time.sleep(0.5)

    def actions_pid() -> int:
        return int((work / "actions.pid").read_text())

    def danger(i: int) -> float:
        t0 = time.perf_counter()
        r = requests.post(f"{url}/webhooks/rest/webhook", timeout=30,
                          json={"sender": f"lat-{uuid.uuid4().hex[:10]}", "message": DANGER[i % len(DANGER)]})
        took = time.perf_counter() - t0
        texts = [m.get("text") or "" for m in r.json()]
        if not texts or not texts[0].startswith(EMERGENCY_FIRST):
            raise RuntimeError(f"no 999 first: {texts}")
        return took

    figures: dict[str, list[float]] = {}
    try:
        wait_ready(600)
        danger(0)  # warm
        figures["action server up"] = [danger(i) for i in range(args.messages)]
        pid = actions_pid()
        os.kill(pid, signal.SIGSTOP)
        try:
            figures["action server hung (SIGSTOP)"] = [danger(i) for i in range(args.messages)]
        finally:
            os.kill(pid, signal.SIGCONT)
        wait_ready(120)
        dead = []
        for i in range(args.messages):
            pid = actions_pid()
            os.kill(pid, signal.SIGKILL)
            dead.append(danger(i))
            wait_ready(120)
        figures["action server killed"] = dead
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=60)
    print(f"\n999 reply latency over {args.messages} danger messages each (request to whole reply):")
    print(f"{'':34} {'p50 (s)':>8} {'max (s)':>8}")
    summary = {}
    for name, values in figures.items():
        summary[name] = {"p50_s": round(percentile(values, 50), 3), "max_s": round(max(values), 3), "n": len(values)}
        print(f"{name:34} {summary[name]['p50_s']:>8.3f} {summary[name]['max_s']:>8.3f}")
    if not args.no_record:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
        with open(RESULTS, "a", encoding="utf-8") as f:
            f.write(json.dumps({"kind": "safety_latency", "commit": commit,
                                "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                                "figures": summary}, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
