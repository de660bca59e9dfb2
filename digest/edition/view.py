"""What the templates show of an edition: plain strings and safe URLs, computed once for both the
HTML and the text twin. Feed text stays text here; the HTML template escapes it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_date

from digest.config import Config
from digest.edition import wording
from digest.edition.layout import Group, Layout, Total, layout
from digest.edition.unsubscribe import placeholder_of
from digest.language import french
from digest.language.labels import conflict_label, figure_label, round_label
from digest.language.timeframes import in_french
from digest.models import Conflict, Edition, Story


def safe_url(url: str | None) -> str | None:
    """The URL when it is absolute http(s) with a host, else None (never javascript: or data:)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in url for c in ' "<>\\') or any(ord(c) < 32 for c in url):
        return None
    return url


_UPDATE_LABEL = re.compile(r"^mise à jour\s*:\s*", re.IGNORECASE)


@dataclass
class Link:
    text: str
    url: str | None


@dataclass
class StoryView:
    """One story as a card, a line or a podium step shows it."""

    id: str
    headline: str
    url: str | None
    summary: str
    label: str
    amount_short: str
    facts: list[tuple[str, str]]
    conflicts: list[str]
    update: str | None
    sources: list[Link]
    articles: list[Link] = field(default_factory=list)  # every item, titled (the lead shows them)
    round: str = ""
    sector: str = ""


# a purpose says what the part pays for, in French, starting with one of these words
_PURPOSE = re.compile(
    r"(?:pour|dans|destinée?s?\s+à|consacrée?s?\s+à|afin\s+d|en\s+faveur|au\s+profit|sur)\b", re.I
)
_CURRENCY_WORDS = re.compile(r"^(?:d['’]\s*euros|de\s+dollars|euros|dollars|€|\$)\b\s*", re.I)
_DANGLING = re.compile(
    r"(?:[\s,;:(–-]+|\s(?:et|ou|dont|ainsi|que|à|au|aux|de|du|des|la|le|les|l['’]|d['’]|en|un|une)\b)+$",
    re.I,
)
_NEXT_AMOUNT = re.compile(
    r"\b\d[\d\s\u00a0\u202f,.]*\s*(?:milliards?|millions?|md|m|k)?\s*(?:€|\$|euros?\b|dollars?\b|"
    r"d['’]euros|de\s+dollars|milliards?\b|millions?\b)",
    re.I,
)
READ_WINDOW = 80  # the reader keeps at most this many characters after a part's amount


def purpose(text: str) -> str:
    """What a part pays for, tidied for the "Dont" line; "" when it is not a clean French
    phrase: the currency of the amount repeated, the next part's amount, a word cut by the
    reader's window, an English clause."""
    cut = len(text) >= READ_WINDOW - 4
    t = _CURRENCY_WORDS.sub("", text.strip(" ,"))
    if not _PURPOSE.match(t):
        return ""
    other = _NEXT_AMOUNT.search(t)
    if other:
        t, cut = t[: other.start()], False
    if cut:
        t = t.rsplit(" ", 1)[0]
    t = _DANGLING.sub("", t).strip()
    return t if len(t.split()) >= 2 else ""


def _parts(story: Story) -> str:
    """2,5 milliards d'euros pour deux centres de données ; 500 millions d'euros pour …"""
    whole = story.amount
    shown = []
    for p in story.parts:
        amount = p.amount
        if whole and amount.currency is None:
            amount = replace(amount, currency=whole.currency)
        if whole and amount.value >= whole.value:
            continue  # the whole again, not a part of it
        shown.append(f"{french.amount(amount)} {purpose(p.purpose)}".strip())
    return " ; ".join(shown)


def facts(story: Story) -> list[tuple[str, str]]:
    """The key figures of a story as (label, value), in reading order; unknowns are left out."""
    out: list[tuple[str, str]] = []
    if story.amount:
        out.append(("Montant", french.amount(story.amount, equivalents=True)))
    parts = _parts(story)
    if parts:
        out.append(("Dont", parts))
    if story.round:
        out.append(("Tour", round_label(story.round)))
    if story.investors:
        out.append(("Investisseurs", french.join(story.investors)))
    if story.jobs:
        out.append(("Emplois", french.quantity(story.jobs)))
    where = list(story.locations)
    if story.country and story.country not in where:
        where.append(story.country)
    if where:
        out.append(("Où", ", ".join(where)))
    when = in_french(story.timeframe) if story.timeframe else None
    if when:
        out.append(("Quand", when))
    for fig in story.figures:
        value = french.quantity(fig.quantity)
        when = in_french(fig.timeframe) if fig.timeframe else None
        out.append((figure_label(fig.kind), f"{value} {when}" if when else value))
    if story.sector:
        out.append(("Secteur", french.capitalise(story.sector)))
    if story.event:
        out.append(("Événement", story.event))
    return [(label, wording.nobreak(value)) for label, value in out]


