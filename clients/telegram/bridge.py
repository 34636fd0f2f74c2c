"""The Telegram channel: a bridge process between the Telegram Bot API and Rasa's REST contract.

Rasa's own Telegram channel is webhook-only and crashes on updates without text, so this runs
beside Rasa and talks to it exactly as every other client does:
POST {RASA_URL}/webhooks/rest/webhook {"sender", "message"} -> [{"text", "buttons", "image"}].

    python -m clients.telegram.bridge                       # long polling (default)
    python -m clients.telegram.bridge --webhook https://example.org/telegram --listen 127.0.0.1 --port 8443

Environment: TELEGRAM_BOT_TOKEN (required); TELEGRAM_SENDER_KEY or TELEGRAM_SENDER_KEY_FILE
(required: the secret of the keyed hash that stands for a chat id, at least 16 characters; there
is no fallback, and never the bot token); RASA_URL (default http://127.0.0.1:5005);
TELEGRAM_API_BASE (another Bot API server, e.g. a local fake in tests); TELEGRAM_WEBHOOK_SECRET
(required with --webhook: Telegram sends it back in X-Telegram-Bot-Api-Secret-Token).

Message text is never logged: it can identify a child.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import os
import re
import secrets
import sys
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse
from weakref import WeakValueDictionary

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from cse_core import identity, texts
from cse_core.redaction import logs as redaction_logs

# What each command says to Rasa: intent payloads, so NLU changes cannot break them.
COMMANDS: dict[str, str] = {"start": "/greet", "help": "/ask_capabilities", "forget": "/forget_conversation"}

logger = logging.getLogger("clients.telegram.bridge")  # not __name__: that is "__main__" under -m

DEFAULT_RASA_URL = "http://127.0.0.1:5005"
RASA_TIMEOUT = 30.0  # seconds: NLU plus the action server; past this the user is told to retry
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for an inline button's callback_data
TEXT_LIMIT = 4000  # Telegram allows 4096 characters; the margin covers UTF-16 surrogate pairs
KEY_PREFIX = "#"  # callback_data starting with this is a short key into ButtonKeys
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as a secret_token

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


say = texts.say  # the words for a knowledge/messages.yml key, contacts filled in (shared by every channel)


# --- Rasa -----------------------------------------------------------------------------


class RasaUnavailable(Exception):
    """Rasa gave no usable answer: refused, timed out, an HTTP error or not the REST contract."""


def _describe(exc: Exception) -> str:
    # Never str(exc) of a request error in full: keep the log to what an operator needs.
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__


async def ask_rasa(client: httpx.AsyncClient, rasa_url: str, sender: str, message: str) -> list[dict[str, Any]]:
    """One user message to Rasa's REST webhook; its replies, or RasaUnavailable."""
    try:
        # The header lets a load balancer keep a conversation on one replica (docs/scaling.md).
        response = await client.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                                     headers={"X-Conversation-Id": sender})
        if response.status_code in (429, 503) and _kind_reply(response):
            return _kind_reply(response)  # refused for now, with words for the user (999 first if in danger)
        response.raise_for_status()
        replies = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        logger.warning("Rasa unavailable: %s", _describe(exc))
        raise RasaUnavailable(_describe(exc)) from exc
    if not isinstance(replies, list):
        logger.warning("Rasa unavailable: reply is not a list")
        raise RasaUnavailable("reply is not a list")
    return [reply for reply in replies if isinstance(reply, dict)]


def _kind_reply(response: httpx.Response) -> list[dict[str, Any]]:
    try:
        body = response.json()
    except ValueError:
        return []
    return [m for m in body if isinstance(m, dict) and m.get("text")] if isinstance(body, list) else []


# --- Rendering Rasa's replies -----------------------------------------------------------


