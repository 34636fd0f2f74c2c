"""Who is talking, without keeping who they are (issue 14).

Every channel's sender id reaches Rasa, its store and its logs only as a keyed hash of what
the channel says (a REST client's session id, a Teams user id, a Telegram chat id),
namespaced by channel: ``rest-3f9a...``, ``teams-77c1...``. The same person on the same
channel keeps one conversation; nobody without the secret can compute another person's id,
and a REST client can never name a Teams conversation (its ids are all ``rest-``).

The secret is read from the environment (``CSE_SENDER_SECRET``) or a file
(``CSE_SENDER_SECRET_FILE``); without either, a random one is made once in
``var/sender_secret`` (mode 0600) so that `make run` works on a fresh machine. Replicas
behind one load balancer must share it: give them the variable or the file. The Telegram
bridge has its own secret and refuses to start without it (clients/telegram/bridge.py).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET_ENV = "CSE_SENDER_SECRET"
SECRET_FILE_ENV = "CSE_SENDER_SECRET_FILE"
DEFAULT_SECRET_FILE = ROOT / "var" / "sender_secret"
MIN_SECRET_LENGTH = 16
DIGEST_CHARS = 40  # 160 bits of HMAC-SHA256


class IdentityError(RuntimeError):
    """No usable secret: the message says which setting to give."""


def read_secret(env: str, file_env: str, environ: dict[str, str] | None = None) -> bytes | None:
    """The secret named by ``env`` or the file named by ``file_env``; None if neither is set."""
    environ = dict(os.environ) if environ is None else environ
    value = environ.get(env, "").strip()
    if not value and environ.get(file_env, "").strip():
        path = Path(environ[file_env].strip())
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise IdentityError(f"{file_env}: cannot read {path} ({exc.__class__.__name__})") from exc
    if not value:
        return None
    if len(value) < MIN_SECRET_LENGTH:
        raise IdentityError(f"{env}: the secret must be at least {MIN_SECRET_LENGTH} characters")
    return value.encode("utf-8")


def _default_secret(path: Path = DEFAULT_SECRET_FILE) -> bytes:
    """The machine's own secret, made once; atomic, so concurrent processes agree on it."""
    for _ in range(50):
        try:
            value = path.read_text(encoding="utf-8").strip()
            if value:
                return value.encode("utf-8")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(secrets.token_hex(32) + "\n")
            try:
                os.link(tmp, path)  # fails if another process made it first: then read theirs
            except FileExistsError:
                pass
            finally:
                tmp.unlink(missing_ok=True)
            continue
        time.sleep(0.01)
    raise IdentityError(f"cannot read or create the sender secret in {path}")


@functools.lru_cache(maxsize=1)
def secret() -> bytes:
    """The secret of this process's channels (REST, Teams)."""
    return read_secret(SECRET_ENV, SECRET_FILE_ENV) or _default_secret()


def keyed_id(channel: str, raw: str, key: bytes) -> str:
    """``<channel>-<hex>``: HMAC-SHA256 of the channel and its own id for the sender."""
    digest = hmac.new(key, f"{channel}\x00{raw}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return f"{channel}-{digest[:DIGEST_CHARS]}"


def sender_id(channel: str, raw: str, key: bytes | None = None) -> str:
    """The id Rasa gets for ``raw`` on ``channel`` ("rest", "teams", ...)."""
    return keyed_id(channel, str(raw), key or secret())
