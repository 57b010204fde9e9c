"""Contacts from a LinkedIn connections export: organizations found or added by company."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import Contact, Organization
from service.services import events, next_actions
from service.services.import_writes import Progress, chunks
from service.services.linkedin import SOURCE, Row, contact_values, read_rows


class RowRefused(Exception):
    """A row's fields that the API would refuse: (field, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


# Checks a row's fields as the API would (its schemas live above the services), returning them
# cleaned, with the company's name as `company`; raises RowRefused.
Check = Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass(frozen=True)
class Skipped:
    line: int
    name: str
    reason: str


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


def _company_key(name: str) -> str:
    return " ".join(name.casefold().split())


def import_connections(
    session: Session,
    account_id: uuid.UUID,
    data: bytes,
    *,
    check: Check,
    encoding: str = "utf-8",
    dry_run: bool,
    now: datetime,
    progress: Progress | None = None,
) -> ConnectionsImported:
    """Add the people of a LinkedIn connections export as contacts, their companies as
    organizations where none has the name (case aside); bad rows and people already in the
    account are reported, the others imported."""
    names, rows = read_rows(data, encoding)
    report = progress or (lambda _step, _done, _total: None)
    result = ConnectionsImported(dry_run=dry_run)
    organizations = _organizations_by_name(session, account_id)
    seen = _people(session, account_id)
    new: dict[str, Organization] = {}
    contacts: list[Contact] = []
    for done, row in enumerate(rows, 1):
        fields = _checked(row, check, names, result)
        report("rows", done, len(rows))
        if fields is None or _seen_before(row, fields, seen, result):
            continue
        company = fields.pop("company")
        key = _company_key(company)
        organization_id = organizations.get(key)
        if organization_id is None:
            if key not in new:
                new[key] = Organization(
                    id=uuid.uuid4(),
                    account_id=account_id,
                    name=company,
                    created_at=now,
                    updated_at=now,
                )
            organization_id = new[key].id
        contacts.append(
            Contact(
                account_id=account_id,
                organization_id=organization_id,
                created_at=now,
                updated_at=now,
                **fields,
            )
        )
    result.created = Created(len(new), len(contacts))
    result.new_organizations = [organization.name for organization in new.values()]
    if not dry_run and contacts:
        _write(session, list(new.values()), contacts, now, report)
    return result


def _checked(
    row: Row, check: Check, names: dict[str, str], result: ConnectionsImported
) -> dict[str, Any] | None:
    """The row's contact fields and company as the API checks them, or None (errors noted)."""
    values = contact_values(row)
    problems: dict[str, str] = {}
    if not values["name"]:
        problems["first_name"] = "no name: First Name and Last Name are both empty"
    if not values["company"]:
        problems["company"] = "no company: the organization is found or added by its name"
    try:
        fields = check(values)
    except RowRefused as exc:
        for name, message in exc.errors:
            problems.setdefault(SOURCE.get(name, name), message)
        fields = None
    for column, message in problems.items():
        result.errors.append(RowError(row.line, names.get(column, column), message))
    return None if problems else fields


@dataclass
class _People:
    """Who the account already has (and the file so far), by email and by profile URL."""

    emails: dict[str, int | None]
    urls: dict[str, int | None]


def _people(session: Session, account_id: uuid.UUID) -> _People:
    stmt = select(Contact.email, Contact.profile_url).where(Contact.account_id == account_id)
    people = _People({}, {})
    for email, url in session.execute(stmt):
        if (key := _email_key(email)) is not None:
            people.emails[key] = None
        if (key := _url_key(url)) is not None:
            people.urls[key] = None
    return people


def _seen_before(
    row: Row, fields: Mapping[str, Any], seen: _People, result: ConnectionsImported
) -> bool:
    """Whether the person is in the account or earlier in the file (then noted as skipped)."""
    keys = (
        ("email", seen.emails, _email_key(fields["email"])),
        ("profile URL", seen.urls, _url_key(fields["profile_url"])),
    )
    for what, known, key in keys:
        if key is not None and key in known:
            line = known[key]
            reason = (
                f"a contact with this {what} is already in your account"
                if line is None
                else f"the same {what} as line {line}"
            )
            result.skipped.append(Skipped(row.line, fields["name"], reason))
            return True
    for _, known, key in keys:
        if key is not None:
            known[key] = row.line
    return False


def _organizations_by_name(session: Session, account_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """The account's organizations by name, case aside (the oldest, of several with a name)."""
    stmt = (
        select(Organization.id, Organization.name)
        .where(Organization.account_id == account_id)
        .order_by(Organization.created_at.desc(), Organization.id.desc())
    )
    return {_company_key(row.name): row.id for row in session.execute(stmt)}


def _write(
    session: Session,
    new: list[Organization],
    contacts: list[Contact],
    now: datetime,
    report: Progress,
) -> None:
    """Add the organizations and contacts; every organization that got one is planned anew.

    The organizations that were there are locked first, in id order (the lock order).
    """
    added = {organization.id for organization in new}
    existing = sorted({c.organization_id for c in contacts} - added)
    locked: list[Organization] = []
    for chunk in chunks(existing):
        locked += session.scalars(
            select(Organization)
            .where(Organization.id.in_(chunk))
            .order_by(Organization.id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
    session.add_all(new)
    session.flush()
    session.add_all(contacts)
    session.flush()
    outbox: list[events.Pending] = []
    planned = sorted([*locked, *new], key=lambda organization: organization.id)
    for done, organization in enumerate(planned, 1):
        next_actions.refresh(session, organization, now, outbox=outbox)
        report("next actions", done, len(planned))
    events.emit_many(session, outbox, now=now)
