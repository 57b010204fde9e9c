"""When to retry a failed webhook delivery: the Standard Webhooks schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

# Attempt n (1-based) is made RETRY_DELAYS[n - 1] after the previous failure.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(0),
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS)
DISABLE_AFTER = timedelta(days=5)
JITTER = 0.1
# A receiver may slow us down, but not park a delivery for longer than this.
MAX_RETRY_AFTER = timedelta(days=1)


def next_attempt_at(
    *, attempt: int, failed_at: datetime, retry_after: timedelta | None, jitter: float
) -> datetime | None:
    """When to make the attempt after `attempt` failed ones, or None once all are spent."""
    if attempt < 1:
        raise ValueError("attempt counts the attempts made so far; it starts at 1")
    if not 0.0 <= jitter < 1.0:
        raise ValueError("jitter must be in [0, 1)")
    _require_aware(failed_at)
    if attempt >= MAX_ATTEMPTS:
        return None
    delay = RETRY_DELAYS[attempt]
    if delay:
        delay *= 1.0 + JITTER * (2.0 * jitter - 1.0)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return failed_at + delay


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A Retry-After header (delay-seconds or HTTP-date) as a delay from now; None if unusable."""
    _require_aware(now)
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        # Clamped before building the timedelta, which overflows on absurd values.
        seconds = min(int(value), int(MAX_RETRY_AFTER.total_seconds()))
        return timedelta(seconds=seconds)
    try:
        when = parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        # RFC 9110: HTTP-dates are always UTC ("GMT", "-0000" and asctime parse as naive).
        when = when.replace(tzinfo=UTC)
    return min(max(when - now, timedelta(0)), MAX_RETRY_AFTER)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware")
