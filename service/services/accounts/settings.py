"""Account settings: the cadence defaults of SPEC section 1."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from service.db.cadence import AccountSettings
from service.domain.model import CadenceSettings
from service.domain.reminder_mail import Reminders
from service.domain.slots import resolve_zone
from service.services.errors import InvalidField
from service.services.planning import next_actions
from service.services.planning.plans import CADENCE_FIELDS
from service.services.records.shared import apply_changes, check_version

_WINDOWS = (("warm_window_days", "warm_days"), ("maintenance_window_days", "maintenance_days"))


def load_settings(session: Session, account_id: uuid.UUID) -> AccountSettings:
    """The account's settings; the defaults (not stored: reading never writes) until changed."""
    row = session.get(AccountSettings, account_id)
    if row is None:
        defaults = dataclasses.asdict(CadenceSettings())
        row = AccountSettings(account_id=account_id, version=1, reminders=Reminders.OFF, **defaults)
    return row


def account_zone(session: Session, account_id: uuid.UUID) -> ZoneInfo:
    """The account's time zone: what "today" and local dates of its attempts mean."""
    row = session.get(AccountSettings, account_id)
    return resolve_zone(row.timezone if row is not None else None, "UTC")


def _check_intervals(merged: Mapping[str, Any], changes: Mapping[str, Any]) -> None:
    """Refuse settings that contradict each other, naming the field to change."""
    for window, interval in _WINDOWS:
        if merged[window] >= merged[interval]:
            raise InvalidField(window, f"must be smaller than {interval} ({merged[interval]})")
    warm, maintenance = merged["warm_days"], merged["maintenance_days"]
    if warm >= maintenance:
        # Name what the patch changed: the other one is as it was.
        if "warm_days" in changes or "maintenance_days" not in changes:
            raise InvalidField(
                "warm_days", f"must be shorter than maintenance_days ({maintenance})"
            )
        raise InvalidField("maintenance_days", f"must be longer than warm_days ({warm})")


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
    _check_intervals(
        {name: changes.get(name, getattr(row, name)) for name in CADENCE_FIELDS}, changes
    )
    cadence_changed = any(
        getattr(row, name) != value for name, value in changes.items() if name != "reminders"
    )
    if apply_changes(row, changes):
        row.updated_at = now
        session.flush()
        if cadence_changed:
            next_actions.refresh_account(session, account_id, now)
    return row
