"""Redact identifiers from a user's message before it is stored or logged (issue 5).

:func:`redact` replaces names, dates, postcodes, street addresses, phone numbers, e-mail
addresses and school names by typed placeholders (``[NAME]``, ``[DATE]``, ...) and keeps the
rest of the text as typed. Ages, towns used alone, weekdays and months used alone, the
guidance's own terms (services, teams, indicators) and its public phone numbers and e-mail
addresses are not identifiers and stay.

Method, in this order (an earlier detector's span wins; later ones skip text already taken):

1. regexes for the shapes: e-mail, social media handle, date, phone, postcode, school, street;
2. names over the shared spaCy pipeline (:func:`cse_core.nlp.get_nlp`): ``Matcher`` cues
   ("her name is", "my daughter", "Mrs", "is 14", "said", "with") pick the name next to them;
   runs of capitalised words ("Chloe Smith") are names unless they are ordinary words; a
   lower-case known name and a second unknown word ("chloe smith") are a name too.
   A ``PhraseMatcher`` over :data:`GUIDANCE_TERMS` and :data:`PLACE_PHRASES` protects those
   words from every name and street rule.

The rules read a normalised copy (straight quotes, single spaces, a message in capitals read as
lower case); spans are mapped back, so the rest of the message is kept exactly as typed.

"Ordinary word" comes from spaCy's English word-frequency table (``spacy-lookups-data``,
already installed for the lemmatizer): a word is ordinary when its lower-case form is at least
as frequent as its capitalised one ("health", "help"), a known name when the capitalised form
is much the more frequent ("Chloe", "Smith"). The table is read once per process (1-2 s, see
:func:`warm_up`); after that a message takes well under a millisecond.

Pure Python: nothing here imports Rasa.
"""

from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Token

from cse_core.nlp import get_nlp

