"""Contact attempts: what the job seeker did, and what it changes."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.orm import Session

from service.db.models import Attempt, Contact, NewsItem, Organization
from service.domain.cadence import is_unanswered
from service.domain.channels import CHANNELS_OF_OUTCOME
from service.domain.model import (
    ContactRole,
    ContactStatus,
    Direction,
    OrganizationStatus,
    Outcome,
)
from service.domain.slots import local_date
from service.domain.wording import sentences
from service.services.accounts import settings
from service.services.errors import InvalidField
from service.services.outbox import events, payloads
from service.services.planning import next_actions
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

CLOCK_SKEW = timedelta(minutes=5)


# The channels each outcome fits: a voicemail is left on a call or as one, nobody answers
# anything but a call, and only what is written or recorded is sent.
# Said when the hiring manager asks you to stop (R14): the organization is paused.
def _check_attempt(
    session: Session, attempt: Attempt, now: datetime, changed: Collection[str] = ()
) -> None:
    """Refuse an attempt whose fields contradict each other, naming the field (a 422).

    `changed` are the fields a patch changed: a contradiction it made names one of them.
    """
    if attempt.occurred_at > now + CLOCK_SKEW:
        raise InvalidField("occurred_at", "an attempt cannot happen in the future")
    fits = CHANNELS_OF_OUTCOME.get(Outcome(attempt.outcome)) if attempt.outcome else None
    if fits is not None and attempt.channel not in fits:
        field = "channel" if "channel" in changed and "outcome" not in changed else "outcome"
        *others, last = sorted(fits)
        allowed = f"{', '.join(others)} or {last}" if others else last
        raise InvalidField(field, f"'{attempt.outcome}' only fits channel {allowed}")
    _check_referral(session, attempt)
    if attempt.follow_up_channel is not None and attempt.follow_up_on is None:
        raise InvalidField("follow_up_channel", "only allowed with follow_up_on")
    if attempt.follow_up_on is not None:
        day = local_date(attempt.occurred_at, settings.account_zone(session, attempt.account_id))
        if attempt.follow_up_on < day:
            moved = "occurred_at" in changed and "follow_up_on" not in changed
            field = "occurred_at" if moved else "follow_up_on"
            raise InvalidField(field, f"follow_up_on cannot be before the attempt ({day})")
    if attempt.news_id is not None:
        news = session.get(NewsItem, attempt.news_id)
        if news is None or news.organization_id != attempt.organization_id:
            raise InvalidField("news_id", "no news item with that id at this organization")


def _check_referral(session: Session, attempt: Attempt) -> None:
    referred = attempt.referred_to_contact_id
    if referred is None:
        if attempt.outcome == Outcome.REFERRED:
            raise InvalidField(
                "referred_to_contact_id", "required with outcome 'referred': who they named"
            )
        return
    if attempt.outcome != Outcome.REFERRED:
        raise InvalidField("referred_to_contact_id", "only allowed with outcome 'referred'")
    target = get_referenced(
        session, Contact, attempt.account_id, referred, "referred_to_contact_id", "contact"
    )
    if target.organization_id != attempt.organization_id or target.id == attempt.contact_id:
        raise InvalidField(
            "referred_to_contact_id", "must be another contact at the same organization"
        )


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
        if contact is not None and contact.role == ContactRole.HIRING_MANAGER:
            return _pause(session, attempt, contact, now)
    elif attempt.outcome == Outcome.OPENING_DISCUSSED:
        organization = session.get(Organization, attempt.organization_id)
        if organization is not None and organization.status not in (
            OrganizationStatus.OPENING,
            OrganizationStatus.HIRED,
        ):
            organization.status = OrganizationStatus.OPENING
            organization.version += 1
            organization.updated_at = now
            data = payloads.organization_data(organization)
            outbox.append(events.Pending(organization.account_id, "organization.opening", data))
            return organization
    return None


def _pause(
    session: Session, attempt: Attempt, contact: Contact, now: datetime
) -> Organization | None:
    """R14: you do not go around a hiring manager who asked you to stop."""
    organization = session.get_one(Organization, attempt.organization_id)
    if organization.status in (OrganizationStatus.HIRED, OrganizationStatus.CLOSED):
        return None
    if organization.status == OrganizationStatus.PAUSED and organization.paused_reason:
        return None  # already paused, for a reason the user gave
    day = local_date(attempt.occurred_at, settings.account_zone(session, attempt.account_id))
    organization.status = OrganizationStatus.PAUSED
    reason = sentences.PAUSED_BY_HIRING_MANAGER.format(name=contact.name, day=day.isoformat())
    organization.paused_reason = reason
    organization.version += 1
    organization.updated_at = now
    return organization


_contacts = Contact.__table__.c
_organizations = Organization.__table__.c
# The organization of the contact an attempt is logged with, in one statement built once.
_ORGANIZATION_OF_CONTACT = (
    select(_contacts.account_id.label("contact_account_id"), *_organizations)
    .join_from(
        Contact.__table__, Organization.__table__, _organizations.id == _contacts.organization_id
    )
    .where(_contacts.id == bindparam("contact"))
    .with_for_update(of=Organization.__table__, key_share=True)  # shared.lock_organization
)
_ATTEMPT_COLUMNS = tuple(Attempt.__table__.c.keys())
_INSERT_ATTEMPT = insert(Attempt.metadata.tables[Attempt.__tablename__])


def log_attempt(
    session: Session, account_id: uuid.UUID, fields: Mapping[str, Any], *, now: datetime
) -> Attempt:
    """Record a contact attempt and apply what its outcome means.

    The plan counts the attempt before it is stored; it is stored last. The Attempt returned
    is not in the session.
    """
    values = dict(fields)
    contact_id = values["contact_id"]
    found = session.execute(_ORGANIZATION_OF_CONTACT, {"contact": contact_id}).first()
    if found is None or found.contact_account_id != account_id:
        raise InvalidField("contact_id", "no contact with that id in this account")
    organization: payloads.OrganizationRecord = found
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
    attempt = Attempt(**row)
    _check_attempt(session, attempt, now)
    if attempt.next_action_id is not None and is_unanswered(attempt):
        # Nobody answered: the action was not done, it stays open and is re-planned (R15).
        next_actions.attempted(session, account_id, attempt.organization_id, attempt.next_action_id)
    elif attempt.next_action_id is not None:
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
    data = partial(payloads.attempt_data, attempt)
    outbox.append(events.Pending(account_id, "attempt.logged", data))
    next_actions.refresh(session, organization, now, touched=True, unsaved=attempt, outbox=outbox)
    # Stored as a row, not through the unit of work: nothing in this request changes it again.
    session.execute(_INSERT_ATTEMPT, {name: getattr(attempt, name) for name in _ATTEMPT_COLUMNS})
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


def read_attempt(session: Session, account_id: uuid.UUID, attempt_id: uuid.UUID) -> Row[Any]:
    """One attempt of the account as its columns (to show it), or NotFound."""
    return read_owned(session, Attempt, account_id, attempt_id, "attempt")


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
    lock_organization(session, attempt.organization_id)
    check_version(attempt, expected_version)
    changed = {name for name, value in changes.items() if getattr(attempt, name) != value}
    # Check the merged attempt before anything reaches the database (a foreign key error
    # would say less than a 422 naming the field); a refused patch is rolled back whole.
    with session.no_autoflush:
        apply_changes(attempt, changes)
        if changed:
            _check_attempt(session, attempt, now, changed)
    if changed:
        attempt.updated_at = now
        outbox: list[events.Pending] = []
        # Only a new outcome acts again: editing the notes of an old asked_to_stop must not
        # pause an organization the user has since resumed.
        if "outcome" in changed:
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
    lock_organization(session, attempt.organization_id)
    check_version(attempt, expected_version)
    session.delete(attempt)
    session.flush()
    _refresh(session, attempt, now, touched=False)
    return attempt
