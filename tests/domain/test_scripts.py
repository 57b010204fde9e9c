"""Scripts: each situation's wording, greetings, news, the call/voicemail pair, variety."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain import wording
from service.domain.model import Channel, NewsFacts, NewsTone, ProfileFacts, Script, Situation
from service.domain.script_check import WORD_LIMITS, check_script, count_words
from service.domain.scripts import (
    PARTS,
    PLACEHOLDER,
    ScriptRequest,
    build_script,
    greeting_for,
    render_variant,
)

NEWS = NewsFacts(id="n1", headline="Acme opens a Berlin office", noticed_on=date(2026, 3, 1))
LAYOFFS = NewsFacts(
    id="n2",
    headline="Acme lays off 20% of staff",
    noticed_on=date(2026, 3, 1),
    tone=NewsTone.DIFFICULT,
)
ME = ProfileFacts(name="Sam Park", signature="Sam Park\nsam@example.com", phone="+1 312 555 0199")
SPOKEN = (Channel.CALL, Channel.VOICEMAIL, Channel.IN_PERSON)
ASKS_WORDS = re.compile(r"\b(opening|position|vacanc|hiring|apply|job)", re.IGNORECASE)


def request(situation: Situation, channel: Channel, **changes: object) -> ScriptRequest:
    values: dict[str, object] = {
        "situation": situation,
        "channel": channel,
        "organization_name": "Acme",
        "contact_name": "Ann Lee",
        "role_applied": "Staff Engineer",
        "profile": ME,
        "news": NEWS,
        "referrer_name": "Bo Chen",
        "requested_on": date(2026, 6, 2),
        "seed": "org:ann:0",
    }
    values.update(changes)
    return ScriptRequest(**values)  # type: ignore[arg-type]


def codes(script: Script, channel: Channel, *previous: str) -> list[str]:
    result = check_script(
        channel=channel, text=script.text, organization_name="Acme", previous_texts=previous
    )
    return [warning.code for warning in result.warnings]


def sentences(script: Script) -> set[str]:
    return {script.parts[part] for part in PARTS if script.parts[part]}


@pytest.mark.parametrize("situation", list(Situation))
@pytest.mark.parametrize("channel", list(Channel))
def test_every_situation_and_channel_gives_a_script_that_passes_its_check(
    situation: Situation, channel: Channel
) -> None:
    script = build_script(request(situation, channel))
    assert script.situation is situation
    assert codes(script, channel) == []
    assert script.word_count == count_words(script.text) <= WORD_LIMITS[channel]
    assert tuple(script.parts) == PARTS
    assert script.parts["question"].endswith("?")
    assert "Acme" in script.text
    assert all(part in script.text for part in script.parts.values())
    assert (script.subject is not None) is (channel is Channel.EMAIL)
    assert (script.voicemail is not None) is (channel in (Channel.CALL, Channel.VOICEMAIL))
    assert bool(script.parts["closing"]) is (channel in (Channel.CALL, Channel.VOICEMAIL))
    whens = [response.when for response in script.responses]
    if channel in (Channel.CALL, Channel.IN_PERSON):
        assert whens == list(wording.RESPONSES)
    else:
        assert whens == []
    assert PLACEHOLDER not in script.text and "[" not in script.text


def test_a_call_comes_with_a_voicemail_of_at_most_80_words_that_passes_its_check() -> None:
    script = build_script(request(Situation.WARM, Channel.CALL))
    assert script.voicemail is not None
    voicemail = check_script(
        channel=Channel.VOICEMAIL,
        text=script.voicemail,
        organization_name="Acme",
        previous_texts=(),
    )
    assert voicemail.ok, voicemail.warnings
    assert voicemail.word_count <= 80
    assert script.voicemail.startswith("Hi Ann, it's Sam Park.")
    assert script.voicemail.endswith("Thanks, Sam Park.")
    # The call pauses after the question; the closing comes at the end of the conversation.
    assert script.text.endswith(f"{script.parts['question']}\n\n{script.parts['closing']}")


def test_the_first_touch_thanks_them_and_welcomes_other_opportunities() -> None:
    for channel in Channel:
        script = build_script(request(Situation.FIRST_TOUCH, channel))
        assert "the Staff Engineer role" in script.parts["purpose"]
        assert re.search(r"\bthank", script.parts["purpose"], re.IGNORECASE)
        interest = script.parts["interest"]
        assert "Acme" in interest and "opportunit" in interest and "?" not in interest
        assert not re.search(r"\bagain\b|since we last", script.text, re.IGNORECASE)
        assert not script.text.startswith("It's")


def test_without_a_role_the_first_touch_thanks_them_for_the_role() -> None:
    script = build_script(request(Situation.FIRST_TOUCH, Channel.EMAIL, role_applied=None))
    assert "the role" in script.parts["purpose"] and "None" not in script.text


def test_a_referral_names_who_referred_you() -> None:
    for channel in Channel:
        assert "Bo Chen" in build_script(request(Situation.REFERRAL, channel)).parts["purpose"]


def test_a_requested_follow_up_names_the_date_they_gave() -> None:
    script = build_script(request(Situation.REQUESTED, Channel.EMAIL))
    assert "June 2" in script.parts["purpose"]


def test_recruiter_only_asks_who_leads_the_team() -> None:
    for channel in Channel:
        script = build_script(request(Situation.RECRUITER_ONLY, channel))
        assert script.parts["question"] in wording.QUESTIONS["recruiter_only"]


def test_an_opening_asks_about_the_next_step() -> None:
    script = build_script(request(Situation.OPENING, Channel.EMAIL))
    assert script.parts["question"] in wording.QUESTIONS["opening"]
    assert script.parts["purpose"] in wording.PURPOSES["opening"]["written"]


@pytest.mark.parametrize(
    ("name", "greeting_name", "expected"),
    [
        ("Ann Lee", None, "Ann"),
        ("Dr. Ann Lee", None, "Dr. Lee"),
        ("Prof Ann Lee", None, "Prof. Lee"),
        ("Professor Ann Lee", None, "Professor Lee"),
        ("Dr. Chidi Okafor", None, "Dr. Okafor"),
        ("Mx. Sam Rivera", None, "Mx. Rivera"),
        ("Mrs.  Ada   Byron", None, "Mrs. Byron"),
        ("Miss Ada Byron", None, "Miss Byron"),
        ("Sir Tim Berners-Lee", None, "Sir Tim"),
        ("Dr. Ann Lee", "Dr. Lee", "Dr. Lee"),
        ("Annabel Lee", "Annie", "Annie"),
        ("Dr.", None, "Dr."),
    ],
)
def test_greetings_use_the_honorific_and_surname_or_the_greeting_name(
    name: str, greeting_name: str | None, expected: str
) -> None:
    assert greeting_for(name, greeting_name) == expected
    script = build_script(
        request(Situation.WARM, Channel.EMAIL, contact_name=name, greeting_name=greeting_name)
    )
    assert script.greeting == expected
    assert script.text.startswith(f"Hi {expected},\n")


def test_the_placeholder_appears_only_where_the_profile_lacks_it() -> None:
    empty = ProfileFacts()
    call = build_script(request(Situation.WARM, Channel.CALL, profile=empty))
    assert call.text.startswith(f"Hi Ann, it's {PLACEHOLDER}.")
    email = build_script(request(Situation.WARM, Channel.EMAIL, profile=empty))
    assert email.text.endswith(f"\n{PLACEHOLDER}")
    named = build_script(request(Situation.WARM, Channel.EMAIL, profile=ProfileFacts("Sam Park")))
    assert named.text.endswith("\nSam Park") and "[" not in named.text
    signed = build_script(request(Situation.WARM, Channel.EMAIL))
    assert signed.text.endswith("\nSam Park\nsam@example.com")


def test_difficult_news_is_never_called_exciting_and_its_question_follows_from_it() -> None:
    for seed in range(30):
        for channel in Channel:
            script = build_script(
                request(Situation.WARM, channel, news=LAYOFFS, seed=f"seed-{seed}")
            )
            news = script.parts["news"]
            # Never quoted: "the news" (or the item's summary, below).
            assert "the news" in news.casefold() and "lays off" not in script.text
            assert not re.search(r"excit|great|congrat|glad|good news", news, re.IGNORECASE)
            assert script.parts["question"] in wording.QUESTIONS["difficult"]


def test_without_fresh_news_no_headline_is_quoted_and_the_line_stays_true() -> None:
    for seed in range(20):
        script = build_script(request(Situation.WARM, Channel.EMAIL, news=None, seed=str(seed)))
        assert script.parts["news"] == ""
        plain = wording.INTERESTS["plain"]["written"]
        assert script.parts["interest"] in [
            s.format(organization="Acme", organization_s="Acme's") for s in plain
        ]
        assert not re.search(r"follow|keep(ing)? (an eye|tabs|up)|closely", script.text, re.I)
        assert script.parts["question"] in wording.QUESTIONS["general_written"]
        assert "“" not in script.text


def test_a_long_headline_is_referred_to_not_read_out_whole() -> None:
    headline = (
        "Southwind announces a sweeping reorganization of its engineering and product groups "
        "across three continents after a difficult year for the logistics industry"
    )
    news = NewsFacts(id="n", headline=headline, noticed_on=date(2026, 3, 1))
    for channel in SPOKEN:
        script = build_script(request(Situation.WARM, channel, news=news))
        # Spoken: never in quotation marks, never cut with an ellipsis.
        assert "“" not in script.text and "…" not in script.text and "..." not in script.text
        assert "sweeping" not in script.text
    written = build_script(request(Situation.WARM, Channel.EMAIL, news=news))
    quoted = re.search(r"“([^”]*)”", written.text)
    assert quoted is not None and count_words(quoted.group(1)) <= 20
    clause = NewsFacts(
        id="c",
        headline="Acme opens Berlin office: what it means for " + "x " * 20,
        noticed_on=date(2026, 3, 1),
    )
    script = build_script(request(Situation.WARM, Channel.CALL, news=clause))
    assert "the news that Acme opens Berlin office" in script.text


def test_email_subjects_are_short_and_never_about_openings() -> None:
    for situation in Situation:
        for subject in wording.SUBJECTS[situation.value]:
            assert 1 <= count_words(subject) <= 8 and not ASKS_WORDS.search(subject)


def test_every_pool_holds_at_least_six_distinct_phrasings() -> None:
    pools: list[tuple[str, ...]] = []
    for by_key in (wording.PURPOSES, wording.INTERESTS, wording.NEWS):
        pools.extend(pool for families in by_key.values() for pool in families.values())
    pools.extend(wording.QUESTIONS.values())
    pools.extend(wording.SUBJECTS.values())
    pools.extend(wording.CLOSINGS.values())
    pools.append(wording.SIGN_OFFS)
    pools.extend((wording.GOOD_MOMENTS, wording.INTRODUCTIONS, wording.CALLBACKS))
    assert all(len(pool) >= 6 for pool in pools)
    every = [sentence for pool in pools for sentence in pool]
    assert len(every) == len(set(every)), "a sentence appears in two pools"


def test_same_request_same_script_and_render_variant_reproduces_it() -> None:
    for situation in Situation:
        for channel in Channel:
            script = build_script(request(situation, channel))
            assert build_script(request(situation, channel)) == script
            assert render_variant(script.variant, request(situation, channel)) == script
            assert len(script.variant) <= 64


@pytest.mark.parametrize(
    "variant", ["", "w-email-p1-i0-n2-q1-c0", "k2-zz-email-p0-i0-ng0-qg0-c0-s0", "k2-wm-fax-p0"]
)
def test_render_variant_refuses_what_it_did_not_write(variant: str) -> None:
    with pytest.raises(ValueError, match="unknown script variant"):
        render_variant(variant, request(Situation.WARM, Channel.EMAIL))


situations = st.sampled_from(list(Situation))
channels = st.sampled_from(list(Channel))
tones = st.sampled_from([None, *NewsTone])


@settings(max_examples=150, deadline=None)
@given(
    touches=st.lists(st.tuples(situations, channels, tones), min_size=1, max_size=10),
    organization=st.sampled_from(["Acme", "Globex Corporation", "Open Roles Inc", "Initech"]),
    role=st.sampled_from([None, "Staff Engineer", "Data Analyst position", "VP of Sales"]),
    name=st.sampled_from(["Ann Lee", "Dr. Ann Lee", "Prof. Bo Chen", "María José García"]),
)
def test_a_history_of_touches_never_repeats_a_sentence_and_always_passes_its_check(
    touches: list[tuple[Situation, Channel, NewsTone | None]],
    organization: str,
    role: str | None,
    name: str,
) -> None:
    earlier: list[str] = []
    said: list[set[str]] = []
    texts: list[str] = []
    for number, (situation, channel, tone) in enumerate(touches):
        news = None
        if tone is not None:
            headline = f"{organization} news item number {number}"
            news = NewsFacts(
                id=str(number), headline=headline, noticed_on=date(2026, 1, 1), tone=tone
            )
        script = build_script(
            request(
                situation,
                channel,
                organization_name=organization,
                role_applied=role,
                contact_name=name,
                news=news,
                earlier_variants=tuple(earlier),
                seed=f"org:{name}:{number}",
            )
        )
        result = check_script(
            channel=channel,
            text=script.text,
            organization_name=organization,
            previous_texts=texts[-3:],
        )
        assert result.ok, (script.text, result.warnings)
        assert "[" not in script.text  # the profile is complete: no placeholder
        if script.voicemail is not None:
            assert count_words(script.voicemail) <= WORD_LIMITS[Channel.VOICEMAIL]
        now = sentences(script)
        for before in said[-3:]:
            assert not now & before, f"repeated within four touches: {now & before}"
        earlier.append(script.variant)
        said.append(now)
        texts.append(script.text)


@pytest.mark.parametrize("name", ["Contoso, Inc.", "Yahoo!"])
@pytest.mark.parametrize("channel", list(Channel))
def test_a_name_that_ends_in_its_own_stop_is_never_followed_by_another(
    name: str, channel: Channel
) -> None:
    for situation in Situation:
        for seed in range(12):
            script = build_script(
                request(situation, channel, organization_name=name, seed=f"org:{seed}")
            )
            said = [script.text, script.subject or "", script.voicemail or ""]
            assert not any(f"{name}." in text for text in said), said
