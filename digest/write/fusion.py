"""Fusion of a story's facts: per fact, normalised values voted by independent outlets
(digest/write/votes.py: copies count once, ties to source then feed priority). Currencies are
never converted: "4 milliards d'euros (4,3 milliards de dollars)" is one amount stated twice, and
an amount stated in dollars by one outlet and in euros by three is a conflict kept with who said
what.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from digest.group.fit import LEAD_CHARS, told, words_of
from digest.language import amounts, french, timeframes
from digest.language.fold import fold, name_key
from digest.language.places import Place, gazetteer
from digest.models import Amount, Conflict, ConflictValue, Figure, Item, Mention, Part, Quantity
from digest.write.settings import WriteSettings
from digest.write.votes import Claim, Side, Voice, claims_of, tally, voices


@dataclass
class Rival:
    """A minority's word, ready for "selon X, …": the field, the value in French, the outlets."""

    field: str
    text: str
    sources: list[str]


@dataclass
class Facts:
    """A story's merged facts and the conflicts found while merging them."""

    investor: str | None = None
    beneficiary: str | None = None
    investors: list[str] = field(default_factory=list)
    country: str | None = None
    locations: list[str] = field(default_factory=list)
    amount: Amount | None = None
    parts: list[Part] = field(default_factory=list)
    jobs: Quantity | None = None
    timeframe: str | None = None
    sector: str | None = None
    event: str | None = None
    round: str | None = None
    figures: list[Figure] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    rivals: list[Rival] = field(default_factory=list)


def _conflict(name: str, sides: list[Side], show: Callable[[Side], str]) -> Conflict:
    return Conflict(name, [ConflictValue(show(s), s.outlets) for s in sides])


def _text_key(value: str) -> str:
    """Case, accents, hyphens and spacing aside: 'Petit-Landau' is 'petit landau'."""
    return " ".join(fold(value).replace("-", " ").split())


def _vote_text(pairs, vs, get, name: str | None = None) -> tuple[str | None, Conflict | None]:
    sides = tally(claims_of(pairs, vs, get), _text_key)
    if not sides:
        return None, None
    winner = sides[0].spelling
    conflict = _conflict(name, sides, lambda s: s.spelling) if name and len(sides) > 1 else None
    return winner, conflict


def _told_company(pairs, vs) -> tuple[list[tuple[Mention, Item]], list[Voice]]:
    """The mentions whose company their own page's title or opening writes, when there are
    any: a name the reader took from deeper in a page (a misread actor) does not outvote it."""
    kept = [(p, v) for p, v in zip(pairs, vs, strict=True) if _opening_tells(*p)]
    return ([p for p, _ in kept], [v for _, v in kept]) if kept else (pairs, vs)


def _opening_tells(mention: Mention, item: Item) -> bool:
    """Whether the mention's company is written in its page's title or opening (a name too
    short to look for, under four letters, is taken as written)."""
    if not mention.beneficiary:
        return False
    key = name_key(mention.beneficiary)
    if len("".join(words_of(key))) < 4:
        return True
    return told(key, (*words_of(item.title), *words_of(item.text[:LEAD_CHARS])))


def timeframe_key(text: str) -> tuple[str, tuple[Any, ...]]:
    """('y', (2027,)) for "d'ici fin 2027", ('d', ((3, 'an'),)) for 'sur trois ans', else text."""
    read = timeframes.read_english(text)
    if read and read.years:
        return "y", read.years
    if read and read.count:
        return "d", ((read.count, "an" if read.unit == "year" else "mois"),)
    t = fold(text)
    words = amounts.grammar("fr").words
    t = re.sub(r"\b(" + "|".join(words) + r")\b", lambda m: str(words[m[1]]), t)
    years = tuple(int(y) for y in re.findall(r"\b(20\d\d|19\d\d)\b", t))
    if years:
        return "y", years
    spans = re.findall(r"\b(\d+)\s*(an|annee|mois|semaine|jour)s?\b", t)
    if spans:
        return "d", tuple((int(n), unit) for n, unit in spans)
    return "t", (" ".join(t.split()),)


def _timeframe_fr(side: Side) -> str | None:
    """The side's timeframe in French: an English one only when a known shape translates it."""
    best = side.spelling
    lang = min(c.voice.lang for c in side.claims if c.value == best)
    return timeframes.in_french(best, lang)


