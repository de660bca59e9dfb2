"""The context of each deal of an item: places, country, timeframe, round and its investors,
sector and event; then the finished mentions."""

from __future__ import annotations

import re
from functools import cache

from digest.language.amounts import Spot
from digest.language.fold import fold
from digest.language.lexicon import lexicon
from digest.language.names import Org
from digest.language.places import Place, gazetteer
from digest.models import Figure, Mention, Part
from digest.read import details
from digest.read.bystanders import bystander
from digest.read.clauses import Sent, org_after, subject
from digest.read.deals import Assembler, Draft, _same_amount

_ASIDE = re.compile(r",\s*(?:qui|déjà|already|which|both)\b[^,.;]*,")  # ", déjà au capital,"
_BASED = re.compile(r"-based\s+")
_THE_PLACE_FIRM = re.compile(r"\b(?:the|la|le|l['’])\s*$", re.I)
_FIRM = re.compile(r"\s+(?:start-?up|company|firm|jeune\s+pousse)\b", re.I)
_OPENING = re.compile(
    r"\b(?:ouvr\w*|ouverture|mise?\s+en\s+service|op[ée]rationnel\w*|livr\w*|achev\w*|"
    r"open\w*|due|complet\w*|operational)\b(?:\s+\S+){0,3}\s+$",
    re.I,
)  # the date a site opens, even in a sentence with a programme's figures
_SPEECH = re.compile(r"[«“\"][^«»“”\"]{12,}(?:[»”\"]|$)")  # words quoted, to the sentence's end
_COUNTRY_CUE = re.compile(r"(?:\ben|\bau|\baux|\bdans|\bin|\bà|\bvers)\s*(?:l['’]\s*)?$", re.I)


def _drafts_of(a: Assembler, actor: str | None, sent: Sent) -> list[Draft]:
    if actor is None:
        return []
    mine = [d for d in a.drafts if d.actor == actor and not d.earlier]
    here = [d for d in mine if sent.index in d.sentences]
    return here or mine


def _clause_drafts(a: Assembler, s: Sent, pos: int) -> list[Draft]:
    """The drafts a fact at an offset belongs to: the deal stated just before it in the
    sentence, else the clause's subject, else the company the text speaks of."""
    stated = a.stated_before(s, pos)
    if stated is not None:
        return [stated]
    o = subject(s, 0, pos)
    actor = o.name if o is not None and o.source != "descriptor" else a.focus[s.index]
    return _drafts_of(a, actor, s)


def _firm_after(s: Sent, p: Place) -> bool:
    """ "The Paris startup": a place between an article and the word for a company."""
    return bool(_THE_PLACE_FIRM.search(s.text[: p.start]) and _FIRM.match(s.text, p.end))


def _bracketed(s: Sent, p: Place) -> bool:
    """A place in brackets after a name: "Brume Robotics (Nantes)", the company's home."""
    return bool(re.search(r"\w\s*\($", s.text[: p.start])) and s.text[p.end : p.end + 1] in ",)"


