"""Issue 14, round 4: kinds of wording the redaction missed, in the developer's own sentences
(fictional names and streets), each with sentences of the same shape that must stay as typed."""

from __future__ import annotations

import pytest

from cse_core.redaction import redact

PLACES = [
    # estates by their names, with a capital or after "the" ("a council estate" is a kind)
    ("the lads from Thornbeck estate sell to her", "the lads from [PLACE] estate sell to her"),
    ("she hangs around the marlowe estate at night", "she hangs around the [PLACE] estate at night"),
    ("he has a flat on the larches estate", "he has a flat on the [PLACE] estate"),
    ("they all live on the hesketh farm estate", "they all live on the [PLACE] estate"),
    ("men come and go at the Kelsall flats", "men come and go at the [PLACE] flats"),
    # a house number and a proper noun after any place word, "number 9 ..." whole
    ("he rents a room at 7 quarrendon", "he rents a room at [ADDRESS]"),
    ("the man lives at number 4 ellerbeck", "the man lives at [ADDRESS]"),
    ("at 11 brightfields, where the parties are", "at [ADDRESS], where the parties are"),
    # a listed village that is a street word too, after a street's name
    ("they drink at 16 tanfield croft on fridays", "they drink at [ADDRESS] on fridays"),
    # a block of flats by its name after "flat N"
    ("flat 9 morven house has men coming and going", "[ADDRESS] has men coming and going"),
    ("she is in apartment 3, quayside court", "she is in [ADDRESS]"),
    ("he stays at the Poplars with his uncle", "he stays at [ADDRESS] with his uncle"),
    # the second street of a corner
    ("on the corner of dunmore lane and ash road", "on the corner of [ADDRESS] and [ADDRESS]"),
    ("the car waits round the back of tanner street", "the car waits round the back of [ADDRESS]"),
    # a street after "lives" with or without a place word, after "the address is"
    ("he lives round kestrel road", "he lives round [ADDRESS]"),
    ("she lives marlowe road with her dad", "she lives [ADDRESS] with her dad"),
    ("the address is tanner street", "the address is [ADDRESS]"),
    # a postcode whose inward code ends like an ordinal ("4ST", "7TH"), in capitals or of the area
    ("the flat is near NE4 5ST", "the flat is near [POSTCODE]"),
    ("postcode dl3 7th", "postcode [POSTCODE]"),
    # schools: a capitalised or place-shaped name after going to or being at
    ("he goes to Kelmscott every day", "he goes to [SCHOOL] every day"),
    ("she's at Brantwood in year 8", "she's at [SCHOOL] in year 8"),
    ("his school is ashfield", "his school is [SCHOOL]"),
    ("her school's broomfield", "her school's [SCHOOL]"),
    ("he moved schools to hawkridge", "he moved schools to [SCHOOL]"),
    # schools: a name of ordinary words that ends like a place, sixth forms, misspelt kinds
    ("the senco at river view academy rang", "the senco at [SCHOOL] rang"),
    ("lads from the lindenwood academy wait by the gates", "lads from the [SCHOOL] wait by the gates"),
    ("she is in year 12 at Hallam Sixth Form", "she is in year 12 at [SCHOOL]"),
    ("he was moved to the Westgate PRU", "he was moved to the [SCHOOL]"),
    ("a boy from Marston acadamy", "a boy from [SCHOOL]"),
    ("the nurse at Larkspur secondary rang", "the nurse at [SCHOOL] rang"),
    ("she was moved from cherry tree high", "she was moved from [SCHOOL]"),
    ("Hollinside RC called me", "[SCHOOL] called me"),
    ("she is at Hollinside C of E", "she is at [SCHOOL]"),
    ("a letter from Hollinside Acad.", "a letter from [SCHOOL]."),
    ("an ex pupil of hollinside", "an ex pupil of [SCHOOL]"),
    # a school acting as a body ("have", not "has") or employing its staff; "Kings' Academy"; "@"
    ("Hartsdown have excluded him for a week", "[SCHOOL] have excluded him for a week"),
    ("i spoke to hartsdown's senco", "i spoke to [SCHOOL]'s senco"),
    ("she started at Queens' Academy", "she started at [SCHOOL]"),
    ("year 10 @ hartsdown", "year 10 @ [SCHOOL]"),
    # schools named after a saint or a faith
    ("she goes to St Thomas More", "she goes to [SCHOOL]"),
    ("he goes to Our Lady of Fatima", "he goes to [SCHOOL]"),
    ("she goes to holy rood", "she goes to [SCHOOL]"),
    # a compass word after a street; a house by its number alone
    ("her uncle is at 12 Elm Road West", "her uncle is at [ADDRESS]"),
    ("he lives on birch avenue east", "he lives on [ADDRESS]"),
    ("the lads hang round outside number 9", "the lads hang round outside [ADDRESS]"),
    ("no. 31 keeps having cars pull up", "[ADDRESS] keeps having cars pull up"),
]

