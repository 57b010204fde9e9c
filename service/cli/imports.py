"""`keepwarm import`: a JSON export or a LinkedIn connections CSV, with a progress bar."""

from __future__ import annotations

import argparse
import codecs
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from service.config import get_settings
from service.db.migrate import migrate_at_start

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from service.services.import_checks import RecordError
    from service.services.import_writes import Progress


def run_import(args: argparse.Namespace) -> int:
    """`keepwarm import FILE --email EMAIL`: a JSON export or a LinkedIn CSV, into an account."""
    from pydantic import ValidationError

    from service.api.schemas.transfer import field_errors
    from service.db.session import make_engine, make_session_factory, session_scope
    from service.services.errors import DomainError, InvalidField
    from service.services.import_checks import IdsInUse, InvalidRecords

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    settings = get_settings()
    migrate_at_start(settings)
    engine = make_engine(settings.database_url)
    try:
        with _progress_bar() as progress, session_scope(make_session_factory(engine)) as session:
            summary, refused = _import_file(session, data, args, progress)
    except ValidationError as exc:
        return _refused(f"{args.file} is not a keepwarm export", field_errors(exc), 2)
    except InvalidRecords as exc:
        return _refused(f"{args.file} has records keepwarm refuses", exc.errors, 2)
    except IdsInUse as exc:
        headline = "records have ids already in use (--new-ids gives every record a new one)"
        return _refused(headline, exc.errors, 1)
    except InvalidField as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except DomainError as exc:  # a conflict: too many webhooks
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(summary)
    return 1 if refused else 0


def _import_file(
    session: Session, data: bytes, args: argparse.Namespace, progress: Progress
) -> tuple[str, bool]:
    """Import a JSON export or a LinkedIn CSV (told apart by content): a summary, and whether
    rows were refused. The same use cases as POST /v1/import and POST /v1/contacts/import."""
    from service.api.schemas.transfer import (
        ImportDocument,
        check_connection,
        webhook_url_errors,
    )
    from service.services import connections, transfer
    from service.services.errors import InvalidField
    from service.services.import_checks import InvalidRecords

    account_id = transfer.account_by_email(session, args.email)
    if account_id is None:
        raise InvalidField("email", f"no account has the email {args.email}")
    now = datetime.now(UTC)
    would = "would import" if args.dry_run else "imported"
    data = data.removeprefix(codecs.BOM_UTF8)
    if data.lstrip().startswith(b"{"):
        document = ImportDocument.model_validate_json(data)
        unsafe = webhook_url_errors(document, allow_private=get_settings().webhook_allow_private)
        if unsafe:
            raise InvalidRecords(unsafe)
        counts = transfer.import_account(
            session,
            account_id,
            document.records(),
            new_ids=args.new_ids,
            dry_run=args.dry_run,
            now=now,
            progress=progress,
        )
        listed = ", ".join(_count(n, _NOUNS[kind]) for kind, n in vars(counts).items())
        webhooks = " (webhooks disabled: rotate each secret, then enable)" * bool(counts.webhooks)
        return f"{args.email}: {would} {listed}{webhooks}.", False
    result = connections.import_connections(
        session,
        account_id,
        data,
        check=check_connection,
        dry_run=args.dry_run,
        now=now,
        progress=progress,
    )
    created = result.created
    lines = [
        f"{args.email}: {would} {_count(created.organizations, 'organization')} and "
        f"{_count(created.contacts, 'contact')}; {len(result.skipped)} skipped (already "
        f"there), {_count(len(result.errors), 'row')} refused."
    ]
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


def _refused(headline: str, errors: list[RecordError], code: int) -> int:
    print(f"error: {headline}; nothing was imported.", file=sys.stderr)
    for error in errors:
        print(f"  {error.field}: {error.message}", file=sys.stderr)
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
