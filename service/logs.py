"""Logging: one line per record, text or JSON, each with a UTC timestamp and no feed token."""

from __future__ import annotations

import logging
import logging.config
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

from service.config import LogFormat, Settings

# The secret feed URL (GET /calendar/{token}.ics): whoever reads the logs could read the feed.
# Whatever follows /calendar/ up to the query is redacted, in any case and with any number of
# slashes (escaped or not): a mistyped feed URL still carries the token. The API's own
# /v1/calendar/rotate-token names no token.
_SLASH = r"(?:/|%2f)+"
_END = r"[?#\s\"'<>]"  # where a path ends: its query, its fragment, or the line's text
_FEED_TOKEN = re.compile(
    rf"{_SLASH}calendar{_SLASH}(?!rotate-token(?:{_END}|$))"
    rf"(?:(?!{_END}).)+?(?P<ics>\.ics)?(?={_END}|$)",
    re.IGNORECASE,
)
# Loggers whose lines can carry a request path: the access logs, and errors naming the path.
_REQUEST_LOGGERS = ("uvicorn.access", "uvicorn.error", "keepwarm", "keepwarm.access")
# What every record has; any other attribute came from `extra=` and becomes a JSON field
# (but uvicorn's `color_message`, the message again with terminal colours).
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "color_message"}

# The id of the request being answered (service.api.headers.RequestLog): every record logged
# while answering it carries it.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def redact(text: str) -> str:
    """The text with every calendar feed token replaced."""
    return _FEED_TOKEN.sub(lambda found: f"/calendar/[redacted]{found['ics'] or ''}", text)


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


class RequestIdFilter(logging.Filter):
    """Stamps the id of the request being answered on the records logged while answering it."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = request_id.get()
        if current is not None and not hasattr(record, "request_id"):
            record.request_id = current
        return True


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# Both formatters redact the whole line they write: the token cannot slip through a field, an
# argument or a traceback, whichever logger the line comes from.
class TextFormatter(logging.Formatter):
    """`<timestamp> <level> <logger>: <message>`, for people."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _timestamp(record)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp, level, logger, message, and the record's extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update((k, v) for k, v in vars(record).items() if k not in _RECORD_FIELDS)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return redact(orjson.dumps(line, default=str).decode())


def log_config(settings: Settings) -> dict[str, Any]:
    """The logging set-up of every keepwarm command, for dictConfig and uvicorn's log_config."""
    formatter = JsonFormatter if settings.log_format == LogFormat.JSON else TextFormatter
    quiet = {"level": "WARNING"}
    return {
        "version": 1,
        # Loggers made at import time (uvicorn's, the modules') keep working, through root.
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": formatter}},
        "filters": {"request_id": {"()": RequestIdFilter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "line",
                "filters": ["request_id"],
            }
        },
        "root": {"level": settings.log_level.upper(), "handlers": ["stderr"]},
        # A line per migration step, per scheduler run, per webhook URL called: noise.
        "loggers": {"alembic": quiet, "apscheduler": quiet, "httpx": quiet},
    }


def start_logging(settings: Settings) -> None:
    """Configure logging for a keepwarm command: lines on standard error, feed tokens out."""
    logging.config.dictConfig(log_config(settings))
    configure_logging()


def configure_logging() -> None:
    """Redact feed tokens in request logs; keep httpx from logging each webhook URL it calls.

    For handlers other than ours too (a test's, an embedding server's): call it once logging
    is configured; calling it again adds nothing.
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for name in _REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, CalendarTokenFilter) for f in logger.filters):
            logger.addFilter(CalendarTokenFilter())
