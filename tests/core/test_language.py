from __future__ import annotations

import pytest

from cse_core.language import looks_english


@pytest.mark.parametrize("text", [
    "Moja córka nie wróciła do domu, co mam robić?", "Mi hija no volvió a casa", "ابنتي لم تعد إلى المنزل",
    "Ma fille a disparu ce soir, que dois-je faire", "meri beti ghar nahi aayi kya karun",
    "fiica mea nu a venit acasa", "Meine Tochter ist nicht nach Hause gekommen",
])
def test_other_languages(text):
    assert not looks_english(text)


@pytest.mark.parametrize("text", [
    "party model grooming", "what is the MEG", "hi", "café meeting about CSE", "EHA CAP MEG",
    "wat r the signs", "my daughter's new bf is 23", "trauma bond", "die", "Stockholm syndrome",
])
def test_english_including_terse_queries(text):
    assert looks_english(text)
