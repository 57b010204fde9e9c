"""API keys: issued once, stored as hashes, identified on every request, revoked at once."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from service.db.models import ApiKey
from service.services.errors import Unauthorized
from service.services.records.shared import Page, get_owned, owned_select, paginate

KEY_PREFIX = "kw_"


LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str


def hash_key(secret: str) -> str:
    """Keys are 32 random bytes, so a fast hash is enough to store them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_key(session: Session, account_id: uuid.UUID, name: str, now: datetime) -> IssuedKey:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(account_id=account_id, name=name, key_hash=hash_key(secret), created_at=now)
    session.add(key)
    session.flush()
    return IssuedKey(key, secret)


@dataclass(frozen=True)
class KeyUse:
    """Whose key made a request, and whether its last_used_at is worth a write."""

    key_id: uuid.UUID
    stale: bool


# A Core statement of the table's columns: the ORM's handling of a column select cost more
# than the read itself, on every request.
_keys = ApiKey.__table__.c
_KEY = select(_keys.account_id, _keys.id, _keys.last_used_at).where(
    _keys.key_hash == bindparam("key_hash")
)


def identify(session: Session, key_hash: str, now: datetime) -> tuple[uuid.UUID, KeyUse]:
    """The account of a key (by its stored hash) and its use; Unauthorized when revoked."""
    row = session.execute(_KEY, {"key_hash": key_hash}).first()
    if row is None:  # revoked keys are deleted rows
        raise Unauthorized("This API key is not valid (revoked or mistyped).")
    stale = row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION
    return row.account_id, KeyUse(row.id, stale)


def touch_key(session: Session, key_id: uuid.UUID, now: datetime) -> None:
    """Record when a key was last used (to the minute)."""
    session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))


def list_keys(
    session: Session, account_id: uuid.UUID, *, limit: int, cursor: str | None
) -> Page[ApiKey]:
    """The account's keys, oldest first."""
    stmt = owned_select(ApiKey, account_id)
    return paginate(session, stmt, ApiKey.created_at, ApiKey.id, limit=limit, cursor=cursor)


def create_key(session: Session, account_id: uuid.UUID, *, name: str, now: datetime) -> IssuedKey:
    """A new key for an account that is already signed in."""
    return issue_key(session, account_id, name, now)


def get_key(session: Session, account_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    """One key of the account (never its secret), or NotFound."""
    return get_owned(session, ApiKey, account_id, key_id, "API key")


def reissue_key(session: Session, account_id: uuid.UUID, key_id: uuid.UUID) -> IssuedKey:
    """A new secret for an existing key; the previous secret stops working at once."""
    key = get_key(session, account_id, key_id)
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key.key_hash = hash_key(secret)
    session.flush()
    return IssuedKey(key, secret)


def revoke_key(session: Session, account_id: uuid.UUID, key_id: uuid.UUID) -> None:
    """Delete a key: the next request that uses it is refused."""
    session.delete(get_key(session, account_id, key_id))
