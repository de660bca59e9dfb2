"""The evidence grouping weighs: what a mention says (its `Evidence`), what a story has gathered
(its `Profile`), and how well one fits the other (`fit`): normalised investor and beneficiary,
amount and jobs compatibility, country, places, event, round, time and TF-IDF similarity.
A name is compared by its folded key, spaces aside, one slip of a long name forgiven (`aka`);
a misread actor is forgiven when the page's title names the story's company and its figure is
the story's (`misread`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache

from digest.group.similarity import Vocabulary, cosine, prune, term_counts
from digest.language.amounts import find_money
from digest.language.fold import fold, name_key
from digest.models import Amount, Item, Mention, Quantity

# Rough rates used only to tell whether two statements can be the same amount; no amount is
# ever converted for the reader. 4 Md€ and 4,3 Md$ are compatible, 4 Md€ and 1,2 Md€ are not.
_TO_EUR = {"EUR": 1.0, "USD": 0.92, "GBP": 1.17, "CHF": 1.04, "CAD": 0.68, "JPY": 0.0062}
ROUNDING = 1.2  # 1,2 Md€ stated as "plus d'un milliard" or "1,25 milliard" is the same amount
LOOSE = 2.5  # "plus de X" / "jusqu'à X" reach this far
LONG_NAME = 8  # letters from which a name's one slip is still the same name
THIN = 0.1  # asked more of a mention that states no fact but a name
PAGE_CHARS = 3000  # how much of a page its whole-text evidence reads
LEAD_CHARS = 1000  # how much of a page's opening may name its company (see `Weights.lead`)
_NAME_WORD = re.compile(r"[^\W_]+")
EVENT = "event"  # the kind of a mention that is news of a company, no deal (models.MentionKind)


@dataclass(frozen=True)
class Weights:
    """The tunable part of `fit`: how much the whole page counts, and how alike two pages must
    be for the page to outweigh one read fact that disagrees (a misread actor or amount).
    Fitted by 5-fold cross-validation by announcement (`digest.evaluate.tune`)."""

    page: float = 0.9  # weight of the TF-IDF cosine of the two whole pages
    same_page: float = 0.3  # page cosine from which one disagreeing fact is a reading error
    conflict: float = 0.35  # the cost of that one disagreeing fact when the page outweighs it
    update_page: float = 0.6  # page cosine from which a later page is an update of an old deal
    lead: int = 0  # words of a page's opening, after its title, that may name a misread deal
    # (60 helps grouping but makes the writer name misread actors: see digest.evaluate.tune)
    restated: float = 1.1  # 40 M€ and 42 M€: one figure restated, not a rounding (`same_figure`)


WEIGHTS = Weights()


def _key(name: str | None) -> str | None:
    """The name key, None for no name."""
    return name_key(name) if name else None


def item_key(item: Item) -> str:
    """An item's identity for grouping: its outlet and guid (a guid is unique per feed only)."""
    return f"{item.feed_name}|{item.guid or item.url}"


def day_of(moment: datetime) -> float:
    """A publication time in days since the epoch (UTC)."""
    return moment.astimezone(UTC).timestamp() / 86400.0


def amount_values(amount: Amount | None) -> list[tuple[float, str]]:
    """(value on a rough euro scale, qualifier) of an amount and of its restatements."""
    if amount is None:
        return []
    out: list[tuple[float, str]] = []
    for a in (amount, *amount.equivalents):
        if a.value and a.value > 0:
            out.append((a.value * _TO_EUR.get(a.currency or "EUR", 1.0), a.qualifier))
    return out


def _jobs(quantity: Quantity | None) -> list[tuple[float, str]]:
    return [] if quantity is None or quantity.value <= 0 else [(quantity.value, quantity.qualifier)]


def compatible(a: tuple[float, str], b: tuple[float, str]) -> bool:
    """Can two stated values be the same figure, given rounding and 'plus de' / 'jusqu'à'?"""
    (x, qx), (y, qy) = sorted([a, b])
    if x <= 0:
        return False
    ratio = y / x
    tolerance = 1.35 if "about" in (qx, qy) else ROUNDING
    if ratio <= tolerance:
        return True
    return (qx == "at_least" or qy == "up_to") and ratio <= LOOSE


