"""Next actions: kept equal to the plan as their inputs change, and what the user does to them."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from service.db.cadence import OPEN_STATES_SQL, NextAction
from service.db.models import Attempt, Contact, Organization
from service.domain.model import (
    OPEN_STATES,
    ActionState,
    PlannedAction,
)
from service.services.errors import Conflict, InvalidField, NotFound
from service.services.outbox import events, payloads
from service.services.planning import action_body, plans
from service.services.planning.action_body import Reachable
from service.services.records.shared import (
    Page,
    after,
    cursor_position,
    get_owned,
    get_referenced,
    lock_organization,
    owned_select,
    page_of,
)

# The states as literal SQL, the partial unique index's own condition: with bound values,
# SQLite cannot tell that index applies and scans every open action of every account.
_OPEN_ACTION = (
    select(NextAction)
    .where(NextAction.organization_id == bindparam("organization"), OPEN_STATES_SQL)
    .with_for_update()
)


def open_action(session: Session, organization_id: uuid.UUID) -> NextAction | None:
    """The organization's scheduled or due action, locked for update."""
    return session.scalars(_OPEN_ACTION, {"organization": organization_id}).first()


def _planned_changes(
    action: NextAction, plan: PlannedAction, snoozed_until: datetime | None
) -> dict[str, Any]:
    """The planned columns whose values differ from the action's."""
    fields = {
        "contact_id": plan.contact_id,
        "due_at": snoozed_until or plan.due_at,
        "window_start": plan.window_start,
        "window_end": plan.window_end,
        "phase": plan.phase,
        "channel": plan.channel,
        "reason": plan.reason,
        "hints": list(plan.hints),
        "script": plan.script.as_dict() if plan.script else {},
        "news_id": plan.news_id,
    }
    return {k: v for k, v in fields.items() if getattr(action, k) != v}


def _apply(action: NextAction, plan: PlannedAction) -> None:
    for key, value in _planned_changes(action, plan, action.snoozed_until).items():
        setattr(action, key, value)


_table = NextAction.metadata.tables[NextAction.__tablename__]
_actions = _table.c
_c = Contact.__table__.c
_DETAILS = select(_c.email, _c.phone, _c.profile_url).where(_c.id == bindparam("contact"))


def _render(session: Session, action: NextAction, contact: Reachable | None) -> None:
    """Store the action's representation, made with its contact's details (read if not given:
    a write that did not read the contact)."""
    if contact is None:
        contact = session.execute(_DETAILS, {"contact": action.contact_id}).one()
    action.body = action_body.render(action, contact)


