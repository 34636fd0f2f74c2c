"""Where a child can be found: postcodes, house numbers and streets (in any case), schools.

Token-based: each street word ("Road", "st", "Terrace") or school word ("Academy", "School")
looks back a bounded number of tokens for the name in front of it, so the work is linear in
the length of the message. Local streets and schools come from ``knowledge/locality.yml``;
towns, areas and estates there are places, not addresses, and stay.
"""

from __future__ import annotations

import functools

import re2

from cse_core import names
from cse_core.redaction.context import ADDRESS, PLACE, POSTCODE, SCHOOL, Context
from cse_core.tokens import PhraseIndex, Token
from cse_core.wordfreq import lexicon

# Outward code, optional space, inward code (whose letters never include C I K M O V).
_POSTCODE = re2.compile(r"(?i)\b[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?(?:\s{1,2}|-)?\d[ABD-HJLNP-UW-Z]{2}\b")
# A district alone: "DL3", "ts18" (kept only for the area's own postcode areas, or after "postcode").
_DISTRICT = re2.compile(r"(?i)\b(?P<area>[A-PR-UWYZ][A-HK-Y]?)\d[A-Z\d]?\b")
_POSTCODE_CONTEXT = ("postcode", "post code", "postal code")


def postcodes(ctx: Context) -> None:
    # A full postcode narrows a home to a few houses; "5th" after "Y10" is no inward code.
    for m in _POSTCODE.finditer(ctx.text):
        found = m.group().lower()
        # "NE1 4ST" in capitals is a postcode; "y10 5th" in lower case an ordinal, unless local or after "postcode"
        if found[-3].isdigit() and found.endswith(("st", "nd", "rd", "th")) and not m.group().isupper() \
                and not any(w in ctx.before(m.start(), 24) for w in _POSTCODE_CONTEXT) \
                and _DISTRICT.match(m.group()).group("area").upper() not in ctx.local.postcode_areas:
            continue
        ctx.spans.add(*m.span(), POSTCODE)
    areas = ctx.local.postcode_areas
    for m in _DISTRICT.finditer(ctx.text):
        local = m.group("area").upper() in areas and (m.group()[:1].isupper() or len(m.group()) > 2)
        if local or any(w in ctx.before(m.start(), 24) for w in _POSTCODE_CONTEXT):
            ctx.spans.add(*m.span(), POSTCODE)


# --- Streets ----------------------------------------------------------------------------------

# Street words that name a street in any case ("station road", "cleveland st").
STREET_WORDS = frozenset(["road", "rd", "street", "st", "avenue", "ave", "av", "lane", "ln", "drive", "terrace", "tce", "crescent", "cres", "grove", "gardens", "gdns", "mews", "boulevard", "wynd", "parade"])
# Street words that are ordinary words too: a street with a capital or a house number only.
STREET_WORDS_CAP = frozenset(["close", "way", "place", "court", "green", "view", "park", "hill", "row", "walk", "square", "gate", "bank", "rise", "vale", "chase", "croft", "garth", "dr", "ct", "pl", "yard", "fields", "meadows", "drive", "approach", "wharf", "dene", "grange", "heights", "lea", "leas", "paddock", "paddocks", "orchard", "cottages", "buildings", "mount", "avenue", "cl", "gr", "gro", "sq", "pde", "crt", "ter", "gdn", "wlk"])
# Street words that are nearly always part of a street's name, and words that make a kind of road.
_NAMED_STREET_WORDS = frozenset(["road", "street", "avenue", "lane", "crescent", "terrace", "grove", "gardens", "rd", "st",
                                 "ave", "cres", "tce"])
_ROAD_KINDS = frozenset(["side", "main", "back", "ring", "slip", "dirt", "country", "busy", "dark", "quiet", "private",
                         "toll", "fast", "slow", "bus", "cycle", "memory", "one", "two", "same", "other", "open", "lovers",
                         "wrong", "right", "left", "whole", "next", "new", "old", "local", "long", "high", "top",
                         "bottom", "end", "dead", "narrow", "wide", "big", "little", "small", "empty", "outside", "inside"])
FLAT_WORDS = frozenset(["flat", "apartment", "apt", "unit"])
# Words that end a street's name going back: "on the Road" is no street name.
FUNCTION = frozenset(["a", "an", "the", "on", "in", "at", "of", "to", "for", "from", "and", "or", "her", "his", "my", "our", "their", "your", "its", "this", "that", "by", "with", "near", "off", "is", "was"])
_CUES = frozenset(["on", "off", "near", "along", "down", "up", "round", "around", "from", "at", "in", "to", "onto", "via", "past", "behind", "opposite", "of",
                   "about", "by", "into", "through", "outside", "beside", "towards", "toward", "across"])
# A house known by its name: "lives at West Farm", "address is hill top farm", "Orchard House".
_HOUSE_NAME_WORDS = frozenset(["farm", "farmhouse", "cottage", "house", "lodge", "barn", "manor", "bungalow"])
_KIND_OF_HOUSE = frozenset(["safe", "care", "halfway", "foster", "guest", "open", "public", "council", "town",
                            "court", "trap", "crack", "party", "drug", "drugs", "full", "big", "old", "new", "dog", "ware"])
# A block of flats by its name: "flat 6 lyndhurst house", "apartment 7, riverside court".
_BUILDING_WORDS = frozenset(["house", "court", "lodge", "tower", "towers", "heights", "point", "mansions", "buildings",
                             "block", "hall", "place", "view", "gardens", "mews", "quay", "wharf", "mill"])
_CAP_HOUSE_WORDS = _HOUSE_NAME_WORDS | {"cottages", "forge", "mill", "barns", "farmhouse"}
_STRONG_CUES = frozenset(["lives", "live", "living", "lived", "stays", "stay", "staying", "stayed", "house", "home", "flat", "address"])
# After "lives at 12" these say when or how many, not where.
_NOT_HOUSE_NAMES = frozenset(["am", "pm", "oclock", "weeks", "days", "nights", "times", "homes", "houses", "places",
                              "different", "separate", "months", "years", "hours", "mins", "minutes", "o'clock"])
