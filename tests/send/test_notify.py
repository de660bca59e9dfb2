"""The editors' notice of a new edition: who gets it, through which transport, what it says
(subject, lead, count, checks, held stories, when it leaves, preview link), and the send that
waits for an editor when a blocking check failed."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest import flow
from digest.edition import lifecycle
from digest.models import Check
from digest.send.mailing import edition_to_send
from digest.send.notify import departure, notice, notify_editors
from digest.send.sender import SendFailed
from digest.store import accounts, editions, open_db
from digest.web.accounts import hash_password
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import config_for, make_edition
from tests.support.webserver import built_db, copy_db, write_config

MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # the default send slot: tuesday 08:00 Paris


def _editors(db: object) -> None:
    accounts.add(db, "alice", "alice@redaction.fr", hash_password("mot-de-passe-alice"))  # type: ignore[arg-type]
    accounts.add(db, "bruno", None, hash_password("mot-de-passe-bruno"))  # type: ignore[arg-type]


def test_a_build_tells_every_editor_with_an_address_through_smtp(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    db = open_db(copy_db(built_db(tmp_path_factory), tmp_path / "digest.db"))
    _editors(db)
    server = Recorder()
    with smtp_server(server) as port:
        config = write_config(tmp_path, smtp_port=port)  # require_approval: true
        edition, _ = flow.build(db, config, None, None, tmp_path / "out")
    assert server.copies() == {"alice@redaction.fr": 1}  # bruno gave no address
    message = server.messages("alice@redaction.fr")[0]
    body = message.get_content()
    assert message["Subject"] == f"Édition n° {edition.number} prête : {edition.subject}"
    lead = next(s for s in edition.stories if not s.held_reason)
    assert f"Objet : {edition.subject}" in body and f"À la une : {lead.headline}" in body
    visible = [s for s in edition.stories if not s.held_reason]
    assert f"Articles : {len(visible)}" in body
    assert "Vérifications : " in body
    for held in (s for s in edition.stories if s.held_reason):
        assert held.headline in body
    assert "Elle attend votre approbation" in body and " avant le " in body
    assert f"https://digest.example.org/editor/editions/{edition.id}" in body
    assert edition.state == "draft"
    db.close()


def test_without_smtp_host_the_notice_goes_to_the_outbox(tmp_path: Path) -> None:
    db = open_db(tmp_path / "digest.db")
    _editors(db)
    config = config_for(tmp_path)
    edition = make_edition()
    editions.save(db, edition)
    assert notify_editors(db, config, edition) == ["alice@redaction.fr"]
    folder = config.resolve(config.sending.outbox) / f"editors-{edition.id}"
    eml = (folder / "alice@redaction.fr.eml").read_bytes()
    parsed = email.message_from_bytes(eml, policy=email.policy.default)
    assert "Articles : 0" in parsed.get_content()  # type: ignore[attr-defined]
    db.close()


def test_an_approved_edition_says_when_it_leaves(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    edition = replace(make_edition(), state="approved")
    said = departure(config, edition, MONDAY)
    assert "Envoi automatique le mardi 8 décembre 2026 à 08:00" in said
    _, text = notice(config, edition, MONDAY)
    assert "Vérifications : toutes réussies" in text


def test_a_blocking_failure_waits_for_an_editor_even_when_sending_is_automatic(
    tmp_path: Path,
) -> None:
    config = config_for(tmp_path)
    assert not config.schedule.require_approval
    db = open_db(tmp_path / "digest.db")
    edition = replace(make_edition(), checks=[Check("html_size", False, "Taille du HTML : 130 Ko")])
    editions.save(db, edition)
    kept = lifecycle.approve_if_automatic(db, edition, require_approval=False)
    assert kept.state == "draft"
    said = departure(config, kept, MONDAY)
    assert "attend un éditeur" in said and "Taille du HTML" in said
    with pytest.raises(SendFailed, match="blocking checks"):
        edition_to_send(db, config)
    db.close()
