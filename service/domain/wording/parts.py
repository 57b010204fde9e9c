"""The four spoken or written parts of a script: purpose, interest, news, question.

Keys: a family ("spoken" for calls, voicemails and meetings; "written" for email and
messages) and, per part, the situation or news tone the sentence is for.
"""

from __future__ import annotations

from collections.abc import Mapping

Pools = Mapping[str, tuple[str, ...]]

# Why you are getting in touch, by situation, then family.
PURPOSES: Mapping[str, Pools] = {
    "first_touch": {
        "spoken": (
            "Talking with you about {role} was a real pleasure, so thank you.",
            "I'm calling to thank you for the time you spent with me on {role}.",
            "I really appreciated your time and consideration during the process for {role}.",
            "Thanks for interviewing me for {role} and for being so generous with your time.",
            "I'd like to thank you for your consideration and our talks about {role}.",
            "Thanks a lot for the conversations about {role}; I really appreciated your time.",
            "I'm grateful for the time and consideration you gave me for {role}.",
        ),
        "written": (
            "Thank you for your time and consideration for {role}.",
            "I'm writing to thank you for your time on {role}.",
            "Many thanks for the care you put into the interviews for {role}.",
            "I appreciated talking with you about {role}, and your consideration.",
            "Thank you for meeting with me about {role} and for your thoughtful consideration.",
            "Your consideration for {role} meant a great deal to me; thank you.",
            "It was a pleasure to speak with you about {role}; thank you.",
        ),
    },
    "warm": {
        "spoken": (
            "I thought I'd give you a quick call to say hello and check in.",
            "I'm calling to see how things are going on your end.",
            "It's been a few weeks, so I wanted to see how you're doing.",
            "You crossed my mind this week, so I thought I'd say hello.",
            "I'm calling for a quick catch-up, if you have a minute.",
            "I hope the last few weeks have treated you well; I'm checking in.",
            "I had a moment today and wanted to hear how things are with you.",
        ),
        "written": (
            "I'm writing to check in and see how things are going.",
            "A few weeks have passed, so I thought I'd send a quick hello.",
            "I hope all is well with you and the team.",
            "I was thinking of our conversation and wanted to say hello.",
            "I'm dropping you a brief note to see how you've been.",
            "I hope this month has been a good one for you so far.",
            "Here's a short note to keep in touch and see how you are.",
        ),
    },
    "maintenance": {
        "spoken": (
            "It's been a couple of months, so I thought I'd call to say hello.",
            "I'm calling to say hello; it's been a little while.",
            "A couple of months have gone by, and I wanted to check in.",
            "I realized it's been a while, so I'm giving you a quick call.",
            "I'm calling to catch up briefly and hear how the past months have gone.",
            "It's been some time, and I'd like to hear how you've been.",
            "I'm overdue for a hello, so I thought I'd pick up the phone.",
        ),
        "written": (
            "It has been a little while, so here's a brief hello.",
            "I hope the past couple of months have been good to you.",
            "I'm writing to say hello and hear how the season has gone for you.",
            "Some time has passed, and I wanted to reconnect briefly.",
            "I'd like to send a short hello and hear your news.",
            "I'm reaching out to say hello, as it has been a couple of months.",
            "I hope you've had a good few months; I'm writing to check in.",
        ),
    },
    "opening": {
        "spoken": (
            "I'm following up on what you mentioned about the team's plans when we spoke.",
            "I've been thinking about what you shared about your team, and I'm following up.",
            "Thanks for telling me about the team's plans; I'm calling about the next step.",
            "I'm calling about what you told me your team has coming up.",
            "What you shared about the team stuck with me, so I'm following up.",
            "I'd like to pick up where we left off, and talk about next steps.",
            "Your mention of the team's plans got me thinking, hence the call.",
        ),
        "written": (
            "Thank you for sharing the team's plans with me; I'm writing to follow up.",
            "I'm writing about what you mentioned when we spoke, and the next step.",
            "Following up on our conversation, I've been thinking about what you described.",
            "I've given real thought to what you shared about the team's plans.",
            "Where the team is heading, as you described it, has been on my mind.",
            "I was pleased to hear about the team's plans and wanted to follow up.",
            "What you described about the team was encouraging, so I'm writing to follow up.",
        ),
    },
    "referral": {
        "spoken": (
            "{referrer} suggested I get in touch with you.",
            "I'm calling because {referrer} thought it would be worth us talking.",
            "{referrer} passed along your name and said you'd be a great person to know.",
            "I got your number from {referrer}, who suggested I give you a call.",
            "{referrer} speaks highly of you and suggested we connect.",
            "I'm calling on {referrer}'s suggestion; I hope that's all right.",
            "{referrer} mentioned you, and I'm glad for the chance to say hello.",
        ),
        "written": (
            "{referrer} kindly suggested that I write to you.",
            "I'm writing at the suggestion of {referrer}.",
            "{referrer} gave me your name and thought we would enjoy connecting.",
            "{referrer} recommended I contact you, and I hope you don't mind the note.",
            "I'm reaching out because {referrer} said you would be good to know.",
            "Our mutual contact {referrer} encouraged me to send you a note.",
            "When I spoke with {referrer}, your name came up as someone I should meet.",
        ),
    },
    "requested": {
        "spoken": (
            "You said {requested} would be a good time, so I'm calling as promised.",
            "When we spoke, you suggested I call around {requested}, so here I am.",
            "You'd asked me to check in around {requested}, so I'm giving you a call.",
            "I said I'd call around {requested}, as you suggested, and I'm keeping my word.",
            "Since {requested} was the timing you suggested, I'm following up now.",
            "I'm calling to reconnect around {requested}, just as you suggested.",
            "I made a note to call you around {requested}, like you suggested.",
        ),
        "written": (
            "You suggested {requested} would be a good time to reconnect, so I'm following up.",
            "As you suggested, I'm writing around {requested} to reconnect.",
            "I promised to follow up around {requested}, and here is my note.",
            "I'm writing now because you asked me to be in touch around {requested}.",
            "I'm following up as promised; you mentioned {requested} would suit you.",
            "I noted your suggestion to reconnect around {requested}, so I'm writing.",
            "It's around {requested}, the time you suggested, so I'm writing to reconnect.",
        ),
    },
    "recruiter_only": {
        "spoken": (
            "Thank you for all your help during the interview process.",
            "I'm calling to thank you for guiding me through the process.",
            "You made the process really easy for me, and I wanted to say thanks.",
            "I appreciated how well you kept me informed throughout the process, so thank you.",
            "Thanks for all your help during the process; I'd love to stay in touch.",
            "I'm grateful for your help, and I hope we can stay in touch.",
            "You were a real help during the process; I'd like to keep in touch.",
        ),
        "written": (
            "Thank you for your help and clear communication throughout the interview process.",
            "I'm writing to thank you for your support during the process.",
            "I appreciated your help at every stage, and I'd like to stay in touch.",
            "Your guidance through the interviews meant a lot; I hope we stay in touch.",
            "Many thanks for keeping me so well informed during the process.",
            "I'm grateful for everything you did to make the process smooth.",
            "Thank you for being so helpful during the interviews; I'd welcome staying in touch.",
        ),
    },
}

