"""Write: a story's mentions → merged facts, conflicts, a French headline and summary.

Pure core `write_story`; `write_stories` (re)writes every story whose mentions changed. The
text is built from the merged facts only and checked against the sources: a story whose text
says anything no source says is held back (`held_reason`), shown to the editor, never sent.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import Protocol

from digest.language import french
from digest.language.fold import fold
from digest.language.labels import conflict_label, round_phrases
from digest.language.names import Aliases
from digest.models import DEAL_KINDS, Item, Mention, MentionKind, Source, Story
from digest.write import confidence, fusion, grounding, prose, traceability
from digest.write.actor import held_actor
from digest.write.background import about_another
from digest.write.events import event_story
from digest.write.other_news import other_news
from digest.write.recalled import read_twice, recalled_only
from digest.write.settings import WriteSettings

log = logging.getLogger(__name__)
# stored texts are rewritten when this changes: bump it when the fusion or the check changes
VERSION = f"write-8:{prose.fingerprint()}"


def sources(pairs: list[tuple[Mention, Item]]) -> list[Source]:
    """One Source per distinct item (an article seen through two feeds is one), oldest first."""
    seen: dict[str, Source] = {}
    for _, item in sorted(pairs, key=lambda p: (p[1].published, p[1].url)):
        seen.setdefault(
            item.url or f"item:{item.id}",
            Source(item.url, item.title, item.feed_name, item.published),
        )
    return list(seen.values())


def held_reason(
    story: Story, own: traceability.Found, whole: traceability.Found, aliases: Aliases
) -> str | None:
    """The traceability check: None when every number, name and place of the text is in the
    story's own sentences (its actors' names in its items; see digest/grounding.py)."""
    actors = [n for n in (story.investor, story.beneficiary) if n]
    cited = [s.feed for s in story.sources]
    cited += [n for n in actors if grounding.named(whole, n, aliases)]
    cited += [n for n in story.investors if grounding.named(own, n, aliases)]
    text = f"{story.headline}. {story.summary}" if story.headline else story.summary
    missing = traceability.problems(text, own, cited)
    if not missing:
        return None
    return "Absent des sources\u202f: " + ", ".join(dict.fromkeys(missing))


def plain(text: str) -> str:
    """One apostrophe in what we write: the typewriter one ('d’ici 2027' → "d'ici 2027")."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def _plain_facts(facts: fusion.Facts) -> None:
    """The facts' words with plain apostrophes, as our phrases write them."""
    facts.investor = plain(facts.investor) if facts.investor else None
    facts.beneficiary = plain(facts.beneficiary) if facts.beneficiary else None
    facts.timeframe = plain(facts.timeframe) if facts.timeframe else None
    facts.event = plain(facts.event) if facts.event else None
    facts.locations = [plain(p) for p in facts.locations]
    facts.investors = [plain(n) for n in facts.investors]
    facts.figures = [
        replace(f, timeframe=plain(f.timeframe) if f.timeframe else None) for f in facts.figures
    ]
    facts.parts = [replace(p, purpose=plain(p.purpose)) for p in facts.parts]
    for r in facts.rivals:
        r.text = plain(r.text)
    for c in facts.conflicts:
        for v in c.values:
            v.value = plain(v.value)


