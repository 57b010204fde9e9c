"""Alembic revisions (one change each; Alembic skips this file)."""
