"""Suggested scripts: the situation's wording for the channel, varied between touches.

A script is rendered from a variant (service.domain.variants: which phrasing of each part).
The same variant and context always render the same text, so a stored variant can be
re-rendered to compare with a new script. The wording itself lives in service.domain.wording.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from service.domain import variants, wording
from service.domain.model import (
    Channel,
    NewsFacts,
    PreparedResponse,
    ProfileFacts,
    Script,
    Situation,
)
from service.domain.script_check import WORD_LIMITS, count_words, is_word

PARTS = ("purpose", "interest", "news", "question", "closing")
PLACEHOLDER = "[your name]"
RECRUITER = "the recruiter"
# Touches with the same person within which no sentence repeats (this one and three before).
REPEAT_WINDOW = 4

# How much of a headline is read out or written: spoken scripts refer to it, never read it whole.
_HEADLINE_WORDS = {
    Channel.CALL: 12,
    Channel.IN_PERSON: 12,
    Channel.VOICEMAIL: 8,
    Channel.EMAIL: 20,
    Channel.MESSAGE: 10,
}
_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir"})
_CLAUSE_BREAK = re.compile(r"\s*(?::|;|\s[-\u2013\u2014|]\s)\s*")
_QUOTE_FREE = str.maketrans({"“": "'", "”": "'", '"': "'"})


@dataclass(frozen=True)
class ScriptRequest:
    """Everything a script is written from; `earlier_variants` are the person's, oldest first."""

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


