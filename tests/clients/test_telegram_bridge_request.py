"""What the Telegram bridge sends to Rasa's REST webhook (no network: httpx's mock transport)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from clients.telegram.bridge import RasaUnavailable, ask_rasa


def _client(handler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


def test_the_message_goes_with_the_conversation_id_header_for_load_balancers():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"recipient_id": "abc", "text": "Hello"}])

    async def go() -> list:
        async with _client(handler) as client:
            return await ask_rasa(client, "http://127.0.0.1:5005", "abc", "hi")

    assert asyncio.run(go()) == [{"recipient_id": "abc", "text": "Hello"}]
    (request,) = seen
    assert request.url.path == "/webhooks/rest/webhook"
    assert request.headers["X-Conversation-Id"] == "abc"
    assert json.loads(request.content) == {"sender": "abc", "message": "hi"}


def test_rasa_failing_is_reported_as_unavailable():
    async def go() -> None:
        async with _client(lambda request: httpx.Response(503)) as client:
            await ask_rasa(client, "http://127.0.0.1:5005", "abc", "hi")

    with pytest.raises(RasaUnavailable):
        asyncio.run(go())
