"""Offers and conditional asks (the check's second pass), and the look-alikes that are not."""

from __future__ import annotations

import pytest

from service.domain.script_check import asks_about_openings

OFFERS = (
    "Should anyone on the data team leave, I'd be glad to step in.",
    "I could cover for Mia while she is on parental leave.",
    "Happy to take over the reporting work when Raj moves on.",
    "I'd be open to a six-month contract role if that is easier to approve.",
    "Would a paid trial week help you decide?",
    "I can start on a consulting basis next month.",
    "I'd relocate to Leeds if that is what the role needs.",
    "I wouldn't need a visa, so that's one less hurdle for me.",
    "If a seat opens up in the spring, please keep me in mind.",
    "Let me know first if the team grows.",
)
NOT_OFFERS = (
    "I'd love to hear how the move to the new office went.",
    "I'd love to hear how the relocation to Austin went.",
    "How is the move to remote working going?",
    "I'd love to hear about the clinical trial results.",
    "I'd like to hear about the interim results.",
    "How is the consulting side of the business going?",
    "I've been doing some freelance design work, which I enjoy.",
    "My job search has been slow, but I wanted to congratulate you on the launch.",
    "I would be very interested in talking to you further if any new opportunities should come up.",
    "If you're ever in Leeds, the coffee is on me.",
)


@pytest.mark.parametrize("text", OFFERS)
def test_an_offer_is_an_ask(text: str) -> None:
    assert asks_about_openings(text)


@pytest.mark.parametrize("text", NOT_OFFERS)
def test_a_look_alike_is_not(text: str) -> None:
    assert not asks_about_openings(text)
