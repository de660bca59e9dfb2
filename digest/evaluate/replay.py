"""The real program over the real-news corpus: feeds on disk, then poll, read, group, write and
one edition for the whole period, in a temporary database. What comes out is what an editor
would see, mapped back to the corpus's article ids."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from digest import flow
from digest.config import Config, load_config
from digest.evaluate.news import NewsCorpus, write_feeds
from digest.models import DEAL_KINDS, Edition, Mention, Story
from digest.poll import poller
from digest.poll.entries import canonical_url
from digest.store import Database, open_db
from digest.store import mentions as mention_store

Step = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Replay:
    stories: list[Story]  # every written story, held ones included
    shown: list[Story]  # the stories the edition shows (not held)
    members: dict[str, set[str]]  # story id → the corpus article ids among its sources
    mentions: dict[str, list[Mention]]  # article id → the mentions the reader found in it
    edition: Edition | None  # None when nothing could be built

    def articles(self, story: Story) -> set[str]:
        return self.members.get(story.id, set())

    @property
    def deal_stories(self) -> list[Story]:
        """The stories of deals: not those of events (news of a company, never an investment)."""
        return [s for s in self.stories if s.kind in DEAL_KINDS]

    def deal_mentions(self, article: str) -> list[Mention]:
        """The mentions of deals (investments, funding rounds) the reader found on a page."""
        return [m for m in self.mentions.get(article, []) if m.kind in DEAL_KINDS]


def _article_of(corpus: NewsCorpus) -> dict[str, str]:
    """URL (as given and canonical) → article id."""
    found = {}
    for a in corpus.articles.values():
        found[a.url] = a.id
        found.setdefault(canonical_url(a.url), a.id)
    return found


def _mentions(db: Database, article_of: dict[str, str]) -> dict[str, list[Mention]]:
    found: dict[str, list[Mention]] = {}
    for item_id, url in db.execute("SELECT id, url FROM items ORDER BY id"):
        article = article_of.get(url) or article_of.get(canonical_url(url))
        if article:
            found.setdefault(article, []).extend(mention_store.of_item(db, item_id))
    return found


def _quiet(_stage: str, _done: int, _total: int) -> None:
    return None


def weeks_of(stories: list[Story]) -> list[datetime]:
    """The Mondays (00:00 UTC) of the weeks in which the stories were announced."""
    found = {
        datetime.combine(s.first_published.date(), time(), UTC)
        - timedelta(days=s.first_published.weekday())
        for s in stories
        if s.first_published
    }
    return sorted(found)


def weekly(db: Database, config: Config, stories: list[Story], out: Path) -> list[Path]:
    """One edition per week of announcements into out/<edition id>/, as `digest build` makes."""
    folders = []
    for monday in weeks_of(stories):
        try:
            _, folder = flow.build(db, config, monday, monday + timedelta(days=7), out)
        except flow.NothingToBuild:
            continue
        folders.append(folder)
    return folders


def replay(
    corpus: NewsCorpus, workdir: Path, step: Step = _quiet, weeks: Path | None = None
) -> Replay:
    """Run poll → read/group/write → build on the corpus's feeds inside workdir (and, given a
    folder, one edition per week of the corpus into it)."""
    config = load_config(write_feeds(corpus, workdir))
    db = open_db(workdir / "digest.db")
    try:
        poller.poll_feeds(db, config, progress=lambda d, t, _name: step("poll", d, t))
        step("read, group, write", 0, 1)
        flow.update(db, config)
        step("read, group, write", 1, 1)
        stories = flow.written(db, None, None)
        step("edition", 0, 1)
        try:
            edition, _ = flow.build(db, config, None, None, workdir / "out")
        except flow.NothingToBuild:
            edition = None
        step("edition", 1, 1)
        if weeks is not None:
            weekly(db, config, stories, weeks)
        article_of = _article_of(corpus)
        members = {
            s.id: {
                article_of.get(x.url) or article_of.get(canonical_url(x.url), "") for x in s.sources
            }
            - {""}
            for s in stories
        }
        mentions = _mentions(db, article_of)
    finally:
        db.close()
    shown = [s for s in edition.stories if not s.held_reason] if edition else []
    return Replay(stories, shown, members, mentions, edition)


@contextmanager
def progress_bar() -> Iterator[Step]:
    """A rich progress bar on a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        yield _quiet
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    with Progress(
        TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(), transient=True
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def step(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield step


def run(corpus: NewsCorpus, weeks: Path | None = None) -> Replay:
    """replay() in a temporary folder, with a progress bar on a terminal."""
    with tempfile.TemporaryDirectory(prefix="digest-eval-real-") as tmp, progress_bar() as step:
        return replay(corpus, Path(tmp), step, weeks)
