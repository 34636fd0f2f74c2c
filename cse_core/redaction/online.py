"""Identifiers that find a child online: profile links, e-mail addresses (also spelled out in
words), and social-media handles, with or without an "@"."""

from __future__ import annotations

import re2

from cse_core import names
from cse_core.redaction.context import EMAIL, HANDLE, URL, Context, group_span
from cse_core.wordfreq import lexicon

_SOCIAL_HOSTS = ("facebook|fb|instagram|instagr|tiktok|vm\\.tiktok|snapchat|twitter|x|youtube|youtu|linkedin|reddit|"
                 "discord|discordapp|twitch|onlyfans|threads|t|wa|linktr|pinterest|tumblr|kik|telegram|roblox|"
                 "steamcommunity|bereal|yubo|wizz")
# A link with a scheme or "www.", or a profile on a social site without either ("instagram.com/chloe_x").
_URL = re2.compile(r"(?i)(?:\b(?:https?://|www\.)|\b(?:[a-z0-9-]+\.)*(?:" + _SOCIAL_HOSTS +
                   r")\.(?:com|me|gg|tv|be|ee|net|co|app)/)[^\s<>\"]+")
# Any other link with a path ("vsco.co/kayla", "cash.app/$daz") and a profile on its own host
# ("kaylaxo.tumblr.com"). Public sites (knowledge/locality.yml public_domains) stay.
_PATH_URL = re2.compile(r"(?i)\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|co|uk|org|net|me|io|fm|app|live|co|tv|gg|ee|ly|"
                        r"be|us|info|biz|site|xyz|link|page|bio|social|chat)/[^\s<>\"]+")
_PROFILE_HOST = re2.compile(r"(?i)\b[a-z0-9][a-z0-9_-]*\.(?:tumblr|carrd|blogspot|wordpress|substack|weebly|wixsite)"
                            r"\.(?:com|co)\b")
# A profile link read out: "instagram dot com slash kay_den", "tiktok.com slash @kaylaa".
_SPELLED_URL = re2.compile(r"(?i)\b(?:www\s+dot\s+)?(?:" + _SOCIAL_HOSTS + r")(?:\s+dot\s+|\.)(?:com|me|gg|tv|be|ee|net|co|app)"
                           r"(?:\s+(?:forward\s+)?slash\s+|\s*/\s*)(?:at\s+|@)?[A-Za-z0-9_.]*[A-Za-z0-9_]")
_EMAIL = re2.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

# "chloe dot smith at gmail dot com", "chloe123 (at) hotmail (dot) co (dot) uk"
_AT = r"(?:\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+|\s*@\s*)"
_DOT = r"(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+|\.)"
_JOIN = r"(?:" + _DOT + r"|\s+underscore\s+|\s+dash\s+|\s+hyphen\s+|[_-])"
_TLD = r"(?:com|co|uk|org|net|me|io|ie|info|biz|edu|gov|ac|sch|nhs|email|mail|live|eu|us|de|fr|pl|ro|lt)"
_PROVIDERS = ("gmail|googlemail|hotmail|yahoo|outlook|icloud|live|aol|btinternet|sky|protonmail|proton|ymail|msn|"
              "mail|me|virginmedia|talktalk")
_SPELLED = re2.compile(
    r"(?i)\b[A-Za-z0-9%+]+(?:" + _JOIN + r"[A-Za-z0-9%+]+)*" + _AT +
    r"(?:[A-Za-z0-9-]+(?:" + _DOT + r"[A-Za-z0-9-]+)*" + _DOT + _TLD + r"|(?:" + _PROVIDERS + r"))\b")

# A handle after the app or word that introduces it: "her snap is chloexo", "insta: chloe.x_",
# "add her on tiktok @kayla", "his username was dreamboy99".
_APPS = ("snapchat|snap|sc|insta|instagram|ig|tiktok|tik tok|kik|discord|twitter|fb|facebook|username|user name|"
         "handle|gamertag|gamer tag|psn|xbox|xbl|roblox|telegram|threads|twitch|youtube|yt|steam|wizz|yubo|"
         "whatsapp|bereal|reddit|pinterest|onlyfans|skype|messenger|account|profile|user")
_HANDLE_AFTER = re2.compile(
    r"(?i)\b(?:" + _APPS + r")(?:'s)?(?:\s+(?:name|account|acc|handle|username|user name|user|id|tag|profile|page))?"
    r"(?:'s)?(?P<sep>\s*(?:is|was|=|:|-|called|named|as)\s*|\s+)(?:is\s+|was\s+)?(?P<at>@\s*)?"
    r"(?P<h>[A-Za-z0-9_.]*[A-Za-z0-9_](?:#\d{4})?)")
