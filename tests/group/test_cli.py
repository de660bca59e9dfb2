"""`digest story show|merge|split`, through the real command line."""

from __future__ import annotations

from typer.testing import CliRunner

from digest.cli import (
    app,
    stories_edit,  # noqa: F401  (registers `digest story`)
)
from digest.store import open_db
from tests.group.test_grouper import CORPUS
from tests.group.test_store import group, placements, store_item


def test_editor_merges_and_splits_from_the_command_line(tmp_path, config):
    path = tmp_path / "cli.db"
    db = open_db(path)
    ids = [store_item(db, item, [m])[0] for m, item in CORPUS[:4]]
    group(db, config)
    fr, de = placements(db, [ids[0], ids[3]])
    db.close()
    base = ["--config", str(config.path), "--db", str(path), "story"]
    runner = CliRunner()

    shown = runner.invoke(app, [*base, "show", fr])
    assert shown.exit_code == 0 and f"mention {ids[0]}:" in shown.output

    merged = runner.invoke(app, [*base, "merge", fr, de])
    assert merged.exit_code == 0, merged.output
    split = runner.invoke(app, [*base, "split", fr, str(ids[3])])
    assert split.exit_code == 0, split.output
    new_id = split.output.split("now form ")[1].split()[0]

    db = open_db(path)
    assert placements(db, [ids[0], ids[3]]) == [fr, new_id]
    db.close()
    refused = runner.invoke(app, [*base, "merge", fr, "st-missing"])
    assert refused.exit_code != 0 and "no story" in str(refused.exception)
