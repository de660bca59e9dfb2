"""Double opt-in: a sign-up stores the address as pending and mails it a signed confirmation
link; only following that link (and pressing the button) makes it active.

The web request only checks the address's syntax and queues it: the database and the mail are
handled by one background thread (`Confirmations`), so the answer takes the same time whether
the address is new, pending, active or bounced, and tells nobody who subscribes."""

from __future__ import annotations

import logging
import queue
import threading
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Literal

from digest.config import Config
from digest.models import Subscriber
from digest.send.dkim import signer_for
from digest.send.smtp import Fatal, transport_for
from digest.send.subscribers import is_suppressed, normalise
from digest.send.tokens import confirm_url, make_token, secret_for
from digest.store import Database, Location, open_db
from digest.store import subscribers as store

log = logging.getLogger(__name__)
Outcome = Literal["mailed", "already", "refused"]
CONFIRMATIONS = "confirmations"  # the outbox folder of confirmation messages
QUEUE_SIZE = 1000  # sign-ups waiting for their mail; beyond, the page asks to come back later


class SignupFailed(Exception):
    """The confirmation could not be mailed now (the message says why)."""


def confirmation_message(config: Config, sub: Subscriber, link: str) -> EmailMessage:
    news = config.newsletter
    msg = EmailMessage()
    msg["From"] = news.sender
    msg["To"] = sub.email
    msg["Subject"] = f"Confirmez votre inscription à {news.name}"
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid("confirm", domain=news.list_id)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(
        f"Bonjour,\n\nvous avez demandé à recevoir {news.name}. Pour confirmer votre inscription,"
        f" ouvrez ce lien et validez :\n\n{link}\n\nSi vous n'avez rien demandé, ignorez ce"
        f" message : sans confirmation, vous ne recevrez rien.\n\n{news.name}\n"
        f"{news.postal_address}\n"
    )
    return msg


def _mail(config: Config, sub: Subscriber) -> None:
    assert sub.id is not None
    link = confirm_url(config, make_token(secret_for(config), "confirm", sub.id, sub.email))
    data = bytes(confirmation_message(config, sub, link))
    signer = signer_for(config)
    transport = transport_for(config, CONFIRMATIONS)
    try:
        conn = transport.open()
    except (Fatal, ConnectionError) as e:
        raise SignupFailed(str(e)) from None
    try:
        result = transport.deliver(
            conn,
            parseaddr(config.newsletter.sender)[1],
            sub.email,
            signer(data) if signer else data,
        )
    finally:
        transport.close(conn)
    if result.kind != "sent":
        raise SignupFailed(f"the confirmation to {sub.email} was not accepted: {result.detail}")


def request(db: Database, config: Config, address: str) -> Outcome:
    """Store a sign-up and mail its confirmation link; InvalidAddress when it is not one.

    Someone already active gets nothing more; a complaining address is never mailed; a bounced
    one is (it may have been wrongly bounced: its confirmation brings it back); an erased one is
    refused. Run by `Confirmations`, away from the request, so that nobody learns who subscribes."""
    email = normalise(address)
    if is_suppressed(db, secret_for(config), email):
        return "refused"  # erased at its owner's request: never stored or mailed again
    sub = store.find(db, email) or store.insert(db, email, state="pending", source="web")
    if sub.state == "active":
        return "already"
    if sub.state == "complained":
        return "refused"
    _mail(config, sub)
    log.info("signup subscriber=%s state=%s mailed=yes", sub.id, sub.state)
    return "mailed"


class Confirmations:
    """The sign-ups waiting for their confirmation mail, handled in order by one thread."""

    def __init__(self, config: Config, db_path: Location) -> None:
        self.config, self.db_path = config, db_path
        self.waiting: queue.Queue[str | None] = queue.Queue(QUEUE_SIZE)
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def full(self) -> bool:
        return self.waiting.full()

    def submit(self, email: str) -> None:
        """Queue an address (already normalised); dropped, and logged, when the queue is full."""
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._work, name="signups", daemon=True)
                self.thread.start()
        try:
            self.waiting.put_nowait(email)
        except queue.Full:
            log.error("signup dropped reason=queue_full")

    def close(self, timeout: float = 10.0) -> None:
        """Finish the queued sign-ups (up to `timeout` seconds), then stop the thread."""
        with self.lock:
            thread, self.thread = self.thread, None
        if thread is not None:
            self.waiting.put(None)
            thread.join(timeout)

    def _work(self) -> None:
        db = open_db(self.db_path)
        try:
            while (email := self.waiting.get()) is not None:
                try:
                    request(db, self.config, email)
                except SignupFailed as e:
                    log.error("signup failed error=%r", str(e))
                except Exception:  # one bad sign-up never stops the others
                    log.exception("signup failed")
        finally:
            db.close()
