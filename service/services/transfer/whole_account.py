"""Export and import of a whole account: every record as one document, taken in all or nothing."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from service.db.base import Base
from service.db.cadence import AccountSettings, NextAction, Profile
from service.db.models import Account, Attempt, Contact, NewsItem, Organization
from service.db.outbox import WebhookEndpoint
from service.domain.slots import resolve_zone
from service.services.accounts import profile, settings
from service.services.errors import Conflict, InvalidField
from service.services.outbox.webhooks import MAX_ENDPOINTS
from service.services.records.shared import owned_select
from service.services.transfer.checks import (
    IdsInUse,
    InvalidRecords,
    RecordError,
    Records,
    check_records,
    dropped_references,
    records_of,
)
from service.services.transfer.writes import (
    Ids,
    Progress,
    chunks,
    plan_organizations,
    write_records,
)

M = TypeVar("M", bound=Base)


@dataclass(frozen=True)
class AccountRecords:
    """Every record of an account, oldest first (attempts by when they happened)."""

    profile: Profile
    settings: AccountSettings
    organizations: Sequence[Organization]
    news: Sequence[NewsItem]
    contacts: Sequence[Contact]
    attempts: Sequence[Attempt]
    next_actions: Sequence[NextAction]
    webhooks: Sequence[WebhookEndpoint]


def export_account(session: Session, account_id: uuid.UUID) -> AccountRecords:
    """Every record of the account, none of them naming a record left out.

    PostgreSQL reads each statement anew, so a record written between two reads could name
    one the export does not hold: each kind is read after the kinds it names, and keeps only
    the rows whose references were read (as if exported a moment earlier).
    """
    organizations = _owned(
        session, Organization, account_id, Organization.created_at, Organization.id
    )
    organization_ids = {row.id for row in organizations}
    news = [
        row
        for row in _owned(session, NewsItem, account_id, NewsItem.created_at, NewsItem.id)
        if row.organization_id in organization_ids
    ]
    contacts = [
        row
        for row in _owned(session, Contact, account_id, Contact.created_at, Contact.id)
        if row.organization_id in organization_ids
    ]
    contact_ids = {row.id for row in contacts} | {None}
    news_ids = {row.id for row in news} | {None}
    attempts = [
        row
        for row in _owned(session, Attempt, account_id, Attempt.occurred_at, Attempt.id)
        if {row.contact_id, row.referred_to_contact_id} <= contact_ids and row.news_id in news_ids
    ]
    actions = [
        row
        for row in _owned(session, NextAction, account_id, NextAction.created_at, NextAction.id)
        if row.contact_id in contact_ids
    ]
    return AccountRecords(
        profile=profile.load_profile(session, account_id),
        settings=settings.load_settings(session, account_id),
        organizations=organizations,
        news=news,
        contacts=contacts,
        attempts=attempts,
        next_actions=actions,
        webhooks=_owned(
            session, WebhookEndpoint, account_id, WebhookEndpoint.created_at, WebhookEndpoint.id
        ),
    )


def _owned(
    session: Session, model: type[M], account_id: uuid.UUID, *order: InstrumentedAttribute[Any]
) -> list[M]:
    return list(session.scalars(owned_select(model, account_id).order_by(*order)))


@dataclass(frozen=True)
class Counts:
    """How many records an import took in (or, in a dry run, would have)."""

    organizations: int
    news: int
    contacts: int
    attempts: int
    next_actions: int
    webhooks: int


@dataclass(frozen=True)
class Imported:
    """What an import did: its counts, and the references it dropped (each by its path)."""

    counts: Counts
    dropped: list[RecordError]


def account_by_email(session: Session, email: str) -> uuid.UUID | None:
    """The id of the account with this email (None when there is none)."""
    return session.scalar(select(Account.id).where(Account.email == email.strip().lower()))


def import_account(
    session: Session,
    account_id: uuid.UUID,
    document: Mapping[str, Any],
    *,
    new_ids: bool,
    dry_run: bool,
    now: datetime,
    progress: Progress | None = None,
) -> Imported:
    """Take an exported document into the account: every record, or none.

    `document` holds the records' fields, as checked by the API's schemas, and the settings
    and profile as merge patches. Raises InvalidRecords (a rule between records is broken),
    IdsInUse (ids are kept and some are taken) or Conflict (too many webhooks) before
    anything is written. The writes happen in a savepoint, rolled back by an error (settings
    PATCH /v1/settings would refuse: InvalidRecords) and by a dry run.

    A reference to a record the document does not hold is dropped (null) and reported; a kept
    id that a record of another account has is given a new one, as with `new_ids`.
    """
    records = records_of(document)
    timezone = document["settings"].get("timezone")
    zone = resolve_zone(timezone, settings.account_zone(session, account_id).key)
    check_records(records, now=now, zone=zone)
    foreign = {} if new_ids else _foreign_ids(session, account_id, records)
    if records.webhooks:
        _check_room_for_webhooks(session, account_id, len(records.webhooks))
    report = progress or (lambda _step, _done, _total: None)
    savepoint = session.begin_nested()
    try:
        _apply_settings(session, account_id, document, now)
        written = write_records(
            session, account_id, records, Ids(records, new=new_ids, foreign=foreign), now, report
        )
        plan_organizations(session, account_id, written, now, report)
    except BaseException:
        savepoint.rollback()
        raise
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    counts = Counts(**{kind: len(rows) for kind, rows in records.kinds().items()})
    return Imported(counts, dropped_references(records))


_IDS: dict[str, InstrumentedAttribute[uuid.UUID]] = {
    "organizations": Organization.id,
    "news": NewsItem.id,
    "contacts": Contact.id,
    "attempts": Attempt.id,
    "next_actions": NextAction.id,
    "webhooks": WebhookEndpoint.id,
}


def _foreign_ids(
    session: Session, account_id: uuid.UUID, records: Records
) -> dict[str, set[uuid.UUID]]:
    """The kept ids that records of another account have, by kind (they get new ones).

    Raises IdsInUse naming every record whose id a record of this account already has.
    """
    errors: list[RecordError] = []
    foreign: dict[str, set[uuid.UUID]] = {}
    for kind, listed in records.kinds().items():
        column, owner = _IDS[kind], _IDS[kind].class_.account_id
        mine: set[uuid.UUID] = set()
        theirs: set[uuid.UUID] = set()
        for chunk in chunks([record.id for record in listed]):
            for found, account in session.execute(select(column, owner).where(column.in_(chunk))):
                (mine if account == account_id else theirs).add(found)
        errors += [
            RecordError(f"{record.path}.id", "this id is already in use in your account")
            for record in listed
            if record.id in mine
        ]
        foreign[kind] = theirs
    if errors:
        raise IdsInUse(errors)
    return foreign


def _check_room_for_webhooks(session: Session, account_id: uuid.UUID, adding: int) -> None:
    # The account's row lock puts this in line with webhook creations, as they do.
    session.get_one(Account, account_id, with_for_update=True)
    count = select(func.count()).where(WebhookEndpoint.account_id == account_id)
    have = session.scalar(count) or 0
    if have + adding > MAX_ENDPOINTS:
        raise Conflict(
            f"An account has at most {MAX_ENDPOINTS} webhooks; this one has {have} and the "
            f"document {adding}. Delete some first."
        )


def _apply_settings(
    session: Session, account_id: uuid.UUID, document: Mapping[str, Any], now: datetime
) -> None:
    """The document's settings and profile, applied as the API's PATCH applies them."""
    changes, named = document["settings"], document["profile"]
    try:
        if changes:
            settings.update_settings(session, account_id, changes, expected_version=None, now=now)
    except InvalidField as exc:
        raise InvalidRecords([RecordError(f"settings.{exc.field}", exc.message)]) from exc
    if named:
        profile.update_profile(session, account_id, named, expected_version=None, now=now)
