"""The keepwarm command: serve, worker, migrate, backup, create-account, import, openapi."""

from __future__ import annotations

import argparse
import getpass
import json
import secrets
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from service.build import describe
from service.cli import backup, migrate
from service.cli.backup import backup_arguments
from service.cli.failures import database_reason, invalid_settings, report
from service.cli.imports import run_import
from service.cli.migrate import migrate_arguments
from service.config import Toggle, get_settings
from service.db.migrate import migrate_at_start
from service.db.reach import refused_login
from service.db.urls import DatabaseUrlError, check_database_url
from service.logs import log_config, start_logging
from service.services.accounts import passwords


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.api.limits import GuardedProtocol

    settings = get_settings()
    migrate_at_start(settings)
    host, port = args.host or settings.host, args.port or settings.port
    print(f"keepwarm: open the web app at {_app_url(settings.public_url, host, port)}", flush=True)
    uvicorn.run(
        "service.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=args.reload,
        log_level=settings.log_level.lower(),
        # Our format on uvicorn's lines too; the access line is service.api.headers.RequestLog's
        # (with the request id and the duration), so uvicorn's own is off.
        log_config=log_config(settings),
        access_log=False,
        proxy_headers=True,
        # httptools, bounding the size of a request's head and the time it may take to
        # arrive (KEEPWARM_MAX_HEADER_BYTES, KEEPWARM_REQUEST_TIMEOUT_SECONDS).
        http=GuardedProtocol,
        timeout_keep_alive=settings.keep_alive_seconds,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # A stop waits this long for open requests (an import, say), then for the in-process
        # scheduler's (at most about 7 s): the whole stop fits a container's 10 s grace.
        timeout_graceful_shutdown=2 if settings.scheduler == Toggle.ON else 8,
    )
    return 0


def _app_url(public_url: str | None, host: str, port: int) -> str:
    """Where a person opens the web app: the public URL, else this machine's address."""
    if public_url:
        return f"{public_url.rstrip('/')}/app/"
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/app/"


def _worker(args: argparse.Namespace) -> int:
    import asyncio

    from service.scheduler.worker import run_worker

    settings = get_settings()
    migrate_at_start(settings)
    asyncio.run(run_worker(settings))
    return 0


def _create_account(args: argparse.Namespace) -> int:
    from pydantic import EmailStr, TypeAdapter, ValidationError

    from service.db.session import make_engine, make_session_factory, session_scope
    from service.services.accounts import access
    from service.services.errors import Conflict

    try:
        email = TypeAdapter(EmailStr).validate_python(args.email)
    except ValidationError:
        report(f"create-account: {args.email!r} is not an email address")
        return 2
    settings = get_settings()
    migrate_at_start(settings)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password (10+ characters): ")
    else:
        password = secrets.token_urlsafe(18)
        print(f"generated password: {password}", file=sys.stderr)
    weakness = passwords.password_problem(password, email=email)
    if weakness is not None:
        report(f"create-account: the password is too weak: {weakness}")
        return 2
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            _, issued = access.sign_up(
                session, email=email, password=password, now=datetime.now(UTC)
            )
        print(issued.secret)  # only once the account is committed
    except Conflict as exc:
        report(f"create-account: {exc.detail}")
        return 1
    finally:
        engine.dispose()
    return 0


def _healthcheck(args: argparse.Namespace) -> int:
    import urllib.request
    from urllib.error import HTTPError, URLError

    settings = get_settings()
    # Straight to this machine: an HTTP(S)_PROXY in the container's environment must not
    # carry the probe elsewhere (urllib would not bypass it for 127.0.0.1).
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    answers: list[str] = []
    for port in (settings.port, settings.worker_port):
        try:
            with direct.open(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return 0
        except HTTPError as exc:  # it answered, and said what is wrong (the worker: "stalled")
            answers.append(f"port {port} answered {exc.code}: {_health_detail(exc.read())}")
        except (URLError, OSError):
            continue
    if answers:
        report("/healthz: " + "; ".join(answers))
    else:
        report(f"nothing answers /healthz on ports {settings.port}, {settings.worker_port}")
    return 1


def _health_detail(body: bytes) -> str:
    try:
        answer = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace").strip()[:200] or "no detail"
    if not isinstance(answer, dict):
        return str(answer)[:200]
    said = [str(answer[key]) for key in ("status", "detail") if answer.get(key)]
    return ": ".join(said) or "no detail"


def _openapi(args: argparse.Namespace) -> int:
    from service.main import create_app

    print(json.dumps(create_app().openapi(), indent=2, sort_keys=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="keepwarm", description=__doc__)
    parser.add_argument("--version", action="version", version=f"keepwarm {describe()}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API (and the scheduler)")
    serve.add_argument("--host", help="default: KEEPWARM_HOST, else 127.0.0.1")
    serve.add_argument("--port", type=int, help="default: KEEPWARM_PORT, else 8000")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (dev)")
    serve.set_defaults(run=_serve, uses_database=True)
    worker = commands.add_parser("worker", help="run only the scheduler (ticks and webhooks)")
    worker.set_defaults(run=_worker, uses_database=True)
    migrate_arguments(commands.add_parser("migrate", help=migrate.HELP))
    backup_arguments(commands.add_parser("backup", help=backup.HELP))
    create = commands.add_parser("create-account", help="create an account, print an API key")
    create.add_argument("email")
    create.add_argument("--password-stdin", action="store_true")
    create.set_defaults(run=_create_account, uses_database=True)
    imports = commands.add_parser(
        "import", help="import a JSON export or a LinkedIn connections CSV into an account"
    )
    imports.add_argument("file", help="a GET /v1/export document, or LinkedIn's Connections.csv")
    imports.add_argument("--email", required=True, help="the account to import into")
    imports.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
    imports.add_argument(
        "--new-ids", action="store_true", help="JSON: give every record a new id (same database)"
    )
    imports.set_defaults(run=run_import, uses_database=True)
    health = commands.add_parser(
        "healthcheck",
        help="exit 0 when this machine's serve (KEEPWARM_PORT) or worker "
        "(KEEPWARM_WORKER_PORT) answers /healthz: a container health check for either role",
    )
    health.set_defaults(run=_healthcheck)
    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.set_defaults(run=_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the keepwarm command."""
    args = build_parser().parse_args(argv)
    # A health check answers 0 or 1 only (a container runtime reserves 2).
    refused = 1 if args.run is _healthcheck else 2
    try:
        settings = get_settings()
    except ValidationError as exc:
        message, variables = invalid_settings(exc)
        report(message, variable=", ".join(variables))
        return refused
    start_logging(settings)
    try:
        check_database_url(settings.database_url)
    except DatabaseUrlError as exc:
        report(str(exc), variable="KEEPWARM_DATABASE_URL")
        return refused
    if getattr(args, "uses_database", False):
        wrong_password = refused_login(settings.database_url)
        if wrong_password is not None:
            report(wrong_password, variable="KEEPWARM_DATABASE_URL")
            return refused
    try:
        code: int = args.run(args)
    except OperationalError as exc:
        if not getattr(args, "uses_database", False):
            raise
        # The database could not be opened or reached (a missing folder, a server down).
        reason = database_reason(exc)
        report(
            f"KEEPWARM_DATABASE_URL: the database could not be used ({reason})",
            variable="KEEPWARM_DATABASE_URL",
        )
        return 1  # a failure on the way, not a refusal before anything was done
    return code