def attach_places(a: Assembler) -> None:
    lex = lexicon()
    site, home = lex.site, lex.home
    for s in a.sents:
        relevant = bool(s.triggers or s.money or s.counts or site.search(s.text))
        for p in s.places:
            before = s.text[max(0, p.start - 30) : p.start]
            venue = lex.venue.search(s.text[max(0, p.start - 45) : p.start])
            if venue and not (home.search(before) or _bracketed(s, p)):
                continue
            if re.match(r"\s*[-–—]", s.text[p.end : p.end + 3]) and p.start < 3:
                continue  # a dateline: "PARIS — …"
            if p.kind == "area" or lex.headcount.search(s.text[max(0, p.start - 70) : p.start]):
                continue  # "Europe du Sud"; "qui emploie 350 personnes à Grenoble"
            cue = home.search(before)
            installed = cue and re.match(r"(?:install|implant)", cue.group(0), re.I)
            is_home = bool(cue) or _bracketed(s, p) or _firm_after(s, p)
            drafts = _clause_drafts(a, s, p.start)
            based = _BASED.match(s.text, p.end)
            named = next((o for o in s.orgs if based and o.start == based.end()), None)
            is_home = is_home or bool(based)  # "a Lyon-based start-up"
            if named:  # "Lausanne-based Glacio": home of the name that follows, if it raises
                rounds = [d for d in a.drafts if d.actor == named.name]
                if not any(d.kind == "funding_round" for d in rounds):
                    continue
                is_home, drafts = True, rounds[:1]
            elif is_home:  # "la startup de Bordeaux": the company's first deal, its main one
                o = subject(s, 0, p.start)
                actor = o.name if o is not None else a.focus[s.index]
                mine = [d for d in a.drafts if d.actor == actor and d.kind == "funding_round"]
                raising = {d.actor for d in a.drafts if d.kind == "funding_round"}
                if not mine and len(raising) == 1:  # "… prêtent cette somme à la startup de X"
                    mine = [d for d in a.drafts if d.kind == "funding_round"]
                drafts = mine[:1] or drafts
            if not drafts:
                continue
            if p.kind == "country":
                if not _COUNTRY_CUE.search(before) or is_home:
                    continue
                for d in drafts:
                    if d.country is None and (s.index in d.sentences or len(drafts) == 1):
                        d.country = p.name
                continue
            for d in drafts:
                if is_home and d.kind != "funding_round" and not installed:
                    continue  # the investor's home; "installée à X" may be the new site
                if not (relevant or is_home or s.index in d.sentences):
                    continue
                if d.country and p.country and p.country != d.country:
                    continue
                if p.name not in d.places:
                    d.places.append(p.name)
                    d.evidence.setdefault("places", s.text)
                break


def attach_time_and_round(a: Assembler) -> None:
    for d in a.drafts:
        main = next((x for x in a.drafts if x.actor == d.actor and not x.earlier), d)
        others_told = {i for x in a.drafts if x is not d for i in x.sentences}
        about = [
            s.index
            for s in a.sents
            if s.index not in d.sentences
            and a.focus[s.index] == d.actor
            and s.index not in others_told
            and (
                d is main or d.kind != main.kind
            )  # a company's other sentences go to its main deal
        ]
        order = d.sentences + [i for i in about if a.sents[i].triggers]
        order += [i for i in about if i not in order and not a.sents[i].money]
        figured = {i for i in about if _count_spans(a.sents[i])}
        figure_spans = [(f[1].qstart, f[1].end) for f in d.figures]
        if d.timeframe is None and not d.earlier:
            for i in order:
                s = a.sents[i]
                mine = [end for j, end in d.spots if j == i]
                others = [m.end for m in s.money if m.end not in mine]
                for m in details.timeframes(s.text, a.year):
                    near_figure = any(
                        0 <= m.start() - end < 40 for start, end in _count_spans(s)
                    ) or any(0 <= m.start() - e < 40 for _, e in figure_spans)
                    theirs = mine and any(
                        abs(m.start() - o) < min(abs(m.start() - e) for e in mine) for o in others
                    )  # "2,9 Md$ au Japon sur deux ans, après 2,1 Md en Espagne": Japan's
                    opens = _OPENING.search(s.text[max(0, m.start() - 40) : m.start()])
                    if i in figured or near_figure:  # "2 500 startups accompagnées d'ici 2027"
                        near_figure = not opens  # "…, et doit ouvrir d'ici 2027": the site's
                    if not near_figure and not theirs:
                        d.timeframe = m.group(0)
                        d.evidence["timeframe"] = s.text
                        break
                if d.timeframe:
                    break
        if d.kind == "funding_round" and d.round is None:
            restating = [  # "Cette série C de 103 M$, qui…": a sentence stating its amount again
                s.index
                for s in a.sents
                if s.index not in order and s.index not in others_told and _stated_ends(d, s)
            ]
            for i in order + restating:
                s = a.sents[i]
                mine = _stated_ends(d, s)
                near = mine[0] if mine else len(s.text) // 2
                others = [m.end for m in s.money if m.end not in mine]
                names = [(o.start, o.end) for o in s.orgs]
                # a vague word ("prêt", "croissance") only where the deal itself is stated,
                # and no word of a quoted speaker's ("on n'est plus en amorçage") elsewhere
                told = i in d.sentences
                text = s.text if told else _SPEECH.sub(lambda m: " " * len(m.group(0)), s.text)
                r = details.round_type(text, near, others, names, vague=told)
                if r:
                    d.round = r
                    d.evidence["round"] = s.text
                    break
            if d.round in (None, "bridge"):
                _extended_round(a, d)


