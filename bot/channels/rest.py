"""The REST channel every client uses, at /webhooks/rest/webhook (issues 5, 13).

Same contract as Rasa's RestInput: POST {"sender": ..., "message": ...} -> a list of bot
messages. Every message goes through bot/channels/gateway.py (limits, admission,
deadlines, the replies when Rasa cannot answer). Differences from Rasa's channel:

- a malformed body or sender id gets a 400 with a plain explanation, never a 500;
- refused messages get 429 (this sender) or 503 (everyone) with Retry-After, and the kind
  reply in the body;
- GET /webhooks/rest/ is liveness (the process answers); GET /webhooks/rest/health is the
  whole assistant's readiness (model loaded, database answering now, action server
  answering: `make run`'s "ready" and false while any part is down); GET
  /webhooks/rest/ready is this replica's readiness for a load balancer (model and
  database: a replica without its action server still sends 999, so it stays in). All say
  only ``{"status": "ok"}`` or ``{"status": "unavailable"}``, never internals;
- errors are logged without the user's text.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import gateway
from cse_core import identity


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("safe_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def live(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return _status(await gateway.ready(getattr(request.app.ctx, "agent", None)))

        @webhook.route("/ready", methods=["GET"])
        async def replica_ready(request: Request) -> HTTPResponse:
            return _status(await gateway.ready(getattr(request.app.ctx, "agent", None), action_server=False))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = _body(request)
                raw_sender = gateway.check_sender(body.get("sender"))
                text = gateway.check_message(body.get("message"))
            except gateway.BadRequest as exc:
                return response.json({"error": str(exc)}, status=400)
            # a keyed hash, namespaced "rest-": the client's own id is never stored (issue 14)
            sender = identity.sender_id(self.name(), raw_sender)
            reply = await gateway.converse(sender, text, self.name(), on_new_message, self._metadata(request))
            headers = {"Retry-After": str(reply.retry_after)} if reply.retry_after else None
            return response.json(reply.messages, status=reply.status, headers=headers)

        return webhook

    def _metadata(self, request: Request) -> dict[str, Any] | None:
        try:
            return self.get_metadata(request)
        except Exception:  # a client's odd metadata must not cost the message
            return None


def _status(ok: bool) -> HTTPResponse:
    return response.json({"status": "ok" if ok else "unavailable"}, status=200 if ok else 503)


def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        raise gateway.BadRequest('expected a JSON body: {"sender": "...", "message": "..."}') from None
    if not isinstance(body, dict):
        raise gateway.BadRequest('expected a JSON object: {"sender": "...", "message": "..."}')
    return body
