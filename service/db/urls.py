"""The database URL: every connection parameter it carries reaches the driver, or is refused."""

from __future__ import annotations

import warnings

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SAWarning

SUPPORTED = "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"
LIBPQ_PARAMETERS = "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS"


class DatabaseUrlError(ValueError):
    """KEEPWARM_DATABASE_URL cannot be used as it is written; the message says why."""


def check_database_url(url: str) -> None:
    """Refuse a URL keepwarm cannot use as written, before anything connects.

    SQLite takes the parameters its driver knows (timeout, uri, ...); PostgreSQL, through
    psycopg, takes every libpq parameter (connect_timeout, sslmode, application_name,
    options, ...). A parameter that would be dropped or fail at the first request is
    refused here, named.
    """
    try:
        parsed = make_url(url)
        dialect = parsed.get_dialect()()
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise DatabaseUrlError(
            f"KEEPWARM_DATABASE_URL is not usable ({exc}); use {SUPPORTED}"
        ) from None
    if (dialect.name, dialect.driver) not in {("sqlite", "pysqlite"), ("postgresql", "psycopg")}:
        raise DatabaseUrlError(
            f"KEEPWARM_DATABASE_URL names the driver {parsed.drivername!r}; use {SUPPORTED}"
        )
    with warnings.catch_warnings():
        # SQLAlchemy warns, and drops, the query parameters SQLite's driver does not take.
        warnings.simplefilter("error", SAWarning)
        try:
            _, options = dialect.create_connect_args(parsed)
        except SAWarning as exc:
            raise DatabaseUrlError(f"KEEPWARM_DATABASE_URL: {exc}") from None
    if dialect.name == "postgresql":
        try:
            make_conninfo("", **options)
        except psycopg.ProgrammingError as exc:
            reason = str(exc).strip()
            raise DatabaseUrlError(
                f"KEEPWARM_DATABASE_URL: {reason}; PostgreSQL's parameters: {LIBPQ_PARAMETERS}"
            ) from None
