"""The one launcher (issues 13, 16): `make run` is `python -m bot.serve`.

    python -m bot.serve                 # supervisor: action server, Rasa, web page (make run)
    python -m bot.serve rasa [...]      # the Rasa server alone
    python -m bot.serve actions [...]   # the action server alone
    python -m bot.serve check           # versions and patches, then exit

Every mode first checks that the installed rasa and rasa-sdk are the releases pinned in
requirements.lock (our patches and extension points were written against them) and stops
with a clear message if not. The Rasa server then:

- installs the patches in bot/rasa_patches.py explicitly (each refuses if the upstream
  function it replaces has changed);
- hands Rasa an action endpoint with a short timeout and a circuit breaker
  (bot/action_endpoint.py) through ``AvailableEndpoints``, Rasa's own configuration object;
- reads the API token from RASA_AUTH_TOKEN or a file (``--auth-token-file``), never argv;
- allows CORS from the web page's own origin only (CSE_WEB_ORIGINS, comma-separated;
  default http://localhost:8080 and http://127.0.0.1:8080), not "*";
- refuses a socket.io channel in credentials (it takes client-chosen session ids and
  bypasses admission), limits request bodies (CSE_MAX_BODY_BYTES, 64 KiB, a 413 past it)
  and shows no version banner ("/" says "ok"; "/version" needs the token).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import logging
import os
import re
import secrets
import signal
import sys
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCK_FILE = ROOT / "requirements.lock"
PINNED = ("rasa", "rasa-sdk")
TOKEN_FILE = ROOT / "var" / "secrets" / "rasa_auth_token"
DEFAULT_MAX_BODY_BYTES = 64 * 1024
REFUSED_CHANNELS = {"socketio": "it takes client-chosen session ids (one client can join another's "
                                "conversation) and bypasses admission; use the REST channel"}

logger = logging.getLogger("bot.serve")


class LaunchError(RuntimeError):
    """The assistant cannot start as configured; the message says why and what to do."""


# --- checks ------------------------------------------------------------------------------

def pinned_versions(lock: Path = LOCK_FILE) -> dict[str, str]:
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)==([^\s;#]+).*", line)
        if m and m.group(1).lower().replace("_", "-") in PINNED:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def check_versions(installed: dict[str, str] | None = None, lock: Path = LOCK_FILE) -> None:
    """LaunchError unless every package in PINNED is installed at its pinned release."""
    pins = pinned_versions(lock)
    problems = []
    for name in PINNED:
        want = pins.get(name)
        try:
            have = (installed or {}).get(name) or importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            have = None
        if want is None:
            problems.append(f"{name} is not pinned in {lock.name}")
        elif have != want:
            problems.append(f"{name} {have or 'is not installed'}{'' if have is None else ' is installed'}, "
                            f"but {lock.name} pins {want}")
    if problems:
        raise LaunchError("; ".join(problems) + ". The Rasa patches and extension points in bot/ were written for "
                          "the pinned releases: run `make install` (or review bot/rasa_patches.py for the new release).")


def check_credentials(path: Path) -> None:
    import yaml

    channels = yaml.safe_load(path.read_text(encoding="utf-8")) or {} if path.exists() else {}
    for name, why in REFUSED_CHANNELS.items():
        if name in channels:
            raise LaunchError(f"{path}: the '{name}' channel is not served: {why}.")


def auth_token(token_file: Path | None) -> str:
    token = os.environ.get("RASA_AUTH_TOKEN", "").strip()
    if token:
        return token
    path = token_file or TOKEN_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        old = os.umask(0o077)
        try:
            path.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
        finally:
            os.umask(old)
    token = path.read_text(encoding="utf-8").strip()
    if not token:
        raise LaunchError(f"the API token file {path} is empty")
    return token


def web_origins() -> list[str]:
    configured = os.environ.get("CSE_WEB_ORIGINS", "")
    if configured.strip():
        return [o.strip().rstrip("/") for o in configured.split(",") if o.strip()]
    port = os.environ.get("WEB_PORT", "8080")
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


# --- the Rasa server ---------------------------------------------------------------------

def hide_versions(app: Any, token: str) -> None:
    """No version banner: '/' answers 'ok'; '/version' only with the API token."""
    from sanic import response

    @app.middleware("request")
    async def no_banner(request: Any) -> Any:
        if request.path == "/":
            return response.text("ok")
        if request.path == "/version" and not secrets.compare_digest(request.args.get("token", ""), token):
            return response.json({"error": "not found"}, status=404)
        return None


def serve_rasa(args: argparse.Namespace) -> None:
    check_versions()
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", os.environ.get("CSE_MAX_BODY_BYTES", str(DEFAULT_MAX_BODY_BYTES)))
    import rasa.utils.common
    import rasa.utils.tensorflow.environment as tf_env
    from rasa.core import run as rasa_run
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.log_utils import configure_structlog

    from bot import rasa_patches
    from bot.action_endpoint import ActionServerEndpoint, health_url_for
    from cse_core import texts

    # As `rasa run` does. Without configure_structlog, Rasa's structured debug events (which
    # can carry a user's message) would be rendered and printed for every action.
    rasa.utils.common.configure_logging_and_warnings(logging.INFO, warn_only_once=True, filter_repeated_logs=True)
    configure_structlog(logging.INFO)
    tf_env.setup_tf_environment()
    model = Path(args.model)
    if not model.exists():
        raise LaunchError(f"no trained model at {model}: run `make train`")
    credentials = Path(args.credentials)
    check_credentials(credentials)
    texts.check_all()  # a missing message or contact stops start-up, not a chat
    rasa_patches.install()
    endpoints = AvailableEndpoints.read_endpoints(args.endpoints)
    endpoints.action = ActionServerEndpoint.wrap(endpoints.action)
    if endpoints.action is not None and os.environ.get("CSE_ACTIONS_URL"):
        endpoints.action.url = os.environ["CSE_ACTIONS_URL"]  # the supervisor's (or a test's) port
        endpoints.action.breaker.health_url = health_url_for(endpoints.action.url)
    if endpoints.action is not None:
        logger.info("Action server %s: %g s per call, then fail fast until it answers again",
                    endpoints.action.url, endpoints.action.timeout_s)
    token = auth_token(Path(args.auth_token_file) if args.auth_token_file else None)
    channels = rasa_run.create_http_input_channels(None, str(credentials))
    app = rasa_run.configure_app(channels, cors=web_origins(), auth_token=token, enable_api=True,
                                 port=args.port, endpoints=endpoints)
    hide_versions(app, token)
    app.register_listener(partial(rasa_run.load_agent_on_start, str(model), endpoints, None), "before_server_start")
    app.register_listener(rasa_run.close_resources, "after_server_stop")
    logger.info("Starting the Rasa server on http://%s:%d (CORS: %s)", args.interface, args.port,
                ", ".join(web_origins()))
    app.run(host=args.interface, port=args.port, workers=1, access_log=False,
            backlog=int(os.environ.get("SANIC_BACKLOG", "100")))


def serve_actions(args: argparse.Namespace) -> None:
    check_versions()
    os.environ.setdefault("SANIC_HOST", "127.0.0.1")  # rasa_sdk reads it; nothing outside needs the action server
    from rasa_sdk import __main__ as sdk

    sys.argv = ["rasa_sdk", "--actions", "actions", "--port", str(args.port)]
    sdk.main()


# --- everything, supervised (make run) ---------------------------------------------------

def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def serve_all(args: argparse.Namespace) -> None:
    from bot.supervisor import Child, Supervisor

    check_versions()
    auth_token(None)  # made once, kept in var/secrets/ (or RASA_AUTH_TOKEN from the environment)
    py = sys.executable
    logs = Path(args.log_dir)
    rasa_url = f"http://127.0.0.1:{args.port}"
    children = [
        Child("action server", [py, "-m", "bot.serve", "actions", "--port", str(args.actions_port)],
              logs / "actions.log", live_url=f"http://127.0.0.1:{args.actions_port}/health", start_grace_s=60,
              pid_file=logs / "actions.pid"),
        Child("Rasa server", [py, "-m", "bot.serve", "rasa", "--model", args.model, "--endpoints", args.endpoints,
                              "--credentials", args.credentials, "--port", str(args.port),
                              "--interface", args.interface], logs / "rasa.log",
              env={"CSE_ACTIONS_URL": f"http://127.0.0.1:{args.actions_port}/webhook"},
              live_url=f"{rasa_url}/webhooks/rest/", start_grace_s=300, pid_file=logs / "rasa.pid"),
        Child("web page server", [py, "-m", "clients.web.server", "--port", str(args.web_port), "--rasa-url",
                                  f"http://localhost:{args.port}"], logs / "web.log",
              live_url=f"http://127.0.0.1:{args.web_port}/", start_grace_s=60, pid_file=logs / "web.pid"),
    ]
    supervisor = Supervisor(children, ROOT, base_env={**os.environ, "WEB_PORT": str(args.web_port)})
    announced = False

    def on_tick() -> None:
        nonlocal announced
        if not announced and ready(f"{rasa_url}/webhooks/rest/health"):
            announced = True
            print(banner(args), flush=True)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        supervisor.run(on_tick)
    except KeyboardInterrupt:
        print("\nStopping the assistant...", file=sys.stderr, flush=True)
    finally:
        supervisor.stop()


def banner(args: argparse.Namespace) -> str:
    return f"""
  The assistant is running on http://localhost:{args.port}   (supervised: a part that stops is restarted)
  Web chat: open http://localhost:{args.web_port} in a browser.
  Talk to it over REST:
    curl -s -X POST http://localhost:{args.port}/webhooks/rest/webhook \\
      -H 'Content-Type: application/json' -d '{{"sender": "me", "message": "what are the signs of CSE?"}}'
  Readiness: http://localhost:{args.port}/webhooks/rest/health   Logs: {args.log_dir}/
  Conversations are stored, redacted, in {os.environ.get('CSE_DATABASE_URL') or 'var/cse.db'}; the API token is in
  var/secrets/rasa_auth_token. Press Ctrl-C to stop.
