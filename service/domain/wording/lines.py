"""Lines around the parts: email subjects and sign-offs, call closings, prepared responses."""

from __future__ import annotations

from collections.abc import Mapping

# Email subject lines by situation: short, varied, never about openings.
SUBJECTS: Mapping[str, tuple[str, ...]] = {
    "first_touch": (
        "Thank you for your time",
        "Thanks, and staying in touch",
        "A note of thanks",
        "Thanks for the conversations",
        "With appreciation",
        "Thanks, and best wishes to {organization}",
        "Sincere thanks",
    ),
    "warm": (
        "Checking in",
        "Hoping all is well",
        "A short hello",
        "Keeping in touch",
        "Thinking of the {organization} team",
        "A brief catch-up",
        "Greetings and good wishes",
    ),
    "maintenance": (
        "It's been a while",
        "Hello after a couple of months",
        "Some months on, a hello",
        "Staying connected",
        "A long-overdue hello",
        "Reconnecting after a few months",
        "Good wishes to the {organization} team",
    ),
    "opening": (
        "Following up on our conversation",
        "Next steps after our chat",
        "Your team's plans",
        "What you shared about the team",
        "Where we left off",
        "Thanks for sharing the team's plans",
        "About {organization}'s plans for the team",
    ),
    "referral": (
        "Introduced by {referrer}",
        "Hello via {referrer}",
        "{referrer} recommended we connect",
        "A mutual connection: {referrer}",
        "Connecting through {referrer}",
        "At {referrer}'s suggestion",
        "{referrer} thought we should talk",
    ),
    "requested": (
        "Following up as you suggested",
        "Reconnecting, as promised",
        "The follow-up you asked for",
        "Checking in at the time you suggested",
        "As promised, a quick hello",
        "Back in touch as planned",
        "Keeping my promise to follow up",
    ),
    "recruiter_only": (
        "Thanks for guiding me through",
        "Thanks for a smooth process",
        "With thanks for your support",
        "Staying in touch with {organization}",
        "Grateful for your guidance",
        "A thank-you and a quick question",
        "Keeping in touch after the interviews",
    ),
}

# The closing said at the end of a call ("call") or of a voicemail ("voicemail"): respects
# their time, hopes to connect every now and then, so you are in the right place at the
# right time if something changes.
CLOSINGS: Mapping[str, tuple[str, ...]] = {
    "call": (
        "I know you're busy, so I'll let you go. I'd love to connect every now and then, so "
        "I'm in the right place if something changes.",
        "Thanks so much for your time today. I hope we can stay in touch now and then, in "
        "case anything changes down the road.",
        "I really appreciate you taking my call. If it's all right, I'll check in every so "
        "often, so I'm around at the right time if things change.",
        "I don't want to take up more of your time. I hope it's okay if I stay in touch "
        "occasionally, in case something shifts later on.",
        "Thanks for chatting with me. I'd like to keep in touch from time to time, so I'm in "
        "the right place at the right time if anything changes.",
        "I'll let you get back to your day. It would be nice to keep connecting "
        "periodically, in case the timing lines up later.",
        "I appreciate you making the time. Staying in touch every couple of months would "
        "mean a lot, in case anything changes on your side.",
    ),
    "voicemail": (
        "No need to call back; I hope we'll keep in touch now and then.",
        "You don't need to call me back; I'd just like to stay in touch.",
        "I know you're busy, so I'll leave it there; I hope we can connect every so often.",
        "Thanks for listening, and I hope we stay in touch from time to time.",
        "I'll try you another time; I'd love to stay connected now and then.",
        "No reply needed at all; I'll look forward to catching up another time.",
        "I'd like to stay in touch, in case things change down the line.",
    ),
}

# An email's sign-off line, before the signature.
SIGN_OFFS: tuple[str, ...] = (
    "Best regards,",
    "All the best,",
    "Kind regards,",
    "Warm regards,",
    "Thanks, and all the best,",
    "With thanks,",
)

# Prepared lines for what may happen during a call or a meeting: when → phrasings.
RESPONSES: Mapping[str, tuple[str, ...]] = {
    "They suggest you talk to the recruiter": (
        "Thank you, I'll certainly follow up with {recruiter} too. I wanted you to know of my "
        "continued interest as well.",
        "Great, I'll be sure to get in touch with {recruiter} as well. I was keen for you to "
        "hear directly that I'm still very interested.",
        "Thanks for the suggestion; I'll certainly contact {recruiter} too. It mattered to me "
        "that you knew I remain interested.",
        "Of course, I'll follow up with {recruiter} too. I also wanted you, personally, to "
        "know I'm still very interested.",
        "That makes sense, and I'll reach out to {recruiter} as well. I thought it was worth "
        "telling you myself that my interest hasn't changed.",
        "Will do, I'll certainly be in touch with {recruiter}. I wanted you to hear it from "
        "me too: I'm still really interested in the team.",
        "Thanks, I'll connect with {recruiter} too. Mostly I wanted you to know that I'm every "
        "bit as interested as before.",
    ),
    "They mention an opening": (
        "Thank you for thinking of me. I'd love to hear more about it, and what the best next "
        "step would be.",
        "That's kind of you to mention, and it sounds very interesting. Could you tell me a "
        "bit more about what you have in mind, and the next step?",
        "Thanks so much for telling me. I'm very interested; what would it involve, and what "
        "should I do next?",
        "I really appreciate you bringing that up. I'd be glad to hear more, and to know how "
        "you'd suggest I follow up.",
        "Thank you, that means a lot. Could you tell me more about what the team needs, and "
        "what the best way forward would be?",
        "How kind of you to let me know. I'm very interested and would love the details; what "
        "would be the best next step on my side?",
        "Thank you, I'm definitely interested. What are you picturing, and how would you like "
        "me to take it from here?",
    ),
    "They are busy": (
        "Of course, I'll keep it very short. Or would another time suit you better?",
        "No problem at all. Is there a better time this week for a two-minute call?",
        "I completely understand. I can keep this to a minute, or call back whenever works "
        "for you.",
        "Thanks for picking up anyway. Would it be easier if I tried you later today or tomorrow?",
        "I won't keep you. Could I have sixty seconds now, or is there a better time to ring?",
        "Sorry to catch you at a busy moment. When would be a more convenient time for a "
        "quick chat?",
        "That's fine, I'll be brief. If now isn't good, just tell me when suits you.",
    ),
}
