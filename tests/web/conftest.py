"""The web chat in a real browser: Debian's headless Chromium driven by Selenium.

The page is served by clients/web/server.py and talks to the real Rasa server that tests/conftest.py starts
(its session `server` fixture, shared with e2e and channels). A small helper server on 127.0.0.1 gives the tests
a neutral page for Quick exit, a fake Rasa REST endpoint for replies the tests need to
shape (a picture, a slow reply, an error) and that records what it was sent, and, only if
the real Rasa was started without --cors, a relay that adds the CORS header
`rasa run --cors "*"` would add (the page must reach Rasa from another origin, as in
production).

Needs: apt-get install chromium chromium-driver (binaries at /usr/bin/chromium and
/usr/bin/chromedriver); axe-core from npm (`make test-web` runs `npm ci` in tests/web/axe);
the process maps (`make maps`, which `make test-web` runs too).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.assistant import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "web"
AXE = ROOT / "tests" / "web" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
REAL_MAPS = ROOT / "var" / "maps"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--lang=en-GB", "--window-size=1280,900"]
WAIT = 30  # seconds: the longest any single step may take

MAP_NAME = "early-help-process-map.png"
EXIT_PAGE = "<!doctype html><html lang='en'><title>Neutral page</title><h1 id='neutral'>Weather</h1></html>"
START_PAGE = "<!doctype html><html lang='en'><title>Start</title><p id='start'>Somewhere before the chat</p></html>"
# A sender the fake Rasa does not offer to forget (tests clients/web/server.py's check of the offer).
UNOFFERED_SENDER = "web-" + "0" * 32


# --------------------------------------------------------------------------- helper server

def fake_rasa_reply(message: str, sender: str = "") -> tuple[int, Any]:
    """A stand-in for Rasa's REST channel, for replies the tests need to shape."""
    if message == "/forget_conversation":
        if sender == UNOFFERED_SENDER:
            return 200, [{"recipient_id": "x", "text": "Sorry, I didn't catch that."}]
        return 200, [{"recipient_id": "x", "text": "Do you want me to delete this conversation now?"},
                     {"recipient_id": "x", "buttons": [{"title": "Yes, delete it", "payload": "/affirm"},
                                                       {"title": "No, keep it", "payload": "/deny"}]}]
    if message == "/affirm":
        return 200, [{"recipient_id": "x", "text": "Done. I've deleted this conversation and everything in it."}]
    if message == "two messages please":  # an answer with buttons, then a message after it
        return 200, [{"recipient_id": "x", "text": "Here is an answer.",
                      "buttons": [{"title": "A related topic", "payload": "/related"}]},
                     {"recipient_id": "x", "text": "If a child is in immediate danger, call 999."}]
    if message == "show me the map":
        return 200, [{"recipient_id": "x", "text": "Here is the process map for Early Help cases."},
                     {"recipient_id": "x", "image": f"/maps/{MAP_NAME}"}]
    if message == "slow please":
        time.sleep(2)
        return 200, [{"recipient_id": "x", "text": "Sorry to keep you waiting."}]
    if message == "html please":
        return 200, [{"recipient_id": "x", "text": "<b>bold</b> <img src=x onerror=\"alert(2)\">"}]
    if message == "break please":
        return 500, {"error": "simulated"}
    return 200, [{"recipient_id": "x", "text": f"Fake Rasa heard: {message}",
                  "buttons": [{"title": "Tell me more", "payload": "/more"}]}]


class HelperServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), HelperHandler)
        self.rasa_url = ""
        self.senders: list[str] = []
        self.conversation_ids: list[str | None] = []  # the X-Conversation-Id header of each POST
        self.received: list[tuple[str, str]] = []  # (sender, message) of each POST to the fake Rasa
        self.url = f"http://127.0.0.1:{self.server_address[1]}"


