"""What an editor sees in the edition built from the real-news corpus: how many shown stories
are a right deal, how many announcements get one, which are shown twice, which related items
are shown as investments, and whether the hold check holds the wrong stories."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from digest.evaluate.deals import Share, right, right_deal
from digest.evaluate.news import NewsCorpus
from digest.evaluate.replay import Replay
from digest.models import Story


@dataclass
class EditorView:
    shown: int
    story_precision: Share  # shown stories that are a right deal
    deal_recall: Share  # announcements (funding rounds, investments) shown as a right deal
    duplicates: list[str]  # announcements shown by two stories or more
    related_shown: list[str]  # pages of `related` announcements inside a shown story
    hold_precision: Share  # held stories that are wrong
    hold_recall: Share  # wrong stories that are held
    wrong_shown: list[str] = field(default_factory=list)  # ids of shown stories not a right deal


def overlapping(
    story: Story, members: set[str], clusters: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    return [c for c in clusters if members & set(c["articles"])]


def is_right(story: Story, members: set[str], deals: list[dict[str, Any]]) -> bool:
    """A right deal for one of the announcements whose pages it holds."""
    return any(right_deal(story, c) for c in overlapping(story, members, deals))


def view(corpus: NewsCorpus, run: Replay) -> EditorView:
    deals = corpus.deals()
    stories = run.deal_stories  # an event's story is held as such, not by the hold check
    good = {s.id: is_right(s, run.articles(s), deals) for s in stories}
    shows: dict[str, list[str]] = {}
    told: set[str] = set()
    for s in run.shown:
        for c in overlapping(s, run.articles(s), deals):
            if right("company", s, c):
                shows.setdefault(c["id"], []).append(s.id)
            if right_deal(s, c):
                told.add(c["id"])
    related = set(corpus.related_pages())
    held = [s for s in stories if s.held_reason]
    wrong = [s for s in stories if not good[s.id]]
    return EditorView(
        shown=len(run.shown),
        story_precision=Share(sum(good[s.id] for s in run.shown), len(run.shown)),
        deal_recall=Share(len(told), len(deals)),
        duplicates=sorted(c for c, ss in shows.items() if len(ss) > 1),
        related_shown=sorted(related & {a for s in run.shown for a in run.articles(s)}),
        hold_precision=Share(sum(not good[s.id] for s in held), len(held)),
        hold_recall=Share(sum(bool(s.held_reason) for s in wrong), len(wrong)),
        wrong_shown=[s.id for s in run.shown if not good[s.id]],
    )
