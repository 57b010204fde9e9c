"""The hot reads: one statement each, off the ORM, awaited in the event loop.

A read by id authenticates in the same statement (the key row joined to the resource), so
revocation still takes effect at once; a second statement runs only to tell a bad key (401)
from a missing resource (404).
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select

from service.db.cadence import NextAction
from service.db.models import ApiKey, Attempt, Contact
from service.db.reader import Reader
from service.domain.model import ActionState
from service.services.accounts import LAST_USED_RESOLUTION
from service.services.errors import NotFound, Unauthorized
from service.services.records import Page, after, cursor_after, cursor_position
from service.services.views import render_action

_KEY_COLUMNS = (ApiKey.id.label("key_id_"), ApiKey.last_used_at.label("key_last_used_at_"))


@dataclass(frozen=True)
class KeyUse:
    """Whose key made the request, and whether its last_used_at is worth a write."""

    key_id: uuid.UUID
    stale: bool


def _key_use(row: Any, now: datetime) -> KeyUse:
    last_used_at = row.key_last_used_at_
    stale = last_used_at is None or now - last_used_at >= LAST_USED_RESOLUTION
    return KeyUse(row.key_id_, stale)


# Statements are built once, with bind parameters: building one costs more than running it.
_KEY = select(ApiKey.account_id, *_KEY_COLUMNS).where(ApiKey.key_hash == bindparam("key_hash"))


async def identify(reader: Reader, key_hash: str, now: datetime) -> tuple[uuid.UUID, KeyUse]:
    """The key's account and use, or Unauthorized (revoked keys are deleted rows)."""
    rows = await reader.rows(_KEY, {"key_hash": key_hash})
    if not rows:
        raise Unauthorized("This API key is not valid (revoked or mistyped).")
    return rows[0].account_id, _key_use(rows[0], now)


def _owned_statement(model: Any) -> Select[Any]:
    # The columns a response shows, and the version its ETag names.
    columns = [c for c in model.__table__.c if c.key != "account_id"]
    return (
        select(*columns, *_KEY_COLUMNS)
        .join(ApiKey, ApiKey.account_id == model.account_id)
        .where(ApiKey.key_hash == bindparam("key_hash"), model.id == bindparam("id"))
    )


_OWNED = {model: _owned_statement(model) for model in (Contact, Attempt, NextAction)}


async def _owned(
    reader: Reader, model: Any, key_hash: str, id_: uuid.UUID, name: str, now: datetime
) -> tuple[Any, KeyUse]:
    rows = await reader.rows(_OWNED[model], {"key_hash": key_hash, "id": id_})
    if rows:
        return rows[0], _key_use(rows[0], now)
    await identify(reader, key_hash, now)  # a bad key is a 401, not a 404
    raise NotFound(name)


async def contact(
    reader: Reader, key_hash: str, contact_id: uuid.UUID, now: datetime
) -> tuple[Any, KeyUse]:
    """One contact of the key's account, or NotFound."""
    return await _owned(reader, Contact, key_hash, contact_id, "contact", now)


async def attempt(
    reader: Reader, key_hash: str, attempt_id: uuid.UUID, now: datetime
) -> tuple[Any, KeyUse]:
    """One attempt of the key's account, or NotFound."""
    return await _owned(reader, Attempt, key_hash, attempt_id, "attempt", now)


@dataclass(frozen=True)
class RenderedAction:
    """A next action as its JSON representation, with the version its ETag names."""

    body: str
    version: int


async def action(
    reader: Reader, key_hash: str, action_id: uuid.UUID, now: datetime
) -> tuple[RenderedAction, KeyUse]:
    """One next action of the key's account, or NotFound."""
    row, use = await _owned(reader, NextAction, key_hash, action_id, "next action", now)
    return RenderedAction(row.body or render_action(row), row.version), use


@dataclass(frozen=True)
class ActionFilter:
    organization_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    states: Sequence[ActionState]
    due_before: datetime | None
    due_after: datetime | None


# The optional filters, each with the condition that uses its bind parameter.
_ACTION_FILTERS: dict[str, ColumnElement[bool]] = {
    "organization_id": NextAction.organization_id == bindparam("organization_id"),
    "contact_id": NextAction.contact_id == bindparam("contact_id"),
    "due_before": NextAction.due_at < bindparam("due_before"),
    "due_after": NextAction.due_at >= bindparam("due_after"),
}


@functools.cache
def _action_page(filters: frozenset[str], paged: bool, *, rendered: bool) -> Select[Any]:
    """The page statement for one combination of filters (a few dozen at most).

    It selects the stored bodies only (the cursor is read from the last body), or every
    column to render rows written before bodies were stored.
    """
    columns = (NextAction.body,) if rendered else tuple(NextAction.__table__.c)
    stmt = select(*columns).where(
        NextAction.account_id == bindparam("account_id"),
        NextAction.state.in_(bindparam("states", expanding=True)),
        *(_ACTION_FILTERS[name] for name in sorted(filters)),
    )
    if paged:
        last = after(NextAction.due_at, NextAction.id, bindparam("last_key"), bindparam("last_id"))
        stmt = stmt.where(last)
    return stmt.order_by(NextAction.due_at, NextAction.id).limit(bindparam("limit"))


async def actions(
    reader: Reader,
    account_id: uuid.UUID,
    where: ActionFilter,
    *,
    limit: int,
    cursor: str | None,
) -> Page[str]:
    """A page of next actions sorted by due time, as their JSON representations."""
    params: dict[str, Any] = {
        "account_id": account_id,
        "states": [str(state) for state in where.states],
        "limit": limit + 1,
    }
    for name in _ACTION_FILTERS:
        if getattr(where, name) is not None:
            params[name] = getattr(where, name)
    if cursor is not None:
        params["last_key"], params["last_id"] = cursor_position(NextAction.due_at, cursor)
    shape = (frozenset(params.keys() & _ACTION_FILTERS.keys()), cursor is not None)
    bodies = [row.body for row in await reader.rows(_action_page(*shape, rendered=True), params)]
    if None in bodies:  # rows written before bodies were stored
        rows = await reader.rows(_action_page(*shape, rendered=False), params)
        bodies = [row.body or render_action(row) for row in rows]
    if len(bodies) <= limit:
        return Page(bodies, None)
    bodies = bodies[:limit]
    last = json.loads(bodies[-1])
    return Page(bodies, cursor_after(last["due_at"], last["id"]))
