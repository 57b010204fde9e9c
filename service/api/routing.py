"""Routes that end their unit of work in the endpoint's own worker thread."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from service.services.errors import DomainError

FINISHED = "keepwarm.finished"


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


def _in_transaction(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        session = next(filter(None, map(_session_of, kwargs.values())), None)
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


class UnitOfWorkRoute(APIRoute):
    """A sync endpoint commits in the thread it already runs in: one thread hop, not two."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _in_transaction(endpoint)
        super().__init__(path, endpoint, **kwargs)
