"""Whether a text asks for a job, as opposed to showing interest or asking about their work."""

from __future__ import annotations

import functools
import re

from service.domain.openings_offers import offers_work
from service.domain.openings_vocabulary import (
    BECOMES_FREE,
    DEPARTURE,
    FILLER,
    FIRST_PERSON,
    GROW,
    JOB_NOUN,
    OFFER,
    PERSON,
    PLACE,
    RECRUITING,
    SEEKING,
    SOMEONE,
    TEAM,
    TITLE,
)

# A sentence asks for a job when it is a question or a request (or says "I'd love to apply")
# and concerns a job: an opening, a role on offer, hiring, applying, being considered or
# referred. So does saying you are job hunting, offering to start, or offering yourself right
# after a word about their team growing or losing someone ("Is anyone retiring? I'd love to
# step in."). A statement of interest conditioned on the future is not an ask.

_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"")
_ORGANIZATION = "theorg"
_HEADLINE = "theheadline"
_SENTENCE = re.compile(
    r"(?<=[.!?\uff1f…])[\"”\u2019')\]]*\s+|\s+[\u2014\u2013-]+\s+|\s*;\s*|\s*[\u2014\u2013]\s*"
)
# "I saw you're hiring, what's driving it?": a wh-question after a comma is its own clause,
# unless what comes before is a condition ("If anything opens up, who should I ask?").
_WH_AFTER_COMMA = re.compile(r",\s+(?=(?:what|how|who|which|why|where)\b)", re.IGNORECASE)
_CONDITIONAL_START = re.compile(r"^\W*(?:if|should|when|whenever|once|in\s+case)\b", re.I)
_WH_START = re.compile(r"^\W*(?:how|why|what|which|where|who)\b", re.IGNORECASE)
_ON_OFFER_NOUN = r"(?:roles?|positions?|jobs?|spots?|openings?)"

_WORDS_THAT_ARE_NOT_JOBS = re.compile(
    r"\b(?:grand|store|office|restaurant|shop|branch|museum|site|plant)\s+openings?\b"
    r"|\bopenings?\s+(?:of|night|keynote|remarks|ceremony|party|act)\b"
    r"|\bhiring\s+(?:managers?|teams?|committee|partners?|process)\b(?!\s+for\s+(?:the|that|an?)\b)"
    r"|\bhiring\s+(?:challenges?|strateg(?:y|ies)|practices?|bar|philosophy|tools?|lessons?)\b"
    r"|\bhiring\s+freeze\b(?!\s+(?:(?:is|was|has|been|will|to|would|might|could)\s+){0,2}"
    r"(?:over|lifted|lift|end|ends|thaw))"
    # "new hires" are people already hired, but "budget for a new hire" is a job.
    r"|(?<!\bfor\s)(?<!\bfor\sa\s)(?<!\bfor\sany\s)(?<!\bfor\smore\s)"
    r"\b(?:new|recent|latest|first)\s+hires?\b|\bhiring\s+of\b"
    r"|\bopportunit(?:y|ies)\s+(?:\w+\s+){0,3}?(?:in|for|across)\s+(?:the|this|that|your|our)\s+"
    r"(?:\w+\s+)?(?:market|industry|space|sector|business|product|region)s?\b"
    r"|\b(?:great|good|nice|amazing|fantastic|brilliant)\s+job\b"
    # Idioms with a job's nouns: "spot on", "a sweet spot", "a seat at the table".
    r"|\bspot[- ]on\b|\b(?:on|hit)\s+the\s+spot\b|\b(?:sweet|blind|bright|soft|weak)\s+spots?\b"
    r"|\b(?:back|driver's|front[- ]row)\s+seat\b|\bseat\s+at\s+the\s+table\b"
    r"|\bin\s+(?:the\s+)?first\s+place\b|\btook\s+place\b|\bplace\s+to\s+(?:work|be)\b"
    r"|\b(?:my|your|his|her|their|its|our|\w+'s)\s+(?:(?:new|current|old|previous|last|bigger|"
    r"expanded|first)\s+)?(?:role|position|job|title)s?\b"
    r"|\b(?:role|part)\s+(?:\w+\s+){0,4}?play(?:s|ed|ing)?\b"
    r"|\bplay(?:s|ed|ing)?\s+(?:a|an|the)?\s*(?:\w+\s+)?role\b"
    # The part a thing plays, not a job for a person: "a role for AI in your roadmap".
    rf"|\b(?:a|an|the|any|no)\s+(?:\w+\s+)?roles?\s+(?:for|of)\s+(?!(?:\w+\s+){{0,2}}?{PERSON}\b)",
    re.IGNORECASE,
)

