"""Contacts: the people at an organization."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Row, exists, select
from sqlalchemy.orm import Session

from service.db.models import Attempt, Contact, Organization
from service.domain.model import ContactRole, ContactStatus, Outcome
from service.services.errors import Conflict
from service.services.planning import next_actions
from service.services.records.organizations import get_organization
from service.services.records.shared import (
    Page,
    apply_changes,
    check_version,
    get_owned,
    get_referenced,
    lock_organization,
    owned_select,
    paginate,
    read_owned,
)


def create_contact(
    session: Session, account_id: uuid.UUID, fields: Mapping[str, Any], *, now: datetime
) -> Contact:
    """Add a person at one of the account's organizations."""
    organization = get_referenced(
        session,
        Organization,
        account_id,
        fields["organization_id"],
        "organization_id",
        "organization",
    )
    lock_organization(session, organization.id)
    contact = Contact(account_id=account_id, created_at=now, updated_at=now, **fields)
    session.add(contact)
    session.flush()
    next_actions.refresh(session, organization, now)
    return contact


def get_contact(session: Session, account_id: uuid.UUID, contact_id: uuid.UUID) -> Contact:
    """One contact of the account, or NotFound."""
    return get_owned(session, Contact, account_id, contact_id, "contact")


def read_contact(session: Session, account_id: uuid.UUID, contact_id: uuid.UUID) -> Row[Any]:
    """One contact of the account as its columns (to show it), or NotFound."""
    return read_owned(session, Contact, account_id, contact_id, "contact")


def list_contacts(
    session: Session,
    account_id: uuid.UUID,
    *,
    organization_id: uuid.UUID | None,
    role: ContactRole | None,
    status: ContactStatus | None,
    q: str | None = None,
    limit: int,
    cursor: str | None,
) -> Page[Contact]:
    """The account's contacts, oldest first, filtered; `q` searches name, email and title."""
    stmt = owned_select(Contact, account_id)
    if organization_id is not None:
        stmt = stmt.where(Contact.organization_id == organization_id)
    if role is not None:
        stmt = stmt.where(Contact.role == role)
    if status is not None:
        stmt = stmt.where(Contact.status == status)
    if q is not None:
        # As for organizations: case-insensitive as far as the database folds letters,
        # with % _ and the escape character taken literally.
        stmt = stmt.where(
            Contact.name.icontains(q, autoescape=True)
            | Contact.email.icontains(q, autoescape=True)
            | Contact.title.icontains(q, autoescape=True)
        )
    return paginate(session, stmt, Contact.created_at, Contact.id, limit=limit, cursor=cursor)


def asked_to_stop(session: Session, contact_id: uuid.UUID) -> bool:
    """Whether this person asked not to be contacted again."""
    stmt = select(
        exists().where(Attempt.contact_id == contact_id, Attempt.outcome == Outcome.ASKED_TO_STOP)
    )
    return bool(session.scalar(stmt))


def update_contact(
    session: Session,
    account_id: uuid.UUID,
    contact_id: uuid.UUID,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    now: datetime,
) -> Contact:
    """Apply a merge patch to a contact; a request to stop is honoured for good."""
    contact = get_contact(session, account_id, contact_id)
    lock_organization(session, contact.organization_id)
    check_version(contact, expected_version)
    new_status = changes.get("status", contact.status)
    if new_status != ContactStatus.DO_NOT_CONTACT and asked_to_stop(session, contact.id):
        raise Conflict(
            f"{contact.name} asked not to be contacted again; the status stays do_not_contact."
        )
    details = _details(contact)
    if apply_changes(contact, changes):
        contact.updated_at = now
        session.flush()
        _refresh(session, account_id, contact, now)
        if _details(contact) != details:
            # The plan may not change with an address, but the actions' links do.
            next_actions.rerender(session, contact)
    return contact


def _details(contact: Contact) -> tuple[str | None, ...]:
    """What an action's links are made of."""
    return contact.email, contact.phone, contact.profile_url


def _refresh(session: Session, account_id: uuid.UUID, contact: Contact, now: datetime) -> None:
    organization = get_organization(session, account_id, contact.organization_id)
    next_actions.refresh(session, organization, now)


def delete_contact(
    session: Session,
    account_id: uuid.UUID,
    contact_id: uuid.UUID,
    *,
    expected_version: int | None,
    now: datetime,
) -> Contact:
    """Delete a contact and the attempts made with them; the next action follows."""
    contact = get_contact(session, account_id, contact_id)
    lock_organization(session, contact.organization_id)
    check_version(contact, expected_version)
    # Tell calendars first: the action goes with the contact (foreign key cascade).
    next_actions.cancel_open(session, contact.organization_id, now, contact_id=contact.id)
    session.delete(contact)
    session.flush()
    _refresh(session, account_id, contact, now)
    return contact