# a count of things (not a year, not a measure: '60 mégawatts' is the site's, not a programme's)
_COUNT = re.compile(
    r"\b(\d+(?:[ ,.\u202f\u00a0]\d{3})*)\b"
    r"(?!\s*(?:%|[kmgt]w|m[eé]gawatt|gigawatt|m2|m²|hectare|ha\b|km))",
    re.IGNORECASE,
)


def _deal_timeframe(m: Mention) -> str | None:
    """The mention's timeframe, unless it is a programme figure's ('25 000 GPU d'ici fin 2025',
    'train 10,000 developers by 2026'): told in another sentence than the amount's and the jobs',
    carried by one of the mention's figures or right after a count."""
    said = m.evidence.get("timeframe")
    if not m.timeframe or not said or said in (m.evidence.get("amount"), m.evidence.get("jobs")):
        return m.timeframe
    key = timeframe_key(m.timeframe)
    if any(f.timeframe and timeframe_key(f.timeframe) == key for f in m.figures):
        return None
    at = said.lower().find(m.timeframe.lower())
    counts = _COUNT.findall(said[max(0, at - 40) : max(at, 0)])
    return None if any(not re.fullmatch(r"(?:19|20)\d\d", n) for n in counts) else m.timeframe


def _timeframe(pairs, vs) -> tuple[str | None, Conflict | None]:
    """The timeframe most sources state, in French; an English one no shape of
    language/timeframes reads is left out rather than shown in English."""
    said = tally(claims_of(pairs, vs, _deal_timeframe), timeframe_key)
    sides = [s for s in said if _timeframe_fr(s)]
    if not sides:
        return None, None
    kind = sides[0].key[0]
    rivals = [s for s in sides[1:] if s.key[0] == kind and kind != "t"]
    show = lambda s: _timeframe_fr(s) or s.spelling  # noqa: E731 (never None: filtered above)
    conflict = _conflict("timeframe", [sides[0], *rivals], show) if rivals else None
    return _timeframe_fr(sides[0]), conflict


def _statements(a: Amount) -> list[Amount]:
    return [a, *a.equivalents]


def _same(x: float, y: float) -> bool:
    return abs(x - y) <= 1e-6 * max(abs(x), abs(y), 1.0)


def _matches(a: Amount, b: Amount, *, loose: bool) -> bool:
    """Whether two amounts share a statement (same value, same currency or, loose, none given)."""
    for s in _statements(a):
        for t in _statements(b):
            if _same(s.value, t.value) and (
                s.currency == t.currency or (loose and None in (s.currency, t.currency))
            ):
                return True
    return False


def same_amount(a: Amount, b: Amount) -> bool:
    """Whether two amounts state the same figure (in one of their currencies)."""
    return _matches(a, b, loose=True)


def _cluster_amounts(claims: list[Claim]) -> list[list[Claim]]:
    """Group claims that state the same amount (in any of its currencies)."""
    stated = [c for c in claims if any(s.currency for s in _statements(c.value))]
    bare = [c for c in claims if c not in stated]
    clusters: list[list[Claim]] = []
    for c in stated:
        linked = [k for k in clusters if any(_matches(c.value, o.value, loose=False) for o in k)]
        merged = [c] + [o for k in linked for o in k]
        clusters = [k for k in clusters if k not in linked] + [merged]
    for c in bare:
        fits = [k for k in clusters if any(_matches(c.value, o.value, loose=True) for o in k)]
        if fits:
            max(fits, key=lambda k: len({o.voice.key for o in k})).append(c)
        else:
            clusters.append([c])
    return clusters


