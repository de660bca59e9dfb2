"""Mail that comes back to a sender, written for the tests in the shapes the servers use:
RFC 3464 DSNs, ARF complaints, qmail, Exim and (pre-DSN) Postfix plain-text bounces, a mailto
unsubscribe, and a MIME nesting bomb. `to` is where the report is addressed (a VERP return path
or the plain sender); `quoted` is the header block of the original copy the report encloses."""

from __future__ import annotations

import mailbox
from pathlib import Path

SENDER = "digest@example.org"


def original(rcpt: str, message_id: str = "<autre@ailleurs>", extra: str = "") -> str:
    """The header block of a copy as the report quotes it."""
    return (
        f"From: Le Digest <{SENDER}>\nTo: {rcpt}\nMessage-ID: {message_id}\n"
        f"Subject: Le Digest\n{extra}"
    )


def dsn(
    rcpt: str, status: str, *, to: str = SENDER, quoted: str = "", action: str = "failed"
) -> bytes:
    return f"""\
From: MAILER-DAEMON@mx.exemple.fr
To: {to}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B0"

--B0
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--B0
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.exemple.fr
Arrival-Date: Tue, 14 May 2024 08:00:03 +0200

Final-Recipient: rfc822; {rcpt}
Original-Recipient: rfc822;{rcpt}
Action: {action}
Status: {status}
Remote-MTA: dns; mail.exemple.fr
Diagnostic-Code: smtp; {status[0]}50 {status} mailbox says no

--B0
Content-Type: text/rfc822-headers

{quoted or original(rcpt)}
--B0--
""".encode()


def complaint(rcpt: str, *, quoted: str = "") -> bytes:
    return f"""\
From: feedback@fai.example
To: abuse-reports@example.org
Subject: complaint
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="F"

--F
Content-Type: text/plain

This is an abuse report.

--F
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: FAI-FBL/1.0
Version: 1
Original-Rcpt-To: <{rcpt}>

--F
Content-Type: message/rfc822

{quoted or original(rcpt)}
Bonjour.

--F--
""".encode()


def qmail(rcpt: str, *, to: str = SENDER, quoted: str = "") -> bytes:
    return f"""\
From: MAILER-DAEMON@mx.exemple.fr
To: {to}
Subject: failure notice

Hi. This is the qmail-send program at mx.exemple.fr.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<{rcpt}>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

{quoted or original(rcpt)}
""".encode()


def exim(rcpt: str, *, to: str = SENDER, quoted: str = "") -> bytes:
    return f"""\
From: Mail Delivery System <Mailer-Daemon@mx.exemple.fr>
To: {to}
Subject: Mail delivery failed: returning message to sender
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  {rcpt}
    SMTP error from remote mail server after RCPT TO:<{rcpt}>:
    550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown

------ This is a copy of the message, including all the headers. ------

{quoted or original(rcpt)}
""".encode()


def postfix(rcpt: str, *, to: str = SENDER, quoted: str = "") -> bytes:
    return f"""\
From: MAILER-DAEMON@mx.exemple.fr (Mail Delivery System)
To: {to}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="P1"

--P1
Content-Description: Notification
Content-Type: text/plain

This is the Postfix program at host mx.exemple.fr.

I'm sorry to have to inform you that the message returned
below could not be delivered to one or more destinations.

\t\t\tThe Postfix program

<{rcpt}>: host mail.exemple.fr[192.0.2.1] said: 550 5.1.1
    <{rcpt}>: Recipient address rejected: User unknown

--P1
Content-Description: Undelivered Message
Content-Type: message/rfc822

{quoted or original(rcpt)}
Bonjour.
--P1--
""".encode()


def mailto_unsubscribe(to: str, sender: str = "lecteur@exemple.fr") -> bytes:
    return f"From: {sender}\nTo: {to}\nSubject: unsubscribe\n\nunsubscribe\n".encode()


def nesting_bomb(depth: int = 5000) -> bytes:
    """A message of `depth` nested multiparts: Python's parser recurses into each."""
    body = b"boum\n"
    for i in range(depth, 0, -1):
        head = f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n'.encode()
        body = head + body + f"\n--b{i}--\n".encode()
    return f"From: x@exemple.fr\nTo: {SENDER}\nSubject: boum\nMIME-Version: 1.0\n".encode() + body


PLAIN = b"From: ami@exemple.fr\nTo: digest@example.org\nSubject: merci\n\nBravo pour la lettre.\n"


def write_mailbox(path: Path, messages: list[bytes], kind: str = "mbox") -> Path:
    box = mailbox.mbox(path) if kind == "mbox" else mailbox.Maildir(path)
    for m in messages:
        box.add(m)
    box.flush()
    return path
