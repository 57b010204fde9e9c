"""Suggested scripts: varied phrasings per part, and the script check.

A variant names the channel family (``s`` spoken, ``w`` written), the channel and the phrasing
index of each part: ``w-email-p1-i0-n2-q1-c0``. The same variant and inputs always render the
same text, so a stored variant can be re-rendered to compare with a new script.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from types import MappingProxyType

from service.domain.model import Channel, Script

PARTS = ("purpose", "interest", "news", "question", "closing")
WORD_LIMITS: Mapping[Channel, int] = MappingProxyType(
    {
        Channel.VOICEMAIL: 80,
        Channel.CALL: 120,
        Channel.EMAIL: 150,
        Channel.MESSAGE: 60,
        Channel.IN_PERSON: 120,
    }
)
REPEAT_RATIO = 0.85

_SPOKEN = frozenset({Channel.CALL, Channel.VOICEMAIL, Channel.IN_PERSON})
_CLOSING_CHANNELS = frozenset({Channel.CALL, Channel.VOICEMAIL})
_DEFAULT_CHANNEL = {"s": Channel.CALL, "w": Channel.EMAIL}
_KEYS = ("p", "i", "n", "q", "c")

_PHRASES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "s": {
        "purpose": (
            "It's [your name], and I wanted to check in briefly.",
            "This is [your name], just reaching out to stay in touch.",
            "It's [your name] again; I wanted to say a quick hello.",
        ),
        "interest": (
            "I'm still very interested in {organization} and the work you do.",
            "{organization} remains the place I'd most like to contribute.",
            "My interest in {organization} hasn't faded at all.",
        ),
        "news": (
            "I saw the news about “{headline}” and it sounded exciting.",
            "I noticed “{headline}”, which was great to hear.",
            "I was glad to read “{headline}”.",
        ),
        "question": (
            "What has your team been most focused on lately?",
            "What's the most interesting challenge on your plate this season?",
            "Is there a project you're especially excited about right now?",
        ),
        "closing": (
            "I know you're busy, so I'll keep it short — thanks for your time.",
            "Thanks for your time; I'll let you get back to your day.",
            "I appreciate you taking a moment — have a great day.",
        ),
    },
    "w": {
        "purpose": (
            "I wanted to drop you a quick note to stay in touch.",
            "I'm writing to check in and say hello.",
            "A brief note to keep in touch since we last connected.",
        ),
        "interest": (
            "I remain very interested in {organization} and its work.",
            "{organization} is still the team I'd most like to contribute to.",
            "My enthusiasm for {organization} is as strong as ever.",
        ),
        "news": (
            "I enjoyed reading “{headline}”.",
            "I saw “{headline}” and found it really interesting.",
            "“{headline}” caught my eye recently.",
        ),
        "question": (
            "What are you most excited about at the moment?",
            "What has been keeping your team busy lately?",
            "How are things going with your current projects?",
        ),
        "closing": ("",),
    },
}
_NEWS_PROMPTS = (
    "[Mention a recent {organization} announcement you noticed.]",
    "[Mention something new at {organization} you read about.]",
    "[Mention a recent {organization} milestone or launch.]",
)
_SHORT_NEWS_PROMPTS = (
    "[Mention recent news you noticed.]",
    "[Mention something new you read.]",
    "[Mention a recent milestone.]",
)

_OPENINGS = re.compile(
    r"\bany\s+(?:job\s+|open\s+|new\s+)?(?:openings?|roles?|positions?|jobs?|vacanc\w*)\b"
    r"|\bopen\s+(?:positions?|roles?|jobs?|reqs?|headcount)\b"
    r"|\bpositions?\s+(?:available|open)\b"
    r"|\bjob\s+openings?\b"
    r"|\b(?:are|is)\s+(?:you|your\s+team|the\s+team)\s+(?:\w+\s+)?hiring\b"
    r"|\bwhen\s+(?:will\s+)?(?:you|your\s+team)\s+(?:be\s+)?hiring\b"
    r"|\b(?:is|are)\s+there\s+(?:an?\s+|any\s+)?(?:\w+\s+)?"
    r"(?:jobs?|openings?|positions?|roles?|vacanc\w*)\b"
    r"|\bvacanc(?:y|ies)\b"
    r"|\bany\s+(?:new\s+)?opportunit(?:y|ies)\b"
    r"|\banything\s+open\b"
    r"|\bhiring\s+again\b",
    re.IGNORECASE,
)
# One match per whitespace-separated token holding a letter or digit: from its first one to
# the token's end (`\S*[^\W_]\S*` matched the same, backtracking over every token).
_WORD = re.compile(r"[^\W_]\S*")
_QUOTE_FREE = str.maketrans({"“": "'", "”": "'", '"': "'"})
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"")
_GENERIC_REFERENCE = re.compile(
    r"\byour\s+(?:team|company|organi[sz]ation|firm|group|department|business|work|product)s?\b",
    re.IGNORECASE,
)
_VARIANT = re.compile(
    r"(?P<family>[sw])(?:-(?P<channel>[a-z_]+))?-p(\d+)-i(\d+)-n(\d+)-q(\d+)-c(\d+)"
)


@dataclass(frozen=True)
class ScriptWarning:
    code: str
    message: str


@dataclass(frozen=True)
class ScriptCheck:
    ok: bool
    word_count: int
    warnings: tuple[ScriptWarning, ...]


def count_words(text: str) -> int:
    """Count whitespace-separated tokens holding at least one letter or digit."""
    return len(_WORD.findall(text))


def build_script(
    *,
    channel: Channel,
    organization_name: str,
    contact_name: str,
    news_headline: str | None,
    previous_variant: str | None,
    seed: str,
    earlier_variants: Sequence[str] = (),
) -> Script:
    """Build a script for `channel`: every part worded differently from `previous_variant`,
    and as far as possible from the `earlier_variants` used with the same person."""
    family = _family(channel)
    previous = _parse(previous_variant)
    earlier = [parsed[1] for v in earlier_variants if (parsed := _parse(v)) is not None]
    indices = _choose(seed, family, previous[1] if previous else None, earlier)
    return _render(channel, indices, organization_name, contact_name, news_headline)


def _choose(
    seed: str, family: str, latest: tuple[int, ...] | None, earlier: list[tuple[int, ...]]
) -> tuple[int, ...]:
    sizes = [len(_PHRASES[family][part]) for part in PARTS]
    options = [
        [i for i in range(size) if latest is None or size == 1 or i != latest[k]]
        for k, size in enumerate(sizes)
    ]

    salt = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")
    if not earlier:  # nothing said yet: any wording will do, picked by the seed
        return tuple(choices[hash((salt, k)) % len(choices)] for k, choices in enumerate(options))

    def score(candidate: tuple[int, ...]) -> tuple[int, int]:
        # Most parts different from the closest earlier script, then a seeded tie-break
        # (the hash of a tuple of ints is the same in every process, unlike a str's).
        spread = min(
            (sum(a != b for a, b in zip(candidate, old, strict=False)) for old in earlier),
            default=len(PARTS),
        )
        return spread, hash((salt, *candidate))

    return max(itertools.product(*options), key=score)


def render_variant(
    variant: str, *, organization_name: str, contact_name: str, news_headline: str | None
) -> str:
    """Re-render the text of a stored variant; raise ValueError when it is not one of ours."""
    parsed = _parse(variant)
    if parsed is None:
        raise ValueError(f"unknown script variant: {variant!r}")
    channel, indices = parsed
    return _render(channel, indices, organization_name, contact_name, news_headline).text


def check_script(
    *, channel: Channel, text: str, organization_name: str | None, previous_texts: Sequence[str]
) -> ScriptCheck:
    """Check a script against the house rules; `ok` is true when nothing was flagged."""
    words = count_words(text)
    limit = WORD_LIMITS[channel]
    name = _normalize(organization_name or "")
    warnings: list[ScriptWarning] = []
    if _asks_about_openings(text, name):
        warnings.append(
            ScriptWarning(
                "asks_about_openings",
                "Don't ask whether there is an opening; show interest and let them bring it up.",
            )
        )
    if words > limit:
        warnings.append(
            ScriptWarning(
                "too_long",
                f"This {channel.value.replace('_', ' ')} script has {words} words; "
                f"keep it to {limit} or fewer.",
            )
        )
    if "?" not in text and "\uff1f" not in text:
        warnings.append(
            ScriptWarning("no_question", "Add an engaging question so the conversation goes on.")
        )
    if not _mentions_organization(text, name):
        target = name or "their organization (for example “your team”)"
        warnings.append(
            ScriptWarning(
                "no_organization_reference",
                f"Mention {target} so the message is clearly about them.",
            )
        )
    if any(_is_repeat(text, previous) for previous in previous_texts):
        warnings.append(
            ScriptWarning(
                "repeats_previous",
                "This is nearly the same as an earlier script with this contact; vary the wording.",
            )
        )
    return ScriptCheck(ok=not warnings, word_count=words, warnings=tuple(warnings))


def _family(channel: Channel) -> str:
    return "s" if channel in _SPOKEN else "w"


def _parse(variant: str | None) -> tuple[Channel, tuple[int, ...]] | None:
    match = _VARIANT.fullmatch(variant or "")
    if match is None:
        return None
    family = match["family"]
    try:
        channel = Channel(match["channel"]) if match["channel"] else _DEFAULT_CHANNEL[family]
    except ValueError:
        return None
    indices = tuple(int(group) for group in match.groups()[2:])
    phrases = _PHRASES[family]
    if _family(channel) != family or any(
        index >= len(phrases[part]) for part, index in zip(PARTS, indices, strict=True)
    ):
        return None
    return channel, indices


def _render(
    channel: Channel,
    indices: tuple[int, ...],
    organization_name: str,
    contact_name: str,
    news_headline: str | None,
) -> Script:
    family = _family(channel)
    organization = _normalize(organization_name) or "your team"
    first_name = next(iter(_normalize(contact_name).split()), "")
    parts = {
        part: _PHRASES[family][part][index].format(organization=organization)
        for part, index in zip(PARTS, indices, strict=True)
        if part != "news"
    }
    if channel not in _CLOSING_CHANNELS:
        parts["closing"] = ""
    punctuation = "!" if family == "s" else ","
    greeting = f"Hi {first_name or 'there'}{punctuation}"
    news_index = indices[PARTS.index("news")]
    bare = {**parts, "news": _PHRASES[family]["news"][news_index].format(headline="")}
    budget = WORD_LIMITS[channel] - _assemble(channel, indices, greeting, bare).word_count
    candidates = _news_candidates(family, news_index, organization, news_headline, budget)

    # The first candidate that fits, else the last (the shortest); each is assembled once.
    for news in candidates:
        script = _assemble(channel, indices, greeting, {**parts, "news": news})
        if script.word_count <= WORD_LIMITS[channel]:
            break
    parts["news"] = news
    if _asks_about_openings(script.text, organization):
        script = _assemble(channel, indices, f"Hi there{punctuation}", parts)
    return script


def _news_candidates(
    family: str, index: int, organization: str, headline: str | None, budget: int
) -> list[str]:
    prompts = [
        _NEWS_PROMPTS[index].format(organization=organization),
        _SHORT_NEWS_PROMPTS[index],
    ]
    tokens = _normalize(headline or "").translate(_QUOTE_FREE).split()
    if not any(_is_word(token) for token in tokens):
        return prompts
    template = _PHRASES[family]["news"][index]
    kept: list[str] = []
    words = 0
    for token in tokens:
        words += _is_word(token)
        if words > budget:
            break
        kept.append(token)
    while kept and not _is_word(kept[-1]):
        kept.pop()
    shortened = [template.format(headline=" ".join(kept) + "…")] if kept != tokens and kept else []
    return [template.format(headline=" ".join(tokens)), *shortened, *prompts]


def _assemble(
    channel: Channel, indices: tuple[int, ...], greeting: str, parts: dict[str, str]
) -> Script:
    body = " ".join(parts[part] for part in ("purpose", "interest", "news"))
    if channel is Channel.EMAIL:
        text = f"{greeting}\n\n{body}\n\n{parts['question']}\n\nBest regards,\n[Your name]"
    elif channel is Channel.MESSAGE:
        text = f"{greeting}\n{body} {parts['question']}"
    else:
        text = " ".join(
            chunk for chunk in (greeting, body, parts["question"], parts["closing"]) if chunk
        )
    codes = "-".join(f"{key}{index}" for key, index in zip(_KEYS, indices, strict=True))
    variant = f"{_family(channel)}-{channel.value}-{codes}"
    ordered = {part: parts[part] for part in PARTS}
    return Script(variant=variant, parts=ordered, text=text, word_count=count_words(text))


def _is_word(token: str) -> bool:
    # A token (no whitespace in it) that holds a letter or digit.
    return _WORD.search(token) is not None


def _normalize(text: str) -> str:
    return " ".join(text.split())


def _asks_about_openings(text: str, organization: str) -> bool:
    # Quoted news and the organization's own name are not questions about openings.
    cleaned = _QUOTED.sub(" … ", _normalize(text))
    if organization:
        cleaned = _name_pattern(organization).sub(" … ", cleaned)
    return _OPENINGS.search(cleaned) is not None


@functools.lru_cache(maxsize=4096)
def _name_pattern(organization: str) -> re.Pattern[str]:
    # Kept compiled per name: every plan checks its script, and re's own cache holds only 512.
    return re.compile(re.escape(organization), re.IGNORECASE)


def _mentions_organization(text: str, organization: str) -> bool:
    if organization:
        return organization.casefold() in _normalize(text).casefold()
    return _GENERIC_REFERENCE.search(text) is not None


def _is_repeat(text: str, previous: str) -> bool:
    new_words = re.findall(r"\w+", text.casefold())
    old_words = re.findall(r"\w+", previous.casefold())
    if not new_words or not old_words:
        return False
    matcher = SequenceMatcher(None, new_words, old_words, autojunk=False)
    return matcher.real_quick_ratio() >= REPEAT_RATIO and matcher.ratio() >= REPEAT_RATIO