def _extended_round(a: Assembler, d: Draft) -> None:
    """An extension of a round is that round, named in the next sentences ("une extension de
    72 M€ … Elle porte ainsi sa série B à 112 M€"), not a bridge."""
    if not any(details.extension().search(a.sents[i].text) for i in d.sentences):
        return
    told = max(d.sentences)
    for s in a.sents[told + 1 : told + 3]:
        r = details.round_type(s.text, 0, vague=False)
        if r and r not in details.VAGUE_ROUNDS:
            d.round = r
            d.evidence["round"] = s.text
            return


def _stated_ends(d: Draft, s: Sent) -> list[int]:
    """Where a sentence states the draft's amount: the spots read as its deal, and any amount
    restating it ("Cette série C de 103 M$, qui porte à…" after the round is told)."""
    mine = [end for j, end in d.spots if j == s.index]
    if d.amount is not None:
        mine += [m.end for m in s.money if m.end not in mine and _restated(m, d.amount)]
    return sorted(mine)


def _count_spans(s: Sent) -> list[tuple[int, int]]:
    return [(c.spot.qstart, c.spot.end) for c in s.counts if c.kind not in ("jobs", "headcount")]


def attach_investors(a: Assembler) -> None:
    """Named investors of each round: from its sentence and the next ones about the company."""
    _own_rounds(a)
    for d in (d for d in a.drafts if d.kind == "funding_round"):
        lead, names, said = _investors_of(a, d)
        if not names and d.headline:
            names = list(d.investors)  # the giver of a construction ("X entre au capital de Y")
        if not names:
            takers = _part_takers(a, d)
            names = list(takers)
            for n, sentence in takers.items():
                if sentence:
                    said.setdefault(n, sentence)
        ordered = ([lead] if lead else []) + names
        seen: list[str] = []
        for n in ordered:
            if n and n not in seen and not bystander(a, n, d.actor):
                seen.append(n)
        lead = lead if lead in seen else None
        d.investors, d.lead = seen, lead
        naming = list(dict.fromkeys(said[n] for n in seen if n in said))
        if naming:  # the sentences naming them: what the written story may say them from
            d.evidence["investors"] = " ".join(naming)


def _investors_of(a: Assembler, d: Draft) -> tuple[str | None, list[str], dict[str, str]]:
    """The lead and the investors a round's sentences name (with the sentence naming each):
    the round's own sentences and the next ones about it, and the title and lead of an item
    telling this one round ("X devient l'actionnaire de référence de Y" before "Y lève…")."""
    lex = lexicon()
    lead: str | None = None
    names: list[str] = []
    existing: set[str] = set()  # names said to be in the capital already
    said: dict[str, str] = {}  # the sentence each name was read from, for grounding
    start = min(d.sentences) if d.sentences else 0
    heading = [s for s in a.sents[:start] if _heads(a, s, d)]
    far = False  # past a sentence about something else: only "this round" sentences now
    for s in heading + a.sents[start:]:
        if s.index >= start:
            owner = _round_owner(a, s, d)
            if owner is not d:
                told = max(d.sentences, default=start)
                strayed = a.focus[s.index] != d.actor and s.index - told > 2
                far = far or (s.index > start and (owner is not None or strayed))
                continue
            if far and _the_round(a, s, d, _cues()) is not d:
                continue
        for m in lex.lead_after.finditer(s.text):
            found = details.named_list(s.text, m.end(), s.orgs, a.aliases)
            if found:
                lead = lead or found[0]
                names += found
        for m in lex.others_after.finditer(s.text):
            found = details.named_list(s.text, m.end(), s.orgs, a.aliases)
            names += found
            existing |= details.existing_investors(s.text, m.end(), found)
        names = [n for n in names if gazetteer().lookup(n) is None]
        for m in lex.lead_before.finditer(s.text):
            found = _named_before(s, m.start(), d.actor)
            if found:
                lead = lead or found[0]
                names = found + names
        for m in lex.others_before.finditer(s.text):
            names += _named_before(s, m.start(), d.actor)
        for n in names:
            said.setdefault(n, s.text)
    for s in heading + a.sents[start:]:
        if lead is None and (s in heading or _round_owner(a, s, d) is d):
            lead = details.marked_lead(s.text, s.orgs, a.aliases)
            if lead:
                said.setdefault(lead, s.text)
    names = [n for n in names if n != d.actor]
    if lead is None and any(n not in existing for n in names):  # newcomers lead, mostly
        names = [n for n in names if n not in existing] + [n for n in names if n in existing]
    return lead, names, said


