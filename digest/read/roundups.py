"""Round-up pages: a barometer, a month's review or a weekly list reports several deals, each
its own mention; the page's statistics (the month's total, the number of rounds, an average
ticket) are no deal.

A listed deal is an entry: a name and an amount the reader found, with the text between and
around them shaped like a list item ("Nuvelia (12 M€)", "Ostrale (santé) à 25 millions",
"80 millions pour l'éditeur Tramalys"; shapes kept as data in digest/language/data/roundups.yaml).
A page is a round-up when entries name two companies or more and its title or lead frames it
as statistics over many deals (a page announcing one deal may compare it with others listed
further down: those are no news).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from digest.language import amounts, data
from digest.language.amounts import Spot
from digest.language.names import Org
from digest.language.places import gazetteer
from digest.read import details
from digest.read.clauses import Sent
from digest.read.deals import LEAD, Assembler, Draft
from digest.read.roles import found

# roles of the words just before an amount that make it no listed deal
_NOT_A_DEAL = frozenset({"valuation", "earlier", "total"})
# "A et B (35 millions chacune)": the names sharing one bracket
_JOINED = re.compile(r"^\s*(?:,|et|and|&)\s*$", re.I)
# "les 50 millions de A et de B": a second owner of the same figure
_AND_OF = re.compile(
    r"^\s*(?:et|and)\s+(?:de|d['’]|du|of)\s*(?:(?:la|le|l['’]|the)\s*)?(?:[^\s\d,;:.()]+\s+){0,3}$",
    re.I,
)


# the rest of a bracketed entry after its amount, up to the bracket's close
_REST = re.compile(r"[^()]{0,40}\)")


@dataclass(frozen=True)
class Shape:
    name: str
    first: str  # "name" or "amount": which comes first
    before: re.Pattern[str] | None
    between: re.Pattern[str]
    after: re.Pattern[str]


@dataclass
class Entry:
    """One listed deal: a name, its amount, the sentence, and the span the entry covers."""

    org: Org
    spot: Spot
    sent: Sent
    start: int
    end: int


@cache
def shapes() -> list[Shape]:
    """The entry shapes of roundups.yaml, compiled (names first tried first)."""
    raw = data.load("roundups.yaml")
    out = []
    for first in ("name", "amount"):
        for name, s in raw[f"{first}_first"].items():
            before = re.compile(s["before"], re.I) if "before" in s else None
            out.append(
                Shape(
                    name,
                    first,
                    before,
                    re.compile(s["between"], re.I),
                    re.compile(s["after"], re.I),
                )
            )
    return out


def _cues(name: str) -> re.Pattern[str]:
    alts = "|".join(f"(?:{p})" for p in data.load("roundups.yaml")[name]["patterns"])
    return re.compile(r"(?<![\w])(?:" + alts + r")(?![\w])", re.I)


@cache
def statistics() -> re.Pattern[str]:
    """Words that frame a sentence as statistics over many deals."""
    return _cues("statistics")


@cache
def links() -> re.Pattern[str]:
    """The opening of a line that links to another page ("Lire aussi : …")."""
    return _cues("links")


def _a_company(o: Org) -> bool:
    """A listed name that may be a company: not a place, not a person's full name (a one-word
    name the model takes for a person is often a start-up: "Alan", "Robocath")."""
    person = o.source == "per" and len(o.name.split()) > 1
    return not person and gazetteer().lookup(o.name) is None


def _cited(text: str, o: Org) -> bool:
    """A name cited as the source of a figure ("5 Md€ d'après EY"), not a company raising it."""
    return "source" in found(text[max(0, o.start - 12) : o.start])


def _bracketed(text: str, o: Org, pos: int) -> bool:
    """A name inside a bracket closed before an offset: "Kineis (satellites, NDLR) à…"."""
    return text[: o.start].count("(") > text[: o.start].count(")") and ")" in text[o.end : pos]


def bare_amounts(sent: Sent, lang: str) -> list[Spot]:
    """Scaled numbers with no currency that the money reader leaves out as possible counts
    ("les 50 millions de l'assurtech Alan"): in a list entry they are amounts."""
    g = amounts.grammar(lang)
    told = [(m.qstart, m.end) for m in sent.money]
    out = []
    for m in g.money.finditer(sent.text):
        num, scale = m.group("num"), m.group("scale")
        if not scale or m.group("pre") or m.group("cur") or not num[0].isdigit():
            continue
        if any(a < m.end() and m.start() < b for a, b in told):
            continue
        value = amounts.number_value(num, g.lang)
        factor = g.scales[scale.strip(" \u00a0\u202f")]
        if value is None or factor < 1e6:
            continue
        out.append(
            Spot(
                m.start(),
                m.end(),
                value * factor,
                "exact",
                m.group(0),
                money=True,
                qstart=m.start(),
            )
        )
    return out


def entries(sent: Sent, lang: str = "fr") -> list[Entry]:
    """The listed deals of one sentence; each name and each amount is used once, except an
    amount shared by names ("A et B (35 M€ chacune)", "les 50 millions de A et de B")."""
    text = sent.text
    out: list[Entry] = respective(sent, lang)
    used: set[int] = {e.org.start for e in out}
    given = {e.spot.qstart for e in out}
    spots = sorted([*sent.money, *bare_amounts(sent, lang)], key=lambda m: m.qstart)
    for m in spots:
        if m.qstart in given or found(text[max(0, m.qstart - 30) : m.qstart]) & _NOT_A_DEAL:
            continue
        entry = _entry(sent, m, spots, used)
        if entry is None:
            continue
        used.add(entry.org.start)
        entry.org = _widened(text, entry.org)
        out.append(entry)
        for o in _sharing(sent, entry, used):
            out.append(Entry(o, m, sent, min(o.start, entry.start), max(o.end, entry.end)))
            used.add(o.start)
    return out


def _entry(sent: Sent, m: Spot, spots: list[Spot], used: set[int]) -> Entry | None:
    text = sent.text
    others = [x for x in spots if x is not m]
    for shape in shapes():
        if shape.first == "name":
            before = [
                o
                for o in sent.orgs
                if o.end <= m.qstart and o.start not in used and not _bracketed(text, o, m.qstart)
            ]
            o = before[-1] if before else None
            if o is None or any(o.end <= x.qstart < m.qstart for x in others):
                continue
            if (
                shape.between.search(text[o.end : m.qstart])
                and shape.after.match(text[m.end :])
                and _a_company(o)
                and not _cited(text, o)
            ):
                rest = _REST.match(text, m.end)  # "(€95M, Series B)": the round it states
                return Entry(o, m, sent, o.start, rest.end() if rest else m.end)
        else:
            assert shape.before is not None
            if not shape.before.search(text[: m.qstart]):
                continue
            # the name may come after a described name: "de la Health Tech toulousaine Sêmeia"
            for o in [o for o in sent.orgs if o.start >= m.end and o.start not in used]:
                if any(m.end <= x.qstart < o.start for x in others):
                    break
                if not shape.between.search(text[m.end : o.start]):
                    break
                if shape.after.match(text[o.end :]) and _a_company(o) and not _cited(text, o):
                    return Entry(o, m, sent, m.qstart, o.end)
    return None


# "respectivement 40 et 104 millions": the figures of a list sharing the last one's scale
_RESPECTIVELY = re.compile(r"\brespecti(?:ve|f)\w*|\brespectively\b", re.I)
_SHARED_SCALE = re.compile(
    r"(\d+(?:[,.]\d+)?)\s*(?:,|et|and|&)\s*(?=(?:\d+(?:[,.]\d+)?\s*(?:,|et|and|&)\s*)*$)", re.I
)


def respective(sent: Sent, lang: str = "fr") -> list[Entry]:
    """The deals of a sentence that gives several companies their figures in order ("A et B
    ont levé respectivement 40 et 104 M€"): the n-th name before the word gets the n-th
    figure; the figures before the last share its scale and currency. None when the counts
    differ or the figures are valuations."""
    cue = _RESPECTIVELY.search(sent.text)
    if cue is None:
        return []
    last = next(
        (m for m in sorted(sent.money, key=lambda m: m.qstart) if m.qstart >= cue.end()), None
    )
    if last is None or found(sent.text[max(0, cue.start() - 30) : cue.end()]) & _NOT_A_DEAL:
        return []  # "valorisées respectivement 300 et 450 M€"
    head = re.match(r"[\d.,\s]+", last.text)
    unit = amounts.number_value(head.group(0), lang) if head else None
    run = sent.text[cue.end() : last.qstart]
    numbers = [x.group(1) for x in _SHARED_SCALE.finditer(run)]
    if not unit or not numbers or found(run) & _NOT_A_DEAL:
        return []
    spots = []
    for x in numbers:
        value = amounts.number_value(x, lang)
        if value is None:
            return []
        at = cue.end() + run.find(x)
        spots.append(
            Spot(at, at + len(x), value * last.value / unit, "exact", x, money=True, qstart=at)
        )
        spots[-1].currency = last.currency
    spots.append(last)
    names = _coordinated([o for o in sent.orgs if o.end <= cue.start()], sent.text)
    if len(names) != len(spots) or len({o.name for o in names}) != len(names):
        return []
    return [Entry(o, m, sent, o.start, m.end) for o, m in zip(names, spots, strict=True)]


def _coordinated(orgs: list[Org], text: str) -> list[Org]:
    """The last names of a run joined by commas and "et" ("A, B et C"), in order."""
    run: list[Org] = []
    for o in reversed(orgs):
        if run and not _JOINED.match(text[o.end : run[0].start]):
            break
        if not _a_company(o):
            break
        run.insert(0, o)
    return run


# what the model may leave out of the start of a name: a lower-case word with a capital inside
# ("eCential Robotics"), a capitalised word and a short joining word ("Plug in Digital")
_LEFT_OUT = re.compile(
    r"(?:(?<![\w])[a-z]+[A-Z][\w-]*|(?<![\w'’-])[A-Z][\w-]+\s+(?:in|of|on|for|by|&))\s+$"
)


def _widened(text: str, o: Org) -> Org:
    """The whole name when it starts on a word the model left out."""
    left = _LEFT_OUT.search(text[: o.start])
    if left is None:
        return o
    surface = text[left.start() : o.end]
    return Org(left.start(), o.end, surface, surface, o.source)


def _sharing(sent: Sent, e: Entry, used: set[int]) -> list[Org]:
    """The other names an entry's amount belongs to."""
    text = sent.text
    out: list[Org] = []
    if e.org.end <= e.spot.qstart and re.match(
        r"[^)]*(?:chacune?|each|both|deux)\s*\)", text[e.spot.end :], re.I
    ):
        first = e.org
        for o in reversed([o for o in sent.orgs if o.end <= first.start and o.start not in used]):
            if not _JOINED.match(text[o.end : first.start]) or not _a_company(o):
                break
            out.append(o)
            first = o
    elif e.org.start >= e.spot.end:
        last = e.org
        for o in [o for o in sent.orgs if o.start >= last.end and o.start not in used]:
            if not _AND_OF.match(text[last.end : o.start]) or not _a_company(o):
                break
            out.append(o)
            last = o
    return out


def framed(a: Assembler) -> bool:
    """The title or lead frames the page as statistics over many deals."""
    title = " ".join(s.text for s in a.sents if s.title)
    body = [s for s in a.sents if not s.title and s.text[:60] not in title]  # not the title again
    lead = [s for s in a.sents if s.title] + body[:LEAD]
    return any(statistics().search(s.text) for s in lead)


def roundup(a: Assembler) -> list[Entry]:
    """The listed deals of a page, when the page is a round-up; else none."""
    found_ = [e for s in a.sents for e in entries(s, a.lang)]
    if len({e.org.name for e in found_}) < 2 or not framed(a):
        return []
    return found_


def page_currency(a: Assembler) -> str | None:
    """The currency most amounts of the page are stated in: a list often drops it ("(90 M)")."""
    told = Counter(m.currency for s in a.sents for m in s.money if m.currency)
    return told.most_common(1)[0][0] if told else None


def read_roundup(a: Assembler) -> set[str]:
    """When the page is a round-up: one draft per listed deal, the drafts that restate a listed
    deal (their facts go to it) or state the page's statistics dropped. Returns the companies
    listed (none when the page is no round-up)."""
    uncredit(a)
    a.drafts[:] = [d for d in a.drafts if not _valued(a, d)]
    listed = roundup(a)
    if not listed:
        several = len({d.actor for d in a.drafts if d.amount}) >= 2 or listing(a)
        if framed(a) and several:  # a list told in sentences (maybe all read as one name)
            told(a)
        return set()
    currency = page_currency(a)
    mine: dict[str, Draft] = {}
    for e in listed:
        if e.org.name in mine:  # the same company listed twice (a ranking, then a recap)
            mine[e.org.name].spots.append((e.sent.index, e.spot.end))
        else:
            mine[e.org.name] = _draft(e, currency)
    spots = {(e.sent.index, e.spot.end) for e in listed}
    kept = []
    for d in a.drafts:
        entry = mine.get(d.actor)
        if any(sp in spots for sp in d.spots):
            continue  # the entry reads it better
        if entry and d.amount and entry.amount and _same(entry.amount, d.amount):
            _merge(entry, d)  # "Sunday raised a €100m Series A", then "Sunday (€100M)"
            continue
        twin = _restated(mine, d)
        if twin is not None:  # "une semaine avant B, la fintech a levé 40 M€": A's 40 M€
            _merge(twin, d)
            continue
        if _statistic(a, d, named=True):
            continue  # "410 M€ levés en mars pour 52 opérations": the page's statistic
        at = _spot(a, d)
        if at and found_roles(*at) & _NOT_ITEM:
            continue  # "ce tour porte à 136 M€ les sommes levées": no deal of its own
        kept.append(d)
    a.drafts[:] = kept + list(mine.values())
    return set(mine)


def _valued(a: Assembler, d: Draft) -> bool:
    """The draft's figure is a valuation or a fund's size: their words between the last word of
    a deal and the figure ("valorisées respectivement 4 et 1,8 Md€", "Horizon, un fonds de
    2 Md$"; not "la licorne lève 50 M€")."""
    at = _spot(a, d)
    if at is None:
        return False
    sent, m = at
    since = max((t[1] for t in sent.triggers if t[1] <= m.qstart), default=0)
    text = _RAISING.sub("", _NUMBERS.sub("", sent.text[since : m.qstart]))
    return bool({"valuation", "fund_size"} & found(text[-40:]))


def _restated(mine: dict[str, Draft], d: Draft) -> Draft | None:
    """The one listed deal a draft of another listed company restates: the same amount (a
    sentence that names a neighbour beside the listed deal it tells again)."""
    if d.amount is None or d.actor not in mine:
        return None
    same = [e for e in mine.values() if e.amount and _same(e.amount, d.amount)]
    return same[0] if len(same) == 1 and same[0].actor != d.actor else None


def _statistic(a: Assembler, d: Draft, named: bool) -> bool:
    """Every sentence stating the draft's amount frames it as statistics (or links to another
    page); unless `named`, only when its actor is not named there (it came from elsewhere)."""
    told = [a.sents[i] for i, _ in d.spots]
    if not told or not all(statistics().search(s.text) or links().search(s.text) for s in told):
        return False
    return named or not any(o.name == d.actor for s in told for o in s.orgs)


def apart(a: Assembler, listed: set[str]) -> None:
    """A company listed in a round-up is another deal, not an investor of its neighbour."""
    for d in a.drafts:
        d.investors = [n for n in d.investors if n not in listed]
        if d.lead in listed:
            d.lead = d.investors[0] if d.investors else None


def _same_figure(x: Spot | None, y: Spot | None) -> bool:
    return x is not None and y is not None and _same(x, y)


def _same(x: Spot, y: Spot) -> bool:
    return abs(x.value - y.value) <= 0.01 * max(x.value, y.value)


def _merge(entry: Draft, d: Draft) -> None:
    """The facts a restatement of a listed deal adds to it."""
    entry.round = entry.round or d.round
    entry.investors = entry.investors or d.investors
    entry.lead = entry.lead or d.lead
    entry.jobs = entry.jobs or d.jobs
    entry.places += [p for p in d.places if p not in entry.places]
    entry.spots += d.spots
    entry.sentences += [i for i in d.sentences if i not in entry.sentences]


def _draft(e: Entry, currency: str | None) -> Draft:
    """The mention of one listed deal, with the round and the place its entry states."""
    spot = e.spot
    if spot.currency is None and currency is not None:
        spot.currency = currency
    d = Draft("funding_round", e.org.name, beneficiary=e.org.name, amount=spot)
    d.spots.append((e.sent.index, spot.end))
    d.sentences.append(e.sent.index)
    d.evidence["amount"] = e.sent.text
    span = e.sent.text[e.start : e.end]
    d.round = details.round_type(span, len(span))
    d.places = [p.name for p in e.sent.places if e.start <= p.start and p.end <= e.end + 1]
    return d


# -- list items told in sentences ------------------------------------------------------------
# A page may report several deals without a list's punctuation: "A a levé 40 M€ et B, une
# fintech, a bouclé un tour de 25 M€", "C est la dernière licorne, après une levée de 100 M€".
# Each figure then belongs to its own item (the stretch of its sentence between the figures
# before and after it) and the company of that item, not to the company the page opened on.

# a line that credits a picture or a text: its names are no actor ("© Agence", "Crédit photo :")
_CREDIT = re.compile(r"^\W*(?:©|\(c\)|cr[ée]dits?\b|photo\b|illustration\b)", re.I)
# the roles of the words before a figure that make it no deal of its own item
_NOT_ITEM = frozenset({"valuation", "fund_size", "total", "market"})
BACK = 2  # sentences looked back for the company of an item that only says "la start-up"


def _spot(a: Assembler, d: Draft) -> tuple[Sent, Spot] | None:
    """The sentence and the figure of a draft's first amount."""
    if not d.spots:
        return None
    index, end = d.spots[0]
    sent = a.sents[index]
    spot = next((m for m in sent.money if m.end == end), None)
    return (sent, spot) if spot else None


def credit(sent: Sent) -> bool:
    """A line crediting a picture or a text ("© Agence X")."""
    return bool(_CREDIT.match(sent.text))


def uncredit(a: Assembler) -> None:
    """The names a credit line credits ("© Agence X", "(Photo by A / B)") are no actors: they
    are no candidates (a caption may follow them on the line: its names stay)."""
    for s in a.sents:
        mark = _CREDIT.match(s.text)
        if mark is None:
            continue
        pos, credited = mark.end(), []
        for o in s.orgs:
            if not _BETWEEN_CREDITS.fullmatch(s.text[pos : o.start]):
                break
            credited.append(o)
            pos = o.end
        s.orgs = [o for o in s.orgs if o not in credited]


# what may stand between a credit's mark and its names, or between them: "Photo by A / B ("
_BETWEEN_CREDITS = re.compile(r"[\s/(),;:.&-]*(?:by|de|par)?[\s/(),;:.&-]*", re.I)


def _eligible(sent: Sent, o: Org) -> bool:
    return _a_company(o) and not credit(sent)


@dataclass(frozen=True)
class Item:
    """A figure's own list item: its names (the one opening it first, the nearest to the
    figure last), and whether a word of raising money (a round, "lever") is in it."""

    names: list[str]
    raising: bool
    ahead: bool = True  # the names come before the figure (after it: "auprès de X", investors)
    bounded: bool = False  # the item opens right after another deal's figure
    aside: bool = False  # the figure stands inside brackets: an aside, not a listed round


_RAISE = ("fund", "receive")  # trigger kinds of a company raising money (fund, fund_noun…)


def item_of(a: Assembler, d: Draft) -> Item | None:
    """A draft's own item: the stretch of its sentence between the deals' figures before and
    after its own, with the names in it before the figure, else after it, else those of the
    sentences just before (an item that only says "la jeune pousse")."""
    at = _spot(a, d)
    if at is None:
        return None
    sent, m = at
    figures = [x for x in sent.money if not found_roles(sent, x) & _NOT_ITEM]  # deals' only
    lo = max((x.end for x in figures if x.end <= m.qstart), default=0)
    hi = min((x.qstart for x in figures if x.qstart >= m.end), default=len(sent.text))
    raising = any(t[2].startswith(_RAISE) and lo <= t[0] and t[1] <= hi for t in sent.triggers)
    aside = _open_bracket(sent.text[: m.qstart])
    before = [
        o.name for o in sent.orgs if lo <= o.start and o.end <= m.qstart and _eligible(sent, o)
    ]
    if before:
        return Item(before, raising, bounded=lo > 0, aside=aside)
    after = [o.name for o in sent.orgs if m.end <= o.start and o.end <= hi and _eligible(sent, o)]
    if after:
        return Item(after[::-1], raising, ahead=False, aside=aside)  # nearest last
    for s in reversed(a.sents[max(0, sent.index - BACK) : sent.index]):
        if s.title or credit(s):
            continue
        if s.money:
            break  # another item
        names = [o.name for o in s.orgs if _eligible(s, o)]
        if names:
            return Item(names, raising, aside=aside)
    return None


def _open_bracket(text: str) -> bool:
    """The text ends inside a bracket: an aside ("[… dépassé depuis par B et ses 90 M€")."""
    return text.count("[") > text.count("]") or text.count("(") > text.count(")")


def own_items(a: Assembler) -> dict[int, Item]:
    """The drafts (by position) whose figure is a deal of its own item, with their items."""
    out = {}
    for n, d in enumerate(a.drafts):
        at = _spot(a, d)
        if d.amount is None or d.earlier or at is None or found_roles(*at) & _NOT_ITEM:
            continue
        item = item_of(a, d)
        if item is not None:
            out[n] = item
    return out


def found_roles(sent: Sent, m: Spot) -> frozenset[str]:
    """The roles the words just before a figure give it (a valuation, a fund's size…); "une
    levée de fonds de 100 M€" is a round, not a fund's size."""
    text = _NUMBERS.sub("", sent.text[: m.qstart])  # "valorisées 4,4 et 1,75 Md€": a list
    return found(_RAISING.sub("", text[-30:]))


_NUMBERS = re.compile(r"(?:\d+(?:[,.]\d+)?\s*(?:,|et|and|&)\s*)+$", re.I)


_RAISING = re.compile(r"lev[ée]es?\s+de\s+fonds\s+(?:de\s+|d['’]\s*)?(?:\w+\s+){0,3}$", re.I)


def listing(a: Assembler) -> bool:
    """The page reports several deals: two items or more, each with its own company."""
    return len({item.names[0] for item in own_items(a).values()}) >= 2


def own_round(a: Assembler) -> list[Draft]:
    """On a page telling two rounds or more of distinct companies (items with a word of raising
    money), the drafts whose company the rules found opening their own item (its only name, or
    the first after another deal's figure: "…40 M€, et B, une fintech, a levé 25 M€"): that
    company raises it, whatever name the page opened on."""
    items = {n: x for n, x in own_items(a).items() if x.raising}
    figure = {n: a.drafts[n].amount for n in items}
    items = {  # one figure told twice with two names (the round, then its lead) is no list
        n: x
        for n, x in items.items()
        if not any(
            k != n and y.names[0] != x.names[0] and _same_figure(figure[k], figure[n])
            for k, y in items.items()
        )
    }
    if len({x.names[0] for x in items.values()}) < 2:
        return []
    return [
        a.drafts[n]
        for n, x in items.items()
        if x.ahead
        and not x.aside
        and a.drafts[n].actor == x.names[0]
        and (x.bounded or len(set(x.names)) == 1)
    ]


def told(a: Assembler) -> None:
    """A round-up told in sentences: its statistics and the figures that are no deal of their
    item (a valuation, a fund's size) make no deal, and each deal goes to the company of its own
    item ("La start-up a levé 25 M€" after the sentence naming it), not to a name of another
    item or of a credit line (the scorer may still choose another name of the page)."""
    kept = []
    for d in a.drafts:
        if _statistic(a, d, named=False):
            continue
        at = _spot(a, d)
        if at and d.amount and found_roles(*at) & _NOT_ITEM:
            continue
        kept.append(d)
    a.drafts[:] = kept
    items = own_items(a)
    for n, d in enumerate(a.drafts):
        item = items.get(n)
        if item and d.actor not in item.names:
            _give(d, item.names[0])


def _give(d: Draft, name: str) -> None:
    """The draft's deal is the company's own: it raises (or invests) it."""
    d.actor = name
    if d.kind == "funding_round" or d.investor is None:
        d.kind, d.investor, d.beneficiary = "funding_round", None, name
    else:
        d.investor = name
    d.investors = [n for n in d.investors if n != name]
    d.lead = d.lead if d.lead != name else None
