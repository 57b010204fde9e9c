"""Accounts: sign-up, log-in, password change and deletion, and the throttles of log-in and
sign-up (passwords and keys have modules of their own beside this one)."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from service.db.models import Account, ApiKey, EmailThrottle, LoginThrottle, Organization
from service.services.accounts import api_keys, passwords, private_tokens
from service.services.errors import Conflict, InvalidField, TooManyRequests, Unauthorized

SIGN_UPS = ""  # the throttle row that counts a client's sign-ups (no email is empty)
# How long a row of the previous release's throttle is kept once its lock or first failure
# is past: longer than any lock that release set.
EMAIL_THROTTLE_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class ThrottlePolicy:
    """At most `max_count` attempts within `period`; the last one locks for `period`."""

    max_count: int
    period: timedelta


@dataclass(frozen=True)
class Owner:
    """The account of an API key, read before its password is checked again."""

    email: str
    credentials: passwords.Credentials


class EmailTaken(Conflict):
    preserve_changes = True  # the sign-up still counts against the client's limit


class WrongPassword(InvalidField):
    preserve_changes = True  # counted against the email and client, like a failed log-in

    def __init__(self, field: str) -> None:
        super().__init__(field, "this is not your password")


def sign_up(
    session: Session, *, email: str, password: str, now: datetime
) -> tuple[Account, api_keys.IssuedKey]:
    """Create an account and its first API key (the command line's; hashes before any query)."""
    password_hash = passwords.hash_password(password)
    return register(session, email=email, password_hash=password_hash, now=now)


def register(
    session: Session,
    *,
    email: str,
    password_hash: str,
    now: datetime,
    client: str | None = None,
    policy: ThrottlePolicy | None = None,
    key_name: str = "sign-up",
) -> tuple[Account, api_keys.IssuedKey]:
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
    private_tokens.issue_all(session, account.id, now=now)
    return account, api_keys.issue_key(session, account.id, key_name, now)


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


def credentials(session: Session, *, email: str) -> passwords.Credentials:
    """The account and password hash of an email (both None when there is no such account)."""
    row = session.execute(_CREDENTIALS, {"email": email.lower()}).first()
    return (
        passwords.Credentials(row.id, row.password_hash)
        if row
        else passwords.Credentials(None, None)
    )


def log_in(
    session: Session,
    *,
    email: str,
    client: str,
    verified: passwords.Credentials | None,
    name: str,
    now: datetime,
    policy: ThrottlePolicy,
) -> api_keys.IssuedKey:
    """Issue a key for a new device whose password was verified; count failures per client.

    `verified` is what passwords.verify_password accepted (None if it did not); a password changed
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
    return api_keys.issue_key(session, account.id, name, now)


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
    return Owner(row.email, passwords.Credentials(row.id, row.password_hash))


def change_password(
    session: Session,
    account_id: uuid.UUID,
    *,
    email: str,
    client: str,
    verified: passwords.Credentials | None,
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
    verified: passwords.Credentials | None,
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
    session.execute(delete(EmailThrottle).where(EmailThrottle.email == account.email))


def _reauthenticated(
    session: Session,
    account_id: uuid.UUID,
    email: str,
    client: str,
    verified: passwords.Credentials | None,
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
    last = func.coalesce(EmailThrottle.locked_until, EmailThrottle.first_failed_at)
    old = session.execute(delete(EmailThrottle).where(last < now - EMAIL_THROTTLE_KEPT))
    return int(result.rowcount or 0) + int(old.rowcount or 0)  # type: ignore[attr-defined]


def get_account(session: Session, account_id: uuid.UUID) -> Account:
    """The account row (it exists: a key of it was just checked)."""
    return session.get_one(Account, account_id)
