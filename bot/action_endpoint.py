"""The action server endpoint with a short timeout and a circuit breaker (issues 12, 13).

Rasa calls the action server with a 5-minute timeout (``DEFAULT_REQUEST_TIMEOUT``): a hung
action server (SIGSTOP, a deadlock) holds each turn, its conversation lock and its
admission slot for minutes, and everyone queues behind it. This endpoint is Rasa's own
``EndpointConfig`` (a subclass, handed to Rasa by the launcher, bot/serve.py) with:

- a timeout per call (``cse_timeout_s`` in endpoints.yml, default 3 s);
- a circuit breaker: after a call fails to connect or times out, calls fail at once
  (Rasa logs the failed action and carries on, as it does for any action error) while a
  background probe asks the action server's ``/health`` twice a second; the first answer
  closes the circuit. A restarted action server is used again within a second, and no
  user's turn waits on a server known to be down;
- a per-turn report (``TurnReport``, a context variable set by the channel) of the
  actions that failed, so the channel can say "I can't answer that right now" instead of
  silence;
- one kept-alive HTTP session per event loop: Rasa opens a new session, so a new TCP
  connection, for every action call (several per turn); under load that was a tenth of the
  Rasa server's time. A pooled connection the action server closed (it restarted) is
  retried once on a new one.

Rasa's failed-action behaviour (``MessageProcessor._run_action`` logs the exception and
continues with no events from that action) is relied on; tests/bot/test_rasa_guards.py
notices if it changes.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 3.0
PROBE_INTERVAL_S = 0.5
PROBE_TIMEOUT_S = 1.0
TIMEOUT_KEY = "cse_timeout_s"
STALE_RETRY_S = 0.5  # a stale kept connection fails within this; a later drop is not retried


@dataclass
class TurnReport:
    """What went wrong with the action server during one turn."""

    failed_actions: list[str] = field(default_factory=list)


current_turn: contextvars.ContextVar[TurnReport | None] = contextvars.ContextVar("cse_turn_report", default=None)


class ActionServerDown(aiohttp.ClientConnectionError):
    """The action server did not answer (RemoteAction turns this into a RasaException)."""


class Breaker:
    """Open while the action server is known not to answer; a probe closes it."""

    def __init__(self, health_url: str | None) -> None:
        self.health_url = health_url
        self.opened_at: float | None = None
        self._probe: asyncio.Task | None = None

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def trip(self, reason: str) -> None:
        if self.opened_at is None:
            self.opened_at = time.monotonic()
            logger.error("Action server not answering (%s): actions fail at once until it is back", reason)
        if self.health_url and (self._probe is None or self._probe.done()):
            self._probe = asyncio.ensure_future(self._wait_for_health())

    def close(self) -> None:
        if self.opened_at is not None:
            logger.warning("Action server answering again after %.1f s", time.monotonic() - self.opened_at)
        self.opened_at = None

    async def healthy(self) -> bool:
        """One probe of the action server's /health."""
        if not self.health_url:
            return True
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PROBE_TIMEOUT_S)) as session, \
                    session.get(self.health_url) as resp:
                return resp.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
            return False

    async def _wait_for_health(self) -> None:
        while self.is_open:
            if await self.healthy():
                self.close()
                return
            await asyncio.sleep(PROBE_INTERVAL_S)


def health_url_for(webhook_url: str | None) -> str | None:
    """rasa_sdk answers GET /health beside its /webhook."""
    if not webhook_url:
        return None
    base = webhook_url.rstrip("/")
    if base.endswith("/webhook"):
        base = base[: -len("/webhook")]
    return f"{base}/health"


class _Kept:
    """``async with`` over a shared session that leaves it open (Rasa's request() closes
    the session it opened for each call)."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc: Any) -> bool:
        return False


_sessions: dict[int, tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}  # id(loop) -> its session


class ActionServerEndpoint(EndpointConfig):
    """Rasa's EndpointConfig for the action server, bounded in time and failing fast."""

    def session(self) -> Any:
        loop = asyncio.get_running_loop()
        owner, session = _sessions.get(id(loop), (None, None))
        if session is None or session.closed or owner is not loop:
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) \
                if self.basic_auth else None
            session = aiohttp.ClientSession(headers=self.headers, auth=auth)
            _sessions[id(loop)] = (loop, session)
        return _Kept(session)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timeout_s = float(self.kwargs.get(TIMEOUT_KEY) or DEFAULT_TIMEOUT_S)
        self.breaker = Breaker(health_url_for(self.url))

    @classmethod
    def wrap(cls, config: EndpointConfig | None) -> ActionServerEndpoint | None:
        """The same settings as Rasa read them from endpoints.yml, in this class."""
        if config is None or isinstance(config, cls):
            return config
        return cls(config.url, config.params, config.headers, config.basic_auth, config.token,
                   config.token_name, config.cafile, **config.kwargs)

    def copy(self) -> ActionServerEndpoint:
        return ActionServerEndpoint.wrap(super().copy())  # type: ignore[return-value]

    async def request(self, method: str = "post", subpath: str | None = None,
                      content_type: str | None = "application/json", compress: bool = False,
                      **kwargs: Any) -> Any:
        action = ((kwargs.get("json") or {}).get("next_action")) or "?"
        if self.breaker.is_open:
            self._failed(action)
            raise ActionServerDown(f"action server unavailable (not called for {action})")
        kwargs["timeout"] = aiohttp.ClientTimeout(total=self.timeout_s)
        started = time.monotonic()
        try:
            try:
                return await super().request(method, subpath, content_type, compress, **dict(kwargs))
            except aiohttp.ServerDisconnectedError:
                # A kept connection the server had closed fails at once, before the call reached
                # it: sent again on a new one. A drop later may come after the action ran (a
                # screening record kept): not sent twice. The retry has only the time left.
                spent = time.monotonic() - started
                if spent > STALE_RETRY_S:
                    raise
                kwargs["timeout"] = aiohttp.ClientTimeout(total=max(0.1, self.timeout_s - spent))
                return await super().request(method, subpath, content_type, compress, **kwargs)
        except ClientResponseError as exc:
            if exc.status != 400:  # 400: the action rejected its run (a form's validation): not a failure
                self._failed(action)
            raise
        except asyncio.TimeoutError:
            self._failed(action)
            self.breaker.trip(f"no answer within {self.timeout_s:g} s")
            raise ActionServerDown(f"action server did not answer within {self.timeout_s:g} s") from None
        except aiohttp.ClientConnectionError as exc:
            self._failed(action)
            self.breaker.trip(exc.__class__.__name__)
            raise ActionServerDown(f"cannot reach the action server: {exc.__class__.__name__}") from None
        except aiohttp.ClientError:
            self._failed(action)
            raise

    @staticmethod
    def _failed(action: str) -> None:
        report = current_turn.get()
        if report is not None:
            report.failed_actions.append(action)
