"""The rule table: every danger (or abuse) predicate, the victims it accepts, its tier and the
post-check that guards it. Each rule is commented with what it catches."""

from __future__ import annotations

from cse_core.safety.checks_acts import (
    _act_is_abusive,
    _by_abuser,
    _debt_context,
    _harm_now_ok,
    _made_me_alone,
    _online_contact,
)
from cse_core.safety.checks_agents import (
    _CARER_AGENTS,
    _agent_is_other,
    _driver_not_carer,
    _not_idiom,
    _not_official,
    _not_self_family_kill,
    _requester_is_other,
    _secret_keeper,
    _supplier_not_carer,
)
from cse_core.safety.checks_company import _adult_in_life, _dangerous_company, _risky_company
from cse_core.safety.checks_images import (
    _exposure_context,
    _image_agent_other,
    _image_coerced,
    _image_pressure,
    _image_request_pressure,
    _images_held_over,
    _images_of_a_thing,
    _request_context,
    _sexual_content,
)
from cse_core.safety.checks_places import (
    _held_somewhere,
    _leave_not_person,
    _lift_gone_wrong,
    _menacing_presence,
    _missing_not_object,
    _moved_away,
    _not_dragged_into_a_dispute,
    _not_followed_by_noun,
    _not_removed_from,
    _not_school_sanction,
    _planned_danger,
    _took_me_somewhere,
)
from cse_core.safety.checks_threats import _leverage, _threat_context, _threat_not_sanction, _threat_victim_mine
from cse_core.safety.lexicon import word_list
from cse_core.safety.result import DISCLOSURE, EMERGENCY
from cse_core.safety.rule import CURRENT, DISCLOSE, FIRST, GENERIC, NOW, PLANNED, STRONG, THIRD, Rule, _all
from cse_core.safety.tokens import _agent

# Word lists of word_lists.yml (what each is for is said there).
_NOT_WEAPONS = word_list("not_weapons")

E, D = EMERGENCY, DISCLOSURE
_ME = (FIRST,)

# Adults handing a child drink or drugs (two rules: with risky company it is danger by its
# tense; otherwise it needs a time cue)
_SUPPLY_PATTERNS = (
    "BE_PRES ADV* SUPPLY_ING OBJ ADV? _2 DRUG",
    "BE_PRES ADV* SUPPLY_ING OBJ ADV? with|full|on _3 DRUG",
    ("BE_PRES ADV* getting|making OBJ ADV? "
     "drunk|high|wasted|stoned|pissed|smashed|mashed|wrecked|off"),
    "SUBJ BE_PRES ADV* being|getting ADV* given|plied|fed|supplied|sold|injected _3 DRUG",
    "keep|keeps ADV? SUPPLY_ING OBJ ADV? _3 DRUG",
    "HAVE ADV* been ADV* SUPPLY_ING OBJ ADV? _2 DRUG",
    # "a man keeps buying cans for a group of girls"
    "BE_PRES|keep|keeps ADV* SUPPLY_ING _2 DRUG for|to _3 OBJ",
)
# Images asked for or demanded from a child (two rules: coerced, or only asked)
_IMAGE_DEMAND_PATTERNS = (
    ("DEMAND_V|REQUEST_V ADV? OBJ ADV? to? ADV? send|take|show|share|film|strip|undress|do|get "
     "_3 IMAGE|SEXUAL_IMAGE|clothes|off|body|naked"),
    "DEMAND_V ADV? REQUEST_V? ADV? _2 IMAGE|SEXUAL_IMAGE _2 from|off|of OBJ",
    "DEMAND_V|REQUEST_V ADV? OBJ ADV? for _2 IMAGE|SEXUAL_IMAGE",
    "DEMAND_V ADV? that? @v:she|he|they send|sends|take|takes|show|shows _3 IMAGE|SEXUAL_IMAGE",
    "DEMAND_V|REQUEST_V ADV? OBJ ADV? to? ADV? strip|undress|pose|wank|masturbate|flash",
)

