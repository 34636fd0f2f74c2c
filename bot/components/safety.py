"""Rasa NLU component: the deterministic safety check on every message (issue 4).

It runs after the intent classifier. When ``cse_core.safety.check`` finds a child in
immediate danger or a child disclosing, the intent becomes ``emergency`` or
``disclosure`` with full confidence, whatever the classifier thought, so the dialogue
rules (inside a form too) answer with 999 first. A classifier prediction of either
intent is kept as it is: the two checks are combined, and either one is enough.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from cse_core import safety

SAFETY_KEY = "safety"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyCheck(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyCheck:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue  # button payloads name their intent already
            result = safety.check(text)
            message.set(SAFETY_KEY, {"kind": result.kind, "rule": result.reason}, add_to_output=True)
            if result.kind:
                self._override(message, result.kind)
        return messages

    @staticmethod
    def _override(message: Message, intent: str) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != intent]
        top = {INTENT_NAME_KEY: intent, "confidence": 1.0}
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
