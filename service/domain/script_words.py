"""The words a script fills in: names, possessives, the role, the headline, tidy punctuation."""

from __future__ import annotations

import re
from datetime import date

from service.domain.model import Channel, NewsFacts, NewsTone
from service.domain.script_check import asks_about_openings, count_words, is_word

_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir"})
_ABBREVIATED = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof"})
_CLAUSE_BREAK = re.compile(r"\s*(?::|;|\s[-\u2013\u2014|]\s)\s*")
_QUOTE_FREE = str.maketrans({"“": "'", "”": "'", '"': "'"})
_DOUBLED = re.compile(r"(?<![.])\.\.(?![.])|([,;:])\1+|([!?])\.(?![.])")
# Headline words a script may say or write: spoken scripts refer to it, never read it whole.
HEADLINE_WORDS = {
    Channel.CALL: 12,
    Channel.IN_PERSON: 12,
    Channel.VOICEMAIL: 8,
    Channel.EMAIL: 20,
    Channel.MESSAGE: 10,
}
SPOKEN = frozenset({Channel.CALL, Channel.VOICEMAIL, Channel.IN_PERSON})
ROLE_WORDS = 6
THE_NEWS = "the news"
YOUR_NEWS = "your recent news"
OUR_CONVERSATIONS = "our conversations"


def normalize(text: str) -> str:
    return " ".join(text.split())


def greeting_for(contact_name: str, greeting_name: str | None) -> str:
    """How to greet them: their greeting name; an honorific with the surname ("Dr. Okafor");
    else the first name."""
    if greeting_name and greeting_name.strip():
        return normalize(greeting_name)
    words = normalize(contact_name).split()
    names = [w for w in words if w.rstrip(".").casefold() not in _HONORIFICS]
    if not names:
        return normalize(contact_name)
    honorific = words[0].rstrip(".")
    if honorific.casefold() == "sir":
        return f"{honorific} {names[0]}"  # Sir takes the first name
    if honorific.casefold() in _HONORIFICS:
        title = f"{honorific}." if honorific.casefold() in _ABBREVIATED else honorific
        return f"{title} {names[-1]}"
    return names[0]


def possessive(name: str) -> str:
    """ "Acme's", "Contoso Labs'": a name ending in s takes the apostrophe alone."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def role_title(role_applied: str | None) -> str | None:
    """The role's title, shortened at its first comma or parenthesis when longer than six
    words; None when unknown or still too long (then it is "the role")."""
    role = normalize(role_applied or "").translate(_QUOTE_FREE)
    if not role:
        return None
    if count_words(role) > ROLE_WORDS:
        role = re.split(r"\s*[,(]", role, maxsplit=1)[0].strip()
        if not role or count_words(role) > ROLE_WORDS:
            return None
    return role


def role_phrase(role_applied: str | None) -> str:
    """ "the Staff Engineer role", or "the role"."""
    title = role_title(role_applied)
    if title is None:
        return "the role"
    last = title.split()[-1].casefold()
    return f"the {title}" if last in ("role", "position", "job") else f"the {title} role"


def topic(talked_about: str | None, role_applied: str | None) -> str:
    """What a later subject line is about: what you discussed, or the role's interviews."""
    talked = normalize(talked_about or "")
    if talked:
        return talked
    return interviews(role_applied) if role_title(role_applied) else OUR_CONVERSATIONS


def interviews(role_applied: str | None) -> str:
    """ "the Staff Engineer interviews", or "the interviews"."""
    title = role_title(role_applied)
    return f"the {title} interviews" if title else "the interviews"


def month_met(met_on: date | None, on: date | None) -> str:
    """ " in March" (" in March 2025" when more than ten months ago), or nothing."""
    if met_on is None:
        return ""
    if on is not None and (on - met_on).days > 300:
        return f" in {met_on:%B} {met_on.year}"
    return f" in {met_on:%B}"


def describe_day(day: date | None) -> str:
    return f"{day:%B} {day.day}" if day else "now"


def headline(news: NewsFacts | None, channel: Channel) -> str:
    """What a script calls the news. Difficult news: its summary, or "the news", never the
    headline. Spoken: the summary, or "the news that …" when the headline is short enough,
    never in quotation marks nor cut with an ellipsis. Written: the headline, quoted (a long
    one shortened to its first clause or first words)."""
    if news is None:
        return ""
    summary = normalize(news.summary or "").translate(_QUOTE_FREE)
    if news.tone is NewsTone.DIFFICULT:
        return summary or THE_NEWS
    text = normalize(news.headline).translate(_QUOTE_FREE)
    limit = HEADLINE_WORDS[channel]
    if channel in SPOKEN:
        if summary:
            return summary
        if count_words(text) > limit:
            clause = _CLAUSE_BREAK.split(text, maxsplit=1)[0]
            text = clause if 2 <= count_words(clause) <= limit else ""
        said = f"the news that {text.rstrip('.!')}" if text else ""
        # Unquoted, a headline that reads as a question or an ask would be one, and a sentence
        # that asks about it ("… is hiring 50 engineers, and I wanted to ask about it") would
        # ask about openings: refer to it instead.
        reads_as_ask = asks_about_openings(said) or asks_about_openings(
            f"I wanted to ask about {said}."
        )
        return said if said and "?" not in said and not reads_as_ask else YOUR_NEWS
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


def tidy(text: str) -> str:
    """No doubled punctuation: "Contoso, Inc.." becomes "Contoso, Inc.", "Yahoo!." "Yahoo!"."""
    return _DOUBLED.sub(lambda m: m.group(1) or m.group(2) or ".", text)


class Namer:
    """The organization's name, said at most twice in a script; then "your team"."""

    def __init__(self, name: str, limit: int = 2) -> None:
        self.name, self.limit, self.said = name, limit, 0

    def plain(self) -> str:
        self.said += 1
        return self.name if self.said <= self.limit and self.name else "your team"

    def owner(self) -> str:
        self.said += 1
        return possessive(self.name) if self.said <= self.limit and self.name else "your team's"
