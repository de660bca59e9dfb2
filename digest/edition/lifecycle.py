"""An edition's life: every change of its state goes through `change`, which knows the moves.

A new edition is stored as a draft. From there:

    draft     → approved (an editor, the build when approval is automatic, or `digest send`
                          when it is), held (an editor)
    held      → approved (an editor)
    approved  → held (an editor), sending (the sender, once the server took the connection)
    sending   → sent (the sender, once every copy is delivered)
    sent      → nothing: it is archived as it was sent

Only a draft or held edition may be edited or rebuilt (an approved one is held first). The
state is changed by compare-and-set, so a hold and a send starting together cannot both win.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import get_args

from digest.models import Edition, EditionState
from digest.store import Database, history
from digest.store import editions as store

log = logging.getLogger(__name__)

MOVES: dict[EditionState, tuple[EditionState, ...]] = {
    "draft": ("approved", "held"),
    "held": ("approved",),
    "approved": ("held", "sending"),
    "sending": ("sent",),
    "sent": (),
}
EDITABLE: tuple[EditionState, ...] = ("draft", "held")
STATES: tuple[EditionState, ...] = get_args(EditionState)
NAMES: dict[EditionState, str] = {  # as an edition is said to be: « l'édition est … »
    "draft": "brouillon",
    "approved": "approuvée",
    "held": "retenue",
    "sending": "en cours d'envoi",
    "sent": "envoyée",
}
_ACTS: dict[EditionState, tuple[str, str]] = {  # what a move is called, in French and English
    "approved": ("approuvée", "approved"),
    "held": ("retenue", "held"),
    "sending": ("envoyée", "sent"),
    "sent": ("marquée envoyée", "marked sent"),
    "draft": ("remise en brouillon", "put back to draft"),
}

# failed checks that keep an edition from being approved without an editor
BLOCKING = frozenset(
    {
        "html_size",
        "subject_length",
        "lang",
        "title",
        "links",
        "alt_text",
        "no_active_content",
        "template_markers",
        "text_twin",
        "plausible_amounts",  # the card still shows what its sources state: an editor decides
    }
)


class Unknown(LookupError):
    """No edition has this id or number."""


class NotAllowed(Exception):
    """A move the edition's state forbids; `french` and `english` say why and what is possible."""

    def __init__(self, edition: Edition, to: EditionState, *, meanwhile: bool = False) -> None:
        fr_act, en_act = _ACTS[to]
        now = " est désormais" if meanwhile else " est"
        fr = f"L'édition n° {edition.number}{now} {NAMES[edition.state]}"
        en = f"edition {edition.number} ({edition.id}) {'is now' if meanwhile else 'is'}"
        en += f" {edition.state}"
        possible = MOVES[edition.state]
        if possible:
            fr_hint = " ou ".join(_ACTS[s][0] for s in possible)
            en_hint = " or ".join(_ACTS[s][1] for s in possible)
            self.french = f"{fr} : elle ne peut pas être {fr_act} (seulement {fr_hint})."
            self.english = f"{en}: it cannot be {en_act} (only {en_hint})"
        else:
            self.french = f"{fr} : elle ne peut plus changer."
            self.english = f"{en}: it cannot change any more"
        super().__init__(self.english)


def allowed(state: EditionState, to: EditionState) -> bool:
    return to in MOVES[state]


def find(db: Database, ref: str) -> Edition:
    """The edition with this id (2024-05-21) or number (12)."""
    found = store.by_number(db, int(ref)) if ref.isdigit() else store.get(db, ref)
    if found is None:
        raise Unknown(f"no edition {ref!r} (give its id, like 2024-05-21, or its number)")
    return found


def change(db: Database, edition_id: str, to: EditionState, *, by: str) -> Edition:
    """Move an edition to `to` if its state allows it; NotAllowed otherwise, or if another
    connection moved it first. Returns the edition in its new state."""
    found = find(db, edition_id)
    if not allowed(found.state, to):
        raise NotAllowed(found, to)
    if not store.move(db, found.id, found.state, to):
        raise NotAllowed(find(db, found.id), to, meanwhile=True)
    log.info("edition=%s state=%s->%s by=%s", found.id, found.state, to, by)
    history.record(db, found.id, by, to)
    return replace(found, state=to)


def blocking_failures(edition: Edition) -> list[str]:
    """The failed checks that keep this edition from leaving without an editor."""
    return sorted({c.name for c in edition.checks if not c.ok} & BLOCKING)


def approve_if_automatic(db: Database, edition: Edition, require_approval: bool) -> Edition:
    """A freshly built draft goes out on its own unless approval is required or a blocking
    pre-flight check failed (then an editor looks first)."""
    if require_approval or blocking_failures(edition):
        return edition
    return change(db, edition.id, "approved", by="build (automatic approval)")
