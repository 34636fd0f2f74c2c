"""bot/channels/admission.py: a few messages at once in arrival order, a per-sender rate
limit, a per-sender cap on messages in progress, and a bounded queue."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels import admission
from bot.channels.admission import Admission, Limits, Refused


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _run(gate: Admission, count: int, expected_peak: int) -> tuple[int, list[int]]:
    """``count`` messages, each holding its turn until ``expected_peak`` run at once (or all
    have started): no timing involved."""
    running, peak, started = 0, 0, []
    full = asyncio.Event()

    async def message(i: int) -> None:
        nonlocal running, peak
        ticket = gate.check(f"s{i}")
        async with gate.turn(ticket):
            started.append(i)
            running += 1
            peak = max(peak, running)
            if running >= expected_peak or len(started) == count:
                full.set()
            await full.wait()  # the action-server call a message waits for
            await asyncio.sleep(0)
            running -= 1

    tasks = []
    for i in range(count):
        tasks.append(asyncio.create_task(message(i)))
        await asyncio.sleep(0)  # arrive one after another
    await asyncio.gather(*tasks)
    return peak, started


@pytest.mark.parametrize("limit", [1, 3, 5])
def test_no_more_than_the_limit_at_once_and_in_arrival_order(limit):
    async def main() -> tuple[int, list[int]]:
        return await _run(Admission(Limits(concurrent=limit, queue=100)), 20, limit)

    peak, started = asyncio.run(main())
    assert peak == limit
    assert started == list(range(20)), "admitted out of arrival order"


def test_zero_means_no_limit_on_concurrency():
    async def main() -> tuple[int, list[int]]:
        return await _run(Admission(Limits(concurrent=0)), 20, 20)

    assert asyncio.run(main())[0] == 20


def test_a_sender_over_its_rate_gets_429_with_retry_after_and_others_are_untouched():
    clock = Clock()
    gate = Admission(Limits(burst=3, rate=0.5), clock=clock)
    for _ in range(3):
        gate.check("flooder").release()
    with pytest.raises(Refused) as refused:
        gate.check("flooder").release()
    assert refused.value.status == 429 and refused.value.retry_after == 2  # 1 token at 0.5/s
    gate.check("someone else").release()  # their own bucket
    clock.now += 2.0  # one token back
    gate.check("flooder").release()
    with pytest.raises(Refused):
        gate.check("flooder").release()


def test_a_long_text_costs_a_token_per_chars_per_token_characters():
    clock = Clock()
    gate = Admission(Limits(burst=20, rate=1.0, chars_per_token=250), clock=clock)
    assert gate.limits.cost(0) == 1 and gate.limits.cost(250) == 1 and gate.limits.cost(251) == 2
    assert gate.limits.cost(4000) == 16 and gate.limits.cost(10**6) == 20  # never more than a burst
    gate.check("paster", 4000).release()  # 16 of 20 tokens
    with pytest.raises(Refused) as refused:
        gate.check("paster", 4000).release()
    assert refused.value.status == 429 and refused.value.retry_after == 12  # 12 more tokens at 1/s
    for _ in range(4):
        gate.check("paster", 20).release()  # short messages still go through on what is left
    with pytest.raises(Refused):
        gate.check("paster", 20).release()
    clock.now += 16.0
    gate.check("paster", 4000).release()


def test_a_sender_cannot_have_more_than_its_share_in_progress():
    async def main() -> None:
        gate = Admission(Limits(concurrent=1, per_sender=2, burst=100))
        release = asyncio.Event()

        async def hold(sender: str) -> None:
            ticket = gate.check(sender)
            async with gate.turn(ticket):
                await release.wait()

        tasks = [asyncio.create_task(hold("a")), asyncio.create_task(hold("a"))]
        await asyncio.sleep(0.01)
        with pytest.raises(Refused) as refused:
            gate.check("a")
        assert refused.value.status == 429
        gate.check("b")  # another sender still queues
        release.set()
        await asyncio.gather(*tasks)
        gate.check("a")  # and a's share is free again

    asyncio.run(main())


def test_the_queue_is_bounded_with_503():
    async def main() -> None:
        gate = Admission(Limits(concurrent=1, queue=2, burst=100, per_sender=100))
        release = asyncio.Event()

        async def hold(sender: str) -> None:
            ticket = gate.check(sender)
            async with gate.turn(ticket):
                await release.wait()

        tasks = [asyncio.create_task(hold(f"s{i}")) for i in range(3)]  # 1 running, 2 waiting
        await asyncio.sleep(0.01)
        assert gate.waiting == 2
        with pytest.raises(Refused) as refused:
            gate.check("late")
        assert refused.value.status == 503 and refused.value.retry_after > 0
        release.set()
        await asyncio.gather(*tasks)
        assert gate.waiting == 0
        gate.check("late")

    asyncio.run(main())


def test_memory_stays_bounded_under_a_flood_of_sender_ids():
    gate = Admission(Limits(senders_tracked=100, burst=1, queue=10**6))
    for i in range(10_000):
        gate.check(f"sender-{i}").release()
    assert len(gate._buckets) == 100
    assert gate._pending == {} and gate.waiting == 0


def test_simultaneous_requests_cannot_slip_past_the_per_sender_cap():
    gate = Admission(Limits(per_sender=2, burst=100))
    tickets = [gate.check("a"), gate.check("a")]  # held from check(), before any turn starts
    with pytest.raises(Refused):
        gate.check("a")
    tickets[0].release()
    tickets[0].release()  # once only
    gate.check("a")


def test_a_cancelled_waiter_gives_its_place_back():
    async def main() -> None:
        gate = Admission(Limits(concurrent=1, burst=100))
        release = asyncio.Event()

        async def hold(sender: str) -> None:
            async with gate.turn(gate.check(sender)):
                await release.wait()

        first = asyncio.create_task(hold("a"))
        second = asyncio.create_task(hold("b"))
        await asyncio.sleep(0.01)
        second.cancel()
        await asyncio.gather(second, return_exceptions=True)
        assert gate.waiting == 0 and "b" not in gate._pending
        release.set()
        await first

    asyncio.run(main())


@pytest.mark.parametrize(("value", "expected"), [(None, 3), ("7", 7), ("-2", 0), ("lots", 3)])
def test_the_settings_are_read_kindly(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("CSE_MAX_CONCURRENT_MESSAGES", raising=False)
    else:
        monkeypatch.setenv("CSE_MAX_CONCURRENT_MESSAGES", value)
    assert Limits.from_env().concurrent == expected


def test_one_admission_per_event_loop():
    async def main() -> Admission:
        assert admission.get() is admission.get()
        return admission.get()

    assert asyncio.run(main()) is not asyncio.run(main())
