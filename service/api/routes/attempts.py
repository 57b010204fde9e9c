"""Contact attempts: every call, voicemail, email, message or meeting."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Request, Response

from service.api.deps import (
    AccountDep,
    CursorQuery,
    IfMatchDep,
    LimitQuery,
    NowDep,
    SessionDep,
    UnitOfWorkRoute,
)
from service.api.http import IdempotentDep, location, no_content, one, page
from service.api.routes import AUTHED, ONE, WRITE_ONE, headers
from service.api.schemas.common import Page
from service.api.schemas.records import AttemptCreate, AttemptRead, AttemptUpdate
from service.services.records import attempts

router = APIRouter(prefix="/v1/attempts", tags=["attempts"], route_class=UnitOfWorkRoute)


@router.post(
    "",
    status_code=201,
    response_model=AttemptRead,
    responses=ONE | headers(201, "ETag", "Location"),
)
def create_attempt(
    body: AttemptCreate,
    request: Request,
    idempotent: IdempotentDep,
) -> Response:
    """Log a contact attempt; the organization's next action is recomputed at once."""
    session, account, now = idempotent.session, idempotent.account, idempotent.now

    def produce() -> Response:
        attempt = attempts.log_attempt(session, account.id, body.model_dump(), now=now)
        url = location(request, "v1/attempts", attempt.id)
        return one(AttemptRead, attempt, status=201, location=url)

    return idempotent.run(body, produce)


@router.get("", response_model=Page[AttemptRead], responses=AUTHED | headers(200, "Link"))
def list_attempts(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    organization_id: uuid.UUID | None = Query(default=None),
    contact_id: uuid.UUID | None = Query(default=None),
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Response:
    """Your attempts, newest first; filter by organization or contact."""
    result = attempts.list_attempts(
        session,
        account.id,
        organization_id=organization_id,
        contact_id=contact_id,
        limit=limit,
        cursor=cursor,
    )
    return page(request, AttemptRead, result)


@router.get("/{attempt_id}", response_model=AttemptRead, responses=ONE | headers(200, "ETag"))
def get_attempt(attempt_id: uuid.UUID, session: SessionDep, account: AccountDep) -> Response:
    """One attempt, with its ETag."""
    return one(AttemptRead, attempts.read_attempt(session, account.id, attempt_id))


@router.patch(
    "/{attempt_id}", response_model=AttemptRead, responses=WRITE_ONE | headers(200, "ETag")
)
def update_attempt(
    attempt_id: uuid.UUID,
    body: AttemptUpdate,
    session: SessionDep,
    account: AccountDep,
    if_match: IfMatchDep,
    now: NowDep,
) -> Response:
    """Correct an attempt (JSON merge patch); the next action follows."""
    attempt = attempts.update_attempt(
        session, account.id, attempt_id, body.changes(), expected_version=if_match, now=now
    )
    return one(AttemptRead, attempt)


@router.delete("/{attempt_id}", status_code=204, responses=WRITE_ONE)
def delete_attempt(
    attempt_id: uuid.UUID,
    session: SessionDep,
    account: AccountDep,
    if_match: IfMatchDep,
    now: NowDep,
) -> Response:
    """Delete an attempt logged by mistake; the next action follows."""
    attempts.delete_attempt(session, account.id, attempt_id, expected_version=if_match, now=now)
    return no_content()
