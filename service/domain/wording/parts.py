"""The four spoken or written parts of a script: purpose, interest, news, question.

Keys: a family ("spoken" for calls, voicemails and meetings; "written" for email and
messages) and, per part, the situation, the interest's source or the news tone.
"""

from __future__ import annotations

from collections.abc import Mapping

Pools = Mapping[str, tuple[str, ...]]

# Why you are getting in touch, by situation, then family. No "quick hello": a purpose line
# may follow difficult news (R18).
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
            "I'm calling to say hello and hear how things are going on your end.",
            "It's been a few weeks, so I wanted to see how you're doing.",
            "You crossed my mind this week, so I thought I'd say hello.",
            "I'm calling to catch up for a few minutes, if that suits you.",
            "I hope the last few weeks have treated you well; I'm checking in.",
            "I had a moment today and wanted to hear how things are with you.",
            "I wanted to check in and hear how the past few weeks have gone for you.",
        ),
        "written": (
            "I'm writing to check in and see how things are going.",
            "A few weeks have passed, so I thought I'd write and say hello.",
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
            "I realized it's been a while, so I'm giving you a call.",
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
    # They brought up a role: thank them, and follow up on it.
    "opening": {
        "spoken": (
            "Thank you for telling me about the role on your team; I'm calling to follow up.",
            "I'm calling to thank you for mentioning the role, and to talk about the next step.",
            "Thanks so much for bringing up the role when we spoke; I wanted to follow up.",
            "I really appreciated you telling me about the role, so thank you; I'm following up.",
            "Thank you for sharing the team's plans and the role with me; I'm calling about it.",
            "I'm grateful you mentioned the role when we spoke, and thank you; I'm following up.",
            "Thanks for letting me know about the role; I'd like to pick up where we left off.",
        ),
        "written": (
            "Thank you for telling me about the role on your team; I'm writing to follow up.",
            "Many thanks for mentioning the role when we spoke; I wanted to follow up on it.",
            "I was glad you brought up the role on your team, and thank you for doing so.",
            "Thank you for sharing the team's plans and the role you described.",
            "Thank you for the role you mentioned; I appreciated hearing about it and am "
            "following up.",
            "Thanks for letting me know about the role; I've given it real thought.",
            "Thank you for our conversation about the role on your team.",
        ),
    },
    # A first conversation: who you are, the role you interviewed for, who suggested it.
    "referral": {
        "spoken": (
            "{referrer} suggested we talk; I interviewed with {organization} for {role}{met}.",
            "I interviewed for {role}{met}, and {referrer} suggested I give you a call.",
            "{referrer} thought it would be worth us talking; I interviewed for {role}{met}.",
            "I'm calling at {referrer_s} suggestion; I interviewed for {role}{met}.",
            "I interviewed for {role}{met}, and {referrer} recommended I call you.",
            "{referrer} passed along your name after I interviewed for {role}{met}.",
            "{referrer} suggested I get in touch; I interviewed for {role} with "
            "{organization}{met}.",
        ),
        "written": (
            "My name is {me}, and {referrer} suggested I write to you; I interviewed for "
            "{role}{met}.",
            "{referrer} kindly suggested I get in touch: I'm {me}, and I interviewed for "
            "{role}{met}.",
            "I'm writing at {referrer_s} suggestion; I'm {me}, and I interviewed for {role}{met}.",
            "I'm {me}; I interviewed for {role}{met}, and {referrer} thought we should be in "
            "touch.",
            "{referrer} gave me your name after I interviewed for {role}{met}; I'm {me}.",
            "I'm {me}, and I interviewed with {organization} for {role}{met}; {referrer} "
            "recommended I contact you.",
            "Our mutual contact {referrer} encouraged me to write; I'm {me}, and I interviewed "
            "for {role}{met}.",
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

# Continued interest. "first_touch", "opening" and "referral" have their own; elsewhere
# "talked" (from what the interviews were about) or "plain" (a true statement: no claim of
# following their progress). Every line names the organization.
INTERESTS: Mapping[str, Pools] = {
    "first_touch": {
        "spoken": (
            "Honestly, {organization} still interests me a lot, and I'd welcome a chat about other "
            "opportunities if something appropriate comes up.",
            "I'm as keen on {organization} as ever, and I'd be glad to talk about future "
            "opportunities should the right one come along.",
            "If other opportunities come up with {organization} later on, I'd be very happy to "
            "talk, because I'm still really interested.",
            "I still really admire {organization}, and if other opportunities arise in the "
            "future, I'd be glad to talk further.",
            "{organization} is still high on my list, and I'd love to talk about other "
            "opportunities whenever something fitting comes along.",
            "I've still got a real interest in {organization}, and I'd be glad to chat about "
            "other opportunities should they come up.",
            "{organization_s} work still really appeals to me, and I'd be happy to talk "
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
            "The role you described really appeals to me, and so does the work at {organization}.",
            "I'm genuinely excited about the role and the team's plans at {organization}.",
            "What you told me about the role fits what I most enjoy, and I admire "
            "{organization_s} direction.",
            "I'd love to learn more about the role and what {organization} has in mind for it.",
            "I've been thinking about the role you mentioned at {organization} with a lot of "
            "enthusiasm.",
            "The work the role involves at {organization} is exactly the kind of thing I enjoy.",
            "The role you outlined at {organization} has stayed on my mind since we spoke.",
        ),
        "written": (
            "The role you outlined for your team at {organization} is the kind of work I find "
            "most rewarding.",
            "What you shared about the role and {organization_s} next chapter resonated with me.",
            "The role you described lines up closely with my experience, and {organization_s} "
            "direction excites me.",
            "I remain very enthusiastic about {organization} and the role you mentioned.",
            "Hearing about the role and the team's plans at {organization} only deepened my "
            "enthusiasm.",
            "I find the role you described, and the direction {organization} is taking, "
            "genuinely compelling.",
            "The role you mentioned builds on the work I enjoy most, and I admire what "
            "{organization} is doing.",
        ),
    },
    # To someone you have never spoken with: no history implied.
    "referral": {
        "spoken": (
            "I've long admired {organization_s} work, and I'd value hearing your perspective "
            "on it.",
            "I'm keen to learn how your part of {organization} works.",
            "I've heard good things about your work at {organization}.",
            "I'd enjoy hearing how you see things at {organization}.",
            "{organization_s} work is something I care about, and I'd value your view of it.",
            "I'm curious how your team fits into {organization}.",
            "I'd appreciate a few minutes of your perspective on {organization}.",
        ),
        "written": (
            "I have long admired {organization_s} work and would value your perspective on it.",
            "I would be glad to hear how your part of {organization} approaches its work.",
            "From what I have learned of {organization}, your team's work interests me a great "
            "deal.",
            "I would enjoy learning how you see the year ahead at {organization}.",
            "I am keen to understand how your group fits within {organization}.",
            "I would appreciate hearing your perspective on {organization} and its work.",
            "What I have seen of {organization_s} work has made me curious about your part of it.",
        ),
    },
    "talked": {
        "spoken": (
            "I've kept thinking about {talked_about} from our conversations at {organization}.",
            "Our talk about {talked_about} stayed with me, and {organization} still interests me "
            "a lot.",
            "I'm still curious how {talked_about} is going at {organization}.",
            "I remember our conversation about {talked_about}, and I'm still very keen on "
            "{organization}.",
            "What you told me about {talked_about} is still on my mind, and so is {organization}.",
            "I often think back to what you said about {talked_about} at {organization}.",
            "Hearing about {talked_about} made {organization} stand out for me, and it still does.",
        ),
        "written": (
            "I have kept thinking about {talked_about} from our conversations, and {organization} "
            "remains close to my interests.",
            "Our discussion of {talked_about} stayed with me, and I remain very interested in "
            "{organization}.",
            "I'm curious how {talked_about} has been going at {organization}.",
            "What you told me about {talked_about} is a large part of why {organization} still "
            "interests me.",
            "I still think about our conversation on {talked_about} and the way {organization} "
            "approaches it.",
            "The work on {talked_about} that we discussed remains one of the reasons I admire "
            "{organization}.",
            "Learning about {talked_about} from you made {organization} stand out, and it still "
            "does.",
        ),
    },
    "plain": {
        "spoken": (
            "I'm still really interested in {organization} and the work you're doing.",
            "{organization} is still a place I think very highly of.",
            "I enjoyed getting to know {organization} during the interviews, and that hasn't "
            "faded.",
            "My interest in {organization} and what your team does is still strong.",
            "I've always liked {organization_s} approach, and that hasn't changed.",
            "I came away from the interviews with real respect for {organization}.",
            "{organization} made a real impression on me, and it still does.",
        ),
        "written": (
            "I remain genuinely interested in {organization} and the work it does.",
            "{organization} remains one of the organizations I think most highly of.",
            "I came away from my interviews with real respect for {organization} and its people.",
            "I have great respect for the work {organization} does.",
            "The work at {organization} remains close to my professional interests.",
            "I am still very drawn to {organization} and the problems your team takes on.",
            "What I learned of {organization} during the interviews has stayed with me.",
        ),
    },
}

# Something showing you follow their news, by tone. {headline}: in writing the quoted headline
# (shortened); spoken, "the news that …" or the item's summary, never in quotation marks.
# Difficult news is never quoted: {headline} is its summary, or "the news".
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
            "I caught {headline} in my feed this month.",
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
            "My thoughts went to your team when I read about {headline}.",
            "Learning of {headline}, I wanted to send my good wishes.",
            "I heard about {headline}, and I've been wondering how you are.",
            "I know {headline} may have made for a difficult stretch.",
            "After reading about {headline}, I hope things are steadier for you now.",
            "I noticed {headline} and hope you are keeping well through it.",
            "{headline} must have meant a lot of change for everyone.",
        ),
    },
}

# The question: by the news tone it follows from, "general" when there is no news, and the
# situations that ask their own ("recruiter_only": who leads the team; "opening": the next
# step; "referral": a question fit for a first conversation). Shared by both families unless
# keyed "general_spoken" / "general_written".
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
        "What would you suggest as the next step?",
        "What would you like me to do as a next step?",
        "What timeline do you have in mind for the next step?",
        "How would you like me to follow up on the next step?",
        "Who should I speak with for the next step?",
        "What's the best next step on my side?",
    ),
    "referral": (
        "What does your team focus on day to day?",
        "How did you come to the work you do now?",
        "What are you and your team working on these days?",
        "What do you enjoy most about your work?",
        "What would you say makes your part of the company distinctive?",
        "How would you describe the way your team works?",
        "What's on your plate at the moment?",
    ),
}