def write_story(
    story_id: str,
    pairs: list[tuple[Mention, Item]],
    settings: WriteSettings,
    *,
    shared: Collection[int] = (),
    others: Collection[str] = (),
) -> Story:
    """The written story of these mentions (pure: same input, same text).

    shared: ids of the items that also carry another story's mention (round-ups): only this
    story's sentences of them count as its sources (digest/grounding.py); others: the actors of
    other stories, whose sentences in those items are not this story's.
    """
    if not pairs:
        raise ValueError(f"story {story_id!r} has no mention to write from")
    pairs = sorted(pairs, key=lambda p: (p[1].published, p[1].id or 0, p[0].id or 0))
    deals = [p for p in pairs if p[0].kind in DEAL_KINDS]
    if not deals:  # news of a company, no deal: never written as an investment
        return event_story(story_id, pairs, sources(pairs))
    pairs = deals
    merged = fusion.merge(pairs, settings)
    _plain_facts(merged)
    foreign = grounding.foreign_sentences(pairs, shared, others, settings.aliases)
    own = traceability.found(grounding.own_texts(pairs, shared, foreign))
    whole = traceability.found(grounding.item_texts(pairs))
    country = merged.country
    dropped = grounding.prune(merged, own, settings.aliases)
    if dropped:
        log.info("unsupported facts dropped story=%s facts=%r", story_id, dropped)
    kinds = Counter(m.kind for m, _ in pairs)
    kind: MentionKind
    kind = "funding_round" if kinds["funding_round"] > kinds["investment"] else "investment"
    cited = sources(pairs)
    # a country only inferred from a city is shown beside it, never written in the text
    shown = merged.country or (country if grounding.located(country, merged.locations) else None)
    story = Story(
        id=story_id,
        kind=kind,
        investor=merged.investor,
        beneficiary=merged.beneficiary,
        investors=merged.investors,
        country=shown,
        locations=merged.locations,
        amount=merged.amount,
        parts=merged.parts,
        jobs=merged.jobs,
        timeframe=merged.timeframe,
        sector=merged.sector,
        event=merged.event,
        round=merged.round,
        figures=merged.figures,
        conflicts=merged.conflicts,
        sources=cited,
        mention_ids=[m.id for m, _ in pairs if m.id is not None],
        first_published=cited[0].published,
        last_published=max(s.published for s in cited),
    )
    story.updated_at = story.last_published
    written = prose.headline(story_id, kind, merged)
    story.headline = plain(written) if written else ""  # a title kept is a source's own words
    story.summary = plain(prose.summary(story_id, kind, merged))
    texts = [t for t, _ in grounding.item_texts(pairs)]
    story.held_reason = (
        grounding.misread_amount(pairs, foreign, merged.amount)
        or held_actor([story.beneficiary or story.investor], texts)
        or held_reason(story, own, whole, settings.aliases)
    )
    story.headline = story.headline or cited[0].title
    return story


class WriteStore(Protocol):
    """What writing asks of a store (digest.store.written.WrittenStore over SQLite)."""

    def actors(self) -> set[str]: ...
    def stale(self, version: str) -> list[tuple[str, str]]: ...
    def pairs(self, story_id: str) -> list[tuple[Mention, Item]]: ...
    def shared_items(self, story_id: str) -> set[int]: ...
    def mentions_on(self, item_ids: set[int]) -> dict[int, list[Mention]]: ...
    def pages_of(self, story_ids: set[str]) -> dict[str, int]: ...
    def save_many(self, written: list[tuple[Story, str]]) -> None: ...


def write_stories(store: WriteStore, settings: WriteSettings) -> list[Story]:
    """(Re)write every story whose mentions changed since it was last written."""
    done: list[tuple[Story, str]] = []
    known = store.actors()
    for story_id, signature in store.stale(VERSION):
        pairs = store.pairs(story_id)
        shared = store.shared_items(story_id)
        story = write_story(story_id, pairs, settings, shared=shared, others=known)
        if story.kind == "event":  # held as such: the checks of a deal's story are not for it
            done.append((story, signature))
            continue
        neighbours = store.mentions_on(shared) if shared else {}
        actor = recalled_only(story_id, pairs, neighbours) if shared else None
        if actor:
            story.held_reason = f"Seulement rappelé dans l'annonce d'un autre projet\u202f: {actor}"
        twin = read_twice(pairs, neighbours) if shared and not story.held_reason else None
        if twin:
            story.held_reason = f"Le même montant est le projet nommé en titre\u202f: {twin}"
        story.held_reason = story.held_reason or other_news(pairs, neighbours)
        sizes = store.pages_of(confidence.stories_on(neighbours) | {story_id})
        if not story.held_reason:
            actor = confidence.actor_of(story) or ""
            story.held_reason = about_another(story, actor, pairs, neighbours, sizes)
        if not story.held_reason:
            story.held_reason = confidence.doubt(story, pairs, neighbours, sizes)
        if story.held_reason:
            log.warning("story held id=%s reason=%r", story.id, story.held_reason)
        done.append((story, signature))
    store.save_many(done)
    log.info("written stories=%d held=%d", len(done), sum(bool(s.held_reason) for s, _ in done))
    return [s for s, _ in done]


