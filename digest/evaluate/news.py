"""The real-news corpus (../shared/news-corpus: its README) and its turning into RSS feeds.

The corpus is third-party text: it is read from disk at run time and never copied into the
project. Feeds are made exactly as the corpus README's "Turning it into feeds" says, so that
figures measured by different people compare.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[2]
DEALS = ("funding-round", "investment")
TITLE_CUT = 110
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s|\n")
_SLUG = re.compile(r"[^a-z0-9]+")


def corpus_dir() -> Path:
    """$DIGEST_NEWS_CORPUS, else ../shared/news-corpus beside the repository."""
    override = os.environ.get("DIGEST_NEWS_CORPUS")
    return Path(override) if override else REPO.parent / "shared" / "news-corpus"


@dataclass
class Article:
    id: str
    url: str
    source: str
    language: str
    published: str | None  # YYYY-MM-DD, YYYY-MM or None
    title: str | None
    text: str


@dataclass
class NewsCorpus:
    articles: dict[str, Article]
    clusters: dict[str, dict[str, Any]]  # gold announcements by id (gold.json `clusters`)
    labels: dict[str, dict[str, Any]]  # gold labels of each article by id (gold.json `articles`)

    def deals(self) -> list[dict[str, Any]]:
        """The announcements whose facts are scored: funding rounds and investments."""
        return [c for c in self.clusters.values() if c["kind"] in DEALS]

    def related_pages(self) -> list[str]:
        """Pages about a `related` announcement (news of a company that is not a new deal)."""
        return [
            a
            for a, label in self.labels.items()
            if label.get("primary") and self.clusters[label["primary"]]["kind"] == "related"
        ]

    def about(self, article_id: str) -> str | None:
        """The announcement a page is about: its primary, else the first it reports."""
        label = self.labels.get(article_id) or {}
        return label.get("primary") or next(iter(label.get("mentions") or []), None)


def corpus_for(prog: str, *, optional: bool = False) -> NewsCorpus | None:
    """The corpus, or None once `prog` has said where it looked for it (and, when `optional`,
    that it skips its work)."""
    folder = corpus_dir()
    if not (folder / "gold.json").is_file():
        skipped = "skipped, " if optional else ""
        print(f"{prog}: {skipped}no corpus at {folder} (set DIGEST_NEWS_CORPUS)")
        return None
    return load_news(folder)


def load_news(folder: Path | None = None) -> NewsCorpus:
    """Read articles/*.json and gold.json."""
    folder = folder or corpus_dir()
    articles = {}
    for path in sorted((folder / "articles").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        articles[data["id"]] = Article(
            id=data["id"],
            url=data["url"],
            source=data["source"],
            language=data["language"],
            published=data.get("published"),
            title=data.get("title"),
            text=data["text"],
        )
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return NewsCorpus(
        articles,
        {c["id"]: c for c in gold["clusters"]},
        {a["id"]: a for a in gold["articles"]},
    )


def title_of(article: Article) -> str:
    """The headline, or the text's first sentence cut at 110 characters when there is none."""
    if article.title:
        return article.title
    first = _SENTENCE_END.split(article.text.strip(), maxsplit=1)[0]
    return first[:TITLE_CUT].rstrip()


def as_moment(date: str | None) -> datetime | None:
    """'2024-05-13' → that day 08:00 UTC; '2024-05' → the 15th 08:00 UTC; else None."""
    if not date:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return datetime.fromisoformat(date).replace(hour=8, tzinfo=UTC)
    if re.fullmatch(r"\d{4}-\d{2}", date):
        return datetime.fromisoformat(f"{date}-15").replace(hour=8, tzinfo=UTC)
    return None


def published(corpus: NewsCorpus, article: Article) -> datetime | None:
    """The page's own date, else the date of the announcement it is about, else none."""
    if article.published:
        return as_moment(article.published)
    about = corpus.about(article.id)
    return as_moment(corpus.clusters[about]["date"]) if about else None


def feed_language(articles: list[Article]) -> str:
    """The language of most of a feed's pages (ties: the first page's)."""
    return Counter(a.language for a in articles).most_common(1)[0][0]


def rss(corpus: NewsCorpus, source: str, articles: list[Article]) -> str:
    """One RSS 2.0 document for one outlet."""
    items = []
    for a in articles:
        date = published(corpus, a)
        when = f"<pubDate>{format_datetime(date)}</pubDate>" if date else ""
        items.append(
            f"<item><title>{escape(title_of(a))}</title><link>{escape(a.url)}</link>"
            f'<guid isPermaLink="true">{escape(a.url)}</guid>{when}'
            f"<description>{escape(a.text)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(source)}</title><link>https://example.org/</link>"
        f"<description>{escape(source)}</description>"
        f"<language>{feed_language(articles)}</language>{''.join(items)}</channel></rss>\n"
    )


def by_source(corpus: NewsCorpus) -> dict[str, list[Article]]:
    found: dict[str, list[Article]] = {}
    for article in corpus.articles.values():
        found.setdefault(article.source, []).append(article)
    return found


def write_feeds(corpus: NewsCorpus, folder: Path) -> Path:
    """One feed file per outlet and a feeds.yaml listing them (by path, with their language);
    returns the feeds.yaml."""
    lines = ["feeds:"]
    for n, (source, articles) in enumerate(sorted(by_source(corpus).items())):
        name = f"{n:03d}-{_SLUG.sub('-', source.lower()).strip('-')}.xml"
        (folder / name).write_text(rss(corpus, source, articles), encoding="utf-8")
        lines.append(
            f"  - {{name: {json.dumps(source, ensure_ascii=False)}, url: {name},"
            f" lang: {feed_language(articles)}}}"
        )
    config = folder / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config
