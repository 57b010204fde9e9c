"""Suggested scripts: the situation's wording for the channel, varied between touches.

A script is rendered from a variant (service.domain.variants: which phrasing of each part).
The same variant and context always render the same text, so a stored variant can be
re-rendered to compare with a new script. The wording itself lives in service.domain.wording;
the words filled in (names, the role, the headline) come from service.domain.script_words.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from service.domain import variants, wording
from service.domain.model import (
    Channel,
    NewsFacts,
    NewsTone,
    PreparedResponse,
    ProfileFacts,
    Script,
    Situation,
)
from service.domain.script_check import WORD_LIMITS, count_words
from service.domain.script_words import (
    Namer,
    describe_day,
    greeting_for,
    headline,
    interviews,
    month_met,
    normalize,
    possessive,
    role_phrase,
    tidy,
    topic,
)

__all__ = ["PARTS", "PLACEHOLDER", "ScriptRequest", "build_script", "greeting_for"]

PARTS = ("purpose", "interest", "news", "question", "closing")
PLACEHOLDER = "[your name]"
RECRUITER = "the recruiter"
# Touches with the same person within which no sentence repeats (this one and three before).
REPEAT_WINDOW = 4
# Situations whose own purpose says who you are (or needs not to).
_INTRODUCED = frozenset({Situation.REFERRAL, Situation.FIRST_TOUCH})


@dataclass(frozen=True)
class ScriptRequest:
    """Everything a script is written from; `earlier_variants` are the person's, oldest first.

    `reintroduce`: more than six weeks since the last touch with this person (or none), so the
    script places you in one clause. `somber`: the previous touch mentioned difficult news
    (R18). `met_on`: when you interviewed; `on`: the day the touch is due.
    """

    situation: Situation
    channel: Channel
    organization_name: str
    contact_name: str
    role_applied: str | None = None
    greeting_name: str | None = None
    profile: ProfileFacts = field(default_factory=ProfileFacts)
    news: NewsFacts | None = None
    referrer_name: str | None = None
    requested_on: date | None = None
    earlier_variants: Sequence[str] = ()
    seed: str = ""
    talked_about: str | None = None
    met_on: date | None = None
    on: date | None = None
    reintroduce: bool = False
    somber: bool = False


def build_script(request: ScriptRequest) -> Script:
    """Write the script for `request`: no sentence of the last three touches with the person,
    the least recently used phrasing of each part first."""
    news = request.news
    own = request.situation in variants.OWN_QUESTION
    somber = request.somber or (news is not None and news.tone is NewsTone.DIFFICULT)
    mood = "o" if request.situation is Situation.OPENING else ("d" if somber else "g")
    interest = (
        "o"
        if request.situation in variants.OWN_INTEREST
        else ("t" if normalize(request.talked_about or "") else "p")
    )
    tone = variants.TONE_TAGS[news.tone] if news else "x"
    blank = variants.Choice(
        request.situation,
        request.channel,
        0,
        interest,
        0,
        tone,
        0,
        "s" if own else (tone if news else "g"),
        0,
        mood,
        0,
        0,
    )
    used = variants.used_phrasings(request.earlier_variants)
    indices = {
        part: variants.pick(pool, len(sentences), used, f"{request.seed}:{part}")
        for part, (pool, sentences) in blank.pools().items()
    }
    choice = dataclasses.replace(
        blank,
        purpose=indices["purpose"],
        interest=indices["interest"],
        news=indices["news"],
        question=indices["question"],
        closing=indices["closing"],
        subject=indices["subject"],
    )
    script = _render(choice, request)
    too_long = script.word_count > WORD_LIMITS[request.channel]
    # A voicemail leaves the news out when it would run past its limit (see _voicemail).
    dropped = request.channel is Channel.VOICEMAIL and not script.parts["news"]
    if too_long or (dropped and news is not None):
        # Without the news, and with a question that does not follow from it.
        fallback = dataclasses.replace(
            choice, news_tag="x", news=0, question_tag="s" if own else "g"
        )
        pool, sentences = fallback.pools()["question"]
        question = variants.pick(pool, len(sentences), used, f"{request.seed}:question")
        fallback = dataclasses.replace(fallback, question=question)
        script = _render(fallback, request)
        if script.word_count > WORD_LIMITS[request.channel]:
            # A very long role title: thank them for "the role".
            script = _render(fallback, dataclasses.replace(request, role_applied=None))
        if script.word_count > WORD_LIMITS[request.channel]:
            # A short message has no room for who you are: the greeting and signature say it.
            short = dataclasses.replace(request, role_applied=None, reintroduce=False)
            script = _render(fallback, short)
    return script


def render_variant(variant: str, request: ScriptRequest) -> Script:
    """Re-render a stored variant in `request`'s context; ValueError when it is not one of ours."""
    choice = variants.parse(variant)
    if choice is None:
        raise ValueError(f"unknown script variant: {variant!r}")
    return _render(choice, request)


