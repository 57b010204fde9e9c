"""`keepwarm backup PATH`: a consistent copy of the SQLite database, the service running."""

from __future__ import annotations

import argparse
from pathlib import Path

from service.cli.failures import report
from service.config import get_settings

HELP = "copy the SQLite database to PATH while the service runs (PostgreSQL: pg_dump)"
# pg_dump reads libpq's postgresql:// URLs, not SQLAlchemy's postgresql+psycopg://.
POSTGRES = (
    "backup copies a SQLite database; for PostgreSQL use pg_dump with KEEPWARM_DATABASE_URL "
    "written as postgresql://, without +psycopg (pg_dump --format=custom --file=keepwarm.dump "
    '"postgresql://USER:PASSWORD@HOST/DATABASE"; README, "Backups")'
)


def backup_arguments(backup: argparse.ArgumentParser) -> None:
    """The `backup` command's arguments."""
    backup.add_argument("path", help="the file to write (a new one: never overwritten)")
    backup.set_defaults(run=run_backup)


def run_backup(args: argparse.Namespace) -> int:
    """Write the copy and say what it holds, in one line."""
    from service.db.backup import BackupError, backup_sqlite, sqlite_file

    try:
        source = sqlite_file(get_settings().database_url)
        if source is None:
            report(POSTGRES)
            return 2
        copy = backup_sqlite(source, Path(args.path))
    except BackupError as exc:
        report(str(exc))
        return 2
    print(
        f"Backed up {source} to {copy.path}: {_size(copy.size)}, schema at {copy.revision}, "
        "integrity ok"
    )
    return 0


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    amount, unit = size / 1024, "KB"
    for larger in ("MB", "GB"):
        if amount < 1024:
            break
        amount, unit = amount / 1024, larger
    return f"{amount:.1f} {unit}"
