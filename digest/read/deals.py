"""From the sentences of one item to its mentions: who invests, who receives, how much, where.

One mention per (investor, deal): restatements of an amount fold into one, a part of the whole
("dont 2 milliards pour…") stays a part, another country or another round is another deal.
Facts that a sentence gives without naming the company (jobs, places, timeframe) go to the
company the text is speaking of (the focus).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from digest.language.amounts import Spot
from digest.language.lexicon import lexicon
from digest.language.names import Aliases, Org
from digest.read import constructions, details
from digest.read.clauses import Sent, after_marker, listed, org_after, subject, tidy_names
from digest.read.cues import around
from digest.read.topics import past_dates, recalled

LEAD = 2  # sentences after the title that make the lead
# the words before the name of who gives the money or who tells the news, not who the item is about
_GIVER = re.compile(
    r"(?:\bpar|\bde\s+la\s+part\s+d(?:e|u)|\bauprès\s+d(?:e|u|es|['’])|\bchez|\bselon|"
    r"\bd['’]après|\bavec|\bby|\bfrom|\bwith|\baccording\s+to)\s*$",
    re.I,
)


@dataclass
class Draft:
    """A mention being assembled."""

    kind: str
    actor: str  # the investor, or the company raising
    investor: str | None = None
    beneficiary: str | None = None
    amount: Spot | None = None
    parts: list[tuple[Spot, str]] = field(default_factory=list)
    investors: list[str] = field(default_factory=list)
    lead: str | None = None
    jobs: Spot | None = None
    country: str | None = None
    places: list[str] = field(default_factory=list)
    timeframe: str | None = None
    round: str | None = None
    figures: list[tuple[str, Spot, str | None]] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)
    earlier: bool = False
    spots: list[tuple[int, int]] = field(default_factory=list)  # (sentence, end) of its amounts
    headline: bool = False  # told by a construction of the title or lead, maybe with no amount


def _same_amount(a: Spot, b: Spot) -> bool:
    """Two statements of one amount: equal values (1 %), or one restates the other's twin."""
    for x in [a, *a.equivalents]:
        for y in [b, *b.equivalents]:
            if abs(x.value - y.value) <= 0.01 * max(x.value, y.value):
                return True
    return False


