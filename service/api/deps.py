"""Request dependencies: the unit of work, the caller, the clock, headers, paging."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from service.config import Settings
from service.db.session import finish, must_retry, session_scope
from service.services import api_keys
from service.services.errors import DomainError, PreconditionFailed, Unauthorized

T = TypeVar("T")

# A version fits in 18 digits; a longer one matches nothing we ever sent (and Python refuses
# to read an integer of more than 4,300 digits).
_ETAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RetryUnitOfWork(Exception):
    """The database ended the request's transaction to break a deadlock: run it again.

    No handler answers it: service.api.retry.RetryConflicts runs the request again.
    """


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work: one session, committed once the endpoint has answered.

    An error rolls it back, except one that keeps what was done before it (a failed log-in
    still counts). Reads and writes pass separate gates, waited for here in the event loop:
    on SQLite, one writer at a time and readers beside it; waiting in a worker thread
    instead would starve the threads that requests holding connections need to finish.
    """
    state = request.app.state
    read_only = request.method in READ_METHODS or getattr(request.state, "read_only", False)
    gate = state.read_gate if read_only else state.write_gate
    factory = state.read_session_factory if read_only else state.session_factory
    async with gate:
        session: Session = factory()
        try:
            yield session
        except BaseException as exc:
            keep = isinstance(exc, DomainError) and exc.preserve_changes
            await run_in_threadpool(finish, session, commit=keep)
            if must_retry(exc):
                raise RetryUnitOfWork() from exc
            raise
        try:
            await run_in_threadpool(finish, session, commit=True)
        except Exception as exc:
            if must_retry(exc):
                raise RetryUnitOfWork() from exc
            raise
    touched = getattr(request.state, "touch_key", None)
    if touched is not None:
        await _touch_later(request, *touched)
    after_commit = getattr(request.state, "after_commit", None)
    if after_commit is not None:
        after_commit()


async def read_only_dry_run(
    request: Request,
    dry_run: Annotated[
        bool, Query(description="Answer what would be done, and change nothing.")
    ] = False,
) -> bool:
    """`?dry_run`; a dry run's unit of work only reads: on SQLite it takes no write lock.

    Declared before the session (first among a route's parameters) so that it is solved first.
    """
    request.state.read_only = dry_run
    return dry_run


DryRunDep = Annotated[bool, Depends(read_only_dry_run)]


async def read_before(request: Request, read: Callable[[Session], T]) -> T:
    """A read in a short transaction of its own, before the request's unit of work opens.

    For the checks that must not hold a transaction while something slow runs after them
    (a password's hash): the log-in throttle and the stored credentials.
    """
    state = request.app.state
    async with state.read_gate:
        return await run_in_threadpool(_read_once, state.read_session_factory, read)


def _read_once(factory: sessionmaker[Session], read: Callable[[Session], T]) -> T:
    session = factory()
    try:
        return read(session)
    finally:
        finish(session, commit=False)


def request_now(request: Request) -> datetime:
    """The request's one reading of the app's clock (tests set app.state.clock)."""
    now: datetime | None = getattr(request.state, "now", None)
    if now is None:
        now = request.state.now = request.app.state.clock()
    return now


async def get_now(request: Request) -> datetime:
    """The request's clock."""
    return request_now(request)


async def get_settings(request: Request) -> Settings:
    """The process settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
NowDep = Annotated[datetime, Depends(get_now)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

# The OpenAPI security scheme "bearer" comes from this declaration.
bearer = HTTPBearer(scheme_name="bearer", description="Your API key.", auto_error=False)


@dataclass(frozen=True)
class Principal:
    """The account a request acts for: its id is what every use case needs."""

    id: uuid.UUID


def get_account(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    now: NowDep,
) -> Principal:
    """The account of the bearer API key, read in the request's unit of work.

    The key row is read on every request, so a revoked key is refused at once; a stale
    last_used_at is written after the request, briefly.
    """
    account_id, use = api_keys.identify(session, _key_hash(credentials), now)
    if use.stale:
        request.state.touch_key = (use.key_id, now)
    return Principal(account_id)


def _key_hash(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or not credentials.credentials.strip():
        raise Unauthorized("Send your API key as 'Authorization: Bearer <key>'.")
    return api_keys.hash_key(credentials.credentials.strip())


AccountDep = Annotated[Principal, Depends(get_account)]


async def key_checked_first(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    now: NowDep,
) -> None:
    """The API key checked in a short read of its own, before the request's unit of work.

    For a route that does slow work on the body before it opens its unit of work (a big
    upload's check): without a valid key, the answer is 401 before the body is read.
    AccountDep still reads the key again in the unit of work, where it is used.
    """
    key_hash = _key_hash(credentials)
    await read_before(request, partial(api_keys.identify, key_hash=key_hash, now=now))


KeyCheckedFirst = Depends(key_checked_first)


def _touch(factory: sessionmaker[Session], key_id: uuid.UUID, now: datetime) -> None:
    with session_scope(factory) as session:
        api_keys.touch_key(session, key_id, now)


async def _touch_later(request: Request, key_id: uuid.UUID, now: datetime) -> None:
    # Records when a key was last used, after the request (one writer at a time).
    state = request.app.state
    async with state.write_gate:
        await run_in_threadpool(_touch, state.session_factory, key_id, now)


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
