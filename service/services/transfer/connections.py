"""Contacts from a LinkedIn connections export: people, not rejections (R17).

A row's company is found among the account's organizations by name (case and spacing aside;
of several, the one spelled alike, else the one with most contacts) or added as a `watching`
organization; a person already in the account (by email, profile URL, or name at the same
organization) or earlier in the file is skipped, saying who and why.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from service.db.models import Contact, Organization
from service.domain.model import OrganizationStatus
from service.services.outbox import events
from service.services.planning import next_actions
from service.services.transfer.linkedin import CheckedRows, Person, RowError
from service.services.transfer.writes import Progress, chunks

# Why a row is skipped, in the report's words.
ALREADY_THERE = "{name} at {organization} is already in your account (the same {what})"
SAME_AS_LINE = "the same {what} as line {line}"


@dataclass(frozen=True)
class Skipped:
    line: int
    name: str
    reason: str
    contact_id: uuid.UUID | None  # the contact already in the account; None: an earlier line


@dataclass(frozen=True)
class Added:
    line: int
    name: str
    organization: str
    organization_id: uuid.UUID | None  # None: an organization a dry run would add
    new_organization: bool


@dataclass(frozen=True)
class Created:
    organizations: int
    contacts: int


@dataclass
class ConnectionsImported:
    """What an import of connections did (or, in a dry run, would do)."""

    dry_run: bool
    created: Created = field(default_factory=lambda: Created(0, 0))
    new_organizations: list[str] = field(default_factory=list)
    added: list[Added] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _email_key(email: str | None) -> str | None:
    return email.strip().casefold() if email else None


def _url_key(url: str | None) -> str | None:
    """A profile URL as compared: no scheme, www., query, fragment or trailing slash."""
    if not url:
        return None
    bare = re.sub(r"^[a-z]+://(www\.)?", "", url.strip().casefold())
    return re.split(r"[?#]", bare, maxsplit=1)[0].rstrip("/")


def _words_key(name: str) -> str:
    """A company's or a person's name as compared: case and spacing aside."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class _Known:
    """Someone a row may be: a contact of the account, or an earlier line of the file."""

    name: str
    organization: str
    contact_id: uuid.UUID | None = None
    line: int | None = None


# An organization as rows name it: its id, or for one the file adds, its company's key.
Where = uuid.UUID | str


@dataclass
class _People:
    """Who the account has, and the file so far: by email, profile URL, and name at a place."""

    emails: dict[str, _Known] = field(default_factory=dict)
    urls: dict[str, _Known] = field(default_factory=dict)
    names: dict[tuple[Where, str], _Known] = field(default_factory=dict)

    def keys(
        self, fields: Mapping[str, Any], where: Where
    ) -> list[tuple[str, dict[Any, _Known], Any]]:
        return [
            ("email", self.emails, _email_key(fields["email"])),
            ("profile URL", self.urls, _url_key(fields["profile_url"])),
            ("name at the same company", self.names, (where, _words_key(fields["name"]))),
        ]

    def add(self, fields: Mapping[str, Any], where: Where, known: _Known) -> None:
        for _, listed, key in self.keys(fields, where):
            if key is not None:
                listed.setdefault(key, known)

    def skipped(self, person: Person, where: Where) -> Skipped | None:
        """The row skipped, saying who it is and why; None when nobody matches."""
        for what, listed, key in self.keys(person.fields, where):
            known = listed.get(key) if key is not None else None
            if known is None:
                continue
            if known.line is not None:
                reason = SAME_AS_LINE.format(what=what, line=known.line)
            else:
                reason = ALREADY_THERE.format(
                    name=known.name, organization=known.organization, what=what
                )
            return Skipped(person.line, person.fields["name"], reason, known.contact_id)
        return None


def _people(session: Session, account_id: uuid.UUID) -> _People:
    stmt = (
        select(
            Contact.id,
            Contact.name,
            Contact.email,
            Contact.profile_url,
            Contact.organization_id,
            Organization.name.label("organization"),
        )
        .join(Organization, Organization.id == Contact.organization_id)
        .where(Contact.account_id == account_id)
        .order_by(Contact.created_at, Contact.id)
    )
    people = _People()
    for row in session.execute(stmt).mappings():
        known = _Known(row["name"], row["organization"], row["id"])
        people.add(dict(row), row["organization_id"], known)
    return people


