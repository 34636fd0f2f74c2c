"""Rules added after the blind privacy measure (issue 14, item 5). Own wording, with the
sentences that must stay as typed next to each rule."""

from __future__ import annotations

import pytest

from cse_core.redaction import redact

CASES = [
    # a surname in the plural after "the"
    ("we think she stays with the Gallaghers at weekends", "we think she stays with the [NAME] at weekends"),
    ("the Atkinsons next door keep lads over", "the [NAME] next door keep lads over"),
    # a word no word list knows, opening a sentence, before a person's verb
    ("Oluwaseun keeps going missing from home", "[NAME] keeps going missing from home"),
    # a given name that is also a word, with an age
    ("Precious is 13 and has a new phone", "[NAME] is 13 and has a new phone"),
    # a given name joined to a name already found
    ("she's friends with ruby and ella from her class", "she's friends with [NAME] and [NAME] from her class"),
    # a word run into digits is a username
    ("he goes by dreamboy99 on snap", "he goes by [HANDLE] on snap"),
    ("an account called Princess2009 added her", "an account called [HANDLE] added her"),
    ("on discord he's shadowking#1234", "on discord he's [HANDLE]"),
    ("his discord is shadowking#1234", "his discord is [HANDLE]"),
    # a handle before the app it is on; after "user is"
    ("she's 'lil_mo' on snap", "she's '[HANDLE]' on snap"),
    ("he is dazza.k on insta", "he is [HANDLE] on insta"),
    ("his user is k1ngpin", "his user is [HANDLE]"),
    # a school after "attends", "year 9 at", "a pupil at", "excluded from"
    ("she is in year 9 at Eastbrook and hates it", "she is in year 9 at [SCHOOL] and hates it"),
    ("a teacher at Northbeck rang me", "a teacher at [SCHOOL] rang me"),
    ("he was excluded from Thornleigh in March", "he was excluded from [SCHOOL] in March"),
    ("my son attends Rydal", "my son attends [SCHOOL]"),
    ("she attends Brackenwood every day", "she attends [SCHOOL] every day"),
    # National Insurance numbers: any suffix letter after "NI number", a whole message in capitals
    ("her ni number is tn 31 12 58 f", "her ni number is [NI_NUMBER]"),
    ("NI AB 12 34 56 C", "NI [NI_NUMBER]"),
    ("QQ123456C is on the form", "[NI_NUMBER] is on the form"),
    # dates of birth as people type them after a birth word
    ("her DOB 21 06 2010 is on the form", "her DOB [DATE] is on the form"),
    ("dob 21062010", "dob [DATE]"),
    ("his birthday: 21/06, he'll be 15", "his birthday: [DATE], he'll be 15"),
    ("she was born 21st June '10", "she was born [DATE]"),
    ("she was born in '10", "she was born in [DATE]"),
    ("d.o.b 21-Jun-2010", "d.o.b [DATE]"),
    ("born on 21 Jun 10", "born on [DATE]"),
    ("she was born at home in Leeds on 21 06 2010", "she was born at home in Leeds on [DATE]"),
    ("dob09/11/2011 on the form", "dob[DATE] on the form"),
    ("dob 11/9/2011 (American form)", "dob [DATE] (American form)"),
    ("she was born in the year 2011", "she was born in the year [DATE]"),
    ("dob: 9-nov-11", "dob: [DATE]"),
    # street words people use for newer streets
    ("Flat 2, 9 Riverside Approach", "[ADDRESS]"),
    ("she's at 4 Kingfisher Heights", "she's at [ADDRESS]"),
    # round 1 of the blind dev split: the rules, in other words
    ("the d o b on file is 02 09 09 i think", "the d o b on file is [DATE] i think"),
    ("kai 02.09.09 hasn't been seen", "[NAME] [DATE] hasn't been seen"),
    ("her ni tz 98 76 54 d is on the letter", "her ni [NI_NUMBER] is on the letter"),
    ("nr15xwp is the reg he uses", "[PLATE] is the reg he uses"),
    ("mk71 vbn grey vauxhall outside the shop", "[PLATE] grey vauxhall outside the shop"),
    ("they wait outside eastbrook high at 3", "they wait outside [SCHOOL] at 3"),
    ("he told her to add him kaz.xo99 tonight", "he told her to add him [HANDLE] tonight"),
    ("she added him as lilrichy", "she added him as [HANDLE]"),
    ("tyler 13 has gone again", "[NAME] 13 has gone again"),
    ("his email is deano 1998@yahoo.com", "his email is [EMAIL]"),
    ("reach her on kazzab@hotmail", "reach her on [EMAIL]"),
    # postcodes: a district of the area's own postcode areas (knowledge/locality.yml) alone,
    # any district after "postcode", a hyphen inside
    ("they moved somewhere in DL2 last year", "they moved somewhere in [POSTCODE] last year"),
    ("post code ts5 4st i think", "post code [POSTCODE] i think"),
    ("her postcode is NE4 7DU", "her postcode is [POSTCODE]"),
    ("DL2-3JT", "[POSTCODE]"),
    # a profile link read out in words
    ("his profile is tiktok dot com slash at dazzer.k", "his profile is [URL]"),
    # a house number before "The ..."
    ("she stays at 8 The Meadows now", "she stays at [ADDRESS] now"),
    # addresses: a saint's street, a lower-case house name after "lives at"
    ("she's staying at 21 St Oswald's Way", "she's staying at [ADDRESS]"),
    ("we moved to 6 Saint Hilda's Close", "we moved to [ADDRESS]"),
    ("he lives at 30 brackenbury with his mum", "he lives at [ADDRESS] with his mum"),
    ("they drove her to 9 Ravensworth late at night", "they drove her to [ADDRESS] late at night"),
    ("his flat is at 2a Branksdale", "his flat is at [ADDRESS]"),
    # a nickname whole
    ("a lad they call Big Tommo drives her", "a lad they call [NAME] drives her"),
    # schools: "comp", a school named after a hill
    ("she's at brackley comp", "she's at [SCHOOL]"),
    ("a pupil at Cedar Hill Academy", "a pupil at [SCHOOL]"),
    # links with a path on any site, and profiles on their own host
    ("his page vsco.co/dazz.k", "his page [URL]"),
    ("she posts on jessxo.tumblr.com", "she posts on [URL]"),
    ("send to cash.app/$kazb", "send to [URL]"),
    # a school named after "her school is", "school:", "the school (...)"
    ("her school is brackenhill i think", "her school is [SCHOOL] i think"),
    ("School: Fernbrook, year 8", "School: [SCHOOL], year 8"),
    ("the school (Fernbrook) rang me", "the school ([SCHOOL]) rang me"),
    # lower-case streets after a place word; kinds of road stay
    ("they meet at ash avenue after dark", "they meet at [ADDRESS] after dark"),
    ("seen near mill street again", "seen near [ADDRESS] again"),
    # abbreviated street words after a house number
    ("she is at 4 Hazel Cl tonight", "she is at [ADDRESS] tonight"),
    ("flat 2, 15 Albion Sq", "[ADDRESS]"),
    # a listed school takes the kind words typed after it
    ("Rydal Academy School phoned", "[SCHOOL] phoned"),
    # round 3, own probes: a given name that is also a word after "called", at the end
    ("she gets lifts from a lad called dev", "she gets lifts from a lad called [NAME]"),
    ("she is friends with a girl called precious", "she is friends with a girl called [NAME]"),
    # both halves of a lower-case double name; a lower-case surname before "brothers"
    ("can i refer demi-leigh myself?", "can i refer [NAME] myself?"),
    ("she hangs around with the mccarthy brothers", "she hangs around with the [NAME] brothers"),
    # streets: "the corner of", "on the ... street flats", a stop word as the street's name
    ("he took her to a flat on the corner of pease street", "he took her to a flat on the corner of [ADDRESS]"),
    ("he lives on the thompson street flats", "he lives on the [ADDRESS] flats"),
    ("number 47, front street, sadberge", "number [ADDRESS], [PLACE]"),
    ("the house is on harewood hill", "the house is on [ADDRESS]"),
    # house names after "lives at", "address is"; a house number before "the ..."
    ("he lives at west farm, near the village", "he lives at [ADDRESS], near the village"),
    ("he lives at Orchard House with his dad", "he lives at [ADDRESS] with his dad"),
    ("she's living at 2 the oval now", "she's living at [ADDRESS] now"),
    # a listed school without its kind words
    ("he goes to northwood", "he goes to [SCHOOL]"),
    ("he goes to marchbank", "he goes to [SCHOOL]"),
    # given names the word table calls words ("dawid") or never saw ("kacper"); names that are words
    ("kacper has new trainers and money", "[NAME] has new trainers and money"),
    ("Dawid won't talk to me", "[NAME] won't talk to me"),
    ("Nicu and Florin were picked up", "[NAME] and [NAME] were picked up"),
    ("Precious went missing on friday", "[NAME] went missing on friday"),
    ("Blessing told her teacher", "[NAME] told her teacher"),
    ("she's been seeing someone, he's called ash", "she's been seeing someone, he's called [NAME]"),
    # a lower-case street word after "number the"; a village with "St" in it is no street
    ("he's at 31 the crescent", "he's at [ADDRESS]"),
    ("he's at the academy in middleton st george", "he's at the academy in [PLACE]"),
    # schools: a saint after "her school is"; an unknown lower-case word after going to
    ("her school is st cuthberts", "her school is [SCHOOL]"),
    ("she goes to egglescliffe", "she goes to [SCHOOL]"),
    ("she's at conyers", "she's at [SCHOOL]"),
    ("she used to go to woodham", "she used to go to [SCHOOL]"),
    # houses by their names: before a street, after "at", "Flat 4"; "The ..." after "lives at"
    ("Low Farm, Sadberge Road", "[ADDRESS], [ADDRESS]"),
    ("he lives in Brafferton at Fir Tree Farm", "he lives in [PLACE] at [ADDRESS]"),
    ("Flat 4 Oak House", "[ADDRESS]"),
    ("she lives at flat 11 Cumberland House", "she lives at [ADDRESS]"),
    ("she's at a house called The Laurels", "she's at a house called [ADDRESS]"),
    ("the address was Flat 2, The Maltings, Tower Road", "the address was [ADDRESS], [ADDRESS], [ADDRESS]"),
    # more place words before a lower-case street; a house number in words
    ("she hangs about widdowfield street", "she hangs about [ADDRESS]"),
    ("he drove her into ravensdale road", "he drove her into [ADDRESS]"),
    ("i saw her by coleridge gardens", "i saw her by [ADDRESS]"),
    ("number twelve cedar road", "[ADDRESS]"),
    ("ten bright street", "[ADDRESS]"),
    # the village or town written after an address, unless a kept town
    ("5 Park Lane, Kirklevington", "[ADDRESS], [ADDRESS]"),
    ("14 elm road, eaglescliffe", "[ADDRESS], [PLACE]"),
    ("7 Beech Grove, Darlington", "[ADDRESS], Darlington"),
    # a year of birth with a season or "late" before it; "year of birth", "YOB"
    ("she was born in the summer of 2011", "she was born in the summer of [DATE]"),
    ("born late 2010", "born late [DATE]"),
    ("year of birth 2011", "year of birth [DATE]"),
    ("YOB 2011", "YOB [DATE]"),
    # "miss" and a surname that is a word; a lower-case family name in the plural
    ("ask for miss wood at reception", "ask for miss [NAME] at reception"),
    ("she's been staying with the kowalskis", "she's been staying with the [NAME]"),
    ("he is at darlo college", "he is at [SCHOOL]"),
    # after "lives", "stays": a street of ordinary words with a street word that is a word too
    ("she lives in oak close", "she lives in [ADDRESS]"),
    ("we live on Beech Way", "we live on [ADDRESS]"),
    ("they live in Tees View", "they live in [ADDRESS]"),
    # a lower-case school no dictionary knows after "excluded from", "kids from", "started at", "her school,"
    ("she got excluded from kirkbridge", "she got excluded from [SCHOOL]"),
    ("the kids from kirkbridge", "the kids from [SCHOOL]"),
    ("he has just started at kirkbridge", "he has just started at [SCHOOL]"),
    ("her school, kirkbridge, rang me", "her school, [SCHOOL], rang me"),
    # the year of birth a few words after "born"
    ("she was born at darlington memorial in 2011", "she was born at darlington memorial in [DATE]"),
    ("born in march of 2011", "born in march of [DATE]"),
    ("born on 3rd march in 2011", "born on [DATE] in [DATE]"),
    # "lives on" and a word no dictionary knows
    ("she lives on pendower", "she lives on [ADDRESS]"),
]

