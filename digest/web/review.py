"""What editors do to an edition before it goes: approve, hold, rebuild, drop a story, merge or
split stories. Only a draft or held edition changes; an approved one is held first."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from digest import flow
from digest.config import Config
from digest.edition import lifecycle
from digest.group import edits
from digest.models import Edition, EditionState
from digest.store import Database, StoreError
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


def _change(db: Database, edition_id: str, to: EditionState) -> Edition:
    try:
        return lifecycle.change(db, edition(db, edition_id).id, to, by="editor")
    except lifecycle.NotAllowed as e:
        raise ReviewError(e.french) from None


def approve(db: Database, edition_id: str) -> Edition:
    return _change(db, edition_id, "approved")


def hold(db: Database, edition_id: str) -> Edition:
    return _change(db, edition_id, "held")


def rebuild(db: Database, config: Config, edition_id: str, out_dir: Path) -> Edition:
    """The edition built again over its period from the stories as they are now, its dropped
    stories left out; a held edition stays held."""
    old = _editable(db, edition_id)
    drops = review_store.dropped(db, old.id)
    left_out = {s.id for s in drops}
    flow.update(db, config)
    chosen = [s for s in flow.written(db, old.period_start, old.period_end) if s.id not in left_out]
    if not chosen:
        raise ReviewError("Reconstruction impossible : aucune histoire ne reste dans la période.")
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
        fresh = lifecycle.change(db, fresh.id, "held", by="editor (rebuilt, stays held)")
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
    *,
    drop: bool = True,
) -> Edition:
    """Leave a story out of the edition (or bring it back), then rebuild it."""
    found = _editable(db, edition_id)
    if not review_store.set_dropped(db, found.id, story_id, drop):
        raise ReviewError(f"L'histoire « {story_id} » n'est pas dans cette édition.")
    return rebuild(db, config, found.id, out_dir)


def merge(
    db: Database, config: Config, edition_id: str, keep: str, other: str, out_dir: Path
) -> Edition:
    """Merge story `other` into `keep` (one deal told as two stories), then rebuild."""
    found = _editable(db, edition_id)
    try:
        edits.merge_stories(StoryStore(db), keep, other)
    except edits.StoryEditError as e:
        raise ReviewError(f"Fusion impossible : {e}.") from None
    return rebuild(db, config, found.id, out_dir)


def split(
    db: Database,
    config: Config,
    edition_id: str,
    story_id: str,
    mention_ids: Sequence[int],
    out_dir: Path,
) -> Edition:
    """Move the given mentions out of a story into a new one (two deals told as one)."""
    found = _editable(db, edition_id)
    try:
        edits.split_story(StoryStore(db), story_id, mention_ids)
    except edits.StoryEditError as e:
        raise ReviewError(f"Séparation impossible : {e}.") from None
    return rebuild(db, config, found.id, out_dir)