def refresh(
    session: Session,
    organization: payloads.OrganizationRecord,
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
    plan, read = plans.plan_for(session, organization, now, unsaved=unsaved)
    if plan is None:
        if action is not None:
            contact = read.records.get(action.contact_id)
            _close(session, action, ActionState.CANCELLED, now, outbox, contact)
        return None
    contact = read.records.get(plan.contact_id)  # the planned person, as the plan read them
    if action is None:
        action = NextAction(
            id=uuid.uuid4(),
            account_id=organization.account_id,
            organization_id=organization.id,
            state=ActionState.SCHEDULED,
            sequence=0,
            version=1,
            plan_version=plans.PLAN_VERSION,
            created_at=now,
            updated_at=now,
        )
        _apply(action, plan)
        _render(session, action, contact)
        try:
            with session.begin_nested():
                session.add(action)
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
        view = read.calendar_view(now)
        _emit(session, action, "followup.scheduled", now, outbox, organization, contact, view)
        return action
    snoozed_until = None if touched else action.snoozed_until
    changes = _planned_changes(action, plan, snoozed_until)
    rescheduled = bool(changes)
    if snoozed_until != action.snoozed_until:
        changes["snoozed_until"] = snoozed_until
    if action.plan_version != plans.PLAN_VERSION:
        changes["plan_version"] = plans.PLAN_VERSION
    if rescheduled:
        changes |= {"version": action.version + 1, "sequence": action.sequence + 1}
        changes["updated_at"] = now
        if action.state == ActionState.DUE and changes.get("due_at", action.due_at) > now:
            changes["state"] = ActionState.SCHEDULED
    if changes:
        _write(session, action, changes, contact)
    if rescheduled:
        view = read.calendar_view(now)
        _emit(session, action, "followup.rescheduled", now, outbox, organization, contact, view)
    return action


# The SET clause is the parameters' columns: one statement, compiled once per set of them.
_UPDATE_ACTION = update(_table).where(_actions.id == bindparam("action_id"))


def _write(
    session: Session, action: NextAction, changes: dict[str, Any], contact: Reachable | None
) -> None:
    """Set a recomputed action's changed columns, render it again and write it.

    One UPDATE of those columns, not a flush of the object through the unit of work (which
    cost more than the statement); the object is told the values as the database now has
    them, so it is not dirty and nothing writes them again.
    """
    before = action.body
    for name, value in changes.items():
        set_committed_value(action, name, value)
    _render(session, action, contact)
    if action.body != before and "version" not in changes:
        # What GET answers changed: so does its ETag, whatever column made it change.
        changes["version"] = action.version + 1
        set_committed_value(action, "version", changes["version"])
    set_committed_value(action, "body", action.body)
    session.execute(_UPDATE_ACTION, {**changes, "body": action.body, "action_id": action.id})


def _emit(
    session: Session,
    action: NextAction,
    event_type: str,
    now: datetime,
    outbox: list[events.Pending] | None = None,
    organization: payloads.OrganizationRecord | None = None,
    contact: payloads.ContactRecord | None = None,
    view: payloads.CalendarView | None = None,
) -> None:
    data = functools.partial(
        payloads.followup_data, session, action, contact, organization, now=now, view=view
    )
    pending = events.Pending(action.account_id, event_type, data)
    if outbox is None:
        events.emit_many(session, [pending], now=now)
    else:
        outbox.append(pending)


def _close(
    session: Session,
    action: NextAction,
    state: ActionState,
    now: datetime,
    outbox: list[events.Pending] | None = None,
    contact: Reachable | None = None,
) -> None:
    action.state = state
    action.version += 1
    action.updated_at = now
    if state != ActionState.DONE:
        action.sequence += 1  # a cancellation is a new revision of the calendar event
    _render(session, action, contact)
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
    # Locked in one order (records.shared.lock_organization), all before any is written.
    organizations: list[Organization] = list(
        session.scalars(
            owned_select(Organization, account_id)
            .order_by(Organization.id)
            .with_for_update(key_share=True)
        )
    )
    for organization in organizations:
        refresh(session, organization, now)


def get_action(session: Session, account_id: uuid.UUID, action_id: uuid.UUID) -> NextAction:
    """One next action of the account, or NotFound."""
    return get_owned(session, NextAction, account_id, action_id, "next action")


_FILTERS = ("organization", "contact", "before", "after")


@functools.cache
def _page(
    by_organization: bool, by_contact: bool, due_before: bool, due_after: bool, resumed: bool
) -> Select[Any]:
    """The statement of a page, for the filters given: built once, as Core (the ORM's
    handling of each row, and building the statement each time, cost more than the read)."""
    stmt = select(_actions.body, _actions.due_at, _actions.id).where(
        _actions.account_id == bindparam("account"),
        _actions.state.in_(bindparam("states", expanding=True)),
    )
    if by_organization:
        stmt = stmt.where(_actions.organization_id == bindparam("organization"))
    if by_contact:
        stmt = stmt.where(_actions.contact_id == bindparam("contact"))
    if due_before:
        stmt = stmt.where(_actions.due_at < bindparam("before"))
    if due_after:
        stmt = stmt.where(_actions.due_at >= bindparam("after"))
    if resumed:  # after the cursor's row
        last = after(_actions.due_at, _actions.id, bindparam("last_due_at"), bindparam("last_id"))
        stmt = stmt.where(last)
    return stmt.order_by(_actions.due_at, _actions.id).limit(bindparam("rows"))


@dataclass(frozen=True)
class ActionFilter:
    """Which next actions a listing shows."""

    organization_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    states: Sequence[ActionState] = tuple(OPEN_STATES)
    due_before: datetime | None = None
    due_after: datetime | None = None


def list_actions(
    session: Session,
    account_id: uuid.UUID,
    where: ActionFilter,
    *,
    limit: int,
    cursor: str | None,
) -> Page[str]:
    """A page of the account's next actions, soonest first, as their JSON representations.

    The stored bodies are served as they are: rendering each again cost more than reading it.
    """
    values: dict[str, Any] = {
        "account": account_id,
        "states": list(where.states),
        "organization": where.organization_id,
        "contact": where.contact_id,
        "before": where.due_before,
        "after": where.due_after,
        "rows": limit + 1,
    }
    if cursor is not None:
        values["last_due_at"], values["last_id"] = cursor_position(_actions.due_at, cursor)
    stmt = _page(*(values[name] is not None for name in _FILTERS), cursor is not None)
    found = page_of(session.execute(stmt, values).all(), _actions.due_at, _actions.id, limit=limit)
    return Page([row.body for row in found.items], found.next_cursor)


def rerender(session: Session, contact: Contact) -> None:
    """Render again every action with this contact, after its email, phone or profile changed."""
    actions = session.scalars(select(NextAction).where(NextAction.contact_id == contact.id))
    for action in actions:
        body = action_body.render(action, contact)
        if body != action.body:
            action.body = body
            action.version += 1  # the representation changed: so does its ETag
    session.flush()


def _open_or_conflict(session: Session, account_id: uuid.UUID, action_id: uuid.UUID) -> NextAction:
    action = get_action(session, account_id, action_id)
    lock_organization(session, action.organization_id)
    # As it is now that the turn is ours: gone if its contact or organization was deleted
    # while this request waited for the turn.
    current = session.scalars(
        select(NextAction)
        .where(NextAction.id == action.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if current is None:
        raise NotFound("next action")
    if current.state not in OPEN_STATES:
        raise Conflict(f"This next action is already {current.state.value}.")
    return current


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
    action.updated_at = now
    _render(session, action, None)
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
    action = get_referenced(
        session, NextAction, account_id, action_id, "next_action_id", "next action"
    )
    if action.organization_id != organization_id:
        raise InvalidField("next_action_id", "belongs to another organization")
    if action.state not in OPEN_STATES:
        raise InvalidField("next_action_id", f"this next action is already {action.state.value}")
    return action