"""


# --- command line --------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bot.serve", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="mode")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--model", default=os.environ.get("MODEL", "models/cse.tar.gz"))
    common.add_argument("--endpoints", default=os.environ.get("CSE_ENDPOINTS", "endpoints.yml"))
    common.add_argument("--credentials", default=os.environ.get("CSE_CREDENTIALS", "credentials.yml"))
    common.add_argument("--port", type=int, default=int(os.environ.get("RASA_PORT", "5005")))
    common.add_argument("--interface", default=os.environ.get("RASA_INTERFACE", "127.0.0.1"))
    rasa_p = sub.add_parser("rasa", parents=[common], help="the Rasa server")
    rasa_p.add_argument("--auth-token-file", help="the API token (default: RASA_AUTH_TOKEN, else var/secrets/)")
    actions_p = sub.add_parser("actions", help="the action server")
    actions_p.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", "5055")))
    sub.add_parser("check", help="check versions and patches, then exit")
    all_p = sub.add_parser("all", parents=[common], help="everything, supervised (the default)")
    for parser in (p, all_p):
        parser.add_argument("--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", "5055")))
        parser.add_argument("--web-port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
        parser.add_argument("--log-dir", default=os.environ.get("CSE_LOG_DIR", "var/log"))
    for action in common._actions:
        if action.dest != "help":
            p._add_action(action)
    return p.parse_args(argv)


def check(args: argparse.Namespace) -> None:
    check_versions()
    from bot import rasa_patches

    changed = rasa_patches.mismatches()
    if changed:
        raise LaunchError("upstream changed under: " + ", ".join(changed))
    print(f"ok: {', '.join(f'{k}=={v}' for k, v in pinned_versions().items())}; "
          f"{len(rasa_patches.PATCHES)} patches match their upstream functions")


def main(argv: list[str] | None = None) -> int:
    os.chdir(ROOT)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    args = parse_args(argv)
    modes = {"rasa": serve_rasa, "actions": serve_actions, "check": check, "all": serve_all, None: serve_all}
    try:
        modes[args.mode](args)
    except LaunchError as exc:
        print(f"bot.serve: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
