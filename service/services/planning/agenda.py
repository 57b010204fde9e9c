"""The agenda: the open next actions of the coming days, and the organizations that need you."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, bindparam, exists, or_, select
from sqlalchemy.orm import Session

from service.db.cadence import NextAction
from service.db.models import Contact, Organization
from service.domain.model import OPEN_STATES, ContactRole, ContactStatus, OrganizationStatus
from service.domain.slots import as_utc
from service.services.accounts.settings import account_zone


class AttentionProblem(StrEnum):
    """Why an organization needs the user, from the most specific."""

    PAUSED = "paused"
    NO_CONTACTS = "no_contacts"
    ONLY_RECRUITERS = "only_recruiters"
    NO_PLAN = "no_plan"


@dataclass(frozen=True)
class Counts:
    overdue: int
    today: int
    upcoming: int


@dataclass(frozen=True)
class Attention:
    organization_id: uuid.UUID
    name: str
    problem: AttentionProblem


@dataclass(frozen=True)
class Agenda:
    now: datetime
    counts: Counts
    items: list[dict[str, Any]]
    attention: list[Attention]


_actions = NextAction.__table__.c
_contacts = Contact.__table__.c
_organizations = Organization.__table__.c
_ACCOUNT: BindParameter[uuid.UUID] = bindparam("account")
_ITEMS = (
    select(
        _actions.id,
        _actions.body,
        _actions.due_at,
        _organizations.id.label("organization_id"),
        _organizations.name.label("organization_name"),
        _organizations.status.label("organization_status"),
        _contacts.id.label("contact_id"),
        _contacts.name.label("contact_name"),
        _contacts.role,
        _contacts.email,
        _contacts.phone,
        _contacts.profile_url,
        _contacts.timezone,
    )
    .join_from(
        NextAction.__table__, Organization.__table__, _organizations.id == _actions.organization_id
    )
    .join_from(NextAction.__table__, Contact.__table__, _contacts.id == _actions.contact_id)
    .where(
        _actions.account_id == _ACCOUNT,
        _actions.state.in_(OPEN_STATES),
        _actions.due_at < bindparam("horizon"),
    )
    .order_by(_actions.due_at, _actions.id)
)

_RECRUITERS = (ContactRole.RECRUITER, ContactRole.HR)
_of_organization = _contacts.organization_id == _organizations.id
_active = _contacts.status == ContactStatus.ACTIVE
_has_contacts = exists().where(_of_organization)
# As the cadence sees them: an active contact other than a recruiter or HR is someone to reach.
_has_lead = exists().where(_of_organization, _active, _contacts.role.not_in(_RECRUITERS))
_has_recruiters = exists().where(_of_organization, _active, _contacts.role.in_(_RECRUITERS))
_planned = exists().where(
    _actions.organization_id == _organizations.id, _actions.state.in_(OPEN_STATES)
)
_PLANNED_STATUSES = (OrganizationStatus.NURTURING, OrganizationStatus.OPENING)
# One statement whatever the number of organizations: the database answers each question
# per organization from the indexes on organization_id.
_ATTENTION = select(
    _organizations.id,
    _organizations.name,
    _organizations.status,
    _has_contacts.label("has_contacts"),
    _has_lead.label("has_lead"),
    _has_recruiters.label("has_recruiters"),
    _planned.label("planned"),
).where(
    _organizations.account_id == _ACCOUNT,
    or_(
        _organizations.status == OrganizationStatus.PAUSED,
        _organizations.status.in_(_PLANNED_STATUSES) & (~_has_lead | ~_planned),
    ),
)


def get_agenda(session: Session, account_id: uuid.UUID, now: datetime, *, days: int) -> Agenda:
    """The open actions due before now + days, soonest first, and who needs attention."""
    end_of_today = _end_of_day(now, account_zone(session, account_id))
    horizon = now + timedelta(days=days)
    rows = session.execute(_ITEMS, {"account": account_id, "horizon": horizon}).all()
    items: list[dict[str, Any]] = []
    overdue = today = 0
    for row in rows:
        items.append(_item(row))
        due_at = as_utc(row.due_at)
        if due_at < now:
            overdue += 1
        elif due_at < end_of_today:
            today += 1
    counts = Counts(overdue=overdue, today=today, upcoming=len(items) - overdue - today)
    return Agenda(now=now, counts=counts, items=items, attention=_attention(session, account_id))


def _end_of_day(now: datetime, zone: ZoneInfo) -> datetime:
    # Midnight local: a time skipped by DST is read with the offset before the change.
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(), tzinfo=zone).astimezone(now.tzinfo)


def _item(row: Any) -> dict[str, Any]:
    item: dict[str, Any] = json.loads(row.body)  # the stored representation (action_body)
    item["organization"] = {
        "id": row.organization_id,
        "name": row.organization_name,
        "status": row.organization_status,
    }
    item["contact"] = {
        "id": row.contact_id,
        "name": row.contact_name,
        "role": row.role,
        "email": row.email,
        "phone": row.phone,
        "profile_url": row.profile_url,
        "timezone": row.timezone,
    }
    return item


def problem_of(row: Any) -> AttentionProblem | None:
    """An organization's most specific problem, from what _ATTENTION says of it."""
    if row.status == OrganizationStatus.PAUSED:
        return AttentionProblem.PAUSED
    if not row.has_contacts:
        return AttentionProblem.NO_CONTACTS
    if row.has_recruiters and not row.has_lead:
        return AttentionProblem.ONLY_RECRUITERS
    if not row.planned:
        return AttentionProblem.NO_PLAN
    return None


def _attention(session: Session, account_id: uuid.UUID) -> list[Attention]:
    found = [
        Attention(row.id, row.name, problem)
        for row in session.execute(_ATTENTION, {"account": account_id})
        if (problem := problem_of(row)) is not None
    ]
    # By name in Python: the databases' collations order names differently.
    return sorted(found, key=lambda a: (a.name.casefold(), a.name, a.organization_id))
