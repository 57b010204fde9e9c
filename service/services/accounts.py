"""Accounts, passwords, API keys, and the throttles of log-in and sign-up."""

from __future__ import annotations

import functools
import hashlib
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from service.db.models import Account, ApiKey, LoginThrottle, Organization
from service.services import calendar
from service.services.errors import Conflict, InvalidField, TooManyRequests, Unauthorized
from service.services.records import Page, get_owned, owned_select, paginate

# argon2id with the library's recommended parameters. Hashing and checking are slow on
# purpose: callers run them before their transaction, never inside one.
hasher = PasswordHasher()
KEY_PREFIX = "kw_"
LAST_USED_RESOLUTION = timedelta(minutes=1)
MIN_PASSWORD_LENGTH = 10
SIGN_UPS = ""  # the throttle row that counts a client's sign-ups (no email is empty)


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str


@dataclass(frozen=True)
class ThrottlePolicy:
    """At most `max_count` attempts within `period`; the last one locks for `period`."""

    max_count: int
    period: timedelta


@dataclass(frozen=True)
class Credentials:
    """What a log-in's password is checked against, read before its transaction."""

    account_id: uuid.UUID | None
    password_hash: str | None


@dataclass(frozen=True)
class Owner:
    """The account of an API key, read before its password is checked again."""

    email: str
    credentials: Credentials


class EmailTaken(Conflict):
    preserve_changes = True  # the sign-up still counts against the client's limit


class WrongPassword(InvalidField):
    preserve_changes = True  # counted against the email and client, like a failed log-in

    def __init__(self, field: str) -> None:
        super().__init__(field, "this is not your password")


def hash_key(secret: str) -> str:
    """Keys are 32 random bytes, so a fast hash is enough to store them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _issue_key(session: Session, account_id: uuid.UUID, name: str, now: datetime) -> IssuedKey:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(account_id=account_id, name=name, key_hash=hash_key(secret), created_at=now)
    session.add(key)
    session.flush()
    return IssuedKey(key, secret)


@functools.cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn's list of the most used passwords (MIT licence), the long enough ones, lower case.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    ranked: list[str] = FREQUENCY_LISTS["passwords"]
    return frozenset(word for word in ranked if len(word) >= MIN_PASSWORD_LENGTH)


def password_problem(password: str) -> str | None:
    """Why a new password is too easy to guess, or None when it will do."""
    folded = password.casefold()
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"use at least {MIN_PASSWORD_LENGTH} characters"
    if not password.strip():
        return "a password of spaces alone is too easy to guess"
    if password.isdigit():
        return "a password of digits alone is too easy to guess"
    if len(set(folded)) < 4:
        return "a password repeating so few characters is too easy to guess"
    common = _common_passwords()
    if folded in common or "".join(folded.split()) in common:
        return "this is one of the most common passwords; choose another"
    return None


def hash_password(password: str) -> str:
    """The argon2id hash of a password (slow: call it before any transaction)."""
    return hasher.hash(password)


@functools.cache
def _dummy_hash() -> str:
    # Checked for unknown emails, so that a log-in costs the same whether or not one exists.
    return hasher.hash("keepwarm-timing-equaliser")


def verify_password(credentials: Credentials, password: str) -> bool:
    """True when the password is the account's (slow, and as slow for an unknown email)."""
    dummy = _dummy_hash()  # made by whichever log-in comes first, known email or not
    try:
        matched = hasher.verify(credentials.password_hash or dummy, password)
    except (VerificationError, InvalidHashError):
        return False
    return matched and credentials.password_hash is not None


def sign_up(
    session: Session, *, email: str, password: str, now: datetime
) -> tuple[Account, IssuedKey]:
    """Create an account and its first API key (the command line's; hashes before any query)."""
    password_hash = hash_password(password)
    return register(session, email=email, password_hash=password_hash, now=now)