_NUMBER_WORDS = frozenset(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                           "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
                           "twenty", "thirty", "forty", "fifty"])
_HOUSE_NUMBER = re2.compile(r"\d{1,4}[a-z]?")
# "Salters Lane South", "Elm Road North": a compass word after a street is part of its name.
_DIRECTIONS = frozenset(["north", "south", "east", "west"])
# "my neighbour at no. 14", "outside number 27": a house known by its number on the sender's street.
_HOUSE_NUMBER_WORDS = frozenset(["number", "no", "num"])
_AT_HOUSE = frozenset(["at", "from", "outside", "opposite", "to", "into", "visiting", "near"])
# "number 27 has lads coming and going": a house number opening a sentence, then what the house does.
_HOUSE_VERBS = frozenset(["has", "have", "had", "keeps", "kept", "always", "gets", "got"])


# Endings of English place names ("Oakfield", "Greenbank", "Ryedale", "Elmwood"): after a place
# or school cue such a word names a place even when the word table has it in lower case.
_TOPONYM_ENDINGS = ("field", "fields", "wood", "woods", "bank", "dale", "brook", "mead", "croft", "hurst", "thorpe",
                    "moor", "holme", "grange", "leigh", "worth", "combe", "bury", "lands", "ridge", "haven", "hill")


def _toponym(tok: Token) -> bool:
    low = tok.lower
    return tok.is_word and any(low.endswith(e) and len(low) - len(e) >= 3 for e in _TOPONYM_ENDINGS) \
        and low not in names.words().blocked


def _house_number(tok: Token | None) -> bool:
    return tok is not None and _HOUSE_NUMBER.fullmatch(tok.lower) is not None


def _with_direction(toks: list[Token], end: int) -> int:
    """``end`` (a token index, exclusive), past a compass word that follows the street."""
    if end < len(toks) and toks[end].lower in _DIRECTIONS and (toks[end].is_cap or toks[end - 1].is_lower) \
            and not toks[end].nl_before:
        return end + 1
    return end


@functools.lru_cache(maxsize=1)
def _openers() -> frozenset[str]:
    w = names.words()
    return w["stop_words"] | w["discourse"] | w["weekdays"] | w["months"] | FUNCTION


def _street_name(ctx: Context, suffix: int) -> list[Token]:
    """Up to three name words right before the street word at ``suffix`` ("Cleveland", "St Mary 's")."""
    toks = ctx.tokens
    found: list[Token] = []
    words = 0
    j = suffix - 1
    openers = _openers()
    while j >= 0 and words < 3 and suffix - j <= 8:  # bounded: linear time
        tok = toks[j]
        if tok.text in ("'s", ".") and (found or tok.text == "'s"):  # "St Cuthbert's Way"
            found.insert(0, tok)
        elif tok.is_word and tok.lower not in openers and ctx.spans.free(tok.start, tok.end) \
                and not (tok.is_lower and (tok.lower in _CUES or tok.lower in _STRONG_CUES)) \
                and (tok.i not in ctx.protected or tok.lower in names.words().places):  # "Cleveland Terrace"
            found.insert(0, tok)
            words += 1
        else:
            break
        if toks[j].nl_before:
            break
        j -= 1
    while found and found[0].text in ("'s", "."):
        found.pop(0)
    return found


def _start_with_number(ctx: Context, first: Token) -> int | None:
    """The token index where "12", "flat 3, 45", "number 7 on" begins before the street's name."""
    toks = ctx.tokens
    i = first.i - 1
    if i >= 0 and toks[i].text == ",":
        i -= 1
    if i >= 0 and toks[i].lower in _NUMBER_WORDS and first.lower not in _ROAD_KINDS \
            and (i == 0 or toks[i - 1].lower in ("number", "no", "at")):
        return i - 1 if i >= 1 and toks[i - 1].lower in ("number", "no") else i  # "number twelve cedar road"
    if i >= 0 and _house_number(toks[i]):
        start = i - 1 if i >= 1 and toks[i - 1].lower in FLAT_WORDS else i  # "apartment 3, quayside court"
        # "flat 3, 45 Victoria Street"
        k = start - 1
        if k >= 0 and toks[k].text == ",":
            k -= 1
        if k >= 1 and _house_number(toks[k]) and toks[k - 1].lower in FLAT_WORDS:
            start = k - 1
        return start
    # "number 7 on Cleveland Terrace"
    if i >= 2 and toks[i].lower in ("on", "in", "of") and _house_number(toks[i - 1]) \
            and toks[i - 2].lower in ("number", "no", "num", "house"):
        start = i - 2
        if start >= 1 and toks[start - 1].lower == "house":
            start -= 1
        return start
    return None


def _cue_before(ctx: Context, first: Token) -> tuple[bool, bool]:
    """(a place word stands before the street's name, that word follows "lives"/"house"...)."""
    toks = ctx.tokens
    i = first.i - 1
    if i >= 1 and toks[i].lower == "the" and toks[i - 1].lower in _CUES and toks[i - 1].lower != "of" \
            and not all(t.lower in lexicon().ordinary for t in _name_after(ctx, first)):
        return True, False  # "lives on the thompson street flats": a name no dictionary knows
    if i >= 0 and toks[i].lower == "the":
        return False, False  # "the high street": a kind of place, not one street
    if i >= 1 and toks[i].lower in ("and", "or", "&") and not ctx.spans.free(toks[i - 1].start, toks[i - 1].end):
        return True, False  # "the corner of park lane and elm road": the second street too
    if i >= 0 and toks[i].lower in ("lives", "live", "living", "stays", "staying"):
        return True, True  # "lives elm road"
    if i >= 1 and toks[i].text in ("is", ":", "-") and toks[i - 1].lower == "address":
        return True, True  # "the address is elm road"
    if i < 0 or toks[i].lower not in _CUES:
        return False, False
    if toks[i].lower == "of" and (i < 1 or toks[i - 1].lower not in ("corner", "end", "top", "bottom", "back", "side",
                                                                      "middle", "start", "far")):
        return False, False  # "the corner of pease street"; "a lot of side streets" has no cue
    return True, i >= 1 and toks[i - 1].lower in _STRONG_CUES


