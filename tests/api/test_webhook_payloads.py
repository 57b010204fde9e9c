"""Every webhook payload is typed all the way down in the OpenAPI document: each object a
receiver gets validates against its schema, with no field the schema does not name."""

from __future__ import annotations

import typing
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from service.api.schemas.webhooks import (
    AttemptLoggedEvent,
    FollowupEvent,
    OrganizationOpeningEvent,
    PingEvent,
)
from tests.api.test_webhooks import REJECTED, Receiver, received, receiver, seed, subscribe
from tests.conftest import Clock, User

__all__ = ["receiver"]  # the fixture, shared with test_webhooks


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def assert_typed(model: type[BaseModel], payload: dict[str, Any], where: str = "") -> None:
    """The payload has exactly the model's fields, and each nested object is typed too."""
    model.model_validate(payload)
    assert set(payload) == set(model.model_fields), (
        where,
        sorted(set(payload) ^ set(model.model_fields)),
    )
    for name, field in model.model_fields.items():
        nested = _model_of(field.annotation)
        value = payload[name]
        if nested is not None and isinstance(value, dict):
            assert_typed(nested, value, f"{where}.{name}")
        elif nested is not None and isinstance(value, list):
            for item in value:
                assert_typed(nested, item, f"{where}.{name}[]")


def test_every_event_a_receiver_gets_is_typed_all_the_way_down(
    app: FastAPI, user: User, clock: Clock, receiver: Receiver
) -> None:
    clock.set(REJECTED)
    wants, _ = subscribe(user, receiver, "followup.scheduled")
    logged = user.create(
        "/v1/webhooks",
        {"url": receiver.url_for("/logged"), "events": ["attempt.logged", "organization.opening"]},
    )
    org, contact, action = seed(user)
    user.create(
        "/v1/attempts",
        {
            "contact_id": contact["id"],
            "channel": "email",
            "outcome": "sent",
            "next_action_id": action["id"],
        },
    )
    etag = user.get(f"/v1/organizations/{org['id']}").headers["etag"]
    opened = user.patch(
        f"/v1/organizations/{org['id']}", json={"status": "opening"}, headers={"If-Match": etag}
    )
    assert opened.status_code == 200, opened.text
    assert user.post(f"/v1/webhooks/{wants['id']}/ping").status_code == 202

    followups = received(app, receiver, wants, REJECTED)
    others = received(app, receiver, logged, REJECTED)

    by_type = {payload["type"]: payload for payload in [*followups, *others]}
    assert set(by_type) == {
        "followup.scheduled",
        "webhook.ping",
        "attempt.logged",
        "organization.opening",
    }
    assert_typed(FollowupEvent, by_type["followup.scheduled"], "followup.scheduled")
    assert_typed(PingEvent, by_type["webhook.ping"], "webhook.ping")
    assert_typed(AttemptLoggedEvent, by_type["attempt.logged"], "attempt.logged")
    assert_typed(OrganizationOpeningEvent, by_type["organization.opening"], "organization.opening")
