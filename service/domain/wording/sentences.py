"""The other sentences keepwarm shows: reasons, the paused reason, date words, calendar events.

Data only: service.domain.reasons, service.domain.slots, the attempts service and the calendar
fill them in. Placeholders are named in each template.
"""

from __future__ import annotations

from collections.abc import Mapping

# Date words (locale-independent): "Monday 9 March 2026", "two weeks".
NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six",
    "seven", "eight", "nine", "ten", "eleven", "twelve",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DATE = "{weekday} {day} {month} {year}"
COUNT = {"one": "{word} {unit}", "many": "{word} {unit}s"}

# R14: why an organization was paused when its hiring manager asked you to stop.
PAUSED_BY_HIRING_MANAGER = "{name}, the hiring manager, asked you to stop on {day}."

# The reason of a next action: why this person, this channel, now.
ROLE_LABELS: Mapping[str, str] = {
    "hiring_manager": "the hiring manager",
    "referrer": "your referrer",
    "recruiter": "the recruiter",
    "hr": "in HR",
}
VERBS: Mapping[str, str] = {"email": "email", "call": "call", "message": "message"}
OUTBOUND_NOUNS: Mapping[str, str] = {
    "call": "call with",
    "voicemail": "voicemail for",
    "email": "email to",
    "message": "message to",
    "in_person": "meeting with",
    "left_voicemail": "voicemail for",
    "no_answer": "unanswered call to",
}
TAILS: Mapping[str, str] = {
    "initial": "to say you remain interested",
    "warm": "to keep the relationship warm",
    "maintenance": "to stay top of mind",
    "opening": "to keep the conversation going",
    "same_channel": "again (the only channel on file)",
    "mix": "this time to mix it up",
    "instead": "instead",
}
REASONS: Mapping[str, str] = {
    "who": "{name}, {label}",
    "them": "them",
    "a_contact": "A contact",
    "a_former_contact": "a former contact",
    "referred": "{referrer} referred you to ",
    "on_or_after": "on or after {date}",
    "referred_and_requested": "{referred}{who} and {also}asked to hear from you {when}: "
    "{verb} them then.",
    "requested": "{asker} asked you to {asked} {when}, so {verb} {whom} then.",
    "follow_up": "follow up",
    "referral": "{referred}{who}: {verb} them and mention the referral.",
    "first_touch": "First touch {since} {organization}: {verb} {who} {tail}.",
    "since_the_no": "since the No from",
    "with": "with",
    "action": "{verb} {whom} {tail}.",
    "opening": "{organization} has an opening in discussion: {action}",
    "opening_since": "{organization} has an opening in discussion: {span} since {touch}, so "
    "{action}",
    "since": "{span} since {touch}: {action}",
    "called": "your call on {date} went unanswered",
    "retry_referral": "{referrer} referred you to {who} and {called}: {verb} them {again} and "
    "mention the referral.",
    "retry_requested": "{asker} asked you to follow up {when} and {called}: {verb} {whom} {again}.",
    "retry": "Your call to {who} on {date} went unanswered: {verb} them {again}.",
    "skipped": "you skipped the last follow-up",
    "inbound_named": "{name}'s {noun}",
    "inbound": "an incoming {noun}",
    "visit": "visit",
    "outbound": "your {noun} {name}",
}

# A next action as a calendar event (webhooks and the ICS feed).
CALENDAR_VERBS: Mapping[str, str] = {
    "email": "Email",
    "call": "Call",
    "voicemail": "Call",
    "message": "Message",
}
CALENDAR: Mapping[str, str] = {
    "meet": "Meet",
    "summary": "{verb} {contact} ({organization})",
    "description": "{reason}\n\nScript:\n{script}",
    "overdue_summary": "Overdue: {summary}",
    "overdue_description": "Overdue since {due_on}. {description}",
    "done_summary": "Done: {summary}",
}
