"""What every channel (REST, Teams) does with a user's message around Rasa (issues 12, 13, 16).

One place for: checking the sender id and the message, the length cap, admission (rate
limit, bounded queue), the deadlines, and the replies given when Rasa cannot answer.

1. **Limits before any work.** A sender id must be 1-128 characters of ``A-Z a-z 0-9 _ . :
   @ = + -`` (a clear 400 otherwise). A message over ``CSE_MAX_MESSAGE_CHARS`` (4,000) is not
   given to NLU, safety or redaction whole: the safety check runs on its first part (999
   first if it fires) and the sender is asked to send it in shorter parts.
2. **Admission** (bot/channels/admission.py), before anything else, long messages included:
   past a sender's rate or the queue's bound, a 429/503 with Retry-After and a kind reply
   that says to call 999 (999 first if a short message is a danger; a flood does not get a
   safety check per message).
3. **Safety does not wait.** If the turn has not finished after ``CSE_SAFETY_REPLY_S``
   (1 s: queued behind others, or an action server that does not answer), the message is
   checked for danger on the text thread (ahead of other work); a danger or a disclosure is
   answered with its first words (999) at once. That turn carries on and is stored;
   replies it makes later are not sent over this request.
4. **No silence.** A turn still running after ``CSE_TURN_DEADLINE_S`` (10 s) is cancelled
   (nothing of it is stored) and the sender is told "I can't answer that right now". A turn
   in which the action server failed gets the same words after whatever Rasa did say.
5. **Storage faults fail one message.** If the conversation could not be read or saved
   (``StoreUnavailable``), nothing of the turn is kept and its replies are dropped: the
   sender is told to try again in a minute (999 first if it is a danger), and the
   conversation is as it was before the message.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot import offload
from bot.action_endpoint import ActionServerEndpoint, TurnReport, current_turn
from bot.channels import admission
from bot.components.digest_cache import DigestCache
from bot.tracker_store import StoreUnavailable, find
from cse_core import texts

logger = logging.getLogger(__name__)

SENDER_ID = re.compile(r"[A-Za-z0-9_.:@=+\-]{1,128}")
DEFAULT_MAX_CHARS = 4000
DEFAULT_SAFETY_REPLY_S = 1.0
DEFAULT_TURN_DEADLINE_S = 10.0
REFUSED_CHECK_CHARS = 500  # a refused message is checked for danger only if it is this short
READY_CACHE_S = 1.0

_background: set[asyncio.Task] = set()  # turns still running after their reply went out


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def max_chars() -> int:
    return int(_setting("CSE_MAX_MESSAGE_CHARS", DEFAULT_MAX_CHARS))


class BadRequest(ValueError):
    """The request itself is malformed (a 400 with this message)."""


@dataclass
class Reply:
    """What the channel sends back: bot messages as Rasa's channels make them."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    retry_after: int | None = None
    outcome: str = "answered"  # answered | too_long | refused | safety_first | storage_down | unavailable


def check_sender(sender: Any) -> str:
    if not isinstance(sender, str) or not SENDER_ID.fullmatch(sender):
        raise BadRequest("'sender' must be 1-128 characters: letters, digits and _ . : @ = + -")
    return sender


def check_message(text: Any) -> str:
    if text is None:
        return ""
    if not isinstance(text, str):
        raise BadRequest("'message' must be a string")
    return text


def _messages(sender: str, lines: list[str]) -> list[dict[str, Any]]:
    return [{"recipient_id": sender, "text": line} for line in lines]


# The same long text sent again (a paste retried, a flood) is judged once: digests only.
_safety_cache: DigestCache[str | None] = DigestCache(512)


def _safety_kind(text: str) -> str | None:
    from cse_core import safety  # spaCy: imported where it runs, on the text thread

    return _safety_cache.get(text, lambda t: safety.check(t).kind)


async def safety_kind(text: str, urgent: bool = False) -> str | None:
    """``emergency``, ``disclosure`` or None for (the first part of) ``text``; never
    failing: a broken check must not block the reply. ``urgent``: ahead of other text work
    (a message already waiting past the safety deadline)."""
    if not text.strip() or text.startswith("/"):
        return None
    try:
        return await offload.text(_safety_kind, text[: max_chars()], urgent=urgent)
    except Exception as exc:  # the fall-back reply still goes out, with 999 in it
        logger.error("Safety check failed in the channel: %s", exc.__class__.__name__)
        return None


async def fallback(sender: str, text: str, key: str) -> list[dict[str, Any]]:
    """The safety words first if ``text`` is a danger, then the words for ``key``."""
    return _messages(sender, [*texts.safety_reply(await safety_kind(text)), texts.say(key)])


def _says_safety(messages: list[dict[str, Any]]) -> bool:
    firsts = {texts.say(key) for key in texts.SAFETY_KEYS.values()}
    return any((m.get("text") or "").strip() in firsts for m in messages)


