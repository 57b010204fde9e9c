"""Whether the database takes our connections: a wrong password told apart from an outage."""

from __future__ import annotations

from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

# libpq reports a failed log-in without a SQLSTATE, so the words are all there is: the
# server's (in English unless its lc_messages says otherwise) and libpq's own.
_PASSWORD_REFUSED = ("password authentication failed", "no password supplied")
# How long the check at start waits for a server that does not answer (an outage is
# /readyz's to report; the check only looks for a refused password).
START_CHECK_SECONDS = 5


def password_refused(exc: BaseException) -> bool:
    """Whether a connection failed because the server refused the user or its password."""
    reason = str(getattr(exc, "orig", None) or exc)
    return any(words in reason for words in _PASSWORD_REFUSED)


def refused_login(url: str) -> str | None:
    """Connect once; the problem to report if the server refused the password, else None.

    SQLite has no log-in. A server that cannot be reached is no answer either way: the
    process starts, and /readyz says "unreachable" until it can.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    wait = {} if "connect_timeout" in parsed.query else {"connect_timeout": START_CHECK_SECONDS}
    engine = create_engine(url, poolclass=pool.NullPool, connect_args=wait)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        if password_refused(exc):
            return (
                f"KEEPWARM_DATABASE_URL: the database refused the password of user "
                f"{parsed.username!r} (password authentication failed)"
            )
    finally:
        engine.dispose()
    return None