@dataclass
class Evidence:
    """What one mention brings to grouping."""

    kind: str
    investor: str | None
    investors: frozenset[str]
    beneficiary: str | None
    amounts: list[tuple[float, str]]
    parts: list[tuple[float, str]]
    jobs: list[tuple[float, str]]
    country: str | None
    places: frozenset[str]
    event: str | None
    round: str | None
    day: float
    item: str
    terms: dict[str, float]
    page: dict[str, float] = field(default_factory=dict)  # the whole page's terms
    dated: bool = True  # False: the feed gave no date, `day` is only when it was polled
    lead: tuple[str, ...] = ()  # the title's words, then the text's first ones, folded
    title_len: int = 0  # how many of `lead` are the title's
    headline: tuple[tuple[float, str], ...] = ()  # the title's sums

    def identities(self) -> set[str]:
        return {k for k in (self.investor, self.beneficiary, *self.investors) if k}

    def entities(self) -> set[str]:
        return {k for k in (*self.places, self.event) if k}


def evidence(mention: Mention, item: Item) -> Evidence:
    """The grouping view of a mention read from an item."""
    names = [mention.investor, mention.beneficiary, *mention.investors, mention.event]
    names += [*mention.places, *mention.people]
    evidence = " ".join(dict.fromkeys(mention.evidence.values()))
    text = f"{item.title} {evidence or item.text[:2000]}"
    investors = frozenset(k for k in (_key(n) for n in [mention.investor, *mention.investors]) if k)
    return Evidence(
        kind=mention.kind,
        investor=_key(mention.investor) or _key(mention.lead),
        investors=investors,
        beneficiary=_key(mention.beneficiary),
        amounts=amount_values(mention.amount),
        parts=[v for p in mention.parts for v in amount_values(p.amount)],
        jobs=_jobs(mention.jobs),
        country=_key(mention.country),
        places=frozenset(k for k in map(_key, mention.places) if k),
        event=_key(mention.topic if mention.kind == EVENT else mention.event),  # its occasion
        round=_key(mention.round),
        day=day_of(item.published),
        item=item_key(item),
        terms=dict(term_counts(text, [n for n in names if n])),
        page=page_terms(item),
        dated=dated(item),
        lead=(*words_of(item.title), *words_of(item.text[:LEAD_CHARS])),
        title_len=len(words_of(item.title)),
        headline=headline(item.title, item.lang),
    )


def dated(item: Item) -> bool:
    """Whether the feed dated the item: the poll stage falls back to when it first saw it."""
    return item.first_seen is None or item.published != item.first_seen


@lru_cache(maxsize=1024)
def words_of(text: str) -> tuple[str, ...]:
    """A text's words, folded as name keys are (the mentions of one page share them)."""
    return tuple(_NAME_WORD.findall(fold(text)))


@lru_cache(maxsize=1024)
def headline(title: str, lang: str) -> tuple[tuple[float, str], ...]:
    """The sums a title states, on the rough euro scale of `amount_values`."""
    return tuple(
        (s.value * _TO_EUR.get(s.currency or "EUR", 1.0), s.qualifier)
        for s in find_money(title, lang)
    )


def told(name: str | None, words: Sequence[str]) -> bool:
    """Whether a name key is written in these words (`words_of`), spaced or not."""
    parts = _NAME_WORD.findall(name or "")
    if not parts or not words or len("".join(parts)) < 4:
        return False
    padded = f" {' '.join(words)} "
    return f" {' '.join(parts)} " in padded or f" {''.join(parts)} " in padded


def page_terms(item: Item) -> dict[str, float]:
    """The whole page as terms: its title (counted twice) and the start of its text."""
    counts = term_counts(f"{item.title} {item.title} {item.text[:PAGE_CHARS]}")
    return prune(counts)


