"""The web chat page, served by a tiny static server.

    python -m clients.web.server --port 8080 --rasa-url http://localhost:5005

Serves web/ at / and the process-map pictures in var/maps/ at /maps/. The page talks to
Rasa's REST channel directly from the browser, so Rasa must run with --cors (make run
does). The Rasa URL and the quick-exit URL are written into the page's <meta> tags, with
two things from knowledge/: the pre-screen summary's first line (the page gives the summary
a Copy button) and the process maps' titles (the pictures' captions), so that another
partnership's wording needs no change here. The Content-Security-Policy lets the page
connect to itself and that Rasa URL only.

Quick exit: the page sends its sender id to POST /end (a beacon, which outlives the page)
and this server ends that conversation through the same REST contract every client uses:
"/forget_conversation", then "/affirm" when the assistant asks to confirm, so the tracker
store deletes it (bot/tracker_store.py). The page's sender id is a random 128-bit value
kept only in the page's memory: knowing it is already enough to talk to Rasa as that
sender, so /end gives nobody a new power. Work is bounded (a few at a time, a short queue).

Binds 127.0.0.1 unless told otherwise: put a TLS reverse proxy in front to publish it.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = Path(__file__).resolve().parent / "static"
MAPS_DIR = ROOT / "var" / "maps"
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"
DEFAULT_RASA_PORT = 5005

# Pictures only under /maps/: nothing from var/ is ever served as a page.
MAP_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
             ".webp": "image/webp", ".gif": "image/gif"}
WEB_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
             ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
             ".ico": "image/x-icon", ".woff2": "font/woff2", ".json": "application/json"}

# A Host header we trust enough to name in the page and its CSP: a name, IPv4 or [IPv6], and a port.
HOST = re.compile(r"(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")

# The page's sender ids (web/chat.js): "web-" and 128 random bits in hex.
WEB_SENDER = re.compile(r"web-[0-9a-f]{32}")
# "Delete my conversation" (actions/privacy.py): asked, then confirmed by the affirm intent.
FORGET_MESSAGE = "/forget_conversation"
CONFIRM_PAYLOAD = "/affirm"
END_AT_ONCE = 4  # conversations being ended at the same time
END_QUEUE = 256  # waiting beyond that: refused (503), the page has gone anyway
END_TIMEOUT_S = 60

logger = logging.getLogger(__name__)

CONFIG = web.AppKey("config", dict)
ENDS = web.AppKey("ends", dict)


def origin_of(url: str) -> str:
    """scheme://host[:port] of an absolute http(s) URL, for the CSP."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def check_exit_url(url: str) -> str:
    """An absolute http(s) URL or a path on this site; never javascript: or data:."""
    if url.startswith("/") and not url.startswith("//"):
        return url
    origin_of(url)
    return url


def content_security_policy(rasa_origin: str) -> str:
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"connect-src 'self' {rasa_origin}",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "manifest-src 'self'",
    ])


def rasa_url_for(request: web.Request) -> str:
    """The configured Rasa URL, or the page's own host on port 5005."""
    configured = request.app[CONFIG]["rasa_url"]
    if configured:
        return configured
    match = HOST.fullmatch(request.host or "")
    host = match.group("host") if match else "127.0.0.1"
    return f"{request.scheme}://{host}:{DEFAULT_RASA_PORT}"


def set_meta(page: str, name: str, value: str) -> str:
    tag = f'<meta name="{name}" content="{html.escape(value, quote=True)}">'
    new, count = re.subn(rf'<meta\s+name="{re.escape(name)}"\s+content="[^"]*"\s*/?>', lambda _: tag, page, count=1)
    if not count:  # the page lost its tag: add one rather than silently ignore the setting
        new = page.replace("</head>", f"  {tag}\n</head>", 1)
    return new


