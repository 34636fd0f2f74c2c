"""The blind privacy measure's own rules (bench/eval_privacy.py): when an identifier counts as
caught, and how over-redaction is counted. Own wording, no blind items."""

from __future__ import annotations

import yaml

from bench.eval_privacy import caught, evaluate, pieces, removed_words, split_of


def test_caught_needs_the_value_and_its_pieces_gone():
    assert caught("name", "Poppy Harrison", "my niece [NAME] came home")
    assert not caught("name", "Poppy Harrison", "my niece [NAME] Harrison came home")
    assert not caught("name", "Poppy Harrison", "my niece POPPY HARRISON came home")
    assert not caught("phone", "07700 900456", "ring [PHONE] 900456")
    assert caught("phone", "07700 900456", "ring [PHONE]")


def test_generic_words_house_numbers_and_towns_are_not_pieces():
    assert pieces("address", "9 Larch Grove, Darlington") == ["larch"]
    assert caught("address", "9 Larch Grove", "she lives at 9 [ADDRESS]")
    assert not caught("address", "9 Larch Grove", "she lives at [ADDRESS] Larch Grove")


def test_a_date_in_figures_keeps_its_day_and_month_as_a_piece():
    assert not caught("date_of_birth", "14/03/2011", "born on 14/03/[DATE]")
    assert not caught("date_of_birth", "14/03/2011", "born [DATE] in 2011")
    assert caught("date_of_birth", "14/03/2011", "born on [DATE], she is 14")


def test_a_piece_inside_a_longer_word_is_no_leak():
    assert caught("handle", "kai", "she chats with [HANDLE] on kaiser's server")


def test_removed_words_ignore_placeholders():
    assert removed_words("ring the CAP today", "ring the CAP today") == (0, 4)
    assert removed_words("ask Early Help today", "ask [NAME] today") == (2, 4)


def test_split_is_the_blind_sets_split():
    assert {split_of("p1"), split_of("p2")} == {"dev", "test"}


def test_evaluate_prints_figures_only_for_test(tmp_path):
    (tmp_path / "privacy_positive.yml").write_text(yaml.safe_dump([
        {"id": "p1", "text": "her brother Kyle rang", "identifiers": [{"class": "name", "value": "Kyle"}]},
        {"id": "p2", "text": "her brother Kyle rang", "identifiers": [{"class": "name", "value": "Kyle"}]},
    ]))
    (tmp_path / "privacy_negative.yml").write_text(yaml.safe_dump([{"id": "n1", "text": "who chairs MEG?"}]))
    report = evaluate(tmp_path, show="dev")
    assert report["dev"]["per_class"]["name"]["n"] == 1 and report["test"]["per_class"]["name"]["n"] == 1
    assert "_misses" not in report["test"] and "_over" not in report["test"]
    assert report["dev"]["over_redaction_messages"] == 0.0
