"""The webhook's VEVENT, written out directly, is byte for byte what icalendar renders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.services.calendar.ics import CalendarEntry, _event, calendar_object, uid_for, vevent

MOMENTS = st.datetimes(
    min_value=datetime(1900, 1, 1),
    max_value=datetime(2200, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9))]),
)
# Escapes, line breaks, multi-byte characters and fold-boundary lengths.
TEXT = st.lists(
    st.sampled_from([*"ab ,;:\\^N\r\n\t\"'é€😀\u2013", "\\N", "\r\n", "x" * 70]), max_size=60
).map("".join)
URLS = st.one_of(st.none(), st.just(""), TEXT.filter(lambda t: "\r" not in t and "\n" not in t))


def library(entry: CalendarEntry) -> str:
    return str(_event(entry).to_ical().decode("utf-8"))


@settings(max_examples=400, deadline=None)
@given(
    sequence=st.integers(min_value=0, max_value=10_000),
    start=MOMENTS,
    changed=MOMENTS,
    summary=TEXT,
    description=TEXT,
    url=URLS,
    location=st.one_of(st.none(), TEXT),
    cancelled=st.booleans(),
    uid=TEXT,
)
def test_the_vevent_is_the_one_icalendar_renders(
    sequence: int,
    start: datetime,
    changed: datetime,
    summary: str,
    description: str,
    url: str | None,
    location: str | None,
    cancelled: bool,
    uid: str,
) -> None:
    entry = CalendarEntry(
        uid=uid,
        sequence=sequence,
        start=start,
        summary=summary,
        description=description,
        url=url,
        last_modified=changed,
        location=location,
        cancelled=cancelled,
    )
    assert vevent(entry) == library(entry)


@pytest.mark.parametrize("word", ["é\\,;word ", "a\\,;^word ", "ab\\\\"])
@pytest.mark.parametrize("width", range(60, 160))
def test_long_lines_fold_where_icalendar_folds_them(width: int, word: str) -> None:
    text = ("Script: Hi Ann, " + word * 40)[:width]
    entry = CalendarEntry(
        uid=uid_for("0b6c1d5e-6f1e-4a43-9d3c-6d1f0e2b7a10"),
        sequence=2,
        start=datetime(2026, 3, 9, 14, 0, 7, 5000, tzinfo=UTC),
        summary=text,
        description=f"Reason.\n\n{text}\n{text}",
        url="https://example.com/" + "p" * width,
        last_modified=datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
    )
    assert calendar_object(entry)["ics"] == library(entry)


def test_a_url_with_a_line_break_is_refused_like_icalendar_refuses_it() -> None:
    entry = CalendarEntry(
        uid="u",
        sequence=0,
        start=datetime(2026, 3, 9, tzinfo=UTC),
        summary="s",
        description="d",
        url="https://example.com/\r\nX-INJECTED:1",
        last_modified=datetime(2026, 3, 1, tzinfo=UTC),
    )
    with pytest.raises(ValueError):
        library(entry)
    with pytest.raises(ValueError):
        vevent(entry)
