"""The retry schedule: table, jitter, Retry-After, exhaustion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.backoff import (
    DISABLE_AFTER,
    MAX_RETRY_AFTER,
    RETRY_DELAYS,
    next_attempt_at,
    parse_retry_after,
)

FAILED_AT = datetime(2025, 3, 30, 0, 30, tzinfo=UTC)
NOW = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)


def test_the_schedule_is_the_standard_webhooks_one() -> None:
    minutes = [delay / timedelta(minutes=1) for delay in RETRY_DELAYS]
    assert minutes == [0, 5 / 60, 5, 30, 2 * 60, 5 * 60, 10 * 60, 10 * 60]
    assert DISABLE_AFTER / timedelta(days=1) == 5


@pytest.mark.parametrize(
    ("attempt", "delay"),
    [
        (1, timedelta(seconds=5)),
        (2, timedelta(minutes=5)),
        (3, timedelta(minutes=30)),
        (4, timedelta(hours=2)),
        (5, timedelta(hours=5)),
        (6, timedelta(hours=10)),
        (7, timedelta(hours=10)),
    ],
)
def test_without_jitter_the_next_attempt_follows_the_table(attempt: int, delay: timedelta) -> None:
    # jitter 0.5 is the middle of the spread: exactly the scheduled delay.
    at = next_attempt_at(attempt=attempt, failed_at=FAILED_AT, retry_after=None, jitter=0.5)
    assert at == FAILED_AT + delay


def test_the_schedule_is_exhausted_after_eight_attempts() -> None:
    assert next_attempt_at(attempt=8, failed_at=FAILED_AT, retry_after=None, jitter=0.5) is None
    assert next_attempt_at(attempt=9, failed_at=FAILED_AT, retry_after=None, jitter=0.5) is None


def test_a_whole_run_makes_eight_attempts() -> None:
    attempts, at = 1, FAILED_AT
    while following := next_attempt_at(
        attempt=attempts, failed_at=at, retry_after=None, jitter=0.5
    ):
        attempts, at = attempts + 1, following
    assert attempts == 8
    assert at - FAILED_AT == sum(RETRY_DELAYS, timedelta(0))


@pytest.mark.parametrize("attempt", [0, -1])
def test_attempt_counts_from_one(attempt: int) -> None:
    with pytest.raises(ValueError):
        next_attempt_at(attempt=attempt, failed_at=FAILED_AT, retry_after=None, jitter=0.5)


@pytest.mark.parametrize("jitter", [-0.1, 1.0, 2.0])
def test_jitter_outside_the_unit_interval_is_refused(jitter: float) -> None:
    with pytest.raises(ValueError):
        next_attempt_at(attempt=1, failed_at=FAILED_AT, retry_after=None, jitter=jitter)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        next_attempt_at(attempt=1, failed_at=datetime(2025, 1, 1), retry_after=None, jitter=0.5)
    with pytest.raises(ValueError):
        parse_retry_after("5", datetime(2025, 1, 1))


@given(attempt=st.integers(1, 7), jitter=st.floats(0.0, 1.0, exclude_max=True))
def test_jitter_spreads_within_ten_percent(attempt: int, jitter: float) -> None:
    at = next_attempt_at(attempt=attempt, failed_at=FAILED_AT, retry_after=None, jitter=jitter)
    assert at is not None
    delay = RETRY_DELAYS[attempt]
    assert delay * 0.9 <= at - FAILED_AT <= delay * 1.1


@given(low=st.floats(0.0, 0.5), high=st.floats(0.5, 0.99))
def test_more_jitter_never_means_an_earlier_attempt(low: float, high: float) -> None:
    early = next_attempt_at(attempt=3, failed_at=FAILED_AT, retry_after=None, jitter=low)
    late = next_attempt_at(attempt=3, failed_at=FAILED_AT, retry_after=None, jitter=high)
    assert early is not None and late is not None and early <= late


@given(
    attempt=st.integers(1, 7),
    jitter=st.floats(0.0, 1.0, exclude_max=True),
    retry_after=st.timedeltas(timedelta(0), timedelta(days=30)),
)
def test_retry_after_is_a_floor_capped_at_a_day(
    attempt: int, jitter: float, retry_after: timedelta
) -> None:
    at = next_attempt_at(
        attempt=attempt, failed_at=FAILED_AT, retry_after=retry_after, jitter=jitter
    )
    plain = next_attempt_at(attempt=attempt, failed_at=FAILED_AT, retry_after=None, jitter=jitter)
    assert at is not None and plain is not None
    assert at == max(plain, FAILED_AT + min(retry_after, MAX_RETRY_AFTER))
    assert at - FAILED_AT <= max(RETRY_DELAYS) * 1.1 + MAX_RETRY_AFTER


def test_a_long_retry_after_postpones_an_early_attempt() -> None:
    at = next_attempt_at(
        attempt=1, failed_at=FAILED_AT, retry_after=timedelta(minutes=2), jitter=0.5
    )
    assert at == FAILED_AT + timedelta(minutes=2)


def test_a_short_retry_after_does_not_hurry_the_schedule() -> None:
    at = next_attempt_at(
        attempt=4, failed_at=FAILED_AT, retry_after=timedelta(seconds=1), jitter=0.5
    )
    assert at == FAILED_AT + timedelta(hours=2)


def test_retry_after_does_not_revive_an_exhausted_schedule() -> None:
    at = next_attempt_at(attempt=8, failed_at=FAILED_AT, retry_after=timedelta(hours=1), jitter=0.5)
    assert at is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", timedelta(seconds=120)),
        ("0", timedelta(0)),
        (" 30 ", timedelta(seconds=30)),
        ("99999999999999999999999", MAX_RETRY_AFTER),
        ("Wed, 21 Oct 2015 07:33:00 GMT", timedelta(minutes=5)),
        ("Wednesday, 21-Oct-15 07:29:00 GMT", timedelta(minutes=1)),
        ("Wed Oct 21 07:28:30 2015", timedelta(seconds=30)),
        ("Wed, 21 Oct 2015 07:00:00 GMT", timedelta(0)),
        ("Fri, 21 Oct 2016 07:28:00 GMT", MAX_RETRY_AFTER),
    ],
)
def test_retry_after_headers_are_understood(header: str, expected: timedelta) -> None:
    assert parse_retry_after(header, NOW) == expected


@pytest.mark.parametrize(
    "header", [None, "", "soon", "-5", "1.5", "5s", "²", "Wed, 32 Oct 2015 07:28:00 GMT"]
)
def test_unusable_retry_after_headers_are_ignored(header: str | None) -> None:
    assert parse_retry_after(header, NOW) is None
