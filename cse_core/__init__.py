"""Pure-Python core of the CSE guidance assistant.

Loads and validates ``knowledge/`` and holds the logic (safety detection, scoring,
pathway choice, redaction, storage). Nothing here imports Rasa, so it can be tested
fast and reused by the actions, the channels and the command-line tools.
"""
