"""asks_about_openings held to a labelled corpus: asking for a job, in any form, versus not."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.script_check import asks_about_openings

ASKS = (
    # Direct questions about openings, roles, hiring, headcount.
    "Do you have an opening for me on your team?",
    "Are you hiring at the moment?",
    "Is your team hiring this year?",
    "Are there any open roles on the data team?",
    "Any openings coming up in the spring?",
    "Are you adding headcount?",
    "Do you expect any vacancies after the reorganization?",
    "Are there positions available in the Berlin office these days?",
    "Is the analyst role still open?",
    "Has the analyst position been filled yet?",
    "Will you be hiring again once the freeze ends?",
    "Is the hiring freeze over yet?",
    "Are there any new opportunities on your team?",
    "Is there a spot for me on the platform team?",
    "Do you have a role I could fill next quarter?",
    "Are you looking for anyone with a background like mine?",
    "Are there roles for someone like me at the company?",
    # Applying, being hired, considered or referred.
    "Is there anything I could apply for this spring?",
    "Should I apply for the new analyst role?",
    "How would I go about applying for the platform role?",
    "Is it too late to apply?",
    "What would it take to get hired there?",
    "Could I interview for the next opening?",
    "Would you consider me for the next position?",
    "Could you put in a word for me for the analyst role?",
    "Could you refer me to the hiring team for the new role?",
    "Would you be willing to give me a referral?",
    "Could you pass my resume to the hiring manager?",
    "Have you had a chance to look at my application?",
    "Could I join your team when the project starts?",
    # Requests and indirect asks.
    "Let me know if anything opens up.",
    "Please keep me in mind for openings.",
    "Keep me in mind if a role opens up on your team.",
    "Please let me know whenever you are hiring again.",
    "Do let me know if you hear of anything.",
    "I'd love to be considered for any role.",
    "I want to be considered for the next opening.",
    "I'd like to apply for the analyst role.",
    "I hope you'll consider me for future roles.",
    "I'd love to join your team someday.",
    "If a role opens up, I'd love to apply.",
    "I was wondering whether you have any openings.",
    "I'd appreciate it if you could think of me for any future positions.",
    "Feel free to reach out if a position opens up.",
    "I'm curious whether the team is hiring this year.",
    "If any roles open up, could you let me know?",
    "Count me in the next time you're hiring.",
    "I'm really interested in any openings on your team.",
    "Would you recommend me to the recruiter for the open role?",
    "Hi Ann, I hope the launch went well — is there anything open on your team?",
    # More phrasings, direct and indirect.
    "Any chance there's room on your team for another engineer?",
    "Would your group be open to bringing me on as a contractor?",
    "Is there a way for me to get back in the running?",
    "Could you let me know when applications open?",
    "When do you expect to post the next role?",
    "I'm still looking for a position like the one we discussed — would you keep me in mind?",
    "Can I send you my CV?",
    "Do you know if the team plans to grow next year?",
    "Is the company taking on new people this year?",
    "Any news on the analyst position?",
    "Would you be comfortable recommending me for the new role?",
    "Might there be a place for me in the new Berlin office?",
    "I'd be grateful if you'd think of me when the next role opens.",
    "Please pass my name along if the team has an opening.",
    "Who should I talk to about open positions?",
    "Has the team started interviewing for the senior role?",
    "Do you think I'd be a fit for the new opening?",
    "Is there any chance of a role opening up soon?",
    "Are you planning to hire for the analyst role again?",
    "I'd love the chance to interview again if you're hiring.",
    "Can you connect me with whoever is hiring for the data team?",
    "Where can I apply?",
    "Do you have anything for me?",
    "Hoping you'll consider my application for the next opening.",
    "Please consider me for the role.",
    "Is the platform team looking to bring anyone on this year?",
    "Would there be a place for someone with my experience?",
    "Are any teams at the company hiring analysts right now?",
    "I'm hoping to be considered when the next role is posted.",
    "Do you think there will be openings after the funding round?",
    "Would it be possible to be considered for the analyst opening?",
    "Might I be a candidate for the new role?",
    "What's the best way to get my foot in the door there?",
    "Can you let me know if the analyst role reopens?",
    "I'd welcome being considered for anything on the data team.",
    "Do keep me posted on any roles.",
    "If you hear of a suitable role, would you pass it along?",
    "Would you mind flagging me to the recruiter if the role opens up again?",
    "I'd really like to work for your team.",
    "Are you still looking for a product manager?",
    "Is the team planning to expand next year?",
    "Are there any jobs on your team for a junior analyst?",
    "Who is the hiring manager for the new data role, and could you introduce me?",
    "How can I be considered for the spring cohort?",
    "Please forward my resume to the team lead.",
    "Are you bringing on any new analysts this year?",
    "Would the team have room for a designer in the fall?",
    "Any idea if the data team will be staffing up soon?",
    "Is there an opportunity for me to contribute on your team?",
    "I'd be thrilled to be considered for the platform role.",
    "Could you tell me whether the analyst role is still available?",
    "I'd like to throw my name in for the research position.",
    "Would you keep an eye out for roles that might suit me?",
    "Are there any contract positions I could help with?",
    "What's the timeline for filling the senior analyst role?",
    "Do you know who I should send my application to?",
    "Is the company open to hiring remotely now?",
    "Whenever a spot opens on your team, would you let me know?",
    "I'm keen to apply as soon as the role is posted.",
    "Could I be considered for the summer internship?",
    "Hi Ann! Great to see the launch. Are you taking on anyone new for the mobile team?",
    "Would you be open to me applying again?",
    "Any openings on the horizon?",
    "Is there any role on your team where my skills could help?",
    "Do you see a place for me at the company down the line?",
    "Is the team hiring for the role we discussed?",
    "Please let me know if the team needs another analyst.",
    "Could you tell me if there's a chance of a second interview?",
    "Would it make sense for me to apply to the Berlin office?",
    "Are there openings for contractors?",
    "I'm writing to ask about any available positions.",
    "Is there a job for me somewhere in the company?",
    "I'd appreciate a referral to the recruiter for the analyst role.",
    "Would you think about me for any upcoming vacancies?",
    "Can I reapply for the analyst role?",
    "Any plans to hire more engineers next quarter?",
    "I'm hoping there might be a role for me soon.",
    "Would your manager consider me for the open spot?",
    "Is there headcount for another analyst this year?",
    # Held-out set 1: written before the detector was generalized, and measured on it then
    # (precision 0.96, recall 0.63); added here after the detector was reworked.
    "Do you know of anything opening up on your side in the next few months?",
    "Would there be a spot for someone like me on the platform team?",
    "I was wondering whether you might be hiring again after the new funding.",
    "Could you keep me in mind for the next analyst opening?",
    "Any chance the product manager req will be reposted?",
    "Is the team planning to add headcount in Q3?",
    "Hi Maria, quick one: are you still looking for a backend engineer?",
    "I'd be grateful if you could put in a word for me with the hiring manager.",
    "Would you be willing to refer me for the senior designer role?",
    "Are there any contract positions available right now?",
    "Should I apply through the portal or send my CV to you directly?",
    "Can I send you my updated résumé in case something comes up?",
    "Is the marketing lead position still open?",
    "I'm hoping you might consider me for the role that was just posted.",
    "Are you bringing on any new people for the launch?",
    "Will you be staffing up the support team after the merger?",
    "My contract ends in May. Is there any room for me on your team?",
    "Your team sounds like it is expanding fast. I'd love to join you.",
    "If a seat opens up on the data team, could you let me know?",
    "I'm actively job hunting at the moment, so anything at your company would interest me.",
    "Do you think I'd have a shot at the operations manager job?",
    "Would the hiring committee be open to reconsidering my application?",
    "Who should I talk to about openings in the finance department?",
    "Let me know if your group ever needs an extra pair of hands; I could start next month.",
    "Are you accepting candidates for the summer internship yet?",
    "Is anyone leaving the design squad? I'd be happy to fill in.",
    "Any vacancies coming up in the Berlin office?",
    "I'd really appreciate being considered for any engineering roles you have.",
    "Could you forward my profile to the recruiter handling the QA position?",
    "What's the best way to get my application in front of your team?",
    "Are you open to hiring remote people for the sales team?",
    "I'm between jobs and would jump at the chance to work with you again.",
    "Does your department have budget for a new hire this year?",
    "When the role reopens, please ping me.",
    "I'm currently searching for a job in product analytics.",
    "Would you consider bringing me on as a freelancer for the migration?",
    "Is your org growing? I would be glad to help out on the team.",
    "Could I be considered if the team lead position frees up?",
    "Any idea whether they will be taking on new graduates this autumn?",
    "I wanted to ask if there might be an opportunity for me in your group.",
    # Asks the earlier detector missed: two-sentence asks, offers, growth, applications.
    "Is anyone on your team retiring soon? I'd love to step in.",
    "If you're growing the team, I'd love to be part of it.",
    "Do you need any help on the team — I'm available from June?",
    "Is the company taking applications for the fall?",
    "Please tell me if the position comes back.",
    "Are you expecting to grow the analytics group this year?",
    "Would you mind if I reached out to the recruiter about the role?",
    "I'm looking for a new role on a data team.",
)

NOT_ASKS = (
    # The article's own statements of interest, conditioned on the future.
    "I would be very interested in talking to you further if any new opportunities should come up.",
    "I'd welcome the chance to talk about other opportunities should something appropriate arise.",
    "I remain very interested in your team and would welcome a chat should something open up.",
    "Should an analyst role open in the future, I'd be glad to talk further.",
    "If anything changes, I'd be happy to reconnect.",
    "I'd love to stay in touch in case anything new comes along.",
    # Thanks and history: no ask.
    "Thank you again for your time and consideration for the analyst role.",
    "Thank you for considering me for the platform position last month.",
    "I applied last spring and still think fondly of the interviews.",
    "Thanks again for referring me to Sam.",
    # Their news, team and work.
    "I saw you're hiring for a data team — congratulations on the growth!",
    "I noticed three open roles on your careers page; the growth is exciting.",
    "I saw you're hiring for a data team, what's driving the growth?",
    "Congratulations on the new headcount for the Berlin office.",
    "How has the reorganization affected your areas of responsibility?",
    "What is your team focused on this quarter?",
    "Who leads the team I interviewed with?",
    "What would be the best next step from here?",
    "How is the new role treating you?",
    "What does your role involve day to day?",
    "Congratulations on the promotion — how is the bigger role going?",
    "How are the new hires settling in?",
    "How did the hiring freeze affect your roadmap?",
    "How did the store opening go last week?",
    "Did the grand opening of the Berlin office go well?",
    "What role did your team play in the launch?",
    "Is Priya enjoying her new position?",
    "What opportunities do you see in the European market?",
    "What's the best part of your job these days?",
    "Great job on the launch — what's next for the team?",
    "Does the new travel policy apply to your team as well?",
    "How is the team adjusting after the layoffs?",
    "What is the hiring manager's team working on now?",
    # Requests that are not about a job.
    "Is there anything I can do to help with the conference?",
    "Would you be open to a quick coffee next month?",
    "Could you tell me more about the new product line?",
    "Please give my best to the rest of the team.",
    "Let me know how the conference goes!",
    "I'd love to hear how the migration went.",
    "Can you share what the team is building next?",
    "I hope the new role is going well.",
    "How did you find the move into your current position?",
    "What's keeping your team busy since the merger?",
    "I'm hoping to catch your talk at the summit in May.",
    "I read “Are you hiring? Ten firms that are” and thought of your team.",
    'Loved the piece "Why we are adding headcount in 2026" — how is your team doing?',
    "If anything opens up on the speaking schedule at the summit, I'll be there anyway.",
    "I'd still love to hear what your team is building.",
    "Hope you are well and that the quarter is off to a good start.",
    "What was the biggest surprise in the first month of the new job?",
    # More near-misses.
    "How is the move to the new office going?",
    "What was it like leading the team through the acquisition?",
    "I'd welcome the chance to catch up should you be in town.",
    "Should anything appropriate arise, I'd be glad to hear from you.",
    "I heard the company opened a new office in Lisbon — how exciting!",
    "How is the new hire program going?",
    "Which of your products is the team most proud of?",
    "Thanks for taking the time to interview me for the analyst role.",
    "I enjoyed learning about the analyst role during the interviews.",
    "Would you recommend the conference to someone in my field?",
    "Could you send me the link to the talk you mentioned?",
    "I'd love to hear what you thought of the keynote.",
    "What's the biggest challenge in your position right now?",
    "How has the new position been so far?",
    "What roles do AI tools play in your workflow now?",
    "Is the team still working on the payments project?",
    "How did the hiring of the new VP go?",
    "Let me know if you'd like the article I mentioned.",
    "Are you going to the summit this year?",
    "I hope the team's new roadmap is coming together.",
    "What new opportunities does the merger open up for your product?",
    "Is there anything new in the pipeline you're excited about?",
    "Are there any plans to expand into Asia?",
    "Did the reorg change who you report to?",
    "I'm very interested in how your team approaches testing.",
    "I hope the funding round went smoothly.",
    "Whenever the timing is right, I'd be glad to catch up over coffee.",
    "I'm still very interested in your team's work on search.",
    "Should the right opportunity come along, I would love to talk again.",
    "How is your new team lead settling in?",
    "Did your team end up adopting the new framework?",
    "What's been the most rewarding part of the new position?",
    "I read about the expansion into Lisbon — how is the team finding it?",
    "Could you recommend a good book on payments?",
    "Would you be willing to share the slides from your talk?",
    "What advice would you give someone starting out in data?",
    "Thanks so much for considering my application last month.",
    "How are things since the restructuring?",
    "Let me know when you're free for coffee.",
    "I saw the news about new roles in the Lisbon office — congratulations!",
    "What does a typical week look like for you now?",
    "Are you speaking at any conferences this fall?",
    "What's the team's biggest hiring challenge right now?",
    "Hope the open house went well!",
    "I'd be interested in hearing how the launch went.",
    "I'm glad to hear the team is doing well.",
    "It was great to learn about the team's plans at the meetup.",
    "If you are ever in Chicago, I'd love to buy you a coffee.",
    "I hope things settle down after the busy season.",
    "How are you finding the shift to the new position?",
    "What do you wish you had known when you started in your role?",
    "How did the team celebrate the opening of the new lab?",
    "Congrats on the promotion — well deserved!",
    "Should you ever want a second opinion on the pricing model, I'm happy to help.",
    "Thank you for the consideration and for your time during the interviews.",
    "What surprised you most about leading a bigger team?",
    "I'd be very interested in hearing more about the new product when you have time.",
    "What made the team decide to move to Go?",
    "How did the new analysts take to the onboarding?",
    "Did you get a chance to see the article on your team's launch?",
    "I would welcome the opportunity to stay in touch.",
    "I'd love to keep in touch and hear how the project goes.",
    "Is the team still using the tool you mentioned?",
    "How is the hiring manager role treating Sam?",
    "Let me know if I can return the favor in any way.",
    "I noticed the team has grown a lot this year — congratulations.",
    "What's the story behind the new office in Lisbon?",
    "Any highlights from the conference?",
    "How is the team handling the extra workload?",
    "Please say hello to Sam for me.",
    "I'd be grateful for any reading suggestions on payments.",
    "I hope your new role is everything you hoped for.",
    "If there's ever anything I can help with, just let me know.",
    "Would you be willing to chat about your career path sometime?",
    "What skills have mattered most in your job this year?",
    "I'm happy to hear the launch went well.",
    "Is the new analytics team settling in?",
    "Who else on the team should I follow for updates on the product?",
    "Would you recommend any podcasts about data engineering?",
    "Thanks again for the kind words after the interview.",
    "If you need anyone to help with the conference, let me know.",
    "Are you looking for a new office?",
    # Held-out set 1 (see ASKS); two of its sentences were already above.
    "How did the product launch go last week?",
    "Congratulations on growing the team to fifty people!",
    "I saw the news about the reorganization; how has it affected your group?",
    "Thank you again for your time and consideration.",
    "Congratulations on your new role as head of engineering!",
    "How are you finding the new office?",
    "I remain very interested in the company and hope we can stay in touch.",
    "Should anything appropriate arise, I would welcome a conversation.",
    "I read about your expansion into Brazil — how is that going?",
    "What has been the biggest challenge since the merger?",
    "Thanks so much for the advice on my portfolio.",
    "How is the new data platform shaping up?",
    "Is there a role for AI in your roadmap?",
    "How has the hiring freeze at competitors affected your market?",
    "I enjoyed your talk at the conference; what inspired the topic?",
    "How are you settling into your new position?",
    "What do you think the new regulation means for your customers?",
    "I hope the quarter is ending well for you and the team.",
    "Did the redesign of the app get a good reception?",
    "I'd love to hear how the Berlin office is coming along.",
    "How is your team handling the growth in users?",
    "Congratulations on the Series B — well deserved.",
    "Just wanted to say thanks for the introduction to Priya.",
    "What role did your team play in the new release?",
    "If anything changes down the road, I'd be glad to reconnect.",
    "How has the shift to remote work changed your team's rhythm?",
    "I'll be in town next week — would you be free for a coffee?",
    "What are you most excited about for next year?",
    "How did the restructuring land with your department?",
    "I saw you were promoted to director; how are you finding it?",
    "Thanks for taking my call earlier.",
    "Your team's work on the accessibility audit was impressive.",
    "Has the new CEO changed how your group sets priorities?",
    "I wanted to share an article on supply chains I thought you'd like.",
    "How are the new hires on your team working out?",
    "I'm still keen on the company and would love to stay in touch as things evolve.",
    "What position does your company take on open source?",
    "How did you end up leading the analytics group?",
    # How a team grows; a team scaling something else.
    "How fast is the team growing these days?",
    "Is the team still scaling the platform?",
)

ORGANIZATIONS = ("Open Roles Inc", "Hiring Heroes", "Apply Digital", "Vacancy Labs", "Acme")


@functools.cache  # the corpus once, not once per hypothesis example (the 200 ms deadline)
def misclassified() -> tuple[list[str], list[str]]:
    missed = [text for text in ASKS if not asks_about_openings(text)]
    false_alarms = [text for text in NOT_ASKS if asks_about_openings(text)]
    return missed, false_alarms


def test_the_corpus_is_labelled_and_balanced() -> None:
    assert len(ASKS) >= 40
    assert len(NOT_ASKS) >= 40
    assert 0.45 <= len(ASKS) / (len(ASKS) + len(NOT_ASKS)) <= 0.55
    assert not set(ASKS) & set(NOT_ASKS)
    assert len(set(ASKS)) == len(ASKS)
    assert len(set(NOT_ASKS)) == len(NOT_ASKS)


def test_precision_and_recall_on_the_corpus() -> None:
    missed, false_alarms = misclassified()
    flagged = len(ASKS) - len(missed) + len(false_alarms)
    precision = (len(ASKS) - len(missed)) / flagged
    recall = (len(ASKS) - len(missed)) / len(ASKS)
    report = f"precision {precision:.3f}, recall {recall:.3f}\n" + "\n".join(
        [*(f"missed ask: {text}" for text in missed), *(f"false alarm: {t}" for t in false_alarms)]
    )
    assert precision >= 0.95, report
    assert recall >= 0.95, report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi Ann, I hope the launch went well. Are you hiring? Thanks!", True),
        ("Hi Ann, I hope the launch went well. What's next for your team?", False),
        # The same words: a question asks, the statement about their news does not.
        ("Is your team hiring for the data platform?", True),
        ("Your team is hiring for the data platform — wonderful news.", False),
        # A condition does not turn interest into an ask, but a request inside it does.
        ("I'd be glad to talk further if any new roles come up.", False),
        ("Let me know if any new roles come up.", True),
        ("If any new roles come up, would you keep me in mind?", True),
        # Curly apostrophes and line breaks are read like straight ones and spaces.
        ("I\u2019d love to be\nconsidered for any role.", True),
        ("", False),
        ("?", False),
    ],
)
def test_table(text: str, expected: bool) -> None:
    assert asks_about_openings(text) is expected


@pytest.mark.parametrize("organization", ORGANIZATIONS)
def test_the_organizations_own_name_is_not_an_ask(organization: str) -> None:
    text = f"How is everyone at {organization} doing since the launch?"
    assert asks_about_openings(text, organization) is False
    assert asks_about_openings(f"Is {organization} hiring this spring?", organization) is True


FRIENDLY = (
    "Hi Ann, I hope you are well.",
    "I loved the piece on your new office.",
    "Congratulations on the launch!",
    "Thanks again for your time last month.",
    "How is the team doing since the merger?",
)
SIGN_OFF = ("", "Thanks so much!", "Best, Sam", "Talk soon.", "Have a great week.")


@given(
    before=st.sampled_from(FRIENDLY),
    ask=st.sampled_from(ASKS),
    after=st.sampled_from(SIGN_OFF),
    organization=st.sampled_from(ORGANIZATIONS),
)
def test_a_known_ask_wrapped_in_friendly_sentences_still_flags(
    before: str, ask: str, after: str, organization: str
) -> None:
    if ask in misclassified()[0]:
        return  # held by the corpus figures, not here
    assert asks_about_openings(f"{before} {ask} {after}", organization) is True


HEADLINE_TEXT = st.text(
    alphabet=st.characters(blacklist_characters='"“”', blacklist_categories=("Cs",)),
    max_size=80,
)


@given(headline=HEADLINE_TEXT, curly=st.booleans(), friendly=st.sampled_from(FRIENDLY))
def test_quoting_any_text_as_a_headline_never_flags(
    headline: str, curly: bool, friendly: str
) -> None:
    quoted = f"“{headline}”" if curly else f'"{headline}"'
    assert asks_about_openings(f"{friendly} I read {quoted} and thought of your team.") is False


@given(ask=st.sampled_from(NOT_ASKS), friendly=st.sampled_from(FRIENDLY))
def test_friendly_sentences_around_a_non_ask_do_not_flag(ask: str, friendly: str) -> None:
    if ask in misclassified()[1]:
        return
    assert asks_about_openings(f"{friendly} {ask}") is False
