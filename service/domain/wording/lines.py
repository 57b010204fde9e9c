"""Lines around the parts: email subjects and sign-offs, call closings, prepared responses."""

from __future__ import annotations

from collections.abc import Mapping

# Email subject lines by situation: short, varied, never about openings. After the first
# touch they carry the topic ({topic}: what the interviews were about, or the role's
# interviews; {interviews}: "the Staff Engineer interviews"), never a bare "Checking in".
# "difficult": the touch that mentions difficult news and the next one (R18): nothing
# cheerful.
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
        "Checking in about {topic}",
        "A short note on {topic}",
        "Still thinking about {topic}",
        "Thinking of {topic}",
        "A hello about {topic}",
        "Keeping in touch about {topic}",
        "On {topic}, and a hello",
    ),
    "maintenance": (
        "Some months on: {topic}",
        "Reconnecting about {topic}",
        "It's been a while: {topic}",
        "Back in touch about {topic}",
        "A note on {topic}, months on",
        "Staying connected: {topic}",
        "Still interested in {topic}",
    ),
    "opening": (
        "Following up on the role you mentioned",
        "Next steps on the role",
        "The role you mentioned",
        "Thank you, and next steps",
        "About the role on your team",
        "Following up on our conversation about the role",
        "Next steps, with thanks",
    ),
    "referral": (
        "Introduced by {referrer}",
        "Hello via {referrer}",
        "{referrer} recommended we connect",
        "A mutual connection: {referrer}",
        "Connecting through {referrer}",
        "At {referrer_s} suggestion",
        "{referrer} thought we should talk",
    ),
    "requested": (
        "Following up on {topic}, as you suggested",
        "The follow-up you asked for: {topic}",
        "As promised: {topic}",
        "Back in touch as planned about {topic}",
        "At the time you suggested: {topic}",
        "Keeping my promise on {topic}",
        "Reconnecting about {topic}, as promised",
    ),
    "recruiter_only": (
        "Thanks for guiding me through {interviews}",
        "After {interviews}: thank you",
        "With thanks for your support during {interviews}",
        "Staying in touch after {interviews}",
        "Grateful for your guidance on {interviews}",
        "A thank-you and a question, after {interviews}",
        "Keeping in touch since {interviews}",
    ),
    "difficult": (
        "Thinking of you and the team",
        "With good wishes to you and the team",
        "Sending my best to the team",
        "Thoughts with you and the team",
        "Hoping you and the team are well",
        "With warm wishes",
        "A note of support",
    ),
}

# The closing said at the end of a call or a voicemail, by mood: "g" respects their time and
# hopes to connect every now and then, so you are in the right place at the right time if
# something changes; "d" after difficult news (R18) says nothing of waiting for a change; "o"
# (an opening in discussion) closes on the next step. Voicemail closings never say thanks:
# the message ends on one "Thanks".
CLOSINGS: Mapping[str, tuple[str, ...]] = {
    "call/g": (
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
    "call/d": (
        "Thank you for taking the time to talk. I'll be thinking of you and the team.",
        "I'm glad we could talk, and I won't keep you any longer. Take good care.",
        "I appreciate you making the time, especially now. I hope things ease up soon.",
        "Thanks for talking with me. I'd like to stay in touch, and I wish you and the team well.",
        "I'll let you get on with your day. Please take care of yourself.",
        "It was good to hear your voice. My best to you and everyone there.",
        "Thanks so much for your time today. I hope the coming weeks are kinder to everyone.",
    ),
    "call/o": (
        "Thanks so much; I'll send over what we discussed and follow the next step you suggested.",
        "I appreciate it. I'll follow up on the next step as we agreed.",
        "Thank you. I'll take care of the next step on my side and be in touch about it.",
        "Great, thank you. I'll get the next step moving right away.",
        "Thanks for your time. I'll follow through on the next step and let you know when "
        "it's done.",
        "I really appreciate it. I'll be in touch once I've done what you suggested.",
        "Thank you, that's very helpful. I'll act on the next step this week.",
    ),
    "voicemail/g": (
        "No need to call back; I hope we'll keep in touch now and then.",
        "You don't need to call me back; I'd just like to stay in touch.",
        "I know you're busy, so I'll leave it there; I hope we can connect every so often.",
        "I hope we stay in touch from time to time, so I'm around if things change.",
        "I'll try you another time; I'd love to stay connected now and then.",
        "No reply needed at all; I'll look forward to catching up another time.",
        "I'd like to stay in touch, in case things change down the line.",
    ),
    "voicemail/d": (
        "No need to call back; I'm thinking of you and the team.",
        "You don't need to return this; I just wanted to send my good wishes.",
        "No reply needed; I hope you're keeping well.",
        "I'll leave it there; take good care of yourself.",
        "There's no need to call me back; my best to everyone there.",
        "I hope the coming weeks are easier; no need to reply.",
        "I'll try you another time; I hope you're doing all right.",
    ),
    "voicemail/o": (
        "I'd love to talk about the next step when it suits you.",
        "Whenever it's convenient, I'd be glad to go over the next step.",
        "I'll follow up on the next step; call me back whenever suits you.",
        "I'm keen to move on the next step whenever you are.",
        "I'll be ready for the next step whenever works for you.",
        "I'm happy to go over the next step at a time that suits you.",
        "I'll look out for your call about the next step.",
    ),
}

# A call opens by asking whether it is a good moment.
GOOD_MOMENTS: tuple[str, ...] = (
    "Is this a good moment to talk?",
    "Do you have a few minutes, or is now a bad time?",
    "Is now an okay time for a short chat?",
    "Have I caught you at a good moment?",
    "Is this a convenient time to talk?",
    "Do you have a moment to talk, or should I call back later?",
)

# Who you are, in one clause, when it has been more than six weeks (or never) with this
# person: said after "it's {me}" or "I'm {me}". {met}: " in March", or nothing.
INTRODUCTIONS: tuple[str, ...] = (
    "I interviewed for {role}{met}",
    "we met when I interviewed for {role}{met}",
    "we've been in touch since I interviewed for {role}{met}",
    "we first spoke when I interviewed for {role}{met}",
    "I interviewed with your team for {role}{met}",
    "we got to know each other when I interviewed for {role}{met}",
)

# The callback number a voicemail leaves, once.
CALLBACKS: tuple[str, ...] = (
    "My number is {phone}.",
    "You can reach me at {phone}.",
    "My number, should you need it, is {phone}.",
    "I'm at {phone}.",
    "You'll find me at {phone}.",
    "The best number for me is {phone}.",
)

# How a voicemail ends: one thanks, or, when the message has already thanked them, a goodbye.
VOICEMAIL_ENDS = {"thanks": "Thanks, {me}.", "thanked": "All the best, {me}."}
PHONE_PLACEHOLDER = "[your phone number]"

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
