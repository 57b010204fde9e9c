"""The planner's read of a long history: the rows, counts and plan the whole history gives."""

from __future__ import annotations

import dataclasses
import random
import uuid
from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.cadence import AccountSettings
from service.db.models import Account, Attempt, Contact, NewsItem, Organization
from service.domain.cadence import plan_next_action
from service.domain.history import recall, summarize
from service.domain.model import (
    AttemptFacts,
    CadenceSettings,
    Channel,
    ContactRole,
    ContactStatus,
    Direction,
    OrganizationStatus,
    Outcome,
)
from service.services.planning import history, plans
from tests.conftest import User

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
# Examples write to the database of the test: fixtures are per test, not per example.
HISTORIES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def account_of(app: FastAPI, user: User) -> uuid.UUID:
    with Session(app.state.engine) as session:
        return session.scalars(select(Account.id).where(Account.email == user.email)).one()


def seed(
    session: Session,
    account_id: uuid.UUID,
    draw: random.Random,
    count: int,
    *,
    rejected_on: date | None = date(2026, 2, 27),
    days: int = 120,
) -> Organization:
    """An organization with three people, three news items and `count` attempts drawn at
    random: every channel, direction and outcome, ties in time, referrals (one to oneself),
    scripts and news."""
    organization = Organization(account_id=account_id, name="Acme", rejected_on=rejected_on)
    session.add(organization)
    session.flush()
    people = [
        Contact(
            account_id=account_id,
            organization_id=organization.id,
            name=name,
            role=role,
            email=f"{name.split()[0].lower()}@acme.example",
            phone="+1 312 555 0100" if role != ContactRole.HR else None,
            status=status,
        )
        for name, role, status in (
            ("Ann Lee", ContactRole.HIRING_MANAGER, ContactStatus.ACTIVE),
            ("Bob Roe", ContactRole.RECRUITER, ContactStatus.ACTIVE),
            ("Cy Poe", ContactRole.HR, draw.choice(list(ContactStatus))),
        )
    ]
    news = [
        NewsItem(
            account_id=account_id,
            organization_id=organization.id,
            headline=f"Acme opens office {n}",
            noticed_on=date(2026, 1, 10) + timedelta(days=30 * n),
        )
        for n in range(3)
    ]
    session.add_all([*people, *news])
    session.flush()
    for n in range(count):
        outcome = draw.choice([None, None, *Outcome])
        occurred = START + timedelta(days=draw.randint(0, days), minutes=draw.randint(0, 3))
        session.add(
            Attempt(
                account_id=account_id,
                organization_id=organization.id,
                contact_id=draw.choice(people).id,
                channel=draw.choice([Channel.EMAIL, Channel.CALL, Channel.CALL, *Channel]),
                direction=draw.choice([Direction.OUTBOUND] * 3 + [Direction.INBOUND]),
                occurred_at=occurred,
                outcome=outcome,
                referred_to_contact_id=(
                    draw.choice(people).id if outcome == Outcome.REFERRED else None
                ),
                news_id=draw.choice(news).id if draw.random() < 0.3 else None,
                script_variant=draw.choice([None, f"v{n}"]),
                follow_up_on=date(2026, 6, 1) if draw.random() < 0.1 else None,
                created_at=occurred,
                updated_at=occurred,
            )
        )
    session.flush()
    return organization


def whole_history(session: Session, organization_id: uuid.UUID) -> list[AttemptFacts]:
    rows = session.execute(
        select(*history.ATTEMPT_COLUMNS).where(Attempt.organization_id == organization_id)
    )
    return [history.attempt_facts(row) for row in rows]


def check_read(session: Session, organization: Organization, unsaved: Attempt | None) -> None:
    """The planner's bounded read equals the recall and summary of the whole history, and
    plans what the whole history plans."""
    whole = whole_history(session, organization.id)
    if unsaved is not None:
        whole.append(history.attempt_facts(unsaved))
    inputs = plans.read_inputs(session, organization, unsaved=unsaved)
    assert inputs.recalled == recall(whole)
    assert inputs.summary == summarize(whole, inputs.organization, inputs.settings)
    planned = plan_next_action(
        inputs.organization,
        inputs.contacts,
        whole,
        inputs.news,
        inputs.settings,
        NOW,
        skipped_at=inputs.skipped_at,
        profile=inputs.profile,
    )
    assert plans.plan_for(session, organization, NOW, unsaved=unsaved)[0] == planned


@HISTORIES
@given(
    seed_value=st.integers(0, 2**32 - 1),
    count=st.integers(0, 300),
    warm_touches=st.integers(0, 5),
    rejected_on=st.sampled_from([None, date(2026, 1, 20), date(2026, 2, 27), date(2026, 5, 1)]),
    timezone=st.sampled_from(["UTC", "America/Chicago", "Pacific/Auckland"]),
    with_unsaved=st.booleans(),
)
def test_the_bounded_read_gives_the_recall_summary_and_plan_of_the_whole_history(
    app: FastAPI,
    user: User,
    seed_value: int,
    count: int,
    warm_touches: int,
    rejected_on: date | None,
    timezone: str,
    with_unsaved: bool,
) -> None:
    draw = random.Random(seed_value)
    account_id = account_of(app, user)
    cadence = CadenceSettings(timezone=timezone, warm_touches=warm_touches)
    with Session(app.state.engine) as session, session.begin():
        session.merge(AccountSettings(account_id=account_id, **dataclasses.asdict(cadence)))
        organization = seed(session, account_id, draw, count, rejected_on=rejected_on)
        unsaved = None
        if with_unsaved:
            contact = draw.choice(
                list(
                    session.scalars(
                        select(Contact.id).where(Contact.organization_id == organization.id)
                    )
                )
            )
            unsaved = Attempt(
                id=uuid.uuid4(),
                account_id=account_id,
                organization_id=organization.id,
                contact_id=contact,
                channel=Channel.EMAIL,
                direction=Direction.OUTBOUND,
                occurred_at=START + timedelta(days=draw.randint(0, 130)),
                outcome=Outcome.SENT,
                script_variant=draw.choice([None, "unsaved"]),
            )
        check_read(session, organization, unsaved)
        assert plans.read_inputs(session, organization).settings == cadence


def test_eight_hundred_attempts_are_read_as_a_few_rows(app: FastAPI, user: User) -> None:
    account_id = account_of(app, user)
    with Session(app.state.engine) as session, session.begin():
        organization = seed(session, account_id, random.Random(27), 800, days=700)
        inputs = plans.read_inputs(session, organization)
        assert organization.status == OrganizationStatus.NURTURING
        assert len(inputs.recalled) < 20  # bounded by the people and news items
        assert sum(inputs.summary.attempts_with.values()) == 800
        assert inputs.summary.outbound_since_rejection == inputs.settings.warm_touches + 1
        scripts = inputs.summary.variants_with
        assert [len(scripts[person.id]) for person in inputs.contacts] == [50, 50, 50]
        check_read(session, organization, None)