def _amount(pairs, vs) -> tuple[Amount | None, list[Conflict], list[Rival]]:
    claims = claims_of(pairs, vs, lambda m: m.amount)
    if not claims:
        return None, [], []
    # an outlet counts once, for what its latest item states; when that item gives several
    # figures for the deal (a past round, a valuation), the one it states first is its word
    latest: dict[str, Claim] = {}
    for c in claims:
        if c.voice.key not in latest or c.voice.published > latest[c.voice.key].voice.published:
            latest[c.voice.key] = c
    kept = [c for c in claims if c.voice.published == latest[c.voice.key].voice.published]
    first = {id(c): n for n, c in enumerate(kept)}
    sides = sorted(
        (Side(i, k) for i, k in enumerate(_cluster_amounts(kept))),
        key=lambda s: (*s.order()[:3], min(first[id(c)] for c in s.claims)),
    )
    winner = _primary(sides[0].claims)
    conflicts: list[Conflict] = []
    rivals = []
    heard = {c.voice.key for c in sides[0].claims}  # an outlet's other figures are background
    for side in sides[1:]:
        voices = {c.voice.key for c in side.claims}
        if voices - heard:
            rivals.append((side, _primary(side.claims)))
        heard |= voices
    said = [Rival("amount", french.amount(a), s.outlets) for s, a in rivals]
    if rivals:
        by_currency = [
            s for s, a in rivals if a.currency and winner.currency and a.currency != winner.currency
        ]
        by_value = [s for s, a in rivals if not _same(a.value, winner.value)]
        if by_currency:
            conflicts.append(
                _conflict(
                    "amount.currency",
                    [sides[0], *by_currency],
                    lambda s: _primary(s.claims).currency or "",
                )
            )
        if by_value:
            conflicts.append(
                _conflict(
                    "amount.value",
                    [sides[0], *by_value],
                    lambda s: french.money(_primary(s.claims).value, _primary(s.claims).currency),
                )
            )
    return winner, conflicts, said


def _primary(claims: list[Claim]) -> Amount:
    """The cluster's amount: its most stated form, the other currencies as equivalents (the
    best-ranked source's figure in each that may be the same money)."""
    stated = [Claim(c.voice, (c.value.value, c.value.currency), c.mention) for c in claims]
    with_currency = [c for c in stated if c.value[1]] or stated
    top = tally(with_currency, lambda v: (round(v[0], 6), v[1]))[0]
    value, currency = top.key
    support = [c for c in claims if _same(c.value.value, value) and c.value.currency == currency]
    quals = tally([Claim(c.voice, c.value.qualifier, c.mention) for c in support], lambda q: q)
    best = min(support, key=lambda c: (c.voice.rank, c.voice.published)).value
    equivalents: dict[str, Amount] = {}
    for c in sorted(claims, key=lambda c: (c.voice.rank, c.voice.published)):
        for s in _statements(c.value):
            if (
                s.currency
                and s.currency != currency
                and s.currency not in equivalents
                and amounts.may_be_equivalent(s, Amount(value, currency))
            ):
                equivalents[s.currency] = Amount(s.value, s.currency, s.qualifier, s.as_stated)
    return Amount(value, currency, quals[0].key, best.as_stated, list(equivalents.values()))


_COUNTRY_CUE = r"(?:en|au|aux|a|a la|dans|vers|in|to|into)"


def _countries(m: Mention) -> set[str]:
    return {c for c in (gazetteer().country(p) for p in m.places) if c}


def _placed(m: Mention, country: str) -> bool:
    """Whether the mention says the money goes to the country: 'en France' in its deal's
    sentence, or one of its places there (not 'la société danoise', not the targets of a
    later sentence). A mention read without evidence (written by hand) is taken at its word."""
    if not m.evidence or country in _countries(m):
        return True
    said = " ".join(_text_key(m.evidence[k]) for k in ("deal", "amount") if k in m.evidence)
    return re.search(rf"\b{_COUNTRY_CUE} {re.escape(_text_key(country))}\b", said) is not None


def _country(pairs, vs) -> tuple[str | None, Conflict | None]:
    """The country most outlets place the investment in; a conflict only between countries
    each stated so, and not when one source itself places the deal in both (a London company's
    site in Brest): a company's home country is no rival to the investment's."""
    sides = tally(claims_of(pairs, vs, lambda m: m.country), _text_key)
    if not sides:
        return None, None
    placed = [s for s in sides if any(_placed(c.mention, c.value) for c in s.claims)]
    winner = (placed or sides)[0]
    both = [_countries(m) for m, _ in pairs]
    rivals = [
        s
        for s in placed
        if s is not winner and not any({winner.spelling, s.spelling} <= b for b in both)
    ]
    conflict = _conflict("country", [winner, *rivals], lambda s: s.spelling) if rivals else None
    return winner.spelling, conflict