# Continued interest: "first_touch" (with the statement about other opportunities),
# "opening" (about what they brought up), "default" (every other situation).
INTERESTS: Mapping[str, Pools] = {
    "first_touch": {
        "spoken": (
            "Honestly, {organization} still interests me a lot, and I'd welcome a chat about other "
            "opportunities if something appropriate comes up.",
            "I'm as keen on {organization} as ever, and I'd be glad to talk about future "
            "opportunities should the right one come along.",
            "If other opportunities come up at {organization} later on, I'd be very happy to "
            "talk, because I'm still really interested.",
            "I still really admire {organization}, and if other opportunities arise in the "
            "future, I'd be glad to talk further.",
            "{organization} is still high on my list, and I'd love to talk about other "
            "opportunities whenever something fitting comes along.",
            "I've still got a real interest in {organization}, and I'd be glad to chat about "
            "other opportunities should they come up.",
            "Working with {organization} still really appeals to me, and I'd be happy to talk "
            "about other opportunities if the timing's ever right.",
        ),
        "written": (
            "I remain very interested in {organization} and would welcome talking about other "
            "opportunities should something appropriate arise.",
            "As I remain keen on {organization}, I would be glad to discuss other opportunities "
            "should something suitable come up.",
            "My interest in {organization} is as strong as ever; I would welcome discussing other "
            "opportunities as they arise.",
            "I would love to contribute to {organization} someday and would happily talk if other "
            "opportunities come up.",
            "I am still keenly interested in {organization}; should an appropriate opportunity "
            "arise later, I would welcome a conversation.",
            "{organization} continues to interest me greatly; if other opportunities emerge "
            "later, I would value the chance to talk.",
            "My regard for {organization} has only grown, and I would enjoy discussing other "
            "opportunities should something fitting arise.",
        ),
    },
    "opening": {
        "spoken": (
            "The plans at {organization} you told me about really caught my interest.",
            "I'm genuinely excited about the team's plans at {organization}.",
            "The direction the team at {organization} is taking really appeals to me.",
            "I'd love to learn more about what {organization} has in mind for the team.",
            "It sounds like an interesting time for your team at {organization}.",
            "I've been thinking about the team's plans at {organization} with a lot of interest.",
            "The work you mentioned at {organization} is exactly the kind of thing I enjoy.",
        ),
        "written": (
            "I am very interested in the plans you outlined for your team at {organization}.",
            "What you shared about {organization}'s next chapter resonated with me.",
            "The work ahead for your team at {organization} is the kind I find most rewarding.",
            "I remain very interested in where {organization} is taking the team.",
            "Your team's direction at {organization} lines up closely with my own interests.",
            "Hearing about the team's plans at {organization} only deepened my interest.",
            "I find the direction {organization} is taking genuinely compelling.",
        ),
    },
    "default": {
        "spoken": (
            "I'm still really interested in {organization} and the work you're doing.",
            "{organization} is still a place I think very highly of.",
            "My interest in {organization} and what your team does hasn't faded at all.",
            "I keep coming back to the work {organization} does; it really interests me.",
            "I'm as interested as ever in what {organization} is up to.",
            "I've always liked {organization}'s approach, and that hasn't changed.",
            "{organization}'s work still really excites me.",
        ),
        "written": (
            "I remain genuinely interested in {organization} and the work it does.",
            "{organization} remains one of the organizations I admire most.",
            "My enthusiasm for {organization} and its mission is as strong as ever.",
            "I have great respect for the work {organization} does.",
            "The work at {organization} remains close to my professional interests.",
            "I am still very drawn to {organization} and the problems your team takes on.",
            "I have kept a real interest in {organization} and where it is heading.",
        ),
    },
}

