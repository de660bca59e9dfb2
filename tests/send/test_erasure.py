"""17.5: an erased address leaves only a keyed hash, which keeps every import, add and sign-up
from bringing it back; one subscriber's data can be exported (an access request)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from digest.send import subscribers as subs
from digest.store import deliveries, open_db
from digest.store import subscribers as store
from digest.web.signup import request
from tests.support.sendkit import SECRET, add_subscribers, config_for, saved_edition

KEY = SECRET.encode()


def test_forget_keeps_a_keyed_hash_that_keeps_the_address_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGEST_SECRET", SECRET)
    config = config_for(tmp_path)
    db = open_db(tmp_path / "digest.db")
    subs.add(db, "Efface@Exemple.fr", secret=KEY, name="Efface")
    subs.remove(db, "efface@exemple.fr", secret=KEY, forget=True)
    dump = "\n".join(db.iterdump())
    assert "efface" not in dump.lower()  # nothing readable of the address is kept
    assert subs.suppression_hash(KEY, "EFFACE@exemple.fr") in dump
    assert subs.suppression_hash(b"another-secret-entirely", "efface@exemple.fr") not in dump

    path = tmp_path / "old.csv"
    path.write_text("email\nefface@exemple.fr\nautre@exemple.fr\n", encoding="utf-8")
    report = subs.import_csv(db, path, secret=KEY)
    assert (report.added, report.kept_out) == (1, 1)
    with pytest.raises(subs.AlreadyKnown, match="erased"):
        subs.add(db, "efface@exemple.fr", secret=KEY)
    assert request(db, config, "efface@exemple.fr") == "refused"
    assert store.find(db, "efface@exemple.fr") is None


def test_export_one_gives_the_row_and_its_deliveries(db: sqlite3.Connection) -> None:
    edition = saved_edition(db)
    add_subscribers(db, 2)
    deliveries.ensure(db, edition.id)
    data = json.loads(subs.export_one(db, "LECTEUR1@exemple.fr"))
    assert data["subscriber"]["email"] == "lecteur1@exemple.fr"
    assert data["subscriber"]["source"] == "test"
    assert [(d["edition_id"], d["state"]) for d in data["deliveries"]] == [(edition.id, "pending")]
    with pytest.raises(subs.InvalidAddress, match="not a subscriber"):
        subs.export_one(db, "personne@exemple.fr")