def register(
    session: Session,
    *,
    email: str,
    password_hash: str,
    now: datetime,
    client: str | None = None,
    policy: ThrottlePolicy | None = None,
) -> tuple[Account, IssuedKey]:
    """Create an account and its first API key; count the sign-up against the client's limit."""
    email = email.lower()
    if client is not None and policy is not None:
        throttle = _locked_throttle(session, SIGN_UPS, client, now)
        _refuse_while_locked(throttle, now, "Too many sign-ups from your address")
        _count(throttle, now, policy)
    if session.scalar(select(Account.id).where(Account.email == email)) is not None:
        raise EmailTaken("An account with this email already exists; log in with POST /v1/tokens.")
    account = Account(email=email, password_hash=password_hash, created_at=now)
    session.add(account)
    session.flush()
    calendar.feed_token(session, account.id, now=now)  # so reading the feed URL never writes
    return account, _issue_key(session, account.id, "sign-up", now)


# Read before anything slow: a locked client is refused without a hash.
_LOCK = select(LoginThrottle.locked_until).where(
    LoginThrottle.email == bindparam("email"), LoginThrottle.client == bindparam("client")
)
_CREDENTIALS = select(Account.id, Account.password_hash).where(Account.email == bindparam("email"))


def check_throttle(session: Session, *, email: str, client: str, now: datetime) -> None:
    """TooManyRequests while this email (SIGN_UPS: sign-up) is locked for this client."""
    locked_until = session.scalar(_LOCK, {"email": email.lower(), "client": client})
    if locked_until is not None and locked_until > now:
        what = "sign-ups from your address" if email == SIGN_UPS else "failed log-ins"
        raise _too_many(f"Too many {what}", locked_until, now)


def credentials(session: Session, *, email: str) -> Credentials:
    """The account and password hash of an email (both None when there is no such account)."""
    row = session.execute(_CREDENTIALS, {"email": email.lower()}).first()
    return Credentials(row.id, row.password_hash) if row else Credentials(None, None)


def log_in(
    session: Session,
    *,
    email: str,
    client: str,
    verified: Credentials | None,
    name: str,
    now: datetime,
    policy: ThrottlePolicy,
) -> IssuedKey:
    """Issue a key for a new device whose password was verified; count failures per client.

    `verified` is what verify_password accepted (None if it did not); a password changed
    since then is a failure.
    """
    email = email.lower()
    throttle = _locked_throttle(session, email, client, now)
    _refuse_while_locked(throttle, now, "Too many failed log-ins")
    account = None
    if verified is not None and verified.account_id is not None:
        account = session.scalar(
            select(Account).where(
                Account.id == verified.account_id,
                Account.password_hash == verified.password_hash,
            )
        )
    if account is None:
        _count(throttle, now, policy)
        raise Unauthorized("Email or password is wrong.")
    session.delete(throttle)
    return _issue_key(session, account.id, name, now)


_OWNER = (
    select(Account.id, Account.email, Account.password_hash)
    .join(ApiKey, ApiKey.account_id == Account.id)
    .where(ApiKey.key_hash == bindparam("key_hash"))
)


def key_owner(session: Session, *, key_hash: str, client: str, now: datetime) -> Owner:
    """The account of a key, before its password is checked again; refused while locked."""
    row = session.execute(_OWNER, {"key_hash": key_hash}).first()
    if row is None:
        raise Unauthorized("This API key is not valid (revoked or mistyped).")
    check_throttle(session, email=row.email, client=client, now=now)
    return Owner(row.email, Credentials(row.id, row.password_hash))


def change_password(
    session: Session,
    account_id: uuid.UUID,
    *,
    email: str,
    client: str,
    verified: Credentials | None,
    new_password_hash: str,
    now: datetime,
    policy: ThrottlePolicy,
) -> None:
    """Replace the password verified before this transaction; a wrong one counts as a failure.

    Checked again here against the hash that was verified, under the account's row lock:
    of two concurrent changes with the same password, the second finds it changed.
    """
    account = _reauthenticated(
        session, account_id, email, client, verified, "current_password", now, policy
    )
    account.password_hash = new_password_hash
    session.flush()