def _name_after(ctx: Context, first: Token) -> list[Token]:
    """The words from ``first`` up to the street word (at most three)."""
    out = []
    for tok in ctx.tokens[first.i:first.i + 3]:
        if tok.lower in STREET_WORDS or not tok.is_word:
            break
        out.append(tok)
    return out


@functools.lru_cache(maxsize=1)
def _local_index() -> tuple[PhraseIndex, PhraseIndex]:
    from cse_core.locality import load

    local = load()
    return PhraseIndex(_variants(local.streets)), PhraseIndex(_variants(_school_short_names(local.schools)))


def _school_short_names(schools: tuple[str, ...]) -> tuple[str, ...]:
    """The listed schools and their names without the kind words, as people say them: "Northwood"
    for "Northwood Primary", "Marchbank" for "Marchbank Free School" (not "Abbey" nor a town)."""
    from cse_core.tokens import normalise, tokenize

    lex = lexicon()
    kinds = _SCHOOL_HEADS | _SCHOOL_KIND | {"sixth", "form", "free"}
    out = list(schools)
    for school in schools:
        words = [t.text for t in tokenize(normalise(school))]
        while words and words[-1].lower() in kinds:
            words.pop()
        if words and len(words) < len(school.split()) and " ".join(words).lower() not in _area_names() and any(
                w.isalpha() and w.lower() not in lex.ordinary and w.lower() not in names.words().places
                and not names.is_given_name(w) for w in words):
            out.append(" ".join(words).replace(" 's", "'s"))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _areas_index() -> PhraseIndex:
    from cse_core.locality import load

    return PhraseIndex(_variants(load().areas))


@functools.lru_cache(maxsize=1)
def _area_names() -> frozenset[str]:
    from cse_core.locality import load
    from cse_core.tokens import normalise, tokenize

    return frozenset(" ".join(t.lower for t in tokenize(normalise(a))) for a in load().areas)


def areas(ctx: Context) -> None:
    """Estates, villages and landmarks of the area: with an age they narrow a child down."""
    toks = ctx.tokens
    for first, last in _areas_index().matches(toks):
        ctx.spans.add(toks[first].start, toks[last - 1].end, PLACE)


def _variants(phrases: tuple[str, ...]) -> list[str]:
    """As people type them: "St Aidan's", "st aidans", "St. Aidan's", "Saint Aidan's", "st aidan"."""
    out: set[str] = set()
    for phrase in phrases:
        forms = {phrase, phrase.replace("'s", "s"), phrase.replace("'s", "")}
        for form in list(forms):
            if form.startswith("St "):
                forms |= {"Saint " + form[3:], "St. " + form[3:]}
        out |= forms
    return sorted(out)


