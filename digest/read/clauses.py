"""Clauses of a sentence: the words of a deal (triggers), who a clause is about (its subject),
who gives and who receives around an amount, and the organisation names of an item cleaned."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from digest.language.amounts import Spot
from digest.language.fold import name_key
from digest.language.lexicon import company_words, fund_name, lexicon
from digest.language.names import Org
from digest.language.places import Place
from digest.read import constructions
from digest.read.cues import around
from digest.read.details import Count

_OBJECT = re.compile(
    r"(?:\bde\s+la\s+part\s+d(?:e|u)|\bpar|\bfrom|\bby|\bdu|\bde|\bd['’]|\bdans|\bà|\bau|\baux|"
    r"\bavec|\bchez|\bpour|\bsur|\bauprès\s+d(?:e|u|es|['’])|\bcontre|\bvia|\bcomme|\bin|\binto|"
    r"\bwith|\bfor|\bat|\bon)\s*$",
    re.I,
)
_INTO = re.compile(
    r"^(?:\s+(?:en\s+)?(?:s[ée]ries?\s+[A-F]|seed|amor[çc]age|round|funding))?\s*(?:dans|au\s+capital\s+"
    r"d(?:e|u|es|['’])|au\s+profit\s+d(?:e|u|es|['’])|à|au|in|into|to)\s+(?:la\s+|le\s+|l['’]\s*)?"
    r"(?:[a-zà-ÿ-]+\s+){0,4}$",
    re.I,
)


@dataclass
class Sent:
    """One sentence of an item with what the parsers found in it (offsets within the sentence)."""

    index: int
    text: str
    orgs: list[Org]
    places: list[Place]
    money: list[Spot]
    counts: list[Count]
    title: bool = False
    triggers: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, kind


_SAME_COMPANY = frozenset(company_words()["same_company_endings"])


def triggers(text: str) -> list[tuple[int, int, str]]:
    """Investment, funding, receiving and hiring words of a sentence, and the constructions
    that tell a deal with other words (digest/read/constructions.py), in order."""
    lex = lexicon()
    found = []
    for kind, pattern in (
        ("invest", lex.investment_verbs),
        ("invest_noun", lex.investment_nouns),
        ("receive", lex.receive),
        ("fund", lex.funding_verbs),
        ("fund_noun", lex.funding_nouns),
        ("jobs", lex.job_verbs),
    ):
        found += [
            (m.start(), m.end(), kind)
            for m in pattern.finditer(text)
            if kind.endswith("_noun")
            or not text[m.start()].isupper()
            or not text[: m.start()].strip(' «"(:')
        ]  # "Colibri Invest" is a name, not a verb
    # a construction ("entre au capital de", "choisit … pour implanter son usine") wins over
    # the single words it holds ("création" of "création d'une société commune")
    built = [(f.start, f.end, f.construction.kind) for f in constructions.find(text)]
    found = [t for t in found if not any(t[0] < b[1] and b[0] < t[1] for b in built)]
    found = sorted(found + built)
    out: list[tuple[int, int, str]] = []
    for t in found:  # overlapping words: the first kind listed wins
        if out and t[0] < out[-1][1]:
            continue
        out.append(t)
    return out


def subject(sent: Sent, lo: int, hi: int) -> Org | None:
    """The organisation a clause [lo, hi) is about: its first organisation, not an object."""
    found = [o for o in sent.orgs if lo <= o.start and o.end <= hi]
    found.sort(key=lambda o: (o.source == "caps", o.start))
    for o in found:
        if as_object(sent, o, lo):
            continue
        near = 15 if o.source == "per" else 25
        lex = lexicon()
        after = sent.text[o.end : o.end + 30]
        kinds = ("jobs",) if o.source == "loc" else ()  # "Saint-Priest accueillera…" is a place
        acts = any(
            0 <= t[0] - o.end < near
            and t[2] not in kinds
            and not re.search(r"[:;,()]", sent.text[o.end : t[0]])
            for t in sent.triggers
        ) or bool(lex.lead_before.search(after) or lex.others_before.search(after))
        if o.source in ("per", "loc") and not acts and (o.source == "loc" or o.start > lo):
            continue  # a person or a place name acts only right before its verb ("X investit")
        return o
    return None


def as_object(sent: Sent, o: Org, lo: int = 0) -> bool:
    """The name follows a preposition of an object ("par X", "dans X", "auprès de X")."""
    before = sent.text[max(lo, o.start - 25) : o.start]
    return bool(
        _OBJECT.search(before) and not re.search(r"(?:startup|soci[ée]t[ée]|fonds)\s+$", before)
    )


def listed(sent: Sent, lo: int, hi: int) -> bool:
    """Several organisations share the clause's subject: "Microsoft, Amazon et IBM vont…"."""
    found = [o for o in sent.orgs if lo <= o.start and o.end <= hi and o.source in ("alias", "ner")]
    if len({o.name for o in found}) < 2:
        return False
    a, b = found[0], found[1]
    return bool(re.fullmatch(r"\s*(?:,|et|ou|and|or|,\s*et)\s*", sent.text[a.end : b.start]))


_OF = re.compile(r"\s+(?:de|d['’])\s*", re.I)


