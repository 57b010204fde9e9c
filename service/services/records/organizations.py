"""Organizations and their news items."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from service.db.models import NewsItem, Organization
from service.domain.model import NewsTone, OrganizationStatus
from service.domain.slots import local_date
from service.services.accounts import settings
from service.services.errors import InvalidField, NotFound
from service.services.outbox import events, payloads
from service.services.planning import next_actions
from service.services.records.shared import (
    Page,
    apply_changes,
    check_version,
    get_owned,
    lock_organization,
    owned_select,
    paginate,
    read_owned,
)


def create_organization(
    session: Session, account_id: uuid.UUID, fields: Mapping[str, Any], *, now: datetime
) -> Organization:
    """Record an organization that said No (or, `watching`, one where you know people)."""
    _check_rejected_on(session, account_id, fields.get("rejected_on"), now)
    _check_watching(fields.get("status"), fields.get("rejected_on"), "rejected_on")
    if (
        fields.get("paused_reason") is not None
        and fields.get("status") != OrganizationStatus.PAUSED
    ):
        raise InvalidField("paused_reason", "only allowed with status 'paused'")
    organization = Organization(account_id=account_id, created_at=now, updated_at=now, **fields)
    session.add(organization)
    session.flush()
    next_actions.refresh(session, organization, now)
    return organization


def get_organization(
    session: Session, account_id: uuid.UUID, organization_id: uuid.UUID
) -> Organization:
    """One organization of the account, or NotFound."""
    return get_owned(session, Organization, account_id, organization_id, "organization")


def read_organization(
    session: Session, account_id: uuid.UUID, organization_id: uuid.UUID
) -> Row[Any]:
    """One organization of the account as its columns (to show it), or NotFound."""
    return read_owned(session, Organization, account_id, organization_id, "organization")


def list_organizations(
    session: Session,
    account_id: uuid.UUID,
    *,
    status: OrganizationStatus | None,
    q: str | None = None,
    limit: int,
    cursor: str | None,
) -> Page[Organization]:
    """The account's organizations, oldest first; `q` searches name and role applied."""
    stmt = owned_select(Organization, account_id)
    if status is not None:
        stmt = stmt.where(Organization.status == status)
    if q is not None:
        # Case-insensitive, with % _ and the escape character taken literally. PostgreSQL's
        # ILIKE folds every letter its LC_CTYPE knows (Zoë and ZOË under C.UTF-8 or
        # en_US.UTF-8, ASCII alone under C); SQLite's lower() folds ASCII letters only.
        stmt = stmt.where(
            Organization.name.icontains(q, autoescape=True)
            | Organization.role_applied.icontains(q, autoescape=True)
        )
    return paginate(
        session, stmt, Organization.created_at, Organization.id, limit=limit, cursor=cursor
    )


def update_organization(
    session: Session,
    account_id: uuid.UUID,
    organization_id: uuid.UUID,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    now: datetime,
) -> Organization:
    """Apply a merge patch to an organization; its next action follows."""
    organization = get_organization(session, account_id, organization_id)
    lock_organization(session, organization.id)
    check_version(organization, expected_version)
    _check_rejected_on(session, account_id, changes.get("rejected_on"), now)
    was = organization.status
    changes = _with_paused_reason(organization, _with_watching(organization, changes))
    if apply_changes(organization, changes):
        organization.updated_at = now
        session.flush()
        if organization.status == OrganizationStatus.OPENING != was:
            data = payloads.organization_data(organization)
            events.emit(session, account_id, "organization.opening", data, now=now)
        next_actions.refresh(session, organization, now)
    return organization


def _check_rejected_on(
    session: Session, account_id: uuid.UUID, rejected_on: date | None, now: datetime
) -> None:
    """A No cannot come after today, in the account's time zone."""
    if rejected_on is None:
        return
    today = local_date(now, settings.account_zone(session, account_id))
    if rejected_on > today:
        raise InvalidField("rejected_on", f"cannot be after today ({today.isoformat()})")


