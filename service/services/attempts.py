"""Contact attempts: what the job seeker did, and what it changes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from service.db import compiled
from service.db.base import built
from service.db.models import Attempt, Contact, NewsItem, Organization
from service.domain.model import (
    ContactStatus,
    Direction,
    OrganizationStatus,
    Outcome,
)
from service.services import events, next_actions
from service.services.errors import InvalidField
from service.services.records import (
    Page,
    apply_changes,
    check_version,
    get_owned,
    get_referenced,
    owned_select,
    paginate,
)

CLOCK_SKEW = timedelta(minutes=5)


def _check_references(session: Session, attempt: Attempt, now: datetime) -> None:
    if attempt.occurred_at > now + CLOCK_SKEW:
        raise InvalidField("occurred_at", "an attempt cannot happen in the future")
    referred = attempt.referred_to_contact_id
    if referred is not None:
        if attempt.outcome != Outcome.REFERRED:
            raise InvalidField("referred_to_contact_id", "only allowed with outcome 'referred'")
        target = get_referenced(
            session, Contact, attempt.account_id, referred, "referred_to_contact_id", "contact"
        )
        if target.organization_id != attempt.organization_id or target.id == attempt.contact_id:
            raise InvalidField(
                "referred_to_contact_id", "must be another contact at the same organization"
            )
    if attempt.news_id is not None:
        news = session.get(NewsItem, attempt.news_id)
        if news is None or news.organization_id != attempt.organization_id:
            raise InvalidField("news_id", "no news item with that id at this organization")


def _apply_outcome(
    session: Session, attempt: Attempt, now: datetime, outbox: list[events.Pending]
) -> Organization | None:
    """asked_to_stop and opening_discussed change the contact's and organization's status.

    Returns the organization when the outcome changed it.
    """
    if attempt.outcome == Outcome.ASKED_TO_STOP:
        contact = session.get(Contact, attempt.contact_id)
        if contact is not None and contact.status != ContactStatus.DO_NOT_CONTACT:
            contact.status = ContactStatus.DO_NOT_CONTACT
            contact.version += 1
    elif attempt.outcome == Outcome.OPENING_DISCUSSED:
        organization = session.get(Organization, attempt.organization_id)
        if organization is not None and organization.status not in (
            OrganizationStatus.OPENING,
            OrganizationStatus.HIRED,
        ):
            organization.status = OrganizationStatus.OPENING
            organization.version += 1
            organization.updated_at = now
            data = events.organization_data(organization)
            outbox.append(events.Pending(organization.account_id, "organization.opening", data))
            return organization
    return None


_contacts = Contact.__table__.c
_organizations = Organization.__table__.c
# The organization of the contact an attempt is logged with, in one statement built once.
_ORGANIZATION_OF_CONTACT = (
    select(_contacts.account_id.label("contact_account_id"), *_organizations)
    .join_from(
        Contact.__table__, Organization.__table__, _organizations.id == _contacts.organization_id
    )
    .where(_contacts.id == bindparam("contact"))
)
_INSERT_ATTEMPT = insert(Attempt.metadata.tables[Attempt.__tablename__])
_ATTEMPT_COLUMNS = tuple(Attempt.__table__.c.keys())


def log_attempt(
    session: Session, account_id: uuid.UUID, fields: Mapping[str, Any], *, now: datetime
) -> Attempt:
    """Record a contact attempt and apply what its outcome means.

    The common case (an attempt, the recomputed action, their events) is a few statements
    built once and run on the driver: the ORM's unit of work cost more than the SQL.
    """
    values = dict(fields)
    connection = session.connection()
    contact_id = values["contact_id"]
    found = compiled.execute(connection, _ORGANIZATION_OF_CONTACT, {"contact": contact_id})
    if not found or found[0].contact_account_id != account_id:
        raise InvalidField("contact_id", "no contact with that id in this account")
    organization: events.OrganizationRecord = found[0]
    values.setdefault("direction", Direction.OUTBOUND)
    if values.get("occurred_at") is None:
        values["occurred_at"] = now
    row = {name: None for name in _ATTEMPT_COLUMNS} | values
    row |= {
        "id": uuid.uuid4(),
        "account_id": account_id,
        "organization_id": organization.id,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    attempt = built(Attempt, row)
    _check_references(session, attempt, now)
    if attempt.next_action_id is not None:
        action = next_actions.fulfil(
            session, account_id, attempt.organization_id, attempt.next_action_id, now
        )
        # The action's script was used unless the client says otherwise: record its variant
        # and news item, so the next script differs and does not repeat the news.
        if attempt.script_variant is None:
            attempt.script_variant = action.script.get("variant")
        if attempt.news_id is None:
            attempt.news_id = action.news_id
    outbox: list[events.Pending] = []
    organization = _apply_outcome(session, attempt, now, outbox) or organization
    data = partial(events.attempt_data, attempt)
    outbox.append(events.Pending(account_id, "attempt.logged", data))
    # The plan counts the attempt before it is stored; one flush writes the recomputed action,
    # then the attempt and the events go in with their own inserts.
    next_actions.refresh(session, organization, now, touched=True, unsaved=attempt, outbox=outbox)
    session.flush()
    stored = {name: getattr(attempt, name) for name in _ATTEMPT_COLUMNS}
    compiled.insert_rows(connection, _INSERT_ATTEMPT, [stored])
    events.emit_many(session, outbox, now=now)
    return attempt


def _refresh(
    session: Session,
    attempt: Attempt,
    now: datetime,
    *,
    touched: bool,
    outbox: list[events.Pending] | None = None,
) -> None:
    organization = session.get_one(Organization, attempt.organization_id)
    outbox = [] if outbox is None else outbox
    next_actions.refresh(session, organization, now, touched=touched, outbox=outbox)
    events.emit_many(session, outbox, now=now)


def get_attempt(session: Session, account_id: uuid.UUID, attempt_id: uuid.UUID) -> Attempt:
    """One attempt of the account, or NotFound."""
    return get_owned(session, Attempt, account_id, attempt_id, "attempt")


def list_attempts(
    session: Session,
    account_id: uuid.UUID,
    *,
    organization_id: uuid.UUID | None,
    contact_id: uuid.UUID | None,
    limit: int,
    cursor: str | None,
) -> Page[Attempt]:
    """The account's attempts, newest first."""
    stmt = owned_select(Attempt, account_id)
    if organization_id is not None:
        stmt = stmt.where(Attempt.organization_id == organization_id)
    if contact_id is not None:
        stmt = stmt.where(Attempt.contact_id == contact_id)
    return paginate(
        session,
        stmt,
        Attempt.occurred_at,
        Attempt.id,
        limit=limit,
        cursor=cursor,
        descending=True,
    )


def update_attempt(
    session: Session,
    account_id: uuid.UUID,
    attempt_id: uuid.UUID,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    now: datetime,
) -> Attempt:
    """Apply a merge patch to an attempt."""
    attempt = get_attempt(session, account_id, attempt_id)
    check_version(attempt, expected_version)
    # Check the new references before anything reaches the database (a foreign key error
    # would say less than a 422 naming the field).
    with session.no_autoflush:
        changed = apply_changes(attempt, changes)
        if changed:
            _check_references(session, attempt, now)
    if changed:
        attempt.updated_at = now
        outbox: list[events.Pending] = []
        _apply_outcome(session, attempt, now, outbox)
        _refresh(session, attempt, now, touched=False, outbox=outbox)
    return attempt


def delete_attempt(
    session: Session,
    account_id: uuid.UUID,
    attempt_id: uuid.UUID,
    *,
    expected_version: int | None,
    now: datetime,
) -> Attempt:
    """Delete an attempt logged by mistake."""
    attempt = get_attempt(session, account_id, attempt_id)
    check_version(attempt, expected_version)
    session.delete(attempt)
    session.flush()
    _refresh(session, attempt, now, touched=False)
    return attempt
