"""Persisted next actions: recomputed from the pure cadence whenever their inputs change."""

from __future__ import annotations

import functools
import uuid
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Update, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from service.db import compiled
from service.db.base import built
from service.db.cadence import OPEN_STATES_SQL, AccountSettings, NextAction, Profile
from service.db.models import Attempt, Contact, NewsItem, Organization
from service.domain.cadence import plan_next_action
from service.domain.model import (
    OPEN_STATES,
    ActionState,
    AttemptFacts,
    CadenceSettings,
    ContactFacts,
    NewsFacts,
    OrganizationFacts,
    PlannedAction,
    ProfileFacts,
)
from service.services import events, views
from service.services.errors import Conflict, InvalidField
from service.services.records import get_owned, owned_select

# Bump when the cadence rules or scripts change: the tick recomputes actions planned before.
PLAN_VERSION = 2
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
        _profiles.name.label("profile_name"),
        _profiles.signature.label("profile_signature"),
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
# The states as literal SQL, the partial unique index's own condition: with bound values,
# SQLite cannot tell that index applies and scans every open action of every account.
_OPEN_ACTION = (
    select(*_actions)
    .where(_actions.organization_id == _ORGANIZATION, OPEN_STATES_SQL)
    .with_for_update()
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


Contacts = dict[uuid.UUID, events.ContactRecord]


def plan_for(
    session: Session,
    organization: events.OrganizationRecord,
    now: datetime,
    *,
    unsaved: Attempt | None = None,
) -> tuple[PlannedAction | None, Contacts]:
    """What the cadence says the organization's next action is (counting `unsaved` too).

    With it, the organization's contacts as read for the plan, by id: an event about the
    action names its contact from these.
    """
    session.flush()  # Core statements do not autoflush: they must see the pending changes
    connection = session.connection()
    key = {"organization": organization.id}
    rows = compiled.execute(connection, _CONTACTS, key)
    contacts = [_contact_facts(row) for row in rows]
    by_id: Contacts = {row.id: row for row in rows}
    attempts = [_attempt_facts(row) for row in compiled.execute(connection, _ATTEMPTS, key)]
    if unsaved is not None:
        attempts.append(_attempt_facts(unsaved))
    rows = compiled.execute(connection, _SETTINGS_SKIP_AND_NEWS, key)
    news = [
        NewsFacts(
            id=str(n.news_id), headline=n.headline, noticed_on=n.noticed_on, url=n.url, tone=n.tone
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
    )
    profile = ProfileFacts(name=row.profile_name, signature=row.profile_signature)
    plan = plan_next_action(
        facts, contacts, attempts, news, settings, now, skipped_at=row.skipped_at, profile=profile
    )
    return plan, by_id


def open_action(session: Session, organization_id: uuid.UUID) -> NextAction | None:
    """The organization's scheduled or due action, locked for update.

    Read on the driver and attached to the session as if the ORM had loaded it (an ORM query
    cost several times the lookup, on every logged attempt); the session's own copy wins
    when it has one, as with an ORM query.
    """
    session.flush()  # as the ORM's autoflush would: the query must see pending changes
    rows = compiled.execute(session.connection(), _OPEN_ACTION, {"organization": organization_id})
    if not rows:
        return None
    row = rows[0]
    loaded: NextAction | None = session.identity_map.get(session.identity_key(NextAction, row.id))
    if loaded is not None:
        return loaded
    action = built(NextAction, row._asdict())
    make_transient_to_detached(action)  # its values are the stored ones, with no history
    session.add(action)
    return action


def _planned_changes(
    action: NextAction, plan: PlannedAction, snoozed_until: datetime | None
) -> dict[str, Any]:
    """The planned columns whose values differ from the action's."""
    fields = {
        "contact_id": uuid.UUID(plan.contact_id),
        "due_at": snoozed_until or plan.due_at,
        "window_start": plan.window_start,
        "window_end": plan.window_end,
        "phase": plan.phase,
        "channel": plan.channel,
        "reason": plan.reason,
        "hints": list(plan.hints),
        "script": plan.script.as_dict() if plan.script else {},
        "news_id": None if plan.news_id is None else uuid.UUID(plan.news_id),
    }
    return {k: v for k, v in fields.items() if getattr(action, k) != v}


def _apply(action: NextAction, plan: PlannedAction) -> None:
    for key, value in _planned_changes(action, plan, action.snoozed_until).items():
        setattr(action, key, value)


def refresh(
    session: Session,
    organization: events.OrganizationRecord,
    now: datetime,
    *,
    touched: bool = False,
    retry: bool = True,
    unsaved: Attempt | None = None,
    outbox: list[events.Pending] | None = None,
) -> NextAction | None:
    """Recompute the organization's open action (R12); a touch ends any snooze.

    `unsaved` is an attempt to count that is not in the session yet; with an `outbox`, the
    events are appended to it for the caller to store with its own (events.emit_many).
    """
    action = open_action(session, organization.id)
    plan, contacts = plan_for(session, organization, now, unsaved=unsaved)
    if plan is None:
        if action is not None:
            _close(session, action, ActionState.CANCELLED, now, outbox)
        return None
    if action is None:
        action = NextAction(
            account_id=organization.account_id,
            organization_id=organization.id,
            state=ActionState.SCHEDULED,
            plan_version=PLAN_VERSION,
            created_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(action)
                _apply(action, plan)
                session.flush()
        except IntegrityError:
            if not retry:
                raise
            # A concurrent request created this organization's open action first (the unique
            # index of R12): plan again with what it committed, and update that one.
            return refresh(
                session,
                organization,
                now,
                touched=touched,
                retry=False,
                unsaved=unsaved,
                outbox=outbox,
            )
        contact = contacts.get(action.contact_id)
        _emit(session, action, "followup.scheduled", now, outbox, organization, contact)
        return action
    snoozed_until = None if touched else action.snoozed_until
    changes = _planned_changes(action, plan, snoozed_until)
    rescheduled = bool(changes)
    if snoozed_until != action.snoozed_until:
        changes["snoozed_until"] = snoozed_until
    if action.plan_version != PLAN_VERSION:
        changes["plan_version"] = PLAN_VERSION
    if rescheduled:
        changes |= {"version": action.version + 1, "sequence": action.sequence + 1}
        changes["updated_at"] = now
        if action.state == ActionState.DUE and changes.get("due_at", action.due_at) > now:
            changes["state"] = ActionState.SCHEDULED
    if changes:
        _write(session, action, changes)
    if rescheduled:
        contact = contacts.get(action.contact_id)
        _emit(session, action, "followup.rescheduled", now, outbox, organization, contact)
    return action


_next_actions = NextAction.__table__.c


@functools.cache
def _update_of(columns: tuple[str, ...]) -> Update:
    """The UPDATE of these columns of an action: built (and compiled) once per set of columns.

    The sets that occur are few (what a plan can change, with the body and bookkeeping).
    """
    return (
        update(NextAction.metadata.tables[NextAction.__tablename__])
        .where(_next_actions.id == bindparam("action_id"))
        .values({name: bindparam(name) for name in columns})
    )


def _write(session: Session, action: NextAction, changes: dict[str, Any]) -> None:
    """Write a recomputed action at once, on the driver; the session holds it as stored.

    The ORM's unit of work cost several times the UPDATE itself, and every logged attempt
    recomputes an action. The values are set as committed ones (the ORM has nothing left to
    flush), and the body is rendered as the before-update hook would. Only the changed
    columns are written: SQLite rewrites the entries of every index on a column it sets.
    """
    for name, value in changes.items():
        set_committed_value(action, name, value)
    set_committed_value(action, "body", views.render_action(action))
    columns = tuple(sorted({*changes, "body"}))
    values = {name: getattr(action, name) for name in columns}
    statement = _update_of(columns)
    compiled.execute(session.connection(), statement, {"action_id": action.id, **values})


def _emit(
    session: Session,
    action: NextAction,
    event_type: str,
    now: datetime,
    outbox: list[events.Pending] | None = None,
    organization: events.OrganizationRecord | None = None,
    contact: events.ContactRecord | None = None,
) -> None:
    data = functools.partial(events.followup_data, session, action, contact, organization)
    pending = events.Pending(action.account_id, event_type, data)
    if outbox is None:
        events.emit_many(session, [pending], now=now)
    else:
        outbox.append(pending)


def _stamp(action: NextAction, now: datetime) -> None:
    # Always written: the column's onupdate default (the wall clock) would otherwise replace a
    # `now` equal to the stored value, and the skip time is read back from it.
    action.updated_at = now
    flag_modified(action, "updated_at")


def _close(
    session: Session,
    action: NextAction,
    state: ActionState,
    now: datetime,
    outbox: list[events.Pending] | None = None,
) -> None:
    action.state = state
    action.version += 1
    _stamp(action, now)
    if state != ActionState.DONE:
        action.sequence += 1  # a cancellation is a new revision of the calendar event
    session.flush()
    if state != ActionState.DONE:
        _emit(session, action, "followup.cancelled", now, outbox)


def cancel_open(
    session: Session,
    organization_id: uuid.UUID,
    now: datetime,
    *,
    contact_id: uuid.UUID | None = None,
) -> None:
    """Cancel the open action (of that contact only, if given) before what it is about goes."""
    action = open_action(session, organization_id)
    if action is not None and contact_id in (None, action.contact_id):
        _close(session, action, ActionState.CANCELLED, now)


def refresh_account(session: Session, account_id: uuid.UUID, now: datetime) -> None:
    """Recompute every organization of an account (after a settings change)."""
    organizations: list[Organization] = list(
        session.scalars(owned_select(Organization, account_id))
    )
    for organization in organizations:
        refresh(session, organization, now)


def get_action(session: Session, account_id: uuid.UUID, action_id: uuid.UUID) -> NextAction:
    """One next action of the account, or NotFound."""
    return get_owned(session, NextAction, account_id, action_id, "next action")


def _open_or_conflict(session: Session, account_id: uuid.UUID, action_id: uuid.UUID) -> NextAction:
    action = get_action(session, account_id, action_id)
    if action.state not in OPEN_STATES:
        raise Conflict(f"This next action is already {action.state.value}.")
    return action


def snooze(
    session: Session, account_id: uuid.UUID, action_id: uuid.UUID, until: datetime, now: datetime
) -> NextAction:
    """The same action, now due at `until` (until the next touch)."""
    action = _open_or_conflict(session, account_id, action_id)
    if until <= now:
        raise InvalidField("until", "must be in the future")
    action.snoozed_until = until
    action.due_at = until
    action.sequence += 1
    action.state = ActionState.SCHEDULED
    action.version += 1
    _stamp(action, now)
    session.flush()
    _emit(session, action, "followup.rescheduled", now)
    return action


def skip(
    session: Session, account_id: uuid.UUID, action_id: uuid.UUID, now: datetime
) -> tuple[NextAction, NextAction | None]:
    """Mark the action skipped and compute the next as if a touch happened now."""
    action = _open_or_conflict(session, account_id, action_id)
    _close(session, action, ActionState.SKIPPED, now)
    organization = session.get_one(Organization, action.organization_id)
    return action, refresh(session, organization, now)


def fulfil(
    session: Session,
    account_id: uuid.UUID,
    organization_id: uuid.UUID,
    action_id: uuid.UUID,
    now: datetime,
) -> NextAction:
    """Mark the action an attempt fulfils as done."""
    action = attempted(session, account_id, organization_id, action_id)
    _close(session, action, ActionState.DONE, now)
    return action


def attempted(
    session: Session, account_id: uuid.UUID, organization_id: uuid.UUID, action_id: uuid.UUID
) -> NextAction:
    """The open action an attempt names as its next_action_id, or InvalidField naming it."""
    action = session.get(NextAction, action_id)
    if action is None or action.account_id != account_id:
        raise InvalidField("next_action_id", "no next action with that id in this account")
    if action.organization_id != organization_id:
        raise InvalidField("next_action_id", "belongs to another organization")
    if action.state not in OPEN_STATES:
        raise InvalidField("next_action_id", f"this next action is already {action.state.value}")
    return action