def _keep_running(task: asyncio.Task) -> None:
    _background.add(task)
    task.add_done_callback(_background.discard)
    task.add_done_callback(_log_late_failure)


def _log_late_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("A turn answered early failed afterwards: %s", task.exception().__class__.__name__)


async def converse(sender: str, text: str, channel: str, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                   metadata: dict[str, Any] | None = None) -> Reply:
    """Run one user message through Rasa within the limits above; the reply to send."""
    started = time.monotonic()
    gate = admission.get()
    try:
        # first: a flood of anything, long messages too, is limited; a long text costs more
        ticket = gate.check(sender, min(len(text), max_chars()))
    except admission.Refused as refused:
        logger.warning("%s: message refused: %s", channel, refused.reason)
        # The busy words say "call 999" anyway; a flood must not buy a safety check per message.
        short = text if len(text) <= REFUSED_CHECK_CHARS else ""
        return Reply(await fallback(sender, short, texts.BUSY), status=refused.status,
                     retry_after=refused.retry_after, outcome="refused")
    if len(text) > max_chars():
        ticket.release()
        logger.warning("%s: message of %d characters refused (limit %d)", channel, len(text), max_chars())
        return Reply(await fallback(sender, text, texts.TOO_LONG), outcome="too_long")

    collector = CollectingOutputChannel()
    report = TurnReport()

    async def turn() -> None:
        current_turn.set(report)
        async with gate.turn(ticket):
            await on_new_message(UserMessage(text, collector, sender, input_channel=channel, metadata=metadata))

    task = asyncio.ensure_future(turn())
    task.add_done_callback(lambda _: ticket.release())  # also if cancelled before it started
    try:
        return await _reply(task, sender, text, channel, collector, report, started)
    except asyncio.CancelledError:  # the client went away: the turn finishes (and is stored) anyway
        _keep_running(task)
        raise


async def _reply(task: asyncio.Task, sender: str, text: str, channel: str, collector: CollectingOutputChannel,
                 report: TurnReport, started: float) -> Reply:
    done, _ = await asyncio.wait({task}, timeout=_setting("CSE_SAFETY_REPLY_S", DEFAULT_SAFETY_REPLY_S))
    if not done:
        kind = await safety_kind(text, urgent=True)
        if kind and not task.done():
            logger.warning("%s: turn still running after %.1f s: safety reply sent first", channel,
                           time.monotonic() - started)
            _keep_running(task)
            return Reply(_messages(sender, texts.safety_reply(kind)), outcome="safety_first")
        left = _setting("CSE_TURN_DEADLINE_S", DEFAULT_TURN_DEADLINE_S) - (time.monotonic() - started)
        done, _ = await asyncio.wait({task}, timeout=max(0.0, left))
        if not done:
            task.cancel()
            logger.error("%s: turn cancelled after %.1f s", channel, time.monotonic() - started)
            return Reply(await fallback(sender, text, texts.UNAVAILABLE), outcome="unavailable")

    error = task.exception()
    if isinstance(error, StoreUnavailable):
        return Reply(await fallback(sender, text, texts.STORAGE_DOWN), outcome="storage_down")
    if error is not None:  # never log the user's text
        logger.error("%s: message failed: %s", channel, error.__class__.__name__)
        return Reply(await fallback(sender, text, texts.UNAVAILABLE), outcome="unavailable")
    messages = collector.messages
    if report.failed_actions:
        logger.warning("%s: actions failed this turn: %s", channel, ", ".join(report.failed_actions))
        if not messages:
            return Reply(await fallback(sender, text, texts.UNAVAILABLE), outcome="unavailable")
        if not _says_safety(messages):
            messages = [*messages, *_messages(sender, [texts.say(texts.UNAVAILABLE)])]
        return Reply(messages, outcome="unavailable")
    return Reply(messages)


# --- health ----------------------------------------------------------------------------

_action_probe: tuple[float, bool] = (0.0, True)


async def _action_server_ok(endpoint: Any) -> bool:
    global _action_probe
    if not isinstance(endpoint, ActionServerEndpoint):
        return True  # not ours to judge (started without the launcher)
    if endpoint.breaker.is_open:
        return False
    at, ok = _action_probe
    if time.monotonic() - at >= READY_CACHE_S:
        ok = await endpoint.breaker.healthy()
        _action_probe = (time.monotonic(), ok)
    return ok


async def ready(agent: Any, action_server: bool = True) -> bool:
    """Readiness: the model is loaded, the database answers now, and (unless told not to
    look) the action server answers."""
    if agent is None or not agent.is_ready():
        return False
    store = find(agent.tracker_store)
    if store is not None and not await store.ready():
        return False
    return await _action_server_ok(agent.action_endpoint) if action_server else True