# A handle before the app it is on: "he's 'king_k' on snap", "kaz.xo on insta".
_BEFORE_APP = re2.compile(r"(?i)(?:^|[\s'\"(])(?P<h>[A-Za-z0-9_.]*[A-Za-z0-9_])['\"]?\s+on\s+(?:" + _APPS + r")\b")
# "said to add him jakey.boii", "add me on snap: kaz.xo": a handle after "add".
_ADD = re2.compile(r"(?i)\badd(?:ed)?\s+(?:(?:him|her|me|them|us)\s+)?(?:on\s+(?:" + _APPS + r")\s*:?\s+)?"
                   r"(?:as\s+)?(?P<at>@)?(?P<h>[A-Za-z0-9_.]*[A-Za-z0-9_])")
_AT_HANDLE = re2.compile(r"(?:^|[^A-Za-z0-9_@.])(?P<h>@[A-Za-z0-9_.]*[A-Za-z][A-Za-z0-9_.]*)")
# Usernames standing alone: "kaydence_xo99" (an underscore, letters and digits together) and
# "chloe2010" (a given name run into digits).
_UNDERSCORED = re2.compile(r"(?:^|[^A-Za-z0-9_.@/])(?P<h>[A-Za-z0-9.]*_[A-Za-z0-9_.]*[A-Za-z0-9])")
_NAME_DIGITS = re2.compile(r"\b(?P<name>[A-Za-z]{3,})(?P<digits>\d{2,4})\b")
# Any word run into two or more digits is a username ("dreamboy99", "Princess2009"), unless its
# letters name a thing people number: a year group, a section, a device or a game.
_WORD_DIGITS = re2.compile(r"(?:^|[^A-Za-z0-9_@./#-])(?P<h>[A-Za-z]{3,}\d{2,6}[A-Za-z]{0,3})(?:$|[^A-Za-z0-9_@])")
_DISCORD_TAG = re2.compile(r"(?:^|[^A-Za-z0-9_@.#])(?P<h>[A-Za-z][A-Za-z0-9_.]{1,31}#\d{4})(?:$|[^0-9])")
_NUMBERED_THINGS = frozenset(
    ["year", "yr", "yrs", "dob", "bday", "born", "section", "sections", "sec", "covid", "fifa", "iphone", "ipad", "galaxy", "pixel", "xbox",
     "windows", "office", "top", "under", "over", "level", "levels", "tier", "stage", "grade", "page", "pages",
     "room", "bus", "route", "flat", "unit", "apt", "house", "number", "no", "version", "form", "gcse", "ks",
     "key", "mp", "ps", "pg", "cert", "rated", "age", "aged", "ages", "jan", "feb", "mar", "apr", "may", "jun",
     "jul", "aug", "sep", "sept", "oct", "nov", "dec", "http", "https", "www", "nhs", "dl", "ts", "ne", "sr",
     "call", "text", "code", "ref", "case", "item", "para", "paragraph", "chapter", "part", "annex", "appendix",
     "step", "class", "set", "block", "floor", "platform", "gate", "junction", "exit", "channel", "radio"])
_NOT_HANDLES = frozenset(
    ["is", "was", "has", "had", "the", "a", "an", "and", "or", "but", "on", "in", "at", "to", "of", "for", "her", "his", "their", "my", "our", "your", "me", "him", "them", "it", "this", "that", "account", "accounts", "story", "stories", "page", "profile", "message", "messages", "messaging", "chat", "chats", "video", "videos", "app", "apps", "streak", "streaks", "map", "maps", "photo", "photos", "pic", "pics", "picture", "pictures", "private", "public", "name", "names", "user", "username", "handle", "post", "posts", "live", "group", "groups", "call", "calls", "dm", "dms", "request", "requests", "friend", "friends", "follower", "followers", "filter", "filters"])


def _public_host(url: str, domains: tuple[str, ...]) -> bool:
    rest = url.split("://", 1)[-1].lower()
    host = rest.split("/", 1)[0].split(":", 1)[0].removeprefix("www.")
    return any(host == d or host.endswith("." + d) or rest.startswith(d + "/") for d in domains)


def urls(ctx: Context) -> None:
    for m in _URL.finditer(ctx.text):
        start, end = m.span()
        while end > start and ctx.text[end - 1] in ".,;:!?)]}'\"":
            end -= 1
        if not _public_host(ctx.text[start:end], ctx.local.public_domains):
            ctx.spans.add(start, end, URL)
    for pattern in (_PATH_URL, _PROFILE_HOST):
        for m in pattern.finditer(ctx.text):
            start, end = m.span()
            while end > start and ctx.text[end - 1] in ".,;:!?)]}'\"":
                end -= 1
            if "@" not in ctx.text[max(0, start - 1):start + 1] and not _public_host(ctx.text[start:end], ctx.local.public_domains):
                ctx.spans.add(start, end, URL)
    spelled_urls(ctx)


# "ryanc 2009@hotmail.com": a word typed apart from the figures that open the address.
_WORD_BEFORE = re2.compile(r"(?P<w>[A-Za-z0-9._]+) $")
# An address without its ending: "kaz@gmail", "jo.b@hotmail".
_BARE_PROVIDER = re2.compile(r"(?i)\b[A-Za-z0-9._%+-]+@(?:" + _PROVIDERS + r")\b")