@dataclass
class Profile:
    """What a story has gathered from its mentions; JSON-ready (see `digest.codec`)."""

    id: str
    first: float
    last: float
    kinds: dict[str, int] = field(default_factory=dict)
    investors: dict[str, int] = field(default_factory=dict)
    beneficiaries: dict[str, int] = field(default_factory=dict)
    amounts: list[list] = field(default_factory=list)  # [value in EUR scale, qualifier]
    parts: list[list] = field(default_factory=list)
    jobs: list[list] = field(default_factory=list)
    countries: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    rounds: dict[str, int] = field(default_factory=dict)
    items: list[str] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)
    page: dict[str, float] = field(default_factory=dict)  # its pages' terms (see `page_terms`)
    mentions: int = 0
    pinned: bool = False  # an editor placed its mentions: grouping never merges it on its own
    dated: bool = True  # False while only undated pages tell it: first and last mean nothing

    def identities(self) -> set[str]:
        return set(self.investors) | set(self.beneficiaries)

    def entities(self) -> set[str]:
        return set(self.places) | set(self.events)

    def absorb(self, f: Evidence) -> None:
        """Add one mention's facts; an undated page leaves the story's dates alone."""
        if f.dated and not self.dated:
            self.first, self.last, self.dated = f.day, f.day, True
        elif f.dated:
            self.first, self.last = min(self.first, f.day), max(self.last, f.day)
        for counter, value in (
            (self.kinds, f.kind),
            (self.beneficiaries, f.beneficiary),
            (self.countries, f.country),
            (self.events, f.event),
            (self.rounds, f.round),
        ):
            if value:
                counter[value] = counter.get(value, 0) + 1
        for name in f.investors | ({f.investor} if f.investor else set()):
            self.investors[name] = self.investors.get(name, 0) + 1
        for place in f.places:
            self.places[place] = self.places.get(place, 0) + 1
        for target, values in (
            (self.amounts, f.amounts),
            (self.parts, f.parts),
            (self.jobs, f.jobs),
        ):
            for v, q in values:
                if [v, q] not in target:
                    target.append([v, q])
        if f.item not in self.items:  # a page counts once, whatever its mentions
            self.items.append(f.item)
            self.page = _merged(self.page, f.page)
        self.terms = _merged(self.terms, f.terms)
        self.mentions += 1

    def absorb_profile(self, other: Profile) -> None:
        """Take in every fact of another story (Grouper.reconcile merging two stories; an
        editor's merge rebuilds the profile from its mentions instead)."""
        if other.dated and not self.dated:
            self.first, self.last, self.dated = other.first, other.last, True
        elif other.dated:
            self.first, self.last = min(self.first, other.first), max(self.last, other.last)
        for mine, theirs in (
            (self.kinds, other.kinds),
            (self.investors, other.investors),
            (self.beneficiaries, other.beneficiaries),
            (self.countries, other.countries),
            (self.places, other.places),
            (self.events, other.events),
            (self.rounds, other.rounds),
        ):
            for k, n in theirs.items():
                mine[k] = mine.get(k, 0) + n
        for mine_l, theirs_l in ((self.amounts, other.amounts), (self.parts, other.parts)):
            mine_l.extend(v for v in theirs_l if v not in mine_l)
        self.jobs.extend(v for v in other.jobs if v not in self.jobs)
        self.items.extend(i for i in other.items if i not in self.items)
        self.terms = _merged(self.terms, other.terms)
        self.page = _merged(self.page, other.page)
        self.mentions += other.mentions


def _merged(mine: dict[str, float], theirs: dict[str, float]) -> dict[str, float]:
    merged = Counter(mine)
    merged.update(theirs)
    return prune(merged)


def compact(key: str) -> str:
    """A name key without its spaces and marks: 'back market' and 'backmarket' meet."""
    return "".join(_NAME_WORD.findall(key))


def one_typo(a: str, b: str) -> bool:
    """Two long spellings one slip apart: a letter changed, added, dropped or two swapped."""
    if min(len(a), len(b)) < LONG_NAME or abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    i = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :] or (
            a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
        )
    short, long = sorted((a, b), key=len)
    return short[i:] == long[i + 1 :]