class ButtonKeys:
    """Per-chat short keys for payloads that do not fit Telegram's 64-byte callback_data.

    A payload that fits is sent as it is, so its button still works after a restart. A longer
    one gets a key kept in memory for the chat's most recent buttons; the key carries a
    per-process tag, so a button from before a restart can never resolve to another payload.
    """

    def __init__(self, per_chat: int = 200, max_chats: int = 10_000) -> None:
        self.per_chat = per_chat
        self.max_chats = max_chats
        self._tag = secrets.token_hex(3)
        self._count = 0
        self._chats: OrderedDict[int, OrderedDict[str, str]] = OrderedDict()

    def encode(self, chat_id: int, payload: str) -> str:
        size = len(payload.encode("utf-8"))
        if 0 < size <= CALLBACK_DATA_LIMIT and not payload.startswith(KEY_PREFIX):
            return payload
        self._count += 1
        key = f"{KEY_PREFIX}{self._tag}{self._count}"
        keys = self._keys(chat_id)
        keys[key] = payload
        while len(keys) > self.per_chat:
            keys.popitem(last=False)
        return key

    def decode(self, chat_id: int, data: str) -> str | None:
        """The payload behind a button's callback_data; None if its key has expired."""
        if not data.startswith(KEY_PREFIX):
            return data or None
        return self._chats.get(chat_id, {}).get(data)

    def _keys(self, chat_id: int) -> OrderedDict[str, str]:
        keys = self._chats.setdefault(chat_id, OrderedDict())
        self._chats.move_to_end(chat_id)
        while len(self._chats) > self.max_chats:
            self._chats.popitem(last=False)
        return keys


