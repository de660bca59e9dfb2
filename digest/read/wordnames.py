"""A deal's company that is a word, not a name: a connector or an article opening it ("Malgré",
"Cela", "And Thursday", "If Envision": spaCy's French and English function words), a common
noun the model knows, written after a determiner ("la PME savoyarde Fermatik", "le Conseil
régional"), or the end of a picture's credit ("/ Germany OUT"); or a name that is no firm (the
kinds of digest/language/data/no_firms.yaml): an office or the state as such ("Head of State",
"État français"), a generic noun ("FinTech Française", "Gafa"), a unit or a product's code
("GW", "M88"), a news outlet (the feed's own, or one of the data file's), a person (spaCy's
PER label with a title or a quote beside the name). Such a draft takes the name its sentence
gives right after the word, else the nearest other name of its sentences, of its title or
lead; with none, it is left for the write stage to hold."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from weakref import WeakKeyDictionary

from digest.language import data
from digest.language.fold import fold
from digest.language.lexicon import fund_name
from digest.language.names import Org
from digest.language.places import gazetteer
from digest.read.clauses import Sent
from digest.read.cues import WINDOW, around
from digest.read.deals import Assembler, Draft
from digest.read.nameform import in_credit
from digest.read.roles import found, roles

_DETERMINER = re.compile(
    r"(?:^|[\s(«\"'’])(?:la|le|les|l['’]|une?|cette|ce|cet|ces|sa|son|ses|leur|the|a|an|its)\s*$",
    re.I,
)
_ARTICLE = re.compile(
    r"(?:l[ea]s?|l['’]\w*|une?|des|du|the|an?|mon|ma|mes|notre|nos|votre|vos|my|our|your)", re.I
)
AFTER = 40  # characters after the word where the name it describes stands
QUOTE = 30  # characters around a person's name where a verb of speech says it is quoted


@cache
def function_words(lang: str = "") -> frozenset[str]:
    """French and English function words (spaCy's lists), folded; of one language if asked."""
    from spacy.lang.en.stop_words import STOP_WORDS as english
    from spacy.lang.fr.stop_words import STOP_WORDS as french

    chosen = {"fr": french, "en": english}.get(lang, french | english)
    return frozenset(fold(w) for w in chosen)


def opens_with_function_word(name: str) -> bool:
    """A connector or a pronoun, or a name opening with one ("Malgré", "Cela", "If Envision");
    an article or a possessive opens many a company's name ("Le Slip Français", "The
    Exploration Company", "Ma French Bank"), and so does an English adverb or noun of the
    stop list ("Back Market"): after the first word only a French one or a short one counts."""
    words = name.split()
    first = words[0] if words else ""
    if not first or first.isupper() or fold(first) not in function_words():
        return False
    if len(words) == 1:
        return True
    if _ARTICLE.fullmatch(first):
        return False
    return fold(first) in function_words("fr") or len(first) <= 3


def _connector(name: str) -> bool:
    """A name opening with a connector of roles.yaml ("Tandis", "Parallèlement")."""
    first = name.split()[0] if name.split() else ""
    return bool(first) and bool(roles()["connector"].fullmatch(first))


def is_word(a: Assembler, name: str) -> bool:
    """Whether the item uses this name as a word, not as a company's name."""
    seen = [(s, o) for s in a.sents for o in s.orgs if o.name == name]
    if not seen or any(o.source == "alias" for _, o in seen):
        return False
    if opens_with_function_word(name) or _connector(name):
        return True
    if all(
        in_credit(s.text, o.start) or "photo" in around(s.text, o.start, o.end) for s, o in seen
    ):
        return True  # a picture's credit: "(Photo … / Agence) / Germany OUT", "Crédits : DR"
    return " " not in name.strip() and all(
        a.is_common_name(o) and _DETERMINER.search(s.text[: o.start]) for s, o in seen
    )


def _credited(s: Sent, o: Org) -> bool:
    return in_credit(s.text, o.start) or "photo" in around(s.text, o.start, o.end)


@cache
def _kinds() -> dict[str, tuple[str, re.Pattern[str]]]:
    """Kind of no-firm name → (window, one pattern of its forms), as digest/read/cues.py."""
    out = {}
    for name, kind in data.load("no_firms.yaml")["kinds"].items():
        alts = "|".join(f"(?:{p})" for p in kind["patterns"])
        anchored = {"before": f"(?:{alts})$", "after": f"^(?:{alts})"}.get(
            kind["window"], rf"(?:{alts})"
        )
        out[name] = (kind["window"], re.compile(anchored, re.I))
    return out


_PERSON_KINDS = ("titled", "titled_after")  # said of a name the model labels a person only
# said of a one-word name only when every occurrence carries it
_EVERY_TIME = ("measure", "region", "plural")


@lru_cache(maxsize=8192)
def kinds_at(text: str, start: int, end: int) -> frozenset[str]:
    """The kinds of no-firm name the words at and around text[start:end] give."""
    before, after = text[max(0, start - WINDOW) : start], text[end : end + WINDOW]
    name = text[start:end].strip()
    out = set()
    for kind, (window, pattern) in _kinds().items():
        if window == "name":
            hit = pattern.fullmatch(name)
        else:
            hit = pattern.search(before if window == "before" else after)
        if hit:
            out.add(kind)
    return frozenset(out)


def _acronym(name: str) -> str:
    """The initials of a name's words, a leading article left out ("Journal du Net" → "jdn",
    "Le Journal des Entreprises" → "jde"), or "" for a short name."""
    words = re.findall(r"[^\W\d_]+", fold(name))
    words = words[1:] if words and words[0] in ("la", "le", "les", "l", "the") else words
    return "".join(w[0] for w in words) if len(words) >= 3 else ""


@cache
def _outlets() -> frozenset[str]:
    listed = data.load("no_firms.yaml")["outlets"]
    return frozenset({fold(n) for n in listed} | {_acronym(n) for n in listed} - {""})


def _strip_source(feed: str) -> str:
    """The outlet of a feed's name without its wire in brackets ("Boursorama (AFP)")."""
    return re.sub(r"\s*\(.*?\)\s*", " ", feed).strip()


def is_outlet(name: str, outlet: str = "") -> bool:
    """A news outlet: one of the data file's (or its acronym), or the acronym of the item's
    own feed ("JDN" on the Journal du Net). A feed named as a firm is that firm's own news
    page: its name stays a firm's (the actor model weighs it)."""
    key = fold(name)
    if not key:
        return False
    own = _acronym(_strip_source(outlet))
    return key in _outlets() or (bool(own) and key == own)


def _occurrences(a: Assembler, name: str) -> list[tuple[Sent, Org]]:
    return [(s, o) for s in a.sents for o in s.orgs if o.name == name]


def _surname(a: Assembler, name: str) -> bool:
    """The last word of a longer name the model labels a person ("Macron" of "Emmanuel
    Macron"): persons are named again by their surname, firms by their first word."""
    if " " in name.strip() or _most_named(a, name):
        return False
    return any(
        o.source == "per" and len(o.name.split()) > 1 and o.name.split()[-1] == name
        for s in a.sents
        for o in s.orgs
    )


@cache
def _first_names() -> frozenset[str]:
    return frozenset(fold(n) for n in data.load("no_firms.yaml")["first_names"].split())


def _first_named(a: Assembler, name: str, seen: list[tuple[Sent, Org]]) -> bool:
    """A longer name opening with a first name, labelled a person every time, not the name
    the item speaks of most ("Emmanuel Macron était sur le site")."""
    words = name.split()
    if len(words) < 2 or fold(words[0]) not in _first_names():
        return False
    return all(o.source == "per" for _, o in seen) and not _most_named(a, name)


def _most_named(a: Assembler, name: str) -> bool:
    """The name the item speaks of most: its subject, a firm more likely than a person."""
    return a.counts[name] >= max(a.counts.values(), default=0)


def is_person(a: Assembler, name: str) -> bool:
    """A person: labelled so by the model (or the surname of such a name), with a title or a
    verb of speech beside one of its occurrences or opening with a first name, and never
    described as a company."""
    seen = _occurrences(a, name)
    if not seen:
        return False
    if any({"described", "into"} & around(s.text, o.start, o.end) for s, o in seen):
        return False
    surname = _surname(a, name)
    if not surname and not any(o.source == "per" for _, o in seen):
        return False
    if _first_named(a, name, seen):
        return True
    for s, o in seen:
        if set(_PERSON_KINDS) & kinds_at(s.text, o.start, o.end):
            return True
        if "quote" in found(s.text[max(0, o.start - QUOTE) : o.start]):
            return True  # "explique Paul Verdier"; a firm too "précise" or "indique" after its name
        if " " in name.strip() and "quote" in found(s.text[o.end : o.end + QUOTE]):
            return True
    return surname


_SEEN: WeakKeyDictionary[Assembler, dict[tuple[str, str], str | None]] = WeakKeyDictionary()


def not_a_firm(a: Assembler, name: str, outlet: str = "") -> str | None:
    """The kind of name that is no firm (no_firms.yaml's, "outlet" or "person"), or None;
    judged once per item and name."""
    seen = _SEEN.setdefault(a, {})
    if (name, outlet) not in seen:
        seen[name, outlet] = _kind(a, name, outlet)
    return seen[name, outlet]


def _kind(a: Assembler, name: str, outlet: str) -> str | None:
    if is_outlet(name, outlet):
        return "outlet"
    by_name = [k for k, (w, p) in _kinds().items() if w == "name" and p.fullmatch(name.strip())]
    if by_name:
        return by_name[0]
    seen = _occurrences(a, name)
    if seen and " " not in name.strip():
        every = set.intersection(*(set(kinds_at(s.text, o.start, o.end)) for s, o in seen))
        if every & set(_EVERY_TIME):
            return sorted(every & set(_EVERY_TIME))[0]
    return "person" if is_person(a, name) else None


SOFT = ("state",)  # the state launches programmes of its own: it gives way only to a firm
# named where the deal is told


def rejected(a: Assembler, name: str, outlet: str = "") -> bool:
    """A word, or a name that is no firm: never a deal's company."""
    return is_word(a, name) or not_a_firm(a, name, outlet) not in (None, *SOFT)


def _fine(a: Assembler, d: Draft, name: str, outlet: str = "") -> bool:
    """A name that may take a word's place: no investor of the round (of any draft of the
    item, nor named as a fund), no word, no place."""
    investors = {n for x in a.drafts for n in (*x.investors, x.lead) if n}
    if d.kind == "funding_round" and (name in investors or fund_name().search(name)):
        return False
    return (
        name not in d.investors
        and not rejected(a, name, outlet)
        and gazetteer().lookup(name) is None
    )


def _replacement(
    a: Assembler, d: Draft, word: str, outlet: str = "", lead: bool = True
) -> str | None:
    """The name right after the word in one of the draft's sentences, else the name the item
    speaks of most among those of the sentences that state its amount and the two before,
    else among those of its other sentences and of the title and lead; only of its own
    sentences if not `lead`."""
    mine: list[Sent] = [s for s in a.sents if s.index in d.sentences] or list(a.sents)
    for s in mine:
        for w in (o for o in s.orgs if o.name == word):
            after = [
                o for o in s.orgs if 0 <= o.start - w.end <= AFTER and _fine(a, d, o.name, outlet)
            ]
            if after:
                return after[0].name
    stated = [a.sents[i] for i in dict.fromkeys(i for i, _ in d.spots)]
    before = [a.sents[i - k] for i, _ in d.spots[:1] for k in (1, 2) if i - k >= 0 and lead]
    heads = [s for s in a.sents if a.in_lead(s)] if lead else []
    for sents in ((*stated, *before), (*mine, *heads)):
        names = [o.name for s in sents for o in s.orgs]
        other = {d.actor, d.investor, d.beneficiary} - {word}  # the deal's other party
        fine = [
            n for n in dict.fromkeys(names) if n not in other | {word} and _fine(a, d, n, outlet)
        ]
        if fine:
            return max(fine, key=lambda n: a.counts[n])  # the item's firm, not one in passing
    return None


def rename_word_actors(a: Assembler, outlet: str = "") -> None:
    """Each draft whose company is a word or no firm takes the name its sentences give
    instead; the state gives way only to a firm of the deal's own sentences, and its money for
    a firm's project is an aid, no deal; a fund or a bank read as a round's company gives way to
    the firm the item is about (`_borrower`)."""
    for d in a.drafts:
        if d.kind == "funding_round" and d.beneficiary and fund_name().search(d.beneficiary):
            _rename(d, d.beneficiary, _borrower(a, d, d.beneficiary, outlet))
        for word in {n for n in (d.actor, d.beneficiary) if n and rejected(a, n, outlet)}:
            name = _replacement(a, d, word, outlet)
            _rename(d, word, name)
        for word in {n for n in (d.actor, d.beneficiary) if n and _soft(a, n, outlet)}:
            name = _replacement(a, d, word, outlet, lead=False)
            _rename(d, word, name)
            if name is None and d.actor == word and d.beneficiary not in (None, word):
                d.earlier = True  # the state's money for a firm's project: an aid, no deal


def _borrower(a: Assembler, d: Draft, lender: str, outlet: str) -> str | None:
    """The firm whose round it is when a fund or a bank by its name (company_words.yaml's fund
    words: "Brume Capital", "Banque européenne d'investissement") was read as its company: the
    firm the item is about, else the one its sentences name most; never the state."""
    topic = a.topic()
    if topic and topic != lender and _fine(a, d, topic, outlet) and not _soft(a, topic, outlet):
        return topic
    name = _replacement(a, d, lender, outlet)
    return None if name is None or _soft(a, name, outlet) else name


def _soft(a: Assembler, name: str, outlet: str) -> bool:
    return not_a_firm(a, name, outlet) in SOFT


def _rename(d: Draft, word: str, name: str | None) -> None:
    """The draft's company, beneficiary and investor that were the word become the name."""
    if name is None:
        return
    d.actor = name if d.actor == word else d.actor
    d.beneficiary = name if d.beneficiary == word else d.beneficiary
    d.investor = name if d.investor == word else d.investor