def addresses(ctx: Context) -> None:
    toks = ctx.tokens
    lex = lexicon()
    streets, _ = _local_index()
    for first, last in streets.matches(toks):
        start = _start_with_number(ctx, toks[first])
        ctx.spans.add(toks[first if start is None else start].start, toks[last - 1].end, ADDRESS)
    in_area = {i for first, last in _areas_index().matches(toks) for i in range(first, last)}
    # a street word inside a listed place ("Middleton St George", "Skerne Park") names no street;
    # one that is a listed place on its own ("Croft") does after a street's name ("12 cobden croft")
    inside_area = {i for first, last in _areas_index().matches(toks) for i in range(first + 1, last)}
    for tok in toks:
        low = tok.lower
        if (low not in STREET_WORDS and low not in STREET_WORDS_CAP) or tok.i in inside_area:
            continue  # "Middleton St George" is a village
        nxt = toks[tok.i + 1] if tok.i + 1 < len(toks) else None
        if low == "st" and nxt is not None and nxt.is_cap:
            continue  # "St Aidan's": a saint, not a street
        if nxt is not None and nxt.lower in ("school", "academy", "college", "primary", "juniors", "infants", "nursery"):
            continue  # "Beaumont Hill Academy": a school's name
        name = _street_name(ctx, tok.i)
        prev = toks[tok.i - 1] if tok.i >= 1 else None
        if not name and low in STREET_WORDS and prev is not None and prev.is_word and prev.lower not in FUNCTION \
                and ctx.spans.free(prev.start, prev.end) and _start_with_number(ctx, prev) is not None:
            ctx.spans.add(toks[_start_with_number(ctx, prev)].start, tok.end, ADDRESS)  # "number 47, front street"
            continue
        the = toks[tok.i - 1] if tok.i >= 2 else None
        if not name and the is not None and the.lower == "the" and (the.is_cap or tok.is_cap or low in STREET_WORDS) \
                and _house_number(toks[tok.i - 2]) and tok.i not in ctx.protected:
            ctx.spans.add(toks[tok.i - 2].start, tok.end, ADDRESS)  # "3 The Paddocks", "5 the Green"
            continue
        if not name or tok.i in ctx.protected or " ".join(t.lower for t in [*name, tok]) in _area_names():
            continue  # "Teesside Park", "Skerne Park": places
        end = toks[_with_direction(toks, tok.i + 1) - 1].end
        if nxt is not None and nxt.text == "." and low in ("st", "rd", "ave", "dr", "ct", "pl", "cres", "gdns", "tce"):
            end = nxt.end
        start_i = _start_with_number(ctx, name[0])
        if start_i is not None:
            ctx.spans.add(toks[start_i].start, end, ADDRESS)
            continue
        name_words = [t.lower for t in name if t.is_word]
        if all(t.i in ctx.protected for t in name if t.is_word) and len(name_words) > 1:
            continue  # "Harrowgate Hill", "Teesside Park": places
        if tok.is_cap and all(t.is_cap for t in name if t.is_word):
            if low in STREET_WORDS_CAP and low not in STREET_WORDS and all(w in lex.ordinary for w in name_words) \
                    and not _cue_before(ctx, name[0])[1]:
                continue  # "Youth Court", "Central Park"; but "we live on Beech Way"
            ctx.spans.add(name[0].start, end, ADDRESS)
            continue
        cue, strong = _cue_before(ctx, name[0])
        if low not in STREET_WORDS:
            # "on harewood hill", "near kingfisher way": a name no dictionary knows, after a place word
            if cue and low in STREET_WORDS_CAP and low not in ("dr", "ct", "pl", "cl", "gr", "sq", "ter") and (strong or all(
                    t.lower not in lex.ordinary and t.lower not in names.words().blocked
                    and not names.is_given_name(t.text) for t in name if t.is_word)) \
                    and not any(t.lower in names.words().blocked for t in name):
                ctx.spans.add(name[0].start, end, ADDRESS)  # "lives in oak close" after "lives", "stays"
            continue
        # "near station road", "at oak avenue": ordinary words too, but not a kind of road ("on ring road")
        if cue and (strong or not all(w in lex.ordinary for w in name_words)
                    or (low in _NAMED_STREET_WORDS and not any(w in _ROAD_KINDS for w in name_words))):
            ctx.spans.add(name[0].start, end, ADDRESS)  # "lives on station road", "near cleveland st"
    for tok in toks:  # "she lives at 22 Pendower": a house number and a name after an address cue
        if not _house_number(tok) or tok.i < 1 or tok.i + 1 >= len(toks):
            continue
        first = tok.i  # "lives at number 9 sandringham": from "number"
        if toks[first - 1].lower in ("number", "no", "num") and first >= 2:
            first -= 1
        prep, verb = toks[first - 1], (toks[first - 2].lower if first >= 2 else "")
        nxt = toks[tok.i + 1]
        cued = prep.lower in ("at", "on", "is") and verb in _STRONG_CUES | {"address"}
        # else "took her to 16 Maidendale", "a place at 3 ravenscroft": after any place word, a
        # proper noun (capitalised, or one the word table has mostly with a capital) and no person's name
        proper = (nxt.is_cap and nxt.lower not in lex.ordinary) or _toponym(nxt) or (
            nxt.is_lower and len(nxt.text) > 3 and (nxt.lower in lex.proper or nxt.lower not in lex.known))
        if not cued and not (prep.lower in ("at", "to", "from", "outside", "near") and proper and nxt.is_word
                             and not names.is_given_name(nxt.text)
                             and nxt.lower not in names.words().blocked and nxt.i not in ctx.protected):
            continue
        end = tok.i + 1
        if cued and end + 1 < len(toks) and toks[end].lower == "the" and toks[end + 1].is_word \
                and toks[end + 1].lower not in _NOT_HOUSE_NAMES and toks[end + 1].lower not in _openers() \
                and ctx.spans.free(toks[end + 1].start, toks[end + 1].end) \
                and (end + 2 >= len(toks) or toks[end + 2].lower != "of"):  # "at 14 the rest of the time"
            ctx.spans.add(toks[first].start, toks[end + 1].end, ADDRESS)  # "she's living at 2 the oval"
            continue
        while end < len(toks) and end - tok.i <= 2 and toks[end].lower not in _openers() \
                and (toks[end].is_cap or (end == tok.i + 1 and toks[end].is_word and len(toks[end].text) > 2
                                          and toks[end].lower not in _NOT_HOUSE_NAMES
                                          and toks[end].lower not in names.words().blocked)) \
                and ctx.spans.free(toks[end].start, toks[end].end):
            end += 1  # "lives at 22 Pendower", "lives at 14 harewood"
        if end > tok.i + 1:
            end = _with_direction(toks, end)
            ctx.spans.add(toks[first].start, toks[end - 1].end, ADDRESS)
    for tok in toks:  # "lives at west farm", "address is hill top farm", "stays at Orchard House"
        if tok.lower not in _HOUSE_NAME_WORDS or not ctx.spans.free(tok.start, tok.end):
            continue
        name = _street_name(ctx, tok.i)
        if not name or any(t.text == "'s" or t.lower in names.words()["relations"] for t in name):
            continue  # "her nan's house", "a friend house"
        i = name[0].i - 1
        cued = i >= 1 and ((toks[i].lower in ("at", "in") and toks[i - 1].lower in _STRONG_CUES - {"house", "home", "flat"})
                           or (toks[i].lower in ("is", ":") and toks[i - 1].lower == "address"))
        if cued or (i >= 0 and toks[i].lower == "address"):
            ctx.spans.add(name[0].start, tok.end, ADDRESS)
    for tok in toks:  # "Low Farm, Sadberge Road", "at Fir Tree Farm", "Flat 4 Oak House": a house's name
        if not tok.is_cap or tok.lower not in _CAP_HOUSE_WORDS or tok.i in ctx.protected \
                or not ctx.spans.free(tok.start, tok.end):
            continue
        name = _street_name(ctx, tok.i)
        if not name or not all(t.is_cap for t in name if t.is_word) or any(t.i in ctx.protected for t in name) \
                or (len(name) == 1 and name[0].lower in _KIND_OF_HOUSE):
            continue  # "a Safe House", "Care Home": a kind, not a house's name
        i = name[0].i - 1
        if i >= 0 and toks[i].text == "The":
            i -= 1
        if i < 0 or toks[i].lower in ("at", "called", "named", ",", ":", "address") or _house_number(toks[i]):
            start = name[0].start
            if i >= 1 and _house_number(toks[i]) and toks[i - 1].lower in FLAT_WORDS:
                start = toks[i - 1].start  # "Flat 4 Oak House"
            ctx.spans.add(start, tok.end, ADDRESS)
    for tok in toks:  # "lives at The Laurels", "a house called The Laurels", "Flat 2, The Maltings,"
        if tok.lower != "the" or tok.i < 2 or tok.i + 1 >= len(toks) or (tok.text != "The" and not toks[tok.i + 1].is_cap):
            continue  # "lives at The Laurels", "lives at the Elms"
        prev, before = toks[tok.i - 1], toks[tok.i - 2]
        cued = (prev.lower == "at" and before.lower in _STRONG_CUES) or (
            prev.lower == "called" and before.lower in ("house", "home", "flat", "farm", "cottage")) or (
            prev.text == "," and _house_number(before) and (
                not ctx.spans.free(before.start, before.end) or (before.i >= 1 and toks[before.i - 1].lower in FLAT_WORDS)))
        if not cued:
            continue
        end = tok.i + 1
        while end < len(toks) and end - tok.i <= 2 and toks[end].is_cap and toks[end].is_word \
                and toks[end].lower not in names.words().blocked and end not in ctx.protected \
                and ctx.spans.free(toks[end].start, toks[end].end):
            end += 1
        if end > tok.i + 1:
            ctx.spans.add(tok.start, toks[end - 1].end, ADDRESS)
    for tok in toks:  # "flat 3" without a street; "flat 6 lyndhurst house": with the building's name
        nxt = toks[tok.i + 1] if tok.i + 1 < len(toks) else None
        if tok.lower in FLAT_WORDS and _house_number(nxt) and nxt.start - tok.end <= 1:
            end = nxt.i
            j = nxt.i + 1 + (nxt.i + 1 < len(toks) and toks[nxt.i + 1].text == ",")
            for k in range(j, min(j + 3, len(toks))):  # up to two words, then the building word
                if not toks[k].is_word or toks[k].lower in _openers() or not ctx.spans.free(toks[k].start, toks[k].end):
                    break
                if toks[k].lower in _BUILDING_WORDS and k > j:
                    end = k
                    break
            ctx.spans.add(tok.start, toks[end].end, ADDRESS)
    for tok in toks:  # "she lives on pendower", "he lives off Brankin": a street no dictionary knows
        if tok.i < 2 or tok.lower not in ("on", "off") or toks[tok.i - 1].lower not in _STRONG_CUES - {"house", "home", "flat", "address"}:
            continue
        if tok.i + 1 >= len(toks):
            continue
        nxt = toks[tok.i + 1]
        if nxt.is_word and nxt.lower not in lex.known and nxt.i not in ctx.protected and nxt.i not in in_area \
                and nxt.lower not in names.words().blocked and not names.is_given_name(nxt.text) \
                and ctx.spans.free(nxt.start, nxt.end):
            ctx.spans.add(nxt.start, nxt.end, ADDRESS)
    _house_numbers(ctx)
    _estates(ctx, in_area)
    _town_after(ctx, in_area)