NAME, DATE, POSTCODE, ADDRESS, PHONE, EMAIL, SCHOOL = (
    "[NAME]", "[DATE]", "[POSTCODE]", "[ADDRESS]", "[PHONE]", "[EMAIL]", "[SCHOOL]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ---------------------------------------------------------------------------------------------
# Allow-list: public contact details and the words of the guidance
# ---------------------------------------------------------------------------------------------

# Public service numbers (digits only; +44 is read as 0): emergency, non-emergency, NHS 111,
# Childline, Samaritans, NSPCC helpline, and the Children's Access Point from the guidance.
PUBLIC_PHONES = frozenset({"999", "112", "101", "111", "08001111", "116123", "08088005000", "01325406222"})
# The guidance's own contact addresses (knowledge/contacts.yml).
PUBLIC_EMAILS = frozenset({"childrensaccesspoint@darlington.gov.uk", "dsp@darlington.gov.uk"})

# Services, teams, documents, ideas and indicators named in the guidance: never a name or an
# address, in any case ("early help" too).
GUIDANCE_TERMS = (
    "Darlington Safeguarding Partnership", "Safeguarding Partnership Business Unit", "Business Support Officer",
    "Durham Constabulary", "Children's Access Point", "Early Help", "Early Help Assessment", "Early Help Services",
    "First Response", "Children's First Response Team", "Children and Families Assessment Team",
    "Missing and Exploited Group", "Missing and Exploited Children Group", "Missing, Exploited Group",
    "Missing, Exploited and Sexual Abuse Subgroup", "Designated CSE worker", "Working Together",
    "Working Together to Safeguard Children", "Stockholm Syndrome", "Trauma Bond", "Barnardo's", "Barnardos",
    "NSPCC", "Childline", "PACE UK", "Think U Know", "ThinkUKnow", "Safe and Sound", "Stop it Now", "Social Care",
    "Children's Social Care", "Social Worker", "Social Services", "Police", "Police Officers", "Safeguarding Lead",
    "Child Sexual Exploitation", "Child Criminal Exploitation", "Child Exploitation and Online Protection",
    "CEOP", "NCA", "ERASE", "Fearless", "NWG", "UK Safer Internet Centre", "Safer Internet Day",
    "So You Got Naked Online", "Department for Education", "DfE", "Local Authority", "Information Sharing Form",
    "Risk Assessment Tool", "Risk Assessment Information Form", "Process Map", "Professional Challenge",
    "Child Protection Procedures", "Children and Families Act", "Practice Guidance", "Statutory Guidance",
    "MEG", "MESA", "CAP", "EHA", "CSE", "CCE", "DSP", "DSCB", "Ofsted", "Samaritans", "Crimestoppers", "NHS",
    "CAMHS", "James Cook University Hospital", "Darlington Memorial Hospital", "Action for Children",
    # the 14 risk indicators
    "Family and peer relationships", "Accommodation", "Education", "Emotional health", "Experience of violence",
    "Running away", "Going missing", "Contact with abusive adults", "Risky environments", "Substance misuse",
    "Coercion / control", "Rewards", "Sexual health and relationships", "Sexualised risk taking",
    "Risk to others", "Engagement with services",
)
# Places of more than one word: a town or an area is not an identifier.
PLACE_PHRASES = (
    "County Durham", "Newton Aycliffe", "Bishop Auckland", "Barnard Castle", "Middleton St George",
    "Stockton-on-Tees", "Stockton on Tees", "Harrowgate Hill", "Skerne Park", "Bank Top", "Red Hall",
    "Teesside Park", "James Cook", "North East", "North Yorkshire", "Great Britain", "United Kingdom", "Northern Ireland",
)
# Single words that are never a person's name: towns, apps and shops, organisations.
PLACES = _words(
    "darlington durham middlesbrough stockton hartlepool redcar yarm richmond northallerton sedgefield "
    "spennymoor shildon aycliffe teesside tees sunderland newcastle gateshead leeds york london manchester "
    "birmingham liverpool sheffield bradford hull scotland wales england britain uk ireland europe stockholm "
    "cockerton haughton firthmoor mowden branksome hurworth heighington whinfield lingfield hummersknott "
    "cleveland croft neasham blackwell faverdale whessoe coniscliffe harrowgate skerne middleton"
)
NEVER_NAMES = PLACES | _words(
    "facebook snapchat snap instagram insta tiktok whatsapp youtube google xbox playstation discord telegram "
    "twitter roblox fortnite minecraft bebo oovoo kik omegle tinder grindr messenger iphone android ipad ipod "
    "asda tesco aldi lidl morrisons sainsburys mcdonalds kfc greggs primark uber amazon netflix "
    "nhs ceop nca barnardo barnardos childline nspcc pace erase fearless nwg samaritans meg mesa dsp dscb "
    "cap eha cse cce ofsted camhs gp dfe police christmas easter xmas halloween eid ramadan diwali "
    "english british polish muslim christian jewish sikh hindu catholic islamic arab asian african american "
    "european eastern western northern southern albanian romanian kurdish pakistani indian chinese irish "
    "scottish welsh lithuanian latvian czech slovak turkish syrian iranian iraqi afghan eritrean somali "
    "jesus christ premier travelodge nandos"
)
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
MONTHS = _words(
    "january february march april may june july august september october november december")
TITLES = _words("mr mrs ms miss dr mx mr. mrs. ms. dr. mister sir madam st saint")
# Greetings and sentence openers typed with a capital: never the first word of a name.
DISCOURSE = _words(
    "hello hi hiya hey dear please thanks thank cheers sorry yes yeah yep yup no nope nah ok okay god omg lol "
    "oh ah ahh aww ugh um umm uh hmm hmmm wow whoa woah oops yay haha hahaha heh ps edit congrats congratulations "
    "also anyway basically apparently honestly hopefully unfortunately sadly luckily recently urgent update "
    "firstly secondly lastly furthermore alternatively likewise fortunately thankfully incidentally "
    "yesterday today tonight tomorrow morning afternoon evening night"
)
# Text-speak that the frequency table mistakes for proper nouns ("Dont", "Im").
TEXT_SPEAK = _words(
    "im ive id dont cant wont isnt hasnt havent didnt doesnt wasnt werent arent couldnt wouldnt shouldnt "
    "hes shes thats whats theres theyre youre ur u r ya yh ye tbh idk imo pls plz thx cos coz cuz gonna "
    "wanna gotta kinda dunno bf gf mum dad nan xx xxx"
)
# Given names and surnames that are also ordinary words: still names after a cue or in a pair.
GIVEN_WORDS = _words(
    "grace mark hope faith summer poppy bill joy sue pat demi hunter chase guy max jack amber ruby rose jade "
    "holly lily daisy ivy dawn skye robin frank ray nick rob bob dean mason autumn crystal violet jasmine mia"
)
SURNAME_WORDS = GIVEN_WORDS | _words(
    "smith brown white green wood woods hall hill king baker walker turner wright ward bell lee young black "
    "moore cook fox price shaw stone wells booth frost gray grey lane love park parker reed sharp webb cross "
    "dale lord potter mills marsh mason bird ford hart long little page rice steel swan wolf bond bush day"
)
_BLOCKED = frozenset(STOP_WORDS) | NEVER_NAMES | WEEKDAYS | MONTHS | TITLES | DISCOURSE | TEXT_SPEAK
_OPENERS = frozenset(STOP_WORDS) | DISCOURSE | WEEKDAYS  # words before a school's name, not part of it


# ---------------------------------------------------------------------------------------------
# Word frequencies: ordinary word or proper noun
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    ordinary: frozenset[str]  # lower-case form at least as frequent as the capitalised one
    proper: frozenset[str]  # capitalised form far more frequent (x e): Chloe, Smith, Jayden


@functools.lru_cache(maxsize=1)
def _lexicon() -> Lexicon:
    # Scanning the JSON text is quicker and far smaller in memory than json.load of 1M entries.
    try:
        path = resources.files("spacy_lookups_data").joinpath("data/en_lexeme_prob.json.gz")
        raw = gzip.decompress(path.read_bytes()).decode("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # no table: every word counts as a name
        return Lexicon(frozenset(), frozenset())
    lower: dict[str, float] = {}
    title: dict[str, float] = {}
    # one entry a line: "word":-12.3 (anchored, so an escaped key such as "\\"people" is no match)
    for match in re.finditer(r'^\s*"([A-Za-z][a-z\'-]*)": ?(-?[0-9.]+)', raw, re.M):
        word = match.group(1)
        (title if word[0].isupper() else lower).setdefault(word, float(match.group(2)))
    ordinary, proper = set(), set()
    for word, prob in lower.items():
        title_prob = title.get(word[0].upper() + word[1:], -99.0)
        if prob >= title_prob:
            ordinary.add(word)
        elif title_prob - prob >= 1.0:  # words in between ("angel", "wow") are neither
            proper.add(word)
    return Lexicon(frozenset(ordinary), frozenset(proper))


# ---------------------------------------------------------------------------------------------
# Regex detectors (one compiled pattern per identifier shape)
# ---------------------------------------------------------------------------------------------

# A street or school word: not a function word ("on the Road" is no street name).
_FUNCTION = r"(?:a|an|the|on|in|at|of|to|for|from|and|or|her|his|my|our|their|your|its|this|that|by|with|near|off|is|was)"
_W = rf"(?!{_FUNCTION}\b)[A-Za-z][A-Za-z'-]*"
_CAPW = r"[A-Z][a-z][A-Za-z'-]*|[A-Z]'[A-Z][a-z]+"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Social media handles: "@chloe_x", "her snapchat is chloe_x123" (letters with digits, _ or .).
_HANDLE_WORD = r"(?=[A-Za-z0-9_.]*[A-Za-z])(?=[A-Za-z0-9_.]*[\d_])[A-Za-z0-9_.]*[A-Za-z0-9_]"
_HANDLES = (
    re.compile(r"(?<![\w@.])@[A-Za-z0-9_.]*[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9_]"),
    re.compile(rf"\b(?:snapchat|snap|sc|insta|instagram|ig|tiktok|kik|discord|twitter|fb|facebook|username|"
               rf"user\s*name|handle|gamertag|gamer\s*tag)\b(?:\s+(?:name|account|handle|username|id))?"
               rf"(?:\s+is\s+|\s*[:=-]\s*|\s+)(?P<handle>{_HANDLE_WORD})\b", re.I),
)

# UK numbers: 0 or +44 (0044, "+44 (0)") then 9 or 10 more digits, any spacing.
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)(?:[ .-]?\)?[ .-]?\d){9,10}(?!\d)")

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_YEAR = r"(?:19|20)\d{2}"
# Only dates with a day number count, plus the year or month of a birth ("born in 2011").
_DATES = (
    re.compile(rf"\b{_DAY}(?P<sep>[/.-])(?:1[0-2]|0?[1-9])(?P=sep)(?:{_YEAR}|\d{{2}})\b"),
    re.compile(rf"\b(?:1[0-2]|0?[1-9])(?P<sep>[/.-]){_DAY}(?P=sep)(?:{_YEAR}|\d{{2}})\b"),
    re.compile(rf"\b{_YEAR}(?P<sep>[/.-])(?:1[0-2]|0?[1-9])(?P=sep){_DAY}\b"),
    re.compile(rf"\b{_DAY}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}(?![a-z])(?:,?\s+{_YEAR}\b)?", re.I),
    re.compile(rf"\b{_MONTH}\s+(?:the\s+)?{_DAY}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?", re.I),
    re.compile(rf"\b(?:born|dob|d\.o\.b\.?)\s*:?\s+(?:in\s+)?(?P<date>(?:{_MONTH}\s+)?{_YEAR})\b", re.I),
)

