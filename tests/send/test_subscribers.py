"""Subscribers: validation without DNS, CSV import with line-numbered errors, tokens."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from digest.send import subscribers as subs
from digest.send.tokens import SecretMissing, make_token, secret_for
from digest.store import subscribers as store
from tests.support.sendkit import SECRET, config_for

KEY = SECRET.encode()

CSV = """\
Email,Name
ana@exemple.fr,Ana
pas-une-adresse,Bob
,Sans adresse
ANA@Exemple.FR,Ana encore
parti@exemple.fr,Parti
deja@exemple.fr,Déjà là
"quote@exemple.fr","Nom, avec virgule"
jean@@exemple.fr,Jean

zoé@exemple.fr,Zoé
"""


def test_addresses_are_checked_without_dns() -> None:
    # no such domain exists; the syntax is all that is checked
    assert subs.normalise(" Lecteur@Nulle-Part-Ici-Zz.fr ") == "Lecteur@nulle-part-ici-zz.fr"
    with pytest.raises(subs.InvalidAddress, match="@"):
        subs.normalise("pas-une-adresse")
    with pytest.raises(subs.InvalidAddress, match="empty"):
        subs.normalise("  ")


def test_import_reports_bad_rows_by_line_and_keeps_the_rest(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    store.insert(db, "parti@exemple.fr", state="unsubscribed")
    store.insert(db, "deja@exemple.fr", state="active")
    path = tmp_path / "abonnes.csv"
    path.write_text(CSV, encoding="utf-8")
    report = subs.import_csv(db, path, secret=KEY)
    bad = dict(report.bad)
    assert sorted(bad) == [3, 4, 5, 9, 11]
    assert "pas-une-adresse" in bad[3] and "@" in bad[3]
    assert bad[4] == "no address in the email column"
    assert bad[5] == "ANA@exemple.fr already appears on line 2"
    assert "jean@@exemple.fr" in bad[9]
    assert "zoé@exemple.fr" in bad[11]  # non-ASCII mailbox names need SMTPUTF8: refused
    assert (report.added, report.already, report.kept_out) == (2, 1, 1)
    assert store.find(db, "parti@exemple.fr").state == "unsubscribed"  # never re-activated
    assert store.find(db, "quote@exemple.fr").name == "Nom, avec virgule"
    assert store.counts(db)["active"] == 3
    again = subs.import_csv(db, path, secret=KEY)
    assert again.added == 0 and store.counts(db)["active"] == 3


def test_import_needs_an_email_column(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("mail;nom\na@exemple.fr;A\n", encoding="utf-8")
    with pytest.raises(subs.InvalidAddress, match=r"no 'email' column \(columns: mail, nom\)"):
        subs.import_csv(db, path, secret=KEY)


def test_semicolon_csv_from_a_spreadsheet(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffemail;prénom\r\nb@exemple.fr;Bé\r\nc@exemple.fr;Cé\r\n".encode())
    assert subs.import_csv(db, path, secret=KEY).added == 2


def test_no_address_twice_whatever_its_case_and_no_return_after_leaving(
    db: sqlite3.Connection,
) -> None:
    subs.add(db, "Marie@Exemple.fr", secret=KEY)
    with pytest.raises(subs.AlreadyKnown, match="active"):
        subs.add(db, "marie@exemple.FR", secret=KEY)
    subs.remove(db, "MARIE@exemple.fr", secret=KEY)
    assert store.find(db, "marie@exemple.fr").state == "unsubscribed"
    with pytest.raises(subs.AlreadyKnown, match="unsubscribed"):
        subs.add(db, "marie@exemple.fr", secret=KEY)
    subs.remove(db, "marie@exemple.fr", secret=KEY, forget=True)
    assert store.find(db, "marie@exemple.fr") is None


def test_export_lists_every_subscriber(db: sqlite3.Connection) -> None:
    subs.add(db, "a@exemple.fr", secret=KEY, name="A, le premier")
    subs.add(db, "b@exemple.fr", secret=KEY, state="pending")
    lines = subs.export_csv(db).splitlines()
    assert lines[0] == "email,name,state,created_at"
    assert lines[1].startswith('a@exemple.fr,"A, le premier",active,20')
    assert subs.export_csv(db, "pending").splitlines()[1].startswith("b@exemple.fr,,pending,")


def test_unsubscribe_and_confirm_links(
    db: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGEST_SECRET", SECRET)
    config = config_for(tmp_path)
    a = subs.add(db, "a@exemple.fr", secret=KEY)
    b = subs.add(db, "b@exemple.fr", secret=KEY, state="pending")
    secret = secret_for(config)
    forged = make_token(b"another-secret-entirely", "unsubscribe", a.id, a.email)
    assert subs.unsubscribe_by_token(db, config, forged) is None
    other = make_token(secret, "unsubscribe", b.id, b.email)
    assert subs.unsubscribe_by_token(db, config, other.replace(f"{b.id}.", f"{a.id}.")) is None
    assert (
        subs.unsubscribe_by_token(db, config, make_token(secret, "confirm", a.id, a.email)) is None
    )
    assert store.find(db, "a@exemple.fr").state == "active"
    assert subs.unsubscribe_by_token(db, config, make_token(secret, "unsubscribe", a.id, a.email))
    assert store.find(db, "a@exemple.fr").state == "unsubscribed"
    assert subs.confirm_by_token(db, config, make_token(secret, "confirm", b.id, b.email))
    assert store.find(db, "b@exemple.fr").state == "active"


def test_the_secret_is_required_once_mail_leaves_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DIGEST_SECRET", raising=False)
    assert secret_for(config_for(tmp_path))  # outbox only: the development secret
    with pytest.raises(SecretMissing, match="DIGEST_SECRET is not set"):
        secret_for(config_for(tmp_path, port=2525))
    monkeypatch.setenv("DIGEST_SECRET", "court")
    with pytest.raises(SecretMissing, match="at least 16"):
        secret_for(config_for(tmp_path, port=2525))
