"""What keepwarm suggests saying: the wording, kept apart from the logic that picks it.

A writer can change any sentence here without touching the rules in service.domain.scripts.
Every pool holds at least six phrasings; sentences are distinct across all pools (the builder
avoids a sentence used in the last three touches with the same person by its pool and index,
so one sentence in two pools could repeat). Placeholders:
  {organization}  the organization's name
  {role}          "the Staff Engineer role", or "the role" when role_applied is unknown
  {referrer}      the full name of the person who referred you (referral only)
  {requested}     the date they asked you to follow up on, as "March 2" (requested only)
  {headline}      the news headline, already quoted (“…”) and shortened for speech
  {recruiter}     "the recruiter" (responses only)
Never use "again" or "since we last" anywhere (a first touch must not say them, and the
pools are shared), never ask about openings, roles, positions or hiring.
"""

from service.domain.wording.lines import CLOSINGS, RESPONSES, SIGN_OFFS, SUBJECTS
from service.domain.wording.parts import INTERESTS, NEWS, PURPOSES, QUESTIONS

__all__ = [
    "CLOSINGS",
    "INTERESTS",
    "NEWS",
    "PURPOSES",
    "QUESTIONS",
    "RESPONSES",
    "SIGN_OFFS",
    "SUBJECTS",
]
