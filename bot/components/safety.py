"""Rasa NLU component: the deterministic safety check on every message (issue 4).

It runs after the intent classifier. When ``cse_core.safety.check`` finds a child in
immediate danger or a child disclosing, the intent becomes ``emergency`` or
``disclosure`` with full confidence, whatever the classifier thought, so the dialogue
rules (inside a form too) answer with 999 first.

The classifier's own prediction of either intent is kept when it is confident and the
message says enough to judge (``classifier_min_confidence``, ``classifier_min_words``);
otherwise it gives way to the classifier's next intent. A bag-of-words model learns
"she's" and "14" from emergency examples, and a typed screening answer such as "she's 14"
must not derail the screening; the deterministic check is the net that must not miss.
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
SAFETY_INTENTS = {"emergency", "disclosure"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyCheck(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"classifier_min_confidence": 0.6, "classifier_min_words": 4}

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyCheck:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue  # button payloads name their intent already
            result = safety.check(text)
            message.set(SAFETY_KEY, {"kind": result.kind, "rule": result.reason}, add_to_output=True)
            if result.kind:
                self._override(message, result.kind)
            elif not self._classifier_is_sure(message, text):
                self._demote(message)
        return messages

    def _classifier_is_sure(self, message: Message, text: str) -> bool:
        intent = message.get(INTENT) or {}
        if intent.get(INTENT_NAME_KEY) not in SAFETY_INTENTS:
            return True
        return (intent.get("confidence", 0.0) >= self.config["classifier_min_confidence"]
                and len(text.split()) >= self.config["classifier_min_words"])

    @staticmethod
    def _demote(message: Message) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) not in SAFETY_INTENTS]
        if ranking:
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    @staticmethod
    def _override(message: Message, intent: str) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != intent]
        top = {INTENT_NAME_KEY: intent, "confidence": 1.0}
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top, *ranking], add_to_output=True)
