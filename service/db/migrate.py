"""Alembic, driven from code: upgrade at start, readiness checks, tests."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Engine, create_engine, pool
from sqlalchemy.exc import SQLAlchemyError

from service.config import Settings
from service.db.reach import password_refused

log = logging.getLogger("keepwarm.migrate")


@dataclass(frozen=True)
class Step:
    """One migration applied or reverted."""

    revision: str
    description: str
    upgrade: bool

    def __str__(self) -> str:
        verb = "Applied" if self.upgrade else "Reverted"
        return f"{verb} {self.revision} {self.description}"


OnStep = Callable[[Step], None]


def migrations_dir() -> Path:
    """The Alembic scripts, shipped in the package (service.migrations: migrations/ at the top)."""
    scripts = files("service.migrations")
    if not isinstance(scripts, Path):  # Alembic reads its scripts from a real folder
        raise RuntimeError(f"the migrations are not in a folder ({scripts}): install unzipped")
    return scripts


def alembic_config(url: str, on_step: OnStep | None = None) -> Config:
    """An Alembic config pointing at our migrations and the given database; `on_step` hears
    of each migration as it is applied or reverted (migrations/env.py passes it to Alembic)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if on_step is not None:

        def on_version_apply(*, step: MigrationInfo, **_: Any) -> None:
            script = step.up_revision
            description = " ".join(script.doc.split()) if isinstance(script, Script) else ""
            on_step(Step(step.up_revision_id or "", description, step.is_upgrade))

        config.attributes["on_version_apply"] = on_version_apply
    return config


def migrate_at_start(settings: Settings) -> None:
    """Upgrade the schema when KEEPWARM_AUTO_MIGRATE says so (by default on SQLite only)."""
    if settings.migrates_at_start():
        upgrade(settings.database_url, on_step=lambda step: log.info("%s", step))


def upgrade(url: str, revision: str = "head", *, on_step: OnStep | None = None) -> None:
    """Bring the schema up to a revision (head by default)."""
    command.upgrade(alembic_config(url, on_step), revision)


def downgrade(url: str, revision: str = "base", *, on_step: OnStep | None = None) -> None:
    """Take the schema down to a revision (base by default)."""
    command.downgrade(alembic_config(url, on_step), revision)


def revisions_at(url: str) -> set[str]:
    """The revisions the database at `url` is at, read on a connection of its own."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        return current_revisions(engine)
    finally:
        engine.dispose()


def head_revisions(url: str) -> set[str]:
    """The revisions the migration scripts end at."""
    return set(_scripts(url)[0])


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database is at."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


SchemaState = Literal["head", "ahead", "behind"]


def schema_state(engine: Engine, url: str) -> SchemaState:
    """Where the database's schema stands for this code.

    "ahead" is a database a newer release has migrated (a revision these scripts do not
    know): migrations stay compatible with the previous release, so this code still runs.
    """
    heads, known = _scripts(url)
    current = current_revisions(engine)
    if current == heads:
        return "head"
    return "ahead" if current and not current <= known else "behind"


def readiness(engine: Engine, url: str) -> tuple[bool, dict[str, str]]:
    """/readyz's answer, for the API and the worker alike: whether this process may take work,
    and {status, database, migrations}. Ready unless the database is unreachable, refuses our
    password ("wrong_password") or is behind."""
    try:
        state = schema_state(engine, url)
    except (SQLAlchemyError, OSError) as exc:
        database = "wrong_password" if password_refused(exc) else "unreachable"
        return False, {"status": "unavailable", "database": database, "migrations": "unknown"}
    ready = state != "behind"
    return ready, {
        "status": "ok" if ready else "unavailable",
        "database": "ok",
        "migrations": state,
    }


@lru_cache
def _scripts(url: str) -> tuple[frozenset[str], frozenset[str]]:
    """The scripts' heads and every revision they know, read once (a readiness probe asks
    often, and the scripts do not change under a running process)."""
    script = ScriptDirectory.from_config(alembic_config(url))
    known = frozenset(revision.revision for revision in script.walk_revisions())
    return frozenset(script.get_heads()), known
