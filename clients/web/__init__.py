"""The web chat page and its tiny server (`python -m clients.web.server`); the page is in static/."""
