"""Routes that end their unit of work in the endpoint's own worker thread."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from service.db.session import begin_without_waiting
from service.services.errors import DomainError

FINISHED = "keepwarm.finished"
_BRIEF = "__keepwarm_brief__"

Endpoint = Callable[..., Any]


def brief(endpoint: Endpoint) -> Endpoint:
    """Mark a sync endpoint as a brief write: a few statements, no network, no slow hashing.

    On SQLite it runs in the event loop when the write lock is free: the thread hop and the
    hand-offs of the GIL between the loop and a worker cost about a quarter of a logged
    attempt. Everything it does is CPU and the database file, and with the lock already
    taken nothing in it waits. When another connection holds the lock (the scheduler, a
    command), it runs in a worker thread as any sync endpoint, and waits there.
    """
    setattr(endpoint, _BRIEF, True)
    return endpoint


def finish(session: Session, *, commit: bool) -> None:
    """Commit or roll back the request's transaction (the request's one commit point)."""
    session.info[FINISHED] = True
    session.commit() if commit else session.rollback()


def _session_of(value: Any) -> Session | None:
    # The request's session, passed directly or inside a unit of work (http.Idempotent).
    if isinstance(value, Session):
        return value
    inner = getattr(value, "session", None)
    return inner if isinstance(inner, Session) else None


def _request_session(kwargs: dict[str, Any]) -> Session | None:
    return next(filter(None, map(_session_of, kwargs.values())), None)


def _in_transaction(endpoint: Endpoint) -> Endpoint:
    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        session = _request_session(kwargs)
        if session is None:
            return endpoint(*args, **kwargs)
        try:
            result = endpoint(*args, **kwargs)
        except DomainError as exc:
            finish(session, commit=exc.preserve_changes)
            raise
        except BaseException:
            finish(session, commit=False)
            raise
        finish(session, commit=True)
        return result

    return run


def _in_event_loop_when_free(transaction: Endpoint) -> Endpoint:
    @functools.wraps(transaction)
    async def run(*args: Any, **kwargs: Any) -> Any:
        session = _request_session(kwargs)
        if session is not None and begin_without_waiting(session):
            return transaction(*args, **kwargs)
        return await run_in_threadpool(transaction, *args, **kwargs)

    return run


class UnitOfWorkRoute(APIRoute):
    """A sync endpoint commits in the thread it already runs in: one thread hop, not two.

    A brief write on SQLite runs in the event loop instead, when it can (see `brief`).
    """

    def __init__(self, path: str, endpoint: Endpoint, **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            brief_write = getattr(endpoint, _BRIEF, False)
            endpoint = _in_transaction(endpoint)
            if brief_write:
                endpoint = _in_event_loop_when_free(endpoint)
        super().__init__(path, endpoint, **kwargs)
