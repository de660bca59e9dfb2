"""The labelled corpus (schema: tests/corpus/README.md): gold stories, items and their mentions.

Two sources, one schema: digest/samples/gold.yaml, whose items are read from the sample feeds
(digest/samples/feeds/*.xml) through the poll stage's own parser and cleaner, and
tests/corpus/*.yaml, whose items carry their text inline.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from digest.models import Amount, Item, Mention, Quantity
from digest.poll.parse import parse_feed

CORPUS_DIR = Path(__file__).resolve().parents[2] / "tests" / "corpus"


class CorpusError(Exception):
    """The corpus files are inconsistent; the message names the file and the item."""


@dataclass
class GoldItem:
    item: Item
    mentions: list[Mention]  # the true mentions, in the item's order
    stories: list[str]  # the gold story key of each mention
    source: str  # the file it came from
    syndicated_from: str | None = None


@dataclass
class Corpus:
    stories: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: list[GoldItem] = field(default_factory=list)

    def by_id(self) -> dict[str, GoldItem]:
        return {g.item.guid: g for g in self.items}


def amount(data: dict[str, Any] | None) -> Amount | None:
    if not data:
        return None
    return Amount(float(data["value"]), data.get("currency"), data.get("qualifier") or "exact")


def quantity(data: dict[str, Any] | None) -> Quantity | None:
    return Quantity(int(data["value"]), data.get("qualifier") or "exact") if data else None


def mention(m: dict[str, Any], item_id: int) -> Mention:
    """A gold mention as the read stage would give it."""
    investors = [str(x) for x in m.get("investors") or []]
    return Mention(
        item_id=item_id,
        kind=m.get("kind") or "investment",
        investor=m.get("investor"),
        beneficiary=m.get("beneficiary"),
        investors=investors,
        lead=investors[0] if investors else None,
        amount=amount(m.get("amount")),
        jobs=quantity(m.get("jobs")),
        country=m.get("country"),
        places=[str(p) for p in m.get("places") or []],
        timeframe=m.get("timeframe"),
        round=m.get("round"),
        story_id=m.get("story"),
    )


def _files(corpus_dir: Path | None) -> list[tuple[str, dict[str, Any]]]:
    """The sample feeds' labels and tests/corpus/*.yaml; or only the files of another folder
    (given, or named by $DIGEST_EVAL_CORPUS), such as the held-out set tests/corpus/heldout."""
    named = os.environ.get("DIGEST_EVAL_CORPUS")
    chosen = corpus_dir or (Path(named).resolve() if named else None)
    gold = resources.files("digest.samples").joinpath("gold.yaml")
    out = []
    if chosen is None and gold.is_file():
        out.append(("digest/samples/gold.yaml", yaml.safe_load(gold.read_text(encoding="utf-8"))))
    folder = chosen or CORPUS_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        out.append((str(path.relative_to(folder.parent)), yaml.safe_load(path.read_text("utf-8"))))
    return out


def _feed_entries(feed: str) -> dict[str, Any]:
    body = resources.files("digest.samples").joinpath("feeds", feed).read_bytes()
    parsed = parse_feed(body)
    if parsed.error:
        raise CorpusError(f"digest/samples/feeds/{feed}: {parsed.error}")
    return {e.guid: e for e in parsed.entries}


def _published(value: Any, where: str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise CorpusError(f"{where}: published must be a date-time with its offset")
    return value.astimezone(UTC)


def load_corpus(corpus_dir: Path | None = None) -> Corpus:
    """Every labelled item with its true mentions; ids are numbered in file order from 1."""
    corpus = Corpus()
    feeds: dict[str, dict[str, Any]] = {}
    outlets: dict[str, int] = {}
    for name, data in _files(corpus_dir):
        for story in (data or {}).get("stories") or []:
            if story["key"] in corpus.stories:
                raise CorpusError(f"{name}: story key {story['key']!r} is used twice")
            corpus.stories[story["key"]] = story
        for raw in (data or {}).get("items") or []:
            where = f"{name}: item {raw.get('id')!r}"
            text, title = raw.get("text"), raw.get("title") or ""
            if text is None:
                if "feed" not in raw or "guid" not in raw:
                    raise CorpusError(f"{where}: no text, and no feed/guid to read it from")
                entries = feeds.setdefault(raw["feed"], _feed_entries(raw["feed"]))
                if raw["guid"] not in entries:
                    raise CorpusError(f"{where}: guid {raw['guid']!r} not in {raw['feed']}")
                entry = entries[raw["guid"]]
                text, title = entry.text, entry.title
            item_id = len(corpus.items) + 1
            outlet = raw.get("outlet") or raw.get("feed") or "?"
            item = Item(
                feed_id=outlets.setdefault(outlet, len(outlets) + 1),
                guid=str(raw["id"]),
                url=raw.get("url") or "",
                title=title,
                text=text,
                published=_published(raw.get("published"), where),
                id=item_id,
                feed_name=outlet,
                lang=raw.get("lang") or "fr",
            )
            gold = [mention(m, item_id) for m in raw.get("mentions") or []]
            keys = [m.get("story") for m in raw.get("mentions") or []]
            corpus.items.append(GoldItem(item, gold, keys, name, raw.get("syndicated_from")))
    ids = [g.item.guid for g in corpus.items]
    if len(ids) != len(set(ids)):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise CorpusError(f"item ids used twice across the corpus: {dup}")
    return corpus
