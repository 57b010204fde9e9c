"""A consistent copy of a SQLite database, taken while the service runs."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from service.db.session import BUSY_TIMEOUT_MS


class BackupError(Exception):
    """The copy could not be made; the message says why (nothing was written)."""


@dataclass(frozen=True)
class Copy:
    """What a backup wrote."""

    path: Path
    size: int
    revision: str


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for any other database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("KEEPWARM_DATABASE_URL names no SQLite file to copy")
    return Path(parsed.database)


def backup_sqlite(source: Path, target: Path) -> Copy:
    """Copy `source` to `target` with SQLite's online backup API, as one snapshot.

    In one step (all pages at once) the copy reads one snapshot of the database: in WAL mode
    writers carry on meanwhile, and what they commit is in the next backup, not half in this
    one. The copy is written beside `target`, checked, switched out of WAL mode (one file,
    nothing beside it) and only then renamed to `target`.
    """
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if target.exists():
        raise BackupError(f"{target} exists; name a new file (a backup never overwrites one)")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a directory")
    partial = target.with_name(f".{target.name}.partial")
    reader = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer)
            writer.execute("PRAGMA journal_mode=DELETE")
            (verdict,) = writer.execute("PRAGMA quick_check").fetchone()
            if verdict != "ok":
                raise BackupError(f"the copy fails SQLite's check: {verdict}")
            revision = _revision(writer)
        finally:
            writer.close()
        try:
            # A link, not a rename: it fails on a target another process created meanwhile.
            os.link(partial, target)
        except FileExistsError:
            raise BackupError(
                f"{target} exists; name a new file (a backup never overwrites one)"
            ) from None
    finally:
        reader.close()
        for leftover in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{partial}{leftover}").unlink()
    return Copy(target, target.stat().st_size, revision)


def _revision(connection: sqlite3.Connection) -> str:
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.OperationalError:
        return "none (not migrated)"
    return ", ".join(sorted(row[0] for row in rows)) or "base"
