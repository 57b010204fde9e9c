"""The calendar feed and the webhook's calendar object."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from icalendar import Calendar, Event

from service.services.calendar.ics import CalendarEntry, build_feed, calendar_object, uid_for

CHANGED = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def entry(action_id: str = "a1", **changes: Any) -> CalendarEntry:
    values: dict[str, Any] = {
        "uid": uid_for(action_id),
        "sequence": 0,
        "start": datetime(2025, 3, 10, 9, 30, tzinfo=UTC),
        "summary": "Call Dana Reyes (Acme)",
        "description": "Reason: they said to try again in spring.\nScript: Hi Dana, ...",
        "url": f"https://keepwarm.example/actions/{action_id}",
        "last_modified": CHANGED,
    }
    values.update(changes)
    return CalendarEntry(**values)


def parse(feed: bytes) -> tuple[Calendar, list[Event]]:
    calendar = Calendar.from_ical(feed)
    return calendar, calendar.events


def test_uids_are_stable_per_next_action() -> None:
    assert uid_for("0b6c1d5e") == "0b6c1d5e@keepwarm"


def test_the_feed_describes_a_published_calendar_refreshed_hourly() -> None:
    calendar, _ = parse(build_feed([entry()], name="Dana's follow-ups"))
    assert str(calendar["PRODID"]) == "-//keepwarm//keepwarm//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Dana's follow-ups"
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"


def test_the_refresh_interval_is_typed_as_a_duration() -> None:
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in build_feed([], name="x")


def test_there_is_one_event_per_entry_sorted_by_start_then_uid() -> None:
    later = datetime(2025, 3, 11, 9, 0, tzinfo=UTC)
    entries = [entry("c", start=later), entry("b"), entry("a")]
    _, events = parse(build_feed(entries, name="x"))
    assert [str(e["UID"]) for e in events] == ["a@keepwarm", "b@keepwarm", "c@keepwarm"]


def test_an_event_carries_the_next_action() -> None:
    _, (event,) = parse(build_feed([entry(sequence=3)], name="x"))
    assert str(event["UID"]) == "a1@keepwarm"
    assert event["SEQUENCE"] == 3
    assert event.decoded("DTSTART") == datetime(2025, 3, 10, 9, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2025, 3, 10, 9, 45, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == CHANGED
    assert event.decoded("LAST-MODIFIED") == CHANGED
    assert str(event["SUMMARY"]) == "Call Dana Reyes (Acme)"
    assert str(event["DESCRIPTION"]).startswith("Reason: they said to try again in spring.\n")
    assert str(event["URL"]) == "https://keepwarm.example/actions/a1"
    assert str(event["TRANSP"]) == "OPAQUE"
    assert "LOCATION" not in event


def test_an_event_has_a_display_alarm_ten_minutes_before() -> None:
    _, (event,) = parse(build_feed([entry()], name="x"))
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-10)
    assert str(alarm["DESCRIPTION"]) == "Call Dana Reyes (Acme)"


def test_optional_fields_appear_only_when_given() -> None:
    _, (bare, placed) = parse(
        build_feed([entry("a", url=None), entry("b", location="Acme HQ, Lyon")], name="x")
    )
    assert "URL" not in bare and "LOCATION" not in bare
    assert str(placed["LOCATION"]) == "Acme HQ, Lyon"


def test_nobody_is_invited() -> None:
    feed = build_feed([entry("a"), entry("b")], name="x")
    assert b"ATTENDEE" not in feed and b"ORGANIZER" not in feed


def test_times_are_written_in_utc_with_z_whatever_the_input_zone() -> None:
    paris = timezone(timedelta(hours=1))
    start = datetime(2025, 3, 10, 10, 30, 15, 999_999, tzinfo=paris)
    feed = build_feed([entry(start=start, last_modified=CHANGED.astimezone(paris))], name="x")
    assert b"\r\nDTSTART:20250310T093015Z\r\n" in feed
    assert b"\r\nDTEND:20250310T094515Z\r\n" in feed
    assert b"\r\nDTSTAMP:20250301T080000Z\r\n" in feed
    assert b"\r\nLAST-MODIFIED:20250301T080000Z\r\n" in feed


def test_the_feed_uses_crlf_and_folds_long_lines_at_75_octets() -> None:
    long_text = "Ré-appeler à propos du poste — très intéressant; " * 20
    feed = build_feed([entry(summary=long_text, description=long_text)], name="x")
    assert feed.endswith(b"END:VCALENDAR\r\n")
    lines = feed.split(b"\r\n")
    assert b"\n" not in b"".join(lines)
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # folding never splits a character
    _, (event,) = parse(feed)
    assert str(event["SUMMARY"]) == long_text


def test_text_with_special_characters_round_trips() -> None:
    text = 'Commas, semicolons; back\\slashes and "quotes"\nand a second line'
    _, (event,) = parse(build_feed([entry(summary=text, description=text)], name="a, b; c"))
    assert str(event["SUMMARY"]) == text and str(event["DESCRIPTION"]) == text


def test_the_same_entries_give_byte_identical_feeds() -> None:
    entries = [entry("b"), entry("a", sequence=2), entry("c", url=None)]
    assert build_feed(entries, name="x") == build_feed(list(reversed(entries)), name="x")


def test_a_change_shows_in_the_bytes() -> None:
    before = build_feed([entry()], name="x")
    after = build_feed([entry(sequence=1, last_modified=CHANGED + timedelta(hours=1))], name="x")
    assert before != after


def test_an_empty_feed_is_still_a_calendar() -> None:
    calendar, events = parse(build_feed([], name="x"))
    assert events == [] and str(calendar["METHOD"]) == "PUBLISH"


def test_the_calendar_object_matches_the_feed() -> None:
    item = entry(sequence=4, start=datetime(2025, 3, 10, 9, 30, 0, 500, tzinfo=UTC))
    obj = calendar_object(item)
    assert obj == {
        "uid": "a1@keepwarm",
        "sequence": 4,
        "start": "2025-03-10T09:30:00Z",
        "end": "2025-03-10T09:45:00Z",
        "summary": item.summary,
        "description": item.description,
        "ics": obj["ics"],
    }
    ics = obj["ics"]
    assert isinstance(ics, str)
    assert ics.startswith("BEGIN:VEVENT\r\n") and ics.endswith("END:VEVENT\r\n")
    single = Event.from_ical(ics)
    _, (in_feed,) = parse(build_feed([item], name="x"))
    assert single.to_ical() == in_feed.to_ical()
    assert str(single["UID"]) == obj["uid"] and single["SEQUENCE"] == obj["sequence"]
    assert single.decoded("DTSTART") == datetime.fromisoformat(str(obj["start"]))
    assert single.decoded("DTEND") == datetime.fromisoformat(str(obj["end"]))


def test_the_calendar_object_vevent_is_the_feeds_text() -> None:
    item = entry()
    ics = str(calendar_object(item)["ics"]).encode()
    assert ics in build_feed([entry("z", start=item.start + timedelta(days=1)), item], name="x")


@pytest.mark.parametrize("field", ["start", "last_modified"])
def test_naive_times_are_refused(field: str) -> None:
    naive: dict[str, Any] = {field: datetime(2025, 3, 10, 9, 30)}
    with pytest.raises(ValueError, match=field):
        entry(**naive)


def test_a_negative_sequence_is_refused() -> None:
    with pytest.raises(ValueError, match="sequence"):
        entry(sequence=-1)
