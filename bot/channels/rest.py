"""The REST channel every client uses, at /webhooks/rest/webhook, made safe (issue 5).

Same contract as Rasa's RestInput: POST {"sender": ..., "message": ...} -> a list of bot
messages. Differences: if the conversation could not be stored, the reply says so
honestly; errors are logged without the user's text; GET /webhooks/rest/health reports
the database (503 while it is failing).
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import tracker_store
from bot.channels import admission, identity
from cse_core import knowledge

logger = logging.getLogger(__name__)


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("safe_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def status(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            store = tracker_store.find(request.app.ctx.agent.tracker_store)
            report = store.health.as_dict() if store else {"database": "not configured"}
            return response.json(report, status=200 if report["database"] != "failing" else 503)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            # a keyed hash, namespaced "rest-": the client's own id is never stored (issue 14)
            sender_id = identity.sender_id(self.name(), await self._extract_sender(request))
            text = self._extract_message(request)
            collector = CollectingOutputChannel()
            try:
                async with admission.admitted():
                    await on_new_message(UserMessage(text, collector, sender_id, input_channel=self.name(),
                                                     metadata=self.get_metadata(request)))
            except CancelledError:
                logger.error("REST message timed out")
            except Exception as exc:  # never log the user's text
                logger.error("REST message failed: %s", exc.__class__.__name__)
            store = tracker_store.find(request.app.ctx.agent.tracker_store)
            if store is not None and store.take_failure(sender_id):
                k = knowledge.get()
                collector.messages.append({"recipient_id": sender_id,
                                           "text": k.fill_contacts(k.message("storage_down"))})
            return response.json(collector.messages)

        return webhook
