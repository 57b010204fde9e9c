"""asks_about_openings on a held-out set it was never tuned on: figures recorded, not targets.

These 60 sentences were written after the detector was generalized (on the corpus in
test_openings_corpus.py and its held-out set 1) and measured once: precision 0.875, recall
0.233 (7 of 30 asks caught, 1 false alarm). The detector was not tuned on them afterwards, so
they still measure how it generalizes. The floor below only stops a change from making them
worse; once the detector is tuned on them, move them into the corpus and write a fresh set.
"""

from __future__ import annotations

from service.domain.script_check import asks_about_openings

ASKS = (
    "Hey Tom, does your crew have capacity for one more welder this season?",
    "I heard Dana is going on maternity leave. Would you need someone to cover for her?",
    "Is it worth me putting in an application for the logistics coordinator post?",
    "Do you have any freelance work I could pick up over the summer?",
    "Would your company sponsor a visa for the right candidate?",
    "I'm ready for my next challenge and would love it to be at your firm.",
    "Could you tell me who is recruiting for the mobile team?",
    "Has the req for the data engineer been approved yet?",
    "Do you know whether the ops team is backfilling Raj's spot?",
    "I'd love to come back to the company if there's a path for that.",
    "Would you pass my name along to whoever is building out the new sales team?",
    "Are internships available for the coming year?",
    "Hi! Quick question — are you guys taking on any juniors at the moment?",
    "Is it possible to be transferred into your group from my current contractor agency?",
    "Could I shadow your team for a week to see if I'd be a good fit?",
    "What's the process for getting on the shortlist for the design role?",
    "Is your team still short a product owner?",
    "I am on the lookout for a part-time job, ideally in your area of work.",
    "I noticed the careers page lists a data steward — is that still being filled?",
    "I'd be thrilled to help your team as it grows this year.",
    "Would you put me forward for the apprenticeship scheme?",
    "Is the role we discussed going to be re-advertised?",
    "Any openings for a night-shift nurse on your ward?",
    "Would your manager be open to a chat about me joining?",
    "I know you're scaling the support group. Happy to jump in if useful.",
    "Does the lab have funding for a postdoc this fall?",
    "Might you have a need for a technical writer on the docs team?",
    "Are you guys looking for help with the launch? I'm free from next month.",
    "Would it be okay to list you as a reference for the analyst role at your company?",
    "Let me know if the team ever has a vacancy.",
)

NOT_ASKS = (
    "How did the team handle the holiday rush?",
    "I hope the new hire is settling in nicely.",
    "Congrats on landing the big contract!",
    "What's your favorite part about leading the design group?",
    "If a role like that ever opens up down the line, I'd be glad to hear about it.",
    "Thanks again for the candid feedback on my interview.",
    "How did the move to the four-day week go?",
    "Is the team still using Kubernetes for everything?",
    "I'd love to hear how the offsite went.",
    "I saw the team doubled in size — what was the biggest lesson from scaling so fast?",
    "How has the new VP changed things for your group?",
    "Did you manage to hire the designer you were after?",
    "Hope your new position is going well!",
    "What tools does your team use for planning?",
    "I'm sure the team is proud of the launch.",
    "I'd love to keep hearing about your work.",
    "How are you finding the balance between management and hands-on work?",
    "Is there a good time next week to catch up on the podcast idea?",
    "Thanks for pointing me to the mentoring program.",
    "Is the conference still going ahead in June?",
    "How is your team coping with the reorg?",
    "I'd be glad to send over that article on pricing if you're interested.",
    "Could you recommend someone who knows about GDPR?",
    "What do you see as the biggest opportunity for the company next year?",
    "I remain a big fan of what your company is doing, and I'd welcome a conversation"
    " whenever the timing is right.",
    "Congratulations to you and the team on the award.",
    "What's the role of the platform team in the migration?",
    "Did the new office open on schedule?",
    "Let me know if you'd like an intro to my former manager — she works in your space.",
    "How did your first month as director go?",
)

MEASURED_PRECISION = 0.875
MEASURED_RECALL = 0.233


def test_the_held_out_set_is_labelled_and_balanced() -> None:
    assert len(ASKS) == len(NOT_ASKS) == 30
    assert not set(ASKS) & set(NOT_ASKS)


def test_the_held_out_figures_do_not_fall_below_the_measured_ones() -> None:
    caught = sum(asks_about_openings(text) for text in ASKS)
    false_alarms = sum(asks_about_openings(text) for text in NOT_ASKS)
    precision = caught / (caught + false_alarms) if caught + false_alarms else 1.0
    recall = caught / len(ASKS)
    assert precision >= MEASURED_PRECISION - 1e-9, f"precision {precision:.3f}"
    assert recall >= MEASURED_RECALL - 1e-3, f"recall {recall:.3f}"