def _house_numbers(ctx: Context) -> None:
    """A house by its number alone: "my neighbour at no. 14", "outside number 27", and "number 27
    has lads coming and going" opening a sentence. Next to the sender's own street it is one house."""
    toks = ctx.tokens
    for tok in toks:
        if tok.lower not in _HOUSE_NUMBER_WORDS:
            continue
        num = tok.i + 1 + (tok.i + 1 < len(toks) and toks[tok.i + 1].text == ".")
        if num >= len(toks) or not _house_number(toks[num]) or not ctx.spans.free(tok.start, toks[num].end):
            continue
        prev = toks[tok.i - 1] if tok.i >= 1 else None
        after = toks[num + 1] if num + 1 < len(toks) else None
        opens = prev is None or tok.nl_before or prev.text in (".", "!", "?")
        if (prev is not None and prev.lower in _AT_HOUSE and not prev.nl_before) or (
                opens and after is not None and after.lower in _HOUSE_VERBS):
            ctx.spans.add(tok.start, toks[num].end, ADDRESS)


# "the Glebe estate", "on the brookfield estate", "the kirkdale flats": one estate's or block's
# name narrows a child to a few streets, like the listed ones; "a council estate", "the new
# flats" are kinds, not names.
_ESTATE_WORDS = frozenset(["estate", "estates", "flats"])
_ESTATE_KINDS = frozenset(
    ["council", "housing", "new", "old", "local", "big", "small", "large", "huge", "massive", "whole", "entire", "other",
     "nearby", "industrial", "trading", "business", "retail", "real", "rough", "posh", "private", "social", "public",
     "next", "country", "family", "residential", "caravan", "shopping", "quiet", "busy", "dodgy", "bad", "good", "nice",
     "poor", "rich", "deprived", "notorious", "different", "own", "modern", "newer", "older", "rented", "mixed",
     "grand", "landed", "sprawling", "ex", "run", "that", "this", "same", "an", "a", "whose", "which", "what", "whole",
     "student", "empty", "top", "bottom", "high", "rise", "block", "tower", "temporary", "holiday", "luxury", "cheap",
     "two", "three", "four", "some", "them", "those", "these", "both", "all", "many", "few", "several", "self",
     "contained", "one", "bed", "bedroom", "studio", "care", "leavers", "leaver", "youth", "hostel"])
_NOT_ESTATE_AFTER = frozenset(["agent", "agents", "agency", "car", "cars", "planning", "tax"])


def _estates(ctx: Context, in_area: set[int]) -> None:
    toks = ctx.tokens
    lex = lexicon()
    blocked = names.words().blocked
    for tok in toks:
        if tok.lower not in _ESTATE_WORDS or tok.i == 0:
            continue
        nxt = toks[tok.i + 1] if tok.i + 1 < len(toks) else None
        if nxt is not None and nxt.lower in _NOT_ESTATE_AFTER:
            continue  # "an estate agent"
        found: list[Token] = []
        j = tok.i - 1
        while j >= 0 and len(found) < 2:  # bounded: linear time
            t = toks[j]
            if not t.is_word or t.lower in _ESTATE_KINDS or t.lower in _openers() or j in ctx.protected \
                    or (t.lower in blocked and j not in in_area) or not ctx.spans.free(t.start, t.end):
                break
            found.insert(0, t)
            if t.nl_before:
                break
            j -= 1
        if not found:
            continue
        the = j >= 0 and toks[j].lower == "the" and found[0].i == j + 1
        # a capital or a word no dictionary calls ordinary names it; after "the" a plural too ("the
        # cedars estate"), not a word that says how the estate is ("the derelict flats")
        if any(t.is_cap or t.lower not in lex.ordinary or t.i in in_area for t in found) or (
                the and all(len(t.text) > 3 and t.lower.endswith("s") and not t.lower.endswith(("ss", "us", "is"))
                            for t in found)):
            ctx.spans.add(found[0].start, found[-1].end, PLACE)


