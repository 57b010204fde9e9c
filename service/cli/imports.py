"""`keepwarm import`: a JSON export or a LinkedIn connections CSV, with a progress bar."""

from __future__ import annotations

import argparse
import codecs
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from service.cli.failures import report
from service.config import get_settings
from service.db.migrate import migrate_at_start

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from service.services.transfer.checks import RecordError
    from service.services.transfer.connections import Skipped
    from service.services.transfer.linkedin import CheckedRows
    from service.services.transfer.writes import Progress

# A refusal is one line: the first errors in full, then how many more.
SHOWN_ERRORS = 20


def run_import(args: argparse.Namespace) -> int:
    """`keepwarm import FILE --email EMAIL`: a JSON export or a LinkedIn CSV, into an account."""
    from pydantic import ValidationError

    from service.api.schemas.transfer import check_connection, field_errors
    from service.db.session import make_engine, make_session_factory, session_scope
    from service.services.errors import DomainError, InvalidField
    from service.services.transfer.checks import IdsInUse, InvalidRecords
    from service.services.transfer.linkedin import check_rows

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        report(f"cannot read {args.file}: {exc.strerror}")
        return 2
    settings = get_settings()
    migrate_at_start(settings)
    engine = make_engine(settings.database_url)
    data = data.removeprefix(codecs.BOM_UTF8)
    is_json = data.lstrip().startswith(b"{")
    try:
        with session_scope(make_session_factory(engine, read_only=True)) as session:
            account_id = _account(session, args.email)
        with _progress_bar() as progress:
            if is_json:
                factory = make_session_factory(engine)
                with session_scope(factory) as session:
                    summary, refused = _import_json(session, account_id, data, args, progress)
            else:
                # Read and checked before any transaction; a dry run then only reads.
                rows = check_rows(data, check=check_connection, progress=progress)
                factory = make_session_factory(engine, read_only=args.dry_run)
                with session_scope(factory) as session:
                    summary, refused = _import_csv(session, account_id, rows, args, progress)
    except ValidationError as exc:
        return _refused(f"{args.file} is not a keepwarm export", field_errors(exc), 2)
    except InvalidRecords as exc:
        return _refused(f"{args.file} has records keepwarm refuses", exc.errors, 2)
    except IdsInUse as exc:
        headline = "records have ids already in use (--new-ids gives every record a new one)"
        return _refused(headline, exc.errors, 1)
    except InvalidField as exc:
        report(exc.message)
        return 2
    except DomainError as exc:  # a conflict: too many webhooks
        report(exc.detail)
        return 1
    finally:
        engine.dispose()
    print(summary)
    return 1 if refused else 0


def _account(session: Session, email: str) -> uuid.UUID:
    from service.services.errors import InvalidField
    from service.services.transfer import whole_account

    account_id = whole_account.account_by_email(session, email)
    if account_id is None:
        raise InvalidField("email", f"no account has the email {email}")
    return account_id


def _import_json(
    session: Session,
    account_id: uuid.UUID,
    data: bytes,
    args: argparse.Namespace,
    progress: Progress,
) -> tuple[str, bool]:
    """Import a JSON export, as POST /v1/import does: a summary, and False (nothing refused)."""
    from service.api.schemas.transfer import ImportDocument, webhook_url_errors
    from service.services.transfer import whole_account
    from service.services.transfer.checks import InvalidRecords

    document = ImportDocument.model_validate_json(data)
    unsafe = webhook_url_errors(document, allow_private=get_settings().webhook_allow_private)
    if unsafe:
        raise InvalidRecords(unsafe)
    imported = whole_account.import_account(
        session,
        account_id,
        document.records(),
        new_ids=args.new_ids,
        dry_run=args.dry_run,
        now=datetime.now(UTC),
        progress=progress,
    )
    would = "would import" if args.dry_run else "imported"
    listed = ", ".join(_count(n, _NOUNS[kind]) for kind, n in vars(imported.counts).items())
    webhooks = " (webhooks disabled: rotate each secret, then enable)" * bool(
        imported.counts.webhooks
    )
    lines = [f"{args.email}: {would} {listed}{webhooks}."]
    lines += [f"  dropped {note.field}: {note.message}" for note in imported.dropped]
    return "\n".join(lines), False


def _import_csv(
    session: Session,
    account_id: uuid.UUID,
    rows: CheckedRows,
    args: argparse.Namespace,
    progress: Progress,
) -> tuple[str, bool]:
    """Import a LinkedIn CSV, as POST /v1/contacts/import does: a summary, and whether rows
    were refused."""
    from service.services.transfer import connections

    result = connections.import_connections(
        session,
        account_id,
        rows,
        dry_run=args.dry_run,
        now=datetime.now(UTC),
        progress=progress,
    )
    created = result.created
    would = "would import" if args.dry_run else "imported"
    lines = [
        f"{args.email}: {would} {_count(created.organizations, 'organization')} and "
        f"{_count(created.contacts, 'contact')}; {_skipped(result.skipped)}, "
        f"{_count(len(result.errors), 'row')} refused."
    ]
    for row in result.added:
        new = " (new organization, watching: no follow-ups)" * row.new_organization
        where = f"{row.organization}{new}"
        lines.append(
            f"  {'would add' if args.dry_run else 'added'} line {row.line}, {row.name} at {where}"
        )
    lines += [f"  skipped line {row.line}, {row.name}: {row.reason}" for row in result.skipped]
    lines += [f"  refused line {row.line}, {row.field}: {row.message}" for row in result.errors]
    return "\n".join(lines), bool(result.errors)


_NOUNS = {
    "organizations": "organization",
    "news": "news item",
    "contacts": "contact",
    "attempts": "attempt",
    "next_actions": "next action",
    "webhooks": "webhook",
}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + "s" * (n != 1)


def _skipped(skipped: list[Skipped]) -> str:
    """How many rows were skipped, and why: already in the account, or repeated in the file."""
    there = sum(row.contact_id is not None for row in skipped)
    reasons = [
        f"{there} already in your account" * bool(there),
        f"{len(skipped) - there} repeated in the file" * bool(len(skipped) - there),
    ]
    why = ", ".join(reason for reason in reasons if reason)
    return f"{len(skipped)} skipped" + f" ({why})" * bool(why)


def _refused(headline: str, errors: list[RecordError], code: int) -> int:
    # One line, in the logs' format: every field named, the first few in full.
    shown = "; ".join(f"{error.field}: {error.message}" for error in errors[:SHOWN_ERRORS])
    more = f"; and {len(errors) - SHOWN_ERRORS} more" * (len(errors) > SHOWN_ERRORS)
    report(f"{headline}; nothing was imported: {shown}{more}")
    return code


@contextmanager
def _progress_bar() -> Iterator[Progress]:
    """A progress bar on standard error, one line for each step of an import."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn
    from rich.progress import Progress as Bars

    columns = (TextColumn("{task.description:>12}"), BarColumn(), MofNCompleteColumn())
    bars = Bars(*columns, console=Console(stderr=True))
    steps: dict[str, TaskID] = {}

    def advance(step: str, done: int, total: int) -> None:
        if not steps:
            bars.start()  # at the first step: an import refused at once draws no bar
        if step not in steps:
            steps[step] = bars.add_task(step, total=total)
        bars.update(steps[step], completed=done, total=total)

    try:
        yield advance
    finally:
        if steps:
            bars.stop()
