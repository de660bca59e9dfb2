"""A story that is the background of another firm's deal: its pages are that deal's (another
story, told by more pages, stands on each of them) and speak of another firm far more than of
its actor ("Brumel lève 30 M€… après 5 M€ trouvés auprès de Vantor": Vantor's earlier stake;
a bank that once backed the company). Such a story is held, with the firm its pages speak of, for
the editor; on round-ups (several deals on a page) each firm is named about as often, and
nothing is said. So is an investor's money that goes to no firm the reader found, on pages
that speak of another firm far more than of the investor: the money is that firm's deal (a
fund's stake in it), or the state's aid to its new site; the state's own plan ("L'État
débloque 400 M€ pour…") speaks of the state and is news.

Who a page speaks of: the names of its other stories and the capitalised names of its title and
lead, counted over the page (places, common words and the story's own parties aside)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from digest.language.fold import fold
from digest.language.places import gazetteer
from digest.models import Item, Mention, Story
from digest.read.wordnames import opens_with_function_word
from digest.write.actor import common_word, public_body

LEAD_CHARS = 400  # the first characters of a page's text: its lead
TOPIC = 3  # times a page names its topic at least, and twice as often as the story's actor
ROUND_UP = 2  # other stories on a page beyond which it is a round-up

_CAPITALISED = re.compile(  # a name inside a sentence, or after an elided article ("d'Arvo")
    r"(?:(?<=[\w,;:)»\"]\s)|(?<=[’']))([A-Z][\w-]*[a-z][\w-]*(?:\s+[A-Z][\w-]+)*)"
)


def spans(name: str, text: str) -> list[tuple[int, int]]:
    """Where a name stands in a text (its words, case and accents aside)."""
    if not name or not text:
        return []
    words = [re.escape(w) for w in name.split()]
    pattern = re.compile(r"(?<![\w-])" + r"[\s'’-]+".join(words) + r"(?![\w-])", re.I)
    found = [(m.start(), m.end()) for m in pattern.finditer(text)]
    if found:
        return found
    key = fold(name)
    start = fold(text).find(key) if key else -1
    return [(start, start + len(key))] if start >= 0 else []


def times(name: str, item: Item) -> int:
    """How often a page (its title and text) names a name."""
    return sum(len(spans(name, t)) for t in (item.title, item.text) if t) if name else 0


def topic(item: Item, others: Sequence[Mention], own: set[str]) -> tuple[str, int]:
    """The name a page speaks of most beside the story's own parties (folded), and how often."""
    names = {n for m in others for n in (m.beneficiary, m.investor) if n}
    head = f"{item.title}. {(item.text or '')[:LEAD_CHARS]}"
    names |= {m.group(1) for m in _CAPITALISED.finditer(head)}
    texts = [t for t in (item.title, item.text) if t]
    best = ("", 0)
    for name in sorted(names):
        key = fold(name)
        if any(key in o or o in key for o in own) or opens_with_function_word(name):
            continue
        if gazetteer().lookup(name) is not None or common_word(name, texts):
            continue
        best = max(best, (name, times(name, item)), key=lambda b: b[1])
    return best


def _others(story: Story, item: Item, neighbours: Mapping[int, Sequence[Mention]]) -> list[Mention]:
    return [m for m in neighbours.get(item.id or 0, ()) if m.story_id != story.id]


def _round_up(others: Sequence[Mention]) -> bool:
    return len({m.story_id for m in others}) > ROUND_UP


def outnamed(
    story: Story, actor: str, item: Item, neighbours: Mapping[int, Sequence[Mention]]
) -> str | None:
    """The firm a page (not a round-up) speaks of at least TOPIC times and twice as often as
    the story's actor; None when it speaks of the actor enough."""
    others = _others(story, item, neighbours)
    if _round_up(others):
        return None
    own = {fold(n) for n in (actor, story.investor, story.beneficiary, *story.investors) if n}
    name, n = topic(item, others, own)
    return name if n >= max(TOPIC, 2 * times(actor, item)) else None


def larger_story(
    story: Story, item: Item, neighbours: Mapping[int, Sequence[Mention]], sizes: Mapping[str, int]
) -> bool:
    """Another story of the page (not a round-up) is told by more pages than this one."""
    others = _others(story, item, neighbours)
    mine = sizes.get(story.id, 1)
    return not _round_up(others) and any(sizes.get(m.story_id or "", 0) > mine for m in others)


def about_another(
    story: Story,
    actor: str,
    pairs: Sequence[tuple[Mention, Item]],
    neighbours: Mapping[int, Sequence[Mention]],
    sizes: Mapping[str, int],
) -> str | None:
    """The hold reason when each of the story's pages speaks of another firm far more than of
    its actor, and is a larger story's (any page, when its money goes to no firm)."""
    items = {(i.id if i.id is not None else id(i)): i for _, i in pairs}.values()
    unpaid = story.kind == "investment" and story.beneficiary is None
    found = []
    for item in items:
        firm = outnamed(story, actor, item, neighbours)
        if firm is None or not (unpaid or larger_story(story, item, neighbours, sizes)):
            return None
        found.append(firm)
    if not found:
        return None
    if unpaid and public_body(actor):
        return f"Aide publique au projet d'une entreprise\u202f: {found[0]}"
    if unpaid:
        return f"Investisseur sans entreprise, sur des pages consacrées à\u202f: {found[0]}"
    return f"Rappelé sur la page d'un autre projet\u202f: {found[0]}"
