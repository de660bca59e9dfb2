"""`digest demo`: the whole flow, offline, on the sample feeds shipped in the package."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

from digest import flow
from digest.config import load_config
from digest.poll import poller
from digest.store import open_db


def sample_config_path() -> Path:
    """The embedded configuration: the sample feeds, by paths relative to it."""
    return Path(str(resources.files("digest.samples").joinpath("demo.yaml")))


def run_demo(workdir: Path, out_dir: Path, db_path: Path | None = None) -> tuple[Path, list[str]]:
    """Poll the samples into a database (db_path, else workdir/demo.db) and build one edition
    into out_dir."""
    started = time.perf_counter()
    config = load_config(sample_config_path())
    db = open_db(db_path or workdir / "demo.db")
    try:
        report = poller.poll_feeds(db, config)
        edition, folder = flow.build(db, config, None, None, out_dir)
    finally:
        db.close()
    return folder, [
        report.summary(),
        f"{len(edition.stories)} stories in edition {edition.number}: « {edition.subject} »",
        f"demo took {time.perf_counter() - started:.1f} s",
    ]
