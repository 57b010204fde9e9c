"""Properties of every script over random histories and organization names (SPEC 6, second
pass): names ending in s, with commas and periods, long role titles, honorifics, difficult
news. No script breaks the mechanics, and none fails its own check."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.cadence import plan_next_action
from service.domain.model import Channel, NewsTone, PlannedAction, ProfileFacts, Script
from service.domain.script_check import WORD_LIMITS, check_script, count_words
from service.domain.script_words import possessive
from tests.domain.test_cadence_properties import NOW, History, histories

# 500 random histories, each planned and its script (and voicemail and email version) checked.
EXAMPLES = 500
NAMES = st.sampled_from(
    [
        "Acme",
        "Contoso Labs",
        "Contoso Labs, Inc.",
        "Globex Systems",
        "Initech Co.",
        "Stark Industries",
        "Wayne Enterprises, Ltd.",
        "Umbrella Corp.",
        "Ross & Sons",
        "A.C.M.E. Analytics",
        "Hooli",
        "Pied Piper, Inc.",
        "Vandelay Industries",
        "Soylent Partners",
    ]
)
ROLES = st.sampled_from(
    [
        None,
        "Staff Engineer",
        "Senior Staff Engineer, Data Platform (Payments and Risk Analytics)",
        "Principal Engineer for Cloud Platform Reliability and Developer Tooling Services",
        "Head of Research (Europe, Middle East and Africa)",
        "Product Designer",
        "Lead, Customer Success Operations and Enablement for North America",
    ]
)
PEOPLE = st.sampled_from(
    ["Ann Lee", "Dr. Helen Brandt", "Prof. Chidi Okafor", "Mr. James Ross", "Ms. Iris Jones"]
)
PHONE = "+1 312 555 0199"
SPOKEN = (Channel.CALL, Channel.VOICEMAIL, Channel.IN_PERSON)


@st.composite
def named_histories(draw: st.DrawFn) -> tuple[History, ProfileFacts]:
    history = draw(histories())
    organization = replace(
        history.organization,
        name=draw(NAMES),
        role_applied=draw(ROLES),
        talked_about=draw(st.sampled_from([None, "the data-platform migration", "pricing"])),
    )
    people = tuple(replace(person, name=draw(PEOPLE)) for person in history.contacts)
    news = tuple(
        replace(
            item,
            headline=draw(
                st.sampled_from(
                    [
                        f"{organization.name} closes studio {index} and lays off 80 staff",
                        f"Are you hiring? {organization.name} asks its studio {index} staff",
                        f"{organization.name} is hiring 50 engineers for studio {index} in Berlin",
                    ]
                )
            ),
            tone=draw(st.sampled_from(list(NewsTone))),
            summary=draw(st.sampled_from([None, "the restructuring"])),
        )
        for index, item in enumerate(history.news)
    )
    profile = draw(
        st.sampled_from(
            [
                ProfileFacts(name="Jordan Ellis", phone=PHONE),
                ProfileFacts(name="Sam Park", signature="Sam Park\nsam@example.com", phone=PHONE),
            ]
        )
    )
    return replace(history, organization=organization, contacts=people, news=news), profile


def said_texts(script: Script) -> list[tuple[Channel | None, str]]:
    texts: list[tuple[Channel | None, str]] = [(None, script.text)]
    if script.voicemail:
        texts.append((Channel.VOICEMAIL, script.voicemail))
    if script.as_email:
        texts.append((Channel.EMAIL, script.as_email[1]))
    if script.subject:
        texts.append((Channel.EMAIL, script.subject))
    return texts


@settings(max_examples=EXAMPLES, deadline=None)
@given(named=named_histories())
def test_no_script_breaks_the_mechanics_or_fails_its_own_check(
    named: tuple[History, ProfileFacts],
) -> None:
    history, profile = named
    action = plan(history, profile)
    if action is None or action.script is None:
        return
    script, name = action.script, history.organization.name
    result = check_script(
        channel=action.channel, text=script.text, organization_name=name, previous_texts=()
    )
    assert result.ok, (script.text, result.warnings)
    if script.as_email:
        written = check_script(
            channel=Channel.EMAIL,
            text=script.as_email[1],
            organization_name=name,
            previous_texts=(),
        )
        assert written.ok, (script.as_email[1], written.warnings)
    bad = [n for n in history.news if n.tone is NewsTone.DIFFICULT]
    for _, text in said_texts(script):
        assert text.count(name) <= 2, text
        if name.endswith("s"):
            assert f"{name}'s" not in text, text
        assert not re.search(r"(?<!\.)\.\.(?!\.)|,,|;;", text), text
        assert not any(f"studio {item.id[1:]} " in text for item in bad), text
        assert not any(item.headline in text for item in bad), text
        role = history.organization.role_applied or ""
        if count_words(role) > 6:
            assert role not in text, text
    spoken = [script.voicemail or ""]
    if action.channel in SPOKEN:
        spoken.append(script.text)
    for text in spoken:
        assert "“" not in text and "…" not in text and "..." not in text, text
    if script.voicemail:
        voicemail = script.voicemail
        assert voicemail.startswith(f"Hi {script.greeting}, it's {profile.name}"), voicemail
        assert voicemail.endswith(f"{profile.name}."), voicemail
        assert voicemail.count(PHONE) == 1, voicemail
        assert len(re.findall(r"\bthank", voicemail, re.IGNORECASE)) == 1, voicemail
        assert count_words(voicemail) <= WORD_LIMITS[Channel.VOICEMAIL]
        assert check_script(
            channel=Channel.VOICEMAIL, text=voicemail, organization_name=name, previous_texts=()
        ).ok, voicemail
    if action.channel is Channel.CALL:
        assert script.text.split("\n\n")[0].endswith("?")
    target = next(c for c in history.contacts if c.id == action.contact_id)
    honorific = target.name.split()[0]
    if honorific.endswith(".") and not target.greeting_name:
        assert script.greeting == f"{honorific} {target.name.split()[-1]}"
    assert possessive(name) == (f"{name}'" if name.endswith("s") else f"{name}'s")


def plan(history: History, profile: ProfileFacts) -> PlannedAction | None:
    return plan_next_action(
        history.organization,
        history.contacts,
        history.attempts,
        history.news,
        history.settings,
        NOW,
        skipped_at=history.skipped_at,
        profile=profile,
    )
