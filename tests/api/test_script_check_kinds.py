"""POST /v1/scripts/check: the `kind` of text, and asking for a job in its many forms."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import User, acme_and_ann, assert_problem

Row = dict[str, Any]
CLOSING = "Thanks so much for your time, and I hope we can connect every now and then."
MODEL = (
    "Hi Ann, I hope all is well at Acme. I would be very interested in talking to you further "
    "if any new opportunities should come up. How has the reorganization affected your areas "
    "of responsibility?"
)


def check(user: User, body: Row) -> Row:
    response = user.post("/v1/scripts/check", json=body)
    assert response.status_code == 200, response.text
    result: Row = response.json()
    assert set(result) == {"ok", "word_count", "warnings"}
    assert result["ok"] is (result["warnings"] == [])
    return result


def codes(result: Row) -> list[str]:
    return [warning["code"] for warning in result["warnings"]]


@pytest.mark.parametrize("kind", ["closing", "reply"])
def test_a_closing_or_reply_needs_no_question_and_no_name(user: User, kind: str) -> None:
    _, ann = acme_and_ann(user)
    for body in (
        {"channel": "voicemail", "text": CLOSING, "kind": kind},
        {"channel": "voicemail", "text": CLOSING, "kind": kind, "contact_id": ann["id"]},
    ):
        assert check(user, body) == {"ok": True, "word_count": 16, "warnings": []}
    # The same text as a whole script lacks both.
    assert codes(check(user, {"channel": "voicemail", "text": CLOSING})) == ["no_question"]
    with_ann = {"channel": "voicemail", "text": CLOSING, "contact_id": ann["id"]}
    assert codes(check(user, with_ann)) == ["no_question", "no_organization_reference"]
    asking = "Thanks so much, and please keep me in mind for openings."
    assert codes(check(user, {"channel": "call", "text": asking, "kind": kind})) == [
        "asks_about_openings"
    ]
    long = check(user, {"channel": "message", "text": "thanks " * 61, "kind": kind})
    assert codes(long) == ["too_long"]


def test_kind_script_is_the_default(user: User) -> None:
    explicit = check(user, {"channel": "email", "text": CLOSING, "kind": "script"})
    assert explicit == check(user, {"channel": "email", "text": CLOSING})
    assert codes(explicit) == ["no_question"]


@pytest.mark.parametrize("kind", ["greeting", "", "CLOSING", 1, None])
def test_an_unknown_kind_is_refused(user: User, kind: object) -> None:
    response = user.post(
        "/v1/scripts/check", json={"channel": "email", "text": CLOSING, "kind": kind}
    )
    assert_problem(response, 422, field="kind")


def test_the_articles_model_sentence_passes(user: User) -> None:
    _, ann = acme_and_ann(user)
    result = check(user, {"channel": "email", "text": MODEL, "contact_id": ann["id"]})
    assert result["ok"] is True, result


@pytest.mark.parametrize(
    "ask",
    [
        "Do you have an opening for me on your team?",
        "Is there anything I could apply for this spring?",
    ],
)
def test_asking_for_a_job_is_flagged(user: User, ask: str) -> None:
    _, ann = acme_and_ann(user)
    text = f"Hi Ann, I hope all is well at Acme. {ask}"
    result = check(user, {"channel": "email", "text": text, "contact_id": ann["id"]})
    assert codes(result) == ["asks_about_openings"]
    assert result["warnings"][0]["message"]
