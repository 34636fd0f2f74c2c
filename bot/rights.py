"""`python -m bot.rights`: a person's rights over their conversation, for the operator who
handles a request (issue 14). Conversations are stored under a keyed hash of the sender's id
(cse_core/identity.py); give the id the person sees on their channel and this finds it.

    python -m bot.rights export --channel rest --id <web page session id>  [--out file.json]
    python -m bot.rights export --channel telegram --id <chat id>
    python -m bot.rights forget --channel teams --id <Teams user id>
    python -m bot.rights export --stored-id rest-3f9a...

Export prints the stored events (already redacted) as JSON; forget deletes them at once.
The retention purge is `python -m cse_core.purge`. The database is CSE_DATABASE_URL's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from cse_core import identity, storage

TELEGRAM_KEY_ENV, TELEGRAM_KEY_FILE_ENV = "TELEGRAM_SENDER_KEY", "TELEGRAM_SENDER_KEY_FILE"


def stored_id(channel: str, raw: str) -> str:
    """The id a person's conversation is stored under, from the id their channel knows."""
    if channel == "telegram":
        key = identity.read_secret(TELEGRAM_KEY_ENV, TELEGRAM_KEY_FILE_ENV)
        if key is None:
            raise identity.IdentityError(f"{TELEGRAM_KEY_ENV} is not set: the Telegram bridge's key is needed")
        # the bridge talks to Rasa over REST with its own keyed id of the chat
        return identity.sender_id("rest", identity.keyed_id("tg", raw, key))
    return identity.sender_id(channel, raw)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.rights", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["export", "forget"])
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--id", help="the sender's id on its channel")
    who.add_argument("--stored-id", help="the id as stored (rest-..., teams-...)")
    parser.add_argument("--channel", choices=["rest", "teams", "telegram"], default="rest")
    parser.add_argument("--out", type=Path, help="export: write the JSON here instead of printing it")
    args = parser.parse_args(argv)
    try:
        sender = args.stored_id or stored_id(args.channel, args.id)
    except identity.IdentityError as exc:
        print(f"rights: {exc}", file=sys.stderr)
        return 2
    engine = storage.make_engine()
    try:
        storage.check(engine)
    except storage.StorageUnavailable as exc:
        print(f"rights: {exc}", file=sys.stderr)
        return 2
    if args.action == "forget":
        print(f"deleted {storage.forget(engine, sender)} events of conversation {sender}")
        return 0
    document = json.dumps({"conversation": sender, "events": storage.export(engine, sender)}, indent=2)
    if args.out:
        args.out.write_text(document + "\n", encoding="utf-8")
        print(f"wrote conversation {sender} to {args.out}")
    else:
        print(document)
    return 0


if __name__ == "__main__":
    sys.exit(main())
