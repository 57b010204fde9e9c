"""Planning: an organization's history read for the pure cadence, and the plan it gives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.orm import Session

from service.db.cadence import AccountSettings, NextAction, Profile
from service.db.models import Attempt, Contact, NewsItem, Organization
from service.domain.cadence import plan_next_action
from service.domain.history import phase_count, rejection_cutoff
from service.domain.model import (
    ActionState,
    AttemptFacts,
    CadenceSettings,
    ContactFacts,
    HistorySummary,
    NewsFacts,
    OrganizationFacts,
    PlannedAction,
    ProfileFacts,
)
from service.services.outbox import payloads
from service.services.planning import history

# Bump when the cadence rules or scripts change: the tick recomputes actions planned before.
PLAN_VERSION = 3
CADENCE_FIELDS = tuple(field.name for field in fields(CadenceSettings))


_contacts = Contact.__table__.c
_news = NewsItem.__table__.c
_actions = NextAction.__table__.c
_organizations = Organization.__table__.c
_settings = AccountSettings.__table__.c
_profiles = Profile.__table__.c
_ORGANIZATION: BindParameter[uuid.UUID] = bindparam("organization")
# What the planner reads is read with Core statements built once: on SQLite, composing a
# statement and loading ORM objects cost several times more than running the query.
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
    *history.PERSON_COLUMNS,
).where(_contacts.organization_id == _ORGANIZATION)
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
        history.NEWS_TOUCH,
        history.LATEST_OUTBOUND,
        history.LATEST_REFERRAL,
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
        id=row.id,
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


Contacts = dict[uuid.UUID, payloads.ContactRecord]


@dataclass(frozen=True)
class PlanInputs:
    """What the cadence plans from (plan_next_action's arguments), as read for one plan.

    With them, the organization's contacts as read, by id: an event about the action names
    its contact from these.
    """

    organization: OrganizationFacts
    contacts: list[ContactFacts]
    recalled: list[AttemptFacts]
    news: list[NewsFacts]
    settings: CadenceSettings
    skipped_at: datetime | None
    profile: ProfileFacts
    summary: HistorySummary
    records: Contacts

    def calendar_view(self, now: datetime) -> payloads.CalendarView:
        """How the account's calendar looks at `now`, from the settings read for the plan."""
        return payloads.CalendarView(now, self.settings.timezone, self.settings.preferred_hour)


def read_inputs(
    session: Session, organization: payloads.OrganizationRecord, *, unsaved: Attempt | None = None
) -> PlanInputs:
    """What the cadence needs to plan the organization's next action (counting `unsaved` too),
    in three statements whatever its history (two without one)."""
    key = {"organization": organization.id}
    people = session.execute(_CONTACTS, key).all()
    rows = session.execute(_SETTINGS_SKIP_AND_NEWS, key).all()
    news = [
        NewsFacts(
            id=n.news_id,
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
        id=organization.id,
        name=organization.name,
        status=organization.status,
        rejected_on=organization.rejected_on,
        created_at=organization.created_at,
        role_applied=organization.role_applied,
        talked_about=organization.talked_about,
    )
    recalled, summary = history.read_history(
        session,
        organization.id,
        people,
        [row.latest_outbound, row.latest_referral, *(n.news_touch for n in rows)],
        cutoff=rejection_cutoff(facts, settings),
        counted=phase_count(settings),
        unsaved=unsaved,
    )
    return PlanInputs(
        organization=facts,
        contacts=[_contact_facts(person) for person in people],
        recalled=recalled,
        news=news,
        settings=settings,
        skipped_at=row.skipped_at,
        profile=ProfileFacts(
            name=row.profile_name,
            signature=row.profile_signature,
            phone=row.profile_phone,
            email=row.profile_email,
        ),
        summary=summary,
        records={person.id: person for person in people},
    )


def plan_for(
    session: Session,
    organization: payloads.OrganizationRecord,
    now: datetime,
    *,
    unsaved: Attempt | None = None,
) -> tuple[PlannedAction | None, PlanInputs]:
    """What the cadence says the organization's next action is (counting `unsaved` too),
    and what it was planned from."""
    inputs = read_inputs(session, organization, unsaved=unsaved)
    plan = plan_next_action(
        inputs.organization,
        inputs.contacts,
        inputs.recalled,
        inputs.news,
        inputs.settings,
        now,
        skipped_at=inputs.skipped_at,
        profile=inputs.profile,
        summary=inputs.summary,
    )
    return plan, inputs
