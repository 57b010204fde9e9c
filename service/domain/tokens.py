"""Random secrets: webhook signing keys and calendar feed tokens."""

from __future__ import annotations

import base64
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A fresh signing secret: whsec_ and 32 random bytes in base64 (Standard Webhooks)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def new_feed_token() -> str:
    """An unguessable token for a calendar feed URL (32 random bytes)."""
    return secrets.token_urlsafe(32)


def bearer_matches(authorization: str, token: str) -> bool:
    """Whether an Authorization header value is `Bearer <token>`.

    Compared in constant time, as bytes (compare_digest refuses non-ASCII text): how long a
    wrong guess takes tells nothing of the token.
    """
    scheme, _, given = authorization.partition(" ")
    matches = hmac.compare_digest(given.strip().encode(), token.encode())
    return scheme.lower() == "bearer" and matches


def new_mail_token() -> str:
    """The token of a logging address, log-<token>@domain: 120 random bits in lower-case
    base32, as some mail systems fold the case of an address's local part."""
    return base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()


def new_unsubscribe_token() -> str:
    """The capability in a reminder's one-click unsubscribe URL (32 random bytes)."""
    return secrets.token_urlsafe(32)
