"""Stored first responses of POST requests that carried an Idempotency-Key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
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


def find(
    session: Session,
    account_id: uuid.UUID,
    key: str,
    request_hash: str,
    *,
    now: datetime,
) -> StoredResponse | None:
    """The first response for this key, None if new; 422 if the key came with another body."""
    record = session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.account_id == account_id, IdempotencyRecord.key == key
        )
    )
    if record is None:
        return None
    if now - record.created_at > RETENTION:
        session.delete(record)
        session.flush()
        return None
    if record.request_hash != request_hash:
        raise InvalidField(
            "Idempotency-Key",
            "this key was already used with a different request; use a new key",
            location="header",
        )
    return StoredResponse(record.status_code, record.body, record.location, record.etag)


def remember(
    session: Session,
    account_id: uuid.UUID,
    key: str,
    request_hash: str,
    response: StoredResponse,
    *,
    now: datetime,
) -> None:
    """Keep the first response, in the same transaction as the change it reports."""
    session.add(
        IdempotencyRecord(
            account_id=account_id,
            key=key,
            request_hash=request_hash,
            status_code=response.status_code,
            body=response.body,
            location=response.location,
            etag=response.etag,
            created_at=now,
        )
    )
    session.flush()


def purge_expired(session: Session, *, now: datetime) -> int:
    """Forget records older than twice the retention."""
    result = session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - 2 * RETENTION)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
