"""Clients of the REST contract (POST /webhooks/rest/webhook): programs that talk to the
assistant the way any other client would. Nothing here imports Rasa, actions/ or bot/;
cse_core/ only where a client needs the assistant's own words or sender-id hashing
(tests/core/test_layering.py checks it)."""
