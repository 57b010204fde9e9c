"""Expand, then contract: the previous release's code still works on each migration's schema.

A rolling upgrade runs `keepwarm migrate` first while the previous release's replicas keep
serving. For every migration, the code as it was just before the migration was added (taken
from git history) signs up, logs in, records and lists against a database this tree's
migrations brought up to that revision.

On PostgreSQL only: that is where several replicas of two releases share a database. On
SQLite, serve migrates at start (KEEPWARM_AUTO_MIGRATE) and one host runs one release.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from service.db.migrate import alembic_config, migrations_dir, upgrade
from tests.conftest import PASSWORD
from tests.pg import create_database

ROOT = Path(__file__).resolve().parents[2]
# Where the dependencies of old releases that this one dropped (asyncpg) may be installed:
#   pip install --target DIR 'asyncpg>=0.29,<1'; KEEPWARM_ROLLOUT_PATH=DIR pytest ...
EXTRA_PATH = os.environ.get("KEEPWARM_ROLLOUT_PATH", "")


def _revisions() -> list[Any]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [r for r in reversed(list(script.walk_revisions())) if r.down_revision is not None]


# The newest migrations are run against the release before each of them on every run; the
# older ones passed this test when they were new, and a shipped migration never changes, so
# their files are pinned below instead (each old release costs some 10 s of CPU to run).
# KEEPWARM_TEST_ROLLOUT=all runs them all again.
NEWEST = 3
SHIPPED = {
    "0001_accounts_organizations_contacts_attempts.py": "5ef020b3b12e9928",
    "0002_account_settings_and_next_actions.py": "216d2181a7b7ba99",
    "0003_webhooks_outbox_deliveries_feeds.py": "5e93912ac7fc6fa0",
    "0004_next_action_body.py": "704b20ac5b9f604f",
    "0005_scripts_profile_greeting_news_tone.py": "979bbb8c595beee1",
    "0006_cadence_edges.py": "0eff8a44a82b6b0a",
    "0007_login_throttles_by_client.py": "c46539c827af2730",
    "0008_next_action_links.py": "a572a9b6e133d2cc",
    "0009_foreign_key_indexes.py": "c1c470da58cc0493",
    "0010_client_throttles_everywhere.py": "23302e0d3dc128ab",
    "0011_retention_indexes.py": "d5f9e352f7e6185b",
    "0012_talked_about_profile_phone_news_summary.py": "3412eb8956546679",
}


def _checked_revisions() -> list[Any]:
    every = _revisions()
    return every if os.environ.get("KEEPWARM_TEST_ROLLOUT") == "all" else every[-NEWEST:]


def test_a_shipped_migration_is_never_rewritten() -> None:
    versions = migrations_dir() / "versions"
    found = {
        name: hashlib.sha256((versions / name).read_bytes()).hexdigest()[:16] for name in SHIPPED
    }
    changed = [name for name, digest in SHIPPED.items() if found[name] != digest]
    assert not changed, (
        f"{changed} shipped in an earlier release: write a new migration instead (and run "
        "KEEPWARM_TEST_ROLLOUT=all pytest tests/db/test_rollout.py)"
    )


def _git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, timeout=30)
    if done.returncode != 0:
        pytest.skip(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode()


def previous_release(path: Path) -> str:
    """The commit just before the one that added this migration (HEAD if not committed)."""
    if _git("rev-parse", "--is-shallow-repository").strip() != "false":
        pytest.skip(
            "a shallow clone has no history of the previous releases (git fetch --unshallow)"
        )
    # Along the first parents: a migration a merge added (renumbered there, as 0013 was) is
    # found at the merge, whose first parent is the release before it.
    added = _git(
        "log",
        "--first-parent",
        "--diff-filter=A",
        "--format=%H",
        "--",
        str(path.relative_to(ROOT)),
    )
    if not added.split():
        return _git("rev-parse", "HEAD").strip()
    return _git("rev-parse", added.split()[-1] + "^").strip()


def extract(commit: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "service", "migrations"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    # Installed, a release finds its migrations as service.migrations (pyproject maps the
    # top-level folder there); run from a bare tree, it would find the editable install's, the
    # current ones, instead of its own.
    packaged = into / "service" / "migrations"
    if (into / "migrations").is_dir() and not packaged.exists():
        packaged.symlink_to(into / "migrations", target_is_directory=True)


def _code(path: Path) -> str:
    """A migration's statements: its docstring, comments and layout left out."""
    module = ast.parse(path.read_text())
    if module.body and isinstance(module.body[0], ast.Expr):
        module.body = module.body[1:]
    return ast.dump(module)