def import_connections(
    session: Session,
    account_id: uuid.UUID,
    rows: CheckedRows,
    *,
    dry_run: bool,
    now: datetime,
    progress: Progress | None = None,
) -> ConnectionsImported:
    """Add the people of a checked connections export as contacts, their companies as
    `watching` organizations where none has the name; people already there are reported.

    A dry run only reads (no write lock): rows are read and checked before (check_rows).
    """
    report = progress or (lambda _step, _done, _total: None)
    result = ConnectionsImported(dry_run=dry_run, errors=list(rows.errors))
    organizations = _organizations_by_name(session, account_id)
    people = _people(session, account_id)
    new: dict[str, dict[str, Any]] = {}
    contacts: list[dict[str, Any]] = []
    for person in rows.people:
        key = _words_key(person.company)
        candidates = organizations.get(key, [])
        found = _pick(candidates, person.company)
        where: Where = found[0] if found else key
        # The same name at a namesake spelled otherwise ("ACME", "Acme") is the same person.
        places = [where, *(candidate.id for candidate in candidates if candidate != found)]
        skipped = next(filter(None, (people.skipped(person, place) for place in places)), None)
        if skipped is not None:
            result.skipped.append(skipped)
            continue
        if found is None and key not in new:
            new[key] = {
                "id": uuid.uuid4(),
                "account_id": account_id,
                "name": person.company,
                "status": OrganizationStatus.WATCHING,
                "created_at": now,
                "updated_at": now,
            }
        organization_id, name = found or (new[key]["id"], new[key]["name"])
        people.add(person.fields, where, _Known(person.fields["name"], name, line=person.line))
        contacts.append(
            person.fields
            | {
                "id": uuid.uuid4(),
                "account_id": account_id,
                "organization_id": organization_id,
                "created_at": now,
                "updated_at": now,
            }
        )
        shown = None if dry_run and found is None else organization_id
        result.added.append(Added(person.line, person.fields["name"], name, shown, found is None))
    result.created = Created(len(new), len(contacts))
    result.new_organizations = [organization["name"] for organization in new.values()]
    if not dry_run and contacts:
        _write(session, list(new.values()), contacts, now, report)
    return result


class _Named(NamedTuple):
    id: uuid.UUID
    name: str


def _organizations_by_name(session: Session, account_id: uuid.UUID) -> dict[str, list[_Named]]:
    """The account's organizations by name, case and spacing aside: those whose names differ
    only so, the one with most contacts first (then the oldest)."""
    contacts = func.count(Contact.id)
    stmt = (
        select(Organization.id, Organization.name)
        .outerjoin(Contact, Contact.organization_id == Organization.id)
        .where(Organization.account_id == account_id)
        .group_by(Organization.id, Organization.name, Organization.created_at)
        .order_by(contacts.desc(), Organization.created_at, Organization.id)
    )
    named: dict[str, list[_Named]] = {}
    for row in session.execute(stmt):
        named.setdefault(_words_key(row.name), []).append(_Named(row.id, row.name))
    return named


def _pick(candidates: list[_Named] | None, company: str) -> _Named | None:
    """The organization a row's company names: the one spelled the same (spacing aside),
    else the one with most contacts."""
    if not candidates:
        return None
    spelled = " ".join(company.split())
    exact = (candidate for candidate in candidates if " ".join(candidate.name.split()) == spelled)
    return next(exact, candidates[0])


def _write(
    session: Session,
    new: list[dict[str, Any]],
    contacts: list[dict[str, Any]],
    now: datetime,
    report: Progress,
) -> None:
    """Add the organizations and contacts (bulk inserts: no object per row, so the write
    transaction stays short); the organizations that were there are planned anew.

    They are locked first, in id order (the lock order). The new ones are `watching`: no plan.
    """
    added = {organization["id"] for organization in new}
    existing = sorted({contact["organization_id"] for contact in contacts} - added)
    locked: list[Organization] = []
    for chunk in chunks(existing):
        locked += session.scalars(
            select(Organization)
            .where(Organization.id.in_(chunk))
            .order_by(Organization.id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
    if new:
        session.execute(insert(Organization), new)
    session.execute(insert(Contact), contacts)
    outbox: list[events.Pending] = []
    for done, organization in enumerate(locked, 1):
        next_actions.refresh(session, organization, now, outbox=outbox)
        report("next actions", done, len(locked))
    events.emit_many(session, outbox, now=now)
