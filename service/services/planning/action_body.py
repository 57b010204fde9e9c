"""A next action's public representation: rendered where the action is written, read by all.

The row carries its representation (`body`, JSON text): GET, the list, the agenda, webhooks,
the export and reminders serve or read that text instead of describing the action again.
Every writer of an action calls `render` with the action and its contact's details; a change
to a contact's email, phone or profile URL renders its actions again (next_actions.rerender).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Protocol
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from service.db.cadence import NextAction
from service.domain.model import ActionState, Channel, Phase, Situation


class ScriptResponseRead(BaseModel):
    when: str = Field(description="What may happen during the call or meeting.")
    say: str = Field(description="A prepared line for it.")


class ScriptEmailRead(BaseModel):
    subject: str = Field(description="The subject line of the same touch written as an email.")
    text: str = Field(description="The same touch as an email: greeting, body, sign-off.")


class ScriptRead(BaseModel):
    variant: str = Field(description="Record it as the attempt's script_variant.")
    situation: Situation = Field(
        description="first_touch, warm, maintenance, opening, referral, requested (the date "
        "they asked for) or recruiter_only (no one but recruiters or HR on file)."
    )
    subject: str | None = Field(description="An email subject line; null for other channels.")
    greeting: str = Field(
        description="The name to greet them by: their greeting_name, else an honorific with "
        'the surname ("Dr. Okafor"), else their first name.'
    )
    parts: dict[str, str] = Field(
        description="purpose, interest, news, question and (calls, voicemails) closing."
    )
    text: str = Field(
        description="The script to send or say; for a call, the live conversation (pause "
        "after the question; the closing ends the call)."
    )
    voicemail: str | None = Field(
        description="For a call: the message to leave if nobody answers (at most 80 words); "
        "null for other channels."
    )
    responses: list[ScriptResponseRead] = Field(
        description="Calls and meetings: prepared lines for what may happen (referred to the "
        "recruiter, an opening mentioned, they are busy); empty for other channels."
    )
    word_count: int
    as_email: ScriptEmailRead | None = Field(
        default=None,
        description="For every channel but email: the same touch written as an email "
        "(greeting, body, sign-off), which links.mailto carries; null for an email.",
    )


class LinksRead(BaseModel):
    mailto: str | None = Field(
        description="An RFC 6068 mailto: URI to the contact's email, the subject and body "
        "filled with the script's email (for another channel, its as_email: never a spoken "
        "script); null when the contact has no email."
    )
    tel: str | None = Field(
        description="A tel: URI of the contact's phone (digits, and a leading + when it has "
        "one); null when the contact has no phone."
    )
    profile: str | None = Field(
        description="The contact's profile_url; null when the contact has none."
    )


class NextActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    contact_id: uuid.UUID
    due_at: datetime
    window_start: date = Field(description="Local date in the contact's time zone.")
    window_end: date
    phase: Phase
    channel: Channel
    reason: str = Field(description="Why this, why now, in one sentence.")
    hints: list[str] = Field(description="add_hiring_manager, single_channel, find_news.")
    script: ScriptRead
    links: LinksRead = Field(
        description="Ready-made links to reach the contact, from their details and the script."
    )
    news_id: uuid.UUID | None = Field(description="The news item the script mentions.")
    state: ActionState
    sequence: int = Field(description="Increments each time the action is rescheduled.")
    created_at: datetime
    updated_at: datetime


class Reachable(Protocol):
    """A contact's details the links are made of: an ORM object, or a row of its columns."""

    @property
    def email(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def profile_url(self) -> str | None: ...


# An address keeps "@" and "+" (user+tag@example.com); a header value keeps only unreserved
# characters, so "+" is never read as a space and the URI is safe in any HTML attribute.
_ADDRESS_SAFE = "@+"


def mailto_uri(address: str, *, subject: str | None = None, body: str | None = None) -> str:
    """An RFC 6068 mailto: URI; line breaks in the values are sent as CRLF (%0D%0A)."""
    fields = [(name, value) for name, value in (("subject", subject), ("body", body)) if value]
    query = "&".join(f"{name}={_header_value(value)}" for name, value in fields)
    uri = "mailto:" + quote(address.strip(), safe=_ADDRESS_SAFE)
    return f"{uri}?{query}" if query else uri


def _header_value(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "%0D%0A".join(quote(line, safe="") for line in lines)


def tel_uri(phone: str | None) -> str | None:
    """A tel: URI: the phone's digits, after a + when it starts with one; None without digits."""
    number = (phone or "").strip()
    digits = "".join(ch for ch in number if ch in "0123456789")
    if not digits:
        return None
    return "tel:" + "+" * number.startswith("+") + digits


def links_for(
    contact: Reachable | None, channel: Channel, script: Mapping[str, Any]
) -> dict[str, str | None]:
    """The links of an action with this contact, channel and script; None where it lacks one."""
    if contact is None:
        return {"mailto": None, "tel": None, "profile": None}
    address = (contact.email or "").strip()
    subject, body = script.get("subject"), script.get("text")
    written = script.get("as_email")
    if channel != Channel.EMAIL:
        # A call's Email button carries the touch written as an email, not the spoken script.
        subject, body = (written["subject"], written["text"]) if written else (None, body)
    return {
        "mailto": mailto_uri(address, subject=subject, body=body) if address else None,
        "tel": tel_uri(contact.phone),
        "profile": (contact.profile_url or "").strip() or None,
    }


_FIELDS = tuple(name for name in NextActionRead.model_fields if name != "links")


def render(action: NextAction, contact: Reachable) -> str:
    """The JSON representation of a next action, with the links of its contact's details.

    The action's id, sequence and timestamps must be set: the representation shows them.
    """
    fields = {name: getattr(action, name) for name in _FIELDS}
    fields["links"] = links_for(contact, action.channel, action.script)
    return NextActionRead.model_validate(fields).model_dump_json()
