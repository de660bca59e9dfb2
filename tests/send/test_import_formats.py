"""17.4: the exports of other tools import as they are, their gone rows kept out for good.

The files in exports/ are written after the column layouts those tools document (Mailchimp's
zip holds one CSV per status; Substack has no status column; Brevo flags EMAIL_BLACKLISTED)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from digest.cli import main
from digest.store import open_db
from digest.store import subscribers as store
from tests.support.sendkit import SECRET, write_config

EXPORTS = Path(__file__).parent / "exports"


def digest(folder: Path, *args: str) -> int:
    sys.argv = ["digest", "--config", str(folder / "feeds.yaml"), "--db", str(folder / "d.db")]
    sys.argv += list(args)
    with pytest.raises(SystemExit) as stopped:
        main()
        sys.exit(0)
    return stopped.value.code or 0


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.setenv("DIGEST_SECRET", SECRET)


def states(folder: Path) -> dict[str, tuple[str, str]]:
    db = open_db(folder / "d.db")
    return {s.email: (s.state, s.name) for s in store.list_all(db)}


def test_mailchimp_substack_brevo_and_french_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(tmp_path)
    for name in (
        "mailchimp_subscribed_members_export_1a2b3c.csv",
        "mailchimp_unsubscribed_members_export_1a2b3c.csv",
        "mailchimp_cleaned_members_export_1a2b3c.csv",
        "substack_subscribers.csv",
        "brevo_contacts_export.csv",
        "adresse_email_statut.csv",
        "courriel.csv",
        "e_mail.csv",
    ):
        assert digest(tmp_path, "subscribers", "import", str(EXPORTS / name)) == 0, name
    assert states(tmp_path) == {
        "claire@exemple.fr": ("active", "Claire Martin"),
        "paul@exemple.fr": ("unsubscribed", "Paul"),  # subscribed first, then left
        "parti@exemple.fr": ("unsubscribed", "Léa Parti"),
        "ferme@exemple.fr": ("bounced", ""),
        "nadia@exemple.fr": ("active", ""),
        "omar@exemple.fr": ("active", ""),
        "ines@exemple.fr": ("active", "Inès Durand"),
        "bloque@exemple.fr": ("unsubscribed", "Jean Bloqué"),
        "zoe.roux@exemple.fr": ("active", "Zoé Roux"),
        "marc@exemple.fr": ("unsubscribed", "Marc Petit"),
        "remi@exemple.fr": ("active", "Rémi Blanc"),
        "yann@exemple.fr": ("active", "Yann"),
    }
    capsys.readouterr()
    again = EXPORTS / "mailchimp_subscribed_members_export_1a2b3c.csv"
    assert digest(tmp_path, "subscribers", "import", str(again)) == 0
    assert "0 added, 1 already subscribed, 1 left earlier and kept out" in capsys.readouterr().out
    assert states(tmp_path)["paul@exemple.fr"][0] == "unsubscribed"


def test_gone_rows_of_a_first_import_are_stored_as_gone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(tmp_path)
    unsubscribed = EXPORTS / "mailchimp_unsubscribed_members_export_1a2b3c.csv"
    assert digest(tmp_path, "subscribers", "import", str(unsubscribed)) == 0
    assert "0 added" in capsys.readouterr().out
    assert {s for s, _ in states(tmp_path).values()} == {"unsubscribed"}
    assert digest(tmp_path, "subscribers", "add", "paul@exemple.fr") == 1  # never re-subscribed