def _conflict_value(conflict: Conflict, value: str, story: Story) -> str:
    if conflict.field == "amount.currency":
        return french.CURRENCIES.get(value, (value, value))[0]
    try:
        n = float(value)
    except ValueError:
        return value
    if conflict.field.startswith("amount"):
        return french.money(n, story.amount.currency if story.amount else None)
    return french.number(n, 2)


def conflict_note(conflict: Conflict, story: Story) -> str:
    """sur la devise : euros selon Les Echos et BFM, dollars selon Reuters."""
    what = conflict_label(conflict.field)
    sides = [
        f"{_conflict_value(conflict, v.value, story)} selon {french.join(v.sources)}"
        for v in conflict.values
    ]
    return f"sur {what}{french.NNBSP}: {' ; '.join(sides)}."


def _update(note: str | None) -> str | None:
    """The note without its 'Mise à jour :' label, which the templates set themselves."""
    if not note:
        return None
    return french.capitalise(_UPDATE_LABEL.sub("", note.strip()))


def story_view(story: Story) -> StoryView:
    sources: dict[str, Link] = {}
    for src in story.sources:
        sources.setdefault(src.feed, Link(src.feed, safe_url(src.url)))
    url = next((safe_url(s.url) for s in story.sources if safe_url(s.url)), None)
    return StoryView(
        id=story.id,
        headline=story.headline.strip() or wording.label(story),
        url=url,
        summary=story.summary.strip(),
        label=wording.label(story),
        amount_short=wording.money_short(story.amount.value, story.amount.currency)
        if story.amount
        else "",
        facts=facts(story),
        conflicts=[conflict_note(c, story) for c in story.conflicts],
        update=_update(story.update_note),
        sources=list(sources.values()),
        articles=[
            Link(f"{s.feed}{french.NNBSP}: {s.title}", safe_url(s.url)) for s in story.sources
        ],
        round=round_label(story.round) if story.round else "",
        sector=french.capitalise(story.sector or ""),
    )


@dataclass
class GroupView:
    name: str
    count: int
    totals: str


@dataclass
class TableView:
    """The first rows of a round-up table, and what the cut left out ("… et 4 autres …")."""

    rows: list[GroupView]
    more: str = ""


TABLE_ROWS = 6


def _totals(totals: list[Total]) -> str:
    return " + ".join(wording.money_short(t.value, t.currency) for t in totals if t.currency)


def _group(g: Group) -> GroupView:
    return GroupView(french.capitalise(g.name), g.count, _totals(g.totals))


def table(groups: list[Group], other: str, others: str) -> TableView:
    """At most TABLE_ROWS rows; a cut table says how many rows it left out."""
    rest = len(groups) - TABLE_ROWS
    more = f"… et {wording.plural(rest, other, others)}" if rest > 0 else ""
    return TableView([_group(g) for g in groups[:TABLE_ROWS]], more)


def shorten_brief(ctx: dict, keep: int) -> dict:
    """The context with only the first `keep` lines of "En bref", and a link line to the web
    version for the others."""
    left_out = len(ctx["brief"]) - keep
    if left_out <= 0:
        return ctx
    more = wording.plural(left_out, "autre brève", "autres brèves")
    return ctx | {
        "brief": ctx["brief"][:keep],
        "brief_more": f"… et {more} dans la version en ligne →",
    }


def _local(moment: datetime, config: Config) -> datetime:
    return moment.astimezone(ZoneInfo(config.newsletter.timezone))


def context(edition: Edition, config: Config) -> dict:
    """Everything the HTML and text templates need, as plain values."""
    plan: Layout = layout(edition)
    news = config.newsletter
    sender_name, _, sender_rest = news.sender.partition("<")
    return {
        "edition": edition,
        "news": news,
        "theme": config.theme,
        "date": format_date(_local(edition.period_end, config), "EEEE d MMMM y", locale="fr_FR"),
        "web_url": f"{news.base_url}/editions/{edition.id}",
        "unsubscribe_url": placeholder_of(edition),
        "logo_url": safe_url(config.theme.logo_url),
        "social": [Link(k, safe_url(v)) for k, v in config.theme.social.items() if safe_url(v)],
        "sender_name": sender_name.strip() or news.name,
        "sender_email": sender_rest.rstrip(">").strip() or news.sender,
        "opening": edition.opening
        or wording.opening(plan, edition.period_start, edition.period_end),
        "count": plan.count,
        "totals": [
            (
                wording.money_short(t.value, t.currency),
                wording.plural(t.count, "annonce", "annonces"),
            )
            for t in plan.totals
            if t.currency
        ],
        "totals_text": wording.totals_text(plan.totals),
        "lead": story_view(plan.lead) if plan.lead else None,
        "investments": [story_view(s) for s in plan.investments],
        "rounds": [story_view(s) for s in plan.rounds],
        "brief": [story_view(s) for s in plan.brief],
        "brief_more": "",
        "podium": [story_view(s) for s in plan.podium],
        "sectors": table(plan.sectors, "autre secteur", "autres secteurs"),
        "regions": table(plan.regions, "autre territoire", "autres territoires"),
        "held": plan.held,
    }