def importance(story: Story) -> tuple[float, int, int]:
    """Larger amounts first, then stories told by more outlets, then more jobs."""
    return (
        story.amount.value if story.amount else 0.0,
        len({s.feed for s in story.sources}),
        story.jobs.value if story.jobs else 0,
    )


def ranked(stories: Iterable[Story]) -> list[Story]:
    """The most important first (ties by id)."""
    return sorted(stories, key=lambda s: (tuple(-x for x in importance(s)), s.id))


def sources_line(story: Story) -> str:
    """'Sources : Le Fil Tech, Tech Matin et L'Écho des startups' (the links are the render's)."""
    outlets = list(dict.fromkeys(s.feed for s in story.sources))
    return f"Source{'s' if len(outlets) > 1 else ''}\u202f: {french.join(outlets)}"


def _changes(previous: Story, current: Story) -> list[str]:
    """The facts current adds to or changes in previous, as French phrases."""
    say = prose.phrases()["update"]
    out = []
    before, now_ = previous.amount, current.amount
    if now_ and not before:
        out.append(say["amount_new"].format(value=french.amount(now_)))
    elif now_ and before and (now_.currency, now_.value) != (before.currency, before.value):
        out.append(
            say["amount_changed"].format(value=french.amount(now_), before=french.amount(before))
        )
    if current.jobs and not previous.jobs:
        out.append(say["jobs_new"].format(value=french.jobs(current.jobs)))
    elif current.jobs and previous.jobs and current.jobs.value != previous.jobs.value:
        out.append(
            say["jobs_changed"].format(
                value=french.jobs(current.jobs), before=french.number(previous.jobs.value, 0)
            )
        )
    if current.timeframe and (
        not previous.timeframe
        or fusion.timeframe_key(current.timeframe) != fusion.timeframe_key(previous.timeframe)
    ):
        out.append(say["timeframe"].format(value=current.timeframe))
    known = {fold(p) for p in previous.locations}
    added = [p for p in current.locations if fold(p) not in known]
    if added:
        out.append(say["place" if len(added) == 1 else "places"].format(value=french.join(added)))
    known = {fold(p) for p in previous.investors}
    added = [p for p in current.investors if fold(p) not in known]
    if added:
        shape = say["investor" if len(added) == 1 else "investors"]
        out.append(shape.format(value=french.join(added)))
    said = round_phrases(current.round) if current.round else None
    if said and current.round != previous.round:
        out.append(say["round"].format(value=french.de(said[1])))
    kinds = {f.kind for f in previous.figures}
    figures = prose.figures_phrase([f for f in current.figures if f.kind not in kinds])
    if figures:
        out.append(say["figures"].format(value=figures))
    fields = {c.field for c in previous.conflicts}
    disputed = [conflict_label(c.field) for c in current.conflicts if c.field not in fields]
    if disputed:
        out.append(say["conflict"].format(value=french.join(list(dict.fromkeys(disputed)))))
    return out


def update_note(previous: Story, current: Story) -> str | None:
    """What a story sent before says now that it did not ('Mise à jour : …'); None when it
    brings no new fact (new articles alone are not news): then it is not shown again."""
    changes = _changes(previous, current)
    if not changes:
        return None
    return prose.phrases()["update"]["prefix"] + french.join(changes) + "."


def since_sent(stories: list[Story], sent_before: dict[str, Story]) -> list[Story]:
    """Stories already sent come back only with new facts, marked with what changed."""
    kept = []
    for story in stories:
        previous = sent_before.get(story.id)
        if previous is None:
            kept.append(story)
            continue
        note = update_note(previous, story)
        if note:
            kept.append(replace(story, update_note=note))
    return kept
