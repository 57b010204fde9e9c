"""Planning: an organization's history read for the pure cadence, and the plan it gives."""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BindParameter, and_, bindparam, case, func, not_, select, true, type_coerce
from sqlalchemy.orm import Session

from service.db.cadence import AccountSettings, NextAction, Profile
from service.db.models import Attempt, Contact, NewsItem, Organization
from service.db.types import UTCDateTime
from service.domain.cadence import plan_next_action
from service.domain.history import (
    RECENT_VARIANTS,
    counts_as_outbound,
    recall,
    rejection_cutoff,
    summary_of,
)
from service.domain.model import (
    ActionState,
    AttemptFacts,
    CadenceSettings,
    Channel,
    ContactFacts,
    Direction,
    HistorySummary,
    NewsFacts,
    OrganizationFacts,
    Outcome,
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
_NEWEST = (_attempts.occurred_at.desc(), _attempts.id.desc())
_TOUCH = not_(
    and_(
        _attempts.channel == Channel.CALL,
        func.coalesce(_attempts.outcome, "") == Outcome.NO_ANSWER.value,
    )
)
_CUTOFF: BindParameter[datetime] = bindparam("cutoff", type_=UTCDateTime())
_ATTEMPT_COLUMNS = (
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
)


def _latest(condition: Any) -> Any:
    moment = case((condition, _attempts.occurred_at), else_=None)
    return type_coerce(func.max(moment), UTCDateTime())


# What the planner reads of the history (domain/history.py), in three reads: one pass of
# aggregates (counts, and when each row `recall` keeps happened), the rows at those moments,
# and each person's latest scripts. Only the aggregate pass reads every attempt, in SQL; the
# rows that reach Python are bounded. Window functions would be one statement, but SQLite
# sorted the history once per window and that cost more than the plan itself.
_AGGREGATES = (
    select(
        _attempts.contact_id,
        func.count().label("attempts"),
        func.sum(
            case(
                (
                    and_(
                        _attempts.direction == Direction.OUTBOUND,
                        _TOUCH,
                        _attempts.occurred_at >= _CUTOFF,
                    ),
                    1,
                ),
                else_=0,
            )
        ).label("outbound_since"),
        _latest(true()).label("attempt"),
        _latest(_TOUCH).label("touch"),
        _latest(not_(_TOUCH)).label("unanswered"),
        _latest(_attempts.outcome == Outcome.ASKED_TO_STOP).label("stop"),
        _latest(and_(_attempts.direction == Direction.OUTBOUND, _TOUCH)).label("outbound"),
        _latest(
            and_(
                _attempts.outcome == Outcome.REFERRED,
                _attempts.referred_to_contact_id.is_not(None),
                _attempts.referred_to_contact_id != _attempts.contact_id,
            )
        ).label("referral"),
        _latest(and_(_TOUCH, _attempts.news_id.is_not(None))).label("news"),
        # Whether to look for the person's scripts at all: without one, that search would
        # read every attempt with them.
        _latest(_attempts.script_variant.is_not(None)).label("scripted"),
    )
    .where(_attempts.organization_id == _ORGANIZATION)
    .group_by(_attempts.contact_id, _attempts.news_id)
)
_MOMENTS = ("attempt", "touch", "unanswered", "stop", "outbound", "referral", "news")
_AT_MOMENTS = select(*_ATTEMPT_COLUMNS).where(
    _attempts.organization_id == _ORGANIZATION,
    _attempts.occurred_at.in_(bindparam("moments", expanding=True)),
)
_SCRIPTED = (
    select(*_ATTEMPT_COLUMNS)
    .where(
        _attempts.organization_id == _ORGANIZATION,
        _attempts.contact_id == bindparam("contact"),
        _attempts.script_variant.is_not(None),
    )
    .order_by(*_NEWEST)
    .limit(RECENT_VARIANTS)
)
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


def attempt_facts(row: Any) -> AttemptFacts:
    """The facts of an attempt row, or of an Attempt not stored yet."""
    return AttemptFacts(
        id=row.id,
        contact_id=row.contact_id,
        channel=row.channel,
        occurred_at=row.occurred_at,
        direction=row.direction,
        outcome=row.outcome,
        referred_to_contact_id=row.referred_to_contact_id,
        news_id=row.news_id,
        script_variant=row.script_variant,
        follow_up_on=row.follow_up_on,
        follow_up_channel=row.follow_up_channel,
    )


# Before any attempt: the phase counts every outbound touch when there is no rejection date.
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)

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
    profile = ProfileFacts(
        name=row.profile_name,
        signature=row.profile_signature,
        phone=row.profile_phone,
        email=row.profile_email,
    )
    recalled, summary = read_history(
        session, organization.id, rejection_cutoff(facts, settings), unsaved=unsaved
    )
    plan = plan_next_action(
        facts,
        contacts,
        recalled,
        news,
        settings,
        now,
        skipped_at=row.skipped_at,
        profile=profile,
        summary=summary,
    )
    return plan, by_id


def read_history(
    session: Session,
    organization_id: uuid.UUID,
    cutoff: datetime | None,
    *,
    unsaved: Attempt | None = None,
) -> tuple[list[AttemptFacts], HistorySummary]:
    """The organization's history as the planner reads it: its recall and its summary.

    `cutoff` is where the phase starts counting outbound touches (history.rejection_cutoff).
    """
    key = {"organization": organization_id}
    groups = session.execute(_AGGREGATES, key | {"cutoff": cutoff or _EARLIEST}).all()
    attempts_with: dict[uuid.UUID, int] = {}
    outbound = 0
    moments: set[datetime] = set()
    for group in groups:
        contact = group.contact_id
        attempts_with[contact] = attempts_with.get(contact, 0) + group.attempts
        outbound += group.outbound_since or 0
        moments.update(m for m in (getattr(group, name) for name in _MOMENTS) if m is not None)
    recalled = [
        attempt_facts(row)
        for row in (
            session.execute(_AT_MOMENTS, key | {"moments": sorted(moments)}) if moments else ()
        )
    ]
    scripted = [
        attempt_facts(row)
        for contact_id in {group.contact_id for group in groups if group.scripted is not None}
        for row in session.execute(_SCRIPTED, key | {"contact": contact_id})
    ]
    if unsaved is not None:
        attempt = attempt_facts(unsaved)
        recalled.append(attempt)
        scripted.append(attempt)
        attempts_with[attempt.contact_id] = attempts_with.get(attempt.contact_id, 0) + 1
        outbound += counts_as_outbound(attempt, cutoff)
    return recall(recalled), summary_of(outbound, attempts_with, scripted)
