"""A local stand-in for the Telegram Bot API (and a scriptable fake Rasa), for channel tests.

It runs an aiohttp server on 127.0.0.1 in a background thread. Bots reach it at
``{url}/bot{token}/{method}`` (pass ``url`` as TELEGRAM_API_BASE): ``getUpdates`` hands out
the updates queued for that token once, ``sendMessage``/``sendPhoto`` return a message, and
every other method returns ``true``. Every call is recorded, so tests can wait for them.

``{url}/rasa`` is a fake Rasa REST endpoint that echoes, fails with 503, stalls or sends an
image and buttons, as ``rasa_mode`` says: for what the real Rasa cannot be made to do on demand.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "CSE test bot", "username": "cse_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
JSON_FIELDS = {"reply_markup", "allowed_updates", "entities"}  # PTB sends these JSON-encoded
# What Rasa sends for a process map: text, an image, then buttons on their own, one with a
# payload longer than Telegram's 64-byte callback_data.
LONG_PAYLOAD = '/ask_pathway{"topic": "pathway_open_to_social_care_high_risk", "level": "high"}'
RICH_REPLY = [{"text": "Here is the process map."}, {"image": "https://example.org/map.png"},
              {"buttons": [{"title": "Steps instead", "payload": LONG_PAYLOAD}, {"title": "Yes", "payload": "/affirm"}]}]
LONG_POLL_CAP = 1.0  # seconds a getUpdates may wait: keeps a bridge's shutdown quick


@dataclass
class Call:
    token: str
    method: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return str(self.params.get("text") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row after row."""
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


class FakeTelegram:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.rasa_mode = "echo"  # "echo", "error" (503), "slow" (answers after 5 s) or "rich" (RICH_REPLY)
        self.rasa_messages: list[dict[str, Any]] = []
        self._updates: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-telegram", daemon=True)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # Life cycle ------------------------------------------------------------------------

    def start(self) -> FakeTelegram:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_post("/rasa/webhooks/rest/webhook", self._rasa)
        app.router.add_route("*", "/bot{token}/{method}", self._bot_api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        # A stalled fake Rasa or an unfinished long poll: cancel them rather than leave them dangling.
        pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    # What tests use --------------------------------------------------------------------

    def push(self, token: str, update: dict[str, Any]) -> int:
        """Queue an update for the bot with ``token``; returns its update_id."""
        with self._changed:
            update_id = next(self._update_ids)
            self._updates[token].append({"update_id": update_id, **update})
            return update_id

    def mark(self) -> int:
        """A position in the call log: wait_for(..., since=mark) looks only at later calls."""
        with self._changed:
            return len(self.calls)

    def wait_for(self, match: Callable[[Call], bool], since: int = 0, timeout: float = 60) -> Call:
        """The first call after ``since`` that matches, waiting at most ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for call in self.calls[since:]:
                    if match(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.text[:80]) for c in self.calls[since:]]
                    raise TimeoutError(f"no matching call in {timeout}s; calls since: {seen}")
                self._changed.wait(remaining)

    def calls_since(self, since: int, match: Callable[[Call], bool] = lambda call: True) -> list[Call]:
        with self._changed:
            return [call for call in self.calls[since:] if match(call)]

    # The fake Bot API ------------------------------------------------------------------

    async def _bot_api(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        params = await _params(request)
        with self._changed:
            self.calls.append(Call(token, method, params))
            self._changed.notify_all()
        if method == "getUpdates":
            return _ok(await self._take_updates(token, float(params.get("timeout") or 0)))
        if method == "getMe":
            return _ok(BOT_USER)
        if method in {"sendMessage", "sendPhoto"}:
            return _ok(self._message(params))
        return _ok(True)

    async def _take_updates(self, token: str, timeout: float) -> list[dict[str, Any]]:
        # Long polling, like Telegram: wait a little for an update rather than spin.
        deadline = time.monotonic() + min(timeout, LONG_POLL_CAP)
        while True:
            with self._changed:
                if self._updates[token] or time.monotonic() >= deadline:
                    updates, self._updates[token] = self._updates[token], []
                    return updates
            await asyncio.sleep(0.05)

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": params.get("chat_id"), "type": "private"},
            "from": BOT_USER,
        }
        if "photo" in params:
            message["photo"] = [{"file_id": "photo", "file_unique_id": "photo", "width": 1, "height": 1}]
        else:
            message["text"] = params.get("text", "")
        return message

    # The fake Rasa -----------------------------------------------------------------------

    async def _rasa(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self._changed:
            self.rasa_messages.append(body)
        if self.rasa_mode == "error":
            return web.json_response({"error": "unavailable"}, status=503)
        if self.rasa_mode == "slow":
            await asyncio.sleep(5)
        if self.rasa_mode == "rich":
            return web.json_response(RICH_REPLY)
        return web.json_response([{"recipient_id": body["sender"], "text": f"echo: {body['message']}"}])


async def _params(request: web.Request) -> dict[str, Any]:
    """A Bot API call's parameters, whether sent as a query, a form or JSON."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        params.update({key: value for key, value in (await request.post()).items() if isinstance(value, str)})
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            params[key] = json.loads(params[key])
    if isinstance(params.get("chat_id"), str) and params["chat_id"].lstrip("-").isdigit():
        params["chat_id"] = int(params["chat_id"])
    return params


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})