def _quantity(name: str, claims: list[Claim]) -> tuple[Quantity | None, Conflict | None]:
    sides = tally(claims, lambda q: q.value)
    if not sides:
        return None, None
    conflict = None
    if len(sides) > 1:
        conflict = _conflict(name, sides, lambda s: french.number(s.key, 0))
    return _quantity_of(sides[0]), conflict


def _quantity_of(side: Side) -> Quantity:
    """The side's count, with the qualifier most of its outlets give."""
    quals = tally([Claim(c.voice, c.value.qualifier, c.mention) for c in side.claims], lambda q: q)
    best = side.best.value
    return Quantity(best.value, quals[0].key, best.as_stated)


def _union(pairs, vs, get: Callable[[Mention], list[str]], short: bool = False) -> list[str]:
    """Every value stated, the most supported first, duplicates (by folded form) removed;
    short=True: a name and its longer form are one ("Dragoneer", "Dragoneer Investment
    Group"), written as most outlets write it."""
    claims = [Claim(v, x, m) for (m, _), v in zip(pairs, vs, strict=True) for x in get(m) if x]
    keys = {_text_key(c.value) for c in claims}
    longer = {k: _longest(k, keys) if short else k for k in keys}
    sides: dict[str, Side] = {}
    for c in claims:
        key = longer[_text_key(c.value)]
        sides.setdefault(key, Side(key, [])).claims.append(c)
    first = {k: i for i, k in reversed(list(enumerate(longer[_text_key(c.value)] for c in claims)))}
    ordered = sorted(sides.values(), key=lambda s: (-s.voices, first[s.key]))
    return [s.spelling for s in ordered]


def _longest(key: str, keys: set[str]) -> str:
    """The longest name of the set that starts with this one's words (a name of one short
    word, under four letters, stands alone: "EQT", not "EQT Ventures" and "EQT Partners")."""
    words = key.split()
    if len(words) == 1 and len(words[0]) < 4:
        return key
    starting = [k for k in keys if k.split()[: len(words)] == words]
    return max(starting, key=lambda k: (len(k.split()), k))


def _one_firm(a: str, b: str) -> bool:
    """Two names of one firm: the same, or one the start of the other ("Dragoneer")."""
    ka, kb = _text_key(a), _text_key(b)
    return _longest(ka, {ka, kb}) == _longest(kb, {ka, kb})


def _sites(places: list[str]) -> list[str]:
    """The sites: a region or département goes when a city or town of the story is named."""
    kinds = [(p, (gazetteer().lookup(p) or Place(0, 0, p, "town", None)).kind) for p in places]
    if not any(kind in ("city", "town") for _, kind in kinds):
        return places
    return [p for p, kind in kinds if kind != "region"]


def _figures(pairs, vs) -> tuple[list[Figure], list[Conflict]]:
    kinds = list(dict.fromkeys(f.kind for m, _ in pairs for f in m.figures))
    figures, conflicts = [], []
    for kind in kinds:
        claims = [
            Claim(v, f.quantity, m)
            for (m, _), v in zip(pairs, vs, strict=True)
            for f in m.figures
            if f.kind == kind
        ]
        chosen, conflict = _quantity(f"figures.{kind}", claims)
        if chosen:
            timeframe = next(
                (
                    said
                    for m, item in pairs
                    for f in m.figures
                    if f.kind == kind
                    and f.timeframe
                    and (said := timeframes.in_french(f.timeframe, item.lang))
                ),
                None,
            )
            figures.append(Figure(kind, chosen, timeframe))
        if conflict:
            conflicts.append(conflict)
    return figures, conflicts


def _parts(pairs, vs, amount: Amount | None) -> list[Part]:
    """The parts stated by the most trusted outlet that gives the chosen amount."""
    if amount is None:
        return []
    stating = [
        (v, m)
        for (m, _), v in zip(pairs, vs, strict=True)
        if m.parts and m.amount and _matches(m.amount, amount, loose=True)
    ]
    if not stating:
        return []
    return min(stating, key=lambda vm: (vm[0].rank, vm[0].published))[1].parts


