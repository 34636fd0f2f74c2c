"""bot/channels/admission.py: at most N messages at once, admitted first come first served."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels import admission


async def _run(count: int, work: float = 0.01) -> tuple[int, list[int]]:
    running, peak, started = 0, 0, []

    async def message(i: int) -> None:
        nonlocal running, peak
        async with admission.admitted():
            started.append(i)
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(work)  # the action-server call a message waits for
            running -= 1

    tasks = []
    for i in range(count):
        tasks.append(asyncio.create_task(message(i)))
        await asyncio.sleep(0)  # arrive one after another
    await asyncio.gather(*tasks)
    return peak, started


@pytest.mark.parametrize("limit", [1, 3, 5])
def test_no_more_than_the_limit_at_once_and_in_arrival_order(monkeypatch, limit):
    monkeypatch.setenv("CSE_MAX_CONCURRENT_MESSAGES", str(limit))
    admission._gates.clear()
    peak, started = asyncio.run(_run(20))
    assert peak == limit
    assert started == list(range(20)), "admitted out of arrival order"


def test_zero_means_no_limit(monkeypatch):
    monkeypatch.setenv("CSE_MAX_CONCURRENT_MESSAGES", "0")
    admission._gates.clear()
    peak, _ = asyncio.run(_run(20))
    assert peak == 20


@pytest.mark.parametrize(("value", "expected"), [(None, admission.DEFAULT_LIMIT), ("7", 7), ("-2", 0), ("lots", admission.DEFAULT_LIMIT)])
def test_the_setting_is_read_kindly(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("CSE_MAX_CONCURRENT_MESSAGES", raising=False)
    else:
        monkeypatch.setenv("CSE_MAX_CONCURRENT_MESSAGES", value)
    assert admission.limit() == expected
