"""The keepwarm command: serve, worker, migrate, create-account, openapi."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import secrets
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from service.config import get_settings
from service.db.urls import DatabaseUrlError, check_database_url
from service.logs import configure_logging


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.api.limits import GuardedProtocol
    from service.db.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    uvicorn.run(
        "service.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
        # httptools, bounding the size of a request's head and the time it may take to
        # arrive (KEEPWARM_MAX_HEADER_BYTES, KEEPWARM_REQUEST_TIMEOUT_SECONDS).
        http=GuardedProtocol,
        timeout_keep_alive=settings.keep_alive_seconds,
    )
    return 0


def _worker(args: argparse.Namespace) -> int:
    import asyncio

    from service.db.migrate import upgrade
    from service.scheduler.worker import run_worker

    settings = get_settings()
    upgrade(settings.database_url)
    asyncio.run(run_worker(settings))
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from service.db.migrate import downgrade, upgrade

    url = get_settings().database_url
    if args.downgrade:
        downgrade(url, args.revision or "base")
    else:
        upgrade(url, args.revision or "head")
    return 0


def _create_account(args: argparse.Namespace) -> int:
    from pydantic import EmailStr, TypeAdapter, ValidationError

    from service.db.migrate import upgrade
    from service.db.session import make_engine, make_session_factory, session_scope
    from service.services import accounts
    from service.services.errors import Conflict

    try:
        email = TypeAdapter(EmailStr).validate_python(args.email)
    except ValidationError:
        print(f"error: {args.email!r} is not an email address", file=sys.stderr)
        return 2
    settings = get_settings()
    upgrade(settings.database_url)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password (10+ characters): ")
    else:
        password = secrets.token_urlsafe(18)
        print(f"generated password: {password}", file=sys.stderr)
    weakness = accounts.password_problem(password)
    if weakness is not None:
        print(f"error: the password is too weak: {weakness}", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            _, issued = accounts.sign_up(
                session, email=email, password=password, now=datetime.now(UTC)
            )
        print(issued.secret)  # only once the account is committed
    except Conflict as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _openapi(args: argparse.Namespace) -> int:
    from service.main import create_app

    print(json.dumps(create_app().openapi(), indent=2, sort_keys=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="keepwarm", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API (and the scheduler)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--reload", action="store_true", help="restart on code changes (dev)")
    serve.set_defaults(run=_serve)
    worker = commands.add_parser("worker", help="run only the scheduler (ticks and webhooks)")
    worker.set_defaults(run=_worker)
    migrate = commands.add_parser("migrate", help="upgrade the database schema")
    migrate.add_argument("revision", nargs="?")
    migrate.add_argument("--downgrade", action="store_true")
    migrate.set_defaults(run=_migrate)
    create = commands.add_parser("create-account", help="create an account, print an API key")
    create.add_argument("email")
    create.add_argument("--password-stdin", action="store_true")
    create.set_defaults(run=_create_account)
    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.set_defaults(run=_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the keepwarm command."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=get_settings().log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    configure_logging()
    try:
        check_database_url(get_settings().database_url)
    except DatabaseUrlError as exc:
        print(f"keepwarm: {exc}", file=sys.stderr)
        return 2
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