def rewritten_since(old: Path) -> list[str]:
    """The migrations the old release shipped that this tree has changed since."""
    current = migrations_dir() / "versions"
    return [
        shipped.name
        for shipped in sorted((old / "migrations" / "versions").glob("0*.py"))
        if not (current / shipped.name).exists() or _code(shipped) != _code(current / shipped.name)
    ]


# Run by the old release's own code, in a process of its own: one pass through the API.
SMOKE = """
import json, sys
from fastapi.testclient import TestClient
from service.config import Settings
from service.main import create_app

app = create_app(Settings(database_url=sys.argv[1], scheduler="off"))
routes = {getattr(route, "path", "") for route in app.routes}
seen = {}
loopback = {"base_url": "https://testserver", "client": ("127.0.0.1", 50000)}
with TestClient(app, raise_server_exceptions=False, **loopback) as client:
    def step(name, method, url, **kw):
        answer = client.request(method, url, **kw)
        seen[name] = [answer.status_code, answer.text[:300]]
        return answer.json() if answer.headers.get("content-type", "").endswith("json") else {}
    account = {"email": "rollout@example.com", "password": sys.argv[2]}
    key = step("sign up", "POST", "/v1/accounts", json=account).get("api_key")
    wrong = {**account, "password": "not the password at all"}
    step("failed log-in", "POST", "/v1/tokens", json=wrong)
    step("log-in", "POST", "/v1/tokens", json=account)
    auth = {"Authorization": f"Bearer {key}"}
    org = {"name": "Acme", "rejected_on": "2026-02-27"}
    org_id = step("organization", "POST", "/v1/organizations", json=org, headers=auth).get("id")
    ann = {"organization_id": org_id, "name": "Ann Lee", "role": "hiring_manager",
           "email": "ann@acme.example"}
    ann_id = step("contact", "POST", "/v1/contacts", json=ann, headers=auth).get("id")
    attempt = {"contact_id": ann_id, "channel": "email", "outcome": "sent"}
    step("attempt", "POST", "/v1/attempts", json=attempt, headers=auth)
    if "/v1/next-actions" in routes:
        step("next actions", "GET", "/v1/next-actions", headers=auth)
    step("readyz", "GET", "/readyz")
print(json.dumps(seen))
"""

EXPECTED = {
    "sign up": 201,
    "failed log-in": 401,
    "log-in": 201,
    "organization": 201,
    "contact": 201,
    "attempt": 201,
    "next actions": 200,
    "readyz": 200,
}


def run_smoke(old: Path, url: str) -> tuple[dict[str, list[Any]], str]:
    """What each step answered, and what the old release logged."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEEPWARM_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(old), EXTRA_PATH]))
    done = subprocess.run(
        [sys.executable, "-c", SMOKE, url, PASSWORD],
        cwd=old,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        missing = next(
            (line for line in done.stderr.splitlines() if "ModuleNotFoundError" in line), None
        )
        if missing and "'service" not in missing:
            pytest.skip(
                f"the previous release ({old.name}) needs a package no longer installed "
                f"({missing}); install it with pip install --target DIR and set "
                "KEEPWARM_ROLLOUT_PATH=DIR"
            )
        pytest.fail(f"the previous release did not run:\n{done.stderr[-3000:]}")
    seen: dict[str, list[Any]] = json.loads(done.stdout.splitlines()[-1])
    return seen, done.stderr


@pytest.mark.parametrize("revision", _checked_revisions(), ids=lambda r: r.revision)
def test_the_previous_release_runs_on_the_migrated_schema(
    revision: Any, pg_server: str, tmp_path: Path
) -> None:
    commit = previous_release(Path(revision.path))
    old = tmp_path / commit[:7]
    old.mkdir()
    extract(commit, old)
    url = create_database(pg_server, f"keepwarm_rollout_{revision.revision}")
    upgrade(url, revision.revision)

    seen, logged = run_smoke(old, url)

    # Releases before schema_state call a newer schema "behind" and leave the pool: not a
    # schema break, but rolling upgrades from them drop those replicas' traffic.
    old_migrate = (old / "service" / "db" / "migrate.py").read_text()
    if "def schema_state" not in old_migrate and seen["readyz"][0] == 503:
        assert json.loads(seen["readyz"][1])["database"] == "ok"
        seen.pop("readyz")
    failed = {step: status for step, (status, _) in seen.items() if status != EXPECTED[step]}
    rewritten = rewritten_since(old)
    if failed and rewritten:
        pytest.skip(
            f"the release before {revision.revision} ({commit[:7]}) shipped {rewritten} as "
            f"since rewritten, so it never ran on this schema; it fails: {failed}"
        )
    errors = [line for line in logged.splitlines() if "Error" in line][-3:]
    assert not failed, f"answers {failed}; the previous release logged: {errors}"
