"""Issue 12, item 1: the rule families added for what the safety check used to miss.

Each family has positives written for development (never the blind sets' wording) and
negatives of the kinds that must stay quiet: past events, hypotheticals, guidance questions,
ordinary plans and typed screening answers. The same check runs inside a pre-screen, so a
described event is caught there too and an answer stays an answer.
"""

from __future__ import annotations

import time

import pytest

from cse_core.safety import DISCLOSURE, EMERGENCY, check

PLANNED = [
    "the man from her phone is collecting her after school and she's only 13",
    "my niece is meeting him at the bus station later, he's 27",
    "she's heading to his flat tonight, he's a grown man",
    "he'll pick her up at 9 and drive her somewhere, she doesn't know him",
    "my son is on his way to meet a bloke he talks to on a game",
    "they've arranged to collect my daughter on saturday night, they are men in their 30s",
    "she has to go to the trap house tonight to pay off what she owes",
    "she's been told to meet the men at the car park after school",
    "a 40 year old is going to meet my stepdaughter this weekend",
    "some older guys are parked outside school waiting for her",
]
MOVED = [
    "they're moving my daughter to another town tonight",
    "the gang are driving my son out to a different city",
    "he's taking her to a hotel with two men",
    "my foster child is being moved to an address I don't know by some men",
]
SUPPLYING = [
    "the men at the flat are plying my 14 year old with vodka",
    "they're getting her drunk at a house party full of adults",
    "he's giving my son ketamine right now",
    "some blokes are feeding her pills at the park",
]
THREATS_AND_IMAGES = [
    "he told my daughter he will stab her if she tells anyone",
    "a man online is demanding that she sends him naked photos",
    "he's pressuring my son to strip on camera",
    "someone is blackmailing my daughter for more pictures",
    "her ex says he'll post her photos unless she meets him",
]
MOVED_MORE = [  # passive and past forms, by whom, where and when
    "my niece has been driven off by a man in a white van",
    "they took my son from the park twenty minutes ago",
    "she's been sent to a city she doesn't know to deal for them",
    "my 13 year old has been picked up by a car full of grown men",
    "a little girl is being led into the hotel by an old man",
    "he's got to do a drop for them tonight",
]
THREATS_MORE = [
    "he says he'll smash my son's face in if he talks to the police",
    "they've threatened to petrol bomb our house if my lad doesn't pay them",
    "my daughter has been told she'll get jumped if she doesn't turn up at the flat",
    "my son (15) got bundled into a car by the lads he owes",
    "my daughter came home bleeding and says a man attacked her",
    "the man next door is pulling a young girl by her hair",
    "they told him if he doesn't hand the money over by sunday they'll shoot him",
    "the older boys said my son is a dead man",
    "her dealer says her family will get hurt if she grasses",
    "he's got until the weekend to pay them or they'll find him",
    "a man is blackmailing my 13 year old and wants money",
]
CHILD_IMAGES = [
    "a guy on a game keeps asking me for pics, im 12",
    "he said send one or else, i'm 13",
    "he wants a video of me doing things and won't stop messaging",
    "my coach has been kissing me after training",
]
CHILD_PLANNED = [  # a child telling about a plan made for them
    "they're picking me up after school and i don't want to go",
    "my boyfriend is 26 and he's taking me to a hotel tonight",
    "im going to his mates flat later cos i have to, they're all old men",
]
CHILD_DISCLOSING = [
    "i think this is happening to me",
    "everything you said is what he does to me",
    "i'm 15 and a man keeps asking me for pics",
    "he is demanding me for photos every night",
]
QUIET = [
    # ordinary plans and carers
    "her dad is collecting her after school",
    "we're meeting the police tomorrow about the men who exploited her",
    "my daughter is going to a sleepover at her friend's house tonight",
    "the social worker is taking him to his new placement this afternoon",
    "i'll be picking my son up from the party later",
    "she's seeing her boyfriend tonight, he's 15",
    "the nurse is giving her painkillers",
    "i'm visiting her at school tomorrow to talk about the men",
    "i'm seeing a 14 year old tomorrow who was exploited by older men",
    "a 19 year old lad is taking my 17 year old to the cinema tonight",
    # past and resolved
    "last year men were picking her up in cars after school",
    "she used to be taken to hotels by older men, she's safe now",
    "he was giving her weed at parties last summer",
    "it happened to me when i was a teenager and now i'm a youth worker",
    # hypotheticals and guidance questions
    "what should I do if adults are picking a child up from school?",
    "how do gangs move children between towns?",
    "what if a man asks my child for pictures?",
    "what should I say if a child tells me it's happening to them?",
    "is it a warning sign if she's meeting older men?",
    "i'm worried someone is asking her for nudes online, what are the signs?",
    # typed screening answers
    "she goes to his flat at weekends, high",
    'in the training video a girl says "he took me to a flat and made me have sex" - is there a quiz?',
    "my daughter has been taken to hospital by ambulance after a fall",
    "she was picked up by her dad after school",
    "he's been sent to his room for swearing",
    "my friend keeps asking me for pics of my new puppy",
    "what if a gang tells a child they'll hurt him unless he carries drugs?",
    "i know where he lives, he's at his mum's",
    "older boys sometimes give her weed, medium",
    "he picks her up from school sometimes, medium",
    "high",
    "14",
    "no",
    "year 9",
    "she's got a social worker",
    "skip",
]


@pytest.mark.parametrize("text", PLANNED + MOVED + MOVED_MORE + SUPPLYING + THREATS_AND_IMAGES + THREATS_MORE)
def test_adult_reports_danger_now_or_about_to_happen(text: str) -> None:
    assert check(text).kind == EMERGENCY, check(text)


@pytest.mark.parametrize("text", CHILD_PLANNED)
def test_child_told_of_a_plan_is_caught(text: str) -> None:
    assert check(text).kind in (EMERGENCY, DISCLOSURE), check(text)


@pytest.mark.parametrize("text", CHILD_DISCLOSING + CHILD_IMAGES)
def test_child_saying_it_happens_to_them(text: str) -> None:
    assert check(text).kind == DISCLOSURE, check(text)


@pytest.mark.parametrize("text", QUIET)
def test_plans_past_events_questions_and_answers_stay_quiet(text: str) -> None:
    assert check(text).kind is None, check(text)


@pytest.mark.parametrize("fragment", [
    "he is picking her up later and taking her to a flat with men ",
    "keeps demanding keeps asking her for pictures ",
    "they are giving her vodka and weed and pills ",
    # second round (tests/safety/test_round2.py)
    "he's driving me ", "asking me and my mate ", "threatening to post them ", "but tonight ",
    "taken off the bus ",
])
def test_new_rules_stay_linear(fragment: str) -> None:
    """Many optional tokens in a pattern must not make long messages slow (cut at 4,000)."""
    check("warm up")

    def took(n: int) -> float:  # the best of three: the machine is shared
        text = fragment * n
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            check(text)
            best = min(best, time.perf_counter() - start)
        return best

    short, long = took(15), took(60)
    assert long < 2.0
    assert long < 4 * short * 3 + 0.1  # about 4x the text, far from quadratic (16x)