def _typed_apart(ctx: Context, start: int) -> int:
    """Where an address starts that opens with figures: back over a word typed apart from them."""
    if not (ctx.text[start].isdigit() or ctx.text[start] in "._"):
        return start
    w = _WORD_BEFORE.search(ctx.text[max(0, start - 33):start])
    if w is not None and w.group("w").lower() not in lexicon().ordinary and any(c.isalpha() for c in w.group("w")):
        return start - len(w.group())
    return start


def spelled_urls(ctx: Context) -> None:
    for m in _SPELLED_URL.finditer(ctx.text):
        if " " in m.group():  # the plain link is the URL rule's
            ctx.spans.add(*m.span(), URL)


def emails(ctx: Context) -> None:
    for m in _EMAIL.finditer(ctx.text):
        start, end = m.span()
        while end > start and ctx.text[end - 1] in ".-":
            end -= 1
        if ctx.text[start:end].lower() in ctx.local.public_emails:
            continue
        ctx.spans.add(_typed_apart(ctx, start), end, EMAIL)
    for m in _BARE_PROVIDER.finditer(ctx.text):
        ctx.spans.add(*m.span(), EMAIL)
    for m in _SPELLED.finditer(ctx.text):
        found = m.group().lower()
        if "@" in found and " " not in found:
            continue  # a plain address: kept above if public, else already taken
        domain = found.rsplit(" at ", 1)[-1] if " at " in found else found
        # "buy it at amazon.com" is no address: the words "at" and "dot", brackets or a mail
        # provider make it one.
        spelled = " dot " in f" {found} " or "(" in found or "[" in found or "@" in found
        provider = domain.strip(" ()[]@").split(".")[0].split(" ")[0] in _PROVIDERS.split("|")
        if spelled or provider:
            ctx.spans.add(_typed_apart(ctx, m.start()), m.end(), EMAIL)


def _handle_ok(handle: str, strong: bool, at: bool) -> bool:
    if not handle or not any(c.isalpha() for c in handle):
        return False
    if at or any(c.isdigit() or c == "_" for c in handle) or "." in handle.strip("."):
        return True
    low = handle.lower()
    if low in _NOT_HANDLES or len(low) < 3:
        return False
    lex = lexicon()
    # a plain word: a handle unless it is ordinary English ("her snap is private")
    return low not in lex.ordinary or (strong and low not in lex.known)


def handles(ctx: Context) -> None:
    for m in _HANDLE_AFTER.finditer(ctx.text):
        start, end = group_span(m, "h")
        handle = m.group("h")
        strong = bool(m.group("sep").strip())
        if _handle_ok(handle, strong, m.group("at") is not None):
            if m.group("at") is not None:
                start = group_span(m, "at")[0]
            ctx.spans.add(start, end, HANDLE)
    for m in _BEFORE_APP.finditer(ctx.text):
        handle = m.group("h")
        if any(c.isdigit() or c in "_." for c in handle.strip(".")) and sum(c.isalnum() for c in handle) >= 3 \
                and _handle_ok(handle, False, False):  # not "e.g on snap"
            ctx.spans.add(*group_span(m, "h"), HANDLE)
    for m in _ADD.finditer(ctx.text):
        handle = m.group("h")
        # after "add" a handle with a dot, underscore or digit, or a word no dictionary has
        if _handle_ok(handle, False, m.group("at") is not None) and (
                m.group("at") is not None or any(not c.isalpha() for c in handle) or handle.lower() not in lexicon().known):
            start = group_span(m, "at")[0] if m.group("at") is not None else group_span(m, "h")[0]
            ctx.spans.add(start, group_span(m, "h")[1], HANDLE)
    ordinary = lexicon().ordinary
    for m in _UNDERSCORED.finditer(ctx.text):
        handle = m.group("h")
        parts = [p for p in handle.replace(".", "_").split("_") if p]
        mixed = any(any(c.isalpha() for c in p) and any(c.isdigit() for c in p) for p in parts)
        unusual = any(p.isalpha() and p.lower() not in ordinary for p in parts)
        # "kaydence_xo99", "chloe_2010"; not the assistant's own ids ("under_13", "13_15")
        if any(c.isdigit() for c in handle) and (mixed or unusual):
            ctx.spans.add(*group_span(m, "h"), HANDLE)
    for m in _DISCORD_TAG.finditer(ctx.text):  # "shadowking#1234"
        ctx.spans.add(*group_span(m, "h"), HANDLE)
    for m in _WORD_DIGITS.finditer(ctx.text):
        handle = m.group("h")
        word = handle[:len(handle) - len(handle.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))]
        if word.lower() not in _NUMBERED_THINGS:
            ctx.spans.add(*group_span(m, "h"), HANDLE)
    for m in _NAME_DIGITS.finditer(ctx.text):
        if names.is_given_name(m.group("name")) and not names.words().blocked & {m.group("name").lower()}:
            ctx.spans.add(*m.span(), HANDLE)
    for m in _AT_HANDLE.finditer(ctx.text):
        start, end = group_span(m, "h")
        while end > start and ctx.text[end - 1] == ".":
            end -= 1
        if end - start > 2:
            ctx.spans.add(start, end, HANDLE)
