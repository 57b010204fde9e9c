"""Account settings: the cadence defaults of SPEC section 1."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from service.db.cadence import AccountSettings
from service.domain.model import CadenceSettings
from service.services import next_actions
from service.services.errors import InvalidField
from service.services.next_actions import CADENCE_FIELDS
from service.services.records import apply_changes, check_version

_WINDOWS = (("warm_window_days", "warm_days"), ("maintenance_window_days", "maintenance_days"))


def load_settings(session: Session, account_id: uuid.UUID) -> AccountSettings:
    """The account's settings; the defaults (not stored: reading never writes) until changed."""
    row = session.get(AccountSettings, account_id)
    if row is None:
        defaults = dataclasses.asdict(CadenceSettings())
        row = AccountSettings(account_id=account_id, version=1, **defaults)
    return row


def update_settings(
    session: Session,
    account_id: uuid.UUID,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    now: datetime,
) -> AccountSettings:
    """Apply a merge patch; every next action of the account follows."""
    row = load_settings(session, account_id)
    check_version(row, expected_version)
    if row not in session:
        session.add(row)
    merged = {name: changes.get(name, getattr(row, name)) for name in CADENCE_FIELDS}
    for window, interval in _WINDOWS:
        if merged[window] >= merged[interval]:
            raise InvalidField(window, f"must be smaller than {interval} ({merged[interval]})")
    if apply_changes(row, changes):
        row.updated_at = now
        session.flush()
        next_actions.refresh_account(session, account_id, now)
    return row
