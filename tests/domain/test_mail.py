"""Mail, pure: when a reminder is owed, and what a received message is read as."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import pytest

from service.domain.reminder_mail import end_of_day, reminder_day
from service.domain.touches import occurred_at, read

CHICAGO = ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    ("utc", "owed"),
    [
        (datetime(2026, 12, 7, 14, 59, tzinfo=UTC), None),  # 08:59 in Chicago
        (datetime(2026, 12, 7, 15, 0, tzinfo=UTC), date(2026, 12, 7)),
        (datetime(2026, 12, 8, 5, 0, tzinfo=UTC), date(2026, 12, 7)),  # 23:00 the same day
        (datetime(2026, 3, 8, 14, 0, tzinfo=UTC), date(2026, 3, 8)),  # 09:00 CDT, DST day
        (datetime(2026, 3, 8, 13, 59, tzinfo=UTC), None),
    ],
)
def test_a_reminder_is_owed_from_the_preferred_hour_of_the_local_day(
    utc: datetime, owed: date | None
) -> None:
    assert reminder_day(utc, CHICAGO, 9) == owed


def test_the_end_of_a_local_day_is_its_next_midnight() -> None:
    assert end_of_day(date(2026, 12, 7), CHICAGO) == datetime(2026, 12, 8, 6, tzinfo=UTC)


RECEIVED = datetime(2026, 12, 7, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sent", "logged"),
    [
        (None, RECEIVED),
        (RECEIVED - timedelta(hours=5), RECEIVED - timedelta(hours=5)),
        (RECEIVED - timedelta(days=2), RECEIVED - timedelta(days=2)),
        (RECEIVED - timedelta(days=2, seconds=1), RECEIVED),  # too old to believe
        (RECEIVED + timedelta(hours=1), RECEIVED),  # a clock ahead: never after receipt
        (RECEIVED + timedelta(days=3), RECEIVED),
    ],
)
def test_the_date_header_is_believed_within_two_days(
    sent: datetime | None, logged: datetime
) -> None:
    assert occurred_at(sent, RECEIVED) == logged


def _message(**headers: str) -> EmailMessage:
    message = EmailMessage()
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("Hello\n")
    return message


def test_a_message_is_read_for_its_addresses_date_and_subject_only() -> None:
    message = _message(
        From="Sam <Sam@Home.example>",
        To="Ann Lee <Ann@Acme.example>, bob@acme.example",
        Cc="ann@acme.example, Carol <carol@acme.example>",
        Subject="  Congratulations   on the launch ",
        Date=format_datetime(RECEIVED),
        Message_ID="<1@home.example>",
    )
    received = read(message.as_bytes())
    assert received.sender == "sam@home.example"
    assert received.recipients == ("ann@acme.example", "bob@acme.example", "carol@acme.example")
    assert received.subject == "Congratulations on the launch"
    assert received.sent_at == RECEIVED
    assert received.forwarded_from is None
    again = read(_message(To="x@y.example", Message_ID="<1@home.example>").as_bytes())
    assert again.key == received.key  # the Message-ID is what makes it the same message


def test_a_forward_names_its_original_sender_attached_or_quoted() -> None:
    original = _message(From="Ann Lee <ann@acme.example>", Date=format_datetime(RECEIVED))
    attached = _message(From="sam@home.example", To="log-x@in.example", Subject="Fwd: Re: Hi")
    attached.add_attachment(original)
    assert read(attached.as_bytes()).forwarded_from == "ann@acme.example"
    assert read(attached.as_bytes()).forwarded_at == RECEIVED

    quoted = EmailMessage()
    quoted["From"], quoted["Subject"] = "sam@home.example", "FW: Re: Hi"
    quoted.set_content(
        "See below\n\n-----Original Message-----\nFrom: Ann Lee <ann@acme.example>\nSent: today\n"
    )
    assert read(quoted.as_bytes()).forwarded_from == "ann@acme.example"


def test_headers_of_any_shape_do_not_stop_the_reading() -> None:
    raw = b"From: =?bogus?q?x?=\r\nTo: <<<@@>\r\nDate: yesterday-ish\r\nSubject:\r\n\r\nbody\r\n"
    received = read(raw)
    assert (received.sender, received.recipients, received.sent_at, received.subject) == (
        None,
        (),
        None,
        None,
    )
