"""Word classes for the openings detector: regular-expression fragments, no logic.

Each fragment is a non-capturing group meant to be composed into larger patterns in
`service.domain.openings`; all are matched case-insensitively.
"""

from __future__ import annotations

# Something that is on offer and can be filled by a person.
JOB_NOUN = (
    r"(?:roles?|positions?|jobs?|spots?|openings?|reqs?|requisitions?|vacanc(?:y|ies)"
    r"|internships?|gigs?|headcount)"
)
# Groups of people at the organization that can grow, shrink, need help or be joined.
TEAM = (
    r"(?:teams?|groups?|departments?|depts?|orgs?|organi[sz]ations?|squads?|units?|divisions?"
    r"|practices?|crews?|pods?|tribes?|staff)"
)
# People who could be hired.
TITLE = (
    r"(?:\w+\s+)?(?:candidates?|managers?|engineers?|analysts?|designers?|developers?"
    r"|scientists?|leads?|directors?|specialists?|associates?|interns?|coordinators?|consultants?"
    r"|graduates?|grads|juniors|contractors?|freelancers?|hires|temps|trainees?|apprentices?"
    r"|recruits|writers?|researchers?|marketers?|people|folks|talent)\b"
)
SOMEONE = (
    r"(?:any\s+|new\s+|more\s+|another\s+|an?\s+|one\s+more\s+|extra\s+|additional\s+)*"
    rf"(?:anyone\b|anybody\b|someone\b|somebody\b|people\b|staff\b|{TITLE})"
)
# Verbs of a team getting bigger.
GROW = (
    r"(?:grow|grows|growing|grew|grown|expand|expands|expanding|expanded|scale|scales|scaling"
    r"|build(?:ing|s)?\s+out|beef(?:ing|s)?\s+up|bulk(?:ing|s)?\s+up|staff(?:ing|s)?\s+up"
    r"|add(?:ing|s)?\s+to)\b"
)
# What a job on offer does when it becomes available again.
BECOMES_FREE = (
    r"(?:(?:come|comes|coming|came)\s+(?:up|back|open|available|free|along)"
    r"|(?:becomes?|became|is|are|gets?|got|goes|went)\s+(?:\w+\s+)?(?:available|open|free|vacant"
    r"|posted|reposted|re-posted|advertised|listed|approved|funded|unfrozen|back)"
    r"|(?:re)?opens?|reopen(?:ed|ing)?|(?:opens?|opening|opened|frees?|freeing|freed)\s+up"
    r"|(?:re-?)?posted|(?:re-?)?listed|advertised|arises?|returns?)"
)
# Someone leaving a team, or a team short of people: the context for "I'd love to step in".
DEPARTURE = (
    r"(?:retir(?:e|es|ing|ed)|leav(?:e|es|ing)|depart(?:s|ing)?|quit(?:s|ting)?"
    r"|resign(?:s|ing)?|step(?:s|ping)?\s+down|mov(?:e|es|ing)\s+on|on\s+(?:parental|maternity"
    r"|paternity|medical|long)\s+leave|sabbatical|backfill\w*|replac(?:e|ing|ement)"
    r"|short[- ]staffed|under[- ]?staffed|short[- ]handed|stretched(?:\s+thin)?)"
)
# The speaker offering themselves: what they would do if taken on.
OFFER = (
    r"(?:step\s+in|fill\s+(?:in|the\s+gap)|pitch\s+in|jump\s+in|help(?:\s+out)?\b|lend\s+a\s+hand"
    r"|be\s+(?:a\s+)?part\s+of|join\b|come\s+(?:aboard|on\s+board)|cover\b|available|start\b"
    r"|contribute\b)"
)
# Words that can stand between "I'd" and what the speaker offers to do.
FILLER = (
    r"(?:(?:be|so|very|really|more\s+than|absolutely|definitely|certainly|gladly|also|still"
    r"|happy|glad|love|like|keen|eager|thrilled|delighted|willing|able|ready|excited|to"
    r"|would|could|can|will|might|am|totally|always|immediately|fully|available)\s+){0,6}"
)
FIRST_PERSON = r"\bI(?:'d|'m|'ll|'ve)?"
# Where a job hunt is stated: "I'm looking for a new role", "I'm between jobs".
SEEKING = (
    rf"{FIRST_PERSON}\s+(?:\w+\s+){{0,3}}?(?:looking|searching|hunting|on\s+the\s+hunt|on\s+the"
    r"\s+lookout)\s+for\s+(?:(?:a|an|my|the|some|new|next|other|more)\s+)?(?:\w+\s+){0,3}?"
    r"(?:roles?|jobs?|positions?|opportunit(?:y|ies)|gigs?|contracts?|internships?|work)\b"
    r"|\bjob[- ]?(?:hunting|searching|seeking|search(?:ing)?)\b|\bbetween\s+(?:jobs|roles)\b"
    r"|\bout\s+of\s+work\b|\bon\s+the\s+(?:job\s+)?market\b|\blooking\s+for\s+work\b"
    rf"|{FIRST_PERSON}\s+(?:\w+\s+){{0,2}}?open\s+to\s+(?:new\s+)?(?:roles|offers|positions|jobs)\b"
    rf"|{FIRST_PERSON}\s+(?:\w+\s+){{0,2}}?exploring\s+(?:new\s+|other\s+)?(?:roles|jobs"
    r"|positions|opportunities)\b"
)
# People who handle hiring, for "reach out to the recruiter about the role".
RECRUITING = r"(?:recruit\w*|HR|talent(?:\s+team)?|people\s+team|hiring|managers?|team\s+leads?)"
# Who a role can be "for" when it is a job: "a role for me", "a role for data engineers";
# otherwise it is the part a thing plays: "a role for AI in your roadmap".
PERSON = (
    r"(?:me|myself|us|someone|somebody|anyone|anybody|people|folks|talent|staff|grads|juniors"
    r"|seniors|hires|\w+(?:ers?|ors?|ysts?|ists?|ants?|ents?|ees?|ates?|ians?|ns))"
)
# Second pass (service.domain.openings_offers): offers and conditional asks.
# Filling a gap someone leaves: "step in", "take over from Sam", "cover for her".
FILL_GAP = (
    r"(?:step\s+in|fill\s+in|fill\s+(?:the|that|a|any)\s+gap|take\s+over|cover(?:\s+for)?\b"
    r"|come\s+on\s+(?:as|board)|pick\s+up\s+(?:\w+'s|his|her|their|the|that)\s+(?:\w+\s+)?"
    r"(?:work|slack|spot|projects?|load)|take\s+(?:\w+'s|his|her|their)\s+(?:spot|place|seat)"
    r"|join\s+(?:the|your|you)\b(?!\s+for\b)|join\s+on\b)"
)
# Other kinds of work, offered to them: contract, consulting, a trial, a temp post.
OTHER_WORK = (
    r"\b(?:contractor|consultant|freelanc\w*|temp|part[- ]time|project\s+basis|overflow\s+work"
    r"|secondment|fixed[- ]term|temp[- ]to[- ]perm)\b"
    r"|\b(?:contract|consulting|interim|short[- ]term)\s+(?:\w+\s+)?(?:basis|role|work|position"
    r"|gig|project|engagement|assignment|post|job)s?\b|\bon\s+(?:a\s+)?contract\b"
    r"|\b(?:paid|unpaid|free|\w+[- ](?:week|day|month))\s+trial\b"
    r"|\btrial\s+(?:project|period|run|basis|week|day|month)\b"
)
# Conditions offered to make a role possible: moving, remote work, a lower title (said by the
# speaker, "I'd relocate"), or sponsorship and visas (with the speaker in the clause).
MAKE_IT_POSSIBLE = (
    r"\bI(?:'d|'ll|\s+would|\s+could|\s+can|\s+will|(?:'m|\s+am)\s+(?:\w+\s+)?(?:happy|glad"
    r"|willing|ready|open)\s+to)\s+(?:\w+\s+){0,2}?(?:relocate|move|commute|work\s+remotely"
    r"|do\s+the\s+work\s+remotely|take\s+a\s+(?:more\s+junior|lower|smaller|pay)"
    r"|accept\s+a\s+(?:lower|pay))\b"
)
SPONSORSHIP = r"\b(?:sponsorship|sponsor|visas?|green\s+card|work\s+permit)\b"
# Asking to hear first or to be kept in mind.
FIRST_IN_LINE = (
    r"\blet\s+me\s+know\s+first\b|\bbe\s+the\s+first\s+(?:to\s+(?:know|hear)|call|person|one)\b"
    r"|\bfirst\s+(?:call|person|one)\s+you\s+(?:make|call|ring|think)|\bheads[- ]up\s+before\b"
    r"|\badvance\s+notice\b|\bkeep\s+me\s+in\s+mind\b|\bthink\s+of\s+me\b"
    r"|\bdon't\s+forget\s+(?:about\s+)?me\b|\bremember\s+me\s+(?:when|if|for)\b"
    r"|\bkeep\s+(?:my|me)\s+(?:\w+\s+)?on\s+file\b"
)
# A short "I'm ready" after a condition about their needing someone.
READY = (
    r"\bcount\s+me\s+in\b|\bI(?:'m|\s+am)\s+(?:ready|in|game|available|your\s+(?:person|guy|gal"
    r"|man|woman|candidate))\b|\bI(?:'d|\s+would)\s+jump\s+at\b"
)