# Phrases where the speaker is the one to be hired.
_CANDIDATE = re.compile(
    r"\bconsider\s+me\b|\bbe(?:ing)?\s+considered\b|\bkeep\s+me\s+in\s+mind\b"
    r"|\bthink\s+of\s+me\b|\bremember\s+me\b|\bcount\s+me\s+in\b|\bhire\s+me\b"
    r"|\brefer\s+me\b|\bbe(?:ing)?\s+referred\b|\b(?:a|your)\s+referral\b"
    r"|\b(?:recommend(?:ing)?|vouch(?:ing)?\s+for|consider(?:ing)?|referring)\s+me\b"
    r"|\bput\s+in\s+a\s+(?:good\s+)?word\b|\bin\s+the\s+running\b"
    r"|\bput\s+my\s+name\b|\bthrow\s+my\s+(?:hat|name)\b|\b(?:get|be|being|getting)\s+hired\b"
    r"|\b(?:bring|bringing|take|taking|get|getting)\s+me\s+(?:on|aboard|back|in|into|onto"
    r"|on\s+board|onboard)\b|\bput(?:ting)?\s+me\s+(?:forward|up)\s+for\b"
    # Fit for a role: "anything else you think I'd be a fit for".
    r"|\b(?:I'd|I\s+(?:would|might|could|may)|I'm|I\s+am|me)\s+(?:\w+\s+){0,2}?(?:be\s+)?"
    r"(?:an?\s+)?(?:\w+\s+)?(?:fit|match|suited)\s+for\b"
    rf"|\b{PLACE}\s+for\s+me\s+(?:on|in|at|with|within)\s+(?:the|your|theorg)\b"
    rf"|\b(?:a|any|an?\s+\w+)\s+{PLACE}\s+for\s+me\b(?!\s+to\b)"
    r"|\bmy\s+(?:resume|résumé|cv|application|candidacy)\b"
    r"|\b(?:forward|pass|send|share|hand|flag|give)(?:s|ing|ed)?\s+(?:along\s+|on\s+)?my\s+"
    r"(?:\w+\s+)?(?:profile|details|portfolio|name|info|information|linkedin|background)\b"
    r"(?:\s+(?:along|on))?\s+(?:to|with)\s+(?!you\b)"
    r"|\b(?:re-?)?appl(?:y|ying)\s+(?:for|again|there|directly|online)\b|\bto\s+(?:re-?)?apply\b"
    r"|\b(?:I|me)\b[^.?!]{0,40}?\b(?:re-?)?appl(?:y|ying)\b|\breapply\b"
    rf"|\b{_ON_OFFER_NOUN}\s+for\s+me\b|\b(?:second|another|next)\s+(?:round|interview)\b"
    r"|\binterview(?:ing)?\s+(?:for|again|candidates)\b"
    r"|\b(?:anything|something|room|a\s+place|a\s+spot|an?\s+opening)\s+for\s+me\b(?!\s+to\b)"
    r"|\bchance\s+to\s+(?:apply|interview|join)\b|\bfoot\s+in\s+the\s+door\b"
    r"|\bfor\s+someone\s+(?:like\s+me|with\s+my)\b|\b(?:be|as)\s+a\s+candidate\b"
    rf"|\b(?:shot|crack|stab|chance)\s+at\s+(?:the|a|an|that|this|any|one\s+of\s+the)\s+"
    rf"(?:\w+\s+){{0,3}}?{JOB_NOUN}\b"
    r"|\bI(?:'d|\s+(?:could|can|might|would|will))?\s+(?:\w+\s+){0,3}?(?:get|land|secure|win"
    rf"|fill|take\s+on)\s+(?:the|a|an|that|this|one\s+of\s+the)\s+(?:\w+\s+){{0,3}}?{JOB_NOUN}\b"
    r"|\b(?:I|me|my)\b.*\b(?:join(?:ing)?\s+(?:your|the)\s+(?:team|company|group)"
    r"|join(?:ing)?\s+theorg|work(?:ing)?\s+(?:for|at)\s+(?:you|your|theorg)\b"
    r"|come\s+(?:work|aboard|on\s+board))",
    re.IGNORECASE,
)
# Words that are about jobs wherever they appear.
_JOB = re.compile(
    r"\bopenings?\b|\bvacanc(?:y|ies)\b|\bheadcount\b|\bhir(?:e|ing)\b|\brecruiting\b"
    r"|\bopen\s+(?:roles?|positions?|jobs?|reqs?|spots?|seats?)\b"
    r"|\bjob\s+(?:postings?|listings?|ads?|descriptions?)\b|\bpostings?\s+for\b"
    r"|\b(?:anything|something|one)\s+(?:\w+\s+)?(?:opens?|opening|opened|frees?|freeing)\s+up\b"
    r"|\b(?:anything|something)\s+(?:\w+\s+)?(?:comes?|coming)\s+up\b|\banything\s+open\b"
    r"|\b(?:hear|know)\s+of\s+(?:anything|something)\b"
    r"|\badd(?:ing)?\s+(?:more\s+)?(?:people|staff|to\s+(?:the|your)\s+team)\b"
    rf"|\bstaffing\s+up\b|\b(?:bring(?:ing)?|tak(?:e|ing))\s+on\s+{SOMEONE}"
    r"|\bbring\s+(?:anyone|someone)\s+on\b"
    rf"|\b(?:room|spots?|seats?|places?|slots?)\s+(?:\w+\s+){{0,3}}?(?:on|in)\s+(?:the|your)\s+"
    rf"(?:\w+\s+){{0,2}}?{TEAM}\b(?!'s)"
    rf"|\blooking\s+for\s+{SOMEONE}|\b(?:{TEAM}|theorg)\s+needs?\s+(?:another|more|an?)\s+{TITLE}"
    rf"|\broom\s+for\s+(?:me|{SOMEONE})|\blooking\s+to\s+add\s+{SOMEONE}"
    r"|\bapplications?\s+(?:\w+\s+){0,4}?(?:open|close|closes|due|deadline)\b"
    r"|\b(?:tak|accept|review|receiv|consider|collect|screen)(?:e|es|ing|ed|s)?\s+(?:\w+\s+)?"
    r"(?:applications?|candidates?|cvs?|r[ée]sum[ée]s?|resumes?|applicants?)\b"
    r"|\bbudget\s+(?:for|to)\s+(?:(?:a|an|another|more|new|one|two|extra|additional)\s+)*"
    rf"(?:\w+\s+)?(?:hires?|hiring|people|person|headcount|{JOB_NOUN}|{TITLE})"
    rf"|\bneed(?:s|ing|ed)?\s+(?:any|more|extra|some|an?\s+extra|another|additional)?\s*"
    r"(?:\w+\s+)?(?:help|hands|pair\s+of\s+hands|people|support|backup|cover|capacity)\s+"
    rf"(?:on|in|for|with)\s+(?:the|your)\s+(?:\w+\s+)?{TEAM}\b"
    rf"|\b{TEAM}\b(?!'s)\s+(?:\w+\s+){{0,3}}?needs?\s+(?:\w+\s+){{0,3}}?"
    r"(?:hands|people|staff|headcount|bodies|help\b(?!\s+with))",
    re.IGNORECASE,
)
# A team getting bigger: "grow the analytics group", "is your org growing".
_GROWTH = re.compile(
    rf"\b{GROW}\s+(?:the|your|their)\s+(?:\w+\s+){{0,2}}?{TEAM}\b(?!'s)"
    rf"|\b{TEAM}\b(?!'s)\s+(?:\w+\s+){{0,4}}?(?:to\s+)?{GROW}"
    # ... but not a team growing something else: "scaling the platform", "expanding into Asia".
    r"(?!\s+(?:the|a|an|its|their|our|this|that|these|those|into|in\s+(?!size|number)\w+)\b)",
    re.IGNORECASE,
)
# Words that are about a job only when it is on offer: "any roles", "a role for me".
_ON_OFFER = re.compile(
    rf"\b(?:any|other|more|future|upcoming|suitable|similar|available|additional|next)\s+"
    rf"(?:\w+\s+){{0,2}}?(?:{JOB_NOUN}|opportunit(?:y|ies))\b"
    r"|\b(?:job|career)\s+opportunit(?:y|ies)\b|\bopportunit(?:y|ies)\s+(?:for\s+me|on\s+(?:your|the)\s+team"
    r"|at\s+theorg|to\s+join|there)\b"
    rf"|\b(?:post|advertise|open)(?:s|ed|ing)?\s+(?:the|a|another)\s+(?:\w+\s+)?{JOB_NOUN}\b"
    rf"|\bre-?(?:post|advertis|open|list)\w*\s+(?:the|a|that|this|it)\b"
    rf"|\b(?:news|word|updates?)\s+(?:on|about)\s+(?:the|that)\s+(?:\w+\s+)?{JOB_NOUN}\b"
    r"|\bnew\s+(?:\w+\s+)?(?:roles|positions|jobs)\b"
    rf"|\b(?:is|are|be|been)\s+there\s+(?:\w+\s+){{0,3}}?{JOB_NOUN}\b"
    rf"|\b(?:you|your\s+team|the\s+team|theorg)\s+(?:\w+\s+)?(?:have|has|got)\s+(?:a|an|any)\s+"
    rf"(?:\w+\s+){{0,2}}?{JOB_NOUN}\b"
    rf"|\b{JOB_NOUN}\s+(?:\w+\s+){{0,4}}?(?:for\s+me|for\s+someone\s+(?:like\s+me|with\s+my)"
    r"|I\s+(?:could|can|might|would|'d)|(?:still\s+)?(?:open|available|unfilled|vacant)\b"
    rf"|(?:suits?|fits?|match(?:es)?)\s+(?:me|my)\b|(?:been\s+)?filled|{BECOMES_FREE})"
    rf"|\b(?:filled|fill|filling)\s+(?:the|that|this)\s+(?:\w+\s+){{0,2}}?{JOB_NOUN}\b",
    re.IGNORECASE,
)
# Asking the people who hire about a job: "reach out to the recruiter about the role".
_RECRUITER_ABOUT_A_JOB = re.compile(
    rf"\b{RECRUITING}\b[^.?!]{{0,40}}?\b(?:about|regarding|for|handling|on)\s+"
    rf"(?:the|that|this|a|an|any)\s+(?:\w+\s+){{0,2}}?{JOB_NOUN}\b",
    re.IGNORECASE,
)
# The speaker offering to start work: a job ask with or without a question.
_STRONG_OFFER = re.compile(
    r"\bI(?:\s+could|\s+can|'d\s+be\s+able\s+to|\s+would\s+be\s+able\s+to|(?:'m|\s+am)\s+"
    r"(?:\w+\s+)?(?:able|ready|free|available)\s+to)\s+(?:start|begin)\b(?!\s+(?:by|with)\b)"
    r"|\bavailable\s+(?:to\s+start|immediately|right\s+away|straight\s+away"
    r"|for\s+(?:full[- ]time|part[- ]time|contract|freelance|permanent)\b)"
    rf"|{FIRST_PERSON}\s+{FILLER}(?:help(?:\s+out)?|work|pitch\s+in|contribute)\s+(?:on|in|for)\s+"
    rf"(?:the|your)\s+(?:\w+\s+)?{TEAM}\b(?!'s)",
    re.IGNORECASE,
)
_SEEKING = re.compile(SEEKING, re.IGNORECASE)
# A job search mentioned in passing: "my own job search has taken me to conferences", "I'm
# still looking for my next role, but mostly I wanted to say congratulations".
_IN_PASSING = re.compile(
    r"\bmy\s+(?:own\s+)?job\s+(?:search|hunt)\b|,\s*(?:but|though|although)\s+(?:mostly|really"
    r"|mainly|what|I)\b",
    re.IGNORECASE,
)
# The speaker offering themselves; an ask only after a word about their team changing.
_OFFER = re.compile(
    rf"{FIRST_PERSON}\s+{FILLER}{OFFER}|\b(?:happy|glad|keen|eager|ready|willing)\s+to\s+{OFFER}",
    re.IGNORECASE,
)
_DEPARTURE = re.compile(rf"\b{DEPARTURE}", re.IGNORECASE)
_SOMEONE_ON_A_TEAM = re.compile(
    rf"\b(?:anyone|anybody|someone|somebody|colleagues?|people|folks|{TEAM}|{JOB_NOUN})\b",
    re.IGNORECASE,
)

