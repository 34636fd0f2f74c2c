"""Keep the assistant's processes running (issue 13): what `make run` uses.

Each child (the action server, Rasa, the web page server) is started, watched, and
restarted when it exits, with back-off (1 s, doubling to 30 s; back to 1 s once it has
run for a minute) and a log line each time. One child dying never stops the others:
while the action server is down Rasa still answers (999 from its own responses, "I can't
answer that right now" otherwise) and its readiness says so. Ctrl-C / SIGTERM stops all.

A child can name a liveness URL: once it has had ``start_grace_s`` to start, it is asked
every few seconds, and a child that has not answered for ``LIVENESS_FAILURES`` probes in a
row (hung: stopped, deadlocked) is killed and so restarted.

Children run in their own process groups, so a terminal's Ctrl-C reaches only this
supervisor, which then stops them in order.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger("bot.supervisor")

FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
HEALTHY_AFTER_S = 60.0  # a child that ran this long starts again from the first back-off
STOP_GRACE_S = 20.0
LIVENESS_EVERY_S = 5.0
LIVENESS_TIMEOUT_S = 2.0
LIVENESS_FAILURES = 3


@dataclass
class Child:
    name: str
    argv: list[str]
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = FIRST_BACKOFF_S
    restarts: int = 0
    next_start: float = 0.0
    live_url: str | None = None
    pid_file: Path | None = None  # written at each start: operators and fault tests find the child
    start_grace_s: float = 180.0
    probe_failures: int = 0
    next_probe: float = 0.0

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.live_url, timeout=LIVENESS_TIMEOUT_S) as resp:
                return resp.status < 500
        except (urllib.error.URLError, OSError, ValueError):
            return False


class Supervisor:
    def __init__(self, children: list[Child], cwd: Path, base_env: dict[str, str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.children = children
        self.cwd = cwd
        self.base_env = base_env if base_env is not None else dict(os.environ)
        self.clock = clock
        self._stopping = threading.Event()

    def start(self, child: Child) -> None:
        child.log.parent.mkdir(parents=True, exist_ok=True)
        with open(child.log, "ab") as out:
            child.proc = subprocess.Popen(child.argv, cwd=self.cwd, env={**self.base_env, **child.env},
                                          stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                          start_new_session=True)
        child.started_at = self.clock()
        child.probe_failures = 0
        if child.pid_file:
            child.pid_file.write_text(f"{child.proc.pid}\n", encoding="utf-8")
        logger.info("started %s (pid %d), log %s", child.name, child.proc.pid, child.log)

    def poll_once(self) -> None:
        """Restart whatever has exited and is due; note whatever just exited."""
        now = self.clock()
        for child in self.children:
            if child.proc is None:
                if now >= child.next_start:
                    self.start(child)
                continue
            code = child.proc.poll()
            if code is None:
                self._check_liveness(child, now)
                continue
            ran = now - child.started_at
            if ran >= HEALTHY_AFTER_S:
                child.backoff = FIRST_BACKOFF_S
            child.restarts += 1
            child.next_start = now + child.backoff
            logger.error("%s (pid %d) exited with %s after %.0f s; restarting in %.0f s (restart %d)",
                         child.name, child.proc.pid, code, ran, child.backoff, child.restarts)
            child.backoff = min(child.backoff * 2, MAX_BACKOFF_S)
            child.proc = None

    def _check_liveness(self, child: Child, now: float) -> None:
        if not child.live_url or now - child.started_at < child.start_grace_s or now < child.next_probe:
            return
        child.next_probe = now + LIVENESS_EVERY_S
        if child.answers():
            child.probe_failures = 0
            return
        child.probe_failures += 1
        if child.probe_failures >= LIVENESS_FAILURES:
            logger.error("%s (pid %d) has not answered %s for %d probes: killing it to restart it",
                         child.name, child.proc.pid, child.live_url, child.probe_failures)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.proc.pid, signal.SIGKILL)

    def run(self, on_tick: Callable[[], None] | None = None, interval: float = 0.5) -> None:
        for child in self.children:
            self.start(child)
        while not self._stopping.is_set():
            self.poll_once()
            if on_tick:
                on_tick()
            self._stopping.wait(interval)

    def stop(self) -> None:
        """SIGTERM every child (last started first), then SIGKILL what is left."""
        self._stopping.set()
        running = [c for c in reversed(self.children) if c.proc and c.proc.poll() is None]
        for child in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for child in running:
            try:
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.proc.pid, signal.SIGKILL)
                child.proc.wait(timeout=5)