# Outward code, optional space, inward code (whose letters never include C I K M O V).
_POSTCODE = re.compile(r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s?\d[ABD-HJLNP-UW-Z]{2}\b", re.I)

_STREET = (r"road|rd|street|st|avenue|ave|lane|drive|terrace|crescent|cres|grove|gardens|gdns|mews|"
           r"boulevard|wynd|parade")
_STREET_CAP = r"Close|Way|Place|Court|Green|View|Park|Hill|Row|Walk|Square|Gate|Bank|Rise|Vale|Chase|Croft|Garth|Dr|Ct|Pl"
_SUFFIX = rf"(?:(?i:{_STREET})|(?-i:{_STREET_CAP}))\b\.?"
_FLAT = r"(?:flat|apartment|apt|unit)\s*\d{1,4}[a-z]?"
_ADDRESSES = (
    # "12 Elm Road", "flat 3, 45 Victoria Street"
    re.compile(rf"\b(?:{_FLAT}\s*,?\s+)?\d{{1,4}}[a-z]?,?\s+(?:{_W}\s+){{0,2}}{_W}\s+{_SUFFIX}", re.I),
    # "number 7 on Cleveland Terrace"
    re.compile(rf"\b(?:house\s+)?(?:number|no\.?)\s*\d{{1,4}}[a-z]?\s+(?:on|in|of)\s+(?:{_W}\s+){{0,2}}{_W}\s+{_SUFFIX}",
               re.I),
    re.compile(rf"\b{_FLAT}\b", re.I),  # "flat 3"
)
# A capitalised street without a number: "Cleveland Terrace", "Victoria St".
_NAMED_STREET = re.compile(rf"\b(?:(?:{_CAPW})\s+){{1,3}}(?:{_STREET_CAP}|{_STREET.title()})\b\.?")
# A lower-case street after a preposition: "lives on cleveland st".
_STREET_AFTER = re.compile(
    rf"\b(?P<cue>(?:lives?|living|lived|stays?|staying|stayed|house|home|flat)\s+(?:on|in|at|off|near)|"
    rf"on|off|near|along|down|up|round|around|from|at|in|to)\s+(?P<street>(?:{_W}\s+)?{_W}\s+(?:{_STREET})\b\.?)",
    re.I)

_SCHOOL_KIND = (r"(?:(?:C\s+of\s+E|CE|RC|Catholic|Church\s+of\s+England|Methodist|Community)\s+)*"
                r"(?:Primary\s+School|Primary\s+Academy|Primary|Junior\s+School|Infant\s+School|Nursery\s+School|"
                r"Secondary\s+School|High\s+School|Grammar\s+School|Sixth\s+Form\s+College|Sixth\s+Form|"
                r"Free\s+School|School|Academy|College)\b")
# Up to four words, then the kind: "St Aidan's Academy", "Mount Pleasant Primary School", "hurworth school".
_SCHOOL = re.compile(rf"\b(?:{_W}\.?\s+){{1,4}}{_SCHOOL_KIND}", re.I)
# "goes to St Aidan's": a saint's name after going to a place
_SAINT_SCHOOL = re.compile(
    rf"\b(?:go|goes|going|went|gone|attends?|attending)\s+(?:to\s+)?(?P<school>(?:st\.?|saint)\s+{_W})", re.I)
_SCHOOL_KIND_RE = re.compile(r"\b" + _SCHOOL_KIND, re.I)
# Local schools whose names have no "School" or "Academy".
_KNOWN_SCHOOLS = re.compile(r"\b(?:polam\s+hall(?:\s+school)?|education\s+village|beaumont\s+hill|rise\s+carr)\b",
                            re.I)
# Words that only describe a school ("secondary school", "the new academy"), never name one.
_SCHOOL_GENERIC = _words(
    "primary secondary high junior infant infants nursery grammar sixth form free special private state "
    "independent boarding local new old big little same different other another catholic faith summer sunday "
    "football sport sports boxing gym gymnastics cadet cadets youth "
    "night driving dance drama police art music business law medical her his my their our your the a an this "
    "that which what every any at to from in school academy college community c of e ce rc church england"
)


# ---------------------------------------------------------------------------------------------
# Names: spaCy cues and capitalised runs
# ---------------------------------------------------------------------------------------------

RELATIONS = [
    "son", "daughter", "niece", "nephew", "grandson", "granddaughter", "stepson", "stepdaughter", "child", "kid",
    "boy", "girl", "brother", "sister", "cousin", "friend", "boyfriend", "girlfriend", "bf", "gf", "partner",
    "mate", "sibling", "sis", "bro", "lad", "lass", "teenager", "neighbour", "mum", "dad", "mother", "father",
    "carer", "uncle", "auntie", "aunt", "pupil", "student", "client",
]
PERSON_VERBS = [
    "said", "says", "told", "tells", "texted", "texts", "messaged", "rang", "phoned", "called", "keeps", "kept",
    "lives", "lived", "stays", "stayed", "went", "goes", "ran", "runs", "left", "met", "meets", "disappeared",
    "returned", "refused", "refuses", "admitted", "disclosed", "cried", "cries", "sleeps", "slept", "spends",
    "spent", "hangs", "skipped", "skips", "wants", "wanted", "feels", "felt", "thinks", "knows", "loves", "hates",
    "smokes", "came", "comes", "got", "gets", "sent", "sends", "asked", "asks", "seems", "seemed", "does", "did",
    "gave", "gives", "took", "takes", "bought", "buys", "picks", "picked", "drives", "drove", "brought", "brings",
    "showed", "shows", "posted", "posts", "shared", "shares", "threatened", "threatens", "hit", "hits", "hurt",
    "touched", "grabbed", "offered", "offers", "invited", "forced", "forces", "from", "who",
]
# "is", "has": a person only with what follows (PERSON_STATES), "Leeds is big" is no name.
AUXILIARIES = ["is", "was", "has", "had", "'s"]
# Before a name: "with Jayden", "worried about Chloe", "told Amy".
OBJECT_CUES = ["with", "about", "told", "tell", "asked", "ask", "saw", "seen", "met", "meet", "meeting", "texted",
               "text", "texting", "messaged", "messaging", "dating", "seeing", "sees", "follows", "followed"]
# The first person next to "and": "me and Chloe".
FIRST_PERSON = ["me", "i", "myself", "us", "we"]
# After "is/was/has": words that make the subject a person ("Chloe is missing", "has been").
PERSON_STATES = [
    "been", "being", "seen", "missing", "not", "n't", "never", "always", "still", "staying", "living", "going",
    "getting", "acting", "hanging", "talking", "crying", "scared", "frightened", "upset", "worried", "pregnant",
    "home", "out", "back", "with", "friends", "seeing", "sleeping", "drinking", "smoking", "my", "her", "his",
]
PERSON_NOUNS = RELATIONS + ["phone", "number", "address", "school", "house", "home", "family", "bedroom", "social",
                            "worker", "teacher", "nan", "grandma", "grandad", "name", "surname"]

_CUES: dict[str, list[list[dict]]] = {
    # "her name is X", "his name's X", "her names X", "name: X"
    "name_is": [
        [{"LOWER": {"IN": ["name", "names", "surname", "nickname"]}}, {"LOWER": {"IN": ["is", "was", "'s", ":", "="]}}],
        [{"LOWER": {"IN": ["her", "his", "their", "my", "your", "our", "the"]}}, {"LOWER": "names"}],
    ],
    # "called X", "named X", "known as X", "goes by X"
    "called": [
        [{"LOWER": {"IN": ["called", "named", "nicknamed", "calls"]}},
         {"LOWER": {"IN": ["himself", "herself", "themselves", "him", "her", "them"]}, "OP": "?"}],
        [{"LOWER": "known"}, {"LOWER": "as"}], [{"LOWER": "goes"}, {"LOWER": "by"}],
    ],
    # "my daughter X", "her boyfriend X", "pupil X", "young person X"
    "relation": [
        [{"LOWER": {"IN": ["my", "our", "her", "his", "their", "your", "the", "a", "'s", "step", "foster", "older",
                           "younger", "little", "big", "best", "sons", "daughters", "mums", "dads"]}},
         {"LOWER": {"IN": RELATIONS}}, {"ORTH": ",", "OP": "?"}],
        [{"LOWER": {"IN": ["pupil", "student", "learner", "yp", "victim", "client"]}}],
        [{"LOWER": "young"}, {"LOWER": "person"}, {"ORTH": ",", "OP": "?"}],
    ],
    # "I'm X", "this is X", "my name is X" (the last via name_is)
    "intro": [
        [{"LOWER": {"IN": ["i'm", "im"]}}], [{"LOWER": "i"}, {"LOWER": {"IN": ["am", "'m", "m"]}}],
        [{"LOWER": "this"}, {"LOWER": {"IN": ["is", "'s"]}}],
    ],
    # "Hi Chloe", "Thanks, Sarah"
    "greeting": [
        [{"LOWER": {"IN": ["hi", "hello", "hey", "hiya", "thanks", "cheers", "dear", "bye", "love"]}},
         {"ORTH": ",", "OP": "?"}],
        [{"LOWER": "thank"}, {"LOWER": "you"}, {"ORTH": ",", "OP": "?"}],
    ],
    # "Chloe and Jess", "me and Chloe"
    "coordination": [[{"LOWER": {"IN": ["and", "&"]}}]],
    # "with Jayden", "worried about Chloe"
    "object": [[{"LOWER": {"IN": OBJECT_CUES}}]],
    # "Mrs X", "Dr. X"
    "title": [[{"LOWER": {"IN": ["mr", "mrs", "ms", "miss", "dr", "mx", "mr.", "mrs.", "ms.", "dr."]}},
               {"ORTH": ".", "OP": "?"}]],
    # "14 year old X"
    "age_before": [[{"LIKE_NUM": True}, {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["year", "years", "yr", "yrs"]}},
                    {"ORTH": "-", "OP": "?"}, {"LOWER": "old"}]],
    # "X is 14", "X (14)", "X, 14,", "X who is 14", "X aged 14": the name comes before
    "age_after": [
        [{"LOWER": {"IN": ["is", "was", "'s", "s", "aged", "age", "turned"]}},
         {"LOWER": {"IN": ["only", "just", "now", "nearly", "almost"]}, "OP": "?"}, {"LIKE_NUM": True}],
        [{"LOWER": "who"}, {"LOWER": {"IN": ["is", "'s", "was"]}}, {"LIKE_NUM": True}],
        [{"ORTH": "("}, {"LIKE_NUM": True}, {"ORTH": ")"}],
        [{"ORTH": ","}, {"LIKE_NUM": True}, {"IS_PUNCT": True}],
    ],
    # "X said", "X keeps going missing", "X is being", "X's mum": the name comes before
    "verb_after": [
        [{"LOWER": {"IN": PERSON_VERBS}}],
        [{"LOWER": {"IN": AUXILIARIES}}, {"LOWER": {"IN": PERSON_STATES}}],
        [{"ORTH": "'s"}, {"LOWER": {"IN": PERSON_NOUNS}}],
    ],
}
_FORWARD = ("name_is", "called", "relation", "intro", "greeting", "object", "title", "age_before")
_SENTENCE_END = frozenset(".!?;:\"()[]")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str


