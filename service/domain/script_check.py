"""The script check: brief, on-topic, ends with a question, never asks for a job."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from types import MappingProxyType

from service.domain.model import Channel, ScriptKind
from service.domain.openings import asks_about_openings

__all__ = [
    "WORD_LIMITS",
    "ScriptCheck",
    "ScriptWarning",
    "asks_about_openings",
    "check_script",
    "count_words",
    "is_repeat",
    "is_word",
    "mentions_organization",
]

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

# One match per whitespace-separated token holding a letter or digit: from its first one to
# the token's end (`\S*[^\W_]\S*` matched the same, backtracking over every token).
_WORD = re.compile(r"[^\W_]\S*")
_GENERIC_REFERENCE = re.compile(
    r"\byour\s+(?:team|company|organi[sz]ation|firm|group|department|business|work|product)s?\b",
    re.IGNORECASE,
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


def is_word(token: str) -> bool:
    """Whether a token (no whitespace in it) holds a letter or digit."""
    return _WORD.search(token) is not None


def check_script(
    *,
    channel: Channel,
    text: str,
    organization_name: str | None,
    previous_texts: Sequence[str],
    kind: ScriptKind = ScriptKind.SCRIPT,
) -> ScriptCheck:
    """Check a script against the house rules; `ok` is true when nothing was flagged.

    A closing or a reply is said inside a conversation: it needs no question and no name.
    Without `organization_name` (no contact given) the organization is unknown, so a missing
    reference to it is not flagged.
    """
    words = count_words(text)
    limit = WORD_LIMITS[channel]
    name = _normalize(organization_name or "")
    whole = kind is ScriptKind.SCRIPT
    warnings: list[ScriptWarning] = []
    if asks_about_openings(text, name):
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
    if whole and "?" not in text and "\uff1f" not in text:
        warnings.append(
            ScriptWarning("no_question", "Add an engaging question so the conversation goes on.")
        )
    if whole and organization_name is not None and not mentions_organization(text, name):
        target = name or "their organization (for example “your team”)"
        warnings.append(
            ScriptWarning(
                "no_organization_reference",
                f"Mention {target} so the message is clearly about them.",
            )
        )
    if any(is_repeat(text, previous) for previous in previous_texts):
        warnings.append(
            ScriptWarning(
                "repeats_previous",
                "This is nearly the same as an earlier script with this contact; vary the wording.",
            )
        )
    return ScriptCheck(ok=not warnings, word_count=words, warnings=tuple(warnings))


def mentions_organization(text: str, organization: str) -> bool:
    """Whether the text names the organization (or, without a name, refers to "your team")."""
    if organization:
        return organization.casefold() in _normalize(text).casefold()
    return _GENERIC_REFERENCE.search(text) is not None


def is_repeat(text: str, previous: str) -> bool:
    """Whether two texts are nearly the same, word for word."""
    new_words = re.findall(r"\w+", text.casefold())
    old_words = re.findall(r"\w+", previous.casefold())
    if not new_words or not old_words:
        return False
    matcher = SequenceMatcher(None, new_words, old_words, autojunk=False)
    return matcher.real_quick_ratio() >= REPEAT_RATIO and matcher.ratio() >= REPEAT_RATIO


def _normalize(text: str) -> str:
    return " ".join(text.split())