class _Said:
    """A placeholder whose words are decided when it is said (the organization's name)."""

    def __init__(self, say: Callable[[], str]) -> None:
        self.say = say

    def __format__(self, spec: str) -> str:
        return self.say()


def _pick(phrasings: Sequence[str], *key: object) -> str:
    digest = hashlib.sha256(":".join(map(str, key)).encode()).digest()
    return phrasings[int.from_bytes(digest[:8], "big") % len(phrasings)]


def _fill(request: ScriptRequest, channel: Channel, namer: Namer) -> dict[str, object]:
    me = normalize(request.profile.name or "") or PLACEHOLDER
    referrer = normalize(request.referrer_name or "") or "a colleague of yours"
    return {
        "organization": _Said(namer.plain),
        "organization_s": _Said(namer.owner),
        "role": role_phrase(request.role_applied),
        "met": month_met(request.met_on, request.on),
        "referrer": referrer,
        "referrer_s": possessive(referrer),
        "requested": describe_day(request.requested_on),
        "headline": headline(request.news, channel),
        "talked_about": normalize(request.talked_about or ""),
        "topic": topic(request.talked_about, request.role_applied),
        "interviews": interviews(request.role_applied),
        "recruiter": RECRUITER,
        "me": me,
        "phone": normalize(request.profile.phone or "") or wording.PHONE_PLACEHOLDER,
    }


def _sentence(template: str, fill: dict[str, object]) -> str:
    text = template.format(**fill)
    # A sentence that starts with a filled-in "the news" or "your team" starts with a capital.
    return text[0].upper() + text[1:] if text.startswith(("the ", "your ")) else text


def _render(choice: variants.Choice, request: ScriptRequest) -> Script:
    channel, situation = choice.channel, choice.situation
    pools = choice.pools()
    namer = Namer(normalize(request.organization_name))
    fill = _fill(request, channel, namer)
    intro = ""
    if request.reintroduce and situation not in _INTRODUCED:
        intro = _sentence(_pick(wording.INTRODUCTIONS, choice.variant, "intro"), fill)
    parts = {
        part: _sentence(pools[part][1][choice.index(part) % len(pools[part][1])], fill)
        for part in PARTS
    }
    sign_off = parts["closing"] if channel is Channel.EMAIL else ""
    if channel not in (Channel.CALL, Channel.VOICEMAIL):
        parts["closing"] = ""
    greeting = greeting_for(request.contact_name, request.greeting_name)
    me = str(fill["me"])
    text = _assemble(choice, greeting, me, intro, parts, sign_off, request.profile)
    voicemail = None
    if channel in (Channel.CALL, Channel.VOICEMAIL):
        closings = wording.CLOSINGS[f"voicemail/{choice.mood}"]
        spoken = {**parts, "closing": closings[choice.closing % len(closings)]}
        plain = parts["question"]
        if choice.question_tag in variants.TONES:
            general = wording.QUESTIONS["general_spoken"]
            plain = general[choice.question % len(general)]
        callback = _pick(wording.CALLBACKS, choice.variant, "callback").format(**fill)
        voicemail, spoken = _voicemail(greeting, me, intro, spoken, plain, callback)
        if channel is Channel.VOICEMAIL:
            text, parts = voicemail, spoken
    subject = None
    if channel is Channel.EMAIL:
        subject_fill = _fill(request, channel, Namer(normalize(request.organization_name)))
        subject = tidy(pools["subject"][1][choice.subject].format(**subject_fill))
    as_email = None
    if channel is not Channel.EMAIL:
        written = dataclasses.replace(
            choice, channel=Channel.EMAIL, closing=choice.closing % len(wording.SIGN_OFFS)
        )
        email = _render(written, request)
        as_email = (email.subject or "", email.text)
    text = tidy(text)
    return Script(
        variant=choice.variant,
        situation=situation,
        subject=subject,
        greeting=greeting,
        parts={part: tidy(sentence) for part, sentence in parts.items()},
        text=text,
        voicemail=tidy(voicemail) if voicemail is not None else None,
        responses=_responses(choice) if channel in (Channel.CALL, Channel.IN_PERSON) else (),
        word_count=count_words(text),
        as_email=as_email,
    )


