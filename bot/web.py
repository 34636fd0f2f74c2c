"""The web chat page, served by a tiny static server.

    python -m bot.web --port 8080 --rasa-url http://localhost:5005

Serves web/ at / and the process-map pictures in var/maps/ at /maps/. The page talks to
Rasa's REST channel directly from the browser, so Rasa must run with --cors (make run
does). The Rasa URL and the quick-exit URL are written into the page's <meta> tags, and
the Content-Security-Policy lets the page connect to itself and that Rasa URL only.
Binds 127.0.0.1 unless told otherwise: put a TLS reverse proxy in front to publish it.
"""

from __future__ import annotations

import argparse
import html
import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
WEB_DIR = ROOT / "web"
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

logger = logging.getLogger(__name__)

CONFIG = web.AppKey("config", dict)


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


async def index(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    page = (config["web_dir"] / "index.html").read_text(encoding="utf-8")
    page = set_meta(page, "rasa-url", rasa_url_for(request))
    page = set_meta(page, "exit-url", config["exit_url"])
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
             maps_dir: Path = MAPS_DIR) -> web.Application:
    rasa_url = rasa_url.rstrip("/")
    if rasa_url:
        origin_of(rasa_url)
    app = web.Application()
    app[CONFIG] = {"rasa_url": rasa_url, "exit_url": check_exit_url(exit_url),
                   "web_dir": Path(web_dir), "maps_dir": Path(maps_dir)}
    app.router.add_get("/", index)
    app.router.add_get("/maps/{name:.+}", map_picture)
    app.router.add_get("/{name:.+}", asset)
    app.on_response_prepare.append(security_headers)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.web", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", default="",
                        help=f"Rasa's base URL as the browser reaches it (default: the page's host, port {DEFAULT_RASA_PORT})")
    parser.add_argument("--exit-url", default=DEFAULT_EXIT_URL, help="where Quick exit goes (default %(default)s)")
    parser.add_argument("--maps-dir", type=Path, default=MAPS_DIR, help="process-map pictures served at /maps/")
    parser.add_argument("--web-dir", type=Path, default=WEB_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        app = make_app(args.rasa_url, args.exit_url, args.web_dir, args.maps_dir)
    except ValueError as exc:
        parser.error(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    print(f"Web chat on http://{args.host}:{args.port}/ talking to {args.rasa_url or f'<page host>:{DEFAULT_RASA_PORT}'}",
          flush=True)
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
