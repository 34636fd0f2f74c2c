"""Post-checks on what is done to a child: an abusive or sexual act after "make/force me to",
"by <abuser>" after a participle, harm going on now, debts and grooming contact."""

from __future__ import annotations

from spacy.tokens import Doc

from cse_core.safety.checks_company import _dangerous_company
from cse_core.safety.checks_places import _held_somewhere
from cse_core.safety.lexicon import _lexicon, word_list
from cse_core.safety.rule import Hit
from cse_core.safety.tokens import _CLAUSE_WORDS, _after, _agent, _clause_rest, _next, _sentence_of

# Word lists of word_lists.yml (what each is for is said there).
_WEAK_COERCION = word_list("weak_coercion_verbs")
_WEAK_PARTICIPLES = word_list("weak_participles")
_DEBT_WORDS = word_list("debt_words")
_ONLINE_CONTACT = word_list("online_contact_words")
_ASKING_CARERS = word_list("asking_carers")
_REQUEST_LEMMAS = word_list("request_lemmas")
_MEETING_ACTS = word_list("meeting_acts")
_DRUG_ACTS = word_list("drug_acts")
_HARM_PARTICIPLES = word_list("harm_participles")


def _act_is_abusive(doc: Doc, hit: Hit) -> bool:
    """After "make/want/ask me to ...": a sexual act, or a generic act with an abusive object
    ("do stuff", "take drugs", "send pictures"), not "do my homework"."""
    lex = _lexicon()
    act_index = hit.slots.get("act")
    if act_index is None:
        return True
    act = doc[act_index].lower_
    if act in lex["SEX_ACT"]:
        return True
    if act in _DRUG_ACTS and {
            t.lower_ for t in _sentence_of(doc, hit.start)} & lex["DRUG"]:
        return True  # "passing round a bottle and making me have some"
    objects = [t.lower_ for t in _clause_rest(doc, act_index + 1, 5)]
    if "of" in objects and objects[objects.index("of") + 1:][:1] not in (
            ["me"], ["myself"], ["us"], ["my"], ["you"], ["yourself"], ["your"]):
        objects = objects[: objects.index("of")]  # "pictures of the process map"
    strong = lex["ACT_OBJ"] - {"it", "them", "him", "his", "their", "what", "whatever",
                               "something", "anything", "everything", "money", "men", "man"}
    weak_verbs = _WEAK_COERCION
    verb = doc[hit.start].lower_
    pool = lex["ACT_OBJ"] if verb in weak_verbs else strong
    if act in _MEETING_ACTS:
        pool = pool | {"him", "them", "up", "round", "over", "his", "their", "alone"}
        sentence = {t.lower_ for t in _sentence_of(doc, hit.start)}
        if _dangerous_company(doc, hit) and not sentence & _lexicon()["RELATION"]:
            return True  # "she sets up meets with men for me and I have to go"
    if act in {"do", "doing", "did"} and objects[:1] == ["it"] and verb not in weak_verbs:
        return False
    if doc[hit.start].lemma_ in _REQUEST_LEMMAS and _agent(doc, hit) in _ASKING_CARERS:
        return False  # "my mum asked me to get in the car"
    return bool(set(objects) & pool) or _sex_word_near(doc, act_index, 6)


def _sex_word_near(doc: Doc, i: int, n: int) -> bool:
    """A sexual word in the n tokens from i."""
    lex = _lexicon()
    words = {t.lower_ for t in doc[i: i + n]}
    return bool(words & (lex["SEXUAL_IMAGE"] | lex["SEX_ACT"] | {"porn", "nudes", "sexual"}))


def _by_abuser(doc: Doc, hit: Hit) -> bool:
    """"I was threatened by a parent" at work is not a disclosure; "by him", "by my uncle" is.
    Weak participles (pressured, made, hit, hurt) need "by <abuser>" or "to/into <abuse>"."""
    lex = _lexicon()
    pp = doc[hit.end - 1].lower_
    rest = _clause_rest(doc, hit.end, 6)
    words = [t.lower_ for t in rest]
    people = lex["AGENT"] | lex["RELATION"] | lex["FAMILY"] | lex["DANGER_PERSON"] | lex[
        "ABUSER_ROLE"] | {
        "her", "them", "him", "someone", "somebody"}
    if words[:1] == ["by"]:
        return bool(set(words[1:4]) & people)
    weak = _WEAK_PARTICIPLES
    if pp not in weak:
        return True
    if pp in {"passed", "shared"} and words[:1] and words[0] in {"around", "round", "about"}:
        return True
    if pp in _HARM_PARTICIPLES:
        return True  # "I was stabbed", "I got touched"
    if words[:1] and words[0] in {"to", "into"}:
        return _sex_word_near(doc, hit.end, 6) or bool(set(words) & lex["ACT_OBJ"] - {"it"})
    return False


def _made_me_alone(doc: Doc, hit: Hit) -> bool:
    """"I didn't want to but he made me": "made me" ending the clause."""
    if doc[hit.start].lemma_ == "make" and hit.end - hit.start == 2:
        return hit.end == len(doc) or doc[hit.end].is_punct or doc[hit.end].lower_ in (
            _CLAUSE_WORDS | {"anyway", "again", "every", "all", "now", "too", "still"})
    return True


def _debt_context(doc: Doc, hit: Hit) -> bool:
    """"I owe him" is a disclosure when paying back is sex, drugs or "doing stuff"."""
    words = {t.lower_ for t in doc}
    return bool(words & _DEBT_WORDS)


def _online_contact(doc: Doc, hit: Hit) -> bool:
    """"He wants to meet me" is grooming when the person is from online, older or secret."""
    words = {t.lower_ for t in doc}
    return bool(words & (_ONLINE_CONTACT | _lexicon()["DANGER_PERSON"]))


def _harm_now_ok(doc: Doc, hit: Hit) -> bool:
    """Progressive harm: "making" needs a sexual/abusive act after it; "following",
    "filming" are not about social media; "holding/keeping" need a place; "the man who is
    hurting her" describes him rather than reporting harm now."""
    if hit.start > 0 and doc[hit.start - 1].lower_ in {"who", "that", "whos", "who's"}:
        return False
    verb = doc[hit.start + 1].lower_ if hit.start + 1 < len(doc) else ""
    for tok in doc[hit.start: hit.end]:
        if tok.lower_ in _lexicon()["HARM_ING"]:
            verb = tok.lower_
            break
    after = _after(doc, hit, 3)
    if verb == "making":
        victim = hit.slots.get("v", hit.end - 1)
        rest = Hit(hit.rule, hit.start, hit.end, {**hit.slots, "act": victim + 1}, hit.own)
        nxt = _next(doc, victim + 1)
        if nxt == "to":
            rest.slots["act"] = victim + 2
        return victim + 1 < len(doc) and _act_is_abusive(doc, rest)
    if verb in {"following", "filming", "messaging"} and set(after) & {"on", "online"}:
        return False
    if verb in {"holding", "keeping", "hiding"}:
        return _held_somewhere(doc, Hit(hit.rule, hit.start, hit.end, {"pp": hit.start},
                                        hit.own))
    if verb in {"touching", "grabbing"}:
        return not after or after[0] not in {"base"}
    return True
