"""A story's own sentences, and its optional facts they do not support dropped before writing.

The zero-invented-facts check reads what the story's mentions were read from, not the whole of
their items: in a round-up article another deal's place, date or figure must not vouch for this
one. A story's own texts are
- every mention's evidence sentences (`Mention.evidence`);
- the title and text of an item carrying no other story's mention: a one-deal article is all
  about the deal, and the reader keeps one sentence per fact (a second place, the round's
  investors, the country come from other sentences of it);
- the title and text of a mention's item when the mention has no evidence (written by hand:
  the labelled corpus, tests).
The actors (investor, beneficiary) are checked against their whole items instead: a round-up
names a company once and says "le groupe" after. The amount is a core fact: never dropped, a
story whose amount its own sentences do not state is held. The optional facts (country, places,
timeframe, jobs, figures, event, named investors, parts, currency equivalents, rivals' words) the
own sentences do not support are dropped, so the text says less rather than something wrong.
In a round-up a mention's sentence may be another deal's ("Enfin, Nordhavn installera près de
Dunkerque…" read as KL1's jobs): a sentence of a shared item naming another actor (another
story's, or an organisation of the alias table) and none of the story's is not its own; an
amount read from such a sentence holds the story.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from digest.language import french
from digest.language.fold import name_key
from digest.language.names import Aliases
from digest.language.places import gazetteer
from digest.models import Amount, Item, Mention
from digest.write import traceability
from digest.write.fusion import Facts, same_amount


def own_texts(
    pairs: list[tuple[Mention, Item]],
    shared: Collection[int],
    foreign: Collection[str] = (),
) -> list[tuple[str, str]]:
    """The story's own sentences as (text, lang); shared: ids of items other stories speak from;
    foreign: sentences about another deal's actor (`foreign_sentences`), left out."""
    out = []
    whole: dict[int, Item] = {}
    for mention, item in pairs:
        out += [(s, item.lang) for s in mention.evidence.values() if s not in foreign]
        if not mention.evidence or item.id not in shared:
            whole[item.id if item.id is not None else id(item)] = item
    for item in whole.values():
        out += [(item.title, item.lang), (item.text, item.lang)]
    return out


def actors(pairs: list[tuple[Mention, Item]]) -> list[str]:
    """The story's own actors: every mention's investor, beneficiary and named investors."""
    names = [n for m, _ in pairs for n in (m.investor, m.beneficiary, *m.investors) if n]
    return list(dict.fromkeys(names))


def strangers(
    sentence: str, lang: str, own: list[str], others: Collection[str], aliases: Aliases
) -> list[str]:
    """The other actors a sentence names when it names none of the story's own ([] if it does:
    'KL1 rejoint Nordhavn…' is KL1's, 'le groupe …' naming nobody else is the story's too)."""
    mine = {name_key(aliases.name(n)) for n in own}
    said = traceability.found([(sentence, lang)])
    named_ = [n for n in others if traceability.has(said, n)]
    named_ += [org.name for org in aliases.find(sentence)]
    foreign = [n for n in dict.fromkeys(named_) if name_key(aliases.name(n)) not in mine]
    if not foreign or any(named(said, n, aliases) for n in own):
        return []
    return foreign


def foreign_sentences(
    pairs: list[tuple[Mention, Item]],
    shared: Collection[int],
    others: Collection[str],
    aliases: Aliases,
) -> dict[str, list[str]]:
    """The evidence sentences of shared items that speak of another actor, not of the story's
    (sentence → those actors); others: actors known from other stories."""
    own = actors(pairs)
    out: dict[str, list[str]] = {}
    for mention, item in pairs:
        if item.id not in shared:
            continue
        for sentence in mention.evidence.values():
            if sentence not in out:
                out[sentence] = strangers(sentence, item.lang, own, others, aliases)
    return {s: names for s, names in out.items() if names}


def misread_amount(
    pairs: list[tuple[Mention, Item]], foreign: dict[str, list[str]], amount: Amount | None
) -> str | None:
    """The hold reason when the story's amount was read only from sentences about another
    actor; a mention of it read from the story's own sentence (another outlet, or the page's
    own lead) clears it: a word misread as an actor does not hold a right amount."""
    if amount is None:
        return None
    told = [
        (m.evidence.get("amount") or m.evidence.get("deal"))
        for m, _ in pairs
        if m.amount and same_amount(m.amount, amount)
    ]
    if not told or any(sentence is None or sentence not in foreign for sentence in told):
        return None
    who = ", ".join(dict.fromkeys(n for sentence in told if sentence for n in foreign[sentence]))
    return f"Montant lu dans une phrase sur un autre acteur\u202f: {who}"


def item_texts(pairs: list[tuple[Mention, Item]]) -> list[tuple[str, str]]:
    """Every title and text of the story's items (where its actors' names are looked for)."""
    items = {item.id if item.id is not None else id(item): item for _, item in pairs}
    return [(t, item.lang) for item in items.values() for t in (item.title, item.text)]


def says(found: traceability.Found, text: str) -> bool:
    """Whether the sources state every number and name of text."""
    return not traceability.problems(text, found, [])


def named(found: traceability.Found, name: str, aliases: Aliases) -> bool:
    """Whether the sources name it, under this or another of its aliases ('BEI' for the EIB)."""
    if traceability.has(found, name):
        return True
    table = aliases.canonical
    return any(traceability.has(found, a) for a, canonical in table.items() if canonical == name)


def prune(facts: Facts, own: traceability.Found, aliases: Aliases) -> list[str]:
    """Drop from facts the optional facts own does not support; the names of those dropped."""
    dropped: list[str] = []

    def keep(what: str, ok: bool) -> bool:
        if not ok:
            dropped.append(what)
        return ok

    if facts.country and not keep(facts.country, traceability.has(own, facts.country)):
        facts.country = None
    facts.locations = [p for p in facts.locations if keep(p, traceability.has(own, p))]
    facts.investors = [n for n in facts.investors if keep(n, named(own, n, aliases))]
    if facts.event and not keep(facts.event, says(own, facts.event)):
        facts.event = None
    if facts.timeframe and not keep(facts.timeframe, says(own, facts.timeframe)):
        facts.timeframe = None
    if facts.jobs and not keep("emplois", says(own, french.jobs(facts.jobs))):
        facts.jobs = None
    figures = []
    for f in facts.figures:
        if keep(f.kind, says(own, french.number(f.quantity.value, 0))):
            ok = not f.timeframe or keep(f.timeframe, says(own, f.timeframe))
            figures.append(f if ok else replace(f, timeframe=None))
    facts.figures = figures
    facts.parts = [p for p in facts.parts if keep("part", says(own, french.amount(p.amount)))]
    if facts.amount and facts.amount.equivalents:
        equivalents = [e for e in facts.amount.equivalents if says(own, french.amount(e))]
        dropped += [french.amount(e) for e in facts.amount.equivalents if e not in equivalents]
        facts.amount = replace(facts.amount, equivalents=equivalents)
    facts.rivals = [r for r in facts.rivals if keep(r.text, says(own, r.text))]
    return dropped


def located(country: str | None, places: list[str]) -> bool:
    """Whether the country is that of one of the places (so the card may say it, not the text)."""
    return bool(country) and any(gazetteer().country(p) == country for p in places)