class HelperHandler(BaseHTTPRequestHandler):
    server: HelperServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "content-type, x-conversation-id")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        pages = {"/exit-test.html": EXIT_PAGE, "/start.html": START_PAGE}
        if self.path in pages:
            self._send(200, pages[self.path].encode(), "text/html; charset=utf-8")
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.path == "/fake/webhooks/rest/webhook":
            self.server.senders.append(body.get("sender", ""))
            self.server.conversation_ids.append(self.headers.get("X-Conversation-Id"))
            self.server.received.append((body.get("sender", ""), body.get("message", "")))
            status, data = fake_rasa_reply(body.get("message", ""), body.get("sender", ""))
        elif self.path == "/relay/webhooks/rest/webhook" and self.server.rasa_url:
            r = requests.post(f"{self.server.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
            status, data = r.status_code, r.json()
        else:
            status, data = 404, {"error": "not found"}
        self._send(status, json.dumps(data).encode(), "application/json")


@pytest.fixture(scope="session")
def helper() -> Iterator[HelperServer]:
    httpd = HelperServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def allows_cors(rasa_url: str) -> bool:
    origin = "http://127.0.0.1:9"
    r = requests.options(f"{rasa_url}/webhooks/rest/webhook", timeout=10, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, x-conversation-id"})
    return r.headers.get("Access-Control-Allow-Origin") in ("*", origin)


@pytest.fixture(scope="session")
def rasa_url(request: pytest.FixtureRequest, helper: HelperServer) -> str:
    """The real Rasa as the browser reaches it: directly if it allows CORS, else via the relay."""
    real = request.getfixturevalue("server")["url"]
    if allows_cors(real):
        return real
    helper.rasa_url = real
    return f"{helper.url}/relay"


# --------------------------------------------------------------------------- clients/web/server.py

@pytest.fixture(scope="session")
def maps_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from PIL import Image, ImageDraw

    folder = tmp_path_factory.mktemp("maps")
    picture = Image.new("RGB", (480, 220), "#ffffff")
    draw = ImageDraw.Draw(picture)
    for i, colour in enumerate(("#3b3d6b", "#4f52b2", "#b42318")):
        x = 20 + i * 155
        draw.rectangle((x, 70, x + 130, 150), outline=colour, width=4)
        if i:
            draw.line((x - 25, 110, x, 110), fill="#242424", width=3)
    picture.save(folder / MAP_NAME)
    return folder


class WebServers:
    """start(rasa_url, exit_url=None, maps=None) -> the page's base URL; one clients/web/server.py per setting.
    log(base_url) -> what that server has logged so far."""

    def __init__(self, maps_dir: Path, logs: Path) -> None:
        self.maps_dir = maps_dir
        self.logs = logs
        self.procs: dict[tuple[str, str | None, Path], tuple[subprocess.Popen, str, Path]] = {}

    def __call__(self, rasa: str, exit_url: str | None = None, maps: Path | None = None) -> str:
        maps = maps or self.maps_dir
        key = (rasa, exit_url, maps)
        if key not in self.procs:
            port = free_port()
            cmd = [sys.executable, "-m", "clients.web.server", "--port", str(port), "--rasa-url", rasa,
                   "--maps-dir", str(maps)]
            if exit_url:
                cmd += ["--exit-url", exit_url]
            log_path = self.logs / f"web-{port}.log"
            log = open(log_path, "w")
            proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                    stdout=log, stderr=subprocess.STDOUT)
            url = f"http://127.0.0.1:{port}"
            self.procs[key] = (proc, url, log_path)  # stopped at the end even if it never answers
            wait_for(f"{url}/", proc, timeout=30)
        return self.procs[key][1]

    def log(self, url: str) -> str:
        path = next(p for _, u, p in self.procs.values() if u == url)
        return path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def web_server(maps_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServers]:
    start = WebServers(maps_dir, tmp_path_factory.mktemp("web"))

    try:
        yield start
    finally:
        for proc, _, _ in start.procs.values():
            proc.terminate()
        for proc, _, _ in start.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def chat(web_server: WebServers, rasa_url: str, helper: HelperServer) -> str:
    """The page talking to the real Rasa and serving the real process maps (var/maps, which
    the action server also checks before it sends one), with Quick exit going to the
    helper's neutral page."""
    if not (REAL_MAPS / "map-1.png").is_file():
        pytest.fail("no process maps in var/maps: run `make maps` (make test-web does)")
    return web_server(rasa_url, f"{helper.url}/exit-test.html", REAL_MAPS)


@pytest.fixture(scope="session")
def fake_chat(web_server: WebServers, helper: HelperServer) -> str:
    """The page talking to the helper's fake Rasa endpoint."""
    return web_server(f"{helper.url}/fake", f"{helper.url}/exit-test.html")


# --------------------------------------------------------------------------- the browser

@pytest.fixture()
def driver(tmp_path: Path) -> Iterator[Any]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Chromium is not installed: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(tmp_path / "chromedriver.log"))
    browser = webdriver.Chrome(service=service, options=options)
    browser.set_page_load_timeout(WAIT)
    browser.set_script_timeout(WAIT)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core as installed from npm by `npm ci` (tests/web/axe/package-lock.json)."""
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `npm ci --prefix tests/web/axe` (make test-web does)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
