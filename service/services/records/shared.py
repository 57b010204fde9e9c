"""Helpers shared by the resource use cases: owned lookups, patches, pages."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, Generic, TypeAlias, TypeVar

from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, inspect, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, object_session
from sqlalchemy.sql.elements import KeyedColumnElement

from service.db.base import Base
from service.db.models import Organization
from service.services.errors import InvalidField, NotFound, PreconditionFailed

T = TypeVar("T")
_Select = TypeVar("_Select", bound=Select[*tuple[Any, ...]])
# A page's order: a mapped attribute, or a table's column in a Core statement.
KeyColumn: TypeAlias = "InstrumentedAttribute[Any] | KeyedColumnElement[Any]"
IdColumn: TypeAlias = "InstrumentedAttribute[uuid.UUID] | KeyedColumnElement[Any]"


def owned(session: Session, model: type[T], account_id: uuid.UUID, id_: Any) -> T | None:
    """The row with this id if it belongs to this account: the one ownership check."""
    row = session.get(model, id_)
    if row is None or getattr(row, "account_id", None) != account_id:
        return None
    return row


def get_owned(
    session: Session, model: type[T], account_id: uuid.UUID, id_: uuid.UUID, name: str
) -> T:
    """The row with this id in this account, or NotFound (the id was in the URL)."""
    row = owned(session, model, account_id, id_)
    if row is None:
        raise NotFound(name)
    return row


def read_owned(
    session: Session, model: type[Base], account_id: uuid.UUID, id_: uuid.UUID, name: str
) -> Row[Any]:
    """The columns of the row with this id in this account, or NotFound (the id was in the
    URL): for a read that only shows the row, in one Core statement and no ORM object."""
    row = session.execute(_owned_row(model), {"id": id_, "account_id": account_id}).first()
    if row is None:
        raise NotFound(name)
    return row


@cache
def _owned_row(model: type[Base]) -> Select[Any]:
    table = model.__table__
    return select(table).where(
        table.c.id == bindparam("id"), table.c.account_id == bindparam("account_id")
    )


def get_referenced(
    session: Session, model: type[T], account_id: uuid.UUID, id_: Any, field: str, name: str
) -> T:
    """The row a request body refers to, or a 422 naming the field (the URL was fine)."""
    row = owned(session, model, account_id, id_)
    if row is None:
        raise InvalidField(field, f"no {name} with that id in this account")
    return row


def lock_organization(session: Session, organization_id: uuid.UUID) -> None:
    """Take the organization's row lock: every write to its records does so first.

    One lock order for every write path on PostgreSQL (the organization, then its contacts,
    attempts and next action), so two writers of one organization queue instead of
    deadlocking. FOR NO KEY UPDATE leaves the foreign-key checks of inserts free. SQLite
    needs none: one writer at a time holds the database's write lock.
    """
    session.execute(
        select(Organization.id)
        .where(Organization.id == organization_id)
        .with_for_update(key_share=True)
    )


def check_version(row: Any, expected: int | None) -> None:
    """Raise PreconditionFailed when If-Match named another version."""
    if expected is None:
        return
    session = object_session(row)
    if session is not None and inspect(row).persistent:
        # Re-read under a row lock: two writers holding the same ETag must not both pass.
        session.refresh(row, with_for_update={"key_share": True})
    if row.version != expected:
        raise PreconditionFailed()


def apply_changes(row: Any, changes: Mapping[str, Any]) -> bool:
    """Set the changed fields; bump the version when anything changed."""
    changed = False
    for field, value in changes.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    if changed and hasattr(row, "version"):
        row.version += 1
    return changed


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _decode_cursor(cursor: str) -> tuple[str, uuid.UUID]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=" * (-len(cursor) % 4)))
        return raw["k"], uuid.UUID(raw["i"])
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
        raise InvalidField("cursor", "not a cursor this API gave out", location="query") from exc


def paginate(
    session: Session,
    stmt: Select[Any],
    key: KeyColumn,
    id_col: IdColumn,
    *,
    limit: int,
    cursor: str | None,
    descending: bool = False,
) -> Page[T]:
    """Keyset pagination over (key, id): stable under inserts, O(limit) per page."""
    stmt = keyset(stmt, key, id_col, limit=limit, cursor=cursor, descending=descending)
    return page_of(list(session.scalars(stmt)), key, id_col, limit=limit)


def keyset(
    stmt: _Select,
    key: KeyColumn,
    id_col: IdColumn,
    *,
    limit: int,
    cursor: str | None,
    descending: bool = False,
) -> _Select:
    """The statement for one page: after the cursor, ordered by (key, id), one row extra."""
    if cursor is not None:
        last_key, last_id = cursor_position(key, cursor)
        stmt = stmt.where(after(key, id_col, last_key, last_id, descending=descending))
    order = (key.desc(), id_col.desc()) if descending else (key.asc(), id_col.asc())
    return stmt.order_by(*order).limit(limit + 1)


def cursor_position(key: KeyColumn, cursor: str) -> tuple[Any, uuid.UUID]:
    """The (key, id) of the last row of the page a cursor was given with."""
    raw_key, last_id = _decode_cursor(cursor)
    try:
        return _parse_key(key, raw_key), last_id
    except (ValueError, TypeError) as exc:
        raise InvalidField("cursor", "not a cursor this API gave out", location="query") from exc


def after(
    key: KeyColumn,
    id_col: IdColumn,
    last_key: Any,
    last_id: Any,
    *,
    descending: bool = False,
) -> ColumnElement[bool]:
    """Rows after (last_key, last_id) in the page order (values or bind parameters)."""
    if descending:
        return or_(key < last_key, and_(key == last_key, id_col < last_id))
    return or_(key > last_key, and_(key == last_key, id_col > last_id))


def page_of(
    rows: Sequence[T],
    key: KeyColumn,
    id_col: IdColumn,
    *,
    limit: int,
) -> Page[T]:
    """The page of rows a keyset statement returned (ORM objects or selected rows)."""
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    last = rows[-1]
    return Page(rows, cursor_after(getattr(last, key.key), getattr(last, id_col.key)))


def cursor_after(key: Any, id_: Any) -> str:
    """The cursor of the page that starts after the row with this (key, id)."""
    token = {"k": _encode(key), "i": str(id_)}
    return base64.urlsafe_b64encode(json.dumps(token).encode()).decode().rstrip("=")


def _parse_key(key: KeyColumn, raw: Any) -> Any:
    # A TypeDecorator (UTCDateTime, StrEnumType) knows its Python type through its impl.
    python_type = getattr(key.type, "impl", key.type).python_type
    if python_type is datetime:
        parsed = datetime.fromisoformat(raw)
        if parsed.tzinfo is None:
            raise ValueError("naive")
        try:
            return parsed.astimezone(UTC)  # as stored; a forged offset may not fit
        except OverflowError as exc:
            raise ValueError("out of range") from exc
    if python_type is date:
        return date.fromisoformat(raw)
    return python_type(raw)


def owned_select(model: type[Any], account_id: uuid.UUID) -> Select[Any]:
    """SELECT rows of this model in this account."""
    return select(model).where(model.account_id == account_id)
