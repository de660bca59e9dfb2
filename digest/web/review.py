"""What editors do to an edition before it goes: approve, hold, rebuild, drop a story, merge or
split stories, undo a merge. Only a draft or held edition changes; an approved one is held
first. `by` names the editor: every state change is kept in the edition's history."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from digest import flow
from digest.config import Config
from digest.edition import lifecycle
from digest.group import edits
from digest.models import Edition, EditionState
from digest.store import Database, StoreError, story_edits
from digest.store import editions as edition_store
from digest.store import review as review_store
from digest.store.grouping import StoryStore

log = logging.getLogger(__name__)


class ReviewError(Exception):
    """An action an editor cannot take now; the message (French) says why."""


def edition(db: Database, edition_id: str) -> Edition:
    found = edition_store.get(db, edition_id)
    if found is None:
        raise ReviewError(f"Aucune édition « {edition_id} ».")
    return found


def _editable(db: Database, edition_id: str) -> Edition:
    found = edition(db, edition_id)
    if found.state not in lifecycle.EDITABLE:
        hint = " : mettez-la d'abord en attente" if found.state == "approved" else ""
        raise ReviewError(
            f"L'édition n° {found.number} est {lifecycle.NAMES[found.state]}{hint}; "
            "elle ne peut plus être modifiée."
        )
    return found


def _change(db: Database, edition_id: str, to: EditionState, by: str) -> Edition:
    try:
        return lifecycle.change(db, edition(db, edition_id).id, to, by=by)
    except lifecycle.NotAllowed as e:
        raise ReviewError(e.french) from None


def approve(db: Database, edition_id: str, by: str) -> Edition:
    return _change(db, edition_id, "approved", by)


def hold(db: Database, edition_id: str, by: str) -> Edition:
    return _change(db, edition_id, "held", by)


def rebuild(db: Database, config: Config, edition_id: str, out_dir: Path, by: str) -> Edition:
    """The edition built again over its period from the stories as they are now, its dropped
    stories left out; a held edition stays held."""
    old = _editable(db, edition_id)
    drops = review_store.dropped(db, old.id)
    left_out = {s.id for s in drops}
    flow.update(db, config)
    stories = flow.written(db, old.period_start, old.period_end, edition=True)
    chosen = [s for s in stories if s.id not in left_out]
    if not chosen:
        raise ReviewError("Reconstruction impossible : aucun article ne reste dans la période.")
    try:
        fresh = flow.compose_edition(
            db,
            config,
            chosen,
            number=old.number,
            period_start=old.period_start,
            period_end=old.period_end,
        )
    except flow.NothingToBuild as e:
        raise ReviewError(f"Reconstruction impossible : {e}.") from None
    try:
        edition_store.save(db, fresh)
    except StoreError as e:
        raise ReviewError(str(e)) from None
    review_store.keep_dropped(db, fresh.id, drops)
    flow.write_out(db, fresh, config, out_dir)
    if old.state == "held":
        fresh = lifecycle.change(db, fresh.id, "held", by=f"{by} (reconstruite, reste retenue)")
    else:
        fresh = lifecycle.approve_if_automatic(db, fresh, config.schedule.require_approval)
    log.info("review edition=%s action=rebuild stories=%d", fresh.id, len(fresh.stories))
    return fresh


def drop_story(
    db: Database,
    config: Config,
    edition_id: str,
    story_id: str,
    out_dir: Path,
    by: str,
    *,
    drop: bool = True,
) -> Edition:
    """Leave a story out of the edition (or bring it back), then rebuild it."""
    found = _editable(db, edition_id)
    if not review_store.set_dropped(db, found.id, story_id, drop):
        raise ReviewError(f"L'article « {story_id} » n'est pas dans cette édition.")
    return rebuild(db, config, found.id, out_dir, by)


def merge(
    db: Database,
    config: Config,
    edition_id: str,
    keep: str,
    other: str,
    out_dir: Path,
    by: str,
) -> Edition:
    """Merge story `other` into `keep` (one deal told as two stories), then rebuild."""
    found = _editable(db, edition_id)
    try:
        edits.merge_stories(StoryStore(db), keep, other)
    except edits.StoryEditError as e:
        raise ReviewError(f"Fusion impossible : {e}.") from None
    return rebuild(db, config, found.id, out_dir, by)


def split(
    db: Database,
    config: Config,
    edition_id: str,
    story_id: str,
    mention_ids: Sequence[int],
    out_dir: Path,
    by: str,
) -> Edition:
    """Move the given mentions out of a story into a new one (two deals told as one)."""
    found = _editable(db, edition_id)
    try:
        edits.split_story(StoryStore(db), story_id, mention_ids)
    except edits.StoryEditError as e:
        raise ReviewError(f"Séparation impossible : {e}.") from None
    return rebuild(db, config, found.id, out_dir, by)


def last_merge(db: Database, story_id: str) -> list[int] | None:
    """The mentions the latest merge into this story brought, while all are still in it and
    others remain (an undo splits exactly them back out); None when there is nothing to undo."""
    merges = [p for action, p, _ in story_edits.edits(db) if action == "merge"]
    latest = next((p for p in reversed(merges) if p.get("keep") == story_id), None)
    if latest is None or not latest.get("mentions"):
        return None
    here = {r.mention_id for r in StoryStore(db).mentions_of(story_id)}
    moved = [int(m) for m in latest["mentions"]]
    return moved if set(moved) <= here and len(here) > len(moved) else None


def unmerge(
    db: Database, config: Config, edition_id: str, story_id: str, out_dir: Path, by: str
) -> Edition:
    """Undo the latest merge into a story: its mentions split back out into a story of their
    own, then the edition is rebuilt."""
    moved = last_merge(db, story_id)
    if moved is None:
        raise ReviewError("Aucune fusion à annuler sur cet article.")
    return split(db, config, edition_id, story_id, moved, out_dir, by)