# Each rule: a danger (or abuse) predicate class, the victim slot it needs, and why it exists.
RULES: tuple[Rule, ...] = (
    # --- emergency: captivity. "won't let her leave", "being held at a flat", "can't get out"
    Rule("emergency.restraint", E, STRONG, (
        "NEG_AUX? !NEG let|letting|allow|allowing OBJ ADV? to? LEAVE",
        "SUBJ AUX* !NEG allowed to? LEAVE",
        "SUBJ AUX* !ca|cannot|unable !NEG? to? ADV? escape|leave|get|go|run|breathe",
        "SUBJ AUX+ being? ADV* @pp:held|kept|locked|trapped|imprisoned|tied|chained",
        "SUBJ AUX* hostage|captive|prisoner",
        "BE_PRES ADV* @pp:holding|keeping|hiding|locking|trapping OBJ",
        "locked|lock|locks OBJ in|up|inside",
        "refusing|refuses|refused ADV? to bring|take|drive|let|give OBJ home|back|go",
        "!NEG_AUX !NEG ADV? bring|take|drive|give OBJ home|back",
    ), check=_all(_leave_not_person, _held_somewhere, _not_school_sanction)),
    # --- emergency: "they've got her", "they've taken her", "pushed her into a car"
    Rule("emergency.abduction", E, STRONG, (
        "HAVE|'ve|'s got OBJ",
        "HAVE|'ve|'s taken|took|snatched|grabbed OBJ",
        "SUBJ AUX+ been? ADV* kidnapped|abducted|snatched|bundled|dragged|grabbed",
        "SUBJ was|were ADV* kidnapped|abducted|snatched|taken|grabbed|bundled|dragged|pushed",
        ("kidnapped|abducted|kidnapping|abducting|snatched|bundled|dragged|grabbed|took|taken "
         "OBJ into|in|away|off"),
        ("put|puts|push|pushed|pushing|force|forced|forcing|drag|dragged|dragging|bundle|bundled|"
         "bundling|threw|throw|shoved|shove|pulled|pull|pulling OBJ in|into|towards _2 "
         "car|van|boot|taxi|motor|truck"),
        "kidnap|kidnaps|kidnapped|kidnapping|abduct|abducts|abducted|abducting OBJ",
        "SUBJ AUX+ taken by|away|off",
        ("SUBJ AUX+ pushed|shoved|pulled|forced|put|thrown|bundled|dragged|taken "
         "into|in|towards _2 car|van|boot|taxi|motor|truck"),
    ), check=_all(_not_followed_by_noun, _not_official, _not_removed_from, _not_dragged_into_a_dispute)),
    # --- emergency: "... watched her get pulled into the back of a car": the victim is named
    # earlier in the sentence
    Rule("emergency.abduction_seen", E, STRONG, (
        ("get|got|getting|being pulled|pushed|shoved|dragged|bundled|forced|thrown|grabbed "
         "into|in _6 car|van|boot|taxi|motor|truck"),
    ), check=_not_official, lookback=True),
    # --- emergency: a child taken somewhere by dangerous adults. "a man just took a girl up
    # to his room", "she's been taken to another town by the men", "he has her in his car"
    Rule("emergency.taken_away", E, CURRENT, (
        "took|taken|taking|takes|drove|driven|driving OBJ _8 PLACE",
        "SUBJ AUX+ taken|driven|moved|trafficked to|into|up _4",
        "HAVE OBJ in|at|inside|locked",
        "SUBJ AUX+ picked|collected|taken ADV? up? by _3 DANGER_PERSON",
        "driving|drove|driven|gone|went|ran ADV? off|away with OBJ",
    ), check=lambda doc, hit: _dangerous_company(doc, hit) and _not_official(doc, hit)),
    # --- emergency: a child being driven off now. "he's driving me somewhere and won't say
    # where", "he said he'd take me home but we're on the motorway going the wrong way"
    Rule("emergency.driven_off", E, STRONG, (
        ("@a:AGENT BE_PRES ADV* driving|taking|dragging|bringing @v:me|us ADV? "
         "somewhere|away|off|round|around|miles|out"),
        "@a:AGENT BE_PRES ADV* driving|going|heading _3 the wrong way",
        "@v:we BE_PRES _6 going|heading|driving _3 the wrong way",
        # a lift home that went elsewhere: "he said he'd drop me home but now we're miles away"
        ("said|says|promised|offered @a:AGENT? WILL? ADV? to? take|drive|bring|drop|give @v:me|us ADV? "
         "a? lift? home|back"),
    ), check=lambda doc, hit: _driver_not_carer(doc, hit) and _lift_gone_wrong(doc, hit)),
    # --- emergency: a weapon is there now. "he's got a knife", "a man with a gun"
    Rule("emergency.weapon", E, STRONG, (
        "HAVE_V _? _? WEAPON",
        "pulled|pulls|pulling|pointing|pointed|waving|holding|held ADV? a|an|the|his|her? WEAPON",
    ), check=lambda doc, hit: not {t.lower_ for t in doc[max(0, hit.end - 3): hit.end + 3]} & _NOT_WEAPONS),
    # --- emergency: someone is hurting a child as we speak (active or passive progressive)
    Rule("emergency.harm_now", E, STRONG, (
        "BE_PRES ADV* HARM_ING ADV? OBJ",
        "SUBJ BE_PRES ADV* being|getting ADV* HARM_PP",
        "@a:DANGER_PERSON HARM_ING ADV? OBJ",  # "I can see a man hitting a child"
    ), check=_harm_now_ok, self_report=DISCLOSURE),
    # --- emergency: a wound from a weapon. "he's come home with a stab wound"
    Rule("emergency.wounded", E, STRONG, (
        "stab|knife|gunshot|bullet|slash ADV? wound|wounds|injury|injuries",
    ), self_report=None, lookback=True),
    # --- emergency: "... being pulled towards a car", "... being kept at a flat": the victim
    # is named earlier in the sentence
    Rule("emergency.being_harmed", E, STRONG, (
        "being|getting ADV? @pp:HARM_PP",
    ), check=_held_somewhere, self_report=DISCLOSURE, lookback=True),
    # --- emergency: a child made to do sexual things now. "men are telling her to take her
    # clothes off", "she's being made to do stuff on webcam"
    Rule("emergency.coerced_now", E, STRONG, (
        "BE_PRES ADV* making|forcing OBJ ADV? to? ADV? @act:SEX_ACT|ACT_NEEDS_OBJ",
        "SUBJ BE_PRES ADV* being|getting ADV* made|forced ADV? to ADV? @act:SEX_ACT|ACT_NEEDS_OBJ",
    ), check=_act_is_abusive, self_report=DISCLOSURE),
    # --- emergency (needs a time cue): abuse described as going on, which may be a worry
    # rather than danger now. "he's blackmailing her", "she's being threatened"
    Rule("emergency.abuse_ongoing_now", E, NOW, (
        "BE_PRES ADV* CONCERN_ING ADV? OBJ",
        ("SUBJ BE_PRES ADV* being|getting ADV* "
         "threatened|blackmailed|abused|exploited|groomed|sextorted|extorted|pimped|trafficked"),
        "who|that BE_PRES ADV* HARM_ING ADV? OBJ",
    ), self_report=None),
    # --- emergency (needs a time cue): pressure happening now. "men in the chat are telling
    # her to take her clothes off right now"
    Rule("emergency.pressured_now", E, NOW, (
        ("BE_PRES ADV* getting|telling|pressuring|pushing|asking|daring|encouraging OBJ ADV? "
         "to? ADV? @act:SEX_ACT|ACT_NEEDS_OBJ"),
        ("SUBJ BE_PRES ADV* being|getting ADV* pressured|told|pushed|asked|dared|encouraged ADV? "
         "to ADV? @act:SEX_ACT|ACT_NEEDS_OBJ"),
        "telling|getting|making|forcing|pressuring|daring OBJ ADV? to ADV? @act:SEX_ACT",
    ), check=_act_is_abusive, self_report=DISCLOSURE),
    # --- emergency: harm is about to happen. "he's going to hurt her", "coming to get me",
    # "trying to get her into a car", "he's outside my house"
    Rule("emergency.imminent", E, STRONG, (
        "BE_PRES ADV* going|gon|about ADV? to|na ADV? HARM_V OBJ",
        "BE_PRES ADV* coming ADV? back? to? ADV? get|for|after OBJ",
        "trying|try|tries|tried ADV? to ADV? take|grab|drag|get|snatch|force|pull|HARM_V OBJ",
        "trying|try|tries ADV? to ADV? break|get|force ADV? in|into|through",
        "threatening|threatens|threatened ADV? to ADV? come|turn ADV? round|over|back|up|here",
        ("@a:AGENT BE_PRES ADV* waiting? outside|at my|our|the|her|his _? "
         "house|home|door|school|window|flat|work|gate|gates|college"),
        ("@a:AGENT BE_PRES ADV* waiting|hanging|parked|sat|sitting ADV? for? @v:her|him|them|me|us? ADV? "
         "outside|near|by|round _? house|home|door|school|window|flat|gate|gates|college"),
        # "a man is waiting for my son at the end of the road"
        "@a:DANGER_PERSON BE_PRES ADV* waiting|lurking|hanging|parked ADV? around? for OBJ",
        # "he keeps following her home and he's outside now"
        "@a:AGENT BE_PRES ADV* outside|downstairs ADV? now|again|right|already",
    ), check=lambda doc, hit: _not_self_family_kill(doc, hit) and _menacing_presence(doc, hit)),
    # --- emergency (needs a time cue: now, tonight, later, after school, this weekend, on the
    # way): harm arranged or about to happen, with adults, strangers or people met online.
    # "he's picking her up after school", "she's meeting him tonight, he's 30", "they're
    # taking her to another town tomorrow", "my son is on his way to meet the man"
    Rule("emergency.planned", E, PLANNED, (
        "BE_PRES ADV* PLAN_V OBJ",
        "WILL+ ADV? PLAN_V OBJ",
        "@a:AGENT HAVE|BE_PRES? ADV* ARRANGE_V ADV? to ADV? PLAN_V OBJ",
        "@a:AGENT HAVE|BE_PRES? ADV* ARRANGE_V ADV? a|an? _2 room|meet|meeting|taxi|lift|ride",
        "SUBJ BE_PRES ADV* MOVE_ING",
        "SUBJ BE_PRES ADV* on ADV? her|his|their|my|the way",
        "SUBJ HAVE|BE_NOW? ADV* got? ADV? to ADV? go|meet|see|come|stay|deliver|drop|work|sleep|do|carry|take",
        ("SUBJ AUX+ told|ordered|made|expected|supposed|meant|due|asked ADV? to "
         "go|meet|see|come|stay|deliver|drop|work|sleep"),
        ("told|tells|telling|wants|asked|asking|ordered|ordering OBJ ADV? to "
         "ADV? go|meet|see|come|stay|deliver|drop|sleep|be|take|carry"),
        # "the men said they'll come for her after school"
        "@a:AGENT WILL+ ADV? come|coming|be|call|calling ADV? round|back? for|after|to get? OBJ",
        "ARRANGE_V ADV? to ADV? meet|see|visit ADV? _2 DANGER_PERSON|him|them",
        "SUBJ ADV* going|gon ADV? to|na ADV? meet|see|visit|stay|sleep",
        # "my 14 year old has gone to meet a man", "she's snuck out to see him"
        "SUBJ HAVE|'s ADV* gone|went|left|snuck|sneaked|run|ran ADV? off|out? ADV? to ADV? meet|see|visit|stay",
    ), check=_planned_danger),
    # --- emergency: a child being moved now, with risky company or to another town.
    # "he's driving her to another city", "they're moving him to a different flat"
    Rule("emergency.moved_now", E, CURRENT, (
        ("@a:AGENT BE_PRES ADV* taking|driving|moving|bringing|carrying|sending|trafficking OBJ "
         "ADV? to|into|away|off|round|up|down|out _4 PLACE|DESTINATION"),
        "@a:AGENT BE_PRES ADV* taking|driving|moving|carrying|trafficking OBJ ADV? away|off|out",
        "SUBJ AUX+ ADV* MOVE_PP",
        "MOVE_PAST OBJ",
        # "they've put her on a train to london with a man"
        "put|puts|putting OBJ ADV? on|in|into a|the|an _? train|bus|coach|taxi|car|van|plane|uber",
        "SUBJ BE_PRES ADV* being ADV* taken|driven|moved|sent|trafficked|transported ADV? to|into|away|off",
    ), check=_all(_moved_away, _not_dragged_into_a_dispute)),
    # --- emergency: adults giving a child drink or drugs now. "the men are plying her with
    # vodka", "he's giving my son cocaine", "they're getting her drunk at the flat"
    Rule("emergency.supplying", E, CURRENT, _SUPPLY_PATTERNS,
         check=lambda doc, hit: _supplier_not_carer(doc, hit) and _risky_company(doc),
         self_report=DISCLOSURE),
    Rule("emergency.supplying_now", E, NOW, _SUPPLY_PATTERNS, check=_supplier_not_carer,
         self_report=DISCLOSURE),
    # --- emergency: images demanded from a child, with a coercive verb ("he's demanding she
    # sends nudes", "a man is pressuring her for pictures"); only asked ("he keeps asking her
    # for pics") it needs a time cue or a second cue
    Rule("emergency.image_demand", E, CURRENT, _IMAGE_DEMAND_PATTERNS, check=_image_coerced,
         victims=(THIRD, GENERIC), self_report=DISCLOSURE),
    Rule("emergency.image_request_now", E, NOW, _IMAGE_DEMAND_PATTERNS, check=_image_pressure,
         victims=(THIRD, GENERIC), self_report=DISCLOSURE),
    # --- emergency: a threat to spread a child's images (sextortion), reported by an adult.
    # "he says he'll post her pictures unless she sends more"
    Rule("emergency.sextortion", E, CURRENT, (
        "@a:AGENT WILL+ ADV? SHARE_V|leak|post|send|show @v:her|his|their _? IMAGE|SEXUAL_IMAGE",
        ("threatening|threatened|threatens|threaten ADV? to ADV? SHARE_V|leak|post|send|show "
         "@v:her|his|their _? IMAGE|SEXUAL_IMAGE"),
        # "he'll share my girl's nudes", "threatening to post my son's pictures"
        ("@a:AGENT WILL+ ADV? SHARE_V|leak|post|send|show|put my|our|his|her|their MOD? MOD? @v:VICTIM 's "
         "_? IMAGE|SEXUAL_IMAGE"),
        ("threatening|threatened|threatens|threaten ADV? to ADV? SHARE_V|leak|post|send|show|put "
         "my|our|his|her|their MOD? MOD? @v:VICTIM 's _? IMAGE|SEXUAL_IMAGE"),
    ), check=_agent_is_other, victims=(THIRD,), hypo_ok=True),
    # --- emergency: the same threat when the images were named earlier and the threat says
    # "them" or "it": "a man has my son's videos and says he'll post them unless he pays"
    Rule("emergency.sextortion_elided", E, CURRENT, (
        ("threatening|threatened|threatens|threaten ADV? to ADV? SHARE_V|leak|post|send|show|put "
         "@x:them|it|those|these|everything"),
        "@a:AGENT WILL+ ADV? SHARE_V|leak|post|send|show|put @x:them|it|those|these|everything",
    ), check=lambda doc, hit: _images_held_over(doc, hit), victims=(THIRD,), lookback=True,
        hypo_ok=True),
    # --- emergency: a threat to kill or seriously hurt a specific child, reported now
    Rule("emergency.threat_to_kill", E, CURRENT, (
        ("SUBJ WILL+ ADV? be|get ADV? "
         "beaten|hurt|killed|stabbed|attacked|raped|shot|battered|smashed|burned|burnt|jumped"),
        ("WILL ADV? to? ADV? kill|stab|shoot|murder|rape|hurt|harm|beat|attack|burn|strangle|smash|"
         "batter|bash|deck|slash|torture|kidnap OBJ"),
        ("threatening|threatened|threatens|threaten|going ADV? to ADV? kill|stab|burn|smash|petrol|"
         "firebomb|hurt|attack|shoot _? our|my|his|her|their house|home|family|mum|dad|brother|sister"),
        ("threatening|threatened|threatens|threaten ADV? to ADV? "
         "kill|stab|shoot|murder|rape|hurt|harm|beat|attack|burn|strangle OBJ"),
        "SUBJ BE_PRES ADV* a? dead man|meat|boy|girl|kid",
        ("threatening|threatened|threatens|threaten|going|gon ADV? to|na ADV? set ADV? fire|light to? _? "
         "our|my|his|her|their|your house|home|flat|car|door|family"),
        ("threatening|threatened|threatens|threaten|going|gon ADV? to|na ADV? torch|firebomb|petrol|"
         "smash|wreck|trash|burn ADV? up|down? _? our|my|his|her|their|your house|home|flat|car|door"),
        ("WILL ADV? to? ADV? break|snap|smash|cut|slash @v:his|her|their _? "
         "legs|leg|arms|arm|neck|fingers|face|jaw|knees|kneecaps|teeth|head"),
        ("her|his|their family|families|mum|dad|brother|sister WILL+ ADV? be|get ADV? "
         "hurt|killed|stabbed|attacked|beaten|done|burned|burnt"),
        "@a:AGENT|gang|men know|knows where @v:she|he|they|you BE_PRES|live|lives|go|goes|stay|stays",
        "@a:AGENT WILL+ ADV? be ADV? waiting|coming|outside ADV? for OBJ",
    ), check=lambda doc, hit: _not_self_family_kill(doc, hit) and not _leverage(doc, hit),
        hypo_ok=True, victims=(THIRD, GENERIC)),
    # --- emergency: a specific child threatened, said in other words. "the dealer has threatened
    # my son's sister", "he's going to get shanked after school", "she'll regret it if she
    # talks", "they'll do him in", "he'll ruin her life and post her pictures"
    Rule("emergency.threatened", E, CURRENT, (
        "threatened|threatening|threatens|threaten|warned|warning OBJ",
        "SUBJ AUX+ being? ADV* threatened|warned",
        ("SUBJ BE_PRES|WILL+ ADV* going? to? get|getting|be ADV? "
         "shanked|jumped|stabbed|battered|merked|rushed|bottled|slashed|deaded|shot"),
        "SUBJ WILL+ ADV? regret|suffer",
        "SUBJ WILL+ ADV? be ADV? sorry",
        "WILL+ ADV? do|sort|finish OBJ in|over|off",
        "WILL+ ADV? _4 and|or SHARE_V|leak|post|send|show @v:her|his|their _? IMAGE|SEXUAL_IMAGE",
    ), check=lambda doc, hit: _threat_not_sanction(doc, hit) and _not_self_family_kill(doc, hit),
        victims=(THIRD,)),
    # --- emergency: a threat or demand made of another child ("pay or they'll come to the
    # house", "threatening her and demanding money"); the child's own account is a disclosure
    Rule("emergency.threat_or_demand", E, CURRENT, (
        "or|otherwise else? @a:AGENT WILL+ ADV? HARM_V|visit|find|come",
        "BE_PRES ADV* threatening|blackmailing|sextorting|extorting OBJ",
    ), check=lambda doc, hit: not {t.lower_ for t in doc} & {"me", "i", "us", "we", "myself"} - {"i"}
        and _threat_context(doc), hypo_ok=True, victims=(THIRD, GENERIC)),
    # --- emergency: suicide or self-harm intent now
    Rule("emergency.self_harm", E, STRONG, (
        "kill|killing|hurt|hurting|harm|harming|cut|cutting|hang|hanging @v:myself|herself|himself",
        "end|ending @v:my|her|his life",
        ("SUBJ AUX* going|gon|want|wants|wanna|about|trying|threatening ADV? to|na "
         "ADV? die|suicide"),
        "SUBJ AUX* suicidal",
        "@v:i|we ADV? want|wanna ADV? to? die",
    ), victims=(FIRST, THIRD)),
    # --- emergency: a medical emergency. "she's unconscious", "he's not breathing"
    Rule("emergency.medical", E, STRONG, (
        "SUBJ AUX* MEDICAL",
        "SUBJ AUX* passed|blacked out",
        "SUBJ AUX* !NEG ADV? breathing|conscious|responding|waking",
    )),
    # --- emergency: a child is missing now. "she's been missing since last night",
    # "hasn't come home", "I don't know where she is", "can't find him"
    Rule("emergency.missing", E, CURRENT, (
        "SUBJ AUX* missing|disappeared|vanished|gone",
        "SUBJ was|were ADV* missing|gone",
        "SUBJ HAVE? ADV* went|gone|run|ran ADV? missing|away|off",
        ("SUBJ HAVE|BE_NOW|did|does ADV* !NEG ADV* come|came|been|got|returned|arrived "
         "ADV? back|home"),
        "SUBJ HAVE|BE_NOW|did|does ADV* !NEG ADV* turned|showed|turn|show up",
        "SUBJ !never ADV? came|come|returned|got ADV? home|back",
        "!NEG_AUX? !NEG ADV? know|knows where OBJ is|'s|are|'re|was|went|has|might",
        "!nobody|noone know|knows where OBJ",
        "!NEG_AUX !NEG ADV? find|reach|contact|locate|trace OBJ",
        "!NEG_AUX !NEG ADV? get hold of OBJ",
        "reported OBJ missing",
        "SUBJ AUX+ reported missing",
    ), check=_missing_not_object, self_report=None),
    # --- emergency: "... and been missing since friday": the victim is named earlier
    Rule("emergency.missing_elided", E, CURRENT, (
        "been|gone|went ADV? missing|gone",
        "missing since|overnight|for|all|from",
        "SUBJ missing|vanished|disappeared",
    ), check=_missing_not_object, self_report=None, lookback=True),
    # --- emergency: a child is with dangerous adults now. "she's in a car with two men",
    # "at a house she doesn't know", "got into a van with older lads"
    Rule("emergency.dangerous_place", E, CURRENT, (
        ("SUBJ BE_PRES ADV* stuck|trapped|stranded|sat|sitting|waiting|hiding|locked? "
         "in|at|inside|with|round|into _4 PLACE|DANGER_PERSON"),
        # "she's been in a car with men for hours"
        "SUBJ HAVE|'s been ADV* in|at|inside|with _4 PLACE|DANGER_PERSON",
        # "there's a girl of about 12 sitting in a car with three men"
        ("there BE_PRES ADV* a|an|my|our|this|some? MOD? @v:VICTIM _4 sitting|sat|stuck|waiting|locked|"
         "hiding|lying in|at|inside|with|into _4 PLACE|DANGER_PERSON"),
        "SUBJ BE_PRES ADV* out|off|away|round ADV? with _3 PLACE|DANGER_PERSON",
        ("SUBJ HAVE|BE_PRES? ADV* got|get|getting|went|gone|jumped|climbed|taken ADV? in|into|off "
         "_3 PLACE|DANGER_PERSON"),
        "SUBJ BE_PRES ADV* going|heading|running ADV? out|off|away ADV? with _3 DANGER_PERSON",
        "SUBJ BE_PRES ADV* meeting|meets ADV? _3 DANGER_PERSON",
        "SUBJ HAVE? ADV* left|went|gone|drove|driven|ran|run ADV? off? with _3 DANGER_PERSON",
    ), check=_dangerous_company),
    # --- emergency: the child rang in distress. "she just rang me crying", "she texted sos",
    # "begging me to come and get her"
    Rule("emergency.distress_call", E, CURRENT, (
        ("SUBJ rang|called|phoned|texted|messaged|facetimed|snapchatted|text|rings|calls _? ADV? "
         "crying|screaming|scared|terrified|begging|sobbing|panicking|hysterical|whispering|"
         "petrified|sos|help|999"),
        "SUBJ BE_PRES ADV* begging|screaming|crying ADV? for|me|us|to help|me|us|to",
        "SUBJ AUX* asking|begging ADV? me|us to come|pick|collect|fetch",
        ("SUBJ sent|sends|texted|messaged|snapchatted|rang|called _3 saying|said|says|that _? _? "
         "help|sos|999|scared|terrified|trapped|stuck|come|hurt|bleeding"),
    )),
    # --- emergency: stated danger. "she's in danger", "my son is at immediate risk"
    Rule("emergency.in_danger", E, CURRENT, (
        "SUBJ AUX* in ADV? immediate|real|serious|grave|great|big? danger",
        "SUBJ AUX* at ADV? immediate|serious ADV? risk",
    )),
    # --- emergency: recent serious harm. "she's been raped", "she's been hit"
    Rule("emergency.harmed", E, CURRENT, (
        ("SUBJ HAVE|'s ADV* been|got ADV* raped|attacked|assaulted|stabbed|beaten|drugged|spiked|"
         "injected|strangled|shot|hurt|injured|trafficked|sold|hit|punched|kicked|battered|"
         "choked|slapped"),
        ("has|have|'ve|'s ADV* raped|drugged|spiked|attacked|stabbed|beaten|hurt|assaulted|"
         "injected|strangled|battered|kidnapped|abducted OBJ"),
    ), victims=(THIRD, GENERIC)),
    # --- emergency: a dangerous adult in a child's room or home now. "a man is in my
    # daughter's room"
    Rule("emergency.intruder", E, CURRENT, (
        ("@a:DANGER_PERSON BE_PRES ADV* in|inside|into my|her|his|our|their|the _2 "
         "room|bedroom|bed|house|home|flat|bathroom"),
        ("there BE_PRES ADV* _? @a:DANGER_PERSON in|inside|at my|her|his|our|their|the _2 "
         "room|bedroom|bed|house|home|flat|bathroom"),
        "@a:DANGER_PERSON BE_PRES ADV* waiting|parked|sat|sitting|lurking|hanging ADV? around? outside",
    ), check=lambda doc, hit: _agent(doc, hit) not in {"someone", "somebody", "older"}),
    # --- emergency (needs "now", "just", "tonight" or a second cue): a danger state or a
    # harm verb that alone may be a worry or history. "she's scared right now", "he just hit her"
    Rule("emergency.danger_now", E, NOW, (
        "SUBJ AUX* in? DANGER_STATE",
        "SUBJ AUX* !NEG ADV? safe",
        "SUBJ BE_PRES ADV* being ADV* CONCERN_PP",
        "HARM_FORMS OBJ",
        "pick|picking|picked|collect|collecting ADV? OBJ up?",
        "SUBJ HAVE? ADV* come|came|got|arrived|turned|stumbled ADV? home|back|in|up ADV? DANGER_STATE|MEDICAL",
    ), check=lambda doc, hit: _agent(doc, hit) not in _CARER_AGENTS and (
        _not_idiom(doc, hit) if doc[hit.start].lemma_ not in {"be", "come", "get", "arrive", "turn"} else True),
        self_report=None),
    # --- emergency (needs an immediacy cue or a second missing cue): out of contact
    Rule("emergency.no_contact", E, NOW, (
        ("SUBJ HAVE|BE_NOW|did|does|wo|will ADV* !NEG ADV* answering|answered|answer|"
         "replying|replied|reply|responding|responded|picking"),
        "SUBJ AUX* !NEG ADV* home|back|answering",
        "phone|phones BE_AUX* ADV* off|dead|switched|going",
        "phone|it goes|going|went|keeps ADV? going? straight? to voicemail|answerphone",
        "location|whereabouts|tracker|snapmap BE_AUX* ADV* showing|shows|says|saying|at|in",
        "SUBJ AUX* stranded|stuck",
    ), self_report=None),
    # --- emergency (needs a time cue): a specific child made to have sex, sold or passed
    # around. Without "now"/"tonight" it is often a question about grooming models ("he makes
    # her sleep with his mates, what kind of exploitation is that").
    Rule("emergency.sexual_abuse_now", E, NOW, (
        "forces|force|coerces|coerce OBJ",
        ("makes|make|gets|get|has|forces|force|pressures|pressure OBJ ADV? to|into? ADV? "
         "@act:SEX_ACT|ACT_NEEDS_OBJ"),
        ("SUBJ BE_PRES ADV* forced|made|pressured|pimped|prostituted|sold|passed|trafficked|"
         "raped|abused|used"),
        ("sells|sell|pimps|pimp|pimping|prostitutes|prostituting|trafficks|trafficking|passes|"
         "pass|rapes|rape|molests|molest|abuses OBJ"),
        ("SUBJ BE_PRES ADV* sleeping|having|doing ADV? sex|stuff|things? with _3 "
         "DANGER_PERSON|mates|friends"),
    ), check=_act_is_abusive, victims=(THIRD,)),
    # --- disclosure: something abusive done to me. "he forced me", "they threaten me",
    # "my uncle touches me", "he hits me", "they pass me round"
    Rule("disclosure.abuse_to_me", D, DISCLOSE, (
        "~ABUSE_V ADV? @v:FIRST_OBJ",
        "FORCE_V ADV? @v:FIRST_OBJ",
        ("pass|passes|passed|passing|share|shares|shared|sharing @v:me|us "
         "around|round|about|between|with"),
        "took|take|takes|taking|taken turns ADV? on|with @v:me|us",
        "do|does|did|doing stuff|things ADV? to @v:me|us",
        ("AGENT ADV? gets|get|goes|go|becomes|got|went ADV? angry|mad|violent|nasty|aggressive|"
         "moody if|when @v:i|we"),
    ), check=_not_idiom, victims=_ME),
    # --- disclosure: I was / am being abused. "I'm being forced", "I was raped", "I got
    # touched"
    Rule("disclosure.abused_passive", D, DISCLOSE, (
        "@v:FIRST_SUBJ BE_AUX+ ADV* sexually? ABUSE_PP",
    ), check=_by_abuser, victims=_ME),
    # --- disclosure: made to do sexual or exploitative things. "he makes me do things",
    # "my bf makes me sleep with his mates", "I have to do stuff for them"
    Rule("disclosure.made_to", D, DISCLOSE, (
        "MAKE_V|FORCE_V ADV? @v:FIRST_OBJ ADV? to? ADV? @act:SEX_ACT|ACT_NEEDS_OBJ",
        "@v:FIRST_SUBJ ADV* have|has|got|had ADV? to ADV? @act:SEX_ACT|ACT_NEEDS_OBJ",
        ("@v:FIRST_SUBJ BE_AUX* ADV* expected|supposed|meant|told|made|paid ADV? to ADV? "
         "@act:SEX_ACT|ACT_NEEDS_OBJ"),
        ("take|takes|took|taking|drive|drives|drove|bring|brings|brought|send|sends|sent "
         "@v:me|us _3 PLACE|parties|party|meets"),
        "made|makes|make|making @v:me|us",
        "and|then|get|got|getting|being|was|been made|forced|paid|told ADV? to ADV? @act:SEX_ACT|ACT_NEEDS_OBJ",
        # "i get driven to a flat and made to have sex with his mates"
        ("@v:i|we ADV* get|got|getting|am|'m|was|were|been|being _6 and|then ADV? made|forced|paid "
         "ADV? to ADV? @act:SEX_ACT|ACT_NEEDS_OBJ"),
    ), check=_all(_act_is_abusive, _agent_is_other, _took_me_somewhere, _made_me_alone),
        victims=_ME),
    # --- disclosure: my images shared or held over me. "he'll share my pictures",
    # "he has pics of me", "my nudes got leaked"
    Rule("disclosure.image_abuse", D, DISCLOSE, (
        "SHARE_V _? _? @v:my|our _? IMAGE",
        "HAVE_V|got|stole|stolen|hacked|saved|screenshotted @v:my|our _? IMAGE",
        "SHARE_V _? IMAGE|them|it|those|these _? of @v:me|us|myself",
        ("HAVE_V|take|takes|took|taken|taking|filmed|recorded|keeps|kept|saved _? _? IMAGE _? of "
         "@v:me|us|myself"),
        "@v:my|our _? IMAGE BE_AUX+ ADV* SHARE_V",
        "IMAGE of @v:me|us|myself ADV? naked|nude|topless|undressed|in",
        ("filmed|filming|films|recorded|recording @v:me|us ADV? "
         "naked|having|doing|in|undressing|without"),
        "HAVE_V|got ADV? @x:IMAGE",
    ), check=_image_agent_other, victims=_ME),
    # --- disclosure: asked or pushed for sex or sexual images. "this guy wants nudes",
    # "he keeps asking me to send pics", "they all want sex"
    Rule("disclosure.sexual_request", D, DISCLOSE, (
        "REQUEST_V REQ_FILL? REQ_FILL? REQ_FILL? REQ_FILL? SEXUAL_IMAGE",
        ("REQUEST_V ADV? @v:me|us ADV? to? ADV? send|take|show|do|share|film _? _? _? "
         "IMAGE|body|pictures|clothes|off"),
        "REQUEST_V ADV? @v:me|us ADV? to? ADV? go|get ADV? on? webcam|cam|camera|facetime|video",
        "REQUEST_V ADV? for more|others|another|new",
        "REQUEST_V ADV? me|us? for _? IMAGE of @v:me|my|myself|us",
        ("want|wants|wanted|wanting|asking|asks|asked|demanding|demands|pressuring|pressures|"
         "begging|begs ADV? @v:me|us? ADV? for? sex"),
        "keeps|keep|kept|constantly|always ADV? REQUEST_V ADV? @v:me|us ADV? for|to _3 IMAGE",
        "DEMAND_V ADV? @v:me|us ADV? for|to _3 IMAGE",
    ), check=_all(_requester_is_other, _request_context, lambda doc, hit: not _images_of_a_thing(doc)),
        victims=(FIRST, GENERIC)),
    # --- disclosure: conditional threats, the child's own "if": "if I tell anyone he'll hurt
    # my mum", "if I don't send more he'll post them", "or he'll tell everyone"
    Rule("disclosure.conditional_threat", D, DISCLOSE, (
        ("or|unless|otherwise else? @a:AGENT WILL ADV? to? ADV? "
         "SHARE_V|tell|expose|HARM_V|post|send|show|ruin|leave|dump|finish|drop|kick"),
        ("if|unless @v:i|we !NEG_AUX? !NEG? ADV? send|do|sleep|meet|have|give|go|come|pay _? _? "
         "IMAGE|SEX_ACT|sex|nudes|stuff|things"),
        ("if @v:i|we ADV? !NEG_AUX? !NEG? ADV? tell|told|say|speak|report|grass|snitch|talk|go|"
         "do|send|stop|leave|refuse _3 ,? @a:AGENT WILL ADV? to? ADV? "
         "HARM_V|SHARE_V|tell|expose|post"),
        "unless @v:i|we ADV? send|do|sleep|meet|give|pay|have|go|come",
        "if|unless @v:i|we !NEG_AUX !NEG ADV? _3 ,? he|she|they|him|xxname WILL",
    ), hypo_ok=True, victims=(FIRST, GENERIC)),
    # --- disclosure: sextortion and secrecy. "he's threatening to post my pics", "he told me
    # not to tell", "it's our secret", "nobody will believe me"
    Rule("disclosure.threat", D, DISCLOSE, (
        "told|tells|said|says|warned|threatened @v:me|us? !not|never to tell|say|speak|grass",
        "our ADV? little? secret",
        "keep|kept|keeping it|this|everything ADV? a? secret",
        "!nobody|noone|no will|would|'ll|gon|going ADV? believe @v:me|us",
        ("threatening|threatened|threatens|threaten ADV? to ADV? "
         "SHARE_V|tell|expose|post|send|show|leak"),
    ), check=_secret_keeper, victims=(FIRST, GENERIC)),
    # --- disclosure: a threat to spread images or secrets already mentioned. "I sent him pics
    # and now he says he'll share them", "he'll tell everyone what I did"
    Rule("disclosure.exposure_threat", D, DISCLOSE, (
        ("AGENT WILL ADV? to? ADV? SHARE_V|leak|post|send|show "
         "@x:them|it|those|these|everything|everyone|everybody"),
        "AGENT WILL ADV? to? ADV? SHARE_V|leak|post|send|show my|our _? @x:IMAGE",
        ("AGENT WILL ADV? to? ADV? tell|show|expose "
         "@x:everyone|everybody|people|my|the|school|mum|dad|parents"),
    ), check=lambda doc, hit: _agent_is_other(doc, hit) and _exposure_context(doc),
        hypo_ok=True, victims=(FIRST, GENERIC)),
    # --- disclosure: a threat against me or my family. "he'll hurt my mum", "he said he'd
    # kill me"
    Rule("disclosure.threat_to_me", D, DISCLOSE, (
        ("WILL|threatening|threatened|threatens|threaten ADV? to? ADV? HARM_V ADV? "
         "my|our? _? @v:FIRST_OBJ|FAMILY"),
        # "they said they'd come to my house and hurt my family"
        "WILL ADV? _5 and ADV? HARM_V ADV? my|our _? @v:FIRST_OBJ|FAMILY",
        "knows|know where @v:i|we live|go|am|'m|stay",
    ), check=_threat_victim_mine, hypo_ok=True, victims=(FIRST, GENERIC)),
    # --- disclosure: drugs, drink or money given to me by abusers. "they give me weed",
    # "he pays me for pics", "they got me drunk"
    Rule("disclosure.rewards", D, DISCLOSE, (
        ("give|gives|gave|giving|buy|buys|bought|buying|supply|supplies|get|gets|got|sell|sells "
         "ADV? @v:me|us ADV? _? and|or? _? DRUG"),
        ("pay|pays|paid|paying|give|gives|gave|offer|offers|offered @v:me|us _? and? _? _? "
         "for|to ADV? do? _2 IMAGE|SEX_ACT|stuff|things|it|sex"),
        ("got|get|gets|getting|make|makes|made|making @v:me|us ADV? "
         "drunk|high|wasted|stoned|pissed|smashed|mashed|wrecked"),
    ), check=_all(_agent_is_other, lambda doc, hit: _agent(doc, hit) not in {"mum", "dad"}),
        victims=_ME),
    # --- disclosure: in debt to abusers. "I owe them money", "I have to repay him"
    Rule("disclosure.debt", D, DISCLOSE, (
        "@v:i|we ADV* owe|owes|owed @a:him|them|these|those|the|my|a|his|her|their",
        "@v:i|we ADV* have|has|got ADV? to ADV? repay|pay|payback @a:him|them|it back?",
    ), check=_debt_context, victims=_ME),
    # --- disclosure: sex with adults. "I'm sleeping with older men for money"
    Rule("disclosure.sex_with_adults", D, DISCLOSE, (
        "sleeps|slept|sleeping|sex|shags|shagged|shagging with @v:me|us",
        ("@v:FIRST_SUBJ BE_AUX* ADV* !NEG_AUX? !NEG? ADV? "
         "sleeping|slept|sleep|having|had|have|shagging|doing|did ADV? "
         "sex|stuff|things? with _3 DANGER_PERSON|mates|friends|cousins|him|them|#"),
    ), check=_dangerous_company, victims=_ME),
    # --- disclosure: someone asking the child for images, insisting or threatening. "he keeps
    # asking me for pics", "send one or else", "he wants a video of me"
    Rule("disclosure.image_request", D, DISCLOSE, (
        "REQUEST_V ADV? @v:me|us _3 for _2 IMAGE",
        # "asking me and my mate (both 12) for pics"
        "REQUEST_V ADV? @v:me|us and|& my|our? _ (? _? _? _? _? )? ADV? for _2 IMAGE|SEXUAL_IMAGE",
        "REQUEST_V ADV? for _2 IMAGE",
        "REQUEST_V ADV? a|some|more? IMAGE of @v:me|us|myself",
        "send|sending ADV? _2 or else|otherwise",
        "send|sending @x:him|them ADV? _? IMAGE|SEXUAL_IMAGE",
    ), check=lambda doc, hit: _requester_is_other(doc, hit) and _image_request_pressure(doc),
        hypo_ok=True, victims=(FIRST, GENERIC)),
    # --- disclosure: a child saying it is happening to them. "it's happening to me", "this is
    # what he does to me", "I think it's happening to me too"
    Rule("disclosure.happening_to_me", D, DISCLOSE, (
        ("it|this|that|stuff|things|something|all BE_AUX* ADV* happening|happened|going|done "
         "ADV? on? to @v:me|us"),
        "what|that @a:AGENT ADV? does|did|do|is|'s ADV? doing? to @v:me|us",
    ), check=lambda doc, hit: "a" not in hit.slots or _agent_is_other(doc, hit), victims=_ME),
    # --- disclosure: sexual touching. "he touches my private parts", "puts his hand down my
    # pants", "comes into my room at night"
    Rule("disclosure.touching", D, DISCLOSE, (
        "~TOUCH_LEMMA _3 @v:my BODY",
        ("trying|tries|tried|keeps|kept|keep ADV? to? kiss|kissing|touch|touching|grab|grabbing|"
         "feel|feeling|grope|groping @v:me|us"),
        ("come|comes|came|coming|get|gets|got|getting|climb|climbs|climbed into|in @v:my "
         "bed|room|bedroom _? night?"),
    ), check=_agent_is_other, victims=_ME),
    # --- disclosure: an adult in the child's life kissing or touching them, or in their room
    # again. "a teacher has been kissing me", "he's in my room again"
    Rule("disclosure.adult_contact", D, DISCLOSE, (
        "kissing|touching|groping|fondling|feeling|cuddling ADV? @v:me|us",
        "in|into @v:my bed|room|bedroom ADV* again|every|tonight|at",
    ), check=lambda doc, hit: _agent_is_other(doc, hit) and _adult_in_life(doc), victims=_ME),
    # --- disclosure: online grooming. "a man sent me pics of his dick", "he wants to meet me"
    Rule("disclosure.online_grooming", D, DISCLOSE, (
        "sent|sends|sending|send|showed|shows|showing @v:me|us _3 IMAGE|porn|dick|penis|willy|cock",
        "REQUEST_V ADV? to ADV? meet @v:me|us",
        "REQUEST_V ADV? @v:me|us ADV? to ADV? meet",
        "REQUEST_V ADV? @v:me|us? what @v:i|we BE_PRES wearing",
    ), check=lambda doc, hit: (_sexual_content(doc, hit) if doc[hit.start].lower_ in
                               {"sent", "sends", "sending", "send", "showed", "shows",
                                "showing"} else _online_contact(doc, hit)), victims=_ME),
)
