"""A bad setting: one line naming the variable and what it takes, exit 2; and --version."""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from service.cli import main
from service.config import get_settings
from tests.test_cli import ROOT, keepwarm, root_logger  # noqa: F401  (a fixture)

COMMANDS = [
    ("serve",),
    ("worker",),
    ("migrate",),
    ("backup", "copy.db"),
    ("create-account", "ann@example.com"),
    ("import", "export.json", "--email", "ann@example.com"),
    ("openapi",),
]
BAD = [
    (
        "KEEPWARM_PORT",
        "abc",
        "KEEPWARM_PORT='abc' is not valid: it takes a whole number from 1 to 65535",
    ),
    (
        "KEEPWARM_LOG_LEVEL",
        "verbose",
        "KEEPWARM_LOG_LEVEL='verbose' is not valid: it takes one of DEBUG, INFO, WARNING, ERROR",
    ),
    (
        "KEEPWARM_SCHEDULER",
        "sometimes",
        "KEEPWARM_SCHEDULER='sometimes' is not valid: it takes one of on, off",
    ),
    (
        "KEEPWARM_WEBHOOK_ALLOW_PRIVATE",
        "maybe",
        "KEEPWARM_WEBHOOK_ALLOW_PRIVATE='maybe' is not valid: it takes true or false",
    ),
    (
        "KEEPWARM_TICK_SECONDS",
        "0",
        "KEEPWARM_TICK_SECONDS='0' is not valid: it takes a number above 0",
    ),
    (
        "KEEPWARM_TICK_SECONDS",
        "inf",
        "KEEPWARM_TICK_SECONDS='inf' is not valid: it takes a number above 0",
    ),
    (
        "KEEPWARM_DELIVERY_LEASE_SECONDS",
        "nan",
        "KEEPWARM_DELIVERY_LEASE_SECONDS='nan' is not valid: it takes a number above 0",
    ),
    (
        "KEEPWARM_DB_POOL_SIZE",
        "lots",
        "KEEPWARM_DB_POOL_SIZE='lots' is not valid: it takes a whole number from 1 to 500",
    ),
    (
        "KEEPWARM_PUBLIC_URL",
        "ftp://kw.example",
        "KEEPWARM_PUBLIC_URL must be an http(s) URL, e.g. https://kw.example",
    ),
]


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KEEPWARM_DATABASE_URL", f"sqlite:///{tmp_path / 'kw.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda argv: argv[0])
@pytest.mark.parametrize(("variable", "value", "line"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_setting_stops_every_command_with_one_line(
    command: tuple[str, ...],
    variable: str,
    value: str,
    line: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(variable, value)

    code = main(list(command))

    out, err = capsys.readouterr()
    assert (code, out, err) == (2, "", f"keepwarm: {line}\n")
    assert not Path("kw.db").exists()  # stopped before anything was done


def test_two_bad_settings_share_the_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KEEPWARM_PORT", "0")
    monkeypatch.setenv("KEEPWARM_WORKER_PORT", "http")

    assert main(["serve"]) == 2

    (line,) = capsys.readouterr().err.splitlines()
    assert "KEEPWARM_PORT='0'" in line and "KEEPWARM_WORKER_PORT='http'" in line


def test_a_health_check_with_a_bad_setting_answers_1_not_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KEEPWARM_PORT", "abc")
    assert main(["healthcheck"]) == 1  # a container runtime reserves 2
    assert len(capsys.readouterr().err.splitlines()) == 1


@pytest.mark.parametrize("command", ["serve", "worker", "migrate"])
def test_the_process_prints_one_line_text_or_json(command: str, tmp_path: Path) -> None:
    database = {"KEEPWARM_DATABASE_URL": f"sqlite:///{tmp_path / 'kw.db'}"}
    text = keepwarm(command, env={**database, "KEEPWARM_LOG_LEVEL": "verbose"})
    assert text.returncode == 2
    assert text.stderr == (
        "keepwarm: KEEPWARM_LOG_LEVEL='verbose' is not valid: "
        "it takes one of DEBUG, INFO, WARNING, ERROR\n"
    )

    as_json = keepwarm(
        command, env={**database, "KEEPWARM_PORT": "abc", "KEEPWARM_LOG_FORMAT": "JSON"}
    )
    assert as_json.returncode == 2
    (line,) = as_json.stderr.splitlines()
    record = json.loads(line)
    assert record["level"] == "ERROR" and record["variable"] == "KEEPWARM_PORT"
    assert record["message"] == (
        "KEEPWARM_PORT='abc' is not valid: it takes a whole number from 1 to 65535"
    )
    assert as_json.stdout == "" and not (tmp_path / "kw.db").exists()


@pytest.mark.parametrize("command", ["serve", "worker", "migrate", "create-account"])
def test_a_sqlite_file_that_cannot_be_opened_is_one_line_naming_the_url(command: str) -> None:
    argv = [command, "ann@example.com"] if command == "create-account" else [command]

    refused = keepwarm(*argv, env={"KEEPWARM_DATABASE_URL": "sqlite:////nonexistent/k.db"})

    assert refused.returncode == 1
    assert refused.stderr == (
        "keepwarm: KEEPWARM_DATABASE_URL: the database could not be used "
        "(unable to open database file)\n"
    )


def test_migrate_against_a_server_that_is_down_is_one_line() -> None:
    with socket.socket() as unused:  # a port nothing listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    url = f"postgresql+psycopg://keepwarm:s3cret-pw@127.0.0.1:{port}/keepwarm"

    refused = keepwarm("migrate", env={"KEEPWARM_DATABASE_URL": url, "KEEPWARM_LOG_FORMAT": "json"})

    assert refused.returncode == 1
    (line,) = refused.stderr.splitlines()
    record = json.loads(line)
    assert record["variable"] == "KEEPWARM_DATABASE_URL"
    assert "Connection refused" in record["message"] and "s3cret" not in line


def test_a_bad_database_url_with_json_logs_is_one_json_object(tmp_path: Path) -> None:
    env = {
        "KEEPWARM_DATABASE_URL": "postgresql+psycopg://u@h/db?timeout=5",
        "KEEPWARM_LOG_FORMAT": "json",
    }
    refused = keepwarm("migrate", env=env)
    assert refused.returncode == 2
    (line,) = refused.stderr.splitlines()
    assert json.loads(line)["variable"] == "KEEPWARM_DATABASE_URL"


def test_the_level_takes_any_case(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KEEPWARM_LOG_LEVEL", "warning")
    assert main(["openapi"]) == 0
    assert get_settings().log_level == "WARNING"
    capsys.readouterr()


def test_version_names_the_release_and_the_commit_of_this_checkout() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no HEAD to compare the commit with")
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()

    named = keepwarm("--version", env={})

    assert named.returncode == 0
    assert named.stdout == f"keepwarm {version('keepwarm')} (commit {head})\n"
