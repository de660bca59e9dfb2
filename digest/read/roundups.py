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
from digest.read.deals import Assembler, Draft
from digest.read.roles import found

LEAD = 2  # sentences after the title that make the lead
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
    out: list[Entry] = []
    used: set[int] = set()
    spots = sorted([*sent.money, *bare_amounts(sent, lang)], key=lambda m: m.qstart)
    for m in spots:
        if found(text[max(0, m.qstart - 30) : m.qstart]) & _NOT_A_DEAL:
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
                if shape.after.match(text[o.end :]) and _a_company(o):
                    return Entry(o, m, sent, m.qstart, o.end)
    return None


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
    listed = roundup(a)
    if not listed:
        if framed(a) and len({d.actor for d in a.drafts if d.amount}) >= 2:
            # a round-up told in sentences: its statistics still make no deal
            a.drafts[:] = [d for d in a.drafts if not _statistic(a, d, named=False)]
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
        if _statistic(a, d, named=True):
            continue  # "410 M€ levés en mars pour 52 opérations": the page's statistic
        kept.append(d)
    a.drafts[:] = kept + list(mine.values())
    return set(mine)


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
