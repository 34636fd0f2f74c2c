"""Fake Microsoft endpoints on 127.0.0.1 for the Teams channel tests.

- FakeLogin: the Entra ID token endpoint (``/{tenant}/oauth2/v2.0/token``) and the Bot
  Framework OpenID metadata and signing keys, with a test RSA key it signs tokens with.
- FakeConnector: a Bot Framework service URL that records the activities the bot sends.

Both run as aiohttp apps on free ports, in one background event loop (FakeServers), so
plain synchronous tests and a Rasa subprocess can talk to them.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://api.botframework.com"
CHANNEL = "msteams"
# The test bot's registration (fixed, so every importer sees the same values).
APP_ID = "6f1c3d2a-0b7e-4c59-9a1d-3e5f7a9b0c11"
APP_PASSWORD = "test-secret-Zq8~not-a-real-one"
TENANT_ID = "0d9b2c4e-5f61-4a8b-b7c3-d2e1f0a9b8c7"


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Recorded:
    """One request a fake received."""

    path: str  # as sent, percent-encoding kept
    headers: dict[str, str]
    body: dict[str, Any]
    match: dict[str, str] = field(default_factory=dict)


class Recorder:
    """Requests received on the server thread, waited for on the test thread."""

    def __init__(self) -> None:
        self._items: list[Recorded] = []
        self._changed = threading.Condition()

    def add(self, item: Recorded) -> None:
        with self._changed:
            self._items.append(item)
            self._changed.notify_all()

    @property
    def items(self) -> list[Recorded]:
        with self._changed:
            return list(self._items)

    def wait_for(self, predicate: Any, count: int = 1, timeout: float = 60) -> list[Recorded]:
        """The recorded requests matching predicate, once there are `count` of them (or TimeoutError)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [i for i in self._items if predicate(i)]
                remaining = deadline - time.monotonic()
                if len(found) >= count:
                    return found
                if remaining <= 0:
                    raise TimeoutError(f"only {len(found)} of {count} expected requests in {timeout}s")
                self._changed.wait(remaining)


class FakeLogin:
    """Entra ID token endpoint and Bot Framework OpenID metadata + JWKS."""

    def __init__(self, expires_in: int = 3600) -> None:
        self.key = new_rsa_key()
        self.kid = f"test-{uuid.uuid4().hex[:8]}"
        self.expires_in = expires_in
        self.access_token = f"fake-token-{uuid.uuid4().hex}"
        self.token_requests = Recorder()
        self.base_url = ""  # set once listening

    @property
    def openid_metadata_url(self) -> str:
        return f"{self.base_url}/v1/.well-known/openidconfiguration"

    def token_url(self) -> str:
        """The token URL with the channel's {tenant_id} placeholder left for it to fill in."""
        return f"{self.base_url}/{{tenant_id}}/oauth2/v2.0/token"

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        return app

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_requests.add(Recorded(request.raw_path, dict(request.headers), form, dict(request.match_info)))
        return web.json_response({"token_type": "Bearer", "expires_in": self.expires_in,
                                  "ext_expires_in": self.expires_in, "access_token": self.access_token})

    async def _metadata(self, request: web.Request) -> web.Response:
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.base_url}/v1/.well-known/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"],
                                  "token_endpoint_auth_methods_supported": ["private_key_jwt"]})

    async def _keys(self, request: web.Request) -> web.Response:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "endorsements": [CHANNEL, "emulator"]})
        return web.json_response({"keys": [jwk]})

    def sign(self, *, audience: str, service_url: str, issuer: str = ISSUER, lifetime: int = 600,
             key: rsa.RSAPrivateKey | None = None, kid: str | None = None) -> str:
        """A connector token as Microsoft's would be (claim names as the Bot Framework SDK reads them)."""
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience, "serviceurl": service_url, "nbf": now - 5,
                  "iat": now - 5, "exp": now + lifetime}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})


class FakeConnector:
    """A Bot Framework service URL recording the activities the bot sends."""

    def __init__(self) -> None:
        self.activities = Recorder()
        self.base_url = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._reply)
        return app

    async def _reply(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.activities.add(Recorded(request.raw_path, dict(request.headers), body, dict(request.match_info)))
        return web.json_response({"id": uuid.uuid4().hex})

    def replies_to(self, conversation_id: str, count: int = 1, timeout: float = 60) -> list[Recorded]:
        return self.activities.wait_for(lambda r: r.match.get("conversation") == conversation_id, count, timeout)

    def sent_to(self, conversation_id: str) -> list[Recorded]:
        return [r for r in self.activities.items if r.match.get("conversation") == conversation_id]


class FakeServers:
    """Runs aiohttp apps on 127.0.0.1 free ports in a background event loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="fake-botframework", daemon=True)
        self._runners: list[web.AppRunner] = []
        self._thread.start()

    def serve(self, app: web.Application) -> str:
        """Start app; return its base URL."""
        return asyncio.run_coroutine_threadsafe(self._serve(app), self.loop).result(timeout=10)

    async def _serve(self, app: web.Application) -> str:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)  # port 0: the OS picks a free one, no race
        await site.start()
        self._runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}"

    def close(self) -> None:
        async def cleanup() -> None:
            for runner in self._runners:
                await runner.cleanup()
            # Handlers of keep-alive connections may still wait; end them so none is destroyed pending.
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()


def start_login(servers: FakeServers, **kwargs: Any) -> FakeLogin:
    login = FakeLogin(**kwargs)
    login.base_url = servers.serve(login.app())
    return login


def start_connector(servers: FakeServers) -> FakeConnector:
    connector = FakeConnector()
    connector.base_url = servers.serve(connector.app())
    return connector


def activity(service_url: str, text: str, *, conversation_id: str | None = None, user_id: str | None = None,
             bot_id: str = "28:test-bot", kind: str = "message", **extra: Any) -> dict[str, Any]:
    """An incoming Teams activity as the connector posts it (personal chat unless overridden)."""
    return {
        "type": kind,
        "id": uuid.uuid4().hex[:16],
        "timestamp": "2026-01-01T12:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": CHANNEL,
        "from": {"id": user_id or f"29:{uuid.uuid4().hex}", "name": "Test Practitioner",
                 "aadObjectId": str(uuid.uuid4())},
        "conversation": {"id": conversation_id or f"a:{uuid.uuid4().hex}", "conversationType": "personal",
                         "tenantId": "tenant"},
        "recipient": {"id": bot_id, "name": "CSE Guide"},
        "text": text,
        "textFormat": "plain",
        "locale": "en-GB",
        "channelData": {"tenant": {"id": "tenant"}},
        **extra,
    }
