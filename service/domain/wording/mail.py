"""What the daily reminder email says: sentences only, no logic."""

from __future__ import annotations

SUBJECT_ONE = "keepwarm: a follow-up with {organization} today"
SUBJECT_MANY = "keepwarm: {count} follow-ups today"
OPENING_ONE = "One follow-up is waiting for you today, {day}."
OPENING_MANY = "{count} follow-ups are waiting for you today, {day}."
DUE_TODAY = "due today"
OVERDUE = "overdue since {day}"
WHY = "Why"
SUBJECT = "Subject"
WRITE = "Write"
CALL = "Call"
OPEN_APP = "Open keepwarm"
DONE_HINT = (
    "Once done, log it in keepwarm (or BCC your logging address) and the next one is planned."
)
FOOTER = "You get this email because daily reminders are on in your keepwarm settings."
UNSUBSCRIBE = "Turn reminders off"
CHANNELS = {
    "email": "by email",
    "call": "by phone",
    "voicemail": "by voicemail",
    "in_person": "in person",
    "message": "by message",
}
ROLES = {
    "hiring_manager": "hiring manager",
    "referrer": "referrer",
    "recruiter": "recruiter",
    "hr": "HR",
    "other": "contact",
}
# The page a GET of the one-click link shows: a mail scanner following links changes nothing.
CONFIRM_TITLE = "Turn off keepwarm reminders?"
CONFIRM_BUTTON = "Turn reminders off"
DONE_TITLE = "Reminders are off"
DONE_TEXT = "You will get no more daily reminders. Turn them on again in keepwarm's settings."
