"""Planning from the bounded recall of a history gives the plan the whole history gives."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.cadence import plan_next_action
from service.domain.history import recall, summarize
from service.domain.model import AttemptFacts
from tests.domain.test_cadence_properties import NOW, History, attempts, histories

LONG = settings(max_examples=300, deadline=None)


@st.composite
def long_histories(draw: st.DrawFn) -> History:
    history = draw(histories())
    ids = [contact.id for contact in history.contacts]
    count = draw(st.integers(15, 60))
    return replace(history, attempts=tuple(draw(attempts(i, ids)) for i in range(count)))


def plan_from(history: History, given: list[AttemptFacts], *, summarized: bool) -> object:
    summary = summarize(history.attempts, history.organization, history.settings)
    return plan_next_action(
        history.organization,
        history.contacts,
        given,
        history.news,
        history.settings,
        NOW,
        skipped_at=history.skipped_at,
        summary=summary if summarized else None,
    )


@LONG
@given(long_histories())
def test_the_recall_and_summary_plan_what_the_whole_history_plans(history: History) -> None:
    whole = plan_from(history, list(history.attempts), summarized=False)
    assert plan_from(history, recall(history.attempts), summarized=True) == whole


@LONG
@given(long_histories())
def test_the_recall_is_bounded_by_contacts_and_news_not_by_history(history: History) -> None:
    recalled = recall(history.attempts)
    people = len(history.contacts) + 1  # attempts may name a contact since deleted ("gone")
    # Per contact: its latest attempt, touch, unanswered call, stop; per news item; the
    # latest outbound touch and referral.
    assert len(recalled) <= 4 * people + 2 + 2
    assert set(recalled) <= set(history.attempts)
