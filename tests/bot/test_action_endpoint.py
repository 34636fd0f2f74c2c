"""bot/action_endpoint.py against a real HTTP server standing in for the action server:
a short timeout, fail-fast while it is down, back as soon as its /health answers."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.action_endpoint import ActionServerDown, ActionServerEndpoint, TurnReport, current_turn, health_url_for
from tests.assistant import free_port


class FakeActionServer:
    """answers /webhook and /health; ``hang`` makes both wait forever, ``stop`` closes it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.hang = False
        self.delay = 0.0
        self.calls = 0
        self.peers: set[tuple] = set()  # the client ends of the connections calls came on
        self.drop = 0  # the next calls whose connection is closed with no answer
        self.drop_after = 0.0  # ...after this many seconds
        self.runner: web.AppRunner | None = None

    async def webhook(self, request: web.Request) -> web.Response:
        self.calls += 1
        self.peers.add(request.transport.get_extra_info("peername"))
        if self.drop:
            self.drop -= 1
            await asyncio.sleep(self.drop_after)
            request.transport.close()
            await asyncio.sleep(0.05)
            return web.Response()
        while self.hang:
            await asyncio.sleep(0.05)
        await asyncio.sleep(self.delay)
        return web.json_response({"events": [], "responses": [{"text": "from the action"}]})

    async def health(self, request: web.Request) -> web.Response:
        while self.hang:
            await asyncio.sleep(0.05)
        return web.json_response({"status": "ok"})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/webhook", self.webhook)
        app.router.add_get("/health", self.health)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        await self.runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"


def endpoint(url: str, timeout: float = 0.3) -> ActionServerEndpoint:
    return ActionServerEndpoint.wrap(EndpointConfig(url, cse_timeout_s=timeout, enable_selective_domain=True))


async def call(ep: ActionServerEndpoint) -> dict:
    return await ep.request(json={"next_action": "action_answer"}, method="post")


async def until(condition, limit: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def test_settings_come_from_the_endpoint_config():
    ep = endpoint("http://127.0.0.1:5055/webhook", timeout=2.5)
    assert ep.timeout_s == 2.5 and ep.breaker.health_url == "http://127.0.0.1:5055/health"
    assert ep.kwargs["enable_selective_domain"] is True
    assert ActionServerEndpoint.wrap(None) is None and isinstance(ep.copy(), ActionServerEndpoint)
    assert health_url_for("http://actions:5055/webhook/") == "http://actions:5055/health"


def test_hung_then_fail_fast_then_back_without_a_restart():
    async def main() -> None:
        server = FakeActionServer()
        await server.start()
        ep = endpoint(server.url)
        try:
            assert (await call(ep))["responses"][0]["text"] == "from the action"
            server.hang = True
            report = TurnReport()
            current_turn.set(report)
            with pytest.raises(ActionServerDown):
                await call(ep)  # times out after 0.3 s instead of Rasa's 5 minutes
            assert ep.breaker.is_open and report.failed_actions == ["action_answer"]
            calls = server.calls
            with pytest.raises(ActionServerDown):
                await call(ep)  # fails at once: the server is not even asked
            assert server.calls == calls and report.failed_actions == ["action_answer", "action_answer"]
            server.hang = False
            await until(lambda: not ep.breaker.is_open)  # the /health probe closes it
            assert (await call(ep))["responses"]
        finally:
            server.hang = False
            await server.stop()

    asyncio.run(main())


def test_a_slow_server_within_the_timeout_is_waited_for():
    async def main() -> None:
        server = FakeActionServer()
        await server.start()
        server.delay = 0.3
        ep = endpoint(server.url, timeout=3.0)
        try:
            report = TurnReport()
            current_turn.set(report)
            assert (await call(ep))["responses"][0]["text"] == "from the action"
            assert not ep.breaker.is_open and report.failed_actions == []
        finally:
            await server.stop()

    asyncio.run(main())


def test_a_dead_server_trips_the_breaker_and_a_new_one_closes_it():
    async def main() -> None:
        server = FakeActionServer()
        ep = endpoint(server.url)
        with pytest.raises(ActionServerDown):
            await call(ep)  # nothing listening: connection refused
        assert ep.breaker.is_open
        await server.start()  # "restarted by the supervisor"
        try:
            await until(lambda: not ep.breaker.is_open)
            assert (await call(ep))["responses"]
        finally:
            await server.stop()

    asyncio.run(main())


def test_calls_share_one_kept_connection():
    async def main() -> None:
        server = FakeActionServer()
        await server.start()
        try:
            ep = endpoint(server.url)
            for _ in range(5):
                assert (await call(ep))["responses"]
            assert (await call(ep.copy()))["responses"]  # Rasa copies endpoints: same session
            assert server.calls == 6 and len(server.peers) == 1
        finally:
            await server.stop()

    asyncio.run(main())


def test_a_restarted_server_is_reached_on_a_new_connection_without_a_failed_call():
    async def main() -> None:
        server = FakeActionServer()
        await server.start()
        ep = endpoint(server.url)
        assert (await call(ep))["responses"]
        await server.stop()  # the kept connection is closed by the server going away
        restarted = FakeActionServer()
        restarted.port = server.port
        await restarted.start()
        try:
            report = TurnReport()
            current_turn.set(report)
            assert (await call(ep))["responses"]
            assert report.failed_actions == [] and not ep.breaker.is_open
        finally:
            await restarted.stop()

    asyncio.run(main())


def test_a_connection_dropped_at_once_is_sent_again_and_one_dropped_later_is_not():
    async def main() -> None:
        server = FakeActionServer()
        await server.start()
        try:
            ep = endpoint(server.url, timeout=2.0)
            report = TurnReport()
            current_turn.set(report)
            server.drop = 1  # as a kept connection the server had closed
            assert (await call(ep))["responses"]
            assert server.calls == 2 and report.failed_actions == []
            server.drop, server.drop_after = 1, 0.8  # the action may have run: not again
            with pytest.raises(ActionServerDown):
                await call(ep)
            assert server.calls == 3 and report.failed_actions == ["action_answer"]
        finally:
            await server.stop()

    asyncio.run(main())


def test_rasa_turns_a_down_server_into_the_exception_its_processor_survives():
    """RemoteAction.run raises RasaException, which MessageProcessor._run_action logs and
    survives (tests/bot/test_rasa_guards.py pins that upstream code)."""
    async def main() -> None:
        ep = endpoint(f"http://127.0.0.1:{free_port()}/webhook")
        tracker = DialogueStateTracker.from_events("s", [UserUttered("hi")])
        with pytest.raises(RasaException):
            await RemoteAction("action_answer", ep).run(None, None, tracker, Domain.empty())
        assert isinstance(ActionServerDown("x"), aiohttp.ClientConnectionError)

    asyncio.run(main())
