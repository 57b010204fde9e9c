"""`keepwarm migrate`: one line per migration applied or reverted; a downgrade only on demand."""

from __future__ import annotations

import argparse

from alembic.util import CommandError
from sqlalchemy.exc import SQLAlchemyError

from service.cli.failures import database_reason, report
from service.config import get_settings

DOWNGRADE_NEEDS = (
    "a downgrade drops tables and the data in them: name the revision to go down to and add "
    "--yes (keepwarm migrate REVISION --downgrade --yes); nothing was changed"
)


HELP = "upgrade the database schema (or, with REVISION --downgrade --yes, take it down)"


def migrate_arguments(migrate: argparse.ArgumentParser) -> None:
    """The `migrate` command's arguments."""
    migrate.add_argument("revision", nargs="?", help="default: head (the newest migration)")
    migrate.add_argument(
        "--downgrade", action="store_true", help="revert the migrations after REVISION"
    )
    migrate.add_argument("--yes", action="store_true", help="confirm a downgrade")
    migrate.set_defaults(run=run_migrate, uses_database=True)


def run_migrate(args: argparse.Namespace) -> int:
    """Upgrade (or, confirmed, downgrade) the schema, printing each step."""
    from service.db.migrate import downgrade, upgrade

    url = get_settings().database_url
    if args.downgrade and not (args.revision and args.yes):
        report(DOWNGRADE_NEEDS)
        return 2
    steps = 0

    def say(step: object) -> None:
        nonlocal steps
        steps += 1
        print(step, flush=True)

    try:
        if args.downgrade:
            downgrade(url, args.revision, on_step=say)
        else:
            upgrade(url, args.revision or "head", on_step=say)
    except CommandError as exc:  # a revision Alembic cannot find or cannot go to
        done = "nothing was changed" if not steps else "the steps above were made"
        report(f"migrate: {exc}; {done}", revision=args.revision or "head")
        return 2
    except SQLAlchemyError as exc:
        try:
            where = _where(url)
        except SQLAlchemyError:
            raise exc from None  # the database cannot be reached: the command reports it
        report(f"migrate: a migration failed ({database_reason(exc)}); the schema is at {where}")
        return 1
    print(f"{'Now' if steps else 'Already'} at {_where(url)}")
    return 0


def _where(url: str) -> str:
    from service.db.migrate import head_revisions, revisions_at

    current = revisions_at(url)
    where = ", ".join(sorted(current)) or "base (no tables)"
    if current and current == head_revisions(url):
        where += " (head)"
    return where
