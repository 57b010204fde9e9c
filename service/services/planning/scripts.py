"""The script check: brief, on-topic, ends with a question, never asks for a job."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.cadence import NextAction
from service.db.models import Attempt, Contact, NewsItem, Organization
from service.domain.model import (
    ActionState,
    Channel,
    NewsFacts,
    ProfileFacts,
    ScriptKind,
    Situation,
)
from service.domain.script_check import ScriptCheck, check_script
from service.domain.scripts import ScriptRequest, render_variant
from service.services.accounts.profile import load_profile
from service.services.records.shared import get_referenced


def _previous_texts(session: Session, contact: Contact, organization: Organization) -> list[str]:
    texts: list[str] = []
    rows = session.execute(
        select(
            Attempt.script_variant,
            NewsItem.id,
            NewsItem.headline,
            NewsItem.noticed_on,
            NewsItem.tone,
            NewsItem.summary,
        )
        .outerjoin(NewsItem, NewsItem.id == Attempt.news_id)
        .where(Attempt.contact_id == contact.id, Attempt.script_variant.is_not(None))
    )
    profile = load_profile(session, contact.account_id)
    for variant, news_id, headline, noticed_on, tone, summary in rows:
        if variant is None:
            continue
        news = None
        if news_id is not None:
            news = NewsFacts(
                id=news_id, headline=headline, noticed_on=noticed_on, tone=tone, summary=summary
            )
        context = ScriptRequest(
            situation=Situation.WARM,  # the variant names its own situation and channel
            channel=Channel.EMAIL,
            organization_name=organization.name,
            contact_name=contact.name,
            role_applied=organization.role_applied,
            greeting_name=contact.greeting_name,
            profile=ProfileFacts(
                name=profile.name,
                signature=profile.signature,
                phone=profile.phone,
                email=profile.email,
            ),
            news=news,
            talked_about=organization.talked_about,
            met_on=organization.rejected_on or organization.created_at.date(),
        )
        try:
            texts.append(render_variant(variant, context).text)
        except ValueError:
            continue  # a variant the client made up, or an older kind: nothing to compare
    done = session.scalars(
        select(NextAction.script).where(
            NextAction.contact_id == contact.id, NextAction.state == ActionState.DONE
        )
    )
    texts.extend(str(script["text"]) for script in done if script.get("text"))
    return texts


def check(
    session: Session,
    account_id: uuid.UUID,
    *,
    channel: Channel,
    text: str,
    contact_id: uuid.UUID | None,
    kind: ScriptKind = ScriptKind.SCRIPT,
) -> ScriptCheck:
    """Check a script; with a contact, also against what was already said to them."""
    if contact_id is None:
        # The organization is unknown: no_organization_reference is not raised (SPEC 6).
        return check_script(
            channel=channel, text=text, organization_name=None, previous_texts=(), kind=kind
        )
    contact = get_referenced(session, Contact, account_id, contact_id, "contact_id", "contact")
    organization = session.get_one(Organization, contact.organization_id)
    return check_script(
        channel=channel,
        text=text,
        organization_name=organization.name,
        previous_texts=_previous_texts(session, contact, organization),
        kind=kind,
    )