def aka(a: str, b: str) -> bool:
    """Two name keys for one company: equal but for spaces or one slip of a long name, or one's
    words a run of the other's ('sunday' in 'foodtech sunday', 'envision' in 'envision aesc'),
    the shorter not a lone short word."""
    if a == b or one_typo(compact(a), compact(b)):
        return True
    x, y = sorted((_NAME_WORD.findall(a), _NAME_WORD.findall(b)), key=len)
    if not x or len("".join(x)) < 4:
        return False
    return any(y[i : i + len(x)] == x for i in range(len(y) - len(x) + 1))


def named(name: str | None, names: Iterable[str]) -> bool:
    """Whether a name key is one of names (or another name of the same company, `aka`)."""
    return bool(name) and any(aka(name, n) for n in names)  # type: ignore[arg-type]


def agree(mine: list[tuple[float, str]], theirs: list[list]) -> bool | None:
    """True: a value matches; False: both sides state values and none match; None: unknown."""
    if not mine or not theirs:
        return None
    return any(compatible(a, (v, q)) for a in mine for v, q in theirs)


def fit(
    f: Evidence, p: Profile, vocabulary: Vocabulary, window_days: float, w: Weights = WEIGHTS
) -> float | None:
    """How well a mention fits a story; None when it cannot belong to it at all.

    The read facts weigh first; the whole page (`page_terms`) weighs beside them, and when the
    two pages are alike (cosine ≥ w.same_page) one read fact that disagrees (actor, amount,
    round or country) costs w.conflict instead of parting them: a misread word on a page that
    is otherwise the same deal. Two disagreeing facts part them whatever the pages say (two
    rounds of one company, one company's plans in two countries)."""
    if f.item in p.items:
        return None  # one item speaks of one investment once: its mentions are different deals
    gap = max(0.0, p.first - f.day, f.day - p.last)
    if gap > window_days or (f.kind == EVENT) != (EVENT in p.kinds):
        return None  # an event never joins a deal's story, nor a deal an event's
    page = cosine(f.page, p.page, vocabulary)
    if f.kind == EVENT:
        return event_fit(f, p, page, w) - 0.01 * gap if same_party(f, p) else None
    alike = page >= w.same_page
    mine = f.investors | ({f.investor} if f.investor else set())
    # the startup, or the same company read once as raising and once as spending its money
    ben_match = (
        named(f.beneficiary, p.beneficiaries)
        or (not f.beneficiary and named(f.investor, p.beneficiaries))
        or (not p.beneficiaries and named(f.beneficiary, p.investors))
    )
    shared = {n for n in mine if named(n, p.investors)}
    inv_match = bool(shared)
    amount = agree(f.amounts, p.amounts)
    if amount is False and (agree(f.amounts, p.parts) or agree(f.parts, p.amounts)):
        amount = None  # one outlet states a part of the whole
    # two beneficiaries: two deals, unless the same round is told with the same amount and
    # two or more of the same investors (then the reader took another word for the startup)
    other_startup = bool(
        f.beneficiary
        and p.beneficiaries
        and not ben_match
        and (len(shared) < 2 or amount is not True)
    )
    other_investor = bool(mine and p.investors and not inv_match and not ben_match)
    if (other_startup or other_investor) and misread(f, p, w):
        other_startup = other_investor = False
        ben_match = True
    other_country = bool(
        f.country and p.countries and f.country not in p.countries and not ben_match
    )
    disagree = [
        other_startup or other_investor,
        amount is False,
        bool(f.round and p.rounds and f.round not in p.rounds),  # a series A, a later B
        other_country,
    ]
    conflicts = sum(disagree)
    if conflicts > 1 or ((disagree[0] or disagree[2]) and not alike):
        return None
    score = min(0.6, 0.35 * inv_match + 0.45 * ben_match)
    # the same investor's same sum, its firm read on one side only: one stake, its firm missed
    one_stake = inv_match and amount is True and not (f.beneficiary and p.beneficiaries)
    if not ben_match and not one_stake and bool(f.beneficiary) != bool(p.beneficiaries):
        score -= 0.3  # a stake in a startup is not the investor's own plan
    if f.kind not in p.kinds and not ben_match and not one_stake:
        score -= 0.2
    if conflicts:
        score -= w.conflict if alike else 0.6 if other_country else 0.7
    if amount:
        score += 0.3
    jobs = agree(f.jobs, p.jobs)
    score += {True: 0.1, False: -0.3, None: 0.0}[jobs]
    if f.country and p.countries and f.country not in p.countries and ben_match:
        score -= 0.15  # a startup's country is often told loosely
    elif f.country and p.countries and f.country in p.countries:
        score += 0.05
    if f.places and p.places:
        score += 0.15 if f.places & set(p.places) else -0.1
    if f.event and p.events:
        score += 0.15 if f.event in p.events else -0.3
    if f.round and f.round in p.rounds:
        score += 0.1
    score += 0.5 * cosine(f.terms, p.terms, vocabulary)
    # a page that names the story's company and tells no amount (its title or lead tells the
    # deal, "X entre au capital de Y"), or a story told so far without one meeting the page
    # that gives it: the likeness of the pages is the evidence the amount cannot be, unless
    # they count other jobs somewhere else (the company's other plan; outlets that count a
    # site's jobs differently still name the site)
    site = bool(f.places & set(p.places))
    unfigured = (
        (not f.amounts or not p.amounts)
        and (ben_match or inv_match)
        and alike
        and (jobs is not False or site)
    )
    thin = not (f.amounts or f.jobs or f.country or f.places or f.event or f.round)
    if thin:
        score -= THIN  # only a name and words: the same investor's other deal reads alike
    # the page backs a figure or excuses a misread one (alone, the page's likeness would join
    # any page on the same investor)
    if unfigured or (not thin and (amount or jobs or conflicts)):
        score += w.page * page
    return score - 0.01 * gap


