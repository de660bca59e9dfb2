"""What `digest send` sends: the latest edition once approved, or test copies to editors; and
the daemon's top-up of the latest sent edition for subscribers who became active since."""

from __future__ import annotations

import threading
from datetime import timedelta

from digest.config import Config
from digest.edition import lifecycle
from digest.models import Edition, EditionState
from digest.send.dkim import signer_for
from digest.send.message import message_id, prepare, render_copy
from digest.send.sender import Progress, SendFailed, SendReport, send_edition
from digest.send.smtp import Fatal, OutboxTransport, Result, transport_for
from digest.send.subscribers import normalise
from digest.send.tokens import make_token, secret_for, unsubscribe_url
from digest.store import Database, deliveries, editions, now
from digest.store import subscribers as subscriber_store


def edition_to_send(db: Database, config: Config) -> Edition:
    """The latest edition, if it may be sent: a draft only when approval is automatic."""
    edition = editions.latest(db)
    if edition is None:
        raise SendFailed("no edition has been built yet: run `digest build` first")
    if edition.state == "draft" and config.schedule.require_approval:
        raise SendFailed(
            f"edition {edition.number} awaits approval (schedule.require_approval is true):"
            " approve it in the editors' page first"
        )
    blocking = lifecycle.blocking_failures(edition)
    if edition.state == "draft" and blocking:
        raise SendFailed(
            f"edition {edition.number} failed blocking checks ({', '.join(blocking)}):"
            " an editor must look at it and approve it in the editors' page first"
        )
    if edition.state == "held":
        raise SendFailed(f"edition {edition.number} is {edition.state}: it is not sent")
    return edition


# where a sender sharing the edition (PostgreSQL) may have moved it first, for each move
_SHARED: dict[EditionState, tuple[EditionState, ...]] = {
    "approved": ("approved", "sending"),
    "sending": ("sending",),
}


def _advance(db: Database, edition_id: str, to: EditionState, *, by: str) -> None:
    """Move the edition to `to`, unless another sender of the same edition moved it there (or
    past it) first; NotAllowed otherwise (an editor's hold)."""
    try:
        lifecycle.change(db, edition_id, to, by=by)
    except lifecycle.NotAllowed:
        if lifecycle.find(db, edition_id).state not in _SHARED[to]:
            raise


def send_latest(
    db: Database,
    config: Config,
    *,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
) -> SendReport:
    """Send what is missing of the latest approved edition; it becomes `sent` once complete.

    A draft is approved automatically (unless `schedule.require_approval`), but only once the
    server has accepted the connection: a run that cannot send changes nothing. The claim of
    `sending` is a compare-and-set: an editor's hold landing first stops the send.
    """
    edition = edition_to_send(db, config)

    def started() -> None:
        try:
            if edition.state == "draft":
                _advance(db, edition.id, "approved", by="send (automatic approval)")
            if edition.state in ("draft", "approved"):
                _advance(db, edition.id, "sending", by="send")
        except lifecycle.NotAllowed as e:
            raise SendFailed(f"{e}; nothing was sent") from None

    report = send_edition(db, config, edition, stop=stop, progress=progress, on_start=started)
    if report.remaining == 0 and edition.state != "sent":
        try:
            lifecycle.change(db, edition.id, "sent", by="send (every copy delivered)")
        except lifecycle.NotAllowed:
            if lifecycle.find(db, edition.id).state != "sent":  # else: a sender sharing it
                raise
    return report


TOP_UP_WINDOW = timedelta(hours=24)  # an edition older than this is not sent to newcomers


def top_up(
    db: Database, config: Config, *, stop: threading.Event | None = None
) -> SendReport | None:
    """Send the latest sent edition to the active subscribers who have no copy of it (confirmed
    while it was going out, or since), within TOP_UP_WINDOW of its sending; None if none waits."""
    edition = editions.latest(db)
    if edition is None or edition.state != "sent":
        return None
    sent_at = editions.times(db, edition.id)["sent_at"]
    if sent_at is None or now() - sent_at > TOP_UP_WINDOW:
        return None
    if not deliveries.missing(db, edition.id):
        return None
    return send_edition(db, config, edition, stop=stop)


def send_test(
    db: Database, config: Config, edition: Edition, addresses: list[str]
) -> list[tuple[str, Result]]:
    """A "[TEST]" copy of the edition to each address; no delivery row is touched."""
    targets = [normalise(a) for a in addresses]
    template = prepare(edition, config, test=True)
    signer = signer_for(config)
    secret = secret_for(config)
    transport = (
        transport_for(config, edition.id)
        if config.smtp.host
        else OutboxTransport(config, f"test-{edition.id}")
    )
    try:
        conn = transport.open()
    except (Fatal, ConnectionError) as e:
        raise SendFailed(str(e)) from None
    results = []
    try:
        for to in targets:
            known = subscriber_store.find(db, to)
            sid = known.id if known and known.id is not None else 0  # 0: no subscriber, no effect
            data = render_copy(
                template,
                to=to,
                unsubscribe_url=unsubscribe_url(config, make_token(secret, "unsubscribe", sid, to)),
                message_id=message_id(template, None),
            )
            result = transport.deliver(conn, template.sender, to, signer(data) if signer else data)
            results.append((to, result))
    except Fatal as e:
        raise SendFailed(str(e)) from None
    finally:
        transport.close(conn)
    return results