class _Spans:
    """The spans found so far; a span overlapping one already taken is refused."""

    def __init__(self) -> None:
        self.items: list[Span] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s.start or start >= s.end for s in self.items)

    def add(self, start: int, end: int, label: str) -> bool:
        if start >= end or not self.free(start, end):
            return False
        self.items.append(Span(start, end, label))
        return True


@dataclass
class _Models:
    matcher: Matcher
    allowed: PhraseMatcher


@functools.lru_cache(maxsize=1)
def _models() -> _Models:
    nlp = get_nlp()
    matcher = Matcher(nlp.vocab)
    for label, patterns in _CUES.items():
        matcher.add(label, patterns)
    allowed = PhraseMatcher(nlp.vocab, attr="LOWER")
    allowed.add("allowed", [nlp.make_doc(term) for term in GUIDANCE_TERMS + PLACE_PHRASES])
    _lexicon()  # load the frequencies now, not on the first message
    return _Models(matcher, allowed)


def _is_cap(text: str) -> bool:
    """Capitalised like a name: Chloe, O'Neill, McDonald; not CSE, not I."""
    return text[:1].isupper() and any(c.islower() for c in text)


def _is_word(text: str) -> bool:
    return text.replace("'", "").replace("-", "").isalpha()


class _Names:
    """Finds the names in one parsed message."""

    def __init__(self, doc: Doc, protected: set[int], spans: _Spans) -> None:
        self.doc = doc
        self.protected = protected  # token indices of guidance terms and places
        self.spans = spans
        self.lex = _lexicon()

    # -- word tests -----------------------------------------------------------------------------

    def usable(self, tok: Token) -> bool:
        return (tok.i not in self.protected and _is_word(tok.text)
                and self.spans.free(tok.idx, tok.idx + len(tok.text)))

    def blocked(self, tok: Token) -> bool:
        return not self.usable(tok) or tok.lower_ in _BLOCKED

    def ordinary(self, tok: Token) -> bool:
        low = tok.lower_
        return low in self.lex.ordinary and low not in GIVEN_WORDS

    def namelike(self, tok: Token) -> bool:
        return not self.blocked(tok) and not self.ordinary(tok)

    def known_name(self, tok: Token) -> bool:
        """A name in any case: "Chloe" and "chloe", "Grace"; not "angel" nor an unknown word."""
        return tok.lower_ in self.lex.proper or tok.lower_ in GIVEN_WORDS

    def at_start(self, tok: Token) -> bool:
        prev = tok.nbor(-1) if tok.i > 0 else None
        return prev is None or prev.is_space or prev.text in _SENTENCE_END

    # -- span growing ----------------------------------------------------------------------------

    def hyphen_next(self, tok: Token) -> Token | None:
        """The word after "Amy-" in Amy-Leigh, when the hyphen touches both words."""
        if tok.i + 2 < len(self.doc) and not tok.whitespace_:
            dash, nxt = self.doc[tok.i + 1], self.doc[tok.i + 2]
            if dash.text == "-" and not dash.whitespace_ and _is_word(nxt.text) and self.usable(nxt):
                return nxt
        return None

    def extend_forward(self, first: Token) -> Token:
        """The last token of the name that starts at ``first``: up to three words."""
        last, words = first, 1
        lower_case = not _is_cap(first.text)
        while words < 3:
            nxt = self.hyphen_next(last)
            if nxt is None:
                if last.i + 1 >= len(self.doc) or not last.whitespace_:
                    break
                nxt = self.doc[last.i + 1]
                ok = (_is_cap(nxt.text) and not lower_case and not self.blocked(nxt)) or (
                    lower_case and nxt.is_lower and self.namelike(nxt))
                if not ok:
                    break
            last, words = nxt, words + 1
        return last

    def extend_back(self, last: Token) -> Token:
        """The first token of the name that ends at ``last`` ("Chloe Smith is 14")."""
        first = last
        for _ in range(2):
            i = first.i
            if i >= 2 and self.doc[i - 1].text == "-" and not self.doc[i - 2].whitespace_ \
                    and not self.doc[i - 1].whitespace_ and self.usable(self.doc[i - 2]):
                first = self.doc[i - 2]
                continue
            if i == 0 or not self.doc[i - 1].whitespace_:
                break
            prev = self.doc[i - 1]
            capitals = _is_cap(prev.text) and _is_cap(first.text)
            lower_case = prev.is_lower and first.is_lower and prev.lower_ in self.lex.proper  # "chloe smith"
            if not (self.namelike(prev) and (capitals or lower_case)):
                break
            first = prev
        return first

    def take(self, first: Token, last: Token) -> None:
        self.spans.add(first.idx, last.idx + len(last.text), NAME)

    # -- rules -----------------------------------------------------------------------------------

    def accept_after(self, cue: str, tok: Token, title_word: str) -> bool:
        """Whether ``tok`` (right after a cue) starts a name."""
        if self.blocked(tok):
            return False
        cap = _is_cap(tok.text)
        proper = tok.lower_ in self.lex.proper  # "sarah": a lower-case word much rarer than "Sarah"
        if cue in ("name_is", "called"):  # strong cues: a capitalised ordinary word too ("Hope", "Big Mo")
            return cap or not self.ordinary(tok)
        if cue == "title":  # "Mrs Green", "mr smith"; after "miss" ("miss school") a known name only
            surname = not self.ordinary(tok) or tok.lower_ in SURNAME_WORDS
            return cap or (proper if title_word.rstrip(".") == "miss" else surname)
        if cue in ("intro", "greeting"):  # "I'm Sarah", "im sarah" but not "I'm worried"
            return not self.ordinary(tok) and (cap or proper)
        if cue == "object":  # "with Jayden", "with kayden": a known name only, not "with Whatever"
            return self.known_name(tok) and (cap or proper)
        return not self.ordinary(tok)  # relation, age: "my daughter chloe", "14 year old Chloe"

    def accept_before(self, cue: str, tok: Token) -> bool:
        """Whether ``tok`` (right before a cue) ends a name."""
        if not self.namelike(tok):
            return False
        if cue == "age_after" and tok.is_lower:  # "jess is 14"
            return True
        if not _is_cap(tok.text):
            return False
        # A sentence's first word is capitalised anyway: a known proper noun only ("Chloe said").
        return not self.at_start(tok) or self.known_name(tok)

    def age_ok(self, span_end: int) -> bool:
        """The number in an age cue is an age (1-25), not a count or a year."""
        nums = [t for t in self.doc[max(span_end - 3, 0):span_end] if t.like_num]
        return bool(nums) and (not nums[-1].text.isdigit() or 0 < int(nums[-1].text) <= 25)

    def cues(self) -> None:
        """Names next to a cue: after it ("her name is X") or before it ("X is 14", "X said")."""
        matches = _models().matcher(self.doc)
        for match_id, start, end in sorted(matches, key=lambda m: (m[1], -m[2])):
            cue = self.doc.vocab.strings[match_id]
            if cue == "coordination":
                self.coordinated(start, end)
            elif cue in _FORWARD:
                if end >= len(self.doc):
                    continue
                tok = self.doc[end]
                if self.accept_after(cue, tok, self.doc[start].lower_):
                    self.take(tok, self.extend_forward(tok))
            elif start > 0:
                tok = self.doc[start - 1]
                if cue == "age_after" and not self.age_ok(end):
                    continue
                if self.accept_before(cue, tok):
                    self.take(self.extend_back(tok), tok)

    def run_word(self, tok: Token) -> bool:
        return _is_cap(tok.text) and not self.blocked(tok)

    def joins(self, prev: Token, tok: Token) -> bool:
        """Whether ``tok`` continues a run of capitalised words that ends with ``prev``."""
        if tok.text == "-":  # "Amy-Leigh", "Sophie-May": no space either side
            return not prev.whitespace_ and not tok.whitespace_ and prev.text != "-"
        if prev.text == "-":
            return _is_cap(tok.text) and self.usable(tok)
        return prev.whitespace_ == " " and self.run_word(tok)

    def runs(self) -> Iterator[list[Token]]:
        """Runs of capitalised words joined by spaces or hyphens, split at blocked words."""
        run: list[Token] = []
        for tok in self.doc:
            if run and self.joins(run[-1], tok):
                run.append(tok)
                continue
            if run:
                yield run
            run = [tok] if self.run_word(tok) else []
        if run:
            yield run

    def pairs(self) -> None:
        """Two or more capitalised words that are not all ordinary: "Chloe Smith", "Amy-Leigh"."""
        for run in self.runs():
            lo, hi = 0, len(run)  # the name is run[lo:hi]
            words = sum(t.text != "-" for t in run)
            while hi > lo and (run[hi - 1].text == "-" or (
                    words > 2 and self.doc[run[hi - 1].i - 1].text != "-"
                    and self.ordinary(run[hi - 1]) and run[hi - 1].lower_ not in SURNAME_WORDS)):
                words -= run[hi - 1].text != "-"
                hi -= 1  # "Chloe Smith Year 9": drop "Year", keep a two-word name whole
            while lo < hi and (run[lo].text == "-" or self.ordinary(run[lo])):
                words -= run[lo].text != "-"
                lo += 1  # "Sexual Health", "Poor Chloe"
            if words < 2:
                continue
            if self.at_start(run[lo]) and not self.known_name(run[lo]) and not any(
                    self.known_name(t) or t.lower_ in SURNAME_WORDS for t in run[lo + 1:hi]):
                continue  # "Cuckooing Explained": unknown words opening a sentence
            self.take(run[lo], run[hi - 1])

    def lower_pairs(self) -> None:
        """A lower-case known name and another word that is no ordinary word: "chloe smith"."""
        for tok in self.doc[:-1]:
            nxt = self.doc[tok.i + 1]
            if (tok.whitespace_ and tok.is_lower and nxt.is_lower and self.namelike(tok) and self.namelike(nxt)
                    and tok.lower_ in self.lex.proper):
                self.take(tok, self.extend_forward(tok))

    def coordinated(self, start: int, end: int) -> None:
        """"Chloe and Jess", "me and Chloe": a known name next to another name or to "me"."""
        if start == 0 or end >= len(self.doc):
            return
        prev, nxt = self.doc[start - 1], self.doc[end]
        names = [self.namelike(t) and self.known_name(t) for t in (prev, nxt)]
        me = [t.lower_ in FIRST_PERSON for t in (prev, nxt)]
        if (names[0] and names[1]) or (names[0] and me[1]):
            self.take(self.extend_back(prev), prev)
        if (names[0] and names[1]) or (names[1] and me[0]):
            self.take(nxt, self.extend_forward(nxt))

    def alone(self) -> None:
        """A message that is only a name: "Sarah"."""
        words = [t for t in self.doc if not (t.is_punct or t.is_space)]
        if len(words) == 1 and _is_cap(words[0].text) and self.namelike(words[0]) and self.known_name(words[0]):
            self.take(words[0], words[0])