class Assembler:
    """Walks the sentences of one item in order and builds its drafts."""

    def __init__(
        self,
        sents: list[Sent],
        aliases: Aliases,
        published_year: int | None,
        lang: str = "fr",
        is_common: Callable[[str], bool] = lambda word: False,
    ) -> None:
        self.sents = sents
        self.is_common = is_common
        self.lang = lang
        self.aliases = aliases
        self.year = published_year
        self.drafts: list[Draft] = []
        self.pending: tuple[Sent, Spot] | None = None  # an amount waiting for its verb
        self.focus: list[str | None] = []  # per sentence: the organisation spoken of
        tidy_names(sents, is_common)
        self.named = {o.name for s in sents for o in s.orgs}  # descriptors are specific enough
        self.counts = Counter(o.name for s in sents for o in s.orgs)
        self._topic: str | None = None  # "" once looked for and none found

    def is_common_name(self, o: Org) -> bool:
        """A common word taken for a name; a name of the alias table is a known company, though
        the model has a vector for its lower case ("amazon")."""
        return o.source != "alias" and self.is_common(o.surface)

    def resolve(self, sent: Sent, lo: int, hi: int) -> str | None:
        """The organisation of a clause: named, described ("la firme de Redmond"), or the focus."""
        o = subject(sent, lo, hi)
        if o is not None and o.source != "descriptor":
            return o.name
        if o is not None and o.name in self.named:
            return o.name
        return self.focus[sent.index]

    @staticmethod
    def _own_deal(s: Sent) -> bool:
        """The sentence states an amount with its own verb: its subject is the focus."""
        return bool(s.money) and any(t[2] in ("invest", "fund", "receive") for t in s.triggers)

    @staticmethod
    def _acts_first(s: Sent) -> bool:
        """The sentence opens on a company doing the deal: "Carbonéo boucle un tour…"."""
        lex = lexicon()
        first = subject(s, 0, len(s.text))
        deal = [t for t in s.triggers if t[2] in ("invest", "fund", "receive")]
        if not (first and deal and first.end <= deal[0][0] and first.start < 40):
            return False
        between = s.text[first.end : deal[0][0]]
        cues = (lex.lead_after, lex.others_after, lex.lead_before, lex.others_before)
        return not any(p.search(between) for p in cues)  # not "X mène le tour de Y, qui lève"

    @staticmethod
    def _names_after_anaphor(s: Sent) -> bool:
        """The sentence's opening noun describes the name right after it ("La start-up
        lyonnaise Carbon…", "Le groupe aéronautique Safran…"): a naming, not an anaphor."""
        text = s.text.lstrip(' «"')
        head = lexicon().anaphor.match(text)
        if head is None:
            return False
        cut = len(s.text) - len(text) + head.end()
        first = subject(s, 0, len(s.text))
        return bool(
            first is not None
            and first.start >= cut
            and re.fullmatch(r"(?:\s+[a-zà-ÿ’'-]+){0,3}\s*", s.text[cut : first.start])
        )

    def in_lead(self, s: Sent) -> bool:
        """The sentence is the title or one of the first sentences after it."""
        if s.title:
            return True
        first = next((x.index for x in self.sents if not x.title), 0)
        return s.index - first < LEAD

    def topic(self) -> str | None:
        """The company the item is about, for a deal whose clause names it only by a
        description ("La fintech nantaise lève 3 M€"): of the names the item gives twice at
        least, the one its title and lead give most, then the one it gives most, if no other
        ties with it. A name after a word of who gives or who tells ("auprès de X", "par X",
        "chez X", "selon X") does not count, nor a person's or a place's unless a company noun
        describes it ("la biotech X")."""
        if self._topic is not None:
            return self._topic or None
        seen: Counter[str] = Counter()
        lead: Counter[str] = Counter()
        for s in self.sents:
            for o in s.orgs:
                if _GIVER.search(s.text[max(0, o.start - 25) : o.start]):
                    continue
                if o.source in ("per", "loc") and "described" not in around(s.text, o.start, o.end):
                    continue
                seen[o.name] += 1
                lead[o.name] += self.in_lead(s)
        ranked = sorted(
            ((lead[n], c, n) for n, c in seen.items() if c >= 2), key=lambda x: x[:2], reverse=True
        )
        unique = ranked and (len(ranked) == 1 or ranked[0][:2] != ranked[1][:2])
        self._topic = ranked[0][2] if unique else ""
        return self._topic or None

    def unnamed(self, s: Sent) -> str | None:
        """The company of a deal whose clause names none and whose text has no focus yet, when
        the sentence opens on a description of it ("La société toulousaine vient de boucler…",
        "La fintech nantaise accueille à son capital…"): the item's topic."""
        if lexicon().anaphor.match(s.text.lstrip(' «"')):
            return self.topic()
        return None

    def track_focus(self) -> None:
        """For each sentence, the organisation the text speaks of at that point."""
        lex = lexicon()
        focus: str | None = None
        for s in self.sents:
            if lex.aggregate.search(s.text):
                focus = None
            elif lex.anaphor.match(s.text.lstrip(' «"')) and not self._names_after_anaphor(s):
                pass  # "The company, which…", "Le groupe…": still the same company
            elif any(
                p.search(s.text)
                for p in (lex.lead_after, lex.others_after, lex.lead_before, lex.others_before)
            ) and not (self._acts_first(s) or self._own_deal(s)):
                pass  # a sentence naming a round's investors does not change the subject
            else:
                first = subject(s, 0, len(s.text))
                named = {
                    o.name
                    for o in s.orgs
                    if self.counts[o.name] > 1  # not "fournis par Nvidia", named once
                    and re.search(r"\b(?:par|de|d['’]|du|by|of|pour|for)\s*$", s.text[: o.start])
                }
                if first is None and len(named) == 1 and named <= self.named:
                    focus = named.pop()  # "le village choisi par Microsoft": Microsoft
                elif first is not None and (
                    first.source != "descriptor" or first.name in self.named
                ):
                    known = first.source in ("alias", "descriptor") or s.triggers or s.money
                    verb = [t[0] for t in s.triggers if t[0] >= first.end]
                    if listed(s, first.start, min(verb, default=len(s.text))):
                        focus = None
                    elif known or self.counts[first.name] > 1:
                        focus = first.name
            self.focus.append(focus)

    def read_money(self, sent: Sent) -> None:
        lex = lexicon()
        if lex.aggregate.search(sent.text):
            return
        trig = [t for t in sent.triggers if t[2] != "jobs"]
        if self.pending and not sent.money and trig and sent.index - self.pending[0].index <= 2:
            first, m = (
                self.pending
            )  # "Trois millions d'euros pour… Verdalis vient de finaliser sa levée"
            if self.focus[first.index] and self.focus[first.index] == self.focus[sent.index]:
                kind = "fund_noun" if trig[0][2].startswith("fund") else "invest_noun"
                self._deal(first, m, (m.qstart, m.qstart, kind), 0, "", first.text[m.end :])
                self.pending = None
        prev_end = 0
        for m in sent.money:
            before = sent.text[max(prev_end, m.qstart - 45) : m.qstart]
            after = sent.text[m.end : m.end + 50]
            if lex.not_before.search(before) or lex.not_after.match(after):
                prev_end = m.end
                continue
            gov = [t for t in trig if t[1] <= m.qstart]
            t = gov[-1] if gov else next((t for t in trig if t[0] >= m.end), None)
            if t is None and (t := self._site_cost(sent, m)):
                sent.triggers = sorted([*sent.triggers, t])  # the verb now acts for its subject
                trig = [x for x in sent.triggers if x[2] != "jobs"]
            listed_deal = t is None and self._roundup_line(sent, m)
            if t is None and not (sent.title or listed_deal or lex.part_before.search(before)):
                if not sent.orgs:
                    self.pending = (sent, m)
                prev_end = m.end
                continue
            if t is None and self._is_round(sent):
                t = (m.qstart, m.qstart, "fund_noun")  # "Nuvelia (Lyon) : 12 M€ en série A"
            self._deal(sent, m, t, prev_end, before, after)
            prev_end = m.end

    def read_lead(self) -> None:
        """A deal the title or lead tells by a construction ("X entre au capital de Y", "X
        choisit la Bretagne pour implanter son usine") when the item states no amount for any
        deal: a draft with its company and, later, its places, but no amount. A sentence that
        recalls (a recall word, an earlier year) tells no news."""
        if any(d.amount is not None and not d.earlier for d in self.drafts):
            return
        for s in self.sents:
            if not self.in_lead(s) or recalled().search(s.text) or past_dates(s.text, self.year):
                continue
            for f in constructions.find(s.text):
                giver = subject(s, 0, f.start)
                if f.construction.actor == "object":
                    taker = org_after(s, f.end)
                    actor = taker.name if taker is not None else None
                else:
                    actor = self.resolve(s, 0, f.start) or self.unnamed(s)
                    giver = None
                if actor is None or (giver is not None and giver.name == actor):
                    continue
                kind = "funding_round" if f.construction.kind == "fund" else "investment"
                d = next((d for d in self.drafts if d.actor == actor and not d.earlier), None)
                if d is None:
                    d = Draft(kind, actor, investor=actor if kind == "investment" else None)
                    d.beneficiary = actor if kind == "funding_round" else None
                    self.drafts.append(d)
                given = (
                    giver.name if giver is not None and giver.source not in ("per", "loc") else None
                )
                if giver is None and f.construction.actor == "object":
                    given = self._described_giver(s, actor)
                if given is not None:
                    d.investors = [given, *d.investors]
                d.headline = True
                self._note(d, s)
                return

    def _described_giver(self, s: Sent, actor: str) -> str | None:
        """The giver a construction's sentence names only by a description ("Le géant chinois
        entre au capital de Y" after "X étend son empire"): the company spoken of, not Y."""
        if not lexicon().anaphor.match(s.text.lstrip(' «"')) or self._names_after_anaphor(s):
            return None
        focus = self.focus[s.index]
        return focus if focus and focus != actor else None

    @staticmethod
    def _site_cost(sent: Sent, m: Spot) -> tuple[int, int, str] | None:
        """A site built at a stated cost is the builder's investment: "installera une usine de
        250 M€", "to build a $2bn plant"."""
        lex = lexicon()
        verbs = [v for v in lex.build.finditer(sent.text) if not sent.text[v.start()].isupper()]
        if not verbs:
            return None
        text = sent.text
        site = lex.site_nouns.pattern
        of_site = re.search(
            site + r"(?:\s+[\w’'-]+){0,3}\s+(?:de|d['’]|of|worth)\s*$", text[: m.qstart], re.I
        )
        before = [v for v in verbs if v.end() <= m.qstart]
        if before and (of_site or re.match(r"\s*(?:[\w-]+\s+){0,2}" + site, text[m.end :], re.I)):
            return (before[-1].start(), before[-1].end(), "invest")
        return None

    def _roundup_line(self, sent: Sent, m: Spot) -> bool:
        """A line of a round-up: a company first, then its amount with no verb of investing
        ("Microsoft arrive en tête avec 4 Md€", "Nuvelia (Lyon) : 12 M€ en série A")."""
        first = next((o for o in sent.orgs if o.start < m.qstart), None)
        if first is None or first.start > 3 or first.source in ("descriptor", "per"):
            return False
        return any(s.triggers for s in self.sents) and not listed(sent, 0, m.qstart)

    @staticmethod
    def _is_round(sent: Sent) -> bool:
        lex = lexicon()
        return bool(
            details.round_type(sent.text, 0)
            or lex.lead_after.search(sent.text)
            or lex.others_after.search(sent.text)
            or lex.funding_verbs.search(sent.text)
        )

    def _deal(
        self, sent: Sent, m: Spot, t: tuple[int, int, str] | None, lo: int, before: str, after: str
    ) -> None:
        lex = lexicon()
        kind = "funding_round" if t and t[2].startswith("fund") else "investment"
        if t and t[2] == "receive" and details.round_type(sent.text, m.end) is not None:
            kind = "funding_round"
        head = t[0] if t and t[0] < m.qstart else m.qstart
        clause_lo = max([x[1] for x in sent.triggers if x[1] <= head and x[0] >= lo] + [lo])
        clause_lo = lo if clause_lo == head else clause_lo
        receive = [x for x in sent.triggers if x[2] == "receive" and x[1] <= m.qstart]
        rel = re.search(r",\s*qui\s+(?:\S+\s+){0,2}$", sent.text[lo:head])
        if rel:  # "le tour de Maillon, qui lève 1,2 M€": Maillon raises
            o = next((o for o in sent.orgs if 0 <= lo + rel.start() - o.end <= 1), None)
            lo = o.start if o else lo
        investor = beneficiary = None
        if kind == "funding_round":
            into = [org_after(sent, x[1]) for x in sent.triggers if x[1] <= m.qstart]
            target = org_after(sent, m.end, raising=True) or next((o for o in into if o), None)
            if target is not None:  # "Kestrel leads a $35M Series B in Datavigie"
                beneficiary = target.name
            else:
                beneficiary = (
                    self.resolve(sent, lo, head) or self.focus[sent.index] or self.unnamed(sent)
                )
            actor = beneficiary
        elif receive:
            giver = after_marker(sent, receive[-1][1]) or after_marker(sent, m.end)
            investor = giver.name if giver else None
            taker = subject(sent, lo, receive[-1][0])
            beneficiary = taker.name if taker else None
            if investor is None:
                investor = self.focus[sent.index]
            actor = investor
        else:
            if listed(sent, clause_lo, head) or listed(sent, lo, m.qstart):
                return  # a sum over several investors is no one's deal
            o = subject(sent, clause_lo, head) or subject(sent, lo, head)
            investor = o.name if o is not None and o.source != "descriptor" else None
            if investor is None and o is not None and o.name in self.named:
                investor = o.name
            if investor is None:
                giver = after_marker(sent, (t[1] if t else m.end), 50) or after_marker(
                    sent, m.end, 40
                )
                investor = giver.name if giver else self.focus[sent.index] or self.unnamed(sent)
            target = org_after(sent, m.end)
            beneficiary = target.name if target else None
            actor = investor
        if actor is None:
            return
        is_part = bool(lex.part_before.search(before) or lex.part_after.match(after))
        country = self._money_country(sent, m)
        self._add_money(
            m,
            sent,
            kind=kind,
            actor=actor,
            investor=investor,
            beneficiary=beneficiary,
            is_part=is_part,
            country=country,
        )

    def _money_country(self, sent: Sent, m: Spot) -> str | None:
        """The country named right after an amount: "3,2 milliards d'euros en Allemagne"."""
        nxt = min((x.qstart for x in sent.money if x.qstart > m.end), default=len(sent.text))
        for p in sent.places:
            if p.kind == "country" and 0 <= p.start - m.end < 35 and p.start < nxt:
                gap = sent.text[m.end : p.start]
                cue = r"(?:^|\s)(?:en|au|aux|à|dans|in|pour|sur|de)\s*(?:la\s+|l['’]\s*)?$"
                city = r"(?:à|in|at)\s+[A-ZÀ-Ý][\w-]+(?:-[\w-]+)*,\s*(?:en|in)\s*$"
                if (re.search(cue, gap, re.I) and not re.search(r"[,;]", gap)) or re.search(
                    city, gap
                ):
                    return p.name
        return None

    def _add_money(
        self,
        m: Spot,
        sent: Sent,
        *,
        kind: str,
        actor: str,
        investor: str | None,
        beneficiary: str | None,
        is_part: bool,
        country: str | None,
    ) -> None:
        told = [
            d
            for d in self.drafts
            if d.actor == actor and not d.earlier and d.amount and _same_amount(d.amount, m)
        ]
        if told and (not country or told[0].country in (None, country)):
            d = told[0]  # told again, maybe now as a round: "Maillon : 1 200 k€" then "… lève"
            if kind == "funding_round" and d.kind != kind:
                d.kind, d.investor, d.beneficiary = kind, None, actor
            self._retold(d, m, sent)
            return
        same = [
            d
            for d in self.drafts
            if d.kind == kind
            and d.actor == actor
            and not d.earlier
            and (kind == "funding_round" or d.beneficiary == beneficiary)
        ]
        if country:
            same = [d for d in same if d.country in (None, country)]
        target = same[0] if same else None
        if target is not None and target.amount is not None:
            if _same_amount(target.amount, m):
                self._retold(target, m, sent)
                return
            if kind == "investment" and (is_part or m.value < target.amount.value) and not country:
                purpose = sent.text[m.end : m.end + 80].split(".")[0].strip(" ,")
                target.parts.append((m, purpose))
                target.spots.append((sent.index, m.end))
                return
            target = None
        if target is None:
            target = Draft(kind, actor, investor=investor, beneficiary=beneficiary)
            target.country = country
            self.drafts.append(target)
        target.amount = m
        target.spots.append((sent.index, m.end))
        target.evidence["amount"] = sent.text
        self._note(target, sent)

    @staticmethod
    def _note(d: Draft, sent: Sent) -> None:
        if sent.index not in d.sentences:
            d.sentences.append(sent.index)

    def _retold(self, d: Draft, m: Spot, sent: Sent) -> None:
        """The deal's amount stated again: keep the fuller statement, note where it stands."""
        assert d.amount is not None  # only a deal with an amount is told again
        if m.equivalents and not d.amount.equivalents:
            d.amount = m  # the double statement says more than the single one
        elif d.amount.currency is None:
            d.amount.currency = m.currency
        d.spots.append((sent.index, m.end))
        self._note(d, sent)

    def stated_before(self, sent: Sent, pos: int) -> Draft | None:
        """The deal whose amount the sentence states last before an offset."""
        stated = [
            (end, d) for d in self.drafts for i, end in d.spots if i == sent.index and end <= pos
        ]
        return max(stated, key=lambda x: x[0])[1] if stated else None

    # -- jobs and figures ------------------------------------------------------------------
    def read_counts(self, sent: Sent) -> None:
        if lexicon().aggregate.search(sent.text):
            return
        for c in sent.counts:
            if c.kind == "headcount":
                continue
            stated = self.stated_before(sent, c.spot.qstart)
            actor = stated.actor if stated else self.resolve(sent, 0, c.spot.qstart)
            if actor is None:
                continue
            drafts = [d for d in self.drafts if d.actor == actor]
            if stated is not None:
                drafts = [stated] + [d for d in drafts if d is not stated]
            if c.kind != "jobs":
                if drafts:
                    tf = self._timeframe_near(sent, c.spot.end)
                    drafts[0].figures.append((c.kind, c.spot, tf))
                continue
            if c.earlier:
                d = Draft("investment", actor, investor=actor, earlier=True)
                self.drafts.append(d)
            else:
                here = [d for d in drafts if sent.index in d.sentences and d.jobs is None]
                free = here or [d for d in drafts if d.jobs is None and not d.earlier]
                if not free and not drafts and any(t[2] == "jobs" for t in sent.triggers):
                    d = Draft("investment", actor, investor=actor)
                    self.drafts.append(d)
                    free = [d]
                same = [d for d in drafts if d.jobs and d.jobs.value == c.spot.value]
                if not free and same and same[0].jobs and same[0].jobs.qualifier == "exact":
                    same[0].jobs = c.spot  # "400 emplois", then "jusqu'à 400 emplois"
                if not free:
                    continue
                d = free[0]
            d.jobs = c.spot
            d.evidence["jobs"] = sent.text
            self._note(d, sent)
            if c.earlier:
                tf = self._timeframe_near(sent, c.spot.end, loose=True)
                d.timeframe = tf

    def _timeframe_near(self, sent: Sent, pos: int, loose: bool = False) -> str | None:
        from digest.read.details import timeframes

        for m in timeframes(sent.text, None if loose else self.year):
            if 0 <= m.start() - pos < 40:
                return m.group(0)
        if loose:
            y = re.search(r"\b(?:en|pour|fin)\s+20\d\d\b", sent.text[pos : pos + 60])
            return ("en " + y.group(0).split()[-1]) if y else None
        return None
