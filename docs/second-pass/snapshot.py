"""One script per situation (email, and a call for warm), with the issue's hard inputs."""
import dataclasses, sys
from datetime import date
from service.domain.model import Channel, NewsFacts, NewsTone, ProfileFacts, Situation
from service.domain.scripts import ScriptRequest, build_script

fields = {f.name for f in dataclasses.fields(ScriptRequest)}
pf = {f.name for f in dataclasses.fields(ProfileFacts)}
nf = {f.name for f in dataclasses.fields(NewsFacts)}
profile = ProfileFacts(**{k: v for k, v in dict(name="Jordan Ellis", phone="+1 555 0100").items() if k in pf})
bad = NewsFacts(**{k: v for k, v in dict(id="n1", headline="Contoso Labs closes its Chicago studio and lays off 80 staff", noticed_on=date(2026, 11, 20), tone=NewsTone.DIFFICULT, summary="the Chicago studio closing").items() if k in nf})
cases = [
    (Situation.FIRST_TOUCH, Channel.EMAIL, None, {}),
    (Situation.WARM, Channel.EMAIL, None, {}),
    (Situation.WARM, Channel.CALL, bad, {}),
    (Situation.MAINTENANCE, Channel.EMAIL, bad, {"reintroduce": True}),
    (Situation.OPENING, Channel.EMAIL, None, {}),
    (Situation.REFERRAL, Channel.EMAIL, None, {}),
    (Situation.REQUESTED, Channel.VOICEMAIL, None, {"reintroduce": True}),
    (Situation.RECRUITER_ONLY, Channel.EMAIL, None, {}),
]
for situation, channel, news, extra in cases:
    kw = dict(situation=situation, channel=channel, organization_name="Contoso Labs, Inc.",
              contact_name="Dr. Helen Brandt" if situation is not Situation.RECRUITER_ONLY else "Rita Ortiz",
              role_applied="Senior Staff Engineer, Data Platform (Payments and Risk)",
              profile=profile, news=news, referrer_name="Ann Lee", requested_on=date(2027, 1, 4),
              seed="snapshot", talked_about="the data-platform migration",
              met_on=date(2026, 3, 10), on=date(2026, 12, 7), **extra)
    script = build_script(ScriptRequest(**{k: v for k, v in kw.items() if k in fields}))
    print(f"=== {situation.value} / {channel.value}" + (f" (news: {news.tone.value})" if news else ""))
    if script.subject: print(f"Subject: {script.subject}")
    print(script.text)
    if script.voicemail and channel is Channel.CALL: print("--- voicemail:\n" + script.voicemail)
    print()