def _past_aside(text: str, end: int) -> int:
    """The offset past a bracketed aside right after an amount ("180 M$ (160 M€) dans…")."""
    m = re.match(r"\s*\([^()]{0,60}\)", text[end:])
    return end + m.end() if m else end


def _of_a_round(a: Assembler, text: str) -> bool:
    """A sentence that speaks of a round or a company's capital, not of what an investment
    buys ("… accompagnées par le programme X" beside a group's plan)."""
    s = next((s for s in a.sents if s.text == text), None)
    lex = lexicon()
    return s is not None and (
        any(t[2].startswith("fund") for t in s.triggers)
        or bool(lex.funding_nouns.search(text) or re.search(r"\bcapital\b", text, re.I))
    )


def _of_its_round(a: Assembler, d: Draft) -> bool:
    """The amount is said to be of the company's own round: "une extension de 72 M€ de sa
    levée de fonds"."""
    for i, end in d.spots:
        m = details.own_round().search(a.sents[i].text[end : end + 60])
        if m and m.start() < 12:
            return True
    return False


def _heads(a: Assembler, s: Sent, d: Draft) -> bool:
    """A sentence of the title or lead, before the round's own, that speaks of it: the item
    tells this round and no other deal, and the sentence names the company and a lead, a
    round or its capital."""
    if not a.in_lead(s) or d.earlier or any(s.index in x.sentences for x in a.drafts):
        return False
    others = [x for x in a.drafts if x is not d and not x.earlier and x.amount is not None]
    lex = lexicon()
    of_it = lex.lead_after.search(s.text) or lex.lead_before.search(s.text)
    if others or not (of_it or _of_a_round(a, s.text)):
        return False  # not "des logiciels accompagnés par X" in a lead telling the company
    return any(o.name == d.actor for o in s.orgs) or a.focus[s.index] == d.actor


def _own_rounds(a: Assembler) -> None:
    """The company raising is never its own investor: an investment read on a company that
    goes into no named firm, said to be of its own round ("12 M€ de sa levée") or in an item
    that names other organisations investing in it (a lead, "auprès de", "au capital"), is
    that company's round ("Y a annoncé un financement de 40 M€ … mené par X")."""
    rounds = [x for x in a.drafts if x.kind == "funding_round" and not x.earlier]
    for d in a.drafts:
        if d.kind != "investment" or d.earlier or d.amount is None or d.beneficiary:
            continue
        if d.investor != d.actor or {x.actor for x in rounds} - {d.actor}:
            continue  # a round-up, or another company's round this one takes part in
        if any(org_after(a.sents[i], _past_aside(a.sents[i].text, end)) for i, end in d.spots):
            continue  # "X va investir 180 M$ (160 M€) dans la start-up Y": X invests
        amount = d.amount
        told = [x.amount for x in rounds if x.amount is not None]
        d.kind, d.investor, d.beneficiary = "funding_round", None, d.actor
        if _of_its_round(a, d) or any(_restated(t, amount) for t in told):
            continue  # "72 M€ de sa levée"; its round told again in other words
        if told:  # a part of its round, or another deal of the company: not this rule's
            d.kind, d.investor, d.beneficiary = "investment", d.actor, None
            continue
        lead, names, said = _investors_of(a, d)
        funders = [
            n for n in names if _of_a_round(a, said.get(n, "")) and not bystander(a, n, d.actor)
        ]
        if not (lead or funders):
            d.kind, d.investor, d.beneficiary = "investment", d.actor, None


