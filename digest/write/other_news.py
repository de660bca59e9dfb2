"""A story none of whose pages is news of a deal: the title and lead of each of its pages speak
of something else (an inauguration or a visit, a permit, a state aid, a fund's own fund, a
listing, results, a departure… the topics of digest/language/data/topics.yaml) before any word
of investing. The reader weighs each page alone; a story every page of which is so told is held
back with its topics as the reason, for an editor to decide. A title that opens on a deal ("X
lève 20 M€ pour racheter Y") is news; so is a page telling several companies' deals (a round-up)
unless its lead states one of their amounts under the other topic ("visite à X : un plan de 2
milliards"). One company's several figures on a page about its inauguration are not a
round-up: the page is about the inauguration."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from digest.group.fit import aka
from digest.language.fold import fold, name_key
from digest.models import Item, Mention
from digest.read.clauses import triggers
from digest.read.topics import first_topic, topics_in
from digest.write.recalled import states_amount

NOT_A_DEAL = "Pas une annonce d'investissement\u202f: "  # the hold reason's opening
HEAD = 500  # characters of the text past its title that make its lead
_DEAL = ("invest", "fund", "receive")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")

LABELS = {  # the French words of the reason shown to the editor
    "acquisition": "rachat",
    "results": "résultats",
    "opening": "inauguration ou visite",
    "closure": "fermeture",
    "setback": "projet suspendu",
    "fund_closing": "levée d'un fonds pour lui-même",
    "listing": "Bourse",
    "permit": "étape d'un projet",
    "public_aid": "aide publique",
    "people": "personnes",
}


def head(item: Item) -> str:
    """The title and the lead of a page (a text that opens with its title is read past it)."""
    text = item.text.strip()
    title = item.title.strip().rstrip(".…")
    if title and fold(text[: len(title)]) == fold(title):
        text = text[len(title) :].lstrip(" .…:")
    return f"{item.title}\n{text[:HEAD]}"


def titled_deal(title: str) -> bool:
    """The title tells a deal before any other topic: a word of investing comes first (a noun
    only beside a sum: "un partenaire de premier plan" tells no deal, "un plan de 2 Md€" does)."""
    summed = bool(_NUMBER.search(title))
    deal = min(
        (
            t[0]
            for t in triggers(title)
            if t[2].startswith(_DEAL) and (summed or not t[2].endswith("_noun"))
        ),
        default=None,
    )
    other = first_topic(title)
    return deal is not None and (other is None or deal < other[0])


def topics_of(item: Item) -> frozenset[str]:
    """The other topics a page leads with; none when its title opens on a deal."""
    return frozenset() if titled_deal(item.title) else topics_in(head(item))


def one_company(mentions: Sequence[Mention]) -> bool:
    """Every mention names its company, and it is the same one (its figures told at an
    inauguration or a visit): such a page is not a round-up of several deals."""
    names = [m.beneficiary or m.investor for m in mentions]
    keys = [name_key(n) for n in names if n]
    return len(keys) == len(names) and all(aka(k, keys[0]) for k in keys)


def other_news(
    pairs: Sequence[tuple[Mention, Item]], told: Mapping[int, Sequence[Mention]] | None = None
) -> str | None:
    """The reason to hold a story whose every page leads with another topic than a deal
    (told: the mentions of each page that tells other stories' deals too)."""
    items = {item.url or item.id: item for _, item in pairs}
    said: list[str] = []
    for item in items.values():
        found = topics_of(item)
        theirs = (told or {}).get(item.id or 0, ())
        if len({m.story_id for m in theirs}) > 1 and not one_company(theirs):
            # a round-up (deals of several companies): is one of them the lead's figure?
            found = found if any(states_amount(m, head(item)) for m in theirs) else frozenset()
        if not found:
            return None
        said += [t for t in sorted(found) if t not in said]
    return NOT_A_DEAL + ", ".join(LABELS.get(t, t) for t in said)