def delete_account(
    session: Session,
    account_id: uuid.UUID,
    *,
    email: str,
    client: str,
    verified: Credentials | None,
    now: datetime,
    policy: ThrottlePolicy,
) -> None:
    """Delete an account and every record of it, once its password is checked again."""
    # The organizations first, in id order (every writer's lock order), then the email's
    # throttles (a log-in holds one while its new key waits on the account row), then the
    # account: deleting it takes everything else by ON DELETE CASCADE.
    session.execute(
        select(Organization.id)
        .where(Organization.account_id == account_id)
        .order_by(Organization.id)
        .with_for_update()
    )
    session.execute(
        select(LoginThrottle.client)
        .where(LoginThrottle.email == email.lower())
        .order_by(LoginThrottle.client)
        .with_for_update()
    )
    account = _reauthenticated(
        session, account_id, email, client, verified, "password", now, policy, key_update=True
    )
    session.delete(account)
    session.execute(delete(LoginThrottle).where(LoginThrottle.email == account.email))


def _reauthenticated(
    session: Session,
    account_id: uuid.UUID,
    email: str,
    client: str,
    verified: Credentials | None,
    field: str,
    now: datetime,
    policy: ThrottlePolicy,
    *,
    key_update: bool = False,
) -> Account:
    """The account, row-locked, if `verified` is still its password; else a counted failure."""
    throttle = _locked_throttle(session, email.lower(), client, now)
    _refuse_while_locked(throttle, now, "Too many failed log-ins")
    account = None
    if verified is not None and verified.account_id == account_id:
        account = session.scalar(
            select(Account)
            .where(Account.id == account_id, Account.password_hash == verified.password_hash)
            # FOR NO KEY UPDATE for a new password: inserts that reference the account go on.
            .with_for_update(key_share=not key_update)
        )
    if account is None:
        _count(throttle, now, policy)
        raise WrongPassword(field)
    session.delete(throttle)
    return account


def _locked_throttle(session: Session, email: str, client: str, now: datetime) -> LoginThrottle:
    # Every attempt for one email and client takes the same row lock (SQLite: the write
    # lock), so concurrent guesses are counted one after the other.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    key = {"email": email, "client": client}
    for _ in range(2):  # the row may vanish under us: a concurrent success deletes it
        session.execute(
            insert(LoginThrottle)
            .values(**key, failures=0, first_failed_at=now, expires_at=now)
            .on_conflict_do_nothing(index_elements=["email", "client"])
        )
        throttle = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
        if throttle is not None:
            return throttle
    raise Conflict("Another log-in for this email is in progress; retry.")


def _too_many(what: str, locked_until: datetime, now: datetime) -> TooManyRequests:
    wait = max(math.ceil((locked_until - now).total_seconds()), 1)
    return TooManyRequests(f"{what}; retry in {wait} s.", wait)


def _refuse_while_locked(throttle: LoginThrottle, now: datetime, what: str) -> None:
    if throttle.locked_until is not None and throttle.locked_until > now:
        raise _too_many(what, throttle.locked_until, now)


def _count(throttle: LoginThrottle, now: datetime, policy: ThrottlePolicy) -> None:
    if throttle.failures == 0 or now - throttle.first_failed_at > policy.period:
        throttle.failures, throttle.first_failed_at, throttle.locked_until = 0, now, None
    throttle.failures += 1
    if throttle.failures >= policy.max_count:
        throttle.locked_until = now + policy.period
    throttle.expires_at = max(
        throttle.first_failed_at + policy.period, throttle.locked_until or now
    )


def purge_throttles(session: Session, *, now: datetime) -> int:
    """Forget throttle rows whose counts and locks have run out."""
    result = session.execute(delete(LoginThrottle).where(LoginThrottle.expires_at < now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class KeyUse:
    """Whose key made a request, and whether its last_used_at is worth a write."""

    key_id: uuid.UUID
    stale: bool


_KEY = select(ApiKey.account_id, ApiKey.id, ApiKey.last_used_at).where(
    ApiKey.key_hash == bindparam("key_hash")
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
    return _issue_key(session, account_id, name, now)


def get_account(session: Session, account_id: uuid.UUID) -> Account:
    """The account row (it exists: a key of it was just checked)."""
    return session.get_one(Account, account_id)


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
