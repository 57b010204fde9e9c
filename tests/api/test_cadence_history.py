"""The planner's read of a long history: the rows and counts the whole history would give."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.models import Attempt, Organization
from service.domain.history import recall, rejection_cutoff, summarize
from service.domain.model import (
    CadenceSettings,
    Channel,
    Direction,
    OrganizationFacts,
    OrganizationStatus,
    Outcome,
)
from service.services import planning
from tests.conftest import User, acme_and_ann

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def seed_history(app: FastAPI, user: User, count: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    acme, ann = acme_and_ann(user, rejected_on="2026-02-27")
    bob = user.create(
        "/v1/contacts",
        {
            "organization_id": acme["id"],
            "name": "Bob Roe",
            "role": "recruiter",
            "phone": "+1 312 555 0101",
        },
    )
    news = [
        user.create(
            f"/v1/organizations/{acme['id']}/news",
            {"headline": f"Acme opens office {n}", "noticed_on": "2026-01-10"},
        )["id"]
        for n in range(3)
    ]
    people = [uuid.UUID(ann["id"]), uuid.UUID(bob["id"])]
    draw = random.Random(27)
    organization_id = uuid.UUID(acme["id"])
    with Session(app.state.engine) as session, session.begin():
        account_id = session.get_one(Organization, organization_id).account_id
        for n in range(count):
            contact = draw.choice(people)
            outcome = draw.choice([None, None, *Outcome])
            occurred = START + timedelta(days=draw.randint(0, 120), minutes=draw.randint(0, 9))
            session.add(
                Attempt(
                    account_id=account_id,
                    organization_id=organization_id,
                    contact_id=contact,
                    channel=draw.choice(
                        [Channel.EMAIL, Channel.CALL, Channel.CALL, Channel.MESSAGE]
                    ),
                    direction=draw.choice([Direction.OUTBOUND] * 3 + [Direction.INBOUND]),
                    occurred_at=occurred,
                    outcome=outcome,
                    referred_to_contact_id=(
                        draw.choice(people) if outcome == Outcome.REFERRED else None
                    ),
                    news_id=uuid.UUID(draw.choice(news)) if draw.random() < 0.3 else None,
                    script_variant=draw.choice([None, f"v{n}"]),
                    follow_up_on=date(2026, 6, 1) if draw.random() < 0.1 else None,
                    created_at=occurred,
                    updated_at=occurred,
                )
            )
    return organization_id, people


def test_the_read_history_is_the_recall_and_summary_of_the_whole_history(
    app: FastAPI, user: User
) -> None:
    organization_id, _ = seed_history(app, user, 160)
    organization = OrganizationFacts(
        id=organization_id,
        name="Acme",
        status=OrganizationStatus.NURTURING,
        rejected_on=date(2026, 2, 27),
        created_at=START,
    )
    settings = CadenceSettings(timezone="America/Chicago")
    cutoff = rejection_cutoff(organization, settings)
    with Session(app.state.engine) as session:
        whole = [
            planning.attempt_facts(row)
            for row in session.scalars(
                select(Attempt).where(Attempt.organization_id == organization_id)
            )
        ]
        recalled, summary = planning.read_history(session, organization_id, cutoff)
    assert len(whole) == 160
    assert len(recalled) < 20  # bounded by the people and news items, not the history
    assert recalled == recall(whole)
    assert summary == summarize(whole, organization, settings)
    assert summary.outbound_since_rejection > 0
    assert 0 < len(summary.variants_with[recalled[-1].contact_id]) <= 50
