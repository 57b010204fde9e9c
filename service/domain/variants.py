"""Script variants: which phrasing of each part a script uses, written as a short name.

``k3-ft-email-p3-io1-nu2-qu4-cg0-s5`` is the situation (first touch), the channel and the
phrasing of each part, with the pool each came from: purpose 3, the situation's own interest
line 1 (``t`` from what was talked about, ``p`` a plain one), neutral news 2, a question
following from it 4, the mood (``g``, ``d`` after difficult news, ``o`` an opening) with
closing or sign-off 0, subject 5. Stored with each attempt, variants tell which sentences a
person has already heard; variants of the first pass (``k2-…``) are no longer rendered.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from service.domain import wording
from service.domain.model import Channel, NewsTone, Situation

SPOKEN = frozenset({Channel.CALL, Channel.VOICEMAIL, Channel.IN_PERSON})
SITUATION_CODES = {
    Situation.FIRST_TOUCH: "ft",
    Situation.WARM: "wm",
    Situation.MAINTENANCE: "mt",
    Situation.OPENING: "op",
    Situation.REFERRAL: "rf",
    Situation.REQUESTED: "rq",
    Situation.RECRUITER_ONLY: "ro",
}
SITUATIONS = {code: situation for situation, code in SITUATION_CODES.items()}
TONE_TAGS = {NewsTone.POSITIVE: "p", NewsTone.NEUTRAL: "u", NewsTone.DIFFICULT: "d"}
TONES = {tag: tone.value for tone, tag in TONE_TAGS.items()}
OWN_INTEREST = {
    Situation.FIRST_TOUCH: "first_touch",
    Situation.OPENING: "opening",
    Situation.REFERRAL: "referral",
}
OWN_QUESTION = {
    Situation.RECRUITER_ONLY: "recruiter_only",
    Situation.OPENING: "opening",
    Situation.REFERRAL: "referral",
}
INTEREST_TAGS = {"t": "talked", "p": "plain"}
VARIANT = re.compile(
    r"k3-(?P<situation>[a-z]{2})-(?P<channel>[a-z_]+)-p(?P<p>\d+)-i(?P<it>[otp])(?P<i>\d+)"
    r"-n(?P<nt>[pudx])(?P<n>\d+)-q(?P<qt>[pudgs])(?P<q>\d+)-c(?P<m>[gdo])(?P<c>\d+)"
    r"-s(?P<s>\d+)"
)


@dataclass(frozen=True)
class Choice:
    """Which phrasing of each part: the pool tags of news and question, and every index."""

    situation: Situation
    channel: Channel
    purpose: int
    interest_tag: str
    interest: int
    news_tag: str
    news: int
    question_tag: str
    question: int
    mood: str
    closing: int
    subject: int

    @property
    def variant(self) -> str:
        situation = SITUATION_CODES[self.situation]
        return (
            f"k3-{situation}-{self.channel.value}-p{self.purpose}"
            f"-i{self.interest_tag}{self.interest}-n{self.news_tag}{self.news}"
            f"-q{self.question_tag}{self.question}-c{self.mood}{self.closing}-s{self.subject}"
        )

    def index(self, part: str) -> int:
        """The phrasing chosen for a part (or "subject")."""
        index: int = getattr(self, part)
        return index

    def pools(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Each part's pool, by name (what repeats are counted on) and sentences."""
        family = family_of(self.channel)
        interest = INTEREST_TAGS.get(self.interest_tag) or OWN_INTEREST.get(self.situation, "")
        news = TONES.get(self.news_tag, "")
        if self.question_tag == "g":
            question = f"general_{family}"
        elif self.question_tag == "s":
            question = OWN_QUESTION.get(self.situation, "")
        else:
            question = TONES[self.question_tag]
        closing = closing_pool(self.channel, self.mood)
        subject = "difficult" if self.mood == "d" else self.situation.value
        return {
            "purpose": (f"purpose/{self.situation}/{family}", purposes(self.situation, family)),
            "interest": (
                f"interest/{interest}/{family}",
                wording.INTERESTS.get(interest, {}).get(family, ()),
            ),
            "news": (f"news/{news}/{family}", wording.NEWS[news][family] if news else ("",)),
            "question": (f"question/{question}", wording.QUESTIONS.get(question, ())),
            "closing": closing,
            "subject": (f"subject/{subject}", wording.SUBJECTS[subject]),
        }


def family_of(channel: Channel) -> str:
    return "spoken" if channel in SPOKEN else "written"


def purposes(situation: Situation, family: str) -> tuple[str, ...]:
    return wording.PURPOSES[situation.value][family]


def closing_pool(channel: Channel, mood: str) -> tuple[str, tuple[str, ...]]:
    if channel is Channel.EMAIL:
        return "sign-off", wording.SIGN_OFFS
    if channel in (Channel.CALL, Channel.VOICEMAIL):
        key = f"{channel.value}/{mood}"
        return f"closing/{key}", wording.CLOSINGS[key]
    return "none", ("",)


def used_phrasings(variants: Sequence[str]) -> dict[tuple[str, int], int]:
    """When each (pool, index) was last used: its position among the earlier touches."""
    used: dict[tuple[str, int], int] = {}
    for position, variant in enumerate(variants):
        choice = parse(variant)
        if choice is None:
            continue  # written before variants named their pools, or by the client
        for part, (pool, _) in choice.pools().items():
            used[(pool, choice.index(part))] = position
    return used


def pick(pool: str, size: int, used: dict[tuple[str, int], int], seed: str) -> int:
    # Never used first, then the least recently used; a seeded tie-break spreads the phrasings.
    def rank(index: int) -> tuple[int, int]:
        digest = hashlib.sha256(f"{seed}:{index}".encode()).digest()
        return used.get((pool, index), -1), int.from_bytes(digest[:8], "big")

    return min(range(max(size, 1)), key=rank)


def parse(variant: str | None) -> Choice | None:
    match = VARIANT.fullmatch(variant or "")
    if match is None or match["situation"] not in SITUATIONS:
        return None
    try:
        channel = Channel(match["channel"])
    except ValueError:
        return None
    values = {key: int(match[key]) for key in ("p", "i", "n", "q", "c", "s")}
    choice = Choice(
        SITUATIONS[match["situation"]],
        channel,
        values["p"],
        match["it"],
        values["i"],
        match["nt"],
        values["n"],
        match["qt"],
        values["q"],
        match["m"],
        values["c"],
        values["s"],
    )
    if (match["it"] == "o") != (choice.situation in OWN_INTEREST):
        return None
    if any(not 0 <= choice.index(part) < len(pool) for part, (_, pool) in choice.pools().items()):
        return None
    return choice
