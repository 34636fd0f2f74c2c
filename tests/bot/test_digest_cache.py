"""The digest cache: same answers as computing, no text kept, bounded."""

from __future__ import annotations

from bot.components.digest_cache import DigestCache
from bot.components.safety import SafetyCheck
from cse_core import safety


def test_a_repeated_text_is_computed_once_and_gives_the_same_value():
    calls: list[str] = []
    cache: DigestCache[int] = DigestCache(size=10)

    def compute(text: str) -> int:
        calls.append(text)
        return len(text)

    assert [cache.get(t, compute) for t in ["no", "high", "no", "no", "high"]] == [2, 4, 2, 2, 4]
    assert calls == ["no", "high"]


def test_it_keeps_no_text_and_forgets_the_least_recently_used():
    cache: DigestCache[int] = DigestCache(size=2)
    for text in ["my daughter Chloe Smith", "a", "b"]:
        cache.get(text, len)
    assert len(cache) == 2
    assert not any(isinstance(k, str) or b"Chloe" in k for k in cache._items)
    calls: list[str] = []
    cache.get("my daughter Chloe Smith", lambda t: calls.append(t) or 0)
    assert calls, "the oldest entry was evicted and is computed again"


def test_the_safety_check_gives_the_same_verdicts_from_its_cache():
    component = SafetyCheck({})
    messages = ["he's got a knife and she can't get out of the car", "no", "what counts as immediate risk?",
                "im 13 and he makes me do stuff with his mates"] * 2
    for text in messages:
        assert component._cache.get(text, safety.check) == safety.check(text)
    assert len(component._cache) == 4