def build_script(request: ScriptRequest) -> Script:
    """Write the script for `request`: no sentence of the last three touches with the person,
    the least recently used phrasing of each part first."""
    tones = variants.TONE_TAGS[request.news.tone] if request.news else "g"
    own = request.situation in variants.OWN_QUESTION
    blank = variants.Choice(
        request.situation, request.channel, 0, 0, tones, 0, "s" if own else tones, 0, 0, 0
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
    if too_long or (dropped and request.news is not None):
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
    return script


def render_variant(variant: str, request: ScriptRequest) -> Script:
    """Re-render a stored variant in `request`'s context; ValueError when it is not one of ours."""
    choice = variants.parse(variant)
    if choice is None:
        raise ValueError(f"unknown script variant: {variant!r}")
    return _render(choice, request)


def greeting_for(contact_name: str, greeting_name: str | None) -> str:
    """How to greet them: their greeting name, else the first name after any honorific."""
    if greeting_name and greeting_name.strip():
        return _normalize(greeting_name)
    words = _normalize(contact_name).split()
    names = [w for w in words if w.rstrip(".").casefold() not in _HONORIFICS]
    return names[0] if names else _normalize(contact_name)


def _render(choice: variants.Choice, request: ScriptRequest) -> Script:
    channel, situation = choice.channel, choice.situation
    pools = choice.pools()
    organization = _normalize(request.organization_name) or "your team"
    fill = {
        "organization": organization,
        "role": _role_phrase(request.role_applied),
        "referrer": _normalize(request.referrer_name or "") or "a colleague of yours",
        "requested": _describe(request.requested_on),
        "headline": _headline(request.news, channel),
        "recruiter": RECRUITER,
    }

    def sentence(part: str) -> str:
        if part == "news" and choice.news_tag == "x":
            return ""
        return _filled(pools[part][1][choice.index(part)], fill)

    parts = {part: sentence(part) for part in PARTS}
    sign_off = parts["closing"] if channel is Channel.EMAIL else ""
    if channel not in (Channel.CALL, Channel.VOICEMAIL):
        parts["closing"] = ""
    greeting = greeting_for(request.contact_name, request.greeting_name)
    me = _normalize(request.profile.name or "") or PLACEHOLDER
    text = _assemble(channel, greeting, me, parts, sign_off, request.profile)
    voicemail = None
    if channel in (Channel.CALL, Channel.VOICEMAIL):
        closings = wording.CLOSINGS["voicemail"]
        spoken = {**parts, "closing": closings[choice.closing % len(closings)]}
        plain = parts["question"]
        if choice.question_tag in variants.TONES:
            general = wording.QUESTIONS["general_spoken"]
            plain = general[choice.question % len(general)]
        voicemail, spoken = _voicemail(greeting, me, spoken, plain)
        if channel is Channel.VOICEMAIL:
            text, parts = voicemail, spoken
    subject = None
    if channel is Channel.EMAIL:
        subject = _filled(pools["subject"][1][choice.subject], fill)
    return Script(
        variant=choice.variant,
        situation=situation,
        subject=subject,
        greeting=greeting,
        parts=parts,
        text=text,
        voicemail=voicemail,
        responses=_responses(choice) if channel in (Channel.CALL, Channel.IN_PERSON) else (),
        word_count=count_words(text),
    )


def _filled(template: str, fill: dict[str, str]) -> str:
    """The template filled in; a name that ends in its own stop ends the sentence with it
    ("Contoso, Inc.", never "Contoso, Inc..")."""
    for name, value in fill.items():
        if value.endswith((".", "!", "?")):
            template = template.replace(f"{{{name}}}.", f"{{{name}}}")
    return template.format(**fill)


def _assemble(
    channel: Channel,
    greeting: str,
    me: str,
    parts: dict[str, str],
    sign_off: str,
    profile: ProfileFacts,
) -> str:
    body = " ".join(parts[part] for part in ("purpose", "interest", "news") if parts[part])
    question = parts["question"]
    if channel is Channel.EMAIL:
        signature = (profile.signature or "").strip() or me
        return f"Hi {greeting},\n\n{body}\n\n{question}\n\n{sign_off}\n{signature}"
    if channel is Channel.MESSAGE:
        return f"Hi {greeting},\n{body} {question}"
    opener = (
        f"Hi {greeting}, good to see you."
        if channel is Channel.IN_PERSON
        else (f"Hi {greeting}, it's {me}.")
    )
    # A call pauses after the question: the closing comes at the end of the conversation.
    return "\n\n".join(chunk for chunk in (f"{opener} {body}", question, parts["closing"]) if chunk)


def _voicemail(
    greeting: str, me: str, parts: dict[str, str], plain_question: str
) -> tuple[str, dict[str, str]]:
    """The message to leave, and its parts: the name said at both ends, within 80 words.

    When the news does not fit, it is left out, and a question that followed from it gives
    way to `plain_question`.
    """
    opener, thanks = f"Hi {greeting}, it's {me}.", f"Thanks, {me}."
    for said in (parts, {**parts, "news": "", "question": plain_question}):
        chunks = [said[part] for part in PARTS if said[part]]
        text = " ".join((opener, *chunks, thanks))
        if count_words(text) <= WORD_LIMITS[Channel.VOICEMAIL]:
            break
    return text, said


def _responses(choice: variants.Choice) -> tuple[PreparedResponse, ...]:
    responses = []
    for when, phrasings in wording.RESPONSES.items():
        digest = hashlib.sha256(f"{choice.variant}:{when}".encode()).digest()
        say = phrasings[int.from_bytes(digest[:8], "big") % len(phrasings)]
        responses.append(PreparedResponse(when=when, say=say.format(recruiter=RECRUITER)))
    return tuple(responses)


def _role_phrase(role_applied: str | None) -> str:
    role = _normalize(role_applied or "").translate(_QUOTE_FREE)
    if not role:
        return "the role"
    last = role.split()[-1].casefold()
    return f"the {role}" if last in ("role", "position", "job") else f"the {role} role"


def _describe(day: date | None) -> str:
    return f"{day:%B} {day.day}" if day else "now"


def _headline(news: NewsFacts | None, channel: Channel) -> str:
    """The headline, quoted; a long one shortened to its first clause or first words."""
    if news is None:
        return ""
    text = _normalize(news.headline).translate(_QUOTE_FREE)
    limit = _HEADLINE_WORDS[channel]
    if count_words(text) > limit:
        clause = _CLAUSE_BREAK.split(text, maxsplit=1)[0]
        if 2 <= count_words(clause) <= limit:
            text = clause
        else:
            kept: list[str] = []
            for token in text.split():
                if count_words(" ".join([*kept, token])) > limit:
                    break
                kept.append(token)
            while kept and not is_word(kept[-1]):
                kept.pop()
            text = " ".join(kept).rstrip(",;:") + "…"
    return f"“{text}”"


def _normalize(text: str) -> str:
    return " ".join(text.split())
