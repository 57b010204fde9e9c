"""Logging that keeps secrets out of log lines: calendar tokens and webhook URLs."""

from __future__ import annotations

import logging
import re

# The secret feed URL (GET /calendar/{token}.ics): whoever reads the logs could read the feed.
_FEED_TOKEN = re.compile(r"/calendar/[^/?#\s\"]+\.ics")
_REDACTED = "/calendar/[redacted].ics"
# Loggers whose lines can carry a request path: the access log, and errors naming the path.
_REQUEST_LOGGERS = ("uvicorn.access", "uvicorn.error", "keepwarm")


def redact(text: str) -> str:
    """The text with every calendar feed token replaced."""
    return _FEED_TOKEN.sub(_REDACTED, text)


class CalendarTokenFilter(logging.Filter):
    """Replaces the token of /calendar/<token>.ics in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {name: _redacted(arg) for name, arg in record.args.items()}
        return True


def _redacted(arg: object) -> object:
    return redact(arg) if isinstance(arg, str) else arg


def configure_logging() -> None:
    """Redact feed tokens in request logs; keep httpx from logging each webhook URL it calls.

    Call it once logging is configured (uvicorn configures its loggers before it builds the
    app); calling it again adds nothing.
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for name in _REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, CalendarTokenFilter) for f in logger.filters):
            logger.addFilter(CalendarTokenFilter())
