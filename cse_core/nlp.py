"""The spaCy pipeline shared by Rasa's NLU and the deterministic checks.

No pretrained pipeline may be downloaded here, so the pipeline is a blank English
tokenizer plus the lookup lemmatizer whose tables come from ``spacy-lookups-data``
(a PyPI package). It is built once into ``var/spacy/en_cse_lookup`` (see
``python -m cse_core.nlp``) so Rasa's ``SpacyNLP`` can load it by path.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import spacy
from spacy.language import Language

ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = ROOT / "var" / "spacy" / "en_cse_lookup"


def build() -> Language:
    """A blank English pipeline with the lookup lemmatizer initialised."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data
    return nlp


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline: the saved one when built, else built in memory."""
    if (MODEL_DIR / "config.cfg").exists():
        return spacy.load(MODEL_DIR)
    return build()


def save(path: Path = MODEL_DIR) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    build().to_disk(path)
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else MODEL_DIR
    print(f"spaCy pipeline written to {save(target)}")