KEPT = [
    "What if the child is Roma or Gypsy Traveller?",
    "Will the police be told if I ring?",
    "Hope this is the right place - who do I ring?",
    "e.g on snap",
    "she spends 3 hours on snap",
    "the user is a child",
    "the user is young",
    "her school is good about it",
    "the school is aware and involved",
    "her school is CAMHS aware",
    "she was on a side road",
    "she was hit on ring road",
    "on the main road near the shops",
    "from 2 Durham Constabulary officers",
    "she talks to 3 Snapchat users",
    "the meeting at 10 Tuesday",
    "What do the Marie Collins Foundation offer parents?",
    "Is the Lucy Faithfull Foundation part of Stop it Now?",
    "she lives at 14 with her dad",
    "she's Close to her mum",
    "she went to the comp",
    "go to childnet.com/parents for advice",
    "see www.childline.org.uk/info",
    "see section 4.3/4.4 and/or 5.1",
    "take the A1 and you get there",
    "J1 and J2 of the motorway",
    "she is in Y10",
    "a B12 vitamin",
    "see s17 and s47",
    "the DL postcode area",
    "meet at 4 on the Green",
    "section 10.11.12 of the procedure",
    "in 12 34 56 a bit of time",
    "she is yr10 and loves it",
    "ks3 and ks4 pupils",
    "Is the risk Very High?",
    "she was high on weed",
    "on the high street",
    "add the details to the form",
    "can I add my concerns to the referral?",
    "will 13 year olds be seen?",
    "chapter 3 says",
    "ring 01325 406222 or email childrensaccesspoint@darlington.gov.uk",
    "What did the inquiries in Rochdale and Telford find?",
    "Can I use the Brook Traffic Light Tool with a 12 year old?",
    "Is there a local version of the Brook tool?",
    "What does the Virtual School Head do for children in care?",
    "Read section 3. May I ask something else?",
    "the party after her birthday is at 7/8 pm",
    "she was born at 3/4 weeks early",
    "the Grange is a care home",
    "the Approach we take is in section 2",
    "in 12 34 56 a bit",
    "is 12 34 56 a lot",
    "JT 45 67 89 F",
    "Please explain the Fraser Guidelines and Gillick competence.",
    "she is in year10 now",
    "see section47 of the act",
    "he plays fifa23 all night",
    "covid19 rules changed the meetings",
    "she has an iphone13",
    "see s47 and s17",
    "we met on bus 12 at 7pm",
    "she attends Scouts on Tuesdays",
    "he attends CAMHS every week",
    "she attends Early Help sessions",
    "he attended the strategy meeting",
    "the Police said to ring 101",
    "the Children's Access Point is on 01325 406222",
    "a 15 year old at the meeting",
    "the Greens and the Browns are colours in the guidance",
    # round 3
    "her older sister lets men in",
    "she was called stupid by the lads",
    "a lot of side streets near the station",
    "the end of the street is dark",
    "she stays at her nan's house",
    "she lives at home with her mum",
    "she was seen on the high street",
    "she lives at 14 the rest of the time",
    "what is it called?",
    "the meeting is on the 3rd",
    "Mark the form as urgent",
    "Grace period for submitting the form?",
    "He will tell me later",
    "at the top of the hill",
    "she went to the park on her own",
    "she went to costa with them",
    "they go to airbnbs",
    "he goes to maccies after school",
    "she is at risk",
    "she went to hospital",
    "she goes to brownies",
    "the child goes to camhs",
    "we met at Safe House",
    "the meeting is at Town Hall",
    "Can I refer to Mill House?",
    "The House of Commons",
    "there is one main road through the village",
    "she talked about main street",
    "she was by the high street",
    "it is about time",
    "is there a team for Darlington, Stockton and Durham?",
    "she was born early, at 30 weeks",
    "born late in the evening",
    "by the end of 2011 the team had changed",
    "I miss school",
    "she said she would miss it",
    "the Americans said it first",
    "the Romanians in the town",
    "the kids are ok",
    "she lives in a close",
    "he lives up the hill",
    "she lives near the park",
    "he was at Youth Court",
    "the kids from school",
    "her school, as usual, rang",
    "she started at 9am",
    "kids from the estate",
    "pupils from camhs",
    "in 2015 she was born again as a christian",
    "the guidance was updated in 2019",
    "she lives on benefits",
    "she lives off takeaways",
    "she lives on tiktok",
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_rule(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_kept(text):
    assert redact(text) == text
