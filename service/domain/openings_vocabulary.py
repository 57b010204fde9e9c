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
    r"|posted|reposted|re-posted|advertised|re-advertised|readvertised|listed|approved|funded"
    r"|unfrozen|back)|(?:be|been|being)\s+(?:re-?)?(?:advertised|posted|listed|opened)"
    r"|(?:re-?)?opens?|re-?open(?:ed|ing)?|(?:opens?|opening|opened|frees?|freeing|freed)\s+up"
    r"|(?:re-?)?posted|(?:re-?)?listed|(?:re-?)?advertised|arises?|returns?"
    r"|(?:goes|go|went|is|are|comes?)\s+(?:back\s+)?(?:live|up|online)\s+again|back\s+on\s+the"
    r"\s+(?:market|board|site|careers\s+page))"
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
    r"|happy|glad|love|like|keen|eager|thrilled|delighted|willing|able|ready|excited|free|to"
    r"|would|could|can|will|might|am|totally|always|immediately|fully|available)\s+){0,6}"
)
FIRST_PERSON = r"\bI(?:'d|'m|'ll|'ve)?"
# Between an offer's "I'd" and the offer: "I'd jump at the chance to take his place".
CHANCE_TO = (
    r"(?:(?:jump\s+at|love|welcome|relish|take|grab|value)\s+(?:the|a|any)\s+(?:chance|opportunity)"
    r"\s+to\s+)?"
)
# Where a job hunt is stated: "I'm looking for a new role", "I'm between jobs".
SEEKING = (
    rf"{FIRST_PERSON}\s+(?:\w+\s+){{0,3}}?(?:looking|searching|hunting|on\s+the\s+hunt|on\s+the"
    r"\s+lookout)\s+for\s+(?:(?:a|an|my|the|some|new|next|other|more)\s+)?(?:\w+\s+){0,3}?"
    r"(?:roles?|jobs?|positions?|opportunit(?:y|ies)|gigs?|contracts?|internships?|work)\b"
    r"|(?<!about\s)(?<!on\s)\bjob[- ]?(?:hunting|searching|seeking|search(?:ing)?)\b"
    r"|\bbetween\s+(?:jobs|roles)\b"
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
    r"|join\s+(?:the|your|you)\b(?!\s+for\b)|join\s+on\b"
    # Taking the place of the one who leaves: "be the one to fill it", "fill her shoes".
    r"|(?:be\s+)?the\s+(?:one|person)\s+to\s+(?:fill|step|take|cover|replace)"
    r"|fill\s+(?:it|that|(?:the|that|this|his|her|their|\w+'s)\s+(?:role|spot|seat|post|shoes"
    r"|position|vacancy|opening|place))\b|replace\s+(?:him|her|them)\b)"
)
# Other kinds of work, offered to them: contract, consulting, a trial, a temp post.
OTHER_WORK = (
    r"\b(?:contractor|consultant|freelanc\w*|temp|part[- ]time|project\s+basis|overflow\s+work"
    r"|secondments?|fixed[- ]term|temp[- ]to[- ]perm|internships?|apprenticeships?|externships?"
    r"|work\s+placements?|working\s+interviews?|work\s+trial|job\s+shadow\w*|as\s+a\s+temp"
    r"|maternity\s+cover|paternity\s+cover|parental\s+leave\s+cover"
    r"|as\s+(?:a|an|the)\s+(?:fill-in|stand-in|stopgap|locum))\b"
    r"(?!\s+(?:programs?|programmes?|schemes?\s+(?:is|was|has|went)|cohorts?|alumni|class))"
    r"|\b(?:on\s+a\s+)?temporary\s+(?:basis|help|cover|role|position|contract|capacity|stint"
    r"|assignment|post|job|hire)\b|\bon\s+loan\b"
    r"|\btrial\s+(?:shifts?|days?|weeks?)\b"
    r"|\b(?:contract|consulting|interim|short[- ]term)\s+(?:\w+\s+)?(?:basis|role|work|position"
    r"|gig|project|engagement|assignment|post|job)s?\b"
    r"|\bon\s+(?:a\s+)?(?:\w+[- ]\w+\s+|\w+\s+)?(?:contract|trial|secondment)\b"
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
# Sponsoring a visa, asked about without the speaker: "does your company sponsor visas".
VISA_SPONSORSHIP = (
    r"\bsponsor\w*\s+(?:\w+\s+){0,2}?(?:visas?|work\s+(?:permits?|visas?)|h-?1bs?|green\s+cards?"
    r"|international\s+(?:candidates|hires|applicants|staff))\b"
    r"|\b(?:visa|h-?1b|work\s+permit|immigration)\s+sponsor\w*"
)
# What would make taking the speaker on easier to approve: "if that's easier to get approved".
EASIER_TO_APPROVE = (
    r"\bif\s+(?:that|it|this)(?:'s|\s+is|\s+would\s+be|\s+were|\s+makes?\s+(?:it|things))\s+"
    r"(?:\w+\s+)?(?:easier|simpler|quicker|cheaper)\b[^.?!]{0,30}?\b(?:approv\w*|sign[- ]?off"
    r"|signed\s+off|budget\w*|justify|fund\w*|headcount|hire|hiring|through)\b"
)
# Arrangements that would let them take the speaker on: "would remote work make it possible".
ARRANGEMENT = (
    r"\b(?:remote|hybrid|part[- ]time|flexible|relocation|relocating|contract)\s+(?:\w+\s+)?"
    r"(?:arrangement|setup|basis|option|deal)s?\b"
)
# Asking to hear first or to be kept in mind.
FIRST_IN_LINE = (
    r"\blet\s+me\s+know\s+first\b|\bbe\s+the\s+first\s+(?:to\s+(?:know|hear)|call|person|one)\b"
    r"|\bfirst\s+(?:call|person|one)\s+you\s+(?:make|call|ring|think)|\bheads[- ]up\s+before\b"
    r"|\badvance\s+notice\b|\bkeep\s+me\s+in\s+mind\b|\bthink\s+of\s+me\b"
    r"|\bdon't\s+forget\s+(?:about\s+)?me\b|\bremember\s+me\s+(?:when|if|for)\b"
    r"|\bkeep\s+(?:my|me)\s+(?:\w+\s+)?on\s+file\b"
    # Next in line for a role: "if your first choice falls through, I'd love to be next in line".
    r"|\bnext\s+in\s+line\b|\b(?:backup|back-up|reserve|fallback|runner[- ]up|second[- ]choice"
    r"|standby|next[- ]best)\s+(?:candidate|option|choice|pick|hire|person)\b"
    r"|\b(?:on|to)\s+(?:the|your)\s+(?:\w+\s+)?(?:shortlist|short\s+list|bench|waiting\s+list"
    r"|waitlist|reserve\s+list)\b"
)
# Helping out, offered: what an extra pair of hands does.
HELP_OUT = (
    r"(?:help(?:\s+out)?\b|pitch\s+in|chip\s+in|muck\s+in|lend\s+a\s+hand|jump\s+in"
    r"|be\s+(?:an|the)\s+(?:extra|spare|additional)\s+(?:pair\s+of\s+hands|hands?|body|person)"
    r"|fill\s+in|cover\b|step\s+up\s+as\s+(?:a|an|the)\s+(?:fill-in|stand-in|stopgap|cover|temp)\b)"
)
# A busy stretch, or them needing people: the condition under which helping out is a job.
BUSY = (
    r"\b(?:need\w*|want\w*|use|could\s+do\s+with)\s+(?:\w+\s+){0,3}?(?:hands|bodies|cover|backup"
    r"|someone|somebody|anyone|people|staff|capacity|support|pair\s+of\s+hands)\b"
    r"|\b(?:extra|spare|another|more|second|additional)\s+(?:pair\s+of\s+)?hands\b"
    r"|\b(?:rush|busy\s+(?:season|period|spell|stretch|time)|peak\s+(?:season|period|time)|crunch"
    r"|surge|backlog|short[- ]staffed|under[- ]?staffed|short[- ]handed|stretched\s+thin"
    r"|holiday\s+season|launch\s+crunch|swamped|slammed|snowed\s+under|overloaded|overwhelmed)\b"
    r"|\b(?:gets?|getting|got|are|is)\s+(?:\w+\s+)?(?:busy|hectic)\b"
    # A stretch of time offered: "I could pitch in for a few weeks".
    r"|\b(?:for|over)\s+(?:a\s+few|a\s+couple\s+of|the\s+next\s+(?:few\s+)?|two|three|four|six"
    r"|several)\s+(?:weeks|months)\b"
)
# A place for the speaker: "a seat for me on the growth squad", "a slot for me at the firm".
PLACE = r"(?:seats?|spots?|slots?|places?|room|space|home|berth|opening|position|role)"
# A short "I'm ready" after a condition about their needing someone.
READY = (
    r"\bcount\s+me\s+in\b|\bI(?:'m|\s+am)\s+(?:ready|in|game|available|your\s+(?:person|guy|gal"
    r"|man|woman|candidate))\b|\bI(?:'d|\s+would)\s+jump\s+at\b"
)
