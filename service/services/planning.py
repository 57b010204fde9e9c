"""Planning: an organization's history read for the pure cadence, and the plan it gives."""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.orm import Session

from service.db.cadence import AccountSettings, NextAction, Profile
from service.db.models import Attempt, Contact, NewsItem, Organization
from service.domain.cadence import plan_next_action
from service.domain.model import (
    ActionState,
    AttemptFacts,
    CadenceSettings,
    ContactFacts,
    NewsFacts,
    OrganizationFacts,
    PlannedAction,
    ProfileFacts,
)
from service.services import payloads

# Bump when the cadence rules or scripts change: the tick recomputes actions planned before.
PLAN_VERSION = 3
CADENCE_FIELDS = tuple(field.name for field in fields(CadenceSettings))


_contacts = Contact.__table__.c
_attempts = Attempt.__table__.c
_news = NewsItem.__table__.c
_actions = NextAction.__table__.c
_organizations = Organization.__table__.c
_settings = AccountSettings.__table__.c
_profiles = Profile.__table__.c
_ORGANIZATION: BindParameter[uuid.UUID] = bindparam("organization")
# The history is read with Core statements built once: on SQLite, composing a statement and
# loading ORM objects cost several times more than running the query.
_CONTACTS = select(
    _contacts.id,
    _contacts.organization_id,
    _contacts.name,
    _contacts.role,
    _contacts.status,
    _contacts.title,
    _contacts.email,
    _contacts.phone,
    _contacts.profile_url,
    _contacts.timezone,
    _contacts.greeting_name,
    # What an event about the action shows of its contact (payloads.CONTACT_FIELDS).
    _contacts.notes,
    _contacts.created_at,
    _contacts.updated_at,
).where(_contacts.organization_id == _ORGANIZATION)
_ATTEMPTS = select(
    _attempts.id,
    _attempts.contact_id,
    _attempts.channel,
    _attempts.occurred_at,
    _attempts.direction,
    _attempts.outcome,
    _attempts.referred_to_contact_id,
    _attempts.news_id,
    _attempts.script_variant,
    _attempts.follow_up_on,
    _attempts.follow_up_channel,
).where(_attempts.organization_id == _ORGANIZATION)
_SKIPPED_AT = (
    select(func.max(_actions.updated_at))
    .where(_actions.organization_id == _organizations.id, _actions.state == ActionState.SKIPPED)
    .scalar_subquery()
)
# The account's settings (NULLs until first changed), the latest skip and the news items: a
# row per news item, or one row without news.
_SETTINGS_SKIP_AND_NEWS = (
    select(
        _SKIPPED_AT.label("skipped_at"),
        _settings.account_id.label("configured"),
        *(_settings[name] for name in CADENCE_FIELDS),
        _news.id.label("news_id"),
        _news.headline,
        _news.noticed_on,
        _news.url,
        _news.tone,
        _news.summary,
        _profiles.name.label("profile_name"),
        _profiles.signature.label("profile_signature"),
        _profiles.phone.label("profile_phone"),
        _profiles.email.label("profile_email"),
    )
    .select_from(
        Organization.__table__.outerjoin(
            AccountSettings.__table__, _settings.account_id == _organizations.account_id
        )
        .outerjoin(Profile.__table__, _profiles.account_id == _organizations.account_id)
        .outerjoin(NewsItem.__table__, _news.organization_id == _organizations.id)
    )
    .where(_organizations.id == _ORGANIZATION)
)


def _contact_facts(row: Any) -> ContactFacts:
    return ContactFacts(
        id=str(row.id),
        name=row.name,
        role=row.role,
        status=row.status,
        title=row.title,
        email=row.email,
        phone=row.phone,
        profile_url=row.profile_url,
        timezone=row.timezone,
        greeting_name=row.greeting_name,
    )


def _attempt_facts(row: Any) -> AttemptFacts:
    """The facts of an attempt row, or of an Attempt not stored yet."""
    return AttemptFacts(
        id=str(row.id),
        contact_id=str(row.contact_id),
        channel=row.channel,
        occurred_at=row.occurred_at,
        direction=row.direction,
        outcome=row.outcome,
        referred_to_contact_id=_str(row.referred_to_contact_id),
        news_id=_str(row.news_id),
        script_variant=row.script_variant,
        follow_up_on=row.follow_up_on,
        follow_up_channel=row.follow_up_channel,
    )


def _str(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


Contacts = dict[uuid.UUID, payloads.ContactRecord]


def plan_for(
    session: Session,
    organization: payloads.OrganizationRecord,
    now: datetime,
    *,
    unsaved: Attempt | None = None,
) -> tuple[PlannedAction | None, Contacts]:
    """What the cadence says the organization's next action is (counting `unsaved` too).

    With it, the organization's contacts as read for the plan, by id: an event about the
    action names its contact from these.
    """
    key = {"organization": organization.id}
    rows = session.execute(_CONTACTS, key).all()
    contacts = [_contact_facts(row) for row in rows]
    by_id: Contacts = {row.id: row for row in rows}
    attempts = [_attempt_facts(row) for row in session.execute(_ATTEMPTS, key)]
    if unsaved is not None:
        attempts.append(_attempt_facts(unsaved))
    rows = session.execute(_SETTINGS_SKIP_AND_NEWS, key).all()
    news = [
        NewsFacts(
            id=str(n.news_id),
            headline=n.headline,
            noticed_on=n.noticed_on,
            url=n.url,
            tone=n.tone,
            summary=n.summary,
        )
        for n in rows
        if n.news_id is not None
    ]
    row = rows[0]
    settings = (
        CadenceSettings()
        if row.configured is None
        else CadenceSettings(**{name: getattr(row, name) for name in CADENCE_FIELDS})
    )
    facts = OrganizationFacts(
        id=str(organization.id),
        name=organization.name,
        status=organization.status,
        rejected_on=organization.rejected_on,
        created_at=organization.created_at,
        role_applied=organization.role_applied,
        talked_about=organization.talked_about,
    )
    profile = ProfileFacts(
        name=row.profile_name,
        signature=row.profile_signature,
        phone=row.profile_phone,
        email=row.profile_email,
    )
    plan = plan_next_action(
        facts, contacts, attempts, news, settings, now, skipped_at=row.skipped_at, profile=profile
    )
    return plan, by_id