def _parts(a: Assembler, d: Draft) -> list[Draft]:
    """The investments the item says put a part of the company's round in ("X a investi 35 M€"
    in a 46 M€ round), the largest part first."""
    rounds = [x for x in a.drafts if x.kind == "funding_round" and x.amount and not x.earlier]
    if d.amount is None or len({x.actor for x in rounds}) != 1:
        return []
    parts = [
        x
        for x in a.drafts
        if x.kind == "investment"
        and not x.earlier
        and x.amount is not None
        and x.investor not in (None, d.actor)
        and x.beneficiary in (None, d.actor)
        and x.amount.value < d.amount.value
        and x.amount.currency in (None, d.amount.currency)
    ]
    parts.sort(key=lambda x: -x.amount.value if x.amount else 0)
    return parts


def _part_takers(a: Assembler, d: Draft) -> dict[str, str]:
    """The investors of the round's parts, each with the sentence telling its part: the
    round's investors when it names none."""
    return {
        x.investor: a.sents[x.sentences[0]].text if x.sentences else ""
        for x in _parts(a, d)
        if x.investor
    }


def _cues() -> tuple[re.Pattern[str], ...]:
    """The words that name a round's investors, lead or not, after or before them."""
    lex = lexicon()
    return (lex.lead_after, lex.others_after, lex.lead_before, lex.others_before)


def _named_before(s: Sent, pos: int, actor: str) -> list[str]:
    """The organisations named as the subject of a verb: "Bpifrance and Nord Capital joined"."""
    relative = re.search(r",?\s*qui\s+$", s.text[:pos])
    cleft = re.match(r"\W*C['’]est\s+(?!des?\s|une?\s)", s.text)  # not "ce sont des fonds qui"
    if relative and cleft:  # "C'est le fonds X, déjà actionnaire de Y, qui mène le tour": X
        inside = [o for o in s.orgs if cleft.end() <= o.start and o.end <= relative.start()]
        return [min(inside, key=lambda o: o.start).name] if inside else []
    if relative and relative.group(0).startswith(","):
        # "auprès de Bocage Ventures, qui mène le tour": the name before the comma
        o = next((o for o in s.orgs if 0 <= relative.start() - o.end <= 1), None)
        return [o.name] if o else []
    masked = _ASIDE.sub(lambda m: " " * len(m.group(0)), s.text[:pos])
    lo = max([0] + [m.end() for m in re.finditer(r"[.;:]\s|,\s(?!et\s|and\s)(?=[a-zà-ÿ])", masked)])
    first = _opening(s, lo, pos) or subject(s, lo, pos) or subject(s, 0, pos)
    if first is None:
        return []
    names = [first.name]
    for o in s.orgs:
        if first.end <= o.start and o.end <= pos and o.source != "caps":
            gap = s.text[max(0, o.start - 60) : o.start]
            if re.search(r"(?:\bet|\band|,)\s+(?:\S+\s+){0,4}$", gap):
                names.append(o.name)
    return [n for n in names if n != actor]


def _opening(s: Sent, lo: int, pos: int) -> Org | None:
    """The name a clause opens with, after at most a descriptor: "Le fonds américain X mène…"."""
    inside = sorted((o for o in s.orgs if lo <= o.start and o.end <= pos), key=lambda o: o.start)
    if inside and inside[0].source != "per":
        gap = s.text[lo : inside[0].start]
        if len(gap.split()) <= 3 and not re.search(r"[,;:()]", gap):
            return inside[0]
    return None


def _round_owner(a: Assembler, s: Sent, d: Draft) -> Draft | None:
    """Which round of the company a sentence speaks of: the one whose amount it states."""
    mine = [x for x in a.drafts if x.actor == d.actor and x.kind == "funding_round"]
    stated = [x for x in mine if x.amount is not None and s.index in x.sentences]
    if stated:
        return stated[0]
    if any(s.index in x.sentences for x in _parts(a, d)):
        return d  # "C'est X qui mène, avec Y qui a investi 20 M€": a part of this round
    if any(s.index in x.sentences and x.actor != d.actor for x in a.drafts):
        return None  # the sentence tells another company's deal (a round-up)
    lex = lexicon()
    cues = (lex.lead_after, lex.others_after, lex.lead_before, lex.others_before)
    follows = any(p.search(s.text) for p in cues) and any(
        0 < s.index - i <= 2 for x in mine for i in x.sentences
    )  # "Bpifrance and Nord Capital joined the round." right after the round
    if a.focus[s.index] != d.actor and not any(o.name == d.actor for o in s.orgs) and not follows:
        return _the_round(a, s, d, cues)
    earlier = [x for x in mine if x.sentences and min(x.sentences) <= s.index]
    return max(earlier, key=lambda x: min(x.sentences)) if earlier else None


