"""Conversations in flight while a fault is injected, and what must hold afterwards."""

from __future__ import annotations

import random
import threading
import uuid
from dataclasses import dataclass, field

import requests

from cse_core import texts

QUESTIONS = ["what are the warning signs", "who chairs the MEG", "what is trauma bonding", "what is sexting",
             "what is the party model", "what legislation is this based on", "how do I make a referral",
             "what are the 14 risk indicators", "what is MESA", "what happens if the case is open to social care"]


@dataclass
class Sent:
    text: str
    status: int | None
    replies: list[str]


@dataclass
class Conversation:
    sender: str
    sent: list[Sent] = field(default_factory=list)


class InFlight:
    """``n`` conversations asking questions one after another until stopped."""

    def __init__(self, url: str, n: int = 4, seed: int = 7) -> None:
        self.url = url
        self.conversations = [Conversation(f"inflight-{uuid.uuid4().hex[:10]}") for _ in range(n)]
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._talk, args=(c, random.Random(seed + i)), daemon=True)
                         for i, c in enumerate(self.conversations)]

    def _talk(self, conversation: Conversation, rng: random.Random) -> None:
        while not self._stop.is_set():
            text = rng.choice(QUESTIONS)
            try:
                r = requests.post(f"{self.url}/webhooks/rest/webhook",
                                  json={"sender": conversation.sender, "message": text}, timeout=30)
                body = r.json()
                conversation.sent.append(Sent(text, r.status_code, [m.get("text") or "" for m in body]))
            except (requests.RequestException, ValueError):
                conversation.sent.append(Sent(text, None, []))
            self._stop.wait(0.05)

    def __enter__(self) -> InFlight:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=60)


def fallback_texts() -> set[str]:
    return {texts.say(k) for k in (texts.STORAGE_DOWN, texts.UNAVAILABLE, texts.BUSY, texts.TOO_LONG)}


def check_conversation(conversation: Conversation, stored: list[str]) -> None:
    """No lost turn, nothing foreign, nothing doubled, in order:
    - every message answered normally is stored;
    - no message answered "I can't save our conversation" is stored;
    - what is stored is a subsequence of what this sender sent, in the order sent."""
    storage_down = texts.say(texts.STORAGE_DOWN)
    fallbacks = fallback_texts()
    it = iter(enumerate(conversation.sent))
    for text in stored:
        for _, sent in it:
            if sent.text == text and storage_down not in sent.replies:
                break
            assert not (sent.status == 200 and sent.replies and not set(sent.replies) & fallbacks), \
                f"{conversation.sender}: the answered turn {sent.text!r} is not stored (stored: {stored})"
        else:
            raise AssertionError(f"{conversation.sender}: stored {text!r} out of order, twice or never sent "
                                 f"(sent: {[s.text for s in conversation.sent]}, stored: {stored})")
    for _, sent in it:  # after the last stored turn: nothing answered normally may be missing
        assert not (sent.status == 200 and sent.replies and not set(sent.replies) & fallbacks), \
            f"{conversation.sender}: the answered turn {sent.text!r} is not stored (stored: {stored})"
