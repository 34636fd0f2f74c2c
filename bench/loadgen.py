"""Asyncio load generator for Rasa's REST contract (loopback only).

Drives N concurrent conversations against ``POST {url}/webhooks/rest/webhook``
``{"sender": ..., "message": ...}`` and measures each message's latency (request sent to
whole reply read). Two message mixes:

- ``ours``: the CSE guidance assistant: guidance questions (some with typos and text-speak),
  full pre-screens typed turn by turn (14 indicator ratings), and emergencies.
- ``stock``: ``rasa init``'s moodbot: greet, mood_great, mood_unhappy, affirm, deny,
  goodbye and bot_challenge phrases in the moodbot's own story shapes.

Every loop is bounded: by a message budget (``--messages``) and a wall-clock limit
(``--duration``), whichever comes first, plus a per-request timeout. Only loopback
addresses are accepted as targets.

    python -m bench.loadgen --url http://127.0.0.1:5005 --mix ours --concurrency 20 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
DEFAULT_CONCURRENCY = 20
DEFAULT_DURATION = 60.0
DEFAULT_MESSAGES = 100_000  # a safety bound: by default the duration ends the run
REQUEST_TIMEOUT = 30.0
HARD_MAX_DURATION = 1800.0


@dataclass
class Turn:
    text: str
    expect: str | None = None  # a substring the joined reply must contain (a light sanity check)
    only_if: str | None = None  # send this turn only if the previous reply contains this (else skip it)


@dataclass
class Script:
    """One conversation's worth of messages."""

    kind: str
    turns: list[Turn]


# --- OUR assistant -----------------------------------------------------------------------

QUESTIONS = [
    "what are the warning signs",
    "what are the warning signs of cse",
    "who chairs the MEG",
    "who chairs the MEG and how often does it meet",
    "what happens if the case is open to social care",
    "what happens if the case is already open to social care",
    "what is trauma bonding",
    "what's the number for the children's access point",
    "what are the 14 risk indicators",
    "what is sexting",
    "what is the party model",
    "what legislation is this based on",
    "the child is under 13 what do I do",
    "what is the MEG",
    "and what is MESA",
    "how do I make a referral",
    "I'm a mum and I'm worried about my daughter, what should I do?",
    "why would a child feel grateful to an abuser for tiny kindnesses",
    "is freezing a normal reaction to sexual violence",
    "what toll does cse take on mums and dads",
    # typos and text-speak
    "wat r the signs of cse",
    "whos the chair of the meg",
    "wht is trama bonding",
    "wat happens if shes already open 2 social care",
    "wats the party modle",
    "why wud a kid keep quiet about being exploited",
    "whys he so attached to the guys who r hurting him",
    "wat does cse do 2 a child",
    "my 13 yr old has 2 phones now, one we never gave her",
    "who do i ring if im worried bout a kid",
]
OPENERS = ["hi", "hello", "hey up", "morning", "hiya, can you help me"]
CLOSERS = ["thanks", "cheers, that's sorted it", "bye", "ta muchly", "ok thank you"]
OUT_OF_SCOPE = ["can you recommend a good lasagne recipe", "what's the weather like tomorrow"]

SCREEN_STARTS = [
    "I want to do a risk screening",
    "can you help me assess a young person",
    "I'd like to do a pre-screen",
    "start a screening",
    "i want 2 do a screening",
]
ROLES = ["practitioner", "I'm a teacher", "social worker", "I'm her mum", "parent"]
AGES = ["14", "she's 14", "he's 15", "13", "she is 16"]
STATUSES = ["new case", "not known to services", "open to early help", "they have a social worker", "don't know"]
RATINGS = ["no", "no", "no", "a bit", "low", "some concerns", "medium", "high", "yes, a lot", "none", "nope"]
DIGRESSIONS = ["who chairs the MEG?", "why do you ask?", "what is trauma bonding"]

EMERGENCIES = [
    "she's in a car with two men right now and they won't let her out",
    "plz somebody help my sisters in a car with guys she met online and they wont pull over",
    "hes got a gun and he says hes not letting her go",
    "she sent me a pic of where she is, it's a lock up garage and she says they won't let her out",
]
AFTER_EMERGENCY = ["ok", "what do i do now", "thank you", "i've rung them"]