def _restated(a: Spot, b: Spot) -> bool:
    """One amount stated twice: equal, or rounded once ("plus de 100 M$" and "103 M$")."""
    if _same_amount(a, b):
        return True
    rounded = "exact" in (a.qualifier, b.qualifier) and a.qualifier != b.qualifier
    near = abs(a.value - b.value) <= 0.1 * max(a.value, b.value)
    return rounded and near and a.currency == b.currency


def _retells_title(a: Assembler, k: Draft, d: Draft) -> bool:
    """A text draft restating the amount of the title's deal under another name the title does
    not write ("La startup fondée par A (Orme) … lève 21 M$ (18 M€)" under "Nuvelia lève
    18 M€"): the title's deal, its name a founder's firm or a word misread as the company."""
    title = " ".join(s.text for s in a.sents if s.title)
    told = any(a.sents[i].title for i in k.sentences)
    retold = not any(a.sents[i].title for i in d.sentences)
    return told and retold and fold(d.actor) not in fold(title)


def _fold_retold(a: Assembler) -> None:
    """One deal told twice in an item (the title and the text, rounded once, or two actors
    settled on the same company) is one draft: the facts read on either go to the first."""
    kept: list[Draft] = []
    for d in a.drafts:
        twin = next(
            (
                k
                for k in kept
                if k.kind == d.kind
                and (k.actor == d.actor or _retells_title(a, k, d))
                and not (k.earlier or d.earlier)
                and k.amount is not None
                and d.amount is not None
                and _restated(k.amount, d.amount)
            ),
            None,
        )
        if twin is None:
            kept.append(d)
            continue
        if twin.amount and d.amount and twin.amount.qualifier != "exact" == d.amount.qualifier:
            twin.amount = d.amount  # the exact statement, not the rounded one
            twin.evidence["amount"] = d.evidence.get("amount", twin.evidence.get("amount", ""))
        twin.round = twin.round or d.round
        twin.lead = twin.lead or d.lead
        twin.investors += [n for n in d.investors if n not in [*twin.investors, twin.actor]]
        if twin.jobs is None and d.jobs is not None:
            twin.jobs = d.jobs
        twin.timeframe = twin.timeframe or d.timeframe
        twin.places += [p for p in d.places if p not in twin.places]
        twin.sentences += [i for i in d.sentences if i not in twin.sentences]
        twin.spots += d.spots
        for k, v in d.evidence.items():
            twin.evidence.setdefault(k, v)
    a.drafts[:] = kept


def _jobs_to_the_deal(a: Assembler) -> None:
    """Jobs an item tells apart from its deal go to that deal: read on an actor with no
    amount that the jobs' sentence does not name (the focus guessed) while the item tells one
    company's deal, or said of "cette levée", "ce tour"."""
    deals = [d for d in a.drafts if d.amount is not None and not d.earlier]
    if not deals:
        return
    main = next((d for d in deals if d.kind == "funding_round"), deals[0])
    if main.jobs is not None:
        return
    one_company = len({d.actor for d in deals}) == 1
    for d in a.drafts:
        if d is main or d.jobs is None or d.earlier or d.kind == "funding_round":
            continue
        said = d.evidence.get("jobs", "")
        of_round = main.kind == "funding_round" and lexicon().this_round.search(said)
        guessed = d.amount is None and fold(d.actor) not in fold(said)
        if (guessed and one_company) or of_round:
            main.jobs, d.jobs = d.jobs, None
            main.evidence["jobs"] = said
            if d.amount is None:
                a.drafts.remove(d)
            return