def same_party(f: Evidence, p: Profile) -> bool:
    """A company the event's page names is one the story's pages name: the same company, or a
    buyer and the firm it buys, or partners of one project, told by one page each."""
    return any(named(n, p.investors) for n in f.identities())


def event_fit(f: Evidence, p: Profile, page: float, w: Weights = WEIGHTS) -> float:
    """How well an event of a company fits a story of that company's events (digest/read/
    events.py): the same topic (an inauguration told by several outlets, in several languages),
    or pages alike enough to be one event whose topic words differ."""
    if f.event and p.events and f.event not in p.events:
        return 0.5 + w.page * page if page >= w.same_page else 0.0
    return 0.7 + w.page * page


def unnamed(f: Evidence) -> Evidence:
    """A misread mention as its story takes it in: without the names the reader took, so a
    wrong name never makes the story fit another company's deal."""
    return replace(f, investor=None, investors=frozenset(), beneficiary=None)


def misread(f: Evidence, p: Profile, w: Weights = WEIGHTS) -> bool:
    """A mention whose actor was misread: it states the story's figure (`same_figure`), its
    page's title and first words (`Weights.lead`) name the story's company and its title no
    other sum, so the page tells this deal whoever the reader took for its actor (an
    investor, a title word)."""
    company = top(p.beneficiaries) or top(p.investors)
    return (
        same_figure(f.amounts, p.amounts, w)
        and told(company, f.lead[: f.title_len + w.lead])
        and all(agree([s], p.amounts) for s in f.headline)
    )


def headlined(f: Evidence, w: Weights = WEIGHTS) -> bool:
    """The page's title names the mention's company and states its figure: the deal is the
    page's own news, as a lone line of a round-up lists it."""
    title = f.lead[: f.title_len]
    return any(told(k, title) for k in f.identities()) and same_figure(
        f.amounts, [[v, q] for v, q in f.headline], w
    )


def top(counter: dict[str, int]) -> str | None:
    return min(counter, key=lambda k: (-counter[k], k)) if counter else None


