"""Request dependencies: session, clock, caller, headers, paging."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from service.api.routing import FINISHED
from service.config import Settings
from service.db.models import Account
from service.services import accounts
from service.services.errors import PreconditionFailed, Unauthorized

_ETAG = re.compile(r'^(?:W/)?"(\d+)"$')


def _end(session: Session) -> None:
    try:
        if not session.info.get(FINISHED):
            session.rollback()  # the endpoint never ran
    finally:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session; the endpoint's route commits it (see service.api.routing).

    At most as many requests as the pool has connections get a session; the others wait here,
    in the event loop. Waiting in a worker thread instead would starve the threads that the
    requests holding connections need to finish.
    """
    async with request.app.state.db_gate:
        session: Session = request.app.state.session_factory()
        try:
            yield session
        finally:
            if session.info.get(FINISHED):
                session.close()  # the transaction is over: this only returns the connection
            else:
                await run_in_threadpool(_end, session)
    after_commit = getattr(request.state, "after_commit", None)
    if after_commit is not None:
        after_commit()


async def get_now() -> datetime:
    """The request's clock (tests override it)."""
    return datetime.now(UTC)


async def get_settings(request: Request) -> Settings:
    """The process settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
NowDep = Annotated[datetime, Depends(get_now)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_account(
    session: SessionDep,
    now: NowDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Account:
    """The account of the bearer API key."""
    if authorization is None:
        raise Unauthorized("Send your API key as 'Authorization: Bearer <key>'.")
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("Send your API key as 'Authorization: Bearer <key>'.")
    account = accounts.authenticate(session, secret.strip(), now)
    if account is None:
        raise Unauthorized("This API key is not valid (revoked or mistyped).")
    return account


AccountDep = Annotated[Account, Depends(get_account)]


async def get_if_match(
    if_match: Annotated[str | None, Header(description="An ETag from a previous GET.")] = None,
) -> int | None:
    """The version named by If-Match, None when absent or '*'."""
    if if_match is None or if_match.strip() == "*":
        return None
    found = _ETAG.match(if_match.strip())
    if found is None:
        raise PreconditionFailed()
    return int(found.group(1))


IfMatchDep = Annotated[int | None, Depends(get_if_match)]
LimitQuery = Annotated[int, Query(ge=1, le=200, description="Page size (1 to 200).")]
CursorQuery = Annotated[
    str | None, Query(max_length=500, description="The next_cursor of the previous page.")
]
