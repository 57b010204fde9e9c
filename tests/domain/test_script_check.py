"""check_script: each warning on its own, the kinds, the word limits, repeats."""

from __future__ import annotations

import pytest

from service.domain.model import Channel, ScriptKind
from service.domain.script_check import WORD_LIMITS, check_script

FINE = "Hi Ann, what is your team most excited about lately?"
MODEL = (
    "Hi Ann, I hope all is well at Acme. I would be very interested in talking to you further "
    "if any new opportunities should come up. How has the reorganization affected your areas "
    "of responsibility?"
)


def codes(
    text: str,
    *,
    channel: Channel = Channel.EMAIL,
    organization: str | None = None,
    previous: tuple[str, ...] = (),
    kind: ScriptKind = ScriptKind.SCRIPT,
) -> list[str]:
    result = check_script(
        channel=channel,
        text=text,
        organization_name=organization,
        previous_texts=previous,
        kind=kind,
    )
    assert result.ok is (result.warnings == ())
    assert all(warning.message for warning in result.warnings)
    return [warning.code for warning in result.warnings]


def test_a_good_script_passes() -> None:
    assert codes(FINE) == []
    assert codes(MODEL, organization="Acme") == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Hi Ann, I still admire your team. Do you have an opening for me there?",
            "asks_about_openings",
        ),
        (
            "Hi Ann, is there anything I could apply for on your team this spring?",
            "asks_about_openings",
        ),
        ("Hi Ann, I still admire your team and its work.", "no_question"),
    ],
)
def test_each_warning_on_its_own(text: str, code: str) -> None:
    assert codes(text) == [code]


def test_without_an_organization_no_reference_is_required() -> None:
    # No contact given: the organization is unknown, so nothing can be missing.
    assert codes("Hi Ann, how have you been lately?") == []
    assert codes("Hi Ann, how have you been lately?", organization="") == [
        "no_organization_reference"
    ]


def test_the_organization_must_be_named_when_known() -> None:
    assert codes(FINE, organization="Acme") == ["no_organization_reference"]
    assert codes("Hi Ann, how is everyone at ACME doing?", organization="Acme") == []


def test_the_organizations_name_is_not_an_ask() -> None:
    text = "Hi Ann, how is everyone at Open Roles Inc doing?"
    assert codes(text, organization="Open Roles Inc") == []


@pytest.mark.parametrize("kind", [ScriptKind.CLOSING, ScriptKind.REPLY])
def test_a_closing_or_reply_needs_no_question_and_no_name(kind: ScriptKind) -> None:
    closing = "Thanks so much for your time, and I hope we can connect every now and then."
    assert codes(closing, kind=kind) == []
    assert codes(closing, organization="Acme", kind=kind) == []
    assert codes(closing) == ["no_question"]
    assert codes(closing, organization="Acme") == ["no_question", "no_organization_reference"]
    # It is still held to the other rules.
    asking = "Thanks so much, and please keep me in mind for openings."
    assert codes(asking, kind=kind) == ["asks_about_openings"]
    limit = WORD_LIMITS[Channel.VOICEMAIL]
    assert codes("thanks " * (limit + 1), channel=Channel.VOICEMAIL, kind=kind) == ["too_long"]
    assert codes(closing, previous=(closing,), kind=kind) == ["repeats_previous"]


@pytest.mark.parametrize(
    ("channel", "limit"),
    [(Channel.VOICEMAIL, 80), (Channel.CALL, 120), (Channel.EMAIL, 150), (Channel.MESSAGE, 60)],
)
def test_word_limits_per_channel(channel: Channel, limit: int) -> None:
    assert WORD_LIMITS[channel] == limit
    fits = "really " * (limit - 5) + "How is your team doing?"
    result = check_script(channel=channel, text=fits, organization_name=None, previous_texts=())
    assert (result.ok, result.word_count) == (True, limit)
    longer = check_script(
        channel=channel, text="so " + fits, organization_name=None, previous_texts=()
    )
    assert [w.code for w in longer.warnings] == ["too_long"]
    assert longer.word_count == limit + 1
    assert str(limit) in longer.warnings[0].message


def test_punctuation_alone_is_not_a_word() -> None:
    result = check_script(
        channel=Channel.MESSAGE,
        text="Hi Ann — how is your team? :) …",
        organization_name=None,
        previous_texts=(),
    )
    assert result.word_count == 6


def test_repeats_previous() -> None:
    earlier = "Hi Ann, I loved the launch news. What is your team most excited about lately?"
    assert codes(earlier, previous=(earlier,)) == ["repeats_previous"]
    nearly = earlier.replace("Hi Ann", "Hello Ann")
    assert codes(nearly, previous=("Something else entirely.", earlier)) == ["repeats_previous"]
    assert codes(FINE, previous=(earlier.replace("loved", "read"),)) == []
    assert codes(earlier, previous=("",)) == []


def test_every_warning_at_once() -> None:
    text = "Please keep me in mind for openings. " * 20
    assert codes(text, channel=Channel.MESSAGE, organization="Acme", previous=(text,)) == [
        "asks_about_openings",
        "too_long",
        "no_question",
        "no_organization_reference",
        "repeats_previous",
    ]