_QUESTION_OPENER = re.compile(
    r"^\W*(?:(?:hi|hey|hello|dear|so|and|but|also|oh|anyway)\b\W*(?:\w+,\s*)?)?"
    r"(?:do|does|did|is|are|was|were|will|would|could|can|may|might|shall|should|have|has"
    r"|any|anything|what|when|where|who|which|why|how)\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"\bplease\b|\blet\s+me\s+know\b|\bkeep\s+me\s+(?:posted|updated|informed|in\s+the\s+loop)\b"
    r"|\btell\s+me\b|\b(?:could|would|can|will|might)\s+you\b|\bgive\s+me\s+a\s+"
    r"(?:shout|call|ring|heads[- ]up|nudge)\b|\bping\s+me\b|\bdrop\s+me\s+a\s+(?:line|note)\b"
    r"|\breach\s+out\b|\bfeel\s+free\b"
    r"|\bI(?:'d|\s+would)\s+(?:\w+\s+)?(?:appreciate|be\s+(?:\w+\s+)?(?:grateful|thankful))\b"
    r"|\bwonder(?:ing)?\b|\bask(?:ing)?\s+(?:about|whether|if)\b|\bcurious\s+(?:if|whether)\b"
    r"|\bany\s+chance\b|\bis\s+there\s+any\s+way\b"
    r"|\b(?:like|love|want)\s+to\s+(?:know|hear|find\s+out|learn)\s+(?:if|whether|about|of)\b",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"^\W*(?:(?:hi|hey|hello|dear)\b\W*)?(?:\w+,\s*)?(?:please\s+|do\s+)?"
    r"(?:keep|think|consider|refer|put|count|pass|forward|send|share|tell|let|bring|hire"
    r"|recommend|remember|introduce|connect|include|ping|reach)\b",
    re.IGNORECASE,
)
_WISH = re.compile(
    r"\bI(?:'d|\s+would|'m|\s+am|\s+still|\s+really|\s+truly)?\s+(?:\w+\s+)?"
    r"(?:like|love|want|hope|hoping|wish|eager|keen|happy|glad|welcome|interested)\b"
    r"|\bI(?:'d|\s+would)\s+be\s+\w+"
    r"|\b(?:hoping|keen|eager)\b",
    re.IGNORECASE,
)
_INTERESTED_IN_A_JOB = re.compile(
    r"\binterested\s+in\s+(?:any|an?|the|that|this|one\s+of\s+the)\s+(?:\w+\s+){0,2}?"
    r"(?:openings?|roles?|positions?|vacanc(?:y|ies)|jobs?)\b",
    re.IGNORECASE,
)
# "... if any new opportunities should come up": the condition is not the ask.
_CONDITION = re.compile(
    r"(?:^|\b)(?:if|should|when|whenever|once|in\s+case|as\s+soon\s+as)\b[^,]*", re.IGNORECASE
)


