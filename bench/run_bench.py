"""`make bench`: our assistant against a stock `rasa init` assistant, in one run.

1. trains our assistant from scratch into a temp dir (fresh Rasa cache) and times it;
2. creates the stock moodbot with `rasa init --no-prompt` (same Rasa release), then times a
   from-scratch `rasa train` of it (again with a fresh cache);
3. for each system: starts its action server (if it has custom actions) and `rasa run` on
   free 127.0.0.1 ports, times process start to first answered message, runs a single-user
   pass (one conversation, sequential) and a concurrent pass (20 conversations), sampling
   the servers' peak RSS and CPU time; stops everything;
4. prints both systems side by side, our figures as ratios to stock, and which targets pass;
5. appends one JSON line to bench/results.jsonl.

It reports and exits 0 whatever the figures (a benchmark, not a test); it exits non-zero
only when it could not measure (a training or a server failed). See bench/README.md.

    python -m bench.run_bench [--concurrency 20] [--duration 60] [--messages N] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bench import loadgen
from tests.assistant import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RASA = str(BIN / "rasa")
RESULTS = ROOT / "bench" / "results.jsonl"
SPACY_PIPELINE = ROOT / "var" / "spacy" / "en_cse_lookup" / "config.cfg"
CLK_TCK = os.sysconf("SC_CLK_TCK")

TRAIN_TIMEOUT = 3600.0  # any one training
START_TIMEOUT = 600.0  # process start to first answer
STOP_TIMEOUT = 30.0

HOSTILE_SENDERS = 3
OURS_LIMITS: dict[str, str] = {}  # admission limits as `make run` has them (bot/channels/admission.py)

TARGETS = {  # name: (description, comparison, threshold)
    "throughput_ratio": ("msg/s at 20 concurrent >= 3x stock", ">=", 3.0),
    "p95_ratio": ("p95 at 20 concurrent <= 1/3 of stock", "<=", 1 / 3),
    "hostile_p95_ratio": (f"ordinary p95 with {HOSTILE_SENDERS} hostile senders <= 3x calm", "<=", 3.0),
    "single_user_p95_ms": ("single-user p95 < 150 ms", "<", 150.0),
    "train_s": ("training from scratch < 10 min", "<", 600.0),
    "rasa_peak_rss_mb": ("Rasa server memory < 1.5 GB", "<", 1536.0),
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def base_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    env.update(extra)
    return env


def tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


def run_timed(cmd: list[str], cwd: Path, env: dict[str, str], logfile: Path, what: str) -> float:
    """Run a command to completion (bounded by TRAIN_TIMEOUT); return its wall time in seconds."""
    log(f"{what}: {' '.join(cmd[1:])}  (log: {logfile})")
    t0 = time.perf_counter()
    with open(logfile, "w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        try:
            rc = proc.wait(timeout=TRAIN_TIMEOUT)
        except subprocess.TimeoutExpired:
            stop_process(proc)
            raise RuntimeError(f"{what} took longer than {TRAIN_TIMEOUT:.0f} s") from None
    took = time.perf_counter() - t0
    if rc != 0:
        raise RuntimeError(f"{what} failed with exit code {rc}:\n{tail(logfile)}")
    log(f"{what}: {took:.1f} s")
    return took


# --- processes and their memory ----------------------------------------------------------

def descendants(pid: int) -> list[int]:
    """pid and all its descendants, from /proc/<pid>/task/*/children."""
    out, todo = [], [pid]
    while todo and len(out) < 256:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(c) for c in task.read_text().split()]
    return out


def status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime
    except (OSError, ValueError, IndexError):
        return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of pid and its live descendants."""
    return sum(proc_cpu_seconds(p) for p in descendants(pid))


def machine_busy_seconds() -> float:
    """Non-idle CPU time of the whole machine, all cores, from /proc/stat."""
    vals = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(vals) - vals[3] - vals[4]) / CLK_TCK  # minus idle and iowait


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    logfile: Path
    peak_tree_rss_kb: int = 0
    hwm_kb: int = 0

    @property
    def pid(self) -> int:
        return self.proc.pid

    def sample(self) -> None:
        if self.proc.poll() is not None:
            return
        rss = sum(status_kb(p, "VmRSS") for p in descendants(self.pid))
        self.peak_tree_rss_kb = max(self.peak_tree_rss_kb, rss)
        self.hwm_kb = max(self.hwm_kb, status_kb(self.pid, "VmHWM"))

    @property
    def peak_rss_mb(self) -> float:
        return round(max(self.peak_tree_rss_kb, self.hwm_kb) / 1024, 1)


def start_server(name: str, cmd: list[str], cwd: Path, env: dict[str, str], logdir: Path) -> Server:
    logfile = logdir / f"{name}.log"
    out = open(logfile, "w")  # noqa: SIM115 - closed when the process is stopped
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    out.close()  # the child has its own copy
    log(f"started {name} (pid {proc.pid}): {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}")
    return Server(name, proc, logfile)


def stop_process(proc: subprocess.Popen) -> None:
    """SIGTERM this process (and, by pid, any children it left), then SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    children = [p for p in descendants(proc.pid) if p != proc.pid]
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT)
    for child in children:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(child, signal.SIGKILL)


class Sampler:
    """Polls the servers' RSS every `interval` seconds in a background thread."""

    def __init__(self, servers: list[Server], interval: float = 0.2) -> None:
        self.servers, self.interval = servers, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for s in self.servers:
                s.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for s in self.servers:
            s.sample()


def wait_http(url: str, servers: list[Server], timeout: float, body: dict[str, Any] | None = None) -> float:
    """Poll until url answers (a non-empty JSON list when POSTing body); return the time taken."""
    t0 = time.perf_counter()
    deadline = t0 + timeout
    data = json.dumps(body).encode() if body is not None else None
    while time.perf_counter() < deadline:
        for s in servers:
            if s.proc.poll() is not None:
                raise RuntimeError(f"{s.name} exited with {s.proc.returncode} while starting:\n{tail(s.logfile)}")
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                payload = resp.read()
                if resp.status == 200 and (body is None or json.loads(payload)):
                    return time.perf_counter() - t0
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def measured_pass(servers: list[Server], run: Any) -> dict[str, Any]:
    """Run one load pass (a loadgen.run_load coroutine); its summary plus the CPU that the
    servers, this process and everything else on the machine used meanwhile."""
    me = os.getpid()
    load_before = load_average()
    cpu0 = {s.name: cpu_seconds(s.pid) for s in servers}
    self0, busy0 = proc_cpu_seconds(me), machine_busy_seconds()
    result = asyncio.run(run)
    busy = machine_busy_seconds() - busy0
    own = proc_cpu_seconds(me) - self0
    summary = result.summary()
    elapsed = result.elapsed or float("nan")
    servers_cpu = 0.0
    for s in servers:
        used = cpu_seconds(s.pid) - cpu0[s.name]
        servers_cpu += used
        summary[f"{s.name}_cpu_s"] = round(used, 2)
        summary[f"{s.name}_cpu_pct"] = round(100 * used / elapsed, 1)
    summary["server_cpu_ms_per_msg"] = round(1000 * servers_cpu / summary["ok"], 1) if summary["ok"] else None
    summary["loadgen_cpu_pct"] = round(100 * own / elapsed, 1)
    other = max(0.0, busy - servers_cpu - own)
    summary["other_load_pct"] = round(100 * other / (elapsed * (os.cpu_count() or 1)), 1)
    summary["loadavg_before"] = load_before
    return summary


# --- the two systems ---------------------------------------------------------------------

@dataclass
class System:
    key: str  # "ours" or "stock"
    title: str
    mix: str
    cwd: Path
    model: Path
    endpoints: Path
    credentials: Path
    env: dict[str, str]
    actions_cmd: list[str] | None = None  # action server, "--port" added
    rasa_cmd: list[str] | None = None  # the Rasa server (default `rasa run`), then --model ... --port
    figures: dict[str, Any] = field(default_factory=dict)


def prepare_ours(work: Path, train: bool) -> System:
    if not SPACY_PIPELINE.exists():
        log("var/spacy missing: building the spaCy pipeline (python -m cse_core.nlp)")
        run_timed([sys.executable, "-m", "cse_core.nlp"], ROOT, base_env(PYTHONPATH=str(ROOT)),
                  work / "spacy.log", "spaCy pipeline")
    out = work / "ours" / "models"
    out.mkdir(parents=True, exist_ok=True)
    env = base_env(PYTHONPATH=str(ROOT), CSE_DATABASE_URL=f"sqlite:///{work / 'cse.db'}", SANIC_HOST="127.0.0.1",
                   RASA_AUTH_TOKEN=secrets.token_hex(16), **OURS_LIMITS)
    # Started as `make run` starts them: the launcher (bot/serve.py) for both servers.
    system = System("ours", "ours (CSE assistant)", "ours", ROOT, out / "cse.tar.gz", work / "ours" / "endpoints.yml",
                    ROOT / "credentials.yml", env,
                    actions_cmd=[sys.executable, "-m", "bot.serve", "actions"],
                    rasa_cmd=[sys.executable, "-m", "bot.serve", "rasa"])
    domain = ROOT / "var" / "domain"
    if not (domain / "responses.yml").exists():
        run_timed([sys.executable, "scripts/build_domain.py", str(domain)], ROOT, env, work / "domain.log",
                  "generated domain responses")
    if train or not system.model.exists():
        cache = work / "cache-ours"
        shutil.rmtree(cache, ignore_errors=True)
        system.figures["train_s"] = round(run_timed(
            [RASA, "train", "--config", "config.yml", "--domain", "var/domain", "--data", "data",
             "--out", str(out), "--fixed-model-name", "cse"],
            ROOT, {**env, "RASA_CACHE_DIRECTORY": str(cache)}, work / "train-ours.log", "training ours"), 1)
    return system


def prepare_stock(work: Path, train: bool) -> System:
    stock = work / "stock"
    model = stock / "models-bench" / "stock.tar.gz"
    env = base_env(PYTHONPATH=str(stock))
    figures: dict[str, Any] = {}
    if not (stock / "domain.yml").exists():
        stock.mkdir(parents=True, exist_ok=True)
        figures["init_s"] = round(run_timed(
            [RASA, "init", "--no-prompt", "--init-dir", str(stock)], work,
            {**env, "RASA_CACHE_DIRECTORY": str(work / "cache-stock-init")}, work / "init-stock.log",
            "rasa init (stock; it trains too)"), 1)
    if train or not model.exists():
        cache = work / "cache-stock"
        shutil.rmtree(cache, ignore_errors=True)
        figures["train_s"] = round(run_timed(
            [RASA, "train", "--force", "--out", str(model.parent), "--fixed-model-name", "stock"],
            stock, {**env, "RASA_CACHE_DIRECTORY": str(cache)}, work / "train-stock.log", "training stock"), 1)
    # The stock project has custom actions only if its endpoints name an action server.
    endpoints = yaml.safe_load((stock / "endpoints.yml").read_text(encoding="utf-8")) or {}
    actions_cmd = [RASA, "run", "actions", "--actions", "actions"] if endpoints.get("action_endpoint") else None
    system = System("stock", "stock (rasa init)", "stock", stock, model, work / "stock-endpoints.yml",
                    stock / "credentials.yml", env, actions_cmd=actions_cmd)
    system.figures.update(figures)
    return system


def write_endpoints(system: System, actions_port: int | None) -> None:
    src = (ROOT / "endpoints.yml") if system.key == "ours" else (system.cwd / "endpoints.yml")
    text = src.read_text(encoding="utf-8")
    if actions_port is not None:
        data = yaml.safe_load(text) or {}
        old = str((data.get("action_endpoint") or {}).get("url", ""))
        new = f"http://127.0.0.1:{actions_port}/webhook"
        if not old or old not in text:
            raise RuntimeError(f"no action_endpoint url to replace in {src}")
        text = text.replace(old, new)
    system.endpoints.parent.mkdir(parents=True, exist_ok=True)
    system.endpoints.write_text(text, encoding="utf-8")


def measure(system: System, work: Path, args: argparse.Namespace, messages: int | None) -> None:
    """Start the system, time its start, run both passes, stop it; fill system.figures."""
    logdir = work / f"logs-{system.key}"
    logdir.mkdir(parents=True, exist_ok=True)
    rasa_port = free_port()
    actions_port = free_port() if system.actions_cmd else None
    while actions_port == rasa_port:
        actions_port = free_port()
    write_endpoints(system, actions_port)
    url = f"http://127.0.0.1:{rasa_port}"
    servers: list[Server] = []
    actions: Server | None = None
    rasa: Server | None = None
    t0 = time.perf_counter()
    try:
        if system.actions_cmd:
            actions = start_server("actions", [*system.actions_cmd, "--port", str(actions_port)], system.cwd,
                                   system.env, logdir)
            servers.append(actions)
        if system.rasa_cmd:  # ours: the launcher reads the token and CORS from the environment
            rasa_cmd = [*system.rasa_cmd, "--model", str(system.model), "--endpoints", str(system.endpoints),
                        "--credentials", str(system.credentials), "--port", str(rasa_port), "--interface", "127.0.0.1"]
        else:
            rasa_cmd = [RASA, "run", "--model", str(system.model), "--endpoints", str(system.endpoints),
                        "--credentials", str(system.credentials), "--port", str(rasa_port), "--interface",
                        "127.0.0.1", "--cors", "*", "--enable-api", "--auth-token", secrets.token_hex(16)]
        rasa = start_server("rasa", rasa_cmd, system.cwd, system.env, logdir)
        servers.append(rasa)
        with Sampler(servers):
            wait_http(f"{url}/webhooks/rest/webhook", servers, START_TIMEOUT,
                      body={"sender": "bench-ready", "message": "hello"})
            system.figures["start_to_first_answer_s"] = round(time.perf_counter() - t0, 2)
            log(f"{system.key}: first answer {system.figures['start_to_first_answer_s']} s after start")

            single = measured_pass(servers, loadgen.run_load(
                url, system.mix, concurrency=1, messages=args.single_messages, duration=args.max_seconds,
                seed=args.seed, sender_per="worker"))
            system.figures["single"] = single
            log(loadgen.format_summary(single, f"{system.key} single-user"))

            if messages is None:  # our pass: for --duration seconds
                run = loadgen.run_load(url, system.mix, concurrency=args.concurrency,
                                       messages=loadgen.DEFAULT_MESSAGES, duration=args.duration, seed=args.seed + 1)
            else:  # the same number of messages as our pass (or --messages)
                run = loadgen.run_load(url, system.mix, concurrency=args.concurrency, messages=messages,
                                       duration=args.max_seconds, seed=args.seed + 1)
            conc = system.figures["concurrent"] = measured_pass(servers, run)
            log(loadgen.format_summary(conc, f"{system.key} {args.concurrency}-concurrent"))
            log("  CPU during the pass: " + ", ".join(
                f"{s.name} {conc[f'{s.name}_cpu_pct']}% of a core" for s in servers)
                + f"; servers {conc['server_cpu_ms_per_msg']} ms CPU per message"
                + f"; other processes {conc['other_load_pct']}% of the machine")
            if conc["other_load_pct"] is not None and conc["other_load_pct"] > 20:
                log("  WARNING: other processes were busy during this pass: the figures are noisy")

            if system.key == "ours" and args.hostile:
                hostile = system.figures["hostile"] = measured_pass(servers, loadgen.run_load(
                    url, system.mix, concurrency=args.concurrency, messages=loadgen.DEFAULT_MESSAGES,
                    duration=args.duration, seed=args.seed + 1, hostile=args.hostile))
                log(loadgen.format_summary(hostile, f"{system.key} {args.concurrency}-concurrent + "
                                                    f"{args.hostile} hostile senders"))
                log(f"  hostile requests: {hostile['hostile']}")

            if args.profile and system.key == "ours":
                profile(rasa, url, system, args, work)
    finally:
        for s in reversed(servers):
            s.sample()
            stop_process(s.proc)
    system.figures["rasa_peak_rss_mb"] = rasa.peak_rss_mb if rasa else None
    system.figures["actions_peak_rss_mb"] = actions.peak_rss_mb if actions else None
    log(f"{system.key}: peak RSS rasa {system.figures['rasa_peak_rss_mb']} MB"
        + (f", action server {actions.peak_rss_mb} MB" if actions else ", no action server"))


def profile(rasa: Server, url: str, system: System, args: argparse.Namespace, work: Path) -> None:
    """An extra, unmeasured load pass with py-spy recording the Rasa server."""
    py_spy = shutil.which("py-spy", path=str(BIN)) or shutil.which("py-spy")
    if not py_spy:
        log("--profile: py-spy is not installed (.venv/bin/pip install py-spy); skipped")
        return
    out = Path(args.profile).resolve()
    secs = 20
    log(f"profiling the Rasa server (pid {rasa.pid}) for {secs} s under load into {out}")
    fmt = {".txt": "raw", ".json": "speedscope"}.get(out.suffix, "flamegraph")
    spy = subprocess.Popen([py_spy, "record", "-o", str(out), "--format", fmt, "--pid", str(rasa.pid),
                            "--duration", str(secs), "--rate", "100", "--nonblocking"],
                           stdout=open(work / "py-spy.log", "w"), stderr=subprocess.STDOUT)  # noqa: SIM115
    try:
        asyncio.run(loadgen.run_load(url, system.mix, concurrency=args.concurrency, duration=secs + 2,
                                     seed=args.seed + 2))
        spy.wait(timeout=60)
    finally:
        stop_process(spy)


# --- report ------------------------------------------------------------------------------

def ratio(a: Any, b: Any) -> float | None:
    return round(a / b, 3) if isinstance(a, int | float) and isinstance(b, int | float) and b else None


def targets(ours: dict[str, Any], ratios: dict[str, Any]) -> dict[str, Any]:
    values = {
        "throughput_ratio": ratios.get("throughput"),
        "p95_ratio": ratios.get("p95"),
        "hostile_p95_ratio": ratios.get("hostile_p95"),
        "single_user_p95_ms": ours.get("single", {}).get("p95_ms"),
        "train_s": ours.get("train_s"),
        "rasa_peak_rss_mb": ours.get("rasa_peak_rss_mb"),
    }
    out = {}
    for name, (desc, op, threshold) in TARGETS.items():
        v = values[name]
        if v is None:
            ok = None
        else:
            ok = v >= threshold if op == ">=" else v <= threshold if op == "<=" else v < threshold
        out[name] = {"target": desc, "value": v, "threshold": threshold, "pass": ok}
    return out


def fmt(v: Any, unit: str = "") -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        v = f"{v:,.1f}" if abs(v) >= 10 else f"{v:.2f}"
    return f"{v}{unit}"


def table(ours: dict[str, Any], stock: dict[str, Any], ratios: dict[str, Any], concurrency: int) -> str:
    def get(d: dict[str, Any], path: str) -> Any:
        for part in path.split("."):
            d = d.get(part) if isinstance(d, dict) else None
        return d

    rows = [
        ("training from scratch (s)", "train_s", None),
        ("rasa init, incl. its training (s)", "init_s", None),
        ("start to first answer (s)", "start_to_first_answer_s", None),
        ("single-user p50 (ms)", "single.p50_ms", None),
        ("single-user p95 (ms)", "single.p95_ms", "single_p95"),
        (f"{concurrency} concurrent: msg/s", "concurrent.msg_per_s", "throughput"),
        (f"{concurrency} concurrent: p50 (ms)", "concurrent.p50_ms", "p50"),
        (f"{concurrency} concurrent: p95 (ms)", "concurrent.p95_ms", "p95"),
        (f"{concurrency} concurrent: p99 (ms)", "concurrent.p99_ms", "p99"),
        (f"{concurrency} concurrent: messages", "concurrent.messages", None),
        (f"{concurrency} concurrent: errors", "concurrent.errors", None),
        (f"{concurrency} concurrent: unexpected replies", "concurrent.unexpected_replies", None),
        ("+ hostile senders: ordinary msg/s", "hostile.msg_per_s", None),
        ("+ hostile senders: ordinary p50 (ms)", "hostile.p50_ms", None),
        ("+ hostile senders: ordinary p95 (ms)", "hostile.p95_ms", None),
        ("  ordinary p95 with hostile / calm p95", "hostile_p95_ratio", None),
        ("+ hostile senders: ordinary errors", "hostile.errors", None),
        ("+ hostile senders: unexpected replies", "hostile.unexpected_replies", None),
        ("  Rasa server CPU (% of a core)", "concurrent.rasa_cpu_pct", None),
        ("  action server CPU (% of a core)", "concurrent.actions_cpu_pct", None),
        ("  server CPU per message (ms)", "concurrent.server_cpu_ms_per_msg", "cpu_per_msg"),
        ("  other processes' load (% of machine)", "concurrent.other_load_pct", None),
        ("Rasa server peak RSS (MB)", "rasa_peak_rss_mb", "rss"),
        ("action server peak RSS (MB)", "actions_peak_rss_mb", None),
    ]
    lines = [f"{'':46} {'ours':>12} {'stock':>12} {'ours/stock':>11}", "-" * 84]
    for label, path, rkey in rows:
        r = ratios.get(rkey) if rkey else None
        lines.append(f"{label:46} {fmt(get(ours, path)):>12} {fmt(get(stock, path)):>12} "
                     f"{(fmt(r) + 'x') if r is not None else '':>11}")
    return "\n".join(lines)


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark our assistant against a stock `rasa init` assistant.")
    p.add_argument("--concurrency", type=int, default=20, help="concurrent conversations (default 20)")
    p.add_argument("--duration", type=float, default=60.0,
                   help="seconds of our concurrent pass; stock then gets the same number of messages (default 60)")
    p.add_argument("--messages", type=int, default=None,
                   help="a fixed number of messages for both concurrent passes instead of --duration")
    p.add_argument("--max-seconds", type=float, default=180.0, help="a cap on any one load pass (default 180)")
    p.add_argument("--single-messages", type=int, default=100, help="messages in the single-user pass (default 100)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--hostile", type=int, default=HOSTILE_SENDERS,
                   help=f"hostile senders in our extra pass (default {HOSTILE_SENDERS}; 0 skips the pass)")
    p.add_argument("--workdir", help="use (and keep) this directory; models already in it are reused, not retrained")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (models, logs)")
    p.add_argument("--profile", metavar="FILE", help="afterwards, py-spy our Rasa server for 20 s under load "
                   "(.svg flame graph, .json speedscope, .txt collapsed stacks); needs py-spy in the venv")
    p.add_argument("--no-record", action="store_true", help="do not append to bench/results.jsonl")
    args = p.parse_args(argv)
    if not 0 < args.duration <= args.max_seconds <= loadgen.HARD_MAX_DURATION:
        p.error("need 0 < --duration <= --max-seconds <= 1800")

    work = Path(args.workdir).resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="cse-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    reuse = bool(args.workdir)
    log(f"working in {work}")
    started = time.perf_counter()
    try:
        ours = prepare_ours(work, train=not reuse)
        stock = prepare_stock(work, train=not reuse)
        measure(ours, work, args, args.messages)
        n = args.messages or ours.figures["concurrent"]["messages"]
        measure(stock, work, args, n)
    finally:
        if not (args.keep or reuse):
            shutil.rmtree(work, ignore_errors=True)
        elif work.exists():
            log(f"kept {work}")

    o, s = ours.figures, stock.figures
    ratios = {
        "throughput": ratio(o["concurrent"]["msg_per_s"], s["concurrent"]["msg_per_s"]),
        "p50": ratio(o["concurrent"]["p50_ms"], s["concurrent"]["p50_ms"]),
        "p95": ratio(o["concurrent"]["p95_ms"], s["concurrent"]["p95_ms"]),
        "p99": ratio(o["concurrent"]["p99_ms"], s["concurrent"]["p99_ms"]),
        "single_p95": ratio(o["single"]["p95_ms"], s["single"]["p95_ms"]),
        "rss": ratio(o["rasa_peak_rss_mb"], s["rasa_peak_rss_mb"]),
        "cpu_per_msg": ratio(o["concurrent"]["server_cpu_ms_per_msg"], s["concurrent"]["server_cpu_ms_per_msg"]),
        "hostile_p95": ratio((o.get("hostile") or {}).get("p95_ms"), o["concurrent"]["p95_ms"]),
    }
    o["hostile_p95_ratio"] = ratios["hostile_p95"]
    checks = targets(o, ratios)
    print()
    print(table(o, s, ratios, args.concurrency))
    print()
    print("Targets (ours):")
    for c in checks.values():
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[c["pass"]]
        print(f"  {verdict}  {c['target']:40} ({fmt(c['value'])})")
    print("\nA benchmark, not a test: the exit code does not depend on the targets.")

    record = {
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain")),
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {"concurrency": args.concurrency, "duration": args.duration, "messages": args.messages,
                     "single_messages": args.single_messages, "seed": args.seed, "reused_models": reuse},
        "ours": o, "stock": s, "ratios": ratios, "targets": checks,
        "wall_s": round(time.perf_counter() - started, 1),
    }
    if not args.no_record:
        with open(RESULTS, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, sort_keys=True) + "\n")
        log(f"appended to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