# ---------------------------------------------------------------------------------------------
# The detectors, in order
# ---------------------------------------------------------------------------------------------


def _emails(text: str, spans: _Spans) -> None:
    # Any address except the guidance's public ones.
    for m in _EMAIL.finditer(text):
        if m.group(0).lower().rstrip(".") not in PUBLIC_EMAILS:
            spans.add(m.start(), m.end(), EMAIL)


def _handles(text: str, spans: _Spans) -> None:
    # A username finds the child online as surely as a name.
    for pattern in _HANDLES:
        for m in pattern.finditer(text):
            start, end = m.span("handle") if "handle" in pattern.groupindex else m.span()
            spans.add(start, end, NAME)


def _dates(text: str, spans: _Spans) -> None:
    # "may" is a month only with a capital, an ordinal or a year ("she may 2" is no date).
    for pattern in _DATES:
        for m in pattern.finditer(text):
            start, end = m.span("date") if "date" in pattern.groupindex else m.span()
            found = m.group(0)
            if re.search(r"\bmay\b", found) and not re.search(r"\d(?:st|nd|rd|th)|\d{4}", found):
                continue
            spans.add(start, end, DATE)


def _phones(text: str, spans: _Spans) -> None:
    # UK numbers; public service numbers stay.
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if digits.startswith("44"):
            digits = "0" + digits[2:].removeprefix("0")
        elif digits.startswith("0044"):
            digits = "0" + digits[4:].removeprefix("0")
        if digits not in PUBLIC_PHONES:
            spans.add(m.start(), m.end(), PHONE)


