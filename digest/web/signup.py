"""Double opt-in: a sign-up stores the address as pending and mails it a signed confirmation
link; only following that link (and pressing the button) makes it active."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Literal

from digest.config import Config
from digest.models import Subscriber
from digest.send.dkim import signer_for
from digest.send.smtp import Fatal, transport_for
from digest.send.subscribers import normalise
from digest.send.tokens import confirm_url, make_token, secret_for
from digest.store import Database
from digest.store import subscribers as store

log = logging.getLogger(__name__)
Outcome = Literal["mailed", "already", "refused"]
CONFIRMATIONS = "confirmations"  # the outbox folder of confirmation messages


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
    one is (it may have been wrongly bounced: its confirmation brings it back).
    The caller shows the same answer whatever happens, so that nobody learns who subscribes."""
    email = normalise(address)
    sub = store.find(db, email) or store.insert(db, email, state="pending", source="web")
    if sub.state == "active":
        return "already"
    if sub.state == "complained":
        return "refused"
    _mail(config, sub)
    log.info("signup subscriber=%s state=%s mailed=yes", sub.id, sub.state)
    return "mailed"
