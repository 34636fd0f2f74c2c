"""The Telegram bridge end to end: a fake Bot API, the bridge in polling mode, the real Rasa.

Each test talks in its own private chat (so its own Rasa conversation). Where the real Rasa
cannot be made to fail or stall on demand, a second bridge talks to the fake Rasa instead.
Everything listens on 127.0.0.1, and every wait has a timeout.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from clients.telegram import bridge as tb
from tests.assistant import free_port
from tests.channels.fake_telegram import LONG_PAYLOAD, Call, FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60  # seconds for a bridge to start polling
REPLY_TIMEOUT = 60  # seconds for Rasa's answer to reach the fake Bot API

_message_ids = itertools.count(1)


# --- Building updates as Telegram sends them ---------------------------------------------


def _message(chat_id: int, **fields: Any) -> dict[str, Any]:
    return {"message_id": next(_message_ids), "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Test"}, **fields}


def _text(chat_id: int, text: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"message": _message(chat_id, **fields)}


FILE = {"file_id": "f1", "file_unique_id": "u1"}
NOT_TEXT: dict[str, Any] = {
    "sticker": lambda chat: {"message": _message(chat, sticker={**FILE, "width": 512, "height": 512, "is_animated": False,
                                                                  "is_video": False, "type": "regular"})},
    "photo": lambda chat: {"message": _message(chat, photo=[{**FILE, "width": 90, "height": 90}], caption="look")},
    "voice": lambda chat: {"message": _message(chat, voice={**FILE, "duration": 3})},
    "document": lambda chat: {"message": _message(chat, document=FILE)},
    "video": lambda chat: {"message": _message(chat, video={**FILE, "width": 90, "height": 90, "duration": 3})},
    "edited text": lambda chat: {"edited_message": _message(chat, text="what is the MEG", edit_date=int(time.time()))},
}


# --- The bridge as a process, and one chat with it ------------------------------------------


SENDER_KEY = "test-telegram-sender-key-0123456789"


class BridgeProcess:
    """`python -m clients.telegram.bridge` against the fake Bot API, with its own token."""

    def __init__(self, api: FakeTelegram, log: Path, rasa_url: str, args: Sequence[str] = (),
                 env: dict[str, str] | None = None) -> None:
        self.api, self.log, self.args = api, log, list(args)
        self.token = f"{uuid.uuid4().int % 10**9}:TEST-{uuid.uuid4().hex[:12]}"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_URL": rasa_url,
                    "TELEGRAM_BOT_TOKEN": self.token, "TELEGRAM_API_BASE": api.url,
                    "TELEGRAM_SENDER_KEY": SENDER_KEY, **(env or {})}
        self.proc: subprocess.Popen | None = None

    def start(self, ready_method: str = "getUpdates") -> BridgeProcess:
        with self.log.open("w") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "clients.telegram.bridge", *self.args], cwd=ROOT,
                                         env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while self.alive() and time.monotonic() < deadline:
            try:
                self.api.wait_for(lambda c: c.token == self.token and c.method == ready_method, timeout=0.5)
                return self
            except TimeoutError:
                pass
        self.stop()
        raise RuntimeError(f"bridge did not start:\n{self.output()}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


class Chat:
    """One private chat: send as the user, then wait for what the bot sends to it."""

    def __init__(self, api: FakeTelegram, bridge: BridgeProcess) -> None:
        self.api, self.bridge = api, bridge
        self.id = 10**9 + uuid.uuid4().int % 10**9

    def send(self, text: str) -> int:
        return self._push(_text(self.id, text))

    def send_update(self, update: dict[str, Any]) -> int:
        return self._push(update)

    def press(self, callback_data: str) -> tuple[int, str]:
        """Press an inline button; returns the call-log mark and the callback query's id."""
        query_id = uuid.uuid4().hex
        since = self._push({"callback_query": {
            "id": query_id, "chat_instance": "ci", "data": callback_data,
            "from": {"id": self.id, "is_bot": False, "first_name": "Test"},
            "message": _message(self.id, text="(the message with the keyboard)")}})
        return since, query_id

    def reply(self, since: int, contains: str = "", buttons: bool = False, timeout: float = REPLY_TIMEOUT) -> Call:
        """The first message sent to this chat after ``since`` containing ``contains``."""
        return self.api.wait_for(lambda c: self._to_me(c) and contains in c.text and (c.buttons or not buttons),
                                 since=since, timeout=timeout)

    def replies(self, since: int) -> list[Call]:
        return self.api.calls_since(since, self._to_me)

    def _to_me(self, call: Call) -> bool:
        return (call.token == self.bridge.token and call.method in {"sendMessage", "sendPhoto"}
                and call.params.get("chat_id") == self.id)

    def _push(self, update: dict[str, Any]) -> int:
        since = self.api.mark()
        self.api.push(self.bridge.token, update)
        return since


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api() -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def live(api: FakeTelegram, server: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[BridgeProcess]:
    """The bridge talking to the real Rasa server."""
    bridge = BridgeProcess(api, tmp_path_factory.mktemp("tg") / "live.log", server["url"]).start()
    yield bridge
    bridge.stop()


@pytest.fixture(scope="module")
def scripted(api: FakeTelegram, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BridgeProcess]:
    """The bridge talking to the fake Rasa, which tests can make fail."""
    bridge = BridgeProcess(api, tmp_path_factory.mktemp("tg") / "scripted.log", f"{api.url}/rasa").start()
    yield bridge
    bridge.stop()


@pytest.fixture()
def chat(api: FakeTelegram, live: BridgeProcess) -> Chat:
    return Chat(api, live)


@pytest.fixture()
def rasa_mode(api: FakeTelegram) -> Iterator[FakeTelegram]:
    """The fake Rasa, put back to echoing after the test."""
    yield api
    api.rasa_mode = "echo"


# --- With the real Rasa ----------------------------------------------------------------------


def test_a_question_gets_rasa_answer(chat: Chat) -> None:
    since = chat.send("what is the MEG")
    answer = chat.reply(since, contains="Missing and Exploited Group")
    assert "section 2.4" in answer.text


def test_buttons_become_a_keyboard_and_a_press_is_answered_and_forwarded(api: FakeTelegram, chat: Chat) -> None:
    since = chat.send("I want to do a risk screening")
    question = chat.reply(since, contains="immediate danger", buttons=True)
    assert [b["text"] for b in question.buttons] == ["Yes", "No", "Not sure"]
    assert all(0 < len(b["callback_data"].encode()) <= 64 for b in question.buttons)

    no = next(b for b in question.buttons if b["text"] == "No")
    since, query_id = chat.press(no["callback_data"])
    api.wait_for(lambda c: c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id,
                 since=since, timeout=REPLY_TIMEOUT)
    chat.reply(since, contains="practitioner or as a parent", buttons=True)


def test_start_greets(chat: Chat) -> None:
    chat.reply(chat.send("/start"), contains="Hello. I answer questions")


def test_help_lists_what_it_can_do_with_buttons(chat: Chat) -> None:
    # Rasa sends these buttons as a message of their own: they go on the text before them.
    reply = chat.reply(chat.send("/help"), contains="I can help with", buttons=True)
    assert "Start a risk pre-screen" in [b["text"] for b in reply.buttons]


def test_forget_asks_then_deletes(chat: Chat) -> None:
    chat.reply(chat.send("what is the MEG"), contains="Missing and Exploited Group")
    ask = chat.reply(chat.send("/forget"), contains="delete this conversation", buttons=True)
    yes = next(b for b in ask.buttons if b["text"] == "Yes, delete it")
    since, _ = chat.press(yes["callback_data"])
    chat.reply(since, contains="I've deleted this conversation")


@pytest.mark.parametrize("kind", list(NOT_TEXT))
def test_anything_but_new_text_gets_the_text_only_reply(chat: Chat, kind: str) -> None:
    since = chat.send_update(NOT_TEXT[kind](chat.id))
    assert chat.reply(since).text == tb.say("telegram_text_only")
    assert chat.bridge.alive()


def test_an_edited_message_is_not_forwarded(chat: Chat) -> None:
    since = chat.send_update(NOT_TEXT["edited text"](chat.id))
    chat.reply(since, contains=tb.say("telegram_text_only"))
    chat.reply(chat.send("what is the MEG"), contains="Missing and Exploited Group")
    # Had the edit reached Rasa, its answer would be here too (turns in a chat run in order).
    assert sum("Missing and Exploited Group" in c.text for c in chat.replies(since)) == 1


# --- When Rasa is down, fails or stalls ------------------------------------------------------


def test_rasa_down_gives_the_unavailable_message_and_a_retry(api: FakeTelegram, tmp_path: Path) -> None:
    bridge = BridgeProcess(api, tmp_path / "down.log", f"http://127.0.0.1:{free_port()}").start()
    try:
        chat = Chat(api, bridge)
        private = "my daughter Jessica Smith is 13"
        sorry = chat.reply(chat.send(private), buttons=True)
        assert sorry.text == tb.say("telegram_unavailable")
        assert "If a child is in immediate danger, call 999" in sorry.text
        assert [b["text"] for b in sorry.buttons] == [tb.say("telegram_try_again")]

        since, query_id = chat.press(sorry.buttons[0]["callback_data"])
        api.wait_for(lambda c: c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id,
                     since=since, timeout=REPLY_TIMEOUT)
        assert chat.reply(since, buttons=True).text == tb.say("telegram_unavailable")
        assert bridge.alive()
    finally:
        bridge.stop()
    assert "Rasa unavailable: ConnectError" in bridge.output()
    assert "Jessica" not in bridge.output()


def test_try_again_resends_the_last_message(rasa_mode: FakeTelegram, scripted: BridgeProcess) -> None:
    chat = Chat(rasa_mode, scripted)
    # Longer than callback_data's 64 bytes, so the button carries a short key instead.
    message = "my son is 14 and an older man keeps buying him things and picking him up from school"
    rasa_mode.rasa_mode = "error"
    sorry = chat.reply(chat.send(message), buttons=True)
    assert sorry.text == tb.say("telegram_unavailable")
    assert len(sorry.buttons[0]["callback_data"].encode()) <= 64

    rasa_mode.rasa_mode = "echo"
    since, _ = chat.press(sorry.buttons[0]["callback_data"])
    chat.reply(since, contains=f"echo: {message}")
    senders = {m["sender"] for m in rasa_mode.rasa_messages if m["message"] == message}
    assert len(senders) == 1 and str(chat.id) not in next(iter(senders))  # a keyed hash, not the chat id
    assert "Rasa unavailable: HTTP 503" in scripted.output()
    assert "older man" not in scripted.output()


def test_images_become_photos_and_long_payloads_still_reach_rasa(rasa_mode: FakeTelegram,
                                                                  scripted: BridgeProcess) -> None:
    chat = Chat(rasa_mode, scripted)
    rasa_mode.rasa_mode = "rich"
    since = chat.send("show me the process map")
    photo = rasa_mode.wait_for(lambda c: c.method == "sendPhoto" and c.params.get("chat_id") == chat.id,
                               since=since, timeout=REPLY_TIMEOUT)
    assert photo.params["photo"] == "https://example.org/map.png"
    assert [c.text for c in chat.replies(since) if c.method == "sendMessage"] == ["Here is the process map."]
    assert [b["text"] for b in photo.buttons] == ["Steps instead", "Yes"]  # the buttons go on the photo
    long_button = photo.buttons[0]["callback_data"]
    assert len(long_button.encode()) <= 64 < len(LONG_PAYLOAD.encode())

    rasa_mode.rasa_mode = "echo"
    since, _ = chat.press(long_button)
    chat.reply(since, contains=f"echo: {LONG_PAYLOAD}")


def test_an_expired_button_is_answered_with_a_notice(api: FakeTelegram, scripted: BridgeProcess) -> None:
    chat = Chat(api, scripted)
    since, query_id = chat.press("#000000999")  # a key this bridge never issued
    answer = api.wait_for(lambda c: c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id,
                          since=since, timeout=REPLY_TIMEOUT)
    assert answer.params.get("text") == tb.say("telegram_button_expired")


def test_ask_rasa_timeout_5xx_and_refused_are_unavailable(rasa_mode: FakeTelegram) -> None:
    async def ask(url: str, mode: str) -> list[dict[str, Any]]:
        rasa_mode.rasa_mode = mode
        async with httpx.AsyncClient(timeout=0.5) as client:
            return await tb.ask_rasa(client, url, "42", "hello")

    fake_rasa = f"{rasa_mode.url}/rasa"
    assert asyncio.run(ask(fake_rasa, "echo")) == [{"recipient_id": "42", "text": "echo: hello"}]
    for url, mode in [(fake_rasa, "slow"), (fake_rasa, "error"), (f"http://127.0.0.1:{free_port()}", "echo")]:
        with pytest.raises(tb.RasaUnavailable):
            asyncio.run(ask(url, mode))


# --- Webhook mode and start-up checks --------------------------------------------------------


def test_webhook_refuses_requests_without_the_secret(rasa_mode: FakeTelegram, tmp_path: Path) -> None:
    port, secret = free_port(), uuid.uuid4().hex
    url = f"http://127.0.0.1:{port}/telegram-hook"
    bridge = BridgeProcess(rasa_mode, tmp_path / "webhook.log", f"{rasa_mode.url}/rasa",
                           args=["--webhook", url, "--listen", "127.0.0.1", "--port", str(port)],
                           env={"TELEGRAM_WEBHOOK_SECRET": secret})
    bridge.start(ready_method="setWebhook")
    try:
        registered = rasa_mode.wait_for(lambda c: c.token == bridge.token and c.method == "setWebhook", timeout=5)
        assert registered.params.get("url") == url and registered.params.get("secret_token") == secret

        chat = Chat(rasa_mode, bridge)

        def post(headers: dict[str, str]) -> int:
            update = {"update_id": next(_message_ids), **_text(chat.id, "hello by webhook")}
            return requests.post(url, json=update, headers=headers, timeout=10).status_code

        _wait_listening(port)
        assert post({}) == 403
        assert post({"X-Telegram-Bot-Api-Secret-Token": "wrong"}) == 403
        since = rasa_mode.mark()
        assert post({"X-Telegram-Bot-Api-Secret-Token": secret}) == 200
        chat.reply(since, contains="echo: hello by webhook")
        assert len(chat.replies(0)) == 1  # the refused requests reached no one
    finally:
        bridge.stop()


def _wait_listening(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


@pytest.mark.parametrize(("args", "env", "error"), [
    ([], {}, "TELEGRAM_BOT_TOKEN is not set"),
    ([], {"TELEGRAM_BOT_TOKEN": "1:x"}, "TELEGRAM_SENDER_KEY is not set"),
    ([], {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_SENDER_KEY": "short"}, "at least 16 characters"),
    ([], {"TELEGRAM_BOT_TOKEN": "1:xxxxxxxxxxxxxxxxxxxx", "TELEGRAM_SENDER_KEY": "1:xxxxxxxxxxxxxxxxxxxx"},
     "must not be the bot token"),
    ([], {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_SENDER_KEY_FILE": "/nonexistent/key"}, "cannot read"),
    (["--webhook", "https://example.org/hook"], {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_SENDER_KEY": "k" * 20},
     "needs TELEGRAM_WEBHOOK_SECRET"),
])
def test_missing_settings_exit_2_with_a_clear_error(args: list[str], env: dict[str, str], error: str) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    done = subprocess.run([sys.executable, "-m", "clients.telegram.bridge", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**clean, "PYTHONPATH": str(ROOT), **env})
    assert done.returncode == 2
    assert error in done.stderr


# --- The pieces ---------------------------------------------------------------------------


def test_button_keys_fit_64_bytes_and_stay_per_chat() -> None:
    keys = tb.ButtonKeys(per_chat=2)
    assert keys.encode(1, "/ask_signs") == "/ask_signs"  # fits: sent as it is
    for payload in ["é" * 33, "/ask_pathway" + '{"topic": "x"}' * 5, "#looks-like-a-key", ""]:
        data = keys.encode(1, payload)
        assert 0 < len(data.encode()) <= 64 and data != payload
        assert keys.decode(1, data) == payload
        assert keys.decode(2, data) is None  # another chat cannot use it
    assert keys.encode(1, "é" * 32) == "é" * 32  # exactly 64 bytes
    old = keys.encode(1, "x" * 100)
    keys.encode(1, "y" * 100)
    keys.encode(1, "z" * 100)
    assert keys.decode(1, old) is None  # only the chat's recent buttons are kept


def test_buttons_alone_join_the_text_before_them() -> None:
    yes_no = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    merged = tb.merge_buttons([{"text": "Delete?"}, {"buttons": yes_no}, {"text": "Next"}])
    assert merged == [{"text": "Delete?", "buttons": yes_no}, {"text": "Next"}]
    assert tb.merge_buttons([{"buttons": yes_no}]) == [{"buttons": yes_no}]


def test_long_text_is_split_at_line_breaks() -> None:
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(100))
    chunks = tb.split_text(text)
    assert len(chunks) > 1 and all(len(c) <= tb.TEXT_LIMIT for c in chunks)
    assert "\n".join(chunks) == text
    assert tb.split_text("y" * 9000) == ["y" * 4000, "y" * 4000, "y" * 1000]
