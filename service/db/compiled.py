"""Statements compiled once by SQLAlchemy and run on the driver directly.

SQLAlchemy's execution machinery costs several times an indexed SQLite lookup or a small
insert. The hot paths (the event loop's reads, the write of a logged attempt) compile their
statements once and run them on the driver's connection with the conversions SQLAlchemy
compiled for them: same SQL, same values, a fraction of the cost.
"""

from __future__ import annotations

import uuid
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Dialect, Executable, Insert, TextClause, Uuid
from sqlalchemy.exc import DBAPIError

_ASK = object()  # a bind whose value SQLAlchemy works out: required, or computed per call
_Bind = tuple[str, str, Any, Callable[[Any], Any] | None]  # key, name, fixed value, conversion


def _plain_uuid(value: uuid.UUID | None) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(bytes=value.bytes)


def _result_processor(type_: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    # SQLAlchemy's conversion of a column. asyncpg's UUIDs are of a subclass of uuid.UUID:
    # rows carry uuid.UUID itself, as the engine's (psycopg's) do.
    found: Callable[[Any], Any] | None = type_._cached_result_processor(dialect, None)
    as_uuid = isinstance(type_, Uuid) and type_.as_uuid
    if found is None and as_uuid and dialect.driver == "asyncpg":
        return _plain_uuid
    return found


class Compiled:
    """A statement compiled once for one dialect, with SQLAlchemy's own conversions.

    Running it means: the SQL (IN lists expanded for the values at hand), the parameters
    converted and in the driver's order, then each column converted back (UUIDs, UTC
    timestamps, enums, JSON) into a row with attribute access, as SQLAlchemy's rows have.
    The conversions come from SQLAlchemy's compiled statement (stable through 2.x, private
    by name); a test holds the rows equal to SQLAlchemy's, value for value and type for type.
    """

    def __init__(
        self, statement: Executable, dialect: Dialect, column_keys: Sequence[str] | None = None
    ) -> None:
        if isinstance(statement, TextClause):
            # Whether it returns rows is read from its columns, which text() does not give.
            raise ValueError("a text() statement run directly must give .columns()")
        compiled: Any = statement.compile(  # type: ignore[attr-defined]
            dialect=dialect, column_keys=column_keys
        )
        if column_keys is not None:
            # Column defaults are SQLAlchemy's execution machinery's to fill in, not ours:
            # an insert names every column it binds.
            missing = set(compiled.bind_names.values()) - set(column_keys)
            if missing:
                raise ValueError(f"an insert run directly must give {sorted(missing)}")
        columns = compiled._result_columns
        self._compiled = compiled
        self._expanding = "POSTCOMPILE" in compiled.string
        # IN lists are expanded per call; the SQL depends only on their lengths (unless a
        # value is rendered into the SQL itself), so it is rendered once per lengths.
        self._lists = [name for bind, name in compiled.bind_names.items() if bind.expanding]
        self._per_lengths: dict[tuple[int, ...], Any] | None = (
            None if compiled.literal_execute_params else {}
        )
        self._binds: dict[str, Callable[[Any], Any]] = dict(compiled._bind_processors)
        self._results = tuple(_result_processor(c.type, dialect) for c in columns)
        self._row: Any = namedtuple("Row", [c.keyname for c in columns])  # type: ignore[misc]
        self._as_read = all(process is None for process in self._results)
        self.returns_rows = bool(columns)
        self.positional = compiled.positiontup is not None
        self._plan = None if self._expanding else self._planned()
        self._names = [name for _, name, _, _ in self._plan or ()]  # a dict's keys, in order

    def _planned(self) -> list[_Bind] | None:
        # Where each parameter's value comes from, in the driver's order, and its conversion:
        # what SQLAlchemy's construct_params and processors do, decided once.
        compiled = self._compiled
        if compiled.escaped_bind_names:
            return None
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        order = compiled.positiontup if self.positional else list(binds)
        plan = []
        for name in order:
            bind = binds[name]
            fixed = _ASK if bind.required or bind.callable else bind.value
            plan.append((bind.key, name, fixed, self._binds.get(name)))
        return plan

    def sql(self, params: Mapping[str, Any]) -> tuple[str, Any]:
        """The SQL and its parameters (a list for positional drivers, else a dict)."""
        compiled = self._compiled
        if self._plan is not None:
            planned = self._planned_values(params)
            if planned is not None:
                if self.positional:
                    return compiled.string, planned
                return compiled.string, dict(zip(self._names, planned, strict=True))
        if self._expanding:
            sql, names, values, binds = self._expanded(params)
        else:
            sql, names, binds = compiled.string, compiled.positiontup, self._binds
            values = compiled.construct_params(params)
        converted = {n: binds[n](v) if n in binds else v for n, v in values.items()}
        return sql, [converted[n] for n in names] if self.positional else converted

    def _planned_values(self, params: Mapping[str, Any]) -> list[Any] | None:
        # None when a value must be asked of SQLAlchemy (a callable's, or a missing one's
        # error).
        values = []
        for key, name, fixed, process in self._plan or ():
            if key in params:
                value = params[key]
            elif name in params:
                value = params[name]
            elif fixed is _ASK:
                return None
            else:
                value = fixed
            values.append(value if process is None else process(value))
        return values

    def _expanded(self, params: Mapping[str, Any]) -> tuple[str, Any, dict[str, Any], Any]:
        compiled = self._compiled
        if self._per_lengths is None:
            expanded = compiled.construct_expanded_state(params)
            binds = {**self._binds, **expanded.processors}
            return expanded.statement, expanded.positiontup, expanded.parameters, binds
        values = compiled.construct_params(params)
        lengths = tuple(len(values[name]) for name in self._lists)
        shape = self._per_lengths.get(lengths)
        if shape is None:
            expanded = compiled.construct_expanded_state(params)
            shape = self._per_lengths[lengths] = (expanded, {**self._binds, **expanded.processors})
        expanded, binds = shape
        for name, expanded_names in expanded.parameter_expansion.items():
            values.update(zip(expanded_names, values.pop(name), strict=True))
        return expanded.statement, expanded.positiontup, values, binds

    def rows(self, found: Sequence[Sequence[Any]]) -> list[Any]:
        """The driver's rows, converted."""
        make, results = self._row._make, self._results
        if self._as_read:  # nothing to convert (a page of stored bodies, say)
            return list(map(make, found))
        return [
            make([v if f is None else f(v) for f, v in zip(results, raw, strict=True)])
            for raw in found
        ]


class Statements:
    """Compiled statements by statement (statements are built once: module constants)."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._compiled: dict[Any, Compiled] = {}

    def __getitem__(self, statement: Executable) -> Compiled:
        found = self._compiled.get(statement)
        if found is None:
            found = self._compiled[statement] = Compiled(statement, self._dialect)
        return found

    def insert(self, statement: Insert, column_keys: tuple[str, ...]) -> Compiled:
        """The insert of rows with these columns."""
        key = (statement, column_keys)
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = Compiled(statement, self._dialect, column_keys)
        return found


# One set of compiled statements per dialect (an engine has its own), gone with its engine.
_BY_DIALECT: WeakKeyDictionary[Dialect, Statements] = WeakKeyDictionary()


def statements_for(dialect: Dialect) -> Statements:
    """The compiled statements of a dialect, shared by the event loop's reader and the writes."""
    found = _BY_DIALECT.get(dialect)
    if found is None:
        found = _BY_DIALECT[dialect] = Statements(dialect)
    return found


def _driver_error(connection: Connection, sql: str, args: Any, error: Exception) -> Exception:
    # The exception SQLAlchemy would raise (IntegrityError, OperationalError...), so callers
    # and the API's error handlers cannot tell the difference.
    dbapi: Any = connection.dialect.loaded_dbapi
    if not isinstance(error, dbapi.Error):
        return error
    wrapped: Exception = DBAPIError.instance(sql, args, error, dbapi.Error)
    return wrapped


def execute(
    connection: Connection, statement: Executable, params: Mapping[str, Any] | None = None
) -> list[Any]:
    """The rows of a statement run on the connection's driver, in its transaction.

    For statements built once (module constants) on hot paths; anything else is better run
    through SQLAlchemy.
    """
    compiled = statements_for(connection.dialect)[statement]
    sql, args = compiled.sql(params or {})
    found = _run(connection, sql, args, many=False, returns_rows=compiled.returns_rows)
    return compiled.rows(found)  # none when it selects none


def insert_rows(
    connection: Connection, statement: Insert, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert rows that all give the same columns (every column the insert binds)."""
    if not rows:
        return
    compiled = statements_for(connection.dialect).insert(statement, tuple(rows[0]))
    converted = [compiled.sql(row) for row in rows]
    _run(connection, converted[0][0], [args for _, args in converted], many=True)


def _run(
    connection: Connection, sql: str, args: Any, *, many: bool, returns_rows: bool = False
) -> list[Any]:
    # The rows a statement selects, raising what SQLAlchemy would raise. Whether it selects
    # any is known from its compilation: psycopg builds a column description (a type
    # lookup per column) each time one asks the cursor.
    cursor: Any = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if many:
            cursor.executemany(sql, args)
        else:
            cursor.execute(sql, args)
        return cursor.fetchall() if returns_rows else []
    except Exception as exc:
        raise _driver_error(connection, sql, args, exc) from exc
    finally:
        cursor.close()
