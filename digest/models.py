"""The units of meaning that flow between stages: plain dataclasses, no behaviour, no I/O.

feed → item → mention → story → edition → delivery (see the README's architecture section).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Qualifier = Literal["exact", "about", "at_least", "up_to"]
# an event: news of a company that is no new deal (an inauguration, a plan dropped, an
# acquisition…), read so that its pages group into one story; never shown as an investment
MentionKind = Literal["investment", "funding_round", "event"]
DEAL_KINDS = ("investment", "funding_round")
EditionState = Literal["draft", "approved", "held", "sending", "sent"]
SubscriberState = Literal["pending", "active", "unsubscribed", "bounced", "complained"]


@dataclass
class Feed:
    """A feed from feeds.yaml and its polling state."""

    name: str
    url: str
    id: int | None = None
    priority: int = 0  # source priority, breaks ties between outlets when facts disagree
    lang: str = "fr"
    active: bool = True
    status: str = "new"  # new | ok | not_modified | failing | gone
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    next_poll: datetime | None = None
    failing_since: datetime | None = None
    error_count: int = 0
    last_error: str | None = None
    items_seen: int = 0
    moved_to: str | None = None  # new address announced by a 301/308; polled instead of url
    not_before: datetime | None = None  # Retry-After: no request before this moment
    last_ok: datetime | None = None
    origin: str = "config"  # config (feeds.yaml) | opml (imported into the database)


@dataclass
class Item:
    """One feed entry, cleaned: plain text only, dates in UTC."""

    feed_id: int
    guid: str
    url: str
    title: str
    text: str
    published: datetime
    id: int | None = None
    feed_name: str = ""  # the outlet, as named in feeds.yaml
    lang: str = "fr"
    content_hash: str = ""
    first_seen: datetime | None = None
    duplicate_of: int | None = None  # a syndicated copy of another item


@dataclass
class Amount:
    """An amount of money as a source states it; currencies are never converted."""

    value: float
    currency: str | None  # ISO 4217 as stated (EUR, USD, GBP, CHF…); None when not stated
    qualifier: Qualifier = "exact"
    as_stated: str = ""
    # the same amount stated again in another currency:
    # "4 milliards d'euros (4,3 milliards de dollars)"
    equivalents: list[Amount] = field(default_factory=list)


@dataclass
class Part:
    """A part of the whole amount: "dont 2 milliards pour un nouveau datacenter"."""

    amount: Amount
    purpose: str = ""


@dataclass
class Quantity:
    """A count with its qualifier: jobs, GPUs, people trained, startups supported."""

    value: int
    qualifier: Qualifier = "exact"
    as_stated: str = ""


@dataclass
class Figure:
    """A programme figure, typed: kind is gpus | people_trained | startups_supported | …"""

    kind: str
    quantity: Quantity
    timeframe: str | None = None


@dataclass
class Mention:
    """One investment spoken of in one item. Facts carry the sentence they came from."""

    item_id: int
    kind: MentionKind = "investment"
    investor: str | None = None  # normalised through the alias table
    beneficiary: str | None = None  # who receives: the startup raising, the company invested in
    investors: list[str] = field(default_factory=list)  # named investors of a round, lead first
    lead: str | None = None
    amount: Amount | None = None
    parts: list[Part] = field(default_factory=list)
    jobs: Quantity | None = None
    country: str | None = None
    places: list[str] = field(default_factory=list)  # regions, cities, sites of the investment
    timeframe: str | None = None
    sector: str | None = None
    event: str | None = None
    round: str | None = None  # seed | serie_a | serie_b | … | dette
    figures: list[Figure] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    topic: str | None = None  # an event's: opening | setback | acquisition | … (topics.yaml)
    evidence: dict[str, str] = field(default_factory=dict)  # fact name → source sentence
    id: int | None = None
    story_id: str | None = None


@dataclass
class Source:
    """An item as cited under a story."""

    url: str
    title: str
    feed: str
    published: datetime


@dataclass
class ConflictValue:
    value: str
    sources: list[str]  # outlet names


@dataclass
class Conflict:
    """Sources disagree on one fact; every side is kept with who said it."""

    field: str  # amount.value | amount.currency | jobs.value | timeframe | …
    values: list[ConflictValue]


@dataclass
class Story:
    """The mentions of one investment, their merged facts, and the text written from them."""

    id: str
    kind: MentionKind = "investment"
    investor: str | None = None
    beneficiary: str | None = None
    investors: list[str] = field(default_factory=list)
    country: str | None = None
    locations: list[str] = field(default_factory=list)
    amount: Amount | None = None
    parts: list[Part] = field(default_factory=list)
    jobs: Quantity | None = None
    timeframe: str | None = None
    sector: str | None = None
    event: str | None = None
    round: str | None = None
    figures: list[Figure] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    headline: str = ""
    summary: str = ""
    sources: list[Source] = field(default_factory=list)
    mention_ids: list[int] = field(default_factory=list)
    first_published: datetime | None = None
    last_published: datetime | None = None
    updated_at: datetime | None = None
    held_reason: str | None = None  # set when the traceability check fails: never sent
    update_note: str | None = None  # what changed since an earlier edition


@dataclass
class Check:
    """One pre-flight check of an edition."""

    name: str
    ok: bool
    detail: str = ""


@dataclass
class Edition:
    id: str
    number: int
    period_start: datetime
    period_end: datetime
    created_at: datetime
    state: EditionState = "draft"
    subject: str = ""
    preheader: str = ""
    stories: list[Story] = field(default_factory=list)
    html: str = ""
    text: str = ""
    checks: list[Check] = field(default_factory=list)
    unsubscribe_placeholder: str = ""  # drawn at render (edition.unsubscribe); "" for old ones
    opening: str = ""  # the opening line (compose's, or an editor's); "" for old ones


@dataclass
class Subscriber:
    email: str
    id: int | None = None
    name: str = ""
    state: SubscriberState = "active"
    created_at: datetime | None = None
