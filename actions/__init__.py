"""Rasa custom actions: thin glue between Rasa's trackers and the pure-Python core."""

from cse_core.redaction import logs as _redaction_logs

_redaction_logs.install()  # the action server's log records are redacted when made (issue 14)