def ours_script(rng: random.Random) -> Script:
    r = rng.random()
    if r < 0.60:
        turns = []
        if rng.random() < 0.4:
            turns.append(Turn(rng.choice(OPENERS)))
        turns += [Turn(q) for q in rng.sample(QUESTIONS, rng.randint(1, 4))]
        if rng.random() < 0.1:
            turns.append(Turn(rng.choice(OUT_OF_SCOPE), "01325 406222"))
        if rng.random() < 0.5:
            turns.append(Turn(rng.choice(CLOSERS)))
        return Script("guidance", turns)
    if r < 0.85:
        turns = [
            Turn(rng.choice(SCREEN_STARTS), "immediate danger"),
            # In a long conversation the role is remembered and not asked again.
            Turn("no"),
            Turn(rng.choice(ROLES), "How old", only_if="practitioner or as a parent"),
            Turn(rng.choice(AGES), "learning disability"),
            Turn("no", "known to services"),
            Turn(rng.choice(STATUSES), "Indicator 1 of 14"),
        ]
        digress_at = rng.randrange(14) if rng.random() < 0.2 else -1
        for n in range(14):
            if n == digress_at:
                turns.append(Turn(rng.choice(DIGRESSIONS), f"Indicator {n + 1} of 14"))
            turns.append(Turn(rng.choice(RATINGS), f"Indicator {n + 2} of 14" if n < 13 else "other children"))
        turns.append(Turn(rng.choice(["no", "no", "yes"]), "suspected offenders"))
        turns.append(Turn("no", "Pre-screen result"))
        return Script("screening", turns)
    turns = [Turn(rng.choice(EMERGENCIES), "999")]
    if rng.random() < 0.6:
        turns.append(Turn(rng.choice(AFTER_EMERGENCY)))
    return Script("emergency", turns)


# --- the stock moodbot -------------------------------------------------------------------

GREET = ["hey", "hello", "hi", "hello there", "good morning", "hey there", "hey dude"]
MOOD_GREAT = ["perfect", "great", "amazing", "I am feeling very good", "wonderful", "I am great", "super stoked"]
MOOD_UNHAPPY = ["my day was horrible", "I am sad", "I don't feel very well", "I am disappointed", "so sad",
                "unhappy", "not very good"]
AFFIRM = ["yes", "y", "indeed", "of course", "that sounds good", "correct"]
DENY = ["no", "n", "never", "I don't think so", "no way", "not really"]
GOODBYE = ["bye", "goodbye", "see you around", "cu", "good night", "see you later", "have a nice day"]
BOT_CHALLENGE = ["are you a bot?", "are you a human?", "am I talking to a bot?", "am I talking to a human?"]


def stock_script(rng: random.Random) -> Script:
    r = rng.random()
    greet = Turn(rng.choice(GREET), "How are you")
    if r < 0.35:
        turns = [greet, Turn(rng.choice(MOOD_GREAT), "carry on")]
        kind = "happy"
    elif r < 0.55:
        turns = [greet, Turn(rng.choice(MOOD_UNHAPPY), "help you"), Turn(rng.choice(AFFIRM), "carry on")]
        kind = "sad_affirm"
    elif r < 0.75:
        turns = [greet, Turn(rng.choice(MOOD_UNHAPPY), "help you"), Turn(rng.choice(DENY), "Bye")]
        kind = "sad_deny"
    else:
        turns = [greet, Turn(rng.choice(BOT_CHALLENGE), "bot")]
        kind = "bot_challenge"
    if rng.random() < 0.5:
        turns.append(Turn(rng.choice(GOODBYE), "Bye"))
    return Script(kind, turns)


MIXES: dict[str, Callable[[random.Random], Script]] = {"ours": ours_script, "stock": stock_script}


# --- hostile senders (issue 13) ------------------------------------------------------------

# Worst cases for text processing that still pass the HTTP body limit: ~60 kB of
# capitalised words (name detection), of "street"-like phrases and of e-mail-like runs
# (the patterns that were quadratic), and a 4,000-character message (the length cap:
# the most a message may make NLU and redaction do).
def _hostile_texts(rng: random.Random) -> list[str]:
    capitalised = " ".join(rng.choice(["Chloe", "Smith", "Elm", "Road", "Park", "Lane", "School", "Academy"])
                           for _ in range(10_000))
    streets = " ".join(f"{rng.randint(1, 99)} {rng.choice(['Elm', 'Oak', 'High'])} Road" for _ in range(5_000))
    emails = "a." * 30_000 + "@"
    at_cap = ("She Is With Chloe Smith At 12 Elm Road Darlington School " * 80)[:4000]
    return [capitalised[:60_000], streets[:60_000], emails, at_cap]


HOSTILE_KINDS = ("long_60kB", "huge_200kB", "at_cap_4k", "flood_one_sender", "malformed")