def _town_after(ctx: Context, in_area: set[int]) -> None:
    """"12 Elm Road, Eaglescliffe": the village or town written after an address, unless the area's
    lists know it (a town stays, an estate or village is a [PLACE])."""
    toks = ctx.tokens
    ends = {tok.end: tok.i for tok in toks}
    lex = lexicon()
    blocked = names.words().blocked
    for span in [s for s in ctx.spans.items if s.label == ADDRESS]:
        i = ends.get(span.end)
        if i is None or i + 2 >= len(toks) or toks[i + 1].text != ",":
            continue
        j, last = i + 2, None
        while j < len(toks) and j - i <= 6:
            tok = toks[j]
            if last is not None and tok.text == "-" and not tok.ws and j + 1 < len(toks):
                j += 1  # "Chester-le-Street"
                continue
            lone = tok.is_word and tok.lower not in blocked and j not in ctx.protected and j not in in_area \
                and tok.lower not in STREET_WORDS and ctx.spans.free(tok.start, tok.end)
            if not lone or not (tok.is_cap or (tok.is_lower and (last is not None or tok.lower not in lex.ordinary))):
                break
            if last is not None and toks[j - 1].text != "-" and (not tok.is_cap or toks[j - 1].nl_before):
                break
            last = j
            j += 1
        if last is not None and not all(toks[k].lower in lex.ordinary for k in range(i + 2, last + 1) if toks[k].is_word):
            ctx.spans.add(toks[i + 2].start, toks[last].end, ADDRESS)


# --- Schools --------------------------------------------------------------------------------

# A school as the one who acts or employs: "Ashgrove have excluded her", "Ashgrove's SENCO".
_SCHOOL_ACTS = frozenset(["excluded", "suspended", "expelled", "rung", "rang", "called", "phoned", "emailed", "contacted",
                          "raised", "reported", "referred", "said", "told", "sent", "informed", "flagged", "noticed"])
_SCHOOL_STAFF = frozenset(["senco", "dsl", "head", "headteacher", "headmaster", "headmistress", "teacher", "teachers",
                           "nurse", "pastoral", "safeguarding", "deputy", "principal", "staff", "tutor", "pupils", "students"])

_SCHOOL_HEADS = frozenset(["school", "academy", "college", "primary", "juniors", "infants", "nursery", "comp", "comprehensive",
                           "pru", "utc", "acadamy", "accademy", "acedemy", "academey", "skool", "scool", "skl", "acad", "sch"])
# A faith school's kind at the end of its name: "Fellside RC", "Fellside C of E", "fellside cofe".
_FAITH_KIND = frozenset(["rc", "cofe"])  # not "CE": child exploitation
# Words after "holy" or "sacred" that name a school in lower case too ("goes to holy cross").
_FAITH_NAMES = frozenset(["cross", "trinity", "family", "name", "rosary", "heart", "redeemer", "rood", "saviour",
                          "innocents", "angels", "spirit", "island"])
# Schools named after a place: "Park View Academy", "castle hill school" (ordinary words, lower case).
_PLACE_NOUNS = STREET_WORDS | STREET_WORDS_CAP | _HOUSE_NAME_WORDS | frozenset(
    ["cross", "hall", "bridge", "field", "wood", "moor", "tree", "trees", "oaks", "acres", "meadow", "valley", "well", "wells",
     "castle", "farm", "brook", "forest"])
_SCHOOL_KIND = frozenset(["primary", "junior", "juniors", "infant", "infants", "nursery", "secondary", "high", "grammar", "sixth", "form", "free", "c", "of", "e", "ce", "rc", "catholic", "church", "england", "methodist", "community", "special"])
# Words that only describe a school ("secondary school", "the new academy"), never name one.
_SCHOOL_GENERIC = frozenset(
    ["primary", "secondary", "high", "junior", "infant", "infants", "nursery", "grammar", "sixth", "form", "free", "special", "private", "state", "independent", "boarding", "local", "new", "old", "big", "little", "same", "different", "other", "another", "catholic", "faith", "summer", "sunday", "football", "sport", "sports", "boxing", "gym", "gymnastics", "cadet", "cadets", "youth", "night", "driving", "dance", "drama", "police", "art", "music", "business", "law", "medical", "her", "his", "my", "their", "our", "your", "the", "a", "an", "this", "that", "which", "what", "every", "any", "at", "to", "from", "in", "school", "academy", "college", "community", "c", "of", "e", "ce", "rc", "church", "england", "year", "residential", "alternative", "pupil", "referral", "unit", "mainstream", "local", "secondary-school", "main", "whole", "entire", "previous", "current", "last", "next", "first", "second", "third"])
# After these a capitalised name is a school's: "attends Longfield", "in year 9 at Rydal",
# "a pupil at Eastfield", "excluded from Northwood".
_ATTEND = frozenset(["attends", "attend", "attending", "attended", "enrolled", "enroled"])
_PUPIL = frozenset(["pupil", "pupils", "student", "students", "teacher", "teachers", "headteacher", "head",
                    "excluded", "expelled", "suspended", "enrolled", "senco", "dsl", "nurse", "year", "yr", "y"])
_GO = frozenset(["go", "goes", "going", "went", "gone", "attend", "attends", "attending", "attended", "at", "from", "to", "started", "joined", "moved"])


def _school_head(ctx: Context, kind_start: int) -> list[Token]:
    """The name words before a school's kind: "Hurworth", "Mount Pleasant", "St Aidan 's"."""
    toks = ctx.tokens
    found: list[Token] = []
    words = 0
    j = kind_start - 1
    openers = _openers() - {"st"}
    while j >= 0 and words < 4 and kind_start - j <= 10:  # bounded: linear time
        tok = toks[j]
        if tok.text in ("'s", ".", "-", "'") and not tok.nl_before:  # "St Mary's", "Kings' Academy"
            found.insert(0, tok)
        elif tok.is_word and tok.lower not in openers and ctx.spans.free(tok.start, tok.end):
            found.insert(0, tok)
            words += 1
        else:
            break
        if tok.nl_before:
            break
        j -= 1
    while found and not found[0].is_word:
        found.pop(0)
    # past ordinary words before a distinctive one ("Attends Hurworth"), but "Mount Pleasant" whole
    lex = lexicon()
    def distinctive(t: Token) -> bool:
        return t.is_word and t.lower not in _SCHOOL_GENERIC and (t.lower not in lex.ordinary or t.lower == "st")
    while len(found) > 1 and found[0].lower in lex.ordinary and found[0].lower != "st" \
            and any(distinctive(t) for t in found[1:]):
        found.pop(0)
        while found and not found[0].is_word:
            found.pop(0)
    return found


