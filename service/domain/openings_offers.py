"""Offers and conditional asks (SPEC 6, the check's second pass): asking for a job by offering.

"If Priya's move leaves a gap, I'd be glad to step in", "I'd happily join on a contract basis",
"I'd relocate if that made a role possible", "let me know first": each asks for a job even
when it is wrapped in an "if" and has no question. What still passes: the article's statement
of future interest, a passing mention of one's own job search or side work, moves and
contracts in the past ("I moved to Denver last month").
"""

from __future__ import annotations

import re

from service.domain.openings_vocabulary import (
    ARRANGEMENT,
    BUSY,
    CHANCE_TO,
    EASIER_TO_APPROVE,
    FILL_GAP,
    FILLER,
    FIRST_IN_LINE,
    FIRST_PERSON,
    HELP_OUT,
    MAKE_IT_POSSIBLE,
    OTHER_WORK,
    READY,
    SPONSORSHIP,
    TITLE,
    VISA_SPONSORSHIP,
)

# The speaker, offering or able to do something: "I'd", "I could", "I'm happy to", "could I".
_OFFERING = re.compile(
    r"\bI(?:'d|'ll|\s+would|\s+wouldn't|\s+could|\s+can|\s+will|\s+might|\s+now)\b"
    r"|\bI(?:'m|\s+am)\s+(?:\w+\s+)?(?:open|happy|glad|available|willing|keen|ready|free|able)\b"
    r"|\b(?:could|can|may|might)\s+I\b|\b(?:bring|bringing|take|taking|consider)\w*\s+me\b"
    r"|\bwith\s+me\b|\b(?:happy|glad|willing|keen|open)\s+to\b",
    re.IGNORECASE,
)
# What was, not what is offered: "I've been doing some contract work", "a project elsewhere".
_DONE = re.compile(
    r"\bI(?:'ve|\s+have)\s+(?:been|accepted|done|taken|started|finished)\b|\belsewhere\b"
    r"|\bI\s+(?:moved|relocated|accepted|took|did)\b(?!\s+(?:the|a|an)\s+\w+\s+(?:rotation|shift))"
    # Their news asked about: "I'd love to hear how the secondment to Tokyo went".
    r"|\bhear\s+how\b|\bhow\s+(?:\w+\s+){0,5}?(?:went|is\s+going|has\s+gone|turned\s+out"
    r"|worked\s+out)\b",
    re.IGNORECASE,
)
_FILL_GAP = re.compile(
    rf"(?:{FIRST_PERSON}|\b(?:happy|glad|willing)\s+to)\s+{FILLER}{CHANCE_TO}{FILL_GAP}"
    r"|\bI\s+(?:might|could|can)\s+pick\s+up\b|\bif\s+I\s+took\b",
    re.IGNORECASE,
)
_OTHER_WORK = re.compile(OTHER_WORK, re.IGNORECASE)
_MAKE_IT_POSSIBLE = re.compile(MAKE_IT_POSSIBLE, re.IGNORECASE)
_SPONSORSHIP = re.compile(SPONSORSHIP, re.IGNORECASE)
_FIRST_IN_LINE = re.compile(FIRST_IN_LINE, re.IGNORECASE)
_READY = re.compile(READY, re.IGNORECASE)
# A condition about their needing someone: "if you end up needing someone", "add a designer".
_NEED = re.compile(
    rf"\b(?:need|needs|needing|needed|add|adding|want|wanting)\s+(?:(?:a|an|another|a\s+second"
    rf"|one\s+more|more|an\s+extra|extra)\s+)?(?:someone|somebody|anyone|hands|help|{TITLE})"
    r"|\b(?:gap|seat|spot|slot|opening|role|position|contract|budget|headcount|launch)\b",
    re.IGNORECASE,
)
_HELP_OUT = re.compile(
    rf"(?:{FIRST_PERSON}|\b(?:happy|glad|willing|keen|able)\s+to)\s+{FILLER}{CHANCE_TO}{HELP_OUT}",
    re.IGNORECASE,
)
_BUSY = re.compile(BUSY, re.IGNORECASE)
_VISA_SPONSORSHIP = re.compile(VISA_SPONSORSHIP, re.IGNORECASE)
_EASIER_TO_APPROVE = re.compile(EASIER_TO_APPROVE, re.IGNORECASE)
_ARRANGEMENT = re.compile(ARRANGEMENT, re.IGNORECASE)
_WH_START = re.compile(r"^\W*(?:how|why|what|which|where|who)\b", re.IGNORECASE)
_ME = re.compile(r"\b(?:I|me|my|we)\b", re.IGNORECASE)
_CONDITION = re.compile(r"\b(?:if|should|when|whenever|once|in\s+case)\b", re.IGNORECASE)
# "Would a remote arrangement make it possible?": an arrangement offered to get the job.
_CONDITION_OR_POSSIBLE = re.compile(
    r"\b(?:make|makes|making)\s+(?:it|things|that|this)\s+(?:\w+\s+)?(?:possible|easier|work"
    r"|simpler|feasible)\b|\b(?:I|me)\b",
    re.IGNORECASE,
)


def offers_work(clause: str, is_question: bool) -> bool:
    """Whether a clause offers the speaker for work, or asks to hear first or be kept in mind."""
    if _FIRST_IN_LINE.search(clause):
        return True
    if _DONE.search(clause):
        return False
    offering = _OFFERING.search(clause) is not None
    if _FILL_GAP.search(clause):
        return True
    yes_no = is_question and _WH_START.match(clause) is None
    if _OTHER_WORK.search(clause) and (offering or yes_no):
        return True
    if _MAKE_IT_POSSIBLE.search(clause):
        return True
    if _SPONSORSHIP.search(clause) and _ME.search(clause) and (offering or is_question):
        return True
    if _VISA_SPONSORSHIP.search(clause) and (offering or yes_no):
        return True
    if _EASIER_TO_APPROVE.search(clause) and offering:
        return True
    if (
        _ARRANGEMENT.search(clause)
        and (offering or yes_no)
        and _CONDITION_OR_POSSIBLE.search(clause)
    ):
        return True
    if _HELP_OUT.search(clause) and _BUSY.search(clause):
        return True
    return (
        _READY.search(clause) is not None
        and _CONDITION.search(clause) is not None
        and _NEED.search(clause) is not None
    )