async def hostile_worker(n: int, session: aiohttp.ClientSession, endpoint: str, deadline: float,
                         counts: Counter, seed: int) -> None:
    """One hostile sender: cycles through oversized, huge, at-the-cap, flooding and
    malformed requests as fast as the server answers them."""
    rng = random.Random(seed * 7919 + n)
    texts = _hostile_texts(rng)
    sender = f"hostile-{n}"
    i = 0
    while time.perf_counter() < deadline:
        kind = HOSTILE_KINDS[i % len(HOSTILE_KINDS)]
        i += 1
        if kind == "long_60kB":
            data = json.dumps({"sender": sender, "message": rng.choice(texts[:3])})
        elif kind == "huge_200kB":
            data = json.dumps({"sender": sender, "message": "x" * 200_000})
        elif kind == "at_cap_4k":
            data = json.dumps({"sender": sender, "message": texts[3]})
        elif kind == "flood_one_sender":
            data = json.dumps({"sender": sender, "message": "hi"})
        else:
            data = '{"sender": "' + sender + '", "message": '
        try:
            async with session.post(endpoint, data=data, headers={"Content-Type": "application/json"}) as resp:
                await resp.read()
                counts[f"{kind}:{resp.status}"] += 1
        except asyncio.TimeoutError:
            counts[f"{kind}:timeout"] += 1
        except aiohttp.ClientError as exc:
            counts[f"{kind}:{exc.__class__.__name__}"] += 1


# --- measuring ---------------------------------------------------------------------------

