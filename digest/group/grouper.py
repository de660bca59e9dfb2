"""Group stage: mentions → stories, incrementally.

A new mention first follows its item's earlier copy (a syndicated near-duplicate), else joins
the best-fitting open story among the candidates its keys find in an index (identity, entity,
week; `digest.keys`), else recalls an older story of the same deal, else opens a new story. The
mentions of one item are placed jointly. A batch is taken in (published, guid, outlet, ordinal)
order and the stories it touched are then reconciled with the open stories they fit both ways,
so the outcome does not depend on which feed came first. Nothing is recomputed on a poll.
An undated page (its feed gave no date: it is dated when polled) recalls a deal of any time
when only one fits, and never moves a story's dates.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from digest.codec import dumps
from digest.group.copies import NearDuplicates, Signature, as_signature, bands, signature
from digest.group.fit import (
    WEIGHTS,
    Evidence,
    Profile,
    Weights,
    as_evidence,
    day_of,
    evidence,
    fit,
    fit_stories,
    headlined,
    item_key,
    misread,
    named,
    recalls,
    same_figure,
    top,
    unnamed,
)
from digest.group.keys import (
    filed,
    index_keys,
    lookup_keys,
    recall_keys,
    story_id_for,
    week,
    weeks,
)
from digest.group.similarity import Vocabulary, cosine
from digest.language.fold import name_key
from digest.models import Item, Mention
from digest.store.stories import Batch, Filed, Original, Row

if TYPE_CHECKING:
    from digest.config import Config

log = logging.getLogger(__name__)
CHUNK = 2000  # pending mentions placed per transaction


@dataclass(frozen=True)
class GroupSettings:
    window_days: float = 14.0
    threshold: float = 0.5
    near_duplicate: float = 0.7
    copy_days: float = 3.0  # a syndicated copy appears within days of its original
    recall_days: float = 400.0  # how far back a mention may recall a past deal (see `recalls`)
    weights: Weights = WEIGHTS  # the fitted part of `fit` (digest.evaluate.tune)

    @classmethod
    def of(cls, config: Config) -> GroupSettings:
        g = config.grouping
        return cls(
            window_days=float(g.window_days),
            threshold=g.threshold,
            near_duplicate=g.near_duplicate,
            recall_days=float(max(g.recall_days, g.window_days)),
        )


def order_key(item: Item, ordinal: int) -> tuple:
    """The batch order that makes grouping independent of polling order."""
    return (item.published, item.guid or item.url, item.feed_name, ordinal)


class GroupStore(Protocol):
    """What grouping asks of a store (digest.store.grouping.StoryStore over SQLite)."""

    def transaction(self) -> AbstractContextManager[Any]: ...
    def pending(self, limit: int | None = None) -> list[Row]: ...
    def live(self, ids: Iterable[str]) -> list[str]: ...
    def mentions_of(self, story_id: str) -> list[Row]: ...
    def exists(self, story_id: str) -> bool: ...
    def candidate_ids(self, wanted: dict[str, tuple[int, int]]) -> set[str]: ...
    def profiles(self, ids: Iterable[str]) -> list[str]: ...
    def frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int]: ...
    def originals(
        self, band_keys: Iterable[int], item_ids: Iterable[int], weeks: range
    ) -> list[Original]: ...
    def save(self, batch: Batch) -> None: ...


def rebuilt(rows: Sequence[Row], story_id: str, pinned: bool) -> Profile | None:
    """A story's profile recomputed from the mentions it has now (after an editor moved some,
    or the read stage replaced an updated item's mentions); None when none is left."""
    ordered = sorted(rows, key=lambda r: order_key(r.item, r.ordinal))
    found = [evidence(r.mention, r.item) for r in ordered]
    if not found:
        return None
    days = [f.day for f in found if f.dated] or [f.day for f in found]
    profile = Profile(
        id=story_id, first=min(days), last=max(days), dated=any(f.dated for f in found)
    )
    for f in found:
        profile.absorb(f)
    profile.pinned = pinned
    return profile