def asks_about_openings(text: str, organization: str = "") -> bool:
    """Whether the text asks for a job, in any form, rather than showing interest."""
    cleaned = _QUOTED.sub(f" {_HEADLINE} ", " ".join(text.split()).replace("\u2019", "'"))
    if organization.strip():
        # "Pied Piper, Inc." ends a sentence with its own period: keep it as the boundary.
        name = _ORGANIZATION + "." * organization.strip().endswith(".")
        cleaned = _name_pattern(organization).sub(name, cleaned)
    previous = ""
    for clause in clauses(cleaned):
        text_of_clause = _WORDS_THAT_ARE_NOT_JOBS.sub(" ", clause)
        if _clause_asks(clause, text_of_clause) or _offers_to_fill_in(previous, text_of_clause):
            return True
        previous = text_of_clause
    return False


def clauses(text: str) -> list[str]:
    """Split a text into sentences, and sentences at dashes and semicolons."""
    parts: list[str] = []
    for sentence in _SENTENCE.split(text):
        head, *tail = _WH_AFTER_COMMA.split(sentence)
        if tail and _CONDITIONAL_START.match(head):
            parts.append(sentence)
        else:
            parts.extend([head, *tail])
    return [part.strip() for part in parts if part.strip()]


def _clause_asks(clause: str, text: str) -> bool:
    """`text` is the clause without the words that look like jobs but are not."""
    if _STRONG_OFFER.search(text) or offers_work(text, _is_question(clause)):
        return True
    if _SEEKING.search(text) and not _IN_PASSING.search(text):
        return True
    if _is_question(clause) or _REQUEST.search(text) or _IMPERATIVE.match(text):
        return concerns_a_job(text) or _RECRUITER_ABOUT_A_JOB.search(clause) is not None
    if _WISH.search(text):
        unconditional = _CONDITION.sub(" ", text)
        return bool(_CANDIDATE.search(unconditional) or _INTERESTED_IN_A_JOB.search(unconditional))
    return False


