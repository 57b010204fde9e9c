"""`keepwarm migrate`: a line per migration, and a downgrade only with a revision and --yes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from service.db.migrate import alembic_config, current_revisions, upgrade
from service.db.session import make_engine
from tests.conftest import BACKENDS, make_database
from tests.test_cli import keepwarm


def scripts(url: str) -> list[tuple[str, str]]:
    """Every (revision, first paragraph of its docstring), oldest first."""
    directory = ScriptDirectory.from_config(alembic_config(url))
    return [
        (s.revision, " ".join(s.doc.split())) for s in reversed(list(directory.walk_revisions()))
    ]


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def at(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return current_revisions(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return make_database(request.param, request, tmp_path, "keepwarm_migrate_cli")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For a refusal, which the command makes before it changes anything on either database
    (the steps it does run, up and down and a failing one, are tested on both)."""
    return f"sqlite:///{tmp_path / 'keepwarm_migrate_cli.db'}"


def test_migrate_prints_a_line_per_migration_then_already_at_head(url: str) -> None:
    env = {"KEEPWARM_DATABASE_URL": url}
    every = scripts(url)
    head = every[-1][0]

    first = keepwarm("migrate", env=env)

    assert first.returncode == 0, first.stderr
    expected = [f"Applied {revision} {doc}" for revision, doc in every]
    assert first.stdout.splitlines() == [*expected, f"Now at {head} (head)"]
    again = keepwarm("migrate", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"Already at {head} (head)\n"


@pytest.mark.parametrize(
    "argv",
    [("--downgrade",), ("--downgrade", "--yes"), ("base", "--downgrade")],
    ids=["no-revision-no-yes", "no-revision", "no-yes"],
)
def test_an_unconfirmed_downgrade_changes_nothing_and_says_what_it_needs(
    sqlite_url: str, argv: tuple[str, ...]
) -> None:
    env = {"KEEPWARM_DATABASE_URL": sqlite_url}
    upgrade(sqlite_url)  # in-process: the refusal is what runs as a command
    before, head = tables(sqlite_url), at(sqlite_url)

    refused = keepwarm("migrate", *argv, env=env)

    assert refused.returncode == 2
    assert refused.stdout == ""
    (line,) = refused.stderr.splitlines()
    assert "REVISION" in line and "--yes" in line and "nothing was changed" in line
    assert tables(sqlite_url) == before and at(sqlite_url) == head and len(before) > 10


def test_an_unconfirmed_downgrade_with_json_logs_is_one_json_object(sqlite_url: str) -> None:
    env = {"KEEPWARM_DATABASE_URL": sqlite_url, "KEEPWARM_LOG_FORMAT": "json"}
    upgrade(sqlite_url)

    refused = keepwarm("migrate", "--downgrade", env=env)

    assert refused.returncode == 2
    (line,) = refused.stderr.splitlines()
    record = json.loads(line)
    assert record["level"] == "ERROR" and "--yes" in record["message"]


def test_a_confirmed_downgrade_prints_each_migration_it_reverts(url: str) -> None:
    env = {"KEEPWARM_DATABASE_URL": url}
    assert keepwarm("migrate", env=env).returncode == 0
    every = scripts(url)
    target = every[-3][0]

    down = keepwarm("migrate", target, "--downgrade", "--yes", env=env)

    assert down.returncode == 0, down.stderr
    reverted = [f"Reverted {revision} {doc}" for revision, doc in reversed(every[-2:])]
    assert down.stdout.splitlines() == [*reverted, f"Now at {target}"]
    assert at(url) == {target}
    up = keepwarm("migrate", env=env)
    assert up.stdout.splitlines()[:2] == [f"Applied {r} {doc}" for r, doc in every[-2:]]


@pytest.mark.parametrize(
    "argv",
    [("nosuch",), ("0011", "--downgrade", "--yes"), ("head", "--downgrade", "--yes")],
    ids=["unknown", "downgrade-above", "downgrade-to-head"],
)
def test_a_revision_alembic_cannot_go_to_is_one_line_and_exit_2(
    sqlite_url: str, argv: tuple[str, ...]
) -> None:
    env = {"KEEPWARM_DATABASE_URL": sqlite_url}
    upgrade(sqlite_url, "0009")

    refused = keepwarm("migrate", *argv, env=env)

    assert refused.returncode == 2, refused.stderr
    assert refused.stdout == ""
    (line,) = refused.stderr.splitlines()
    assert line.startswith("keepwarm: migrate: ") and argv[0] in line
    assert "nothing was changed" in line and "Traceback" not in line
    assert at(sqlite_url) == {"0009"}


def test_a_failing_migration_leaves_the_ones_printed_before_it_applied(url: str) -> None:
    env = {"KEEPWARM_DATABASE_URL": url}
    assert keepwarm("migrate", "0007", env=env).returncode == 0
    # An index by the name 0009 gives one of its own: 0009 fails, after 0008 went through.
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE INDEX ix_news_items_account_id ON news_items (id)"))
    engine.dispose()
    every = dict(scripts(url))

    failed = keepwarm("migrate", env=env)

    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [f"Applied 0008 {every['0008']}"]
    (line,) = failed.stderr.splitlines()
    assert line.startswith("keepwarm: migrate: a migration failed (") and "Traceback" not in line
    assert line.endswith("the schema is at 0008")
    assert at(url) == {"0008"}