# Something showing you follow their news, by tone; "none" when no fresh news is on file
# (a true, general line: no headline is quoted).
NEWS: Mapping[str, Pools] = {
    "positive": {
        "spoken": (
            "I saw {headline}, and congratulations, that's great to see.",
            "I heard about {headline}; congratulations to you and the team.",
            "I noticed {headline}, which sounds like really good news.",
            "Congratulations on {headline}; I was really pleased to see it.",
            "I came across {headline} the other day, and it's great news.",
            "I read about {headline}, and it sounds like an exciting time.",
            "{headline} caught my eye, and I was happy to see it.",
        ),
        "written": (
            "I saw {headline} and wanted to say congratulations.",
            "Warm congratulations on {headline}.",
            "I was delighted to read {headline}.",
            "It was great to see {headline}.",
            "I noticed {headline}, which must be rewarding for everyone involved.",
            "Reading {headline} was a pleasure; it looks well deserved.",
            "I was glad to come across {headline} recently.",
        ),
    },
    "neutral": {
        "spoken": (
            "I saw {headline}, and it got me curious.",
            "I noticed {headline} recently and found it interesting.",
            "I read about {headline} and wanted to ask about it.",
            "{headline} came up in my news feed, and I read it.",
            "Hearing about {headline} made me wonder about your side of it.",
            "I came across {headline} and was interested to read it.",
            "I caught the news about {headline}.",
        ),
        "written": (
            "I read {headline} with interest.",
            "I saw {headline} and was curious to learn more.",
            "{headline} caught my attention recently.",
            "I noticed {headline} and have been following the story.",
            "I spotted {headline} and thought of your work.",
            "Seeing {headline} made me think of you and the team.",
            "I took note of {headline} when it came out.",
        ),
    },
    "difficult": {
        "spoken": (
            "I heard about {headline}, and I hope you're doing okay.",
            "I saw {headline}; that must have been a tough time.",
            "I read about {headline} and have been thinking of your team.",
            "I'm sorry to hear about {headline}.",
            "When I saw {headline}, I thought of you straight away.",
            "I came across {headline}, and I hope things are settling down.",
            "{headline} can't have been easy, and I hope you're well.",
        ),
        "written": (
            "My thoughts went to your team when I read {headline}.",
            "Learning of {headline}, I wanted to send my good wishes.",
            "I saw {headline}, and I've been wondering how you are.",
            "I know {headline} may have made for a difficult stretch.",
            "After reading {headline}, I hope things are steadier for you now.",
            "I noticed {headline} and hope you are keeping well through it.",
            "{headline} must have meant a lot of change for everyone.",
        ),
    },
    "none": {
        "spoken": (
            "I've been watching what {organization} is doing with interest.",
            "I still follow {organization}'s news whenever it comes up.",
            "I keep tabs on {organization} as best I can.",
            "I try to keep up with what's happening at {organization}.",
            "{organization} is still very much on my radar.",
            "I read up on {organization} whenever I get the chance.",
            "I like keeping up with {organization}'s work from the outside.",
        ),
        "written": (
            "I've been keeping an eye on {organization}'s recent work.",
            "I continue to follow {organization}'s updates with interest.",
            "I have been staying up to date with {organization}'s work.",
            "I make a point of following news about {organization}.",
            "{organization}'s progress is something I follow closely.",
            "I still look out for news from {organization}.",
            "Following {organization}'s work remains a real interest of mine.",
        ),
    },
}

