"""The second pass (SPEC 6, R18) on the domain: news kept by unanswered calls, difficult news
colouring two touches, who you are, substance, mechanics, voicemails, calls, opening, referral,
greetings, and a call's email version."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from service.domain import wording
from service.domain.cadence import plan_next_action
from service.domain.model import (
    CadenceSettings,
    Channel,
    NewsFacts,
    NewsTone,
    Outcome,
    ProfileFacts,
    Situation,
)
from service.domain.script_check import check_script, count_words
from service.domain.script_words import possessive, role_phrase, tidy
from service.domain.scripts import ScriptRequest, build_script
from tests.domain.test_cadence_rules import ACME, ANN, NOW, touch

PHONE = "+1 312 555 0199"
ME = ProfileFacts(name="Jordan Ellis", phone=PHONE)
LAYOFFS = NewsFacts(
    "n-bad",
    "Acme closes its Chicago studio and lays off 80 staff",
    date(2026, 3, 20),
    tone=NewsTone.DIFFICULT,
)
SETTINGS = CadenceSettings()


def request(situation: Situation, channel: Channel, **changes: object) -> ScriptRequest:
    values: dict[str, object] = {
        "situation": situation,
        "channel": channel,
        "organization_name": "Acme",
        "contact_name": "Ann Lee",
        "role_applied": "Staff Engineer",
        "profile": ME,
        "referrer_name": "Bo Chen",
        "met_on": date(2026, 3, 6),
        "seed": "s",
    }
    values.update(changes)
    return ScriptRequest(**values)  # type: ignore[arg-type]


def test_r18_an_unanswered_call_does_not_use_up_the_news() -> None:
    news = (NewsFacts("n-1", "Acme ships v2", date(2026, 3, 20)),)
    first = (touch("2026-03-09"),)
    planned = plan_next_action(ACME, (ANN,), first, news, SETTINGS, NOW, profile=ME)
    assert planned is not None and planned.news_id == "n-1"
    unanswered = touch("2026-03-30", channel=Channel.CALL, outcome=Outcome.NO_ANSWER, news_id="n-1")
    retry = plan_next_action(ACME, (ANN,), (*first, unanswered), news, SETTINGS, NOW, profile=ME)
    assert retry is not None and retry.news_id == "n-1"
    assert "find_news" not in retry.hints and "Acme ships v2" in retry.script.text  # type: ignore[union-attr]
    reached = replace(unanswered, outcome=Outcome.CONVERSATION)
    after = plan_next_action(ACME, (ANN,), (*first, reached), news, SETTINGS, NOW, profile=ME)
    assert after is not None and after.news_id is None and "find_news" in after.hints


def test_r18_difficult_news_colours_the_touch_that_mentions_it_and_the_next() -> None:
    news = (LAYOFFS,)
    first = (touch("2026-03-09"),)
    mentions = plan_next_action(ACME, (ANN,), first, news, SETTINGS, NOW, profile=ME)
    assert mentions is not None and mentions.script is not None
    assert mentions.script.variant.split("-")[-2].startswith("cd")
    told = touch("2026-03-30", channel=mentions.channel, news_id="n-bad", n=1)
    following = plan_next_action(ACME, (ANN,), (*first, told), news, SETTINGS, NOW, profile=ME)
    assert following is not None and following.script is not None
    assert following.news_id is None
    assert following.script.variant.split("-")[-2].startswith("cd")
    later = touch("2026-04-30", channel=following.channel, n=2)
    calm = plan_next_action(ACME, (ANN,), (*first, told, later), news, SETTINGS, NOW, profile=ME)
    assert calm is not None and calm.script is not None
    assert calm.script.variant.split("-")[-2].startswith("cg")


def test_somber_scripts_have_no_quick_hello_no_cheerful_subject_no_waiting_closing() -> None:
    for seed in range(40):
        for channel in (Channel.EMAIL, Channel.CALL, Channel.VOICEMAIL):
            script = build_script(request(Situation.WARM, channel, somber=True, seed=str(seed)))
            text = f"{script.text}\n{script.voicemail or ''}"
            assert "quick" not in text.casefold()
            assert not re.search(r"if (something|anything|things) (changes|change|shifts)", text)
            assert "in case" not in text and "timing" not in text
            if script.subject is not None:
                assert script.subject in wording.SUBJECTS["difficult"]


def test_difficult_news_is_said_as_its_summary_or_the_news_never_quoted() -> None:
    with_summary = replace(LAYOFFS, summary="the Chicago studio closing")
    for channel in Channel:
        plain = build_script(request(Situation.WARM, channel, news=LAYOFFS))
        assert "lays off" not in plain.text and "“" not in plain.text
        summary = build_script(request(Situation.WARM, channel, news=with_summary))
        assert "lays off" not in summary.text
        if summary.parts["news"]:
            assert "the chicago studio closing" in summary.parts["news"].casefold()


def test_who_you_are_after_six_weeks_and_subjects_carry_the_topic() -> None:
    for channel in (Channel.EMAIL, Channel.CALL, Channel.VOICEMAIL):
        script = build_script(request(Situation.MAINTENANCE, channel, reintroduce=True))
        assert "the Staff Engineer role in March" in script.text
        fresh = build_script(request(Situation.MAINTENANCE, channel, reintroduce=False))
        assert "interviewed for" not in fresh.text
    for situation in (Situation.WARM, Situation.MAINTENANCE, Situation.REQUESTED):
        for seed in range(10):
            subject = build_script(request(situation, Channel.EMAIL, seed=str(seed))).subject
            assert subject is not None and "the Staff Engineer interviews" in subject
            talked = request(situation, Channel.EMAIL, seed=str(seed), talked_about="the migration")
            assert "the migration" in (build_script(talked).subject or "")


def test_cadence_reintroduces_after_six_weeks_with_that_person() -> None:
    recent = (touch("2026-03-09"),)
    soon = plan_next_action(ACME, (ANN,), recent, (), SETTINGS, NOW, profile=ME)
    assert soon is not None and soon.script is not None
    assert "interviewed for" not in soon.script.text
    many = tuple(touch(f"2026-0{m}-09", n=m) for m in range(3, 9))
    later = plan_next_action(ACME, (ANN,), many, (), SETTINGS, NOW, profile=ME)
    assert later is not None and later.script is not None and later.phase.value == "maintenance"
    assert "in March" in later.script.text


def test_talked_about_gives_substance_and_without_it_the_line_is_plain() -> None:
    talked = build_script(request(Situation.WARM, Channel.EMAIL, talked_about="the migration"))
    assert "the migration" in talked.parts["interest"]
    for seed in range(20):
        plain = build_script(request(Situation.WARM, Channel.EMAIL, seed=str(seed)))
        assert not re.search(r"follow|progress|closely|keep(ing)? (an eye|tabs)", plain.text)


def test_mechanics_possessive_name_twice_no_doubled_punctuation_short_role() -> None:
    assert possessive("Contoso Labs") == "Contoso Labs'" and possessive("Acme") == "Acme's"
    assert tidy("at Contoso, Inc.. Thanks") == "at Contoso, Inc. Thanks"
    long_role = "Senior Staff Engineer, Data Platform (Payments and Risk Analytics)"
    assert role_phrase(long_role) == "the Senior Staff Engineer role"
    assert (
        role_phrase("Principal Engineer for Cloud Platform Reliability and Tooling") == "the role"
    )
    for situation in Situation:
        for channel in Channel:
            script = build_script(
                request(
                    situation,
                    channel,
                    organization_name="Contoso Labs, Inc.",
                    role_applied=long_role,
                    reintroduce=True,
                    talked_about="the migration",
                )
            )
            for text in filter(None, (script.text, script.voicemail, script.subject)):
                assert text.count("Contoso Labs, Inc.") <= 2, text
                assert "Labs's" not in text and ".." not in text and "Payments" not in text


def test_voicemail_names_you_at_both_ends_leaves_the_number_once_and_thanks_once() -> None:
    for situation in Situation:
        for seed in range(10):
            script = build_script(
                request(situation, Channel.CALL, seed=str(seed), reintroduce=True)
            )
            voicemail = script.voicemail or ""
            assert voicemail.startswith("Hi Ann, it's Jordan Ellis")
            assert voicemail.endswith("Jordan Ellis.") and count_words(voicemail) <= 80
            assert voicemail.count(PHONE) == 1
            assert len(re.findall(r"\bthank", voicemail, re.IGNORECASE)) == 1, voicemail
    missing = build_script(request(Situation.WARM, Channel.VOICEMAIL, profile=ProfileFacts("Jo")))
    assert wording.PHONE_PLACEHOLDER in missing.text
    planned = plan_next_action(
        ACME, (ANN,), (touch("2026-03-09"),), (), SETTINGS, NOW, profile=ProfileFacts("Jo")
    )
    assert planned is not None and planned.channel is Channel.CALL and "add_phone" in planned.hints


def test_calls_open_by_asking_whether_it_is_a_good_moment() -> None:
    for situation in Situation:
        opener = build_script(request(situation, Channel.CALL)).text.split("\n\n")[0]
        assert opener.startswith("Hi Ann, it's Jordan Ellis") and opener.endswith("?")
        assert opener.split(". ", 1)[1] in wording.GOOD_MOMENTS


def test_opening_thanks_them_asks_about_and_closes_on_the_next_step() -> None:
    for seed in range(10):
        call = build_script(request(Situation.OPENING, Channel.CALL, seed=str(seed)))
        assert re.search(r"\bthank", call.parts["purpose"], re.IGNORECASE)
        assert "role" in call.parts["interest"]
        assert "next step" in call.parts["question"]
        assert "next step" in call.parts["closing"] or "suggested" in call.parts["closing"]
        assert "in touch now and then" not in call.text


def test_referral_introduces_you_without_implying_a_history() -> None:
    for channel in (Channel.EMAIL, Channel.CALL):
        for seed in range(10):
            script = build_script(request(Situation.REFERRAL, channel, seed=str(seed)))
            assert "Jordan Ellis" in script.text and "Bo Chen" in script.text
            assert "the Staff Engineer role" in script.text
            assert script.parts["question"] in wording.QUESTIONS["referral"]
            assert not re.search(
                r"as ever|still|our conversation|we met|hasn't changed", script.text
            )


def test_a_call_carries_an_email_shaped_version() -> None:
    script = build_script(request(Situation.WARM, Channel.CALL))
    assert script.as_email is not None
    subject, text = script.as_email
    assert subject and text.startswith("Hi Ann,\n\n") and text.endswith("\nJordan Ellis")
    assert "it's Jordan Ellis" not in text
    check = check_script(
        channel=Channel.EMAIL, text=text, organization_name="Acme", previous_texts=()
    )
    assert check.ok, check.warnings