def _postcodes(text: str, spans: _Spans) -> None:
    # A full postcode narrows a home to a few houses; "5th" after "Y10" is no inward code.
    for m in _POSTCODE.finditer(text):
        if re.fullmatch(r".*\d(?:st|nd|rd|th)", m.group(0)):
            continue
        spans.add(m.start(), m.end(), POSTCODE)


def _school_head_ok(head: str) -> bool:
    """The words before "School" name one school: "Hurworth", "Mount Pleasant", "st aidans"."""
    lex = _lexicon()
    for word in re.findall(r"[A-Za-z][A-Za-z'.]*", head):
        low = word.lower().rstrip(".").removesuffix("'s")
        if low in _SCHOOL_GENERIC or low in _OPENERS:
            continue
        if _is_cap(word) or low not in lex.ordinary:
            return True
    return False


def _school_start(text: str, start: int, end: int) -> int:
    """Where the school's own name begins in ``text[start:end]``, the words before "School":
    after the last function word or opener ("Yesterday Hurworth", "Goes To Hurworth"), and past
    ordinary words that come before a distinctive one ("Attends Hurworth", but "Mount Pleasant")."""
    lex = _lexicon()
    words = list(re.finditer(r"[A-Za-z][A-Za-z'.-]*", text[start:end]))
    lows = [w.group().lower().rstrip(".") for w in words]
    first = max((i + 1 for i, low in enumerate(lows) if low in _OPENERS), default=0)
    while first < len(words) - 1 and lows[first] in lex.ordinary and any(
            low not in lex.ordinary for low in lows[first + 1:]):
        first += 1
    return start + words[first].start() if first < len(words) else end