def as_evidence(p: Profile, other: Profile) -> Evidence:
    """A story seen as one mention, dated at its point nearest to another story."""
    day = p.last if p.last < other.first else p.first if p.first > other.last else other.first
    return Evidence(
        kind=top(p.kinds) or "investment",
        investor=top(p.investors),
        investors=frozenset(p.investors),
        beneficiary=top(p.beneficiaries),
        amounts=[(v, q) for v, q in p.amounts],
        parts=[(v, q) for v, q in p.parts],
        jobs=[(v, q) for v, q in p.jobs],
        country=top(p.countries),
        places=frozenset(p.places),
        event=top(p.events),
        round=top(p.rounds),
        day=day,
        item="",
        terms=p.terms,
        page=p.page,
        dated=p.dated,
    )


def _may_meet(a: Profile, b: Profile, window_days: float) -> bool:
    """The cheap vetoes of `fit`, on two stories: time, and shared items unless both stories
    tell one actor with the same amount (one deal told twice on a page, read as two)."""
    if max(a.first - b.last, b.first - a.last) > window_days:
        return False
    if not set(a.items) & set(b.items):
        return True
    ours = a.identities()
    same = any(named(n, ours) for n in b.identities())
    apart = any(
        x and y and not set(x) & set(y)
        for x, y in ((a.countries, b.countries), (a.places, b.places))
    )  # one company's plans in two countries or on two sites
    return same and not apart and bool(agree([(v, q) for v, q in a.amounts], b.amounts))


def fit_stories(
    a: Profile, b: Profile, vocabulary: Vocabulary, window_days: float, w: Weights = WEIGHTS
) -> float | None:
    """How well two stories fit each other: the lower of the two directions; None when they
    share an item or an editor placed mentions in either."""
    if a.pinned or b.pinned or not _may_meet(a, b, window_days):
        return None
    one = fit(as_evidence(a, b), b, vocabulary, window_days, w)
    two = fit(as_evidence(b, a), a, vocabulary, window_days, w)
    return None if one is None or two is None else min(one, two)


def same_figure(mine: list[tuple[float, str]], theirs: list[list], w: Weights = WEIGHTS) -> bool:
    """Whether one stated value is the other's figure restated (within `Weights.restated`)."""
    return any(
        min(a, b) > 0 and max(a, b) / min(a, b) <= w.restated for a, _ in mine for b, _ in theirs
    )


def recalls(
    f: Evidence, p: Profile, vocabulary: Vocabulary, w: Weights = WEIGHTS, alone: bool = False
) -> bool:
    """A page about a deal beyond the window: the same deal key (identity, compatible amount,
    and the same round, site or event) with nothing against it, on a page alike the deal's
    pages. Such an update feeds that story; a page that only recalls the deal in passing (it is
    about something else) does not, and a new round or plan does not match. A page that names
    the company `alone` (no other deal of it: a round-up's line, an outlet's late report) with
    the same figure lists the same deal, however unlike the deal's own pages it reads; a page
    recalling an old deal tells that company's new one beside it, unless its title states the
    figure (the grouper then passes it as `alone`: see `headlined`)."""
    if f.item in p.items or agree(f.amounts, p.amounts) is not True:
        return False
    listed = alone and same_figure(f.amounts, p.amounts, w)
    page = cosine(f.page, p.page, vocabulary)
    if not listed and page < w.update_page:
        return False
    if f.beneficiary or p.beneficiaries:
        if not named(f.beneficiary, p.beneficiaries):
            return False
    elif not named(f.investor, p.investors):
        return False
    alike = page >= w.same_page  # the jobs or sites a page counts otherwise are its reading
    if agree(f.jobs, p.jobs) is False and not alike:
        return False
    if f.country and p.countries and f.country not in p.countries and not listed:
        return False  # a listed startup's country is often read loosely (see `fit`)
    same = []
    for mine, theirs in ((f.round, p.rounds), (f.event, p.events)):
        if mine and theirs:
            same.append(mine in theirs)
    if f.places and p.places and (f.places & set(p.places) or not alike):
        same.append(bool(f.places & set(p.places)))
    return (bool(same) or listed) and all(same)
