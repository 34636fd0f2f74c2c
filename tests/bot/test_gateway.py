"""bot/channels/gateway.py: what every channel does around Rasa, with a stand-in for Rasa's
message handler (the real thing, end to end, is in tests/faults/)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from bot.action_endpoint import current_turn
from bot.channels import admission, gateway
from bot.tracker_store import StoreUnavailable
from cse_core import texts

DANGER = "he's got her in his car right now and won't let her out"


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setenv("CSE_SAFETY_REPLY_S", "0.3")
    monkeypatch.setenv("CSE_TURN_DEADLINE_S", "2")
    monkeypatch.setenv("CSE_MAX_MESSAGE_CHARS", "4000")
    admission._admissions.clear()


def handler(reply: str | None = "an answer", wait: asyncio.Event | None = None, raises: BaseException | None = None,
            failed_action: str | None = None, seen: list | None = None) -> Callable[[Any], Any]:
    async def on_new_message(message: Any) -> None:
        if seen is not None:
            seen.append(message)
        if reply:
            await message.output_channel.send_text_message(message.sender_id, reply)
        if failed_action:
            current_turn.get().failed_actions.append(failed_action)
        if wait is not None:
            await wait.wait()
        if raises is not None:
            raise raises

    return on_new_message


def texts_of(reply: gateway.Reply) -> list[str]:
    return [m["text"] for m in reply.messages]


def converse(text: str, on_new_message: Callable[[Any], Any], sender: str = "s1") -> gateway.Reply:
    return asyncio.run(gateway.converse(sender, text, "rest", on_new_message))


def test_an_answer_passes_through():
    seen: list = []
    reply = converse("what are the signs", handler(seen=seen))
    assert texts_of(reply) == ["an answer"] and reply.status == 200
    assert seen[0].text == "what are the signs" and seen[0].sender_id == "s1"


@pytest.mark.parametrize("sender", ["", "a" * 129, "bad sender", "évé", None, 42, "x/../y"])
def test_bad_sender_ids_are_refused(sender):
    with pytest.raises(gateway.BadRequest):
        gateway.check_sender(sender)


@pytest.mark.parametrize("sender", ["web-2f9c1e", "29:1GcS4EyB_oSI8A88Xm-WB", "bench-1a2b-3-4", "a" * 128])
def test_real_sender_ids_pass(sender):
    assert gateway.check_sender(sender) == sender


def test_a_message_over_the_cap_never_reaches_rasa_and_is_answered_kindly():
    seen: list = []
    reply = converse("what are the signs " * 400, handler(seen=seen))
    assert seen == []
    assert texts_of(reply) == [texts.say(texts.TOO_LONG)] and reply.outcome == "too_long"


def test_a_long_message_with_danger_in_its_first_part_gets_999_first():
    reply = converse(DANGER + ". " + "and then some more words " * 300, handler())
    assert texts_of(reply) == [texts.say("emergency"), texts.say(texts.TOO_LONG)]


def test_a_storage_failure_drops_the_turns_replies_and_says_so():
    reply = converse("what are the signs", handler(raises=StoreUnavailable("down")))
    assert texts_of(reply) == [texts.say(texts.STORAGE_DOWN)] and reply.outcome == "storage_down"


def test_a_storage_failure_on_a_danger_message_still_gives_999_first():
    reply = converse(DANGER, handler(reply=texts.say("emergency"), raises=StoreUnavailable("down")))
    assert texts_of(reply) == [texts.say("emergency"), texts.say(texts.STORAGE_DOWN)]


def test_any_other_failure_is_answered_not_silent():
    reply = converse("what are the signs", handler(raises=ConnectionError("redis")))
    assert texts_of(reply) == [texts.say(texts.UNAVAILABLE)]


def test_a_failed_action_adds_the_cant_answer_words():
    reply = converse("what are the signs", handler(reply=None, failed_action="action_answer"))
    assert texts_of(reply) == [texts.say(texts.UNAVAILABLE)]
    reply = converse("hello", handler(reply="partial", failed_action="action_answer"), sender="s2")
    assert texts_of(reply) == ["partial", texts.say(texts.UNAVAILABLE)]


def test_a_failed_action_after_the_999_response_adds_nothing_to_it():
    reply = converse(DANGER, handler(reply=texts.say("emergency"), failed_action="action_emergency"))
    assert texts_of(reply) == [texts.say("emergency")]


def test_a_danger_message_stuck_behind_a_hung_turn_gets_999_and_the_turn_carries_on():
    async def main() -> tuple[gateway.Reply, list]:
        hang = asyncio.Event()
        seen: list = []
        reply = await gateway.converse("s1", DANGER, "rest", handler(reply=None, wait=hang, seen=seen))
        assert gateway._background, "the turn goes on (it will be stored)"
        hang.set()
        await asyncio.gather(*gateway._background)
        return reply, seen

    reply, seen = asyncio.run(main())
    assert texts_of(reply) == [texts.say("emergency")] and reply.outcome == "safety_first"
    assert len(seen) == 1


def test_an_ordinary_message_in_a_hung_turn_is_cancelled_and_answered():
    async def main() -> tuple[gateway.Reply, asyncio.Event]:
        hang = asyncio.Event()
        return await gateway.converse("s1", "what are the signs", "rest", handler(reply=None, wait=hang)), hang

    reply, _ = asyncio.run(main())
    assert texts_of(reply) == [texts.say(texts.UNAVAILABLE)] and reply.outcome == "unavailable"


def test_a_flooding_sender_is_refused_with_429_and_others_still_answered(monkeypatch):
    monkeypatch.setenv("CSE_SENDER_BURST", "3")
    monkeypatch.setenv("CSE_SENDER_RATE", "0.01")

    async def main() -> tuple[list[gateway.Reply], gateway.Reply]:
        flood = [await gateway.converse("flooder", "spam", "rest", handler()) for _ in range(5)]
        other = await gateway.converse("someone", "what are the signs", "rest", handler())
        return flood, other

    flood, other = asyncio.run(main())
    assert [r.status for r in flood] == [200, 200, 200, 429, 429]
    assert flood[-1].retry_after and texts_of(flood[-1]) == [texts.say(texts.BUSY)]
    assert texts_of(other) == ["an answer"]


def test_a_flood_of_over_long_messages_is_rate_limited_too(monkeypatch):
    monkeypatch.setenv("CSE_SENDER_BURST", "32")
    monkeypatch.setenv("CSE_SENDER_RATE", "0.01")

    async def main() -> list[gateway.Reply]:
        return [await gateway.converse("flooder", "x" * 60_000, "rest", handler()) for _ in range(4)]

    replies = asyncio.run(main())
    # each costs the 4,000 characters the safety check reads: 16 tokens of the 32
    assert [r.outcome for r in replies] == ["too_long", "too_long", "refused", "refused"]
    assert texts_of(replies[-1]) == [texts.say(texts.BUSY)]
