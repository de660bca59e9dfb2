"""An event: a page that tells no new deal but news of one company (an inauguration, a plan
dropped, an acquisition, a permit, a state aid, results…) gives one mention of kind "event",
with its company, its topic and the page's date, so that the outlets telling it group into one
story (digest/group/fit.py, `event_fit`) which no edition shows as an investment.

The topic is the first of digest/language/data/topics.yaml that the title, else the lead, tells
(only the topics that are a company's own news: an interview or an appointment is not); the
company, the one acting on the topic's word, else the one the page speaks of most, else the
first firm its title and lead name (never a place, a person, the outlet, a common word); the
other firms they name are kept beside it, so that the buyer's page and the bought firm's meet."""

from __future__ import annotations

from digest.language.names import Org
from digest.language.places import gazetteer
from digest.models import Item, Mention
from digest.read.clauses import Sent
from digest.read.deals import Assembler
from digest.read.topics import topics
from digest.read.wordnames import rejected

# the topics of topics.yaml that are news of a company (not "people": an interview, a departure)
EVENT_TOPICS = (
    "opening",
    "setback",
    "acquisition",
    "closure",
    "permit",
    "public_aid",
    "results",
    "listing",
    "fund_closing",
)
REACH = 40  # characters from a name to the topic's word it acts on ("X a finalement inauguré")
PARTIES = 5  # names of the title and lead an event keeps: its company and the others named


def event_topic(text: str) -> tuple[int, str] | None:
    """The event topic whose words come first in a text, with their offset."""
    found = [(m.start(), k) for k in EVENT_TOPICS if (m := topics()[k].search(text))]
    return min(found) if found else None


def _firm(a: Assembler, name: str, outlet: str) -> bool:
    """A name that can be a company: not a place, a word, an office, the outlet, nor a word of
    the topic itself taken for a name ("Visite", "Inauguration")."""
    return (
        not rejected(a, name, outlet)
        and gazetteer().lookup(name) is None
        and event_topic(name) is None
    )


def _named(a: Assembler, o: Org, outlet: str) -> bool:
    """A firm's name: not a person's or a place's (every time the model reads it), a common
    word, …"""
    other = all(x.source in ("per", "loc") for s in a.sents for x in s.orgs if x.name == o.name)
    return not other and not a.is_common_name(o) and _firm(a, o.name, outlet)


def firms(a: Assembler, outlet: str, sent: Sent, at: int) -> list[str]:
    """The companies of the page's title and lead: the one acting on the topic's word (the
    last named before it in its sentence: "X rachète Y", "X a inauguré"), the one the page
    speaks of most (`Assembler.topic`), then those its title and lead name, in order."""
    acting = [o.name for o in sent.orgs if 0 <= at - o.end <= REACH and _named(a, o, outlet)]
    acting = acting[-1:]
    about = [n for n in [a.topic()] if n is not None and _firm(a, n, outlet)]
    named = [o.name for s in a.sents if a.in_lead(s) for o in s.orgs if _named(a, o, outlet)]
    return list(dict.fromkeys([*acting, *about, *named]))


def read_event(a: Assembler, item: Item) -> Mention | None:
    """The event a page with no deal tells, if its title or lead tells one of a company."""
    lead = [s for s in a.sents if a.in_lead(s)]
    told = None
    for part in ([s for s in lead if s.title], [s for s in lead if not s.title]):
        told = told or next(((s, t) for s in part if (t := event_topic(s.text))), None)
    if told is None:
        return None
    sent, (at, topic) = told
    names = firms(a, item.feed_name, sent, at)
    if not names:
        return None
    return Mention(
        item.id or 0,
        kind="event",
        investor=names[0],
        investors=names[1:PARTIES],  # the others it names: the bought firm, the partners
        topic=topic,
        evidence={"topic": sent.text},
    )