def _assemble(
    choice: variants.Choice,
    greeting: str,
    me: str,
    intro: str,
    parts: dict[str, str],
    sign_off: str,
    profile: ProfileFacts,
) -> str:
    channel = choice.channel
    chunks = [parts[part] for part in ("purpose", "interest", "news") if parts[part]]
    if intro and channel is not Channel.CALL:
        chunks.insert(0, f"I'm {me}; {intro}.")
    body = " ".join(chunks)
    question = parts["question"]
    if channel is Channel.EMAIL:
        signature = (profile.signature or "").strip() or me
        return f"Hi {greeting},\n\n{body}\n\n{question}\n\n{sign_off}\n{signature}"
    if channel is Channel.MESSAGE:
        return f"Hi {greeting},\n{body} {question}"
    if channel is Channel.IN_PERSON:
        opener = f"Hi {greeting}, good to see you."
    else:
        placed = f"; {intro}" if intro else ""
        moment = _pick(wording.GOOD_MOMENTS, choice.variant, "moment")
        opener = f"Hi {greeting}, it's {me}{placed}. {moment}"
    # A call pauses after the question: the closing comes at the end of the conversation.
    return "\n\n".join(chunk for chunk in (opener, body, question, parts["closing"]) if chunk)


def _voicemail(
    greeting: str,
    me: str,
    intro: str,
    parts: dict[str, str],
    plain_question: str,
    callback: str,
) -> tuple[str, dict[str, str]]:
    """The message to leave, and its parts: the name said at both ends, the callback number
    once, one thanks, within 80 words.

    What does not fit is left out, in this order: the news (a question that followed from it
    gives way to `plain_question`), the closing, the clause saying who you are, the interest
    line (which names the organization: the last resort).
    """
    shorter = {**parts, "news": "", "question": plain_question}
    tries = (
        (intro, parts),
        (intro, shorter),
        (intro, {**shorter, "closing": ""}),
        ("", {**shorter, "closing": ""}),
        ("", {**shorter, "closing": "", "interest": ""}),
    )
    for placed, said in tries:
        opener = f"Hi {greeting}, it's {me}{f'; {placed}' if placed else ''}."
        chunks = [said[part] for part in PARTS if said[part]]
        thanked = any("thank" in chunk.casefold() for chunk in chunks)
        end = wording.VOICEMAIL_ENDS["thanked" if thanked else "thanks"].format(me=me)
        text = " ".join((opener, *chunks, callback, end))
        if count_words(text) <= WORD_LIMITS[Channel.VOICEMAIL]:
            break
    return text, said


def _responses(choice: variants.Choice) -> tuple[PreparedResponse, ...]:
    responses = []
    for when, phrasings in wording.RESPONSES.items():
        say = _pick(phrasings, choice.variant, when)
        responses.append(PreparedResponse(when=when, say=say.format(recruiter=RECRUITER)))
    return tuple(responses)
