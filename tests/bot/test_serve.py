"""bot/serve.py and bot/supervisor.py: what the launcher refuses, where the token comes from,
and how a crashed child is restarted (real child processes)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from bot import serve
from bot.supervisor import FIRST_BACKOFF_S, Child, Supervisor


def test_socketio_is_refused_in_credentials(tmp_path):
    creds = tmp_path / "credentials.yml"
    creds.write_text("bot.channels.rest.SafeRestInput:\nsocketio:\n  user_message_evt: user_uttered\n")
    with pytest.raises(serve.LaunchError, match="socketio"):
        serve.check_credentials(creds)
    creds.write_text("bot.channels.rest.SafeRestInput:\n")
    serve.check_credentials(creds)
    serve.check_credentials(serve.ROOT / "credentials.yml")  # ours serves no socket.io


def test_the_token_comes_from_the_environment_or_a_private_file(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_AUTH_TOKEN", "from-env")
    assert serve.auth_token(tmp_path / "t") == "from-env"
    monkeypatch.delenv("RASA_AUTH_TOKEN")
    path = tmp_path / "secrets" / "token"
    made = serve.auth_token(path)
    assert len(made) == 64 and path.stat().st_mode & 0o077 == 0, "made once, readable by its owner only"
    assert serve.auth_token(path) == made


def test_the_launcher_never_puts_the_token_in_argv(monkeypatch, tmp_path):
    args = serve.parse_args(["all", "--port", "1", "--actions-port", "2", "--web-port", "3", "--log-dir", str(tmp_path)])
    captured = {}

    class Recorder(Supervisor):
        def run(self, on_tick=None, interval=0.5):  # record instead of starting anything
            captured["argv"] = [c.argv for c in self.children]

        def stop(self):
            pass

    monkeypatch.setattr("bot.supervisor.Supervisor", Recorder)
    monkeypatch.setenv("RASA_AUTH_TOKEN", "s3cret-token")
    serve.serve_all(args)
    assert captured["argv"] and not any("s3cret-token" in " ".join(argv) for argv in captured["argv"])
    assert not any("--auth-token" in argv for argv in captured["argv"])


def test_cors_is_the_web_pages_own_origin(monkeypatch):
    monkeypatch.delenv("CSE_WEB_ORIGINS", raising=False)
    monkeypatch.setenv("WEB_PORT", "8080")
    assert serve.web_origins() == ["http://localhost:8080", "http://127.0.0.1:8080"]
    monkeypatch.setenv("CSE_WEB_ORIGINS", "https://chat.example.org/, https://www.example.org")
    assert serve.web_origins() == ["https://chat.example.org", "https://www.example.org"]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def wait_exit(child: Child) -> None:
    child.proc.wait(timeout=60)


def test_a_crashed_child_is_restarted_with_back_off_and_the_others_keep_running(tmp_path, caplog):
    clock = Clock()
    crashing = Child("crashing", [sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "c.log",
                     pid_file=tmp_path / "c.pid")
    steady = Child("steady", [sys.executable, "-c", "import time; time.sleep(600)"], tmp_path / "s.log")
    sup = Supervisor([crashing, steady], tmp_path, clock=clock)
    try:
        for child in sup.children:
            sup.start(child)
        first_pid = int((tmp_path / "c.pid").read_text())
        backoffs = []
        for _ in range(4):
            wait_exit(crashing)
            with caplog.at_level("ERROR", logger="bot.supervisor"):
                sup.poll_once()  # notes the exit
            assert crashing.proc is None
            backoffs.append(crashing.next_start - clock.now)
            sup.poll_once()  # not due yet
            assert crashing.proc is None
            clock.now = crashing.next_start
            sup.poll_once()  # due: started again
            assert crashing.proc is not None
        assert backoffs == [FIRST_BACKOFF_S, 2 * FIRST_BACKOFF_S, 4 * FIRST_BACKOFF_S, 8 * FIRST_BACKOFF_S]
        assert int((tmp_path / "c.pid").read_text()) != first_pid
        assert "crashing" in caplog.text and "exited with 3" in caplog.text and "restarting in" in caplog.text
        assert steady.proc.poll() is None and steady.restarts == 0
    finally:
        sup.stop()
    assert steady.proc.poll() is not None, "stop() stops every child"


def test_a_hung_child_is_killed_and_so_restarted(tmp_path):
    clock = Clock()
    hung = Child("hung", [sys.executable, "-c", "import time; time.sleep(600)"], tmp_path / "h.log",
                 live_url="http://127.0.0.1:9/", start_grace_s=0)  # nothing answers there
    sup = Supervisor([hung], tmp_path, clock=clock)
    try:
        sup.start(hung)
        proc = hung.proc
        for _ in range(3):
            clock.now = hung.next_probe
            sup.poll_once()
        proc.wait(timeout=60)
        assert proc.returncode == -9
        sup.poll_once()
        assert hung.restarts == 1
    finally:
        sup.stop()


def test_check_mode_reports_versions_and_patches():
    done = subprocess.run([sys.executable, "-m", "bot.serve", "check"], cwd=serve.ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "rasa==3.6.21" in done.stdout and "patches match" in done.stdout
    time.sleep(0)
