"""An edition's life: the moves allowed and refused, the compare-and-set race, approval."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from digest.edition import lifecycle
from digest.models import Check, EditionState
from digest.store import editions as store
from digest.store import open_db
from tests.support.sendkit import saved_edition

STATES: list[EditionState] = ["draft", "approved", "held", "sending", "sent"]
# the whole table, written out: every pair not listed here is refused
ALLOWED = {
    ("draft", "approved"),
    ("draft", "held"),
    ("held", "approved"),
    ("approved", "held"),
    ("approved", "sending"),
    ("sending", "sent"),
}


@pytest.mark.parametrize("was", STATES)
@pytest.mark.parametrize("to", STATES)
def test_the_table_of_moves(db: sqlite3.Connection, was: EditionState, to: EditionState) -> None:
    edition = saved_edition(db)
    if was != "draft":
        assert store.move(db, edition.id, "draft", was)  # set up the starting state directly
    if (was, to) in ALLOWED:
        assert lifecycle.change(db, edition.id, to, by="test").state == to
        assert store.get(db, edition.id).state == to
    else:
        with pytest.raises(lifecycle.NotAllowed):
            lifecycle.change(db, edition.id, to, by="test")
        assert store.get(db, edition.id).state == was


def test_every_state_has_a_french_name_and_a_row() -> None:
    assert set(lifecycle.NAMES) == set(lifecycle.MOVES) == set(lifecycle.STATES) == set(STATES)
    assert lifecycle.NAMES["held"] == "retenue"


def test_a_refusal_says_what_the_edition_is_and_may_become(db: sqlite3.Connection) -> None:
    edition = saved_edition(db)
    lifecycle.change(db, edition.id, "held", by="test")
    with pytest.raises(lifecycle.NotAllowed) as refused:
        lifecycle.change(db, edition.id, "sending", by="test")
    assert refused.value.french == (
        "L'édition n° 1 est retenue : elle ne peut pas être envoyée (seulement approuvée)."
    )
    assert str(refused.value) == (
        "edition 1 (2024-05-14-n1) is held: it cannot be sent (only approved)"
    )
    for state in ("approved", "sending", "sent"):
        lifecycle.change(db, edition.id, state, by="test")
    with pytest.raises(lifecycle.NotAllowed, match="cannot change any more") as final:
        lifecycle.change(db, edition.id, "held", by="test")
    assert "ne peut plus changer" in final.value.french


def test_editions_are_found_by_id_or_number(db: sqlite3.Connection) -> None:
    first, second = saved_edition(db, 1), saved_edition(db, 2)
    assert lifecycle.find(db, "2").id == second.id
    assert lifecycle.find(db, first.id).number == 1
    for ref in ("3", "2099-01-01"):
        with pytest.raises(lifecycle.Unknown, match="no edition"):
            lifecycle.change(db, ref, "approved", by="test")


def test_approval_and_sending_are_stamped(db: sqlite3.Connection) -> None:
    edition = saved_edition(db)
    assert store.times(db, edition.id) == {"approved_at": None, "sent_at": None}
    for state in ("approved", "sending", "sent"):
        lifecycle.change(db, edition.id, state, by="test")
    times = store.times(db, edition.id)
    assert times["approved_at"] is not None and times["sent_at"] is not None
    assert times["approved_at"] <= times["sent_at"]


def test_a_hold_landing_while_the_sender_claims_wins_alone(tmp_path: Path) -> None:
    """The sender has read 'approved' and is writing 'sending' when an editor's hold lands on
    another connection: the claim is refused, the edition stays held."""
    path = tmp_path / "race.db"
    sender, editor = open_db(path), open_db(path)
    edition = saved_edition(sender)
    lifecycle.change(sender, edition.id, "approved", by="test")
    landed: list[str] = []

    def hold_first(sql: str) -> None:  # runs as the sender's UPDATE starts, after its read
        if sql.startswith("UPDATE editions") and not landed:
            landed.append(lifecycle.change(editor, edition.id, "held", by="editor").state)

    sender.set_trace_callback(hold_first)
    with pytest.raises(lifecycle.NotAllowed, match="is now held") as refused:
        lifecycle.change(sender, edition.id, "sending", by="sender")
    assert "est désormais retenue" in refused.value.french
    assert landed == ["held"] and store.get(editor, edition.id).state == "held"
    sender.close()
    editor.close()


def _race(moves: list[tuple[sqlite3.Connection, EditionState]], edition_id: str) -> list[str]:
    """Start every move at once, each on its own connection; the states that won."""
    start = threading.Barrier(len(moves))
    won: list[str] = []

    def attempt(db: sqlite3.Connection, to: EditionState) -> None:
        start.wait()
        with contextlib.suppress(lifecycle.NotAllowed):
            won.append(lifecycle.change(db, edition_id, to, by="test").state)

    threads = [threading.Thread(target=attempt, args=move) for move in moves]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return won


def test_a_hold_and_a_send_started_together_never_both_win(tmp_path: Path) -> None:
    path = tmp_path / "race.db"
    first, second = open_db(path), open_db(path)
    for number in range(1, 21):
        edition = saved_edition(first, number)
        lifecycle.change(first, edition.id, "approved", by="test")
        won = _race([(first, "held"), (second, "sending")], edition.id)
        assert len(won) == 1 and store.get(first, edition.id).state == won[0]
    first.close()
    second.close()


def test_a_build_is_approved_unless_an_editor_must_look(db: sqlite3.Connection) -> None:
    edition = saved_edition(db)
    failing = replace(edition, checks=[Check("template_markers", False, "{{ left }}")])
    assert lifecycle.approve_if_automatic(db, failing, require_approval=False).state == "draft"
    assert lifecycle.approve_if_automatic(db, edition, require_approval=True).state == "draft"
    assert store.get(db, edition.id).state == "draft"
    minor = replace(edition, checks=[Check("https", False, "1 http link")])
    assert lifecycle.approve_if_automatic(db, minor, require_approval=False).state == "approved"
    assert store.get(db, edition.id).state == "approved"
