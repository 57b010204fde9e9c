"""Mail's share of retention: settled reminders and the keys of logged messages, when old."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.db.mail import ReceivedMessage, Reminder, ReminderState


def purge(session: Session, *, before: datetime, limit: int) -> int:
    """Delete up to `limit` of each: reminders settled and written before `before`, and
    logged messages' keys from before it (the same message arriving later logs again)."""
    reminders = select(Reminder.id).where(
        Reminder.created_at < before, Reminder.state != ReminderState.PENDING
    )
    messages = select(ReceivedMessage.id).where(ReceivedMessage.created_at < before)
    purged = 0
    for model, ids in ((Reminder, reminders), (ReceivedMessage, messages)):
        found = list(session.scalars(ids.limit(limit)))
        if found:
            session.execute(delete(model).where(model.id.in_(found)))
            purged += len(found)
    return purged
