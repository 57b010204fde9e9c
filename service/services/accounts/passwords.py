"""Passwords: how strong a new one must be, and hashing and checking (slow on purpose)."""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2id with the library's recommended parameters. Hashing and checking are slow on
# purpose: callers run them before their transaction, never inside one.
hasher = PasswordHasher()


MIN_PASSWORD_LENGTH = 10
# zxcvbn's estimate, 0 to 4: 3 is "safely unguessable" by an online attack. It reads the first
# 72 characters (its own limit; the cost grows with the length).
MIN_SCORE = 3
ESTIMATED_LENGTH = 72
# An email's name this short ("al") turns up inside too many good passwords to refuse them.
MIN_NAME_LENGTH = 3
# A word of the email's name ("lovelace" in ada.lovelace@…) this long is refused on its own.
NAME_WORD_LENGTH = 4


@dataclass(frozen=True)
class Credentials:
    """What a log-in's password is checked against, read before its transaction."""

    account_id: uuid.UUID | None
    password_hash: str | None


@functools.cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn's list of the most used passwords (MIT licence), the long enough ones, lower case.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

    ranked: list[str] = FREQUENCY_LISTS["passwords"]
    return frozenset(word for word in ranked if len(word) >= MIN_PASSWORD_LENGTH)


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why a new password is too easy to guess, or None when it will do.

    The strength estimate takes milliseconds (up to 50 for a long one): call it before any
    transaction, and off the event loop.
    """
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
    names = _email_names(email)
    if names and (
        _contains(folded, names[0])
        or any(len(word) >= NAME_WORD_LENGTH and word in folded for word in _words(names[0]))
    ):
        return "it contains your email's name; choose another"
    return _estimate(password[:ESTIMATED_LENGTH], names)


def _email_names(email: str | None) -> list[str]:
    """The email's name (its local part) first, then the words of the name and the domain."""
    if not email or "@" not in email:
        return []
    local, _, domain = email.casefold().rpartition("@")
    words = _words(f"{local} {domain}")
    return [local, *(word for word in words if len(word) >= MIN_NAME_LENGTH)]


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[\W_\d]+", text) if word]


def _contains(folded: str, name: str) -> bool:
    if len(name) < MIN_NAME_LENGTH:
        return False
    compact = re.sub(r"[\W_]+", "", name)
    bare = re.sub(r"[\W_]+", "", folded)
    return name in folded or (len(compact) >= MIN_NAME_LENGTH and compact in bare)


def _estimate(password: str, names: list[str]) -> str | None:
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]

    result = zxcvbn(password, user_inputs=names)
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    said = " ".join(part for part in [feedback["warning"], *feedback["suggestions"]] if part)
    return f"too easy to guess. {said or 'Add another word or two; uncommon words are better.'}"


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
