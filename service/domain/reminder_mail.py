"""The daily reminder: when it is owed, and the email itself (plain text and HTML)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from service.domain.slots import as_utc, describe_date
from service.domain.wording import mail as words


class Reminders(StrEnum):
    """The account setting: one email a local day, or none."""

    DAILY = "daily"
    OFF = "off"


@dataclass(frozen=True)
class Item:
    """One action as the email shows it."""

    organization: str
    person: str
    role: str
    channel: str
    reason: str
    subject: str | None
    text: str
    mailto: str | None
    tel: str | None
    due_on: date


@dataclass(frozen=True)
class Letter:
    """Everything one reminder says, and where it goes."""

    sender: str
    recipient: str
    message_id: str
    day: date
    items: tuple[Item, ...]
    app_url: str
    unsubscribe_url: str


def reminder_day(now: datetime, zone: ZoneInfo, hour: int) -> date | None:
    """The local date a reminder is owed for at `now`: today once `hour` has come, else None."""
    local = as_utc(now).astimezone(zone)
    return local.date() if local.hour >= hour else None


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first moment after `day` in `zone`: what is due before it is due today or overdue."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def subject_of(letter: Letter) -> str:
    """The Subject: on one line whatever the names hold (a header cannot break a line)."""
    if len(letter.items) == 1:
        subject = words.SUBJECT_ONE.format(organization=letter.items[0].organization)
    else:
        subject = words.SUBJECT_MANY.format(count=len(letter.items))
    return " ".join(subject.split())


def _opening(letter: Letter) -> str:
    day = describe_date(letter.day)
    if len(letter.items) == 1:
        return words.OPENING_ONE.format(day=day)
    return words.OPENING_MANY.format(count=len(letter.items), day=day)


def _when(item: Item, day: date) -> str:
    if item.due_on >= day:
        return words.DUE_TODAY
    return words.OVERDUE.format(day=describe_date(item.due_on))


def _heading(item: Item) -> str:
    role = words.ROLES.get(item.role, item.role)
    channel = words.CHANNELS.get(item.channel, item.channel)
    return f"{item.organization}: {item.person} ({role}), {channel}"


def plain_text(letter: Letter) -> str:
    """The text part: readable as it is in any mail client."""
    lines = [_opening(letter), ""]
    for number, item in enumerate(letter.items, 1):
        lines.append(f"{number}. {_heading(item)} ({_when(item, letter.day)})")
        lines.append(f"   {words.WHY}: {item.reason}")
        if item.subject:
            lines.append(f"   {words.SUBJECT}: {item.subject}")
        lines.append("")
        lines += [f"   {line}" if line else "" for line in item.text.splitlines()]
        lines.append("")
        if item.mailto:
            lines.append(f"   {words.WRITE}: {item.mailto}")
        if item.tel:
            lines.append(f"   {words.CALL}: {item.tel}")
        lines.append("")
    lines += [
        f"{words.OPEN_APP}: {letter.app_url}",
        words.DONE_HINT,
        "",
        "-- ",
        words.FOOTER,
        f"{words.UNSUBSCRIBE}: {letter.unsubscribe_url}",
    ]
    return "\n".join(lines) + "\n"


_QUOTE = "border-left:3px solid #ccc;margin:0;padding-left:1em"


def _link(url: str, label: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(label)}</a>'


def html_text(letter: Letter) -> str:
    """The HTML part: no remote images, no scripts, styles inline."""
    esc = html.escape
    parts = [
        '<!doctype html><html><body style="font-family:sans-serif;line-height:1.4">',
        f"<p>{esc(_opening(letter))}</p>",
    ]
    for item in letter.items:
        parts.append(
            f'<h2 style="font-size:1.1em">{esc(_heading(item))}'
            f" <small>({esc(_when(item, letter.day))})</small></h2>"
        )
        parts.append(f"<p><strong>{esc(words.WHY)}:</strong> {esc(item.reason)}</p>")
        if item.subject:
            parts.append(f"<p><strong>{esc(words.SUBJECT)}:</strong> {esc(item.subject)}</p>")
        body = "<br>".join(esc(line) for line in item.text.splitlines())
        parts.append(f'<blockquote style="{_QUOTE}">{body}</blockquote>')
        links = []
        if item.mailto:
            links.append(_link(item.mailto, words.WRITE))
        if item.tel:
            links.append(_link(item.tel, f"{words.CALL} {item.tel.removeprefix('tel:')}"))
        if links:
            parts.append(f"<p>{' · '.join(links)}</p>")
    parts += [
        f"<p>{_link(letter.app_url, words.OPEN_APP)}. {esc(words.DONE_HINT)}</p>",
        f'<hr><p style="color:#555;font-size:.9em">{esc(words.FOOTER)} '
        f"{_link(letter.unsubscribe_url, words.UNSUBSCRIBE)}.</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def build(letter: Letter, *, now: datetime) -> EmailMessage:
    """The email: text and HTML alternatives, with RFC 8058 one-click unsubscribe headers."""
    message = EmailMessage()
    message["Subject"] = subject_of(letter)
    message["From"] = letter.sender
    message["To"] = Address(addr_spec=letter.recipient)
    message["Date"] = format_datetime(as_utc(now))
    message["Message-ID"] = letter.message_id
    message["List-Unsubscribe"] = f"<{letter.unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # RFC 3834: no vacation auto-replies to a machine's mail.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(plain_text(letter))
    message.add_alternative(html_text(letter), subtype="html")
    return message