def _after_school_cue(ctx: Context, tok: Token) -> int | None:
    """The token index after "attends", "year 9 at", "pupil at": where a school's name stands."""
    toks = ctx.tokens
    if tok.lower in _ATTEND and tok.i + 1 < len(toks):
        return tok.i + 1
    # "her school is Eastbrook", "school: Kingsmead", "the school (Eastbrook)", "school at Eastbrook"
    if tok.text in ("is", "was", ":", "-", "(", "at", ",", "'s") and tok.i >= 1 and tok.i + 1 < len(toks):
        prev = toks[tok.i - 1]
        if prev.text == "'s" and tok.i >= 2:
            prev = toks[tok.i - 2]
        if prev.lower in ("school", "academy", "college"):
            return tok.i + 1
    if tok.lower == "of" and tok.i >= 1 and tok.i + 1 < len(toks) \
            and toks[tok.i - 1].lower in ("pupil", "pupils", "student", "students"):
        return tok.i + 1  # "an ex pupil of fellside"
    if tok.lower not in ("at", "from", "@") or tok.i < 1 or tok.i + 1 >= len(toks):
        return None
    prev = toks[tok.i - 1]
    if prev.lower in _PUPIL - {"year", "yr", "y"} or prev.lower in ("kids", "started", "starting", "schools"):
        return tok.i + 1
    if prev.lower == "year" and tok.i >= 2 and toks[tok.i - 2].lower == "of":
        return tok.i + 1  # "her head of year at oakfield"
    # "year 9 at", "yr 10 at", "Y11 at"
    if prev.text.isdigit() and tok.i >= 2 and toks[tok.i - 2].lower in ("year", "yr", "y"):
        return tok.i + 1
    if (prev.lower[:1] == "y" and prev.lower[1:].isdigit()) or (prev.lower[:2] == "yr" and prev.lower[2:].isdigit()):
        return tok.i + 1
    return None


def _head_ok(head: list[Token]) -> bool:
    lex = lexicon()
    for tok in head:
        if not tok.is_word or tok.lower in _SCHOOL_GENERIC:
            continue
        if tok.is_cap or tok.lower not in lex.ordinary or _toponym(tok):
            return True
    return _place_pair([t for t in head if t.is_word])


def _place_pair(words: list[Token]) -> bool:
    """Two or more words ending in a place's noun: "park view", "oak tree", "mill field"."""
    return len(words) >= 2 and words[-1].lower in _PLACE_NOUNS and words[0].lower not in _SCHOOL_GENERIC


