"""Issue 12, second round: threats, moved/taken and planned harm said in more ways, long
messages that open with a question or a habit and then say what is happening now, and the
false alarms that came from "taken off" and from carers' ordinary plans.

All wording here is written for these tests (never the blind sets'). Each family has
negatives of the kind that must stay quiet, and the typed form answers never alarm. The new
patterns' linear time is tested with the others in test_rule_families.py.
"""

from __future__ import annotations

import pytest

from cse_core.safety import DISCLOSURE, EMERGENCY, check

THREATS = [
    "a man has got my son's videos and is threatening to post them unless he pays",
    "someone online has pictures of my daughter and says they'll put them on instagram unless she sends more",
    "a stranger has a clip of my nephew and says he'll send it to his whole school unless he pays £300",
    "they've threatened to set fire to our house because my son owes them",
    "the men who want my brother's money are threatening to torch our car",
    "my son got a message saying he's going to get shanked when he leaves school",
    "some lads have told my daughter she'll regret it if she talks to anyone",
    "they've said they'll do my son in if he doesn't deliver the bag",
    "someone posted that my son is getting jumped after school today",
    "my daughter's ex says he'll ruin her life and post her pictures if she doesn't take him back",
    "the dealer has threatened my son's little sister",
    "he told my daughter she'll be sorry if she doesn't meet him",
    "my son is being threatened by older lads who say he owes them £500",
    "a man is threatening my daughter online saying he'll find her",
]
MOVED = [
    "he's been sent to sell in a town he doesn't know",
    "he said he'd drive me home but we're on the motorway now going the wrong way",
    "he's driving me somewhere and won't tell me where, i'm 14",
    "i got in his van cos he said hed drop me home but now were miles away",
    "he offered to drop me home but now we're miles out of town and he won't stop",
    "from the cafe window I just saw a boy of about 12 get shoved into the back of a silver van by a man",
]
PLANNED = [
    "he's told my son to be at the bus station at 6 with a bag",
    "the men said they'll come for her after school",
    "he's picking me up at midnight and says i can't tell anyone",
    "I usually just read the guidance for work but tonight my 14 year old has gone to meet a man "
    "in his 30s and isn't answering, what should I do?",
]
SCENES = [
    "there's a girl of about 12 sitting in a car with three men in the car park and she looks off her face",
    "shop worker here, a man keeps buying cans for a group of girls in school uniform outside right now",
    "my daughter is going to stay the weekend with a man she met online",
    "they've put her on a train to london with a man",
    "my daughter's been in a car with men for hours and they're driving around",
    "my 13 year old came home stoned and says the men in the park gave her pills and want her back tonight",
    "a man has said he'll share my girl's nudes with everyone at her school",
    "a man is waiting for my son at the end of the road and says he owes him",
    "they said if she doesn't come to the party they'll send her pictures to everyone",
    "a man in a van keeps following my daughter home from school and he's outside now",
    "my son's friend says my son is in a car boot",
    "my daughter is in a video he's sharing and he's holding her at his flat",
    "my son got dragged into a car by two men",
    "he's got a knife and he's outside",
    "she's being kept in a flat by older men",
    "she's going to a hotel with a 30 year old man this weekend",
    "urgent: my daughter is being held in a flat by men",
]
GROUPS_NOW = [
    "the man next door keeps giving the girls from the estate drink, there are three of them up there "
    "now, should I ring someone?",
    "Sorry it's long. I'm a scout leader, we meet on a Monday and normally it's fine, I was going to ask "
    "about the referral process for a girl we're worried about generally, but tonight two of our girls "
    "(12 and 14) have arrived really drunk and said a man at the shops gave them the drink and they're "
    "going back to him after we finish. What should we do?",
    "the man next door keeps giving the boys from our street vodka, there are four of them in his flat now",
]
LONG_TURN = [
    "sorry if this is the wrong place, I'm an aunt and I have my nephew most weekends, I came on to "
    "read about the warning signs because I've been concerned about some older boys he knows, but he "
    "hasn't come home tonight and it's been six hours and his phone is switched off. Do I wait or "
    "ring someone?",
]
CHILD = [
    "they said they'd come to my house and hurt my family if i talk",
    "on saturdays i get driven to a flat and made to have sex with his friends",
    "a guy on a game is asking me and my mate (we're both 13) for pics",
    "this man keeps asking me and my cousin for nudes",
]
QUIET = [
    # removed from something, not taken away
    "my daughter got taken off the bus for not having a ticket",
    "my son was taken off the team for missing training",
    "she's been taken off her medication by the gp",
    # carers' plans and ordinary sending of photos
    "my mum said she'll come for me after school",
    "my dad will get me at 5",
    "he said he'd take me home and he did",
    "children are often groomed online and they're going to meet men later",
    "my students are lovely and they're going to a party tonight at a friend's house",
    "how do gangs recruit children, what should I do?",
    "there's a girl in my class who is sitting with her nan at lunch",
    "there are some kids sitting in the park with their parents",
    "she came home and she's fine now",
    "we're going to stay with my sister for the weekend",
    "my daughter has been at a friend's house all day",
    "she's been in a car with men before, last year",
    "my daughter is at a car boot sale with her nan",
    "my dad's outside now to pick me up",
    "he's outside now, can I go?",
    "what if he posts her pictures?",
    "the taxi man is waiting for my son outside school as booked",
    # sanctions, warnings and ordinary futures
    "the school threatened my son with exclusion",
    "I warned my daughter about men online",
    "my mum said she'll be sorry she missed the party",
    "his teacher warned him to stop messing about",
    "my son will regret not revising",
    "she'll pay for the tickets tomorrow",
    "my son is going to get done for speeding lol",
    "what if someone threatens my child?",
    "last year a boy threatened my son at school",
    # everyday plans, sanctions and cutlery
    "my daughter's going to a hotel for a swimming gala this weekend with the club",
    "my daughter hasn't come home yet but she's at drama club until 8",
    "my son got dragged into an argument at school today",
    "he's got a knife and fork in his lunchbox lol",
    "my daughter's been kept in at break for talking",
    # over: the abuser sentenced, the child in a better place
    "my son used to be given drugs by men at the park, he's in a better place now",
    "the man who took my daughter to a hotel was sentenced today",
    # training texts after a colon
    "slide 4 reads: a 14 year old has been missing since friday and her phone is off",
    "exam question: a boy is being given drugs by men at a flat tonight. Discuss.",
    # stories from films, soaps and training material
    "the training video shows a boy being dragged into a van",
    "in the soap last night a teenager was kidnapped and held in a flat",
    "the school has the photos from the trip and says they'll send them home tomorrow",
    "my daughter's photos from the party are lovely, her friend will send them to me later",
    "the teacher asked me and my friend for photos of our project",
    "my dad's driving us somewhere for my birthday and won't tell me where",
    "we're going the wrong way, the satnav is rubbish",
    # children in general, questions
    "in the guidance, why are the girls given vodka by the men?",
    "gangs give children drugs and take them to flats",
    "what should I do if a child goes missing, but tonight I just want to read",
    "what are the signs of grooming, but I need the answer quickly",
    "if a girl is held at a flat, but the police are there now, who do I call?",
]
FORM_ANSWERS = ["high", "14", "no", "she's got a social worker", "year 9", "skip", "medium", "yes",
                "she's 14", "low risk"]


@pytest.mark.parametrize("text", THREATS + MOVED + PLANNED + SCENES + GROUPS_NOW + LONG_TURN)
def test_adult_or_child_reports_danger(text: str) -> None:
    assert check(text).kind == EMERGENCY, text


@pytest.mark.parametrize("text", CHILD)
def test_child_disclosing(text: str) -> None:
    assert check(text).kind == DISCLOSURE, text


@pytest.mark.parametrize("text", QUIET + FORM_ANSWERS)
def test_stays_quiet(text: str) -> None:
    assert check(text).kind is None, (text, check(text))

