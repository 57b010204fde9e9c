"""An organization's history as the planner reads it: its recall and summary, at a bounded cost.

The planner needs, per person, the latest attempt, touch, unanswered call and request to stop,
their count and latest scripts; per news item the latest touch that used it; the latest
referral; and how many outbound touches the phase counts (domain/history.py). Each is read
newest first along an index of db/models.py (HISTORY_INDEXES) and stops at the first match,
so a write costs the same at 800 attempts as at one: the reads walk past a person's trailing
unanswered calls at most, and the counts are index-only.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    bindparam,
    exists,
    func,
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
from service.domain.history import (
    RECENT_VARIANTS,
    Scripted,
    ScriptUse,
    count_outbound,
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
# A column of a select over news items: the latest touch that used the item.
NEWS_TOUCH = _latest(_attempts.news_id == _news.id, WITH_NEWS, TOUCH).label("news_touch")
# A column of a select over organizations: its latest referral to someone else (R8).
LATEST_REFERRAL = _latest(
    _attempts.organization_id == _organizations.id,
    REFERRED,
    _attempts.referred_to_contact_id != _attempts.contact_id,
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
_ORGANIZATION: BindParameter[uuid.UUID] = bindparam("organization")
# The attempts named, and the latest outbound touches: the phase tells apart no more than
# `counted` of them (history.PhaseCount), and the newest is one the recall keeps.
_OUTBOUND_TOUCHES = (
    select(*ATTEMPT_COLUMNS)
    .where(_attempts.organization_id == _ORGANIZATION, OUTBOUND, TOUCH)
    .order_by(*_NEWEST)
    .limit(bindparam("counted"))
    .subquery()
)
_NAMED_AND_OUTBOUND = union_all(
    select(*ATTEMPT_COLUMNS).where(_attempts.id.in_(bindparam("ids", expanding=True))),
    select(_OUTBOUND_TOUCHES),
)


@functools.cache
def _scripts(people: int) -> Any:
    """Each person's latest scripts, for `people` people (contact_0, contact_1...)."""
    latest = (
        select(_attempts.contact_id, _attempts.occurred_at, _attempts.id, _attempts.script_variant)
        .where(_attempts.contact_id == bindparam(f"contact_{n}"), SCRIPTED)
        .order_by(*_NEWEST)
        .limit(RECENT_VARIANTS)
        .subquery()
        for n in range(people)
    )
    return union_all(*(select(each) for each in latest))


def attempt_facts(row: Any) -> AttemptFacts:
    """The facts of an attempt row, or of an Attempt not stored yet."""
    return AttemptFacts(
        id=str(row.id),
        contact_id=str(row.contact_id),
        channel=row.channel,
        occurred_at=row.occurred_at,
        direction=row.direction,
        outcome=row.outcome,
        referred_to_contact_id=_str(row.referred_to_contact_id),
        news_id=_str(row.news_id),
        script_variant=row.script_variant,
        follow_up_on=row.follow_up_on,
        follow_up_channel=row.follow_up_channel,
    )


def _str(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


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

    `people` are rows of the organization's contacts with PERSON_COLUMNS; `named`, other
    attempts the recall keeps (NEWS_TOUCH, LATEST_REFERRAL); `cutoff`, where the phase starts
    counting outbound touches; `counted`, how many it tells apart (history.phase_count).
    """
    moments = {getattr(row, name) for row in people for name in _MOMENTS} | set(named)
    ids = [id_ for id_ in moments if id_ is not None]
    rows = session.execute(
        _NAMED_AND_OUTBOUND, {"ids": ids, "organization": organization_id, "counted": counted}
    )
    recalled = list({row.id: attempt_facts(row) for row in rows}.values())
    attempts_with = {str(row.id): row.attempts for row in people if row.attempts}
    scripts = _read_scripts(session, [row.id for row in people if row.scripted])
    if unsaved is not None:
        attempt = attempt_facts(unsaved)
        recalled.append(attempt)
        scripts.append(attempt)
        attempts_with[attempt.contact_id] = attempts_with.get(attempt.contact_id, 0) + 1
    # The latest `counted` outbound touches are among the attempts read: so are all those
    # since the cutoff, unless there are more than the phase tells apart.
    outbound = count_outbound(recalled, cutoff, counted)
    return recall(recalled), summary_of(outbound, attempts_with, scripts)


def _read_scripts(session: Session, people: Sequence[uuid.UUID]) -> list[Scripted]:
    if not people:
        return []
    rows = session.execute(
        _scripts(len(people)), {f"contact_{n}": id_ for n, id_ in enumerate(people)}
    )
    return [
        ScriptUse(str(row.id), str(row.contact_id), row.occurred_at, row.script_variant)
        for row in rows
    ]
