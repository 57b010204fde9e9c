"""Migrations: up, down and up again in fresh databases; the models and the schema agree."""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import service.db
from service.config import Settings, Toggle
from service.db.base import Base
from service.db.cadence import NextAction
from service.db.migrate import alembic_config, current_revisions, downgrade, head_revisions, upgrade
from service.db.models import Contact
from service.db.session import make_engine
from service.main import create_app
from service.services.planning import action_body
from tests.conftest import BACKENDS, LOOPBACK, PASSWORD, Clock, make_database


def _register_every_model() -> None:
    for module in pkgutil.iter_modules(service.db.__path__):
        importlib.import_module(f"service.db.{module.name}")


_register_every_model()
MODEL_TABLES = set(Base.metadata.tables)


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """A brand-new empty database of its own (never the one the API tests use)."""
    url = make_database(request.param, request, tmp_path, "keepwarm_migrations")
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_upgrade_downgrade_upgrade(fresh: tuple[str, Engine]) -> None:
    url, engine = fresh
    assert tables(engine) == set()

    upgrade(url)
    assert tables(engine) == MODEL_TABLES | {"alembic_version"}
    assert current_revisions(engine) == head_revisions(url)

    downgrade(url)
    assert tables(engine) == {"alembic_version"}  # nothing left behind
    assert current_revisions(engine) == set()

    upgrade(url)
    assert tables(engine) == MODEL_TABLES | {"alembic_version"}
    assert current_revisions(engine) == head_revisions(url)


def test_the_migrated_schema_matches_the_models(fresh: tuple[str, Engine]) -> None:
    url, engine = fresh
    upgrade(url)
    found = differences(engine)
    assert found == [], f"the models and the migrations disagree: {found}"


def test_each_revision_steps_down_and_up(fresh: tuple[str, Engine]) -> None:
    url, engine = fresh
    script = ScriptDirectory.from_config(alembic_config(url))
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert revisions, "no migrations found"

    seen: set[str] = set()
    for revision in revisions:
        upgrade(url, revision)
        after_up = tables(engine)
        downgrade(url, "-1")
        left = tables(engine) - {"alembic_version"}
        assert left == seen, f"downgrading {revision} left {left - seen}, dropped {seen - left}"
        upgrade(url, revision)
        assert tables(engine) == after_up
        seen = after_up - {"alembic_version"}
    assert current_revisions(engine) == head_revisions(url)
    assert differences(engine) == []


def test_there_is_one_head(fresh: tuple[str, Engine]) -> None:
    url, _ = fresh
    assert len(head_revisions(url)) == 1, "merge the migration branches"


def test_a_database_the_first_0007_migrated_gets_its_client_throttles(
    fresh: tuple[str, Engine],
) -> None:
    url, engine = fresh
    upgrade(url, "0009")
    # The first version of 0007 changed login_throttles in place and created no new table.
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE client_throttles")

    upgrade(url)

    assert "client_throttles" in tables(engine)
    assert differences(engine) == []


