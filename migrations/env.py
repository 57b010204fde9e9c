"""Alembic environment: the models' metadata, the URL from the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from service.db import cadence, mail, models, outbox  # noqa: F401  (register every table)
from service.db.base import Base

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Replicas starting together: one migrates, the others wait and find it done.
            connection.exec_driver_sql("SELECT pg_advisory_lock(727465)")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            # Each migration commits on its own: a later one failing leaves the earlier ones
            # applied, as the lines printed for them say (in one transaction they rolled back).
            transaction_per_migration=True,
            # service.db.migrate's report of each step (`keepwarm migrate` prints them).
            on_version_apply=config.attributes.get("on_version_apply", ()),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
