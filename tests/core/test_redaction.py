"""Identifier redaction (issue 5): what is replaced, and what must stay as typed."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cse_core import redaction
from cse_core.redaction import redact

# (message, exactly what is stored)
REDACTED = [
    # several identifiers in one message
    ("My daughter Chloe Smith (14) goes to Hurworth School and lives at 12 Elm Road, DL2 2AB; ring me on "
     "07700 900123 or chloe.smith@example.com",
     "My daughter [NAME] (14) goes to [SCHOOL] and lives at [ADDRESS], [POSTCODE]; ring me on [PHONE] or [EMAIL]"),
    ("Her name is Chloe Smith and she was born on 03/04/2011.", "Her name is [NAME] and she was born on [DATE]."),
    ("I'm Sarah, Chloe's mum, you can reach me on 01325 380651",
     "I'm [NAME], [NAME]'s mum, you can reach me on [PHONE]"),
    ("her dob is 3rd of april 2011 and she lives in flat 2", "her dob is [DATE] and she lives in [ADDRESS]"),
    ("Our address is 12 Elm Road, Darlington DL1 5QT", "Our address is [ADDRESS], Darlington [POSTCODE]"),
    ("Yesterday Amy went to Stockton with Jayden", "Yesterday [NAME] went to Stockton with [NAME]"),
    # lower-case text-speak
    ("her names jess she lives on cleveland st", "her names [NAME] she lives on [ADDRESS]"),
    ("her name is chloe smith", "her name is [NAME]"),
    ("my daughter chloe is 14 and goes to hurworth school", "my daughter [NAME] is 14 and goes to [SCHOOL]"),
    ("shes called amber shes 13", "shes called [NAME] shes 13"),
    ("her bf is called jayden and hes 19", "her bf is called [NAME] and hes 19"),
    ("my sons mate tyler keeps giving him weed", "my sons mate [NAME] keeps giving him weed"),
    ("i think jess is 14", "i think [NAME] is 14"),
    ("im sarah her mum", "im [NAME] her mum"),
    ("mr smith is her teacher", "mr [NAME] is her teacher"),
    ("she lives at 45a station road darlington", "she lives at [ADDRESS] darlington"),
    ("i saw chloe smith at the park", "i saw [NAME] at the park"),
    ("me and jess went to the flat", "me and [NAME] went to the flat"),
    # shouting, odd spacing
    ("PLEASE HELP MY DAUGHTER JESS IS MISSING", "PLEASE HELP MY DAUGHTER [NAME] IS MISSING"),
    ("my son  Kyle is   14", "my son  [NAME] is   14"),
    # names after a cue
    ("his name's Jayden O'Neill, he's 15", "his name's [NAME], he's 15"),
    ("her name is Hope", "her name is [NAME]"),
    ("my niece Amy-Leigh Jones is being groomed", "my niece [NAME] is being groomed"),
    ("my son Kyle keeps going missing", "my son [NAME] keeps going missing"),
    ("a girl called Mia has been sending pictures", "a girl called [NAME] has been sending pictures"),
    ("a boy named Tyler is 14", "a boy named [NAME] is 14"),
    ("She's been seeing a man called Dave who's 35", "She's been seeing a man called [NAME] who's 35"),
    ("a man known as Big Mo picks her up", "a man known as [NAME] picks her up"),
    ("Chloe is 14 and her boyfriend is 19", "[NAME] is 14 and her boyfriend is 19"),
    ("Jayden (15) was found at a flat", "[NAME] (15) was found at a flat"),
    ("Chloe, 14, from Darlington", "[NAME], 14, from Darlington"),
    ("this is Emma from the school", "this is [NAME] from the school"),
    ("pupil Reece has been truanting", "pupil [NAME] has been truanting"),
    ("young person Leah disclosed abuse", "young person [NAME] disclosed abuse"),
    ("Mrs Patel the head teacher called me", "Mrs [NAME] the head teacher called me"),
    ("Mr. Brown is her teacher", "Mr. [NAME] is her teacher"),
    ("The Designated CSE Worker, Ms Patel, is off", "The Designated CSE Worker, Ms [NAME], is off"),
    ("Dr Khan saw her at the clinic", "Dr [NAME] saw her at the clinic"),
    ("Jess from Early Help said to ring you", "[NAME] from Early Help said to ring you"),
    ("she went to a party at Kayden's house", "she went to a party at [NAME]'s house"),
    ("Chloe and Jess were picked up by older men", "[NAME] and [NAME] were picked up by older men"),
    ("Hi Chloe", "Hi [NAME]"),
    ("I'm Sarah from Barnardo's", "I'm [NAME] from Barnardo's"),
    ("she calls him Big Al", "she calls him [NAME]"),
    ("Her social worker is Gemma Thompson", "Her social worker is [NAME]"),
    ("Zara and Keira have both been given phones", "[NAME] and [NAME] have both been given phones"),
    ("Ellie-Mae's phone keeps buzzing at night", "[NAME]'s phone keeps buzzing at night"),
    # capitalised pairs
    ("Yesterday Chloe Smith went missing again", "Yesterday [NAME] went missing again"),
    ("Kaydence Smith went missing from Skerne Park", "[NAME] went missing from [PLACE]"),
    ("she's friends with Liam Brown", "she's friends with [NAME]"),
    ("Her boyfriend Kayden Walker picks her up", "Her boyfriend [NAME] picks her up"),
    ("Tommy-Lee Walker and his mates", "[NAME] and his mates"),
    # dates
    ("She was born 3rd April 2011", "She was born [DATE]"),
    ("he was born on April 3rd, 2011", "he was born on [DATE]"),
    ("dob 2011-04-03", "dob [DATE]"),
    ("born in 2011", "born in [DATE]"),
    ("she was born in March 2011", "she was born in [DATE]"),
    ("Her DOB is 03.04.2011", "Her DOB is [DATE]"),
    ("she turns 14 on 3 May", "she turns 14 on [DATE]"),
    ("the meeting is on Monday 3rd June", "the meeting is on Monday [DATE]"),
    # addresses and postcodes
    ("she lives at flat 3, 45 Victoria Street", "she lives at [ADDRESS]"),
    ("she stays at number 7 on Cleveland Terrace", "she stays at [ADDRESS]"),
    ("they hang around Victoria Road after school", "they hang around [ADDRESS] after school"),
    ("postcode dl3 6aa", "postcode [POSTCODE]"),
    ("DL15QT is her postcode", "[POSTCODE] is her postcode"),
    # phones, e-mails, handles
    ("call +44 7700 900123 anytime", "call [PHONE] anytime"),
    ("my number is 07700900123", "my number is [PHONE]"),
    ("Text her on 07700-900-123", "Text her on [PHONE]"),
    ("her number is 0 7 7 0 0 9 0 0 1 2 3", "her number is [PHONE]"),
    ("email me at sarah.jones@gmail.com", "email me at [EMAIL]"),
    ("her snapchat is chloe_x123", "her snapchat is [HANDLE]"),
    # schools
    ("She goes to St Aidan's Academy", "She goes to [SCHOOL]"),
    ("he is at Carmel College now", "he is at [SCHOOL] now"),
    ("she used to go to Polam Hall", "she used to go to [SCHOOL]"),
    ("Whinfield Primary School rang me", "[SCHOOL] rang me"),
    ("she's in year 9 at Hummersknott Academy", "she's in year 9 at [SCHOOL]"),
]

# Messages with no identifier: they are stored exactly as typed.
UNCHANGED = [
    # guidance terms
    "What does Durham Constabulary do?",
    "How do I contact the Children's Access Point?",
    "What is Darlington Safeguarding Partnership?",
    "Is this Early Help or First Response?",
    "When does the Children and Families Assessment Team get involved?",
    "What is the Missing and Exploited Group (MEG)?",
    "What does MESA do and how does it link to the MEG?",
    "Should I call CAP or do an EHA?",
    "What is CSE?",
    "Who is the Designated CSE worker?",
    "What does Working Together say?",
    "Is this Stockholm Syndrome?",
    "Barnardo's, NSPCC, Childline, PACE UK, Think U Know, Safe and Sound and Stop it Now all have advice",
    "Does Social Care need to know?",
    "Should I ring the Police?",
    "Will Social Care contact me?",
    "Who chairs the meeting? A Safeguarding Lead from Durham Constabulary",
    # indicators, typed in any case
    "Running away is one of the indicators",
    "Coercion / control",
    "Sexual health and relationships",
    "What is Emotional Health about?",
    "Is Sexualised Risk Taking an indicator?",
    "Engagement With Services",
    # places, weekdays and months used alone
    "We live in Darlington.",
    "She went to Middlesbrough on Monday",
    "She's been going to Newton Aycliffe with older men",
    "It started last March",
    "in June she started staying out",
    "DfE guidance (Feb 2017)",
    # ordinary capitals, ages and numbers
    "Hello, I am worried about a girl in my class",
    "Please help",
    "Yesterday she came home drunk",
    "I'm worried about my daughter",
    "she's 14",
    "he is a 14 year old boy",
    "my daughter has been going missing",
    "she got called names at school",
    "I called the police and Childline",
    "Mark my words",
    "she will miss school",
    "What do I do in Process Map 1?",
    "Section 2.2 says to contact CAP within 24 hours",
    "she was away 3-4 days",
    "she uses Snapchat and TikTok",
    "i use google maps to track her",
    "eastern european men keep following her",
    "she goes to sunday school",
    "she left school last year",
    "WHAT DOES THE MEG DO",
    # public service numbers and addresses
    "Call 999 if she is in danger",
    "Ring 101 or Childline on 0800 1111",
    "Email childrensaccesspoint@darlington.gov.uk or DSP@darlington.gov.uk",
    "The CAP number is 01325 406222",
]

CASES = REDACTED + [(text, text) for text in UNCHANGED]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_redact(text, expected):
    assert redact(text) == expected


def test_the_table_is_big_enough():
    assert len(CASES) >= 60 and len(UNCHANGED) >= 20


@pytest.mark.parametrize(("text", "expected"), REDACTED[:10])
def test_redacting_twice_changes_nothing(text, expected):
    assert redact(expected) == expected


@pytest.mark.parametrize("text", ["", "   ", "\n", "?"])
def test_empty_or_blank_text(text):
    assert redact(text) == text


def test_public_contacts_in_knowledge_are_kept(k):
    """Every phone number and e-mail address the assistant itself gives stays."""
    values = [str(c[f]) for c in k.contacts.values() for f in ("phone", "email") if c.get(f)]
    assert values
    for value in values:
        assert redact(f"is {value} the right one?") == f"is {value} the right one?"


def test_the_guidance_is_left_alone():
    """Its own text has no identifier: not one word of it is redacted."""
    root = Path(__file__).resolve().parents[2]
    paths = [base / "shared/guidance/cse-procedure-and-practice-guidance.txt" for base in (root, root.parent, root.parent.parent)]
    path = next((p for p in paths if p.exists()), None)
    if path is None:
        pytest.skip("guidance text not available")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [line for line in lines if redact(line) != line] == []


def test_does_not_import_rasa():
    tree = ast.parse(Path(redaction.__file__).read_text(encoding="utf-8"))
    modules = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    modules += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in modules if m.split(".")[0] == "rasa"]