# R17: `watching` means nobody has said no, so it has no `rejected_on`.
WATCHING_REFUSES = {
    "rejected_on": "not allowed with status 'watching' (nobody has said no there); a No is "
    "status 'nurturing'",
    "status": "'watching' is for an organization where nobody has said no: set rejected_on "
    "to null with it",
}


def _check_watching(status: OrganizationStatus | None, rejected_on: date | None, name: str) -> None:
    if status == OrganizationStatus.WATCHING and rejected_on is not None:
        raise InvalidField(name, WATCHING_REFUSES[name])


def _with_watching(organization: Organization, changes: Mapping[str, Any]) -> Mapping[str, Any]:
    """The patch, with a watching organization given a `rejected_on` moved to nurturing (R17).

    A `watching` status given with a No (in the patch, or stored) contradicts it: refused.
    """
    rejected_on = changes.get("rejected_on", organization.rejected_on)
    if "status" in changes:
        field = "rejected_on" if "rejected_on" in changes else "status"
        _check_watching(changes["status"], rejected_on, field)
        return changes
    if organization.status == OrganizationStatus.WATCHING and rejected_on is not None:
        return {**changes, "status": OrganizationStatus.NURTURING}
    return changes


def _with_paused_reason(organization: Organization, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The patch, with paused_reason cleared when the status leaves paused (R14).

    A reason for an organization that is not (or no longer) paused contradicts its status.
    """
    status = changes.get("status", organization.status)
    if status == OrganizationStatus.PAUSED:
        return dict(changes)
    if changes.get("paused_reason") is not None:
        raise InvalidField("paused_reason", "only allowed while the status is 'paused'")
    return {**changes, "paused_reason": None}


def delete_organization(
    session: Session,
    account_id: uuid.UUID,
    organization_id: uuid.UUID,
    *,
    expected_version: int | None,
    now: datetime,
) -> None:
    """Delete an organization with its contacts, attempts, news and next actions."""
    organization = get_organization(session, account_id, organization_id)
    lock_organization(session, organization.id)
    check_version(organization, expected_version)
    next_actions.cancel_open(session, organization.id, now)
    session.delete(organization)
    session.flush()


def add_news(
    session: Session,
    account_id: uuid.UUID,
    organization_id: uuid.UUID,
    *,
    headline: str,
    url: str | None,
    noticed_on: date,
    tone: NewsTone = NewsTone.POSITIVE,
    summary: str | None = None,
    now: datetime,
) -> NewsItem:
    """Note something the organization announced, to mention in the next touch."""
    organization = get_organization(session, account_id, organization_id)
    lock_organization(session, organization.id)
    item = NewsItem(
        account_id=account_id,
        organization_id=organization_id,
        headline=headline,
        url=url,
        noticed_on=noticed_on,
        tone=tone,
        summary=summary,
        created_at=now,
        updated_at=now,
    )
    session.add(item)
    session.flush()
    next_actions.refresh(session, organization, now)
    return item


def list_news(
    session: Session,
    account_id: uuid.UUID,
    organization_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None,
) -> Page[NewsItem]:
    """An organization's news items, in the order they were added."""
    get_organization(session, account_id, organization_id)
    stmt = owned_select(NewsItem, account_id).where(NewsItem.organization_id == organization_id)
    return paginate(session, stmt, NewsItem.created_at, NewsItem.id, limit=limit, cursor=cursor)


def get_news(
    session: Session, account_id: uuid.UUID, organization_id: uuid.UUID, news_id: uuid.UUID
) -> NewsItem:
    """One news item of an organization, or NotFound."""
    item = get_owned(session, NewsItem, account_id, news_id, "news item")
    if item.organization_id != organization_id:
        raise NotFound("news item")
    return item


def delete_news(
    session: Session,
    account_id: uuid.UUID,
    organization_id: uuid.UUID,
    news_id: uuid.UUID,
    *,
    now: datetime,
) -> None:
    """Forget a news item; the next script no longer mentions it."""
    lock_organization(session, organization_id)
    session.delete(get_news(session, account_id, organization_id, news_id))
    session.flush()
    next_actions.refresh(session, get_organization(session, account_id, organization_id), now)
