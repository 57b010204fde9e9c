"""Planning: an organization's history read for the pure cadence, and the plan it gives."""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BindParameter, and_, bindparam, case, func, or_, select
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
_UNANSWERED = case(
    (and_(_attempts.channel == Channel.CALL, _attempts.outcome == Outcome.NO_ANSWER), 1), else_=0
)
_REFERRAL = case(
    (
        and_(
            _attempts.outcome == Outcome.REFERRED,
            _attempts.referred_to_contact_id.is_not(None),
            _attempts.referred_to_contact_id != _attempts.contact_id,
        ),
        1,
    ),
    else_=0,
)
_CUTOFF: BindParameter[datetime] = bindparam("cutoff", type_=UTCDateTime())
_OUTBOUND_SINCE = case(
    (
        and_(
            _attempts.direction == Direction.OUTBOUND,
            _UNANSWERED == 0,
            _attempts.occurred_at >= _CUTOFF,
        ),
        1,
    ),
    else_=0,
)


def _nth(*partition: Any) -> Any:
    return func.row_number().over(partition_by=partition, order_by=_NEWEST)


# What the planner reads of the history (domain/history.py): the attempts `recall` keeps, each
# person's latest scripts and the counts, in one statement whose answer does not grow with
# the history (window functions over the organization's attempts, read through its index).
_RANKED = (
    select(
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
        _UNANSWERED.label("unanswered"),
        _REFERRAL.label("referral"),
        _nth(_attempts.contact_id).label("nth_with"),
        _nth(_attempts.contact_id, _UNANSWERED).label("nth_kind"),
        _nth(_attempts.direction, _UNANSWERED).label("nth_direction"),
        _nth(_attempts.contact_id, _attempts.outcome).label("nth_outcome"),
        _nth(_attempts.news_id, _UNANSWERED).label("nth_news"),
        _nth(_REFERRAL).label("nth_referral"),
        _nth(_attempts.contact_id, _attempts.script_variant.is_(None)).label("nth_scripted"),
        func.count().over(partition_by=_attempts.contact_id).label("attempts_with"),
        func.sum(_OUTBOUND_SINCE).over().label("outbound_since"),
    )
    .where(_attempts.organization_id == _ORGANIZATION)
    .subquery()
)
_r = _RANKED.c
_RECALLED = or_(
    _r.nth_kind == 1,
    and_(_r.direction == Direction.OUTBOUND, _r.unanswered == 0, _r.nth_direction == 1),
    and_(_r.outcome == Outcome.ASKED_TO_STOP, _r.nth_outcome == 1),
    and_(_r.news_id.is_not(None), _r.unanswered == 0, _r.nth_news == 1),
    and_(_r.referral == 1, _r.nth_referral == 1),
)
_HISTORY = select(_RANKED, _RECALLED.label("recalled")).where(
    or_(
        _RECALLED,
        _r.nth_with == 1,
        and_(_r.script_variant.is_not(None), _r.nth_scripted <= RECENT_VARIANTS),
    )
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


def attempt_facts(row: Any) -> AttemptFacts:
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
    recalled: list[AttemptFacts] = []
    scripted: list[AttemptFacts] = []
    attempts_with: dict[str, int] = {}
    outbound = 0
    key = {"organization": organization_id, "cutoff": cutoff or _EARLIEST}
    for row in session.execute(_HISTORY, key):
        attempt = attempt_facts(row)
        (recalled if row.recalled else scripted).append(attempt)
        attempts_with[attempt.contact_id] = row.attempts_with
        outbound = row.outbound_since or 0
    if unsaved is not None:
        attempt = attempt_facts(unsaved)
        recalled.append(attempt)
        attempts_with[attempt.contact_id] = attempts_with.get(attempt.contact_id, 0) + 1
        outbound += counts_as_outbound(attempt, cutoff)
    summary = summary_of(outbound, attempts_with, [*recalled, *scripted])
    return recall(recalled), summary