def _actions_written_by_the_app(url: str) -> None:
    """Next actions in every state, with details a body must carry exactly (an address with
    a +, accents, a phone with a +, times with microseconds)."""
    clock = Clock()
    clock.set(datetime(2026, 3, 2, 15, 0, 0, 123456, tzinfo=UTC))
    app = create_app(Settings(database_url=url, scheduler=Toggle.OFF))
    app.state.clock = clock.now
    with TestClient(app, base_url="https://testserver", client=LOOPBACK) as client:
        account = {"email": "ada@example.com", "password": PASSWORD}
        key = client.post("/v1/accounts", json=account).json()["api_key"]
        client.headers["Authorization"] = f"Bearer {key}"
        for n, (name, email, phone) in enumerate(
            [
                ("Zoë Ångström", "zoe+keepwarm@café.example", "+1 312 555 0100"),
                ("Bob O'Neil", None, "312.555.0199"),
                ("Chloé Dupont", "chloe@example.com", None),
            ]
        ):
            organization = {"name": f"Café Ünïcode & Co {n}", "rejected_on": "2026-02-27"}
            made = client.post("/v1/organizations", json=organization).json()
            contact = {
                "organization_id": made["id"],
                "name": name,
                "role": "hiring_manager",
                "email": email,
                "phone": phone,
                "profile_url": f"https://www.linkedin.com/in/person-{n}" if n else None,
            }
            person = client.post("/v1/contacts", json=contact)
            assert person.status_code == 201, person.text
            (action,) = client.get(
                "/v1/next-actions", params={"organization_id": made["id"]}
            ).json()["data"]
            if n == 0:
                done = {"contact_id": person.json()["id"], "channel": action["channel"]}
                done |= {"next_action_id": action["id"], "outcome": "conversation"}
                assert client.post("/v1/attempts", json=done).status_code == 201
            elif n == 1:
                assert client.post(f"/v1/next-actions/{action['id']}/skip").status_code == 200
    app.state.engine.dispose()


def test_0014_renders_the_missing_bodies_as_the_app_does(fresh: tuple[str, Engine]) -> None:
    url, engine = fresh
    upgrade(url)
    _actions_written_by_the_app(url)
    with engine.connect() as connection:
        rendered = dict(connection.execute(text("SELECT id, body FROM next_actions")).all())
    assert len(rendered) == 5  # done, skipped, and the three organizations' open ones

    downgrade(url, "0013")
    with engine.begin() as connection:
        connection.execute(text("UPDATE next_actions SET body = NULL"))  # as 0008 left them
    upgrade(url)

    with engine.connect() as connection:
        backfilled = dict(connection.execute(text("SELECT id, body FROM next_actions")).all())
    assert backfilled == rendered
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE next_actions SET body = NULL"))
    downgrade(url, "0013")
    with engine.begin() as connection:
        connection.execute(text("UPDATE next_actions SET body = NULL"))  # nullable again


def test_0014_gives_scripts_from_before_0005_what_the_app_renders_again(
    fresh: tuple[str, Engine],
) -> None:
    """A script stored before situations and greetings (0005) is filled in with the body's
    values, so the app's next render of the row (a contact's new email, a snooze) works and
    says the same."""
    url, engine = fresh
    upgrade(url)
    _actions_written_by_the_app(url)
    downgrade(url, "0013")
    scripts = sa.table("next_actions", sa.column("id", sa.Uuid()), sa.column("script", sa.JSON()))
    with engine.begin() as connection:
        for action_id, script in connection.execute(sa.select(scripts)).all():
            old = {k: v for k, v in script.items() if k not in ("situation", "greeting")}
            connection.execute(scripts.update().where(scripts.c.id == action_id).values(script=old))
        connection.execute(text("UPDATE next_actions SET body = NULL"))
    upgrade(url)

    with Session(engine) as session:
        actions = session.scalars(select(NextAction)).all()
        assert len(actions) == 5
        for action in actions:
            contact = session.get_one(Contact, action.contact_id)
            assert action_body.render(action, contact) == action.body
            shown = json.loads(action.body)["script"]
            assert shown["situation"] in {"first_touch", "warm", "maintenance", "opening"}
            assert shown["greeting"] == ""


def test_0015_finishes_when_run_again_after_a_deploy_stopped_halfway(
    fresh: tuple[str, Engine],
) -> None:
    """Its indexes are built outside a transaction on PostgreSQL: some may exist already."""
    url, engine = fresh
    upgrade(url, "0014")
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE INDEX ix_attempts_contact_history ON attempts (contact_id, occurred_at, id)"
            )
        )
    upgrade(url)

    built = {index["name"] for index in inspect(engine).get_indexes("attempts")}
    assert {"ix_attempts_contact_history", "ix_attempts_referrals"} <= built
    assert current_revisions(engine) == head_revisions(url)
