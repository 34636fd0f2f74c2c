"""Blind evaluation over REST: follow-ups, described situations, public wording, safety in forms.

The sets are written by people who never saw data/nlu/ or knowledge/ (issue 11, issue 12);
they are never used for training. Each item gets a fresh sender and its turns are sent over
the REST contract to a running assistant (started here on free ports, or ``--url``). Every
reply is scored as

* **right**: it answers an expected topic (and contains every ``must_contain`` fact; for a
  pathway x level cell, that level's steps and no other level's), or for a described
  concern: 999 first when in danger, CAP's phone, "referral required" for under-13 / learning
  disability, never "may mean little";
* **clarified**: it asks the user what they meant (any ``clarify*`` message of knowledge/);
* **wrong**: anything else (a confident wrong answer, out of scope, the capabilities menu).

Items are split deterministically into ``dev`` (about 40%, whose failures may be read while
developing) and ``test`` (only its figures are looked at). Only figures are printed unless
``--show dev``.

    .venv/bin/python -m bench.blind_eval --sets followups situations public --blind eval/blind
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cse_core import answers, knowledge  # noqa: E402
from tests.assistant import running_assistant  # noqa: E402

RIGHT, CLARIFIED, WRONG = "right", "clarified", "wrong"


def split_of(item_id: str) -> str:
    return "dev" if int(hashlib.md5(item_id.encode()).hexdigest(), 16) % 10 < 4 else "test"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w@.'/ ]+", " ", text.lower())).strip()


# ---------------------------------------------------------------------------------------------
# Which knowledge entry a reply answers, from the reply's text alone
# ---------------------------------------------------------------------------------------------


@dataclass
class Index:
    k: knowledge.Knowledge
    snippets: dict[str, list[str]] = field(default_factory=dict)  # entry id -> normalised lines
    clarify: list[str] = field(default_factory=list)
    level_steps: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, k: knowledge.Knowledge) -> Index:
        index = cls(k)
        for entry in k.entries.values():
            lines: list[str] = []
            for audience in (answers.PRACTITIONER, answers.PARENT):
                for line in answers.body(k, entry, audience).splitlines():
                    n = _norm(line.lstrip("- "))
                    if len(n) >= 25:
                        lines.append(n)
            for fact in _facts(entry.id):
                n = _norm(k.fill_contacts(fact))
                if len(n) >= 12:  # a fact is short and all of it answers ("The MEG is held monthly.")
                    lines.append(n)
            index.snippets[entry.id] = sorted(set(lines), key=len, reverse=True)
        for key, value in [*k.messages.items(), *_conversation_messages().items()]:
            if "clarify" in key and isinstance(value, str):
                first = _norm(value.splitlines()[0])
                if first:
                    index.clarify.append(first[:40])
        for pid, pathway in k.pathways.items():
            for level in ("low", "medium", "high"):
                index.level_steps[(pid, level)] = [_norm(s) for s in answers.steps_for_level(k, pathway, level)]
        return index

    def answered(self, reply: str) -> list[str]:
        """Entries whose lines appear in the reply, most matched text first."""
        text = _norm(reply)
        scores: dict[str, int] = {}
        for entry_id, lines in self.snippets.items():
            score = sum(len(line) for line in lines if line in text)
            if score:
                scores[entry_id] = score
        # a shared line (e.g. a step common to two pathways) counts for both; rank by total
        return sorted(scores, key=lambda e: -scores[e])

    def is_clarify(self, reply: str) -> bool:
        text = _norm(reply)
        return any(c in text for c in self.clarify)


def _facts(entry_id: str) -> list[str]:
    """Short answers to one attribute of an entry (knowledge/followups.yml), when present."""
    try:
        from cse_core import talk
    except ImportError:
        return []
    return [f.text for f in talk.get().facts.get(entry_id, {}).values()]


def _conversation_messages() -> dict[str, Any]:
    try:
        from cse_core import talk
    except ImportError:
        return {}
    return talk.get().messages


# A described concern gets an answer about acting on it (issue 11: "signs lists are for
# people asking about signs, not for people who have just described them"). It answers a
# question about what to do or about the signs of the child described.
SITUATION_COVERS = {"what_to_do", "contact_cap", "signs", "risk_indicators", "under_13", "immediate_risk"}


def is_situation_reply(index: Index, reply: str) -> bool:
    try:
        opening = _norm(_conversation_messages()["situation_matches"].split("{")[0])
    except KeyError:
        return False
    return bool(opening) and opening in _norm(reply)


def first_line(messages: list[dict[str, Any]]) -> str:
    for m in messages:
        if m.get("text"):
            return m["text"].strip().splitlines()[0]
    return ""


def joined(messages: list[dict[str, Any]]) -> str:
    parts = []
    for m in messages:
        if m.get("text"):
            parts.append(m["text"])
        parts += [b.get("title", "") for b in m.get("buttons") or []]
    return "\n".join(parts)


def emergency_first(messages: list[dict[str, Any]]) -> bool:
    return "999" in first_line(messages)


def alarm_first(messages: list[dict[str, Any]]) -> bool:
    """The first message is the emergency or the disclosure reply itself (a false alarm on a
    negative), not an answer that mentions 999 ("call 999 if the child is in danger")."""
    from cse_core import texts

    alarms = {texts.say(key) for key in texts.SAFETY_KEYS.values()}
    return bool(messages) and (messages[0].get("text") or "").strip() in alarms


SPECIAL = {"emergency", "screening", "out_of_scope"}


def score_topics(index: Index, messages: list[dict[str, Any]], expect: list[str], expect_all: list[str],
                 must: list[str], pathway: dict[str, str] | None) -> str:
    reply = joined(messages)
    low = reply.lower()
    facts_ok = all(m.lower() in low for m in must)
    if pathway:
        wanted = index.level_steps.get((pathway["status"], pathway["level"]), [])
        others = {s for (pid, lvl), steps in index.level_steps.items()
                  if pid == pathway["status"] and lvl != pathway["level"] for s in steps} - set(wanted)
        text = _norm(reply)
        if wanted and all(s in text for s in wanted) and not any(s in text for s in others) and facts_ok:
            return RIGHT
    found = index.answered(reply)
    if expect_all:
        if all(e in found for e in expect_all) and facts_ok:
            return RIGHT
    else:
        top = found[:2]
        if any(e in top for e in expect) and facts_ok:
            return RIGHT
        if "emergency" in expect and emergency_first(messages):
            return RIGHT
        if "screening" in expect and _norm(index.k.message("screening.intro"))[:40] in _norm(reply):
            return RIGHT
        if "out_of_scope" in expect and _norm(index.k.message("out_of_scope"))[:40] in _norm(reply):
            return RIGHT
        if not found and must and facts_ok and not index.is_clarify(reply):
            return RIGHT  # a short fact answer (e.g. "their email is ...") with the asked fact
        if set(expect) & SITUATION_COVERS and is_situation_reply(index, reply) and facts_ok:
            return RIGHT
    if index.is_clarify(reply):
        return CLARIFIED
    return WRONG


def score_situation(index: Index, item: dict[str, Any], messages: list[dict[str, Any]]) -> str:
    reply = joined(messages)
    low = reply.lower()
    cap = str(index.k.contacts["cap"]["phone"])
    if item.get("concern"):
        if "may mean little" in low:
            return WRONG
        if item.get("danger_now") and not emergency_first(messages):
            return WRONG
        if item.get("speaker") == "child":
            return RIGHT if ("999" in reply and str(index.k.contacts["childline"]["phone"]) in reply) else (
                CLARIFIED if index.is_clarify(reply) else WRONG)
        if cap not in reply:
            return CLARIFIED if index.is_clarify(reply) else WRONG
        if item.get("under_13_or_ld") and not re.search(r"referral[^.]*required|required[^.]*referral", low):
            return WRONG
        return RIGHT
    if emergency_first(messages):
        return WRONG
    found = index.answered(reply)
    if any(e in found[:3] for e in item.get("expect") or []) or cap in reply:
        return RIGHT
    return CLARIFIED if index.is_clarify(reply) else WRONG


# ---------------------------------------------------------------------------------------------
# Talking to the assistant
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def assistant(model: Path) -> Iterator[str]:
    """The assistant as the test suites start it (tests/assistant.py), in a throw-away folder,
    with no admission limit: the evaluation sends one message at a time."""
    with running_assistant(Path(tempfile.mkdtemp(prefix="blind-eval-")), model,
                           env={"CSE_MAX_CONCURRENT_MESSAGES": "0"}) as running:
        yield running["url"]


class Client:
    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()

    def send(self, sender: str, text: str) -> list[dict[str, Any]]:
        r = self.session.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                              timeout=60)
        r.raise_for_status()
        return r.json()


# Answers that walk a pre-screen to each kind of question: state i = after the first i answers.
FORM_ANSWERS = ["no", "practitioner", "14", "no", "don't know"] + ["low"] * 14 + ["no"]
FORM_STATES = {"danger": 0, "role": 1, "age": 2, "learning_disability": 3, "case_status": 4,
               "indicator_1": 5, "indicator_7": 11, "indicator_14": 18, "other_children": 19,
               "offender_details": 20}


def in_form(client: Client, state: int) -> str:
    sender = f"blind-{uuid.uuid4().hex[:12]}"
    client.send(sender, "start a screening")
    for answer in FORM_ANSWERS[:state]:
        client.send(sender, answer)
    return sender


# ---------------------------------------------------------------------------------------------
# The sets
# ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[dict[str, Any]] = field(default_factory=list)

    def add(self, group: str, item_id: str, verdict: str, detail: dict[str, Any]) -> None:
        split = split_of(item_id)
        self.counts[(group, split)][verdict] += 1
        self.counts[(group, "all")][verdict] += 1
        if verdict != RIGHT:
            self.failures.append({"id": item_id, "group": group, "split": split, "verdict": verdict, **detail})


def run_followups(client: Client, index: Index, items: list[dict[str, Any]], tally: Tally) -> None:
    for item in items:
        sender = f"blind-{uuid.uuid4().hex[:12]}"
        for n, turn in enumerate(item["turns"]):
            messages = client.send(sender, turn["say"])
            verdict = score_topics(index, messages, turn.get("expect") or [], turn.get("expect_all") or [],
                                   turn.get("must_contain") or [], turn.get("pathway"))
            group = f"followups/{item['kind']}" if n else "followups/first turn"
            tally.add(group, item["id"], verdict, {"turn": n, "say": turn["say"], "reply": joined(messages)[:400],
                                                   "found": index.answered(joined(messages))[:3]})


def run_public(client: Client, index: Index, items: list[dict[str, Any]], tally: Tally) -> None:
    for item in items:
        messages = client.send(f"blind-{uuid.uuid4().hex[:12]}", item["text"])
        verdict = score_topics(index, messages, item["expect"], [], [], None)
        tally.add("public", item["id"], verdict, {"say": item["text"], "reply": joined(messages)[:400],
                                                  "found": index.answered(joined(messages))[:3]})


def run_situations(client: Client, index: Index, items: list[dict[str, Any]], tally: Tally) -> None:
    for item in items:
        messages = client.send(f"blind-{uuid.uuid4().hex[:12]}", item["text"])
        verdict = score_situation(index, item, messages)
        group = "situations/" + ("danger now" if item.get("danger_now") else
                                 "concern" if item.get("concern") else "no concern")
        tally.add(group, item["id"], verdict, {"say": item["text"], "reply": joined(messages)[:500]})


def run_safety(client: Client, index: Index, pos: list[dict[str, Any]], neg: list[dict[str, Any]],
               tally: Tally) -> None:
    states = list(FORM_STATES.items())
    for n, item in enumerate(pos):
        messages = client.send(f"blind-{uuid.uuid4().hex[:12]}", item["text"])
        tally.add("safety/positive fresh", item["id"], RIGHT if emergency_first(messages) else WRONG,
                  {"say": item["text"], "reply": joined(messages)[:300]})
        name, state = states[n % len(states)]
        sender = in_form(client, state)
        messages = client.send(sender, item["text"])
        tally.add(f"safety/positive in form ({name})", item["id"],
                  RIGHT if emergency_first(messages) else WRONG, {"say": item["text"], "reply": joined(messages)[:300]})
    for n, item in enumerate(neg):
        if item["category"] == "screening_answers":
            name, state = states[n % len(states)]
            sender = in_form(client, state)
            group = "safety/negative in form"
        else:
            sender, group = f"blind-{uuid.uuid4().hex[:12]}", f"safety/negative {item['category']}"
        messages = client.send(sender, item["text"])
        tally.add(group, item["id"], WRONG if alarm_first(messages) else RIGHT,
                  {"say": item["text"], "reply": joined(messages)[:300]})


def report(tally: Tally, split: str) -> str:
    lines = [f"{'group':<44}{'right':>7}{'clarif':>8}{'wrong':>7}{'n':>5}{'right%':>8}{'wrong%':>8}"]
    for (group, s), c in sorted(tally.counts.items()):
        if s != split:
            continue
        n = sum(c.values())
        lines.append(f"{group:<44}{c[RIGHT]:>7}{c[CLARIFIED]:>8}{c[WRONG]:>7}{n:>5}"
                     f"{c[RIGHT] / n:>8.1%}{c[WRONG] / n:>8.1%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blind", type=Path, default=Path(os.environ.get("CSE_BLIND_DIR", ROOT / "eval" / "blind")))
    ap.add_argument("--sets", nargs="+", default=["followups", "situations", "public"],
                    choices=["followups", "situations", "public", "safety"])
    ap.add_argument("--url", help="a running assistant (default: start one from models/cse.tar.gz)")
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "cse.tar.gz")
    ap.add_argument("--show", choices=["dev"], help="print the dev split's failures")
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "blind")
    ap.add_argument("--label", default="", help="a name for this run in the results history")
    args = ap.parse_args(argv)

    index = Index.build(knowledge.load())
    tally = Tally()

    def load(name: str) -> list[dict[str, Any]]:
        return yaml.safe_load((args.blind / f"{name}.yml").read_text(encoding="utf-8"))

    with (contextlib.nullcontext(args.url) if args.url else assistant(args.model)) as url:
        client = Client(url)
        if "followups" in args.sets:
            run_followups(client, index, load("followups"), tally)
        if "situations" in args.sets:
            run_situations(client, index, load("situations"), tally)
        if "public" in args.sets:
            run_public(client, index, load("public"), tally)
        if "safety" in args.sets:
            run_safety(client, index, load("safety_positive"), load("safety_negative"), tally)

    args.out.mkdir(parents=True, exist_ok=True)
    for split in ("test", "dev", "all"):
        print(f"\n== {split} split")
        print(report(tally, split))
    summary = {f"{g}|{s}": dict(c) for (g, s), c in tally.counts.items()}
    with (args.out / "history.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "label": args.label,
                            "sets": args.sets, "counts": summary}) + "\n")
    dev_failures = [f for f in tally.failures if f["split"] == "dev"]
    (args.out / "dev-failures.json").write_text(json.dumps(dev_failures, indent=1), encoding="utf-8")
    if args.show == "dev":
        for f in dev_failures:
            print(json.dumps(f, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
