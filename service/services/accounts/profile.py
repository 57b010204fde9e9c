"""The job seeker's profile: the name and signature the scripts sign with."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from service.db.cadence import Profile
from service.services.planning import next_actions
from service.services.records.shared import apply_changes, check_version


def load_profile(session: Session, account_id: uuid.UUID) -> Profile:
    """The account's profile; an empty one (not stored: reading never writes) until set."""
    row = session.get(Profile, account_id)
    if row is None:
        row = Profile(
            account_id=account_id, name=None, signature=None, phone=None, email=None, version=1
        )
    return row


def update_profile(
    session: Session,
    account_id: uuid.UUID,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    now: datetime,
) -> Profile:
    """Apply a merge patch; every open next action's script signs with the new profile."""
    row = load_profile(session, account_id)
    check_version(row, expected_version)
    if row not in session:
        row.updated_at = now
        session.add(row)
    if apply_changes(row, changes):
        row.updated_at = now
        session.flush()
        next_actions.refresh_account(session, account_id, now)
    return row
