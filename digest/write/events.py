"""The story of an event (digest/read/events.py): news of a company that is no new deal, told
by one outlet or several. It is written from its pages' titles, never as an investment: its
kind is "event" and it is held with what it is about, so that an editor sees it and no edition
shows it (digest/edition/compose.py leaves it out)."""

from __future__ import annotations

from collections import Counter

from digest.models import Item, Mention, Source, Story
from digest.write.other_news import LABELS, NOT_A_DEAL


def event_story(story_id: str, pairs: list[tuple[Mention, Item]], cited: list[Source]) -> Story:
    """The written story of event mentions: their company, the topics they tell, their pages."""
    names = Counter(m.investor for m, _ in pairs if m.investor)
    topics = list(dict.fromkeys(m.topic for m, _ in pairs if m.topic))
    said = ", ".join(LABELS.get(t, t) for t in topics) or "autre nouvelle"
    company = names.most_common(1)[0][0] if names else None
    return Story(
        id=story_id,
        kind="event",
        investor=company,
        headline=cited[0].title,
        summary=f"{company}\u202f: {said}." if company else f"{said.capitalize()}.",
        sources=cited,
        mention_ids=[m.id for m, _ in pairs if m.id is not None],
        first_published=cited[0].published,
        last_published=max(s.published for s in cited),
        updated_at=max(s.published for s in cited),
        held_reason=NOT_A_DEAL + said,
    )
