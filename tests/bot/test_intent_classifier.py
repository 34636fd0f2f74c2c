"""The TF-IDF intent classifier: column-major weights give the same predictions, faster."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from bot.components.intent_classifier import TfidfIntentClassifier, _prepare_for_prediction

TEXTS = {
    "ask_contact_cap": ["who do i contact", "what is the cap phone number", "how do i refer to cap",
                        "children's access point number"],
    "ask_signs": ["what are the warning signs", "signs of exploitation", "how would i know",
                  "what should i look out for"],
    "greet": ["hello", "hi there", "good morning", "hiya"],
}


@pytest.fixture(scope="module")
def trained():
    component = TfidfIntentClassifier({}, model_storage=None, resource=None)  # type: ignore[arg-type]
    pipeline = component._new_pipeline()
    docs = [t for texts in TEXTS.values() for t in texts]
    labels = [label for label, texts in TEXTS.items() for _ in texts]
    pipeline.fit(docs, labels)
    return pipeline


def test_column_major_weights_predict_exactly_the_same(trained):
    queries = ["who should i ring", "signs to look for", "hello", "cap number please", "zzz"]
    before = trained.predict_proba(queries)
    prepared = copy.deepcopy(trained)
    _prepare_for_prediction(prepared)
    clf = prepared.named_steps["clf"]
    assert clf.coef_.flags.f_contiguous and clf.coef_.T.flags.c_contiguous
    np.testing.assert_allclose(prepared.predict_proba(queries), before, rtol=0, atol=1e-12)
    assert list(prepared.predict(queries)) == list(trained.predict(queries))


def test_the_direct_computation_gives_scikit_learns_probabilities(trained):
    from bot.components.intent_classifier import _probabilities

    queries = ["who should i ring", "signs to look for", "hello", "cap number please", "zzz", ""]
    prepared = copy.deepcopy(trained)
    _prepare_for_prediction(prepared)
    np.testing.assert_allclose(_probabilities(prepared, queries), trained.predict_proba(queries), rtol=0, atol=1e-12)


def test_two_intents_use_scikit_learns_own_path():
    from bot.components.intent_classifier import _probabilities

    component = TfidfIntentClassifier({}, model_storage=None, resource=None)  # type: ignore[arg-type]
    pipeline = component._new_pipeline()
    pipeline.fit(["hello", "hi", "bye", "goodbye"], ["greet", "greet", "bye", "bye"])
    np.testing.assert_allclose(_probabilities(pipeline, ["hello there"]), pipeline.predict_proba(["hello there"]))
