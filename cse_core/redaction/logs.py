"""Log records redacted when they are made (issue 14): exception messages and access logs too.

:func:`install` wraps the process's log record factory, so every record from any logger
(Rasa's, Sanic's, ours, a library's) has its message, its arguments and its exception text
redacted before any handler sees it; Sanic's access log gets the request line redacted and
its query string dropped (it can carry an API token). Installing twice changes nothing.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from cse_core.redaction import redact

_MARK = "_cse_redacting"
ACCESS_LOGGERS = ("sanic.access", "aiohttp.access", "tornado.access", "uvicorn.access")


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: keep what was given, as text
        message = f"{record.msg} {record.args}"
    record.msg, record.args = redact(message), ()
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = redact(text)  # the formatter uses exc_text when it is set
    return record


class AccessLogFilter(logging.Filter):
    """Access log lines: the request line redacted, without its query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, str):
            record.request = redact(request.split("?", 1)[0])
        return True


def install() -> None:
    previous = logging.getLogRecordFactory()
    if getattr(previous, _MARK, False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(previous(*args, **kwargs))

    setattr(factory, _MARK, True)
    logging.setLogRecordFactory(factory)
    for name in ACCESS_LOGGERS:
        access = logging.getLogger(name)
        if not any(isinstance(f, AccessLogFilter) for f in access.filters):
            access.addFilter(AccessLogFilter())
