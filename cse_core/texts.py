"""Every channel's own words, from knowledge/messages.yml with the contacts filled in.

The one place where a channel (REST, Teams, the Telegram bridge) turns a message key into
text: nothing here imports Rasa, so clients of the REST contract can use it too.
"""

from __future__ import annotations

from cse_core import knowledge

# Replies a channel gives without Rasa's help (knowledge/messages.yml keys).
STORAGE_DOWN = "storage_down"  # the conversation could not be read or saved
UNAVAILABLE = "unavailable"  # the assistant (an action, a store, a deadline) failed this message
TOO_LONG = "too_long"  # over the message-length cap
BUSY = "busy"  # rate-limited or the queue is full
SAFETY_KEYS = {"emergency": "emergency", "disclosure": "disclosure"}


def say(key: str) -> str:
    """The words for ``key`` with every {contact.field} filled in."""
    k = knowledge.get()
    return k.fill_contacts(str(k.message(key))).strip()


def safety_reply(kind: str | None) -> list[str]:
    """The first words for a danger (``emergency``) or a child telling (``disclosure``)."""
    key = SAFETY_KEYS.get(kind or "")
    return [say(key)] if key else []


def check_all() -> None:
    """Fail at start-up, not in a chat, if a key or a contact placeholder is missing."""
    for key in (STORAGE_DOWN, UNAVAILABLE, TOO_LONG, BUSY, *SAFETY_KEYS.values()):
        say(key)
