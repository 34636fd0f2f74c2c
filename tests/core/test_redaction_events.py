"""cse_core/redaction/events.py: stored events are redacted wherever a person could have typed,
and the memo of repeated strings changes nothing but the time it takes."""

from __future__ import annotations

import threading

from cse_core.redaction import events, redact


def _user_event(text: str) -> dict:
    return {"event": "user", "timestamp": 1.0, "text": text,
            "parse_data": {"text": text, "intent": {"name": "ask_signs", "confidence": 0.9}, "entities": []},
            "metadata": {"model_id": "abc", "note": text}}


def test_a_remembered_string_is_redacted_as_if_it_were_new():
    text = "Chloe Smith lives at 12 Elm Road, call 07700 900123"
    first = events.redact_event(_user_event(text))
    again = events.redact_event(_user_event(text))  # from the memo
    assert first == again
    assert first["text"] == redact(text) == first["parse_data"]["text"] == first["metadata"]["note"]
    assert "Chloe" not in str(first) and "07700" not in str(first)


def _bot_event(text: str) -> dict:
    return {"event": "bot", "timestamp": 1.0, "text": text, "data": {"buttons": [{"title": text, "payload": "/x"}]},
            "metadata": {"model_id": "abc"}}


def test_what_a_person_typed_is_never_remembered(monkeypatch):
    monkeypatch.setattr(events, "_memo", {})
    events.redact_event(_user_event("he made me promise not to tell anyone about the flat"))
    assert not any("flat" in value for value in events._memo.values())
    events.redact_event(_bot_event("If a child is in immediate danger, call 999"))
    assert any("999" in value for value in events._memo.values())
    events.forget_memo()  # "delete my conversation" empties it
    assert events._memo == {}


def test_the_memo_keeps_digests_not_text_and_stays_bounded(monkeypatch):
    monkeypatch.setattr(events, "MEMO_SIZE", 8)
    monkeypatch.setattr(events, "_memo", {})
    for n in range(30):
        events.redact_event(_bot_event(f"Amy Walsh rang about message {n}"))
    assert 0 < len(events._memo) <= 8
    assert all(isinstance(key, bytes) and len(key) == 32 for key in events._memo)
    assert not any("Amy" in value for value in events._memo.values())


def test_two_threads_filling_the_memo_do_not_fail(monkeypatch):
    monkeypatch.setattr(events, "MEMO_SIZE", 4)
    monkeypatch.setattr(events, "_memo", {})
    errors: list[BaseException] = []

    def fill(tag: str) -> None:
        try:
            for n in range(200):
                events.redact_event(_bot_event(f"{tag} message {n}"))
        except BaseException as exc:  # any failure is the finding
            errors.append(exc)

    threads = [threading.Thread(target=fill, args=(tag,)) for tag in ("loop", "text")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(events._memo) <= 4