NAMES = [
    # names: a surname that is a word, after a strong cue or before a person's verb
    ("name - lacey hill", "name - [NAME]"),
    ("a lad called jordan white picks her up", "a lad called [NAME] picks her up"),
    ("her friend keeley wood said the man has a car", "her friend [NAME] said the man has a car"),
    # names: an apostrophe left out, capitals in a message otherwise in lower case, brackets
    ("kaylees boyfriend is 23", "[NAME] boyfriend is 23"),
    ("Maddisons mum rang the school", "[NAME] mum rang the school"),
    ("i am so worried about BRONWEN JAMES she is out again", "i am so worried about [NAME] she is out again"),
    ("my niece (tilly) is 12", "my niece ([NAME]) is 12"),
    # names: after "surname", "first name"; a surname before "girl", "lad"; typed in mixed case
    ("Surname Ashworth, first name Kerys", "Surname [NAME], first name [NAME]"),
    ("the Ashworth girl was at the flat", "the [NAME] girl was at the flat"),
    ("Keira ashworth has a new phone", "[NAME] has a new phone"),
    ("keira Ashworth has a new phone", "[NAME] has a new phone"),
    ("kowalczyk's brother drives her about", "[NAME]'s brother drives her about"),
    # an unknown word opening a sentence before "has" and a person's verb
    ("Adaeze has told her teacher about the man", "[NAME] has told her teacher about the man"),
    # names that are also words: a modal before an age, speaking, owning, in a class, with "his mate"
    ("Will, 14, keeps going out at night", "[NAME], 14, keeps going out at night"),
    ("grace texted me last night about a man", "[NAME] texted me last night about a man"),
    ("sky's boyfriend picks her up from school", "[NAME]'s boyfriend picks her up from school"),
    ("ambers dad rang the school", "[NAME] dad rang the school"),
    ("we are worried about ivy in year 8", "we are worried about [NAME] in year 8"),
    ("holly and her sister tia were picked up", "[NAME] and her sister [NAME] were picked up"),
    ("the school rang after Amber was picked up by a man", "the school rang after [NAME] was picked up by a man"),
    # a given name between "that" and "lad"; a family's surname no word list knows
    ("she hangs round with that keegan lad", "she hangs round with that [NAME] lad"),
    ("the Pemberthwaites have moved in next door", "the [NAME] have moved in next door"),
]

DATES = [
    # dates of birth in words and run together
    ("dob 7th june 09", "dob [DATE]"),
    ("dob 7 june", "dob [DATE]"),
    ("dob 7.june.09", "dob [DATE]"),
    ("dob: 7th/6/2009", "dob: [DATE]"),
    ("dob 7june2009", "dob [DATE]"),
    ("born 7th of the 6th 2009", "born [DATE]"),
    ("born on 7th june, in 2009", "born on [DATE], in [DATE]"),
]

CASES = PLACES + NAMES + DATES

KEPT = [
    "she lives on a council estate",
    "is the estate a risk factor?",
    "an estate agent rang me",
    "she lives on the same estate as him",
    "the new estate has no youth club",
    "on the biggest estate in town",
    "they hang around the estate at night",
    "the derelict flats behind the station",
    "they use the council flats",
    "she goes to Childline for help",
    "she went to Tesco with them",
    "she has gone to Spain on holiday",
    "she went to Specsavers",
    "she goes to college",
    "she goes to Brownies",
    "at 3 pm she left",
    "from 13 onwards the risk rises",
    "at 16 she can consent",
    "she moved to 3 different schools",
    "the girls phone was taken",
    "her parents house is safe",
    "my friends mum helped",
    "I am REALLY worried about this",
    "what does CCE MEAN",
    "the police did an ABE interview with her",
    "she is in y10 5th set",
    "the school's safeguarding lead is off",
    "the school's Head of Year rang",
    "my kids school has been great",
    "kids skipping school is a sign",
    "the sixth form college",
    "Risk Level High",
    "the risk is secondary",
    "moving to secondary school",
    "what is extra-familial CE",
    "an RC school",
    "the C of E school",
    "the Information Sharing Form is online",
    "she is in sixth form",
    "what about boarding school pupils?",
    "she went to the car park",
    "talked to the lady next door",
    "she went to holy communion",
    "Childline have said they will call back",
    "social care have rung me twice",
    "the school's senco is off",
    "a girl called for help",
    "Black children are over-represented in exclusions",
    "a Black girl was stopped by police",
    "a Congolese boy was trafficked",
    "a teddy was left on the step for her",
    "a teddy has gone from her room",
    "The Council has said it will help",
    "he called her names",
    "dob is on the form",
    "we meet on the 3rd of the month",
    "3 of the 5 boys were there",
    "Childline is 0800 1111",
    "their faith told them to forgive",
    "the summer went so fast",
    "there is hope and her mum agrees",
    "we are worried about summer in the holidays",
    "ask the DSLs and the PCSOs",
    "Number 5 is the key point",
    "question number 4 asks about consent",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_wording(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_kept(text):
    assert redact(text) == text