def rescue_jobs(a: Assembler) -> None:
    """Jobs said of "cette levée" but read on a recalled deal (the sentence before it spoke of
    an investor's past rounds) are the jobs of the item's round, before recalled deals go."""
    rounds = [d for d in a.drafts if d.kind == "funding_round" and d.amount and not d.earlier]
    if len({d.actor for d in rounds}) != 1 or rounds[0].jobs is not None:
        return
    for d in a.drafts:
        said = d.evidence.get("jobs", "")
        if d.earlier and d.jobs is not None and lexicon().this_round.search(said):
            rounds[0].jobs, d.jobs = d.jobs, None
            rounds[0].evidence["jobs"] = said
            return


def _the_round(a: Assembler, s: Sent, d: Draft, cues: tuple[re.Pattern[str], ...]) -> Draft | None:
    """ "X and Y led the funding round" far from the round's sentence, in an item about one
    company's round: that round, the first the item tells."""
    rounds = [x for x in a.drafts if x.kind == "funding_round" and not x.earlier and x.amount]
    if len({x.actor for x in rounds}) != 1 or rounds[0] is not d:
        return None
    if lexicon().this_round.search(s.text) and any(p.search(s.text) for p in cues):
        return d
    return None


def finish(a: Assembler, item_id: int, lang: str, full_text: str) -> list[Mention]:
    """The drafts that carry a fact worth telling, as mentions."""
    _fold_retold(a)
    _jobs_to_the_deal(a)
    g = gazetteer()
    item_country = _item_country(a)
    event = details.event(full_text)
    out = []
    for d in a.drafts:
        if d.amount is None and d.jobs is None and not d.headline:
            continue  # a deal the title or lead tells (`Assembler.read_lead`) needs no figure
        if g.lookup(d.actor) or a.aliases.is_excluded(d.actor):
            continue
        d.places = [
            p for p in d.places if not any(q != p and q.startswith(p + "-") for q in d.places)
        ]
        kinds = {p: (known.kind if (known := g.lookup(p)) else "site") for p in d.places}
        if "city" in kinds.values() or "site" in kinds.values():  # Béthune, not Pas-de-Calais too
            d.places = [p for p in d.places if kinds[p] != "region"] or d.places
        home = next((g.country(p) for p in d.places if g.country(p)), None)
        # a round is of the company's home country, not of markets it targets ("en Allemagne")
        stated = home if d.kind == "funding_round" else d.country
        country = stated or d.country or home or item_country
        sector_text = " ".join(a.sents[i].text for i in d.sentences) or full_text
        out.append(
            Mention(
                item_id=item_id,
                kind=d.kind,  # type: ignore[arg-type]
                investor=d.investor if d.kind == "investment" else None,
                beneficiary=d.beneficiary,
                investors=d.investors,
                lead=d.lead,
                amount=d.amount.amount() if d.amount else None,
                parts=[Part(amount=p.amount(), purpose=purpose) for p, purpose in d.parts],
                jobs=d.jobs.quantity() if d.jobs else None,
                country=country,
                places=d.places,
                timeframe=d.timeframe,
                sector=details.labelled(lexicon().sectors, sector_text),
                event=event,
                round=d.round,
                figures=[
                    Figure(kind=k, quantity=sp.quantity(), timeframe=tf) for k, sp, tf in d.figures
                ],
                evidence={"deal": a.sents[d.sentences[0]].text} | d.evidence
                if d.sentences
                else d.evidence,
            )
        )
    return out


def _item_country(a: Assembler) -> str | None:
    """The country an item speaks of when a deal does not say: named with "en", or of its places."""
    for s in a.sents:
        for p in s.places:
            before = s.text[max(0, p.start - 12) : p.start]
            if p.kind == "country" and _COUNTRY_CUE.search(before):
                return p.name
    for s in a.sents:
        for p in s.places:
            if p.country == "France":
                return "France"
    french = any(_france().search(fold(s.text)) for s in a.sents)
    return "France" if french or a.lang == "fr" else None


@cache
def _france() -> re.Pattern[str]:
    """Any word that says France (places.yaml, country_words.yaml), in a folded text."""
    words = sorted(gazetteer().country_words("France"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")
