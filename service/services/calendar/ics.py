"""Next actions as calendar events: the ICS feed and the webhook's calendar object."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event, vText

PRODID = "-//keepwarm//keepwarm//EN"
EVENT_LENGTH = timedelta(minutes=15)
ALARM_BEFORE = timedelta(minutes=10)
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    sequence: int
    start: datetime
    summary: str
    description: str
    url: str | None
    last_modified: datetime
    location: str | None = None
    cancelled: bool = False

    def __post_init__(self) -> None:
        for name in ("start", "last_modified"):
            moment: datetime = getattr(self, name)
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware")
        if self.sequence < 0:
            raise ValueError("sequence must not be negative")


def uid_for(action_id: str) -> str:
    """The calendar UID of a next action; stable across reschedules."""
    return f"{action_id}@keepwarm"


def calendar_object(entry: CalendarEntry) -> dict[str, object]:
    """The `calendar` object of a followup.* webhook: times, text and the VEVENT itself."""
    start = _utc(entry.start)
    return {
        "uid": entry.uid,
        "sequence": entry.sequence,
        "start": _rfc3339(start),
        "end": _rfc3339(start + EVENT_LENGTH),
        "summary": entry.summary,
        "description": entry.description,
        "ics": vevent(entry),
    }


def vevent(entry: CalendarEntry) -> str:
    """The entry's VEVENT, as icalendar renders it (property order, escaping, folding).

    Written out directly: building icalendar components cost most of a follow-up event's
    data, and every logged attempt writes one. tests/services/test_perf_ics.py holds the
    two renderings byte-identical.
    """
    start = _utc(entry.start)
    changed = _stamp(_utc(entry.last_modified))
    summary = _text(entry.summary)
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{summary}",
        f"DTSTART:{_stamp(start)}",
        f"DTEND:{_stamp(start + EVENT_LENGTH)}",
        f"DTSTAMP:{changed}",
        f"UID:{_text(entry.uid)}",
        f"SEQUENCE:{entry.sequence}",
        f"DESCRIPTION:{_text(entry.description)}",
        f"LAST-MODIFIED:{changed}",
    ]
    if entry.location:
        lines.append(f"LOCATION:{_text(entry.location)}")
    lines.append("STATUS:CANCELLED" if entry.cancelled else "STATUS:CONFIRMED")
    lines.append("TRANSP:OPAQUE")
    if entry.url:
        if "\r" in entry.url or "\n" in entry.url:
            raise ValueError(f"A URI value may not contain CR or LF characters: {entry.url!r}")
        lines.append(f"URL:{entry.url}")
    lines += [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{summary}",
        f"TRIGGER:{_ALARM_TRIGGER}",
        "END:VALARM",
        "END:VEVENT",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


_ALARM_TRIGGER = f"-PT{ALARM_BEFORE // timedelta(minutes=1)}M"  # an RFC 5545 duration
_TEXT_ESCAPES = (
    ("\\N", "\n"),
    ("\\", "\\\\"),
    (";", "\\;"),
    (",", "\\,"),
    ("\r\n", "\\n"),
    ("\n", "\\n"),
    ("\r", "\\n"),
)
_FOLD_AT = 75  # octets


def _text(value: str) -> str:
    # RFC 5545 TEXT escaping, in icalendar's order (it also reads a literal "\N" as a newline).
    for old, new in _TEXT_ESCAPES:
        value = value.replace(old, new)
    return value


def _stamp(moment: datetime) -> str:
    return f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment:%H%M%S}Z"


def _fold(line: str) -> str:
    # Pieces of at most 74 octets, cut between characters, never right after an escaping
    # backslash (icalendar's folding, found by slicing the encoded line).
    data = line.encode("utf-8")
    width = _FOLD_AT - 1
    if len(data) <= width:
        return line
    pieces: list[str] = []
    start = 0
    while len(data) - start > width:
        end = start + width
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: inside a character
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1  # carried to the next line with what it escapes
        pieces.append(data[start:end].decode("utf-8"))
        start = end
    pieces.append(data[start:].decode("utf-8"))
    return "\r\n ".join(pieces)


def build_feed(entries: Sequence[CalendarEntry], *, name: str) -> bytes:
    """The subscribable calendar: one VEVENT per entry, byte-identical for the same entries."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(name))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for entry in sorted(entries, key=lambda e: (_utc(e.start), e.uid)):
        calendar.add_component(_event(entry))
    return bytes(calendar.to_ical())


def _event(entry: CalendarEntry) -> Event:
    start = _utc(entry.start)
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    # DTSTAMP is the last change, not "now", so an unchanged feed keeps its bytes (and ETag).
    event.add("dtstamp", _utc(entry.last_modified))
    event.add("last-modified", _utc(entry.last_modified))
    event.add("dtstart", start)
    event.add("dtend", start + EVENT_LENGTH)
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    # A cancelled follow-up is sent as such, so a calendar that imported it removes it.
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    # The slot is time the user set aside for the call.
    event.add("transp", "OPAQUE")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -ALARM_BEFORE)
    alarm.add("description", entry.summary)
    event.add_component(alarm)
    return event


def _utc(moment: datetime) -> datetime:
    # iCalendar has no fractions of a second; drop them here so every rendering agrees.
    return moment.astimezone(UTC).replace(microsecond=0)


def _rfc3339(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
