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

from sqlalchemy import ARRAY, ColumnElement, Executable, Select, Text, bindparam, func, select

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


def _key_of(rows: Sequence[Any], now: datetime) -> tuple[uuid.UUID, KeyUse]:
    # The account and use of the key a statement selected, or Unauthorized when it selected
    # none (revoked keys are deleted rows).
    if not rows:
        raise Unauthorized("This API key is not valid (revoked or mistyped).")
    return rows[0].account_id, _key_use(rows[0], now)


# Statements are built once, with bind parameters: building one costs more than running it.
_KEY = select(ApiKey.account_id, *_KEY_COLUMNS).where(ApiKey.key_hash == bindparam("key_hash"))


async def identify(reader: Reader, key_hash: str, now: datetime) -> tuple[uuid.UUID, KeyUse]:
    """The key's account and use, or Unauthorized (revoked keys are deleted rows)."""
    return _key_of(await reader.rows(_KEY, {"key_hash": key_hash}), now)


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


def _page_of(account_id: Any, filters: frozenset[str], paged: bool, columns: Any) -> Select[Any]:
    # The page of one account's next actions for one combination of filters.
    stmt = select(*columns).where(
        NextAction.account_id == account_id,
        NextAction.state.in_(bindparam("states", expanding=True)),
        *(_ACTION_FILTERS[name] for name in sorted(filters)),
    )
    if paged:
        last = after(NextAction.due_at, NextAction.id, bindparam("last_key"), bindparam("last_id"))
        stmt = stmt.where(last)
    return stmt.order_by(NextAction.due_at, NextAction.id).limit(bindparam("limit"))


@functools.cache
def _action_page(filters: frozenset[str], paged: bool, *, rendered: bool) -> Select[Any]:
    """The page statement for one combination of filters (a few dozen at most).

    It selects the stored bodies only (the cursor is read from the last body), or every
    column to render rows written before bodies were stored.
    """
    columns = (NextAction.body,) if rendered else tuple(NextAction.__table__.c)
    return _page_of(bindparam("account_id"), filters, paged, columns)


@functools.cache
def _keyed_action_page(filters: frozenset[str], paged: bool) -> Executable:
    """The key and its account's page of stored bodies in one statement (PostgreSQL).

    A key row with its page as one array: one round trip instead of two, and the key's
    columns converted once rather than on every row. No row: the key is not valid.
    """
    page = _page_of(ApiKey.account_id, filters, paged, (NextAction.body,))
    bodies = func.array(page.scalar_subquery(), type_=ARRAY(Text)).label("bodies_")
    return select(ApiKey.account_id, *_KEY_COLUMNS, bodies).where(
        ApiKey.key_hash == bindparam("key_hash")
    )


async def actions(
    reader: Reader,
    key_hash: str,
    now: datetime,
    where: ActionFilter,
    *,
    limit: int,
    cursor: str | None,
) -> tuple[Page[str], KeyUse]:
    """A page of the key's next actions sorted by due time, as their JSON representations."""
    params: dict[str, Any] = {
        "states": [str(state) for state in where.states],
        "limit": limit + 1,
    }
    for name in _ACTION_FILTERS:
        if getattr(where, name) is not None:
            params[name] = getattr(where, name)
    if cursor is not None:
        params["last_key"], params["last_id"] = cursor_position(NextAction.due_at, cursor)
    shape = (frozenset(params.keys() & _ACTION_FILTERS.keys()), cursor is not None)
    bodies: list[str | None]
    if reader.remote:  # a round trip saved is worth more than the array costs
        keyed = await reader.rows(_keyed_action_page(*shape), {**params, "key_hash": key_hash})
        params["account_id"], use = _key_of(keyed, now)
        bodies = keyed[0].bodies_
    else:
        params["account_id"], use = await identify(reader, key_hash, now)
        stored = await reader.rows(_action_page(*shape, rendered=True), params)
        bodies = [row.body for row in stored]
    if None in bodies:  # rows written before bodies were stored
        rows = await reader.rows(_action_page(*shape, rendered=False), params)
        bodies = [row.body or render_action(row) for row in rows]
    return _paged(bodies, limit), use


def _paged(bodies: list[Any], limit: int) -> Page[str]:
    if len(bodies) <= limit:
        return Page(bodies, None)
    bodies = bodies[:limit]
    last = json.loads(bodies[-1])
    return Page(bodies, cursor_after(last["due_at"], last["id"]))