def _offers_to_fill_in(previous: str, text: str) -> bool:
    """An offer of oneself ("I'd love to step in") right after or within a word about their
    team growing, needing people or losing someone."""
    return _OFFER.search(text) is not None and (_team_changes(previous) or _team_changes(text))


def _team_changes(text: str) -> bool:
    if _GROWTH.search(text) or _JOB.search(text):
        return True
    return _DEPARTURE.search(text) is not None and _SOMEONE_ON_A_TEAM.search(text) is not None


def concerns_a_job(text: str) -> bool:
    """Whether the text is about a job on offer, hiring, or the speaker being hired.

    A team's growth counts in a yes-no question ("Is the team growing?"), not in a question
    about how or why it grows.
    """
    if any(pattern.search(text) for pattern in (_CANDIDATE, _JOB, _ON_OFFER)):
        return True
    return _GROWTH.search(text) is not None and _WH_START.match(text) is None


def _is_question(clause: str) -> bool:
    end = clause.rstrip("\"”\u2019') ]")
    if end.endswith(("?", "\uff1f")):
        return True
    return not end.endswith((".", "!", "…")) and _QUESTION_OPENER.match(clause) is not None


@functools.lru_cache(maxsize=4096)
def _name_pattern(organization: str) -> re.Pattern[str]:
    # Kept compiled per name: every plan checks its script, and re's own cache holds only 512.
    return re.compile(re.escape(" ".join(organization.split())), re.IGNORECASE)
