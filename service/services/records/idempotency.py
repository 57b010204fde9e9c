"""Stored first responses of POST requests that carried an Idempotency-Key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from service.db.models import IdempotencyRecord
from service.services.errors import InvalidField

RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: str
    location: str | None
    etag: str | None = None


PENDING = 0  # the status of a key whose first request has not finished


def claim(
    session: Session,
    account_id: uuid.UUID,
    key: str,
    request_hash: str,
    *,
    now: datetime,
) -> StoredResponse | None:
    """The first response for this key, or None when this request is the first to finish.

    The key is written first and locked: a concurrent request with the same key waits for
    this one's transaction to end, then replays its response (or, if it failed, takes the
    key over). 422 if the key came with another body.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(IdempotencyRecord)
        .values(
            id=uuid.uuid4(),
            account_id=account_id,
            key=key,
            request_hash=request_hash,
            status_code=PENDING,
            body="",
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["account_id", "key"])
    )
    record = session.scalars(
        select(IdempotencyRecord)
        .where(IdempotencyRecord.account_id == account_id, IdempotencyRecord.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    # Pending under our lock: inserted just now, or left by a request that did not finish.
    if record.status_code == PENDING or now - record.created_at > RETENTION:
        record.request_hash, record.status_code, record.created_at = request_hash, PENDING, now
        session.flush()
        return None
    if record.request_hash != request_hash:
        raise InvalidField(
            "Idempotency-Key",
            "this key was already used with a different request; use a new key",
            location="header",
        )
    return StoredResponse(record.status_code, record.body, record.location, record.etag)


def remember(session: Session, account_id: uuid.UUID, key: str, response: StoredResponse) -> None:
    """Keep the first response of a claimed key, in the same transaction as the change."""
    session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.account_id == account_id, IdempotencyRecord.key == key)
        .values(
            status_code=response.status_code,
            body=response.body,
            location=response.location,
            etag=response.etag,
        )
    )


def purge_expired(session: Session, *, now: datetime) -> int:
    """Forget records older than twice the retention."""
    result = session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - 2 * RETENTION)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
