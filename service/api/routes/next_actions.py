"""Next actions: what to do next at each organization, and when."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Request, Response

from service.api.deps import (
    AccountDep,
    CursorQuery,
    LimitQuery,
    NowDep,
    SessionDep,
    UnitOfWorkRoute,
)
from service.api.http import rendered_page, stored_body
from service.api.routes import AUTHED, headers, problems
from service.api.schemas.cadence import NextActionRead, SnoozeCreate
from service.api.schemas.common import Page, Timestamp
from service.domain.model import OPEN_STATES, ActionState
from service.services.planning import next_actions

router = APIRouter(prefix="/v1/next-actions", tags=["next actions"], route_class=UnitOfWorkRoute)


@router.get("", response_model=Page[NextActionRead], responses=AUTHED | headers(200, "Link"))
def list_next_actions(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    organization_id: uuid.UUID | None = Query(default=None),
    contact_id: uuid.UUID | None = Query(default=None),
    state: list[ActionState] | None = Query(
        default=None, description="Repeat to combine; default: scheduled and due."
    ),
    due_before: Timestamp | None = Query(default=None),
    due_after: Timestamp | None = Query(default=None),
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """Your next actions, soonest first; open ones unless you ask for other states."""
    where = next_actions.ActionFilter(
        organization_id=organization_id,
        contact_id=contact_id,
        states=state or list(OPEN_STATES),
        due_before=due_before,
        due_after=due_after,
    )
    result = next_actions.list_actions(session, account.id, where, limit=limit, cursor=cursor)
    return rendered_page(request, result)


@router.get(
    "/{action_id}",
    response_model=NextActionRead,
    responses=problems(400, 401, 404, 422) | headers(200, "ETag"),
)
def get_next_action(action_id: uuid.UUID, session: SessionDep, account: AccountDep) -> Response:
    """One next action: when, with whom, which channel, and what to say."""
    return stored_body(next_actions.get_action(session, account.id, action_id))


# Snooze and skip act on the action as it is now (no If-Match): no 412.
ACT_ON = problems(400, 401, 404, 409, 422) | headers(200, "ETag")


@router.post("/{action_id}/snooze", response_model=NextActionRead, responses=ACT_ON)
def snooze_next_action(
    action_id: uuid.UUID, body: SnoozeCreate, session: SessionDep, account: AccountDep, now: NowDep
) -> Response:
    """Not now: the same action, due at `until` instead (until your next touch)."""
    return stored_body(next_actions.snooze(session, account.id, action_id, body.until, now))


@router.post("/{action_id}/skip", response_model=NextActionRead, responses=ACT_ON)
def skip_next_action(
    action_id: uuid.UUID, session: SessionDep, account: AccountDep, now: NowDep
) -> Response:
    """Skip this one: it becomes skipped and the next is planned as if you had touched base now.

    Answers the skipped action; the new one is in `GET /v1/next-actions`.
    """
    skipped, _ = next_actions.skip(session, account.id, action_id, now)
    return stored_body(skipped)
