"""Accounts, passwords, API keys and the log-in throttle."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from service.db.models import Account, ApiKey, LoginThrottle
from service.services import calendar
from service.services.errors import Conflict, NotFound, TooManyRequests, Unauthorized
from service.services.records import Page, owned_select, paginate

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
_DUMMY_HASH = _hasher.hash("keepwarm-timing-equaliser")
KEY_PREFIX = "kw_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int
    lockout: timedelta


def hash_key(secret: str) -> str:
    """Keys are 32 random bytes, so a fast hash is enough to store them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _issue_key(session: Session, account_id: uuid.UUID, name: str, now: datetime) -> IssuedKey:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(account_id=account_id, name=name, key_hash=hash_key(secret), created_at=now)
    session.add(key)
    session.flush()
    return IssuedKey(key, secret)


def sign_up(
    session: Session, *, email: str, password: str, now: datetime
) -> tuple[Account, IssuedKey]:
    """Create an account and its first API key."""
    email = email.lower()
    if session.scalar(select(Account.id).where(Account.email == email)) is not None:
        raise Conflict("An account with this email already exists; log in with POST /v1/tokens.")
    account = Account(email=email, password_hash=_hasher.hash(password), created_at=now)
    session.add(account)
    session.flush()
    calendar.feed_token(session, account.id, now=now)  # so reading the feed URL never writes
    return account, _issue_key(session, account.id, "sign-up", now)


def log_in(
    session: Session,
    *,
    email: str,
    password: str,
    name: str,
    now: datetime,
    policy: LoginPolicy,
) -> IssuedKey:
    """Check a password and issue a key for a new device; throttle repeated failures."""
    email = email.lower()
    throttle = _locked_throttle(session, email, now)
    if throttle.locked_until is not None and throttle.locked_until > now:
        wait = int((throttle.locked_until - now).total_seconds()) + 1
        raise TooManyRequests(f"Too many failed log-ins for this email; retry in {wait} s.", wait)
    account = session.scalar(select(Account).where(Account.email == email))
    if account is None or not _verify(account.password_hash, password):
        _record_failure(throttle, now, policy)
        raise Unauthorized("Email or password is wrong.")
    session.delete(throttle)
    return _issue_key(session, account.id, name, now)


def _locked_throttle(session: Session, email: str, now: datetime) -> LoginThrottle:
    # Every attempt for one email takes the same row lock (SQLite: the write lock), so
    # concurrent guesses are counted one after the other instead of racing to create it.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for _ in range(2):  # the row may vanish under us: a concurrent success deletes it
        session.execute(
            insert(LoginThrottle)
            .values(email=email, failures=0, first_failed_at=now)
            .on_conflict_do_nothing(index_elements=["email"])
        )
        throttle = session.get(LoginThrottle, email, with_for_update=True, populate_existing=True)
        if throttle is not None:
            return throttle
    raise Conflict("Another log-in for this email is in progress; retry.")


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _record_failure(throttle: LoginThrottle, now: datetime, policy: LoginPolicy) -> None:
    if throttle.failures == 0 or now - throttle.first_failed_at > policy.lockout:
        throttle.failures, throttle.first_failed_at, throttle.locked_until = 0, now, None
    throttle.failures += 1
    if throttle.failures >= policy.max_failures:
        throttle.locked_until = now + policy.lockout


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
    return _issue_key(session, account_id, name, now)


def get_account(session: Session, account_id: uuid.UUID) -> Account:
    """The account row (it exists: a key of it was just checked)."""
    return session.get_one(Account, account_id)


def get_key(session: Session, account_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    """One key of the account (never its secret), or NotFound."""
    key = session.get(ApiKey, key_id)
    if key is None or key.account_id != account_id:
        raise NotFound("API key")
    return key


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