def page_texts(maps_dir: Path) -> dict[str, str]:
    """What the page takes from knowledge/: the summary's first line; the titles of the maps
    this server has (as drawn on them by cse_core/process_maps.py), by file name, as JSON."""
    try:
        from cse_core import knowledge

        k = knowledge.get()
        header = str(k.message("screening.summary_header")).strip()
        titles = {f"map-{int(p.process_map)}.png": f"Process map {int(p.process_map)}: {p.label}"
                  for p in k.pathways.values() if p.process_map is not None}
    except Exception as exc:  # the chat still works, without the Copy button and captions
        logger.error("Could not read knowledge/ for the page: %s", exc.__class__.__name__)
        return {"summary-header": "", "map-titles": "{}"}
    titles = {name: title for name, title in titles.items() if (maps_dir / name).is_file()}
    return {"summary-header": header, "map-titles": json.dumps(titles, ensure_ascii=False, sort_keys=True)}


async def index(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    page = (config["web_dir"] / "index.html").read_text(encoding="utf-8")
    page = set_meta(page, "rasa-url", rasa_url_for(request))
    page = set_meta(page, "exit-url", config["exit_url"])
    for name, value in config["page_texts"].items():
        page = set_meta(page, name, value)
    return web.Response(text=page, content_type="text/html", charset="utf-8",
                        headers={"Cache-Control": "no-store"})


def safe_file(base: Path, name: str, types: dict[str, str]) -> Path:
    """base/name if it is a plain file of an allowed type inside base; else 404."""
    if not name or any(part.startswith(".") for part in name.split("/")):
        raise web.HTTPNotFound()
    try:
        path = (base / name).resolve()
        base = base.resolve()
    except (OSError, RuntimeError):
        raise web.HTTPNotFound() from None
    if base not in path.parents or not path.is_file() or path.suffix.lower() not in types:
        raise web.HTTPNotFound()
    return path


async def asset(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name == "index.html":
        return await index(request)
    path = safe_file(request.app[CONFIG]["web_dir"], name, WEB_TYPES)
    return web.FileResponse(path, headers={"Content-Type": WEB_TYPES[path.suffix.lower()],
                                           "Cache-Control": "no-cache"})


async def map_picture(request: web.Request) -> web.StreamResponse:
    path = safe_file(request.app[CONFIG]["maps_dir"], request.match_info["name"], MAP_TYPES)
    return web.FileResponse(path, headers={"Content-Type": MAP_TYPES[path.suffix.lower()],
                                           "Cache-Control": "no-cache"})


async def end_conversation(request: web.Request) -> web.Response:
    """POST /end with the page's sender id as the body: end that conversation, after answering."""
    if request.content_length is None or request.content_length > 64:
        raise web.HTTPBadRequest(text="expected the page's sender id")
    sender = (await request.read()).decode("ascii", "replace").strip()
    if not WEB_SENDER.fullmatch(sender):
        raise web.HTTPBadRequest(text="expected the page's sender id")
    ends = request.app[ENDS]
    if len(ends["tasks"]) >= END_AT_ONCE + END_QUEUE:
        logger.error("Quick exit: too many conversations waiting to be ended; one was refused")
        raise web.HTTPServiceUnavailable()
    task = asyncio.create_task(forget_conversation(request.app, sender))
    ends["tasks"].add(task)
    task.add_done_callback(ends["tasks"].discard)
    return web.Response(status=202, headers={"Cache-Control": "no-store"})


async def say_to_rasa(session: aiohttp.ClientSession, url: str, sender: str, message: str) -> list[dict[str, Any]]:
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                            headers={"X-Conversation-Id": sender}) as response:
        response.raise_for_status()
        replies = await response.json()
    return [r for r in replies if isinstance(r, dict)] if isinstance(replies, list) else []


async def forget_conversation(app: web.Application, sender: str) -> bool:
    """Delete `sender`'s conversation through the REST channel; True if the assistant did.
    Logs say what happened, never the sender id."""
    ends = app[ENDS]
    url = app[CONFIG]["rasa_server_url"]
    async with ends["at_once"]:
        try:
            replies = await say_to_rasa(ends["session"], url, sender, FORGET_MESSAGE)
            offered = any(isinstance(b, dict) and b.get("payload") == CONFIRM_PAYLOAD
                          for r in replies for b in (r.get("buttons") or []))
            if not offered:
                logger.error("Quick exit: the assistant did not offer to delete the conversation")
                return False
            await say_to_rasa(ends["session"], url, sender, CONFIRM_PAYLOAD)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            logger.error("Quick exit: could not end the conversation: %s", exc.__class__.__name__)
            return False
    logger.info("Quick exit: a conversation was ended")
    return True


async def end_client(app: web.Application) -> AsyncIterator[None]:
    timeout = aiohttp.ClientTimeout(total=END_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        app[ENDS] = {"session": session, "at_once": asyncio.Semaphore(END_AT_ONCE), "tasks": set()}
        yield
        tasks = list(app[ENDS]["tasks"])
        if tasks:  # let conversations being ended finish, for a while
            await asyncio.wait(tasks, timeout=10)


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    if request.path.startswith("/maps/"):
        # A picture opened on its own (an SVG is a document) may not run anything.
        csp = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'"
    else:
        csp = content_security_policy(origin_of(rasa_url_for(request)))
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    response.headers.setdefault("Cache-Control", "no-store")


def make_app(rasa_url: str = "", exit_url: str = DEFAULT_EXIT_URL, web_dir: Path = WEB_DIR,
             maps_dir: Path = MAPS_DIR, rasa_server_url: str = "") -> web.Application:
    """rasa_url: Rasa as the browser reaches it; rasa_server_url: as this server reaches it
    (to end conversations), by default the same, or this machine's port 5005 (never a URL
    built from a request's Host header)."""
    rasa_url = rasa_url.rstrip("/")
    if rasa_url:
        origin_of(rasa_url)
    rasa_server_url = (rasa_server_url or rasa_url or f"http://127.0.0.1:{DEFAULT_RASA_PORT}").rstrip("/")
    origin_of(rasa_server_url)
    app = web.Application(client_max_size=1024)
    app[CONFIG] = {"rasa_url": rasa_url, "exit_url": check_exit_url(exit_url), "rasa_server_url": rasa_server_url,
                   "web_dir": Path(web_dir), "maps_dir": Path(maps_dir), "page_texts": page_texts(Path(maps_dir))}
    app.cleanup_ctx.append(end_client)
    app.router.add_get("/", index)
    app.router.add_post("/end", end_conversation)
    app.router.add_get("/maps/{name:.+}", map_picture)
    app.router.add_get("/{name:.+}", asset)
    app.on_response_prepare.append(security_headers)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m clients.web.server", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="",
                        help=f"Rasa's base URL as the browser reaches it (default: the page's host, port {DEFAULT_RASA_PORT})")
    parser.add_argument("--exit-url", default=DEFAULT_EXIT_URL, help="where Quick exit goes (default %(default)s)")
    parser.add_argument("--rasa-server-url", default="",
                        help="Rasa's base URL as this server reaches it, to end conversations on Quick exit "
                             f"(default: --rasa-url, or http://127.0.0.1:{DEFAULT_RASA_PORT})")
    parser.add_argument("--maps-dir", type=Path, default=MAPS_DIR, help="process-map pictures served at /maps/")
    parser.add_argument("--web-dir", type=Path, default=WEB_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        app = make_app(args.rasa_url, args.exit_url, args.web_dir, args.maps_dir, args.rasa_server_url)
    except ValueError as exc:
        parser.error(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    print(f"Web chat on http://{args.host}:{args.port}/ talking to {args.rasa_url or f'<page host>:{DEFAULT_RASA_PORT}'}",
          flush=True)
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
