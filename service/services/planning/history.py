"""An organization's history as the planner reads it: its recall and summary, at a bounded cost.

The planner needs, per person, the latest attempt, touch, unanswered call and request to stop,
their count and latest scripts; per news item the latest touch that used it; the latest
referral; and how many outbound touches the phase counts (domain/history.py). Each is read
newest first along an index of db/models.py (HISTORY_INDEXES) and stops at the first match,
so a write costs about the same at 800 attempts as at one: a read walks past a person's
trailing unanswered calls at most, the attempts per person are counted from an index alone,
and the outbound touches only as far as the phase tells them apart.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    bindparam,
    cast,
    exists,
    func,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from service.db.models import (
    OUTBOUND,
    REFERRED,
    SCRIPTED,
    STOP,
    TOUCH,
    UNANSWERED,
    WITH_NEWS,
    Attempt,
    Contact,
    NewsItem,
    Organization,
)
from service.db.types import UTCDateTime
from service.domain.history import (
    RECENT_VARIANTS,
    Scripted,
    ScriptUse,
    counts_as_outbound,
    recall,
    summary_of,
)
from service.domain.model import AttemptFacts, HistorySummary

_attempts = Attempt.__table__.c
_contacts = Contact.__table__.c
_news = NewsItem.__table__.c
_organizations = Organization.__table__.c
_NEWEST = (_attempts.occurred_at.desc(), _attempts.id.desc())


def _latest(*where: ColumnElement[bool]) -> Any:
    return select(_attempts.id).where(*where).order_by(*_NEWEST).limit(1).scalar_subquery()


_PERSON = _attempts.contact_id == _contacts.id
# Columns of a select over contacts: what each person's history holds (ids of attempts, to
# read with read_history), correlated to the person's row.
PERSON_COLUMNS = (
    _latest(_PERSON).label("latest_attempt"),
    _latest(_PERSON, TOUCH).label("latest_touch"),
    _latest(_PERSON, UNANSWERED).label("latest_unanswered"),
    _latest(_PERSON, STOP).label("latest_stop"),
    select(func.count()).where(_PERSON).scalar_subquery().label("attempts"),
    exists().where(_PERSON, SCRIPTED).label("scripted"),
)
_MOMENTS = ("latest_attempt", "latest_touch", "latest_unanswered", "latest_stop")
# Columns of a select over an organization and its news items: the latest touch that used
# each item, the latest outbound touch, and the latest referral to someone else (R8).
NEWS_TOUCH = _latest(_attempts.news_id == _news.id, WITH_NEWS, TOUCH).label("news_touch")
_OF_ORGANIZATION = _attempts.organization_id == _organizations.id
LATEST_OUTBOUND = _latest(_OF_ORGANIZATION, OUTBOUND, TOUCH).label("latest_outbound")
LATEST_REFERRAL = _latest(
    _OF_ORGANIZATION, REFERRED, _attempts.referred_to_contact_id != _attempts.contact_id
).label("latest_referral")

ATTEMPT_COLUMNS = (
    _attempts.id,
    _attempts.contact_id,
    _attempts.channel,
    _attempts.occurred_at,
    _attempts.direction,
    _attempts.outcome,
    _attempts.referred_to_contact_id,
    _attempts.news_id,
    _attempts.script_variant,
    _attempts.follow_up_on,
    _attempts.follow_up_channel,
)
# The outbound touches since the cutoff, counted up to what the phase tells apart.
_OUTBOUND_SINCE = (
    select(func.count())
    .select_from(
        select(_attempts.id)
        .where(
            _attempts.organization_id == bindparam("organization"),
            OUTBOUND,
            TOUCH,
            _attempts.occurred_at >= bindparam("cutoff", type_=UTCDateTime()),
        )
        # In the index's order: PostgreSQL would otherwise scan the table for so few rows.
        .order_by(*_NEWEST)
        .limit(bindparam("counted"))
        .subquery()
    )
    .scalar_subquery()
)
_NAMED = select(*ATTEMPT_COLUMNS, _OUTBOUND_SINCE.label("outbound")).where(
    _attempts.id.in_(bindparam("ids", expanding=True))
)
_SCRIPT_COLUMNS = {"id", "contact_id", "occurred_at", "script_variant"}


@functools.lru_cache(maxsize=32)
def _history_rows(scripted: int) -> Any:
    """The attempts named, each with the count; then each of `scripted` people's latest
    scripts (contact_0, contact_1...), without it: one statement, one round trip."""
    if not scripted:
        return _NAMED
    # Typed NULLs: PostgreSQL types a bare NULL of a subquery as text, which no UUID unites with.
    padded = [
        column if column.key in _SCRIPT_COLUMNS else cast(null(), column.type).label(column.key)
        for column in ATTEMPT_COLUMNS
    ]
    latest = (
        select(*padded, cast(null(), Integer).label("outbound"))
        .where(_attempts.contact_id == bindparam(f"contact_{n}"), SCRIPTED)
        .order_by(*_NEWEST)
        .limit(RECENT_VARIANTS)
        .subquery()
        for n in range(scripted)
    )
    return union_all(_NAMED, *(select(each) for each in latest))


def attempt_facts(row: Any) -> AttemptFacts:
    """The facts of an attempt row, or of an Attempt not stored yet."""
    return AttemptFacts(
        id=row.id,
        contact_id=row.contact_id,
        channel=row.channel,
        occurred_at=row.occurred_at,
        direction=row.direction,
        outcome=row.outcome,
        referred_to_contact_id=row.referred_to_contact_id,
        news_id=row.news_id,
        script_variant=row.script_variant,
        follow_up_on=row.follow_up_on,
        follow_up_channel=row.follow_up_channel,
    )


# Before any attempt: the phase counts every outbound touch when there is no rejection date.
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)


def read_history(
    session: Session,
    organization_id: uuid.UUID,
    people: Sequence[Any],
    named: Iterable[uuid.UUID | None],
    *,
    cutoff: datetime | None,
    counted: int,
    unsaved: Attempt | None = None,
) -> tuple[list[AttemptFacts], HistorySummary]:
    """The organization's recall and summary (domain/history.py), counting `unsaved` too.

    `people` are rows of the organization's contacts with PERSON_COLUMNS; `named`, the other
    attempts the recall keeps (NEWS_TOUCH, LATEST_OUTBOUND, LATEST_REFERRAL); `cutoff`, where
    the phase starts counting outbound touches; `counted`, how many it tells apart
    (history.phase_count). One statement, none without a history.
    """
    moments = {getattr(row, name) for row in people for name in _MOMENTS} | set(named)
    ids = [id_ for id_ in moments if id_ is not None]
    scripted = [row.id for row in people if row.scripted]
    recalled: dict[uuid.UUID, AttemptFacts] = {}
    scripts: list[Scripted] = []
    outbound = 0
    if ids:  # attempts have a person, and a person with attempts has a latest one
        parameters = {f"contact_{n}": id_ for n, id_ in enumerate(scripted)} | {
            "ids": ids,
            "organization": organization_id,
            "cutoff": cutoff or _EARLIEST,
            "counted": counted,
        }
        for row in session.execute(_history_rows(len(scripted)), parameters):
            if row.outbound is None:
                scripts.append(
                    ScriptUse(row.id, row.contact_id, row.occurred_at, row.script_variant)
                )
            else:
                recalled[row.id] = attempt_facts(row)
                outbound = row.outbound
    attempts_with = {row.id: row.attempts for row in people if row.attempts}
    attempts = list(recalled.values())
    if unsaved is not None:
        attempt = attempt_facts(unsaved)
        attempts.append(attempt)
        scripts.append(attempt)
        attempts_with[attempt.contact_id] = attempts_with.get(attempt.contact_id, 0) + 1
        outbound = min(counted, outbound + counts_as_outbound(attempt, cutoff))
    return recall(attempts), summary_of(outbound, attempts_with, scripts)
