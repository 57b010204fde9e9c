"""The events keepwarm sends, documented in the OpenAPI document's `webhooks` section."""

from __future__ import annotations

from fastapi import FastAPI

from service.api.schemas.webhooks import (
    AttemptLoggedEvent,
    FollowupEvent,
    OrganizationOpeningEvent,
    PingEvent,
)

SIGNING = (
    "Signed per the Standard Webhooks specification: headers `webhook-id` (the same on every "
    "retry), `webhook-timestamp` and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of "
    "`id.timestamp.body` with your `whsec_` secret). Answer 2xx to acknowledge."
)


def document_webhooks(app: FastAPI) -> None:
    """Declare every outgoing event with its payload schema."""
    followups = {
        "followup.scheduled": "A new next action was planned.",
        "followup.rescheduled": "A next action moved, or its target, channel or script changed.",
        "followup.due": "A next action came due: time to reach out.",
        "followup.cancelled": "A next action was cancelled or skipped; remove it from calendars.",
    }
    for name, summary in followups.items():
        _declare(app, name, summary, FollowupEvent)
    _declare(app, "attempt.logged", "A contact attempt was logged.", AttemptLoggedEvent)
    _declare(
        app, "organization.opening", "An organization has an opening.", OrganizationOpeningEvent
    )
    _declare(app, "webhook.ping", "Sent by POST /v1/webhooks/{id}/ping.", PingEvent)


def _declare(app: FastAPI, name: str, summary: str, model: type) -> None:
    def receive(body: object) -> None:
        """Documentation only."""

    receive.__annotations__ = {"body": model, "return": None}
    receive.__doc__ = SIGNING
    app.webhooks.add_api_route(
        name,
        receive,
        methods=["POST"],
        summary=summary,
        name=name.replace(".", "_"),
        operation_id=name.replace(".", "_"),
    )