def schools(ctx: Context) -> None:
    toks = ctx.tokens
    _, known = _local_index()
    for first, last in known.matches(toks):
        end = last  # "Rydal Academy" listed, "Rydal Academy Trust School" typed: the kind words too
        while end < len(toks) and end - last < 4 and toks[end].lower in _SCHOOL_HEADS | _SCHOOL_KIND \
                and not toks[end].nl_before:
            end += 1
        ctx.spans.add(toks[first].start, toks[end - 1].end, SCHOOL)
    for tok in toks:
        nxt = toks[tok.i + 1] if tok.i + 1 < len(toks) else None
        # "Northfield High" without "School": "high" after a name ("the risk is high" has none)
        faith = tok.lower in _FAITH_KIND or (tok.lower == "e" and tok.i >= 2 and toks[tok.i - 1].lower == "of"
                                             and toks[tok.i - 2].lower == "c")
        high = (faith or tok.lower in ("high", "grammar", "secondary")) and (nxt is None or (
            nxt.lower not in _SCHOOL_HEADS and nxt.lower not in STREET_WORDS and nxt.lower not in STREET_WORDS_CAP))
        sixth_form = tok.lower == "form" and tok.i >= 1 and toks[tok.i - 1].lower == "sixth"  # "Ashdown Sixth Form"
        if (tok.lower not in _SCHOOL_HEADS and not high and not sixth_form) or tok.i in ctx.protected:
            continue  # "the Virtual School": a service
        if nxt is not None and nxt.lower in _SCHOOL_HEADS and not nxt.nl_before:
            continue  # "Primary School": the last word is the head
        kind_start = tok.i
        while kind_start > max(0, tok.i - 6) and toks[kind_start - 1].lower in _SCHOOL_KIND \
                and not toks[kind_start].nl_before:
            kind_start -= 1
        head = _school_head(ctx, kind_start)
        words = [t for t in head if t.is_word]
        if high and tok.lower not in _SCHOOL_HEADS and not any(
                t.lower not in _SCHOOL_GENERIC and t.lower not in lexicon().ordinary for t in words) \
                and not _place_pair(words):
            continue  # "the risk is Very High": ordinary words before "high" name no school; "Oak Tree High" does
        if head and _head_ok(head):
            ctx.spans.add(head[0].start, tok.end, SCHOOL)
    # "attends Longfield", "in year 9 at Rydal", "a pupil at Eastfield": a school's name
    for tok in toks:
        start = _after_school_cue(ctx, tok)
        if start is None:
            continue
        head: list[Token] = []
        j = start
        # a lower-case word no dictionary knows too: "her school is brackenhill", "excluded from kirkbridge"
        named = toks[start - 1].text in ("is", "was", ":", "-", "(", "at", "@", ",", "from", "'s", "of") \
            and not names.is_given_name(toks[start].text)
        if toks[start - 1].text == "'s" and (toks[start].lower in lexicon().ordinary and not _toponym(toks[start])):
            continue  # "his school's oakfield"; not "the school's Head of Year"
        while j < len(toks) and len(head) < 3 and (toks[j].is_cap or (
                named and j == start and toks[j].is_lower and toks[j].is_word
                and (toks[j].lower not in lexicon().ordinary or _toponym(toks[j])))) \
                and toks[j].lower not in _openers() \
                and j not in ctx.protected and toks[j].lower not in names.words().blocked \
                and ctx.spans.free(toks[j].start, toks[j].end) and (j == start or not toks[j].nl_before):
            head.append(toks[j])
            j += 1
        if len(head) == 1 and head[0].lower in ("st", "saint") and j < len(toks) and toks[j].is_word \
                and toks[j].lower not in _openers() and ctx.spans.free(toks[j].start, toks[j].end):
            head.append(toks[j])  # "her school is st cuthberts"
            j += 1
        if head and j < len(toks) and toks[j].text == "'s":
            head.append(toks[j])
        # after "attends" a word of its own ("attends Scouts" is a club); after "year 9 at" any
        if head and (toks[start - 1].lower not in _ATTEND
                     or any(t.is_word and t.lower not in lexicon().ordinary for t in head)):
            ctx.spans.add(head[0].start, head[-1].end, SCHOOL)
    # "goes to St Aidan's", "St Thomas More", "Our Lady of Lourdes", "holy cross": a saint's or a
    # faith's name after going to a place
    for tok in toks:
        if tok.i < 1 or toks[tok.i - 1].lower not in _GO | {"to", "from"}:
            continue
        j = tok.i + 1
        if tok.lower == "our" and j < len(toks) and toks[j].lower == "lady" and (
                tok.is_cap or (j + 1 < len(toks) and toks[j + 1].text in ("'s", "of"))):
            j += 1  # "Our Lady's", "Our Lady of Lourdes"; not "our lady friend"
            if j + 1 < len(toks) and toks[j].lower == "of" and toks[j + 1].is_cap:
                j += 1
        elif tok.lower not in ("st", "saint", "holy", "sacred") or (
                tok.lower in ("holy", "sacred") and tok.is_lower and j < len(toks) and toks[j].lower not in _FAITH_NAMES):
            continue  # "holy cross", "Holy Rood"; not "went to holy communion"
        if j < len(toks) and toks[j].text == ".":
            j += 1
        if j < len(toks) and toks[j].is_word and toks[j].lower not in _openers():
            after = toks[j + 1] if j + 1 < len(toks) else None
            if tok.is_cap and after is not None and after.is_cap and after.is_word and toks[j].ws \
                    and after.lower not in names.words().places and after.lower not in _SCHOOL_HEADS | _SCHOOL_KIND:
                j += 1  # "St Thomas More"
            end = toks[j].end
            if j + 1 < len(toks) and toks[j + 1].text == "'s":
                end = toks[j + 1].end
            ctx.spans.add(tok.start, end, SCHOOL)
        elif tok.lower == "our" and toks[j - 1].lower == "lady":
            ctx.spans.add(tok.start, toks[j - 1].end, SCHOOL)
    # "she goes to egglescliffe", "he's at conyers", "goes to Oakwood", "he's at Greenbank": a
    # word no dictionary, name list or place list knows (or a place name's shape: "oakfield"),
    # after going to or being at
    lex = lexicon()
    for tok in toks:
        if tok.i < 2 or not (tok.is_lower or tok.is_cap):
            continue
        prep, verb = toks[tok.i - 1].lower, toks[tok.i - 2].lower
        going = (prep == "to" and verb in _GO | {"school", "schools"}) or (prep == "at" and verb in ("'s", "is", "was", "goes", "go", "went"))
        if not going or (tok.lower in lex.ordinary and not _toponym(tok)) or tok.lower in ("holy", "sacred"):
            continue  # "holy ..." is the faith rule's
        if tok.is_cap and tok.lower in lex.known and not _toponym(tok):
            continue  # "gone to Spain", "went to Specsavers": a place or shop the word table knows
        if not tok.is_word or len(tok.text) < 4 or tok.i in ctx.protected or tok.lower in names.words().blocked \
                or names.is_given_name(tok.text) or not ctx.spans.free(tok.start, tok.end):
            continue  # "goes to jayden": a person (the name rule takes it)
        nxt = toks[tok.i + 1] if tok.i + 1 < len(toks) else None
        if nxt is not None and (nxt.text == "'s" or nxt.lower in ("house", "flat", "place", "mum", "dad", "nan")
                                or (not tok.ws and nxt.text not in (",", "!", "?", ";", ")", ".")) or (
                                    nxt.text == "." and not nxt.ws and nxt.i + 1 < len(toks))):
            continue  # "childnet.com/parents" is a link
        last = tok
        while tok.is_cap and last.i - tok.i < 2 and last.i + 1 < len(toks) and last.ws:  # "Acklam Grange"
            nxt = toks[last.i + 1]
            if not nxt.is_cap or not nxt.is_word or nxt.lower in names.words().blocked or nxt.i in ctx.protected \
                    or nxt.nl_before or not ctx.spans.free(nxt.start, nxt.end):
                break
            last = nxt
        ctx.spans.add(tok.start, last.end, SCHOOL)
    # "Ashgrove have excluded her", "ashgrove's senco": a word that is no ordinary word, given name
    # or surname (or has a place name's shape) acting as a school does
    for tok in toks[:-2]:
        nxt, after = toks[tok.i + 1], toks[tok.i + 2]
        acts = nxt.lower == "have" and after.lower in _SCHOOL_ACTS  # "have": a body, not a person ("X has told me")
        staff = nxt.text == "'s" and after.lower in _SCHOOL_STAFF
        if (acts or staff) and tok.is_word and len(tok.text) > 3 and (tok.lower not in lex.ordinary or _toponym(tok)) \
                and tok.i not in ctx.protected and tok.lower not in names.words().blocked \
                and tok.lower not in names.words().given and tok.lower not in names.words().surnames \
                and ctx.spans.free(tok.start, tok.end):
            ctx.spans.add(tok.start, tok.end, SCHOOL)
