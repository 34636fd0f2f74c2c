"""Rasa custom actions: thin glue between Rasa's trackers and the pure-Python core."""