def percentile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of an already sorted list."""
    if not sorted_values:
        return float("nan")
    pos = (len(sorted_values) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


@dataclass
class Result:
    mix: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)  # seconds, successful messages only
    errors: Counter = field(default_factory=Counter)  # kind of failure -> count
    empty_replies: int = 0
    unexpected_replies: int = 0
    unexpected_examples: list[dict[str, str]] = field(default_factory=list)  # the first few, for a look
    messages_by_kind: Counter = field(default_factory=Counter)
    latencies_by_kind: dict[str, list[float]] = field(default_factory=dict)
    conversations: int = 0
    elapsed: float = 0.0
    stopped_by: str = ""
    hostile: Counter = field(default_factory=Counter)  # "kind:status" -> count

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        ok = len(lat)
        n_err = sum(self.errors.values())
        return {
            "mix": self.mix,
            "concurrency": self.concurrency,
            "messages": ok + n_err,
            "ok": ok,
            "errors": n_err,
            "error_kinds": dict(self.errors),
            "empty_replies": self.empty_replies,
            "unexpected_replies": self.unexpected_replies,
            "unexpected_examples": self.unexpected_examples,
            "conversations": self.conversations,
            "messages_by_kind": dict(self.messages_by_kind),
            "elapsed_s": round(self.elapsed, 3),
            "stopped_by": self.stopped_by,
            "msg_per_s": round(ok / self.elapsed, 2) if self.elapsed > 0 else 0.0,
            "p50_ms": round(percentile(lat, 50) * 1000, 1) if lat else None,
            "p95_ms": round(percentile(lat, 95) * 1000, 1) if lat else None,
            "p99_ms": round(percentile(lat, 99) * 1000, 1) if lat else None,
            "mean_ms": round(sum(lat) / ok * 1000, 1) if lat else None,
            "max_ms": round(lat[-1] * 1000, 1) if lat else None,
            "hostile": dict(sorted(self.hostile.items())),
            "by_kind": {kind: {"n": len(v), "p50_ms": round(percentile(sorted(v), 50) * 1000, 1),
                               "p95_ms": round(percentile(sorted(v), 95) * 1000, 1)}
                        for kind, v in sorted(self.latencies_by_kind.items())},
        }


def check_loopback(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"refusing to send load to {url!r}: only 127.0.0.1, localhost or [::1] may be targeted")
    return url.rstrip("/")


def reply_text(body: Any) -> str:
    parts = []
    for m in body if isinstance(body, list) else []:
        if isinstance(m, dict):
            if m.get("text"):
                parts.append(str(m["text"]))
            parts += [str(b.get("title", "")) for b in m.get("buttons") or [] if isinstance(b, dict)]
    return "\n".join(parts)


async def run_load(url: str, mix: str = "ours", concurrency: int = DEFAULT_CONCURRENCY,
                   messages: int = DEFAULT_MESSAGES, duration: float = DEFAULT_DURATION, seed: int = 1,
                   sender_per: str = "script", timeout: float = REQUEST_TIMEOUT, hostile: int = 0) -> Result:
    """Send at most ``messages`` messages, for at most ``duration`` seconds, over ``concurrency``
    concurrent conversations. ``sender_per="script"``: each scripted conversation gets a fresh
    sender id; ``"worker"``: each worker keeps one sender id throughout (one long conversation)."""
    url = check_loopback(url)
    if mix not in MIXES:
        raise ValueError(f"unknown mix {mix!r}; choose from {sorted(MIXES)}")
    if concurrency < 1 or messages < 1 or not 0 < duration <= HARD_MAX_DURATION:
        raise ValueError("need concurrency >= 1, messages >= 1 and 0 < duration <= 1800 s")
    make_script = MIXES[mix]
    result = Result(mix=mix, concurrency=concurrency)
    endpoint = f"{url}/webhooks/rest/webhook"
    run_id = uuid.uuid4().hex[:8]
    budget = messages
    start = time.perf_counter()
    deadline = start + duration

    async def worker(n: int, session: aiohttp.ClientSession) -> None:
        nonlocal budget
        rng = random.Random(seed * 1000 + n)
        sender = f"bench-{run_id}-{n}"
        scripts = 0
        while budget > 0 and time.perf_counter() < deadline:
            script = make_script(rng)
            scripts += 1
            result.conversations += 1
            if sender_per == "script":
                sender = f"bench-{run_id}-{n}-{scripts}"
            last_reply = ""
            for turn in script.turns:
                if budget <= 0 or time.perf_counter() >= deadline:
                    return
                if turn.only_if and turn.only_if not in last_reply:
                    continue
                budget -= 1
                result.messages_by_kind[script.kind] += 1
                t0 = time.perf_counter()
                try:
                    async with session.post(endpoint, json={"sender": sender, "message": turn.text}) as resp:
                        raw = await resp.read()
                        latency = time.perf_counter() - t0
                        if resp.status != 200:
                            result.errors[f"http_{resp.status}"] += 1
                            continue
                    body = json.loads(raw)
                except asyncio.TimeoutError:
                    result.errors["timeout"] += 1
                    continue
                except aiohttp.ClientError as exc:
                    result.errors[exc.__class__.__name__] += 1
                    continue
                except ValueError:
                    result.errors["bad_json"] += 1
                    continue
                result.latencies.append(latency)
                result.latencies_by_kind.setdefault(script.kind, []).append(latency)
                text = last_reply = reply_text(body)
                if not body:
                    result.empty_replies += 1
                elif turn.expect and turn.expect not in text:
                    result.unexpected_replies += 1
                    if len(result.unexpected_examples) < 5:
                        result.unexpected_examples.append(
                            {"kind": script.kind, "message": turn.text, "expected": turn.expect, "reply": text[:160]})

    connector = aiohttp.TCPConnector(limit=concurrency + hostile)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as session:
        ordinary = asyncio.gather(*(worker(n, session) for n in range(concurrency)))
        if hostile:
            hostiles = asyncio.gather(*(hostile_worker(n, session, endpoint, deadline, result.hostile, seed)
                                        for n in range(hostile)))
            await ordinary
            hostiles.cancel()  # the hostile senders stop with the ordinary ones
            with contextlib.suppress(asyncio.CancelledError):
                await hostiles
        else:
            await ordinary
    result.elapsed = time.perf_counter() - start
    result.stopped_by = "messages" if budget <= 0 else "duration"
    return result


def format_summary(s: dict[str, Any], label: str = "") -> str:
    head = f"{label or s['mix']}: {s['concurrency']} concurrent"
    return (f"{head}, {s['messages']} messages in {s['elapsed_s']:.1f} s ({s['conversations']} conversations, "
            f"stopped by {s['stopped_by']})\n"
            f"  p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  p99 {s['p99_ms']} ms  max {s['max_ms']} ms\n"
            f"  {s['msg_per_s']} msg/s  errors {s['errors']} {s['error_kinds'] or ''}  "
            f"empty replies {s['empty_replies']}  unexpected replies {s['unexpected_replies']}\n"
            "  by kind: " + ", ".join(f"{k} n={v['n']} p50 {v['p50_ms']} p95 {v['p95_ms']} ms"
                                     for k, v in s["by_kind"].items()))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default="http://127.0.0.1:5005", help="Rasa server (loopback only)")
    p.add_argument("--mix", choices=sorted(MIXES), default="ours")
    p.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY, help="concurrent conversations")
    p.add_argument("--messages", type=int, default=DEFAULT_MESSAGES, help="stop after this many messages")
    p.add_argument("--duration", type=float, default=DEFAULT_DURATION, help="stop after this many seconds")
    p.add_argument("--sender-per", choices=["script", "worker"], default="script",
                   help="a fresh sender id per scripted conversation, or one per worker")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = p.parse_args(argv)
    try:
        result = asyncio.run(run_load(args.url, args.mix, args.concurrency, args.messages, args.duration,
                                      args.seed, args.sender_per))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    summary = result.summary()
    print(json.dumps(summary) if args.json else format_summary(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
