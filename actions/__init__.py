"""Rasa custom actions: thin glue between Rasa's trackers and the pure-Python core."""

from cse_core import talk as _talk
from cse_core.redaction import logs as _redaction_logs

_redaction_logs.install()  # the action server's log records are redacted when made (issue 14)
# The phrase matchers take seconds to build: built here, as the action server starts, not in
# the first person's turn, which the Rasa server's per-call timeout (3 s) would cut short.
_talk.get()