def merge_buttons(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Attach a buttons-only reply to the reply before it: Telegram needs text for a keyboard."""
    merged: list[dict[str, Any]] = []
    for reply in replies:
        alone = reply.get("buttons") and not reply.get("text") and not reply.get("image")
        if alone and merged and (merged[-1].get("text") or merged[-1].get("image")):
            merged[-1] = {**merged[-1], "buttons": [*(merged[-1].get("buttons") or []), *reply["buttons"]]}
        else:
            merged.append(reply)
    return merged


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Telegram refuses over-long messages: split at a line break where there is one."""
    chunks = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n")
    chunks.append(text)
    return [chunk for chunk in chunks if chunk.strip()]


# --- The bridge -------------------------------------------------------------------------


class Bridge:
    """The update handlers, sharing one Rasa client, the button keys and a lock per chat."""

    def __init__(self, rasa_url: str, sender_key: bytes, timeout: float = RASA_TIMEOUT) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        # The Telegram chat id is a stable account identifier: Rasa (and its database) only
        # ever sees a keyed hash of it (TELEGRAM_SENDER_KEY; required, no fallback).
        if len(sender_key) < identity.MIN_SECRET_LENGTH:
            raise ConfigError(f"{SENDER_KEY_ENV}: the secret must be at least {identity.MIN_SECRET_LENGTH} characters")
        self._sender_key = sender_key
        self.timeout = timeout
        self.buttons = ButtonKeys()
        # One turn at a time per chat, so replies keep the order the messages were sent in.
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()
        self._client: httpx.AsyncClient | None = None

    def sender_for(self, chat_id: int) -> str:
        """The Rasa sender id for a chat: stable, but not the chat id itself."""
        return identity.keyed_id("tg", str(chat_id), self._sender_key)

    async def open(self, _app: Application) -> None:
        self._client = httpx.AsyncClient(timeout=self.timeout)

    async def close(self, _app: Application) -> None:
        if self._client is not None:
            await self._client.aclose()

    # Handlers ------------------------------------------------------------------------

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat and update.effective_message and update.effective_message.text:
            await self.converse(context.bot, update.effective_chat.id, update.effective_message.text)

    def saying(self, message: str) -> Handler:
        """A handler that sends Rasa ``message`` for the user (the commands)."""

        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            if update.effective_chat:
                await self.converse(context.bot, update.effective_chat.id, message)

        return handle

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        chat = update.effective_chat
        payload = self.buttons.decode(chat.id, query.data or "") if chat else None
        if chat is None or payload is None:
            await query.answer(text=say("telegram_button_expired"))
            return
        await query.answer()  # first, so the button stops spinning however long Rasa takes
        await self.converse(context.bot, chat.id, payload)

    async def on_not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stickers, media, voice, files and edits: only new text messages reach Rasa."""
        if update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, say("telegram_text_only"))

    # One turn ------------------------------------------------------------------------

    async def converse(self, bot: Bot, chat_id: int, message: str) -> None:
        """Send one user message to Rasa (sender: the chat id) and its replies to the chat."""
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        async with lock:
            try:
                replies = await ask_rasa(self._rasa(), self.rasa_url, self.sender_for(chat_id), message)
            except RasaUnavailable:
                await self.send_unavailable(bot, chat_id, message)
                return
            for reply in merge_buttons(replies):
                try:
                    await self.send_reply(bot, chat_id, reply)
                except TelegramError as exc:  # e.g. an image URL Telegram cannot fetch: send the rest
                    logger.error("Telegram refused a reply: %s", type(exc).__name__)

    def _rasa(self) -> httpx.AsyncClient:
        if self._client is None:  # handlers run only after post_init; this is a safety net
            self._client = httpx.AsyncClient(timeout=self.timeout)
        return self._client

    async def send_unavailable(self, bot: Bot, chat_id: int, message: str) -> None:
        # The retry button's payload is the message itself, so pressing it sends it again.
        retry = InlineKeyboardButton(say("telegram_try_again"), callback_data=self.buttons.encode(chat_id, message))
        await bot.send_message(chat_id, say("telegram_unavailable"), reply_markup=InlineKeyboardMarkup([[retry]]))

    async def send_reply(self, bot: Bot, chat_id: int, reply: Mapping[str, Any]) -> None:
        """One Rasa message: text (split if long), then the image; the keyboard goes on the last."""
        text = str(reply.get("text") or "")
        image = reply.get("image")
        keyboard = self.keyboard(chat_id, reply.get("buttons") or [])
        chunks = split_text(text)
        for n, chunk in enumerate(chunks, start=1):
            last = n == len(chunks) and not image
            await bot.send_message(chat_id, chunk, reply_markup=keyboard if last else None)
        if image:
            await bot.send_photo(chat_id, photo=str(image), reply_markup=keyboard)
        if not chunks and not image:
            logger.warning("Skipped a Rasa reply with nothing Telegram can show")

    def keyboard(self, chat_id: int, buttons: Sequence[Any]) -> InlineKeyboardMarkup | None:
        rows = [
            [InlineKeyboardButton(str(b.get("title") or b["payload"]), callback_data=self.buttons.encode(chat_id, str(b["payload"])))]
            for b in buttons
            if isinstance(b, dict) and b.get("payload")
        ]
        return InlineKeyboardMarkup(rows) if rows else None


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The class only: an exception's message or the update can carry the user's text.
    logger.error("Update failed: %s", type(context.error).__name__)


def add_handlers(app: Application, bridge: Bridge) -> None:
    # Private chats only: the sender is the chat, so a group would share one conversation.
    private = filters.ChatType.PRIVATE
    new = filters.UpdateType.MESSAGE & private
    # Edits first: every other message handler would match an edited message too.
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & private, bridge.on_not_text))
    for command, message in COMMANDS.items():
        app.add_handler(CommandHandler(command, bridge.saying(message), filters=new))
    app.add_handler(MessageHandler(new & filters.COMMAND, bridge.saying(COMMANDS["help"])))  # unknown commands
    app.add_handler(MessageHandler(new & filters.TEXT, bridge.on_text))
    app.add_handler(MessageHandler(new & ~filters.StatusUpdate.ALL, bridge.on_not_text))
    app.add_handler(CallbackQueryHandler(bridge.on_button))
    app.add_error_handler(on_error)


# --- Start-up ---------------------------------------------------------------------------


class ConfigError(ValueError):
    """A setting is missing or wrong; the message says which and how to fix it."""


SENDER_KEY_ENV, SENDER_KEY_FILE_ENV = "TELEGRAM_SENDER_KEY", "TELEGRAM_SENDER_KEY_FILE"


@dataclass(frozen=True)
class Config:
    token: str
    rasa_url: str
    api_base: str | None
    webhook_url: str | None
    listen: str
    port: int
    secret: str | None
    sender_key: bytes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m clients.telegram.bridge", description=__doc__.split("\n")[0])
    parser.add_argument("--webhook", metavar="URL", help="receive updates at this public HTTPS URL instead of polling")
    parser.add_argument("--listen", default="127.0.0.1", help="webhook mode: address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8443, help="webhook mode: port to listen on (default 8443)")
    return parser.parse_args(argv)


def load_config(args: argparse.Namespace, env: Mapping[str, str]) -> Config:
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: put the bot's token from @BotFather in the environment")
    try:
        sender_key = identity.read_secret(SENDER_KEY_ENV, SENDER_KEY_FILE_ENV, dict(env))
    except identity.IdentityError as exc:
        raise ConfigError(str(exc)) from exc
    if sender_key is None:
        raise ConfigError(f"{SENDER_KEY_ENV} is not set: give a random secret of at least "
                          f"{identity.MIN_SECRET_LENGTH} characters (or {SENDER_KEY_FILE_ENV}, a file holding one); "
                          "it keys the hash that stands for each chat id")
    if sender_key == token.encode("utf-8"):
        raise ConfigError(f"{SENDER_KEY_ENV} must not be the bot token")
    secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip() or None
    if args.webhook:
        if secret is None or not SECRET_FORMAT.fullmatch(secret):
            raise ConfigError("--webhook needs TELEGRAM_WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -")
        if importlib.util.find_spec("tornado") is None:
            raise ConfigError("--webhook needs tornado: pip install 'python-telegram-bot[webhooks]'")
    return Config(
        token=token,
        rasa_url=(env.get("RASA_URL", "").strip() or DEFAULT_RASA_URL).rstrip("/"),
        api_base=env.get("TELEGRAM_API_BASE", "").strip().rstrip("/") or None,
        webhook_url=args.webhook,
        listen=args.listen,
        port=args.port,
        secret=secret,
        sender_key=sender_key,
    )


def build_application(config: Config) -> Application:
    bridge = Bridge(config.rasa_url, config.sender_key)
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .concurrent_updates(True)  # one slow turn must not hold up other chats (per-chat lock above)
        .post_init(bridge.open)
        .post_shutdown(bridge.close)
    )
    if config.api_base:
        builder = builder.base_url(f"{config.api_base}/bot").base_file_url(f"{config.api_base}/file/bot")
    app = builder.build()
    add_handlers(app, bridge)
    return app


def configure_logging() -> None:
    redaction_logs.install()  # every log record redacted when it is made
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    # httpx logs every request URL at INFO, and Bot API URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        config = load_config(args, os.environ)
    except ConfigError as exc:
        print(f"telegram_bridge: {exc}", file=sys.stderr)
        return 2
    configure_logging()
    for key in ("telegram_text_only", "telegram_unavailable", "telegram_try_again", "telegram_button_expired"):
        say(key)  # a bad knowledge/ edit or placeholder stops start-up, not a chat
    app = build_application(config)
    if config.webhook_url:
        logger.info("Receiving updates by webhook on %s:%s", config.listen, config.port)
        app.run_webhook(
            listen=config.listen,
            port=config.port,
            url_path=urlparse(config.webhook_url).path,
            webhook_url=config.webhook_url,
            secret_token=config.secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        logger.info("Receiving updates by polling; Rasa at %s", config.rasa_url)
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
