"""The Telegram bridge: Telegram in, Rasa's REST webhook out (`python -m clients.telegram.bridge`)."""
