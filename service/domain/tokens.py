"""Random secrets: webhook signing keys and calendar feed tokens."""

from __future__ import annotations

import base64
import secrets

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A fresh signing secret: whsec_ and 32 random bytes in base64 (Standard Webhooks)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def new_feed_token() -> str:
    """An unguessable token for a calendar feed URL (32 random bytes)."""
    return secrets.token_urlsafe(32)
