"""What keepwarm suggests saying: the wording, kept apart from the logic that picks it.

A writer can change any sentence here without touching the rules in service.domain.scripts.
Every pool holds at least six phrasings; sentences are distinct across all pools (the builder
avoids a sentence used in the last three touches with the same person by its pool and index,
so one sentence in two pools could repeat). Placeholders:
  {organization}    the organization's name, said at most twice per script (then "your team")
  {organization_s} its possessive ("Acme's", "Contoso Labs'"; then "your team's")
  {role}          "the Staff Engineer role" (a title over six words shortened), or "the role"
  {met}           " in March", when you interviewed, or nothing
  {referrer}      the full name of the person who referred you (referral only); {referrer_s}
  {requested}     the date they asked you to follow up on, as "March 2" (requested only)
  {headline}      the news: quoted in writing; spoken, "the news that …" or its summary;
                  difficult news only ever as its summary or "the news"
  {talked_about}  what the interviews were about (the "talked" interest lines only)
  {topic}         a later subject's topic: talked_about, or "the Staff Engineer interviews"
  {interviews}    "the Staff Engineer interviews", or "the interviews"
  {me}, {phone}   the job seeker's name and callback number (profile)
  {recruiter}     "the recruiter" (responses only)
Never use "again" or "since we last" anywhere (a first touch must not say them, and the
pools are shared), never ask about openings, roles, positions or hiring.
"""

from service.domain.wording.lines import (
    CALLBACKS,
    CLOSINGS,
    GOOD_MOMENTS,
    INTRODUCTIONS,
    PHONE_PLACEHOLDER,
    RESPONSES,
    SIGN_OFFS,
    SUBJECTS,
    VOICEMAIL_ENDS,
)
from service.domain.wording.parts import INTERESTS, NEWS, PURPOSES, QUESTIONS

__all__ = [
    "CALLBACKS",
    "CLOSINGS",
    "GOOD_MOMENTS",
    "INTERESTS",
    "INTRODUCTIONS",
    "NEWS",
    "PHONE_PLACEHOLDER",
    "PURPOSES",
    "QUESTIONS",
    "RESPONSES",
    "SIGN_OFFS",
    "SUBJECTS",
    "VOICEMAIL_ENDS",
]