def _of_the_deal(pairs, vs, amount: Amount | None):
    """The pairs that speak of the story's deal: an item read as several deals of the story
    (the round, then a past round it recalls) speaks of it only by the mention stating the
    chosen amount; its other mentions' round and investors are another deal's."""
    if amount is None:
        return pairs, vs

    def key(item: Item) -> int:
        return item.id if item.id is not None else id(item)

    stating = {key(i) for m, i in pairs if m.amount is not None and same_amount(m.amount, amount)}
    kept = [
        ((m, i), v)
        for (m, i), v in zip(pairs, vs, strict=True)
        if key(i) not in stating or m.amount is None or same_amount(m.amount, amount)
    ]
    return [p for p, _ in kept], [v for _, v in kept]


def _investor_of(pairs, raising: str | None) -> Callable[[Mention], str | None]:
    """What a mention says invests: in a story of a company's round (most of its mentions read
    a round), not that company itself, read investing "200 M$" with no firm to invest in on a
    page that told its round with another verb: a company is never its own investor."""
    kinds = Counter(m.kind for m, _ in pairs)
    key = _text_key(raising or "")

    def get(m: Mention) -> str | None:
        itself = m.beneficiary is None and _text_key(m.investor or "") == key
        return (
            None if key and itself and kinds["funding_round"] > kinds["investment"] else m.investor
        )

    return get


def merge(pairs: list[tuple[Mention, Item]], settings: WriteSettings) -> Facts:
    """The merged facts of one story's mentions, with every disagreement kept as a conflict."""
    vs = voices(pairs, settings)
    facts = Facts()
    conflicts: list[Conflict | None] = []
    facts.beneficiary, _ = _vote_text(*_told_company(pairs, vs), lambda m: m.beneficiary)
    facts.investor, _ = _vote_text(pairs, vs, _investor_of(pairs, facts.beneficiary))
    facts.amount, amount_conflicts, facts.rivals = _amount(pairs, vs)
    conflicts += amount_conflicts
    job_claims = claims_of(pairs, vs, lambda m: m.jobs)
    facts.jobs, c = _quantity("jobs.value", job_claims)
    conflicts.append(c)
    for side in tally(job_claims, lambda q: q.value)[1:]:
        facts.rivals.append(Rival("jobs", french.jobs(_quantity_of(side)), side.outlets))
    facts.timeframe, c = _timeframe(pairs, vs)
    conflicts.append(c)
    if c:
        facts.rivals += [Rival("timeframe", v.value, v.sources) for v in c.values[1:]]
    facts.country, c = _country(pairs, vs)
    conflicts.append(c)
    deal_pairs, deal_vs = _of_the_deal(pairs, vs, facts.amount)
    facts.round, c = _vote_text(deal_pairs, deal_vs, lambda m: m.round, "round")
    conflicts.append(c)
    facts.sector, _ = _vote_text(pairs, vs, lambda m: m.sector)
    facts.event, _ = _vote_text(pairs, vs, lambda m: m.event)
    raising = _text_key(facts.beneficiary or "")  # the company raising never leads its round

    def investing(name: str | None) -> str | None:
        return name if name and _text_key(name) != raising else None

    lead, _ = _vote_text(deal_pairs, deal_vs, lambda m: investing(m.lead))
    named = [
        n for n in _union(deal_pairs, deal_vs, lambda m: m.investors, short=True) if investing(n)
    ]
    facts.investors = [lead] + [n for n in named if not _one_firm(n, lead)] if lead else named
    country = _text_key(facts.country or "")
    # places as French outlets write them ("Francfort", not "Frankfurt") when there are any
    french_places = [(m, i) for m, i in pairs if i.lang == "fr" and m.places]
    french_voices = [v for (m, i), v in zip(pairs, vs, strict=True) if i.lang == "fr" and m.places]
    placed = (french_places, french_voices) if french_places else (pairs, vs)
    places = [p for p in _union(*placed, lambda m: m.places) if _text_key(p) != country]
    facts.locations = _sites(places)
    facts.figures, figure_conflicts = _figures(pairs, vs)
    conflicts += figure_conflicts
    facts.parts = _parts(pairs, vs, facts.amount)
    facts.conflicts = [c for c in conflicts if c is not None]
    return facts
