"""The editors' notice of a fresh edition: one short plain-text email to every editor who gave
an address, through the same SMTP settings as the edition (or the outbox), saying what it holds,
how the checks went, when it leaves and where to look at it first."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from digest.config import Config
from digest.edition import dates, lifecycle
from digest.edition.preflight import LABELS
from digest.models import Edition
from digest.send.slots import next_send
from digest.send.smtp import Fatal, transport_for
from digest.store import Database, accounts, now

log = logging.getLogger(__name__)


def preview_url(config: Config, edition: Edition) -> str:
    return f"{config.newsletter.base_url.rstrip('/')}/editor/editions/{edition.id}"


def departure(config: Config, edition: Edition, moment: datetime) -> str:
    """When the edition leaves, or until when it waits for an editor, in French."""
    tz = config.newsletter.timezone
    slot = next_send(config, moment)
    blocking = lifecycle.blocking_failures(edition)
    if blocking:
        names = ", ".join(LABELS.get(n, n) for n in blocking)
        return (
            f"Elle attend un éditeur : une vérification bloquante a échoué ({names}). Elle ne"
            " partira qu'une fois corrigée et approuvée."
        )
    if slot is None:
        return "Aucun jour d'envoi n'est prévu (schedule.days est vide) : lancez `digest send`."
    if edition.state == "approved":
        return (
            f"Envoi automatique le {dates.when(slot, tz)}. D'ici là, vous pouvez la retenir ou"
            " la corriger."
        )
    until = slot + timedelta(minutes=config.schedule.grace_minutes)
    return (
        f"Elle attend votre approbation (require_approval) : approuvée avant le"
        f" {dates.when(until, tz)}, elle partira au créneau du {dates.when(slot, tz)} ;"
        " sinon elle ne partira pas."
    )


def notice(config: Config, edition: Edition, moment: datetime) -> tuple[str, str]:
    """The subject and text of the notice."""
    visible = [s for s in edition.stories if not s.held_reason]
    held = [s for s in edition.stories if s.held_reason]
    failed = [c for c in edition.checks if not c.ok]
    lines = [
        f"L'édition n° {edition.number} de {config.newsletter.name} est prête"
        f" ({lifecycle.NAMES[edition.state]}).",
        "",
        f"Objet : {edition.subject}",
        f"À la une : {visible[0].headline if visible else '(aucun article)'}",
        f"Articles : {len(visible)}",
        "",
        departure(config, edition, moment),
        "",
    ]
    if failed:
        lines.append(f"Vérifications : {len(failed)} en échec sur {len(edition.checks)}")
        lines += [f"  ✗ {LABELS.get(c.name, c.name)} : {c.detail}" for c in failed]
    else:
        lines.append(f"Vérifications : toutes réussies ({len(edition.checks)})")
    if held:
        lines += ["", f"Articles retenus ({len(held)}) :"]
        lines += [f"  - {s.headline} ({s.held_reason})" for s in held]
    lines += ["", f"Aperçu et actions : {preview_url(config, edition)}", ""]
    subject = f"Édition n° {edition.number} prête : {edition.subject}"
    return subject, "\n".join(lines)


def _message(config: Config, to: str, subject: str, text: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = config.newsletter.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now())
    domain = parseaddr(config.newsletter.sender)[1].rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    return bytes(msg)


def notify_editors(db: Database, config: Config, edition: Edition) -> list[str]:
    """Send the notice to every editor with an address; the addresses reached. A failure is
    logged, never raised: the edition is built whether or not the editors heard of it."""
    targets = accounts.emails(db)
    if not targets:
        return []
    subject, text = notice(config, edition, now())
    sender = parseaddr(config.newsletter.sender)[1]
    reached = []
    try:
        transport = transport_for(config, f"editors-{edition.id}")
        conn = transport.open()
    except (Fatal, ConnectionError) as e:
        log.warning("editors' notice edition=%s not sent: %s", edition.id, e)
        return []
    try:
        for to in targets:
            result = transport.deliver(conn, sender, to, _message(config, to, subject, text))
            if result.kind == "sent":
                reached.append(to)
            else:
                log.warning("editors' notice to=%s refused: %s", to, result.detail)
    except Fatal as e:
        log.warning("editors' notice edition=%s stopped: %s", edition.id, e)
    finally:
        transport.close(conn)
    log.info("editors' notice edition=%s sent=%d", edition.id, len(reached))
    return reached