def filing(p: Profile) -> Filed:
    """What the store keeps of a story's profile: the JSON, its kind, its index rows."""
    return Filed(p.id, dumps(p), top(p.kinds) or "investment", filed(p))


def _placed(original: Original) -> list[tuple[frozenset[str], str]]:
    """The names (folded) of each placed mention of a stored item, with its story."""
    out = []
    for m, story_id in original.placed:
        names = [m.investor, m.beneficiary, *m.investors]
        out.append((frozenset(name_key(n) for n in names if n) - {""}, story_id))
    return out


def nearest(found: Sequence[Profile], near: Sequence[Profile], margin: float) -> str | None:
    """Of the stories an undated page may recall, the one nearest in time to the dated stories
    its other mentions joined, when the next is farther by more than margin days; None when
    they do not tell (an undated page cannot tell which of two such deals it lists)."""
    if not near:
        return None
    days = sorted((p.first + p.last) / 2 for p in near)
    day = days[len(days) // 2]
    gaps = sorted((max(0.0, p.first - day, day - p.last), p.id) for p in found)
    return gaps[0][1] if gaps[1][0] - gaps[0][0] > margin else None


def closest(f: Evidence, found: Sequence[Profile]) -> list[Profile]:
    """Of the stories an undated page may recall, those whose figure is nearest the one it
    states ("40,5 M€" recalls the 40,5 M€ round, not a later page's rounded "40 M€")."""

    def gap(p: Profile) -> float:
        ratios = [max(a, v) / min(a, v) for a, _ in f.amounts for v, _ in p.amounts if a and v]
        return min(ratios, default=float("inf"))

    best = min(map(gap, found), default=float("inf"))
    return [p for p in found if gap(p) == best]


class Grouper:
    """The incremental core: feed it (Mention, Item) pairs; it returns a story id for each."""

    def __init__(
        self,
        settings: GroupSettings | None = None,
        vocabulary: Vocabulary | None = None,
        taken: Callable[[str], bool] | None = None,
    ) -> None:
        self.settings = settings or GroupSettings()
        self.vocabulary = vocabulary or Vocabulary()
        self.stories: dict[str, Profile] = {}
        self.index: dict[str, dict[int, set[str]]] = {}
        self.copies = NearDuplicates(self.settings.near_duplicate, 2 * self.settings.copy_days)
        self.item_stories: dict[str, list[tuple[frozenset[str], str]]] = {}
        self.item_ids: dict[int, str] = {}
        self.touched: set[str] = set()
        self.fresh: set[str] = set()  # touched since the last reconcile
        self.merged: dict[str, str] = {}  # story merged by reconcile → the story it went into
        self.created: list[str] = []
        self.examined = 0  # (mention or story, story) pairs weighed: the work, machine-free
        self.signatures: dict[str, Signature] = {}
        self._taken = taken or (lambda _id: False)

    # loading what a store already knows
    def load(self, profile: Profile) -> None:
        """Make a stored story a candidate."""
        if profile.id not in self.stories:
            self.stories[profile.id] = profile
            self._index(profile, weeks(profile.first, profile.last))

    def load_item(
        self,
        key: str,
        sig: Signature,
        placed: Iterable[tuple[frozenset[str], str]],
        item_id: int | None = None,
    ) -> None:
        """Make a stored item findable as the original of a later copy."""
        self.copies.add(key, sig)
        self.item_stories.setdefault(key, []).extend(placed)
        if item_id is not None:
            self.item_ids[item_id] = key

    # grouping
    def group(self, pairs: Sequence[tuple[Mention, Item]]) -> list[str]:
        """Place a batch, in the order-independent order; ids come back in the input order."""
        ordinals: dict[str, int] = {}
        numbered = []
        for n, (mention, item) in enumerate(pairs):
            k = item_key(item)
            ordinal = ordinals[k] = ordinals.get(k, -1) + 1
            numbered.append((order_key(item, ordinal), n, k, mention, item, ordinal))
        out = [""] * len(pairs)
        by_item: dict[str, list[tuple[int, Mention, Item, int]]] = {}
        for _, n, k, mention, item, ordinal in sorted(numbered, key=lambda t: (t[0], t[1])):
            by_item.setdefault(k, []).append((n, mention, item, ordinal))
        for rows in by_item.values():  # dicts keep the sorted order of first appearance
            placed = self.place_item(rows[0][2], [(evidence(m, i), o) for _, m, i, o in rows])
            for (n, *_), sid in zip(rows, placed, strict=True):
                out[n] = sid
        self.reconcile()
        return [self.resolve(sid) for sid in out]

    def resolve(self, sid: str) -> str:
        """The story a story id now stands for (itself unless it was merged)."""
        while sid in self.merged:
            sid = self.merged[sid]
        return sid

    def reconcile(self) -> list[tuple[str, str]]:
        """Merge each story touched by the batch with an open story it fits both ways, the later
        into the earlier: a story opened by a thin follow-up that came first meets its deal."""
        done: list[tuple[str, str]] = []
        fresh, self.fresh = self.fresh - set(self.merged), set()
        queue = sorted(fresh, key=lambda s: (self.stories[s].first, s))
        while queue:
            sid = queue.pop(0)
            if sid in self.merged:
                continue
            a = self.stories[sid]
            best: tuple[float, float, str] | None = None
            for other in sorted(self._story_candidates(a) - {sid}):
                b = self.stories[other]
                self.examined += 1
                score = fit_stories(
                    a, b, self.vocabulary, self.settings.window_days, self.settings.weights
                )
                if score is not None and score >= self.settings.threshold:
                    rank = (-score, b.first, other)
                    best = rank if best is None or rank < best else best
            if best is None:
                found = self._recalled_story(a)
                if found is None:
                    continue
                best = (0.0, 0.0, found)
            keep, gone = sorted([sid, best[2]], key=lambda s: (self.stories[s].first, s))
            self._merge(keep, gone)
            done.append((gone, keep))
            queue.insert(0, keep)
        return done

    def _known_figure(self, f: Evidence) -> bool:
        """An older story of the mention's company states its figure."""
        if not f.amounts or not f.identities():
            return False
        for sid in self.candidates(f, recall=True):
            p = self.stories[sid]
            if (
                sid not in self.merged
                and p.first <= f.day
                and any(named(k, p.identities()) for k in f.identities())
                and same_figure(f.amounts, p.amounts, self.settings.weights)
            ):
                return True
        return False

    def _recalled_story(self, a: Profile) -> str | None:
        """The one story beyond the window that a story and it recall of each other (`recalls`:
        the same company's same figure, nothing against it) on pages alike: one deal whose
        pages were dated just too far apart to meet (a page dated only by its month)."""
        if a.pinned or not a.dated:
            return None
        w = self.settings.weights
        found = []
        for other in sorted(self.candidates(as_evidence(a, a), recall=True) - {a.id}):
            b = self.stories.get(other)
            if b is None or other in self.merged or b.pinned or not b.dated:
                continue
            if set(a.items) & set(b.items) or cosine(a.page, b.page, self.vocabulary) < w.same_page:
                continue
            self.examined += 1
            if recalls(as_evidence(a, b), b, self.vocabulary, w, alone=True) and recalls(
                as_evidence(b, a), a, self.vocabulary, w, alone=True
            ):
                found.append(other)
        return found[0] if len(found) == 1 else None

    def _story_candidates(self, p: Profile) -> set[str]:
        """Open stories a story would find if it were one mention (same keys, same window)."""
        span = weeks(p.first - self.settings.window_days, p.last + self.settings.window_days)
        found: set[str] = set()
        for k in lookup_keys(as_evidence(p, p)):
            by_week = self.index.get(k, {})
            for w in span:
                found |= by_week.get(w, set())
        return {s for s in found if s not in self.merged}

    def _merge(self, keep: str, gone: str) -> None:
        self.stories[keep].absorb_profile(self.stories[gone])
        self.merged[gone] = keep
        self.touched.add(keep)
        self._index(self.stories[keep], weeks(self.stories[keep].first, self.stories[keep].last))

    def add(self, mention: Mention, item: Item, ordinal: int = 0) -> str:
        """Place one mention; returns its story id."""
        return self.place_item(item, [(evidence(mention, item), ordinal)])[0]

    def place_item(self, item: Item, mentions: Sequence[tuple[Evidence, int]]) -> list[str]:
        """Place the mentions of one item (evidence, ordinal): first those that follow a copy, then
        the best (mention, story) fits, best first, one story per mention, then recalls of older
        deals (an undated page's ambiguous ones last, dated by the others), then new stories.
        Joint, so a stray mention cannot take its neighbour's story."""
        if item.id is not None:
            self.item_ids[item.id] = item_key(item)
        out: list[str | None] = [None] * len(mentions)
        for n, (f, _) in enumerate(mentions):
            sid = self._follow_copy(f, item)
            if sid and sid not in out:
                out[n] = sid
                self._join(sid, f)
        options = sorted(
            (rank, n)
            for n, (f, _) in enumerate(mentions)
            if out[n] is None
            for rank in self._fits(f)
        )
        for (_, _, sid), n in options:
            if out[n] is None and sid not in out:
                out[n] = sid
                self._join(sid, mentions[n][0])
        # a page that tells a company alone lists its deal; so does a page whose title tells
        # the deal (the company and its figure), and a page whose every figure for the company
        # is one an older story of it states, none this period's deal (it restates them; a
        # page that recalls an old deal beside the news joins the news first)
        known = [out[n] is None and self._known_figure(f) for n, (f, _) in enumerate(mentions)]
        alone = []
        for n, (f, _) in enumerate(mentions):
            others = [
                m
                for m, (g, _) in enumerate(mentions)
                if m != n and any(named(k, g.identities()) for k in f.identities())
            ]
            restated = known[n] and all(known[m] for m in others)
            alone.append(not others or restated or headlined(f, self.settings.weights))
        for n, (f, _) in enumerate(mentions):  # recalls that need no help first: they date
            if out[n] is None:  # an undated page for the others
                recalled = self._recall(f, exclude=out, alone=alone[n])
                if recalled:
                    out[n] = recalled
                    self._join(recalled, f)
        for n, (f, ordinal) in enumerate(mentions):
            if out[n] is None:
                near = [self.stories[s] for s in out if s and self.stories[s].dated]
                sid = self._recall(f, out, alone[n], near) if near and not f.dated else None
                sid = sid or self._create(f, item, ordinal)
                out[n] = sid
                self._join(sid, f)
        self.signatures.pop(item_key(item), None)  # the index holds it now
        return [sid or "" for sid in out]

    def candidates(self, f: Evidence, recall: bool = False) -> set[str]:
        """Stories sharing a key with the mention, active within the window of its date (or,
        to recall an older deal, sharing a deal key within the recall span)."""
        days = self.settings.recall_days if recall else self.settings.window_days
        span = weeks(f.day - days, f.day + days)
        found: set[str] = set()
        for k in recall_keys(f) if recall else lookup_keys(f):
            by_week = self.index.get(k)
            if by_week:
                for w in by_week if recall and not f.dated else span:  # undated: any time
                    found |= by_week.get(w, set())
        return found

    def _fits(self, f: Evidence) -> list[tuple[float, float, str]]:
        """(−fit, first day, id) of every open story the mention fits above the threshold."""
        out = []
        for sid in self.candidates(f):
            if sid in self.merged:
                continue
            p = self.stories[sid]
            self.examined += 1
            score = fit(f, p, self.vocabulary, self.settings.window_days, self.settings.weights)
            if score is not None and score >= self.settings.threshold:
                out.append((-score, p.first, sid))
        return out

    def _recall(
        self,
        f: Evidence,
        exclude: Sequence[str | None] = (),
        alone: bool = False,
        near: Sequence[Profile] = (),
    ) -> str | None:
        """The latest older story whose deal the mention recalls (identity keys only); `alone`:
        no other mention of its page names the same company (see `recalls`). An undated page
        recalls a deal of any time, when only one fits, or when one is clearly nearest the
        deals its other mentions joined (`near`: a round-up is dated by what it lists)."""
        if not f.identities():
            return None
        found = [
            self.stories[sid]
            for sid in self.candidates(f, recall=True)
            if sid not in self.merged
            and sid not in exclude
            and recalls(f, self.stories[sid], self.vocabulary, self.settings.weights, alone)
        ]
        if not f.dated and len(found) > 1:
            found = closest(f, found)
        if not f.dated and len(found) > 1:
            return nearest(found, near, self.settings.window_days)
        older = [p for p in found if p.first <= f.day] or found  # a later story is a last resort
        return max(older, key=lambda p: (p.last, p.id)).id if older else None

    def _follow_copy(self, f: Evidence, item: Item) -> str | None:
        """A syndicated copy's mention joins the story of the original's matching mention."""
        key = item_key(item)
        if key not in self.signatures:
            self.signatures[key] = signature(item.title, item.text)
        original = self.item_ids.get(item.duplicate_of) if item.duplicate_of else None
        if original is None or original == key:
            original = self.copies.find(self.signatures[key], exclude=[key])
        if original is None:
            return None
        mine = f.identities()
        matches = {self.resolve(s) for ids, s in self.item_stories.get(original, []) if ids & mine}
        matches = {
            sid
            for sid in matches
            if sid in self.stories
            and fit(
                f,
                self.stories[sid],
                self.vocabulary,
                self.settings.copy_days,
                self.settings.weights,
            )
            is not None
        }
        return min(matches) if len(matches) == 1 else None

    def _create(self, f: Evidence, item: Item, ordinal: int) -> str:
        base = story_id_for(item, ordinal)
        sid, n = base, 1
        while sid in self.stories or self._taken(sid):
            n += 1
            sid = f"{base}-{n}"
        self.stories[sid] = Profile(id=sid, first=f.day, last=f.day, dated=f.dated)
        self.created.append(sid)
        return sid

    def _join(self, sid: str, f: Evidence) -> None:
        p = self.stories[sid]
        mine = f.identities()
        if (
            mine
            and not any(named(k, p.identities()) for k in mine)
            and misread(f, p, self.settings.weights)
        ):
            f = unnamed(f)  # the story keeps its own names, never the reader's wrong one
        p.absorb(f)
        self.vocabulary.add([*f.terms, *f.page])
        self._index(p, weeks(f.day, f.day) if f.dated else weeks(p.first, p.last))
        self.touched.add(sid)
        self.fresh.add(sid)
        self.item_stories.setdefault(f.item, []).append((frozenset(f.identities()), sid))
        if f.item not in self.copies.signatures and f.item in self.signatures:
            for old in self.copies.add(f.item, self.signatures[f.item], f.day):
                self.item_stories.pop(old, None)

    def _index(self, p: Profile, span: range) -> None:
        for k in index_keys(p):
            by_week = self.index.setdefault(k, {})
            for w in span:
                by_week.setdefault(w, set()).add(p.id)


def group_pending(store: GroupStore, settings: GroupSettings) -> list[str]:
    """Assign every mention whose story_id IS NULL; return the ids of the stories touched.

    Pending mentions are taken CHUNK at a time (whole items), each chunk in one write
    transaction, so two processes never place the same mention and a big backlog does not hold
    the database for long.
    """
    touched: set[str] = set()
    while True:
        with store.transaction():
            rows = store.pending(CHUNK)
            if not rows:
                break
            touched |= _group_batch(store, settings, rows)
    return store.live(touched)


def _group_batch(store: GroupStore, settings: GroupSettings, rows: list[Row]) -> set[str]:
    """Place one chunk of pending mentions. Only what it needs is loaded: the stories its keys
    find in the index, the document frequencies of its terms, and the stored items that share
    a MinHash band with its items."""
    rows = sorted(rows, key=lambda r: order_key(r.item, r.ordinal))
    batch = [(r, evidence(r.mention, r.item)) for r in rows]
    wanted: dict[str, tuple[int, int]] = {}
    for _, f in batch:
        for keys, days, recall in (
            (lookup_keys(f), settings.window_days, False),
            (recall_keys(f), settings.recall_days, True),
        ):
            span = weeks(f.day - days, f.day + days)
            if recall and not f.dated:  # an undated page recalls a deal of any time
                span = range(0, span.stop)
            for k in keys:
                lo, hi = wanted.get(k, (span.start, span.stop - 1))
                wanted[k] = (min(lo, span.start), max(hi, span.stop - 1))
    loaded: list[Profile] = []
    stale: list[str] = []
    emptied: list[str] = []
    reread = {item_key(r.item) for r, _ in batch}
    for text in store.profiles(store.candidate_ids(wanted)):
        p = Profile(**json.loads(text))  # plain JSON fields only
        if reread & set(p.items):  # an updated item read again: its old mentions are gone
            fresh = rebuilt(store.mentions_of(p.id), p.id, p.pinned)
            (stale if fresh else emptied).append(p.id)
            if fresh is None:
                continue
            p = fresh
        loaded.append(p)
    terms = {t for _, f in batch for t in (*f.terms, *f.page)}
    terms |= {t for p in loaded for t in (*p.terms, *p.page)}
    grouper = Grouper(settings, Vocabulary(*store.frequencies(terms)), taken=store.exists)
    for p in loaded:
        grouper.load(p)
    grouper.touched.update(sid for sid in stale if sid in grouper.stories)
    new_items = {r.mention.item_id: r.item for r, _ in batch}
    sigs = {i: signature(item.title, item.text) for i, item in new_items.items()}
    for item_id, item in new_items.items():
        grouper.signatures[item_key(item)] = sigs[item_id]
    duplicate_of = [i.duplicate_of for i in new_items.values() if i.duplicate_of]
    band_keys = [b for sig in sigs.values() for b in bands(sig)]
    published = [i.published for i in new_items.values()]
    margin = timedelta(days=settings.copy_days)
    span = weeks(day_of(min(published) - margin), day_of(max(published)))
    for o in store.originals(band_keys, duplicate_of, span):
        sig = as_signature(o.signature)
        grouper.load_item(item_key(o.item), sig, _placed(o), o.item.id)
    placed: list[tuple[int, str]] = []
    start = 0
    for end in range(1, len(batch) + 1):  # rows come in (published, guid, ordinal) order
        if end == len(batch) or batch[end][0].item.id != batch[start][0].item.id:
            same = batch[start:end]
            sids = grouper.place_item(same[0][0].item, [(f, r.ordinal) for r, f in same])
            placed += [(r.mention_id, sid) for (r, _), sid in zip(same, sids, strict=True)]
            start = end
    merged = grouper.reconcile()
    placed = [(m, grouper.resolve(sid)) for m, sid in placed]
    touched = sorted(grouper.touched - set(grouper.merged))
    profiles = [grouper.stories[sid] for sid in touched]
    created = [sid for sid in grouper.created if sid not in grouper.merged]
    stored = [(gone, grouper.resolve(gone)) for gone, _ in merged if gone not in grouper.created]
    store.save(
        Batch(
            placed=placed,
            created=created,
            filed=[filing(p) for p in profiles],
            frequencies=dict(grouper.vocabulary.added),
            documents=grouper.vocabulary.added_documents,
            signatures=[(i, sig.tolist()) for i, sig in sigs.items()],
            bands=[
                (b, week(day_of(new_items[i].published)), i)
                for i, sig in sigs.items()
                for b in bands(sig)
            ],
            merged=stored,
            emptied=emptied,
        )
    )
    log.info(
        "grouped mentions=%d stories_touched=%d stories_created=%d stories_merged=%d"
        " candidates_loaded=%d",
        len(placed),
        len(touched),
        len(created),
        len(merged),
        len(loaded),
    )
    return set(touched)