def _schools(text: str, spans: _Spans) -> None:
    # A school narrows a child down to a few hundred; generic phrases ("high school") stay.
    for m in _KNOWN_SCHOOLS.finditer(text):
        spans.add(m.start(), m.end(), SCHOOL)
    for m in _SCHOOL.finditer(text):
        kind = _SCHOOL_KIND_RE.search(text, m.start(), m.end())
        start = _school_start(text, m.start(), kind.start()) if kind else m.end()
        if kind and start < kind.start() and _school_head_ok(text[start:kind.start()]):
            spans.add(start, m.end(), SCHOOL)
    for m in _SAINT_SCHOOL.finditer(text):
        spans.add(*m.span("school"), SCHOOL)


def _overlaps(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in ranges)


def _addresses(text: str, spans: _Spans, allowed: list[tuple[int, int]]) -> None:
    # A house number, or a street named after a cue, narrows a child to a home.
    lex = _lexicon()
    for pattern in _ADDRESSES:
        for m in pattern.finditer(text):
            spans.add(m.start(), m.end(), ADDRESS)
    for m in _NAMED_STREET.finditer(text):
        words = list(re.finditer(r"\S+", text[m.start():m.end()]))
        # the street's own words follow the last opener or function word ("Walking Down Elm Road")
        first = max((i + 1 for i, w in enumerate(words[:-1])
                     if w.group().lower() in _BLOCKED and w.group().lower() not in PLACES), default=0)
        names = [w.group().lower() for w in words[first:-1]]
        start = m.start() + words[first].start()
        if not names or _overlaps(start, m.end(), allowed):
            continue
        if words[-1].group().rstrip(".") in _STREET_CAP.split("|") and all(w in lex.ordinary for w in names):
            continue  # "Youth Court", "Central Park"
        spans.add(start, m.end(), ADDRESS)
    for m in _STREET_AFTER.finditer(text):
        start, end = m.span("street")
        names = [w.lower() for w in m.group("street").split()[:-1]]
        strong = " " in m.group("cue").strip()
        if _overlaps(start, end, allowed) or any(w in _BLOCKED and w not in PLACES for w in names):
            continue
        if strong or not all(w in lex.ordinary for w in names):
            spans.add(start, end, ADDRESS)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\t": " ", "\u00a0": " "})