def org_after(sent: Sent, pos: int, raising: bool = False) -> Org | None:
    """The organisation an amount goes to: "15 M€ dans Mistral AI", "$35M Series B in Datavigie";
    for a round also "la série B de 20 M€ de Fluxa". A name taken for a person's is one only
    when no company noun describes it ("dans la start-up Brumel" is a company)."""
    for o in sorted(sent.orgs, key=lambda o: o.start):
        person = o.source == "per" and "described" not in around(sent.text, o.start, o.end)
        if pos <= o.start < pos + 70 and o.source != "descriptor" and not person:
            gap = sent.text[pos : o.start]
            return o if _INTO.match(gap) or (raising and _OF.fullmatch(gap)) else None
    return None


def after_marker(sent: Sent, pos: int, limit: int = 60) -> Org | None:
    """An organisation named just after an offset by "de la part de", "par", "de": the giver."""
    window = sent.text[pos : pos + limit]
    for o in sorted(sent.orgs, key=lambda o: o.start):
        if pos <= o.start < pos + limit:
            gap = window[: o.start - pos]
            if re.search(
                r"(?:de\s+la\s+part\s+d(?:e|u)|\bpar|\bfrom|\bby|\bde|\bdu|\bd['’])\s*"
                r"(?:[a-zà-ÿ-]+\s+){0,3}$",
                gap,
                re.I,
            ) and not re.search(r"\d|\b(?:dans|à|au|aux|en|pour|sur|in|to|into)\s", gap):
                return o
    return None


def _drop_quoted(sents: list[Sent]) -> None:
    """A short name the item puts in quotes is a programme or a product, never an
    investor: the plan « Compétences IA »."""
    quoted = {
        m.group(1).strip()
        for s in sents
        for m in re.finditer(r"[«“\"]\s*([^»”\"]{2,40}?)\s*[»”\"]", s.text)
        if len(m.group(1).split()) <= 4
    }
    for s in sents:
        s.orgs = [o for o in s.orgs if o.surface not in quoted or o.source == "alias"]


def _place_or_name(sents: list[Sent]) -> None:
    """A name NER took for a place is a place if the item uses it as one ("à Saint-Priest") at
    least as often as it names it, and a company if the item names it as one elsewhere."""
    seen = Counter(o.name for s in sents for o in s.orgs if o.source == "loc")
    used = Counter(p.name for s in sents for p in s.places)
    places = {n for n in used if used[n] >= seen[n]}  # "Qonto lève…" four times, "chez Qonto" once
    named = {o.name for s in sents for o in s.orgs if o.source not in ("loc", "caps")}
    named |= {n for n, c in seen.items() if c > 1 and n not in places}  # "la Laiterie des Monts"
    for s in sents:
        s.orgs = [o for o in s.orgs if not (o.source == "loc" and o.name in places)]
        for o in s.orgs:
            if o.source == "loc" and o.name in named:
                o.source = "ner"


def _full_names(sents: list[Sent]) -> None:
    """A short name stands for the longer one the item uses: "Kestrel" → "Kestrel Pharma"."""
    first: dict[str, tuple[int, int]] = {}
    for s in sents:
        for o in s.orgs:
            if o.source != "descriptor":
                first.setdefault(o.name, (s.index, o.start))
    for s in sents:
        for o in s.orgs:
            longer = [
                n
                for n in first
                if o.source != "alias"
                and (
                    (n.startswith(o.name + " ") and first[n] < first[o.name])
                    or (
                        n != o.name
                        and o.name in n.split()
                        and (
                            n.replace(o.name, "", 1).strip() in _SAME_COMPANY
                            or name_key(n) == name_key(o.name)
                        )
                    )
                )
            ]
            if (
                len(longer) == 1
            ):  # "Kestrel" after "Kestrel Pharma"; "Sérénis", "Laboratoires Sérénis"
                o.name = longer[0]


def _drop_openers(sents: list[Sent], is_common: Callable[[str], bool]) -> None:
    """A capitalised first word ("Deuxième annonce…") is a name only if the item names it
    elsewhere too, or a verb of the deal follows it."""
    inside = {o.name for s in sents for o in s.orgs if o.start > 0}
    openers = Counter(o.name for s in sents for o in s.orgs if o.start == 0)
    inside |= {n for n, c in openers.items() if c > 1}  # "Nébuleuse : …", "Nébuleuse a…"
    for s in sents:
        s.orgs = [
            o
            for o in s.orgs
            if o.start > 0
            or o.source in ("alias", "descriptor")
            or o.name in inside
            or re.match(r"\s*\(", s.text[o.end : o.end + 3])
            or fund_name().search(o.surface)  # "Brume Capital and Bpifrance followed on"
            or (s.money and not is_common(o.surface))
            or any(
                (0 <= t[0] - o.end < 12 and t[2] not in ("jobs", "invest_noun", "fund_noun"))
                or (0 <= t[0] - o.end < 12 and not is_common(o.surface))
                for t in s.triggers
            )
            or (
                not is_common(o.surface)
                and (
                    any(0 <= t[0] - o.end < 30 for t in s.triggers)
                    or lexicon().lead_before.search(s.text[o.end : o.end + 30])
                    or lexicon().others_before.search(s.text[o.end : o.end + 30])
                )
            )
        ]


# -- who -------------------------------------------------------------------------------


def tidy_names(sents: list[Sent], is_common: Callable[[str], bool]) -> None:
    """The organisations of an item, cleaned of what only looks like a name: sentence openers,
    quoted programme names, places the model took for names; short names made full."""
    _drop_openers(sents, is_common)
    _drop_quoted(sents)
    _place_or_name(sents)
    _full_names(sents)
