"""`digest story show|merge|split`: an editor's corrections to grouping, stored in story_edits
and pinned, so later polls leave them as the editor made them. (`digest stories` lists.)"""

from __future__ import annotations

import typer

from digest.cli import WorkFailed, app, out, session

story_app = typer.Typer(
    help="Correct grouping: show a story's mentions, merge two stories, split one.",
    no_args_is_help=True,
)
app.add_typer(story_app, name="story")


@story_app.command("show")
def show(
    ctx: typer.Context, story_id: str = typer.Argument(..., help="A story id (st-…).")
) -> None:
    """List a story's mentions with the ids `digest story split` takes."""
    from digest.store import stories as store

    db = session(ctx).db
    row = store.story_row(db, story_id)
    if row is None:
        raise WorkFailed(f"no story {story_id!r} (see `digest stories`)")
    if row["merged_into"]:
        out.print(f"{story_id} was merged into {row['merged_into']}")
        return
    out.print(f"{story_id}  {row['investor'] or row['beneficiary'] or '?'}  ({row['kind']})")
    for r in store.mentions_of(db, story_id):
        m = r.mention
        amount = ""
        if m.amount:
            amount = m.amount.as_stated or f"{m.amount.value:g} {m.amount.currency or ''}"
        pin = " [épinglée]" if r.pinned else ""
        out.print(
            f"  mention {r.mention_id}: {r.item.published:%Y-%m-%d} {r.item.feed_name} — "
            f"{r.item.title} {amount}{pin}"
        )


@story_app.command("merge")
def merge(
    ctx: typer.Context,
    keep: str = typer.Argument(..., help="The story that stays."),
    other: str = typer.Argument(..., help="The story merged into it."),
) -> None:
    """Merge OTHER into KEEP: one deal told as two stories."""
    from digest.group import edits
    from digest.store.grouping import StoryStore

    try:
        edits.merge_stories(StoryStore(session(ctx).db), keep, other)
    except edits.StoryEditError as e:
        raise WorkFailed(str(e)) from None
    out.print(f"{other} merged into {keep}")


@story_app.command("split")
def split(
    ctx: typer.Context,
    story_id: str = typer.Argument(..., help="The story to split."),
    mentions: list[int] = typer.Argument(..., help="Ids of the mentions that leave it."),
) -> None:
    """Move MENTIONS out of STORY_ID into a new story: two deals told as one."""
    from digest.group import edits
    from digest.store.grouping import StoryStore

    try:
        new_id = edits.split_story(StoryStore(session(ctx).db), story_id, mentions)
    except edits.StoryEditError as e:
        raise WorkFailed(str(e)) from None
    out.print(f"{len(mentions)} mention(s) of {story_id} now form {new_id}")
