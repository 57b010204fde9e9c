"""The next action's public representation, rendered once when the row is written.

A list page of next actions is mostly scripts: decoding 50 rows and validating them again
on every read cost more than the rest of the request. The row carries its representation
(`body`, JSON text) instead, rendered here at every insert and update, whoever the writer is
(requests, the scheduler), so a read is a copy of stored text. The representation's `links`
come from the action's contact: a change to its email, phone or profile URL renders its
actions again (refresh_links).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, object_session
from sqlalchemy.orm.attributes import flag_modified

from service.db.cadence import NextAction
from service.db.models import Contact
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

    @model_validator(mode="before")
    @classmethod
    def _with_links(cls, data: Any) -> Any:
        # An ORM row (GET by id, snooze, skip): its links are read from its contact.
        if isinstance(data, NextAction):
            return action_fields(data, links_of(data))
        return data


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
_NO_LINKS: dict[str, str | None] = {"mailto": None, "tel": None, "profile": None}


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
        return dict(_NO_LINKS)
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


_LINK_FIELDS = frozenset({"email", "phone", "profile_url"})
_c = Contact.__table__.c
_DETAILS = select(_c.email, _c.phone, _c.profile_url).where(_c.id == bindparam("id"))


def _loaded(session: Session, contact_id: uuid.UUID) -> Reachable | None:
    # The session's copy, when it has one with its details (it may hold changes not
    # flushed yet).
    loaded = session.identity_map.get(session.identity_key(Contact, contact_id))
    if loaded is not None and _LINK_FIELDS.isdisjoint(inspect(loaded).unloaded):
        found: Reachable = loaded
        return found
    return None


def _read(reader: Session | Connection, contact_id: uuid.UUID) -> Reachable | None:
    # Inside a flush, only the flush's connection may be used.
    row: Reachable | None = reader.execute(_DETAILS, {"id": contact_id}).one_or_none()
    return row


def links_of(action: NextAction) -> dict[str, str | None]:
    """The links of an action in a session, from its contact as it is now."""
    session = object_session(action)
    if session is None or action.contact_id is None:
        return dict(_NO_LINKS)
    contact = _loaded(session, action.contact_id)
    if contact is None:
        contact = _read(session, action.contact_id)
    return links_for(contact, action.channel, action.script)


_FIELDS = tuple(name for name in NextActionRead.model_fields if name != "links")


def action_fields(action: Any, links: Mapping[str, str | None]) -> dict[str, Any]:
    """The representation's fields of an action (an ORM row or a selected row), with links."""
    fields = {name: getattr(action, name) for name in _FIELDS}
    fields["links"] = links
    return fields


def render_action(action: NextAction, links: Mapping[str, str | None] | None = None) -> str:
    """The JSON representation of a next action; its links read from its contact unless given."""
    if links is None:
        links = links_of(action)
    return NextActionRead.model_validate(action_fields(action, links)).model_dump_json()


def refresh_links(session: Session, contact: Contact) -> None:
    """Render again every action with this contact, after its email, phone or profile changed."""
    actions = session.scalars(select(NextAction).where(NextAction.contact_id == contact.id))
    for action in actions:
        body = render_action(action, links_for(contact, action.channel, action.script))
        if body != action.body:
            action.body = body
            action.version += 1  # the representation changed: so does its ETag
    session.flush()


@dataclass(frozen=True)
class _Details:
    email: str | None
    phone: str | None
    profile_url: str | None


_DECODER = json.JSONDecoder()
_LINKS_KEY = '"links":'


def _stored_details(action: NextAction) -> _Details | None:
    """The contact's details as the stored links show them, while they are the same contact's.

    A change to the details renders the contact's actions again (refresh_links), so the
    stored links are current: reading them saves a query at each rewrite of the action.
    """
    if action.body is None or inspect(action).attrs.contact_id.history.has_changes():
        return None
    # The last key of that name is the representation's own: `script` comes before it.
    start = action.body.rfind(_LINKS_KEY)
    if start < 0:
        return None
    links, _ = _DECODER.raw_decode(action.body, start + len(_LINKS_KEY))
    mailto, tel = links.get("mailto"), links.get("tel")
    return _Details(
        email=unquote(urlsplit(mailto).path) if mailto else None,
        phone=tel.removeprefix("tel:") if tel else None,
        profile_url=links.get("profile"),
    )


def _render_in_flush(connection: Connection, action: NextAction, *, stored: bool) -> str:
    session = object_session(action)
    contact: Reachable | None = None
    if action.contact_id is not None:
        if session is not None:
            contact = _loaded(session, action.contact_id)
        if contact is None and stored:
            contact = _stored_details(action)
        if contact is None:
            contact = _read(connection, action.contact_id)
    return render_action(action, links_for(contact, action.channel, action.script))


@event.listens_for(NextAction, "before_insert")
def _render_new(_mapper: Mapper[Any], connection: Connection, action: NextAction) -> None:
    # Column defaults are applied after this hook: fill the ones the representation shows.
    if action.id is None:
        action.id = uuid.uuid4()
    if action.sequence is None:
        action.sequence = 0
    action.body = _render_in_flush(connection, action, stored=False)


@event.listens_for(NextAction, "before_update")
def _render_changed(_mapper: Mapper[Any], connection: Connection, action: NextAction) -> None:
    session = object_session(action)
    if session is None or not session.is_modified(action):
        return
    if not inspect(action).attrs.updated_at.history.has_changes():
        # Keep the stored time: the column's onupdate would set one the body does not show.
        flag_modified(action, "updated_at")
    body = _render_in_flush(connection, action, stored=True)
    if body != action.body:
        action.body = body
