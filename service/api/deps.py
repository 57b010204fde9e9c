"""Request dependencies: session, clock, caller, headers, paging."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session, sessionmaker
from starlette.background import BackgroundTask

from service.api.routing import FINISHED
from service.config import Settings
from service.db.reader import Reader
from service.db.session import session_scope
from service.services import accounts, reads
from service.services.errors import PreconditionFailed, Unauthorized
from service.services.reads import KeyUse

# A version fits in 18 digits; a longer one matches nothing we ever sent (and Python refuses
# to read an integer of more than 4,300 digits).
_ETAG = re.compile(r'^(?:W/)?"(\d{1,18})"$')


def _end(session: Session) -> None:
    try:
        if not session.info.get(FINISHED):
            session.rollback()  # the endpoint never ran
    finally:
        session.close()


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@asynccontextmanager
async def unit_of_work(request: Request) -> AsyncIterator[Session]:
    """The request's session; the endpoint's route commits it (see service.api.routing).

    Reads and writes pass separate gates: on SQLite, one writer at a time and readers beside
    it. A request waits for its gate here, in the event loop; waiting in a worker thread
    instead would starve the threads that requests holding connections need to finish.
    """
    state = request.app.state
    read_only = request.method in READ_METHODS
    gate = state.read_gate if read_only else state.write_gate
    factory = state.read_session_factory if read_only else state.session_factory
    async with gate:
        session: Session = factory()
        try:
            yield session
        finally:
            if session.info.get(FINISHED):
                session.close()  # the transaction is over: this only returns the connection
            else:
                await run_in_threadpool(_end, session)
    touched = getattr(request.state, "touch_key", None)
    if touched is not None:
        await _touch_later(request, *touched)
    after_commit = getattr(request.state, "after_commit", None)
    if after_commit is not None:
        after_commit()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session (see unit_of_work)."""
    async with unit_of_work(request) as session:
        yield session


def _touch(factory: sessionmaker[Session], key_id: uuid.UUID, now: datetime) -> None:
    with session_scope(factory) as session:
        accounts.touch_key(session, key_id, now)


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


def _bearer(authorization: str | None) -> str:
    if authorization is None:
        raise Unauthorized("Send your API key as 'Authorization: Bearer <key>'.")
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("Send your API key as 'Authorization: Bearer <key>'.")
    return secret.strip()


@dataclass(frozen=True)
class Principal:
    """The account a request acts for: its id is what every use case needs."""

    id: uuid.UUID


async def get_account(request: Request) -> Principal:
    """The account of the bearer API key, checked in the event loop (no worker thread).

    The check reads the key row on every request, so a revoked key is refused at once; a
    stale last_used_at is written after the request, briefly.
    """
    key_hash = accounts.hash_key(_bearer(request.headers.get("authorization")))
    now = request_now(request)
    account_id, use = await reads.identify(request.app.state.reader, key_hash, now)
    if use.stale:
        request.state.touch_key = (use.key_id, now)
    return Principal(account_id)


AccountDep = Annotated[Principal, Depends(get_account)]


@dataclass(frozen=True)
class Reading:
    """What a hot read needs: the event loop's reader, the caller's key and the clock."""

    request: Request
    reader: Reader
    key_hash: str  # the stored form of the bearer key; the read checks it itself
    now: datetime

    def answer(self, use: KeyUse, response: Response) -> Response:
        """The response; the key's last_used_at is written once it is sent, when due."""
        if use.stale:
            response.background = BackgroundTask(_touch_later, self.request, use.key_id, self.now)
        return response


_UUID = TypeAdapter(uuid.UUID)


def path_id(request: Request, name: str) -> uuid.UUID:
    """The UUID in the path parameter `name`, or the 422 FastAPI would have answered.

    For the hot reads: FastAPI's solving of one declared path parameter cost about a tenth
    of the request. Declare the parameter for the document with `documented_id`.
    """
    try:
        return _UUID.validate_python(request.path_params[name])
    except ValidationError as exc:
        errors = [{**error, "loc": ("path", name)} for error in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from exc


def documented_id(name: str) -> dict[str, Any]:
    """The OpenAPI description of a UUID path parameter read with `path_id`."""
    title = name.replace("_", " ").title()
    schema = {"type": "string", "format": "uuid", "title": title}
    return {"parameters": [{"name": name, "in": "path", "required": True, "schema": schema}]}


def reading(request: Request) -> Reading:
    """The event loop's reader (service.db.reader), the caller's key and the clock.

    Called by the endpoint rather than declared as a dependency: FastAPI's solving of one
    dependency costs about as much as the database read. The header is not documented
    either way (the security scheme is).
    """
    key_hash = accounts.hash_key(_bearer(request.headers.get("authorization")))
    return Reading(request, request.app.state.reader, key_hash, request_now(request))


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
