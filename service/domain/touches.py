"""A message received at a logging address, read: who it went to, from whom, when, its subject.

Nothing else of the message is kept: not its body, not its other headers.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from service.domain.slots import as_utc

# SPEC section 10: a Date header further than this from the receipt is not believed.
DATE_TRUSTED_WITHIN = timedelta(days=2)
MAX_RECIPIENTS = 50
MAX_SUBJECT = 500
# An inline forward quotes the original's headers after a marker line (Gmail, Outlook, Apple).
_FORWARD_MARKER = re.compile(
    r"^-*\s*(forwarded message|original message|begin forwarded message)", re.I | re.M
)
_QUOTED_FROM = re.compile(r"^\s*>?\s*from:\s*(.+)$", re.I | re.M)


@dataclass(frozen=True)
class Received:
    """What a touch is made of."""

    key: str
    subject: str | None
    sender: str | None
    recipients: tuple[str, ...]
    sent_at: datetime | None
    forwarded_from: str | None
    forwarded_at: datetime | None


def _address(value: str) -> str | None:
    _, address = parseaddr(value)
    return address.strip().lower() or None if "@" in address else None


def _date(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        moment = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return None if moment.tzinfo is None else as_utc(moment)


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (TypeError, ValueError, IndexError):
        return ""
    return "" if value is None else str(value)


def _forwarded(message: EmailMessage) -> tuple[str | None, datetime | None]:
    """The original sender (and date) of a forwarded message: attached, or quoted inline."""
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, Message):
                return _address(_header(inner, "From")), _date(_header(inner, "Date") or None)
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        return None, None
    try:
        text = body.get_content()
    except (LookupError, ValueError, AttributeError):
        return None, None
    marker = _FORWARD_MARKER.search(text) if isinstance(text, str) else None
    if marker is None:
        return None, None
    quoted = _QUOTED_FROM.search(text, marker.end())
    return (_address(quoted.group(1)) if quoted else None), None


def read(raw: bytes) -> Received:
    """Read a message as received (headers of any shape: a bad one is ignored, not fatal)."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    message_id = _header(message, "Message-ID").strip()
    key = hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()
    pairs = getaddresses([_header(message, "To"), _header(message, "Cc")])
    recipients = tuple(dict.fromkeys(a.strip().lower() for _, a in pairs if "@" in a))
    subject = " ".join(_header(message, "Subject").split())[:MAX_SUBJECT] or None
    forwarded_from, forwarded_at = _forwarded(message)
    return Received(
        key=key,
        subject=subject,
        sender=_address(_header(message, "From")),
        recipients=recipients,
        sent_at=_date(_header(message, "Date") or None),
        forwarded_from=forwarded_from,
        forwarded_at=forwarded_at,
    )


def occurred_at(sent_at: datetime | None, received_at: datetime) -> datetime:
    """When the touch happened: the message's Date when within two days of its receipt (and
    not after it), else the receipt time."""
    if sent_at is None or abs(sent_at - received_at) > DATE_TRUSTED_WITHIN:
        return received_at
    return min(sent_at, received_at)