# The question: by the news tone it follows from, "general" when there is no news, and the
# situations that ask their own ("recruiter_only": who leads the team; "opening": the next
# step). Shared by both families unless keyed "general_spoken" / "general_written".
QUESTIONS: Pools = {
    "general_spoken": (
        "What's keeping you and the team busy these days?",
        "What are you most focused on at the moment?",
        "How are things going with your team lately?",
        "What's been the most interesting project on your plate recently?",
        "What are the big priorities for your group this year?",
        "What's something your team is excited about right now?",
        "How's work been treating you lately?",
    ),
    "general_written": (
        "What projects are taking up most of your attention these days?",
        "What are your team's main priorities for the coming months?",
        "How have things been going for you and your team?",
        "Which challenges is your team most focused on right now?",
        "What has been the highlight of your work recently?",
        "What is on the horizon for your team?",
        "What are you enjoying most about your work at the moment?",
    ),
    "positive": (
        "What will that mean for your team?",
        "How is your team involved in that?",
        "How did that come about, from your side?",
        "How has the news been received inside the team?",
        "What does that change about your day-to-day work?",
        "What are you most looking forward to as that unfolds?",
        "Which part of that are you personally most excited about?",
    ),
    "neutral": (
        "How does that affect your part of the organization?",
        "What's your take on that?",
        "How does that fit with your team's priorities?",
        "What does that mean for the work you're doing?",
        "Is your group involved in that at all?",
        "What do you think that will change over the next few months?",
        "How has your team responded to the news?",
    ),
    "difficult": (
        "How has that affected your areas of responsibility?",
        "How are you and the team holding up?",
        "How are things feeling on your team since then?",
        "What has the past little while been like for you?",
        "How has your own work changed as a result?",
        "How is everyone adjusting to the changes?",
        "What's been the hardest part for your team?",
    ),
    "recruiter_only": (
        "Could you tell me who leads the team I interviewed with?",
        "Who heads up the team I met during the interviews?",
        "Would you mind sharing the name of my interview team's manager?",
        "Who leads the team I met, so I can keep in touch?",
        "May I ask who's in charge of the team I interviewed with?",
        "Which manager leads the group I interviewed with?",
        "Whom should I stay in touch with on the team I met?",
    ),
    "opening": (
        "What would be the best next step from here?",
        "Is there anything more I could share that would help?",
        "What would you suggest I do next?",
        "What timeline do you have in mind for the next step?",
        "How would you like me to follow up on what you mentioned?",
        "What would be most useful for you to hear from me?",
        "What else would be helpful for you to know about my background?",
    ),
}