_SPACES = re.compile(r" {2,}")


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """The text the rules read, and where each of its characters is in ``text`` (None: same place).

    Curly quotes become straight, runs of spaces and tabs one space, and a message typed all in
    capitals is read in lower case, like text-speak: capitals tell nothing there.
    """
    norm = text.translate(_QUOTES)
    where = None
    if _SPACES.search(norm):
        where = [i for i, ch in enumerate(norm) if not (ch == " " and i > 0 and norm[i - 1] == " ")]
        norm = _SPACES.sub(" ", norm)
    if not any(ch.islower() for ch in norm):
        norm = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in norm)
    return norm, where


def find(text: str) -> list[Span]:
    """The identifiers in ``text``, as character spans, in text order."""
    if not text or not text.strip():
        return []
    models = _models()
    norm, where = _normalise(text)
    doc = get_nlp()(norm)
    protected: set[int] = set()
    allowed: list[tuple[int, int]] = []
    for _, start, end in models.allowed(doc):
        protected.update(range(start, end))
        allowed.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)))
    spans = _Spans()
    detectors: list[Callable[[str, _Spans], None]] = [_emails, _handles, _dates, _phones, _postcodes]
    for detect in detectors:
        detect(norm, spans)
    _schools(norm, spans)
    _addresses(norm, spans, allowed)
    names = _Names(doc, protected, spans)
    names.cues()
    names.pairs()
    names.lower_pairs()
    names.alone()
    found = sorted(spans.items, key=lambda s: s.start)
    if where is None:
        return found
    return [Span(where[s.start], where[s.end - 1] + 1, s.label) for s in found]


def redact(text: str) -> str:
    """``text`` with every identifier replaced by its placeholder ([NAME], [DATE] ...)."""
    out, pos = [], 0
    for span in find(text):
        out.append(text[pos:span.start])
        out.append(span.label)
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def warm_up() -> None:
    """Build the matchers and load the word table now (about a second), not on a first message."""
    _models()
