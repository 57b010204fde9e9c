"""Request dependencies: the unit of work, the caller, the clock, headers, paging."""

from __future__ import annotations

import asyncio
import functools
import inspect
import re
import uuid
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from datetime import datetime
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Query, Request, Response, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from service.config import Settings
from service.db.session import finish, must_retry, session_scope
from service.services.accounts import api_keys
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


class UnitOfWork:
    """A request's unit of work: its session, opened by the first dependency that needs it,
    and the work that runs in one worker thread: the caller's key read first, then the
    endpoint, then the commit (or the rollback). UnitOfWorkRoute ends it."""

    def __init__(self) -> None:
        self.session: Session | None = None
        self.gate: asyncio.Semaphore | None = None
        self.key: tuple[str, datetime] | None = None  # the caller's key hash, and the time
        self.account_id: uuid.UUID | None = None
        self.touch: tuple[uuid.UUID, datetime] | None = None
        self.finished = False

    async def open(self, request: Request) -> Session:
        """The session, opened once its gate lets it through.

        Reads and writes pass separate gates, waited for here in the event loop: on SQLite,
        one writer at a time and readers beside it; waiting in a worker thread instead would
        starve the threads that requests holding connections need to finish.
        """
        if self.session is None:
            state = request.app.state
            read_only = request.method in READ_METHODS or getattr(request.state, "read_only", False)
            gate: asyncio.Semaphore = state.read_gate if read_only else state.write_gate
            await gate.acquire()
            self.gate = gate
            self.session = (state.read_session_factory if read_only else state.session_factory)()
        return self.session

    @property
    def pending(self) -> bool:
        """Opened, and neither committed nor rolled back yet."""
        return self.session is not None and not self.finished

    def run(self, work: Callable[[], T]) -> T:
        """Run `work` in this thread and end the unit of work with it.

        An error rolls it back, except one that keeps what was done before it (a failed
        log-in still counts).
        """
        try:
            self.check_key()
            result = work()
        except BaseException as exc:
            self.finish(commit=isinstance(exc, DomainError) and exc.preserve_changes)
            raise
        self.finish(commit=True)
        return result

    def fail(self, exc: BaseException) -> None:
        """End the unit of work after an error raised before the endpoint ran.

        A key not read yet is read first: an invalid one answers 401 before a 422 (or a 412)
        of what came after it, as when its dependency read it.
        """
        try:
            if isinstance(exc, Exception):
                self.check_key()
        finally:
            self.finish(commit=isinstance(exc, DomainError) and exc.preserve_changes)

    def check_key(self) -> None:
        """Read the caller's key, if any and not read yet, in the request's transaction: a
        revoked key is refused at once."""
        if self.key is None or self.account_id is not None:
            return
        assert self.session is not None  # get_account opened it
        key_hash, now = self.key
        self.account_id, use = api_keys.identify(self.session, key_hash, now)
        if use.stale:
            self.touch = (use.key_id, now)

    def finish(self, *, commit: bool) -> None:
        """Commit or roll back, once."""
        if self.session is not None and not self.finished:
            self.finished = True
            finish(self.session, commit=commit)

    def release(self) -> None:
        """Let the next request through the gate."""
        if self.gate is not None:
            self.gate.release()
            self.gate = None


# The request's unit of work, set by its route; worker threads see it (anyio copies the
# context).
_unit: ContextVar[UnitOfWork | None] = ContextVar("keepwarm_unit_of_work", default=None)


def in_unit_of_work(endpoint: Callable[..., T]) -> Callable[..., T]:
    """A sync endpoint that runs inside the request's unit of work, if it opened one."""

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> T:
        unit = _unit.get()
        if unit is None or not unit.pending:
            return endpoint(*args, **kwargs)
        return unit.run(functools.partial(endpoint, *args, **kwargs))

    return run


class UnitOfWorkRoute(APIRoute):
    """A route with a unit of work: one session, committed once the endpoint has answered,
    and one thread hop for all its database work.

    FastAPI runs a sync endpoint in a worker thread; here the caller's key is read and the
    session committed in that same thread, rather than in hops of their own. The route
    itself ends the unit of work, where a dependency with `yield` would have: an error
    raised before the endpoint ran is rolled back here, a deadlock becomes
    RetryUnitOfWork, a stale last_used_at is written, and the gate is let go.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = in_unit_of_work(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler, inside the request's unit of work."""
        handle = super().get_route_handler()

        async def in_unit(request: Request) -> Response:
            unit = UnitOfWork()
            token = _unit.set(unit)
            try:
                try:
                    response = await handle(request)
                except BaseException as exc:
                    if unit.pending:  # raised before the endpoint ran
                        await run_in_threadpool(unit.fail, exc)
                    raise
                if unit.pending:  # an async endpoint's
                    await run_in_threadpool(unit.run, _nothing)
            except Exception as exc:
                if must_retry(exc):
                    raise RetryUnitOfWork() from exc
                raise
            finally:
                _unit.reset(token)
                unit.release()
            if unit.touch is not None:
                await _touch_later(request, *unit.touch)
            after_commit = getattr(request.state, "after_commit", None)
            if after_commit is not None:
                after_commit()
            return response

        return in_unit


async def get_session(request: Request) -> Session:
    """The request's unit of work's session (its route, a UnitOfWorkRoute, commits it)."""
    return await _open_unit(request)


async def _open_unit(request: Request) -> Session:
    unit = _unit.get()
    if unit is None:
        raise RuntimeError(
            f"{request.url.path}: a route with the database needs route_class=UnitOfWorkRoute"
        )
    return await unit.open(request)


def _nothing() -> None:
    pass


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


SessionDep = Annotated[Session, Depends(get_session)]
NowDep = Annotated[datetime, Depends(get_now)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


class Principal:
    """The account a request acts for: its id is what every use case needs."""

    def __init__(self, unit: UnitOfWork) -> None:
        self.unit = unit

    @property
    def id(self) -> uuid.UUID:
        """The key's account, read in the endpoint's thread before a sync endpoint runs (for
        an async one, when first asked for)."""
        self.unit.check_key()
        assert self.unit.account_id is not None
        return self.unit.account_id


class ApiKeyAuth(HTTPBearer):
    """The bearer API key, as the account it names: one dependency for both."""

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        """The account of the bearer API key.

        Here, in the event loop, only the key's form and hash: its row is read in the
        request's unit of work, in the endpoint's thread (UnitOfWork.run), so a revoked key is
        refused at once; a stale last_used_at is written after the request, briefly.
        """
        key_hash = _key_hash(await super().__call__(request))
        await _open_unit(request)
        unit = _unit.get()
        assert unit is not None  # _open_unit refuses a route without one
        unit.key = (key_hash, request_now(request))
        return Principal(unit)


# The OpenAPI security scheme "bearer" comes from these declarations.
get_account = ApiKeyAuth(scheme_name="bearer", description="Your API key.", auto_error=False)
bearer = HTTPBearer(scheme_name="bearer", description="Your API key.", auto_error=False)


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
