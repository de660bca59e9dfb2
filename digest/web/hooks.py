"""ESP webhooks: bounces and complaints posted by Amazon SES (through SNS), Postmark, Mailgun and
SendGrid, each verified the way that provider signs its calls before anything changes.

- SES: an SNS message signed with RSA (SignatureVersion 1: SHA-1, 2: SHA-256) by the certificate
  at SigningCertURL, which must be an https URL on an ``sns.<region>.amazonaws.com`` host; the
  topic must be one of `hooks.ses_topic_arns`. A certificate can be pinned in
  `hooks.sns_certificates` (URL → PEM file) instead of fetched.
- Postmark: HTTP Basic auth, `hooks.postmark_username` and $DIGEST_POSTMARK_PASSWORD.
- Mailgun: HMAC-SHA256 of timestamp + token with $DIGEST_MAILGUN_SIGNING_KEY.
- SendGrid: ECDSA (P-256, SHA-256) over timestamp + body with the verification key
  `hooks.sendgrid_public_key`.

A provider whose setting is missing answers 404; a call that fails verification 401 or 403 and
changes nothing; a body over `hooks.max_bytes` 413. Signed reports act like tied bounce reports
(digest.send.bounces.act): hard bounce and complaint retire the address, soft bounces count.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import re
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from digest.config import Config, ConfigError
from digest.send.bounces import Tie, act
from digest.store import Database, bounce_events
from digest.store import subscribers as store
from digest.web.site import Site

log = logging.getLogger(__name__)
POSTMARK_PASSWORD_ENV = "DIGEST_POSTMARK_PASSWORD"
MAILGUN_KEY_ENV = "DIGEST_MAILGUN_SIGNING_KEY"
MAX_AGE = 24 * 3600  # seconds: a signed timestamp older than this is refused
_SNS_HOST = re.compile(r"^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$")
_SNS_FIELDS = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": (
        "Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type",
    ),
}  # fmt: skip
_SNS_FIELDS["UnsubscribeConfirmation"] = _SNS_FIELDS["SubscriptionConfirmation"]
Event = tuple[str, str, str]  # (address, kind: hard | soft | complaint, detail)


class Refused(Exception):
    """The call is not verified (status 401 or 403) or not acceptable (400, 404, 413)."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status


async def _body(request: Request, limit: int) -> bytes:
    """The request body, read no further than `limit` bytes (413 beyond)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"body over {limit} bytes")
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise Refused(413, f"body over {limit} bytes")
    return bytes(data)


def _json(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, "not JSON") from None


def _fresh(timestamp: str) -> None:
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_AGE:
        raise Refused(403, "timestamp missing or too old")


# --- Amazon SES through SNS ---------------------------------------------------------------


def sns_cert_url_ok(url: str) -> bool:
    """True for an https URL of a .pem on an SNS host of AWS (nothing else is fetched)."""
    parts = urlsplit(url)
    return (
        parts.scheme == "https"
        and parts.port in (None, 443)
        and not parts.username
        and _SNS_HOST.match(parts.hostname or "") is not None
        and parts.path.endswith(".pem")
    )


def sns_string_to_sign(message: dict[str, Any]) -> bytes:
    fields = _SNS_FIELDS.get(str(message.get("Type")))
    if fields is None:
        raise Refused(400, "unknown SNS message type")
    lines = []
    for name in fields:
        if name in message:
            lines += [name, str(message[name])]
        elif name != "Subject":
            raise Refused(403, f"SNS message without {name}")
    return ("\n".join(lines) + "\n").encode()


class SnsCertificates:
    """Signing certificates by URL: pinned in the configuration, else fetched once over https."""

    def __init__(self, config: Config) -> None:
        self.known: dict[str, bytes] = {}
        for url, path in config.hooks.sns_certificates.items():
            try:
                self.known[url] = config.resolve(path).read_bytes()
            except OSError as e:
                raise ConfigError(f"hooks.sns_certificates: cannot read {path} ({e})") from None

    async def get(self, url: str) -> x509.Certificate:
        if not sns_cert_url_ok(url):
            raise Refused(403, "SigningCertURL is not an https SNS host of amazonaws.com")
        if url not in self.known:
            async with httpx.AsyncClient(timeout=10, follow_redirects=False) as client:
                reply = await client.get(url)
            if reply.status_code != 200 or len(reply.content) > 64 * 1024:
                raise Refused(403, f"signing certificate not available ({reply.status_code})")
            self.known[url] = reply.content
        try:
            return x509.load_pem_x509_certificate(self.known[url])
        except ValueError:
            raise Refused(403, "signing certificate unreadable") from None


async def verify_sns(
    message: dict[str, Any], certificates: SnsCertificates, topics: list[str]
) -> None:
    if message.get("TopicArn") not in topics:
        raise Refused(403, "topic not in hooks.ses_topic_arns")
    algorithm = {"1": hashes.SHA1(), "2": hashes.SHA256()}.get(str(message.get("SignatureVersion")))
    if algorithm is None:
        raise Refused(403, "unknown SignatureVersion")
    try:
        signature = base64.b64decode(str(message.get("Signature", "")), validate=True)
    except binascii.Error:
        raise Refused(403, "signature not base64") from None
    cert = await certificates.get(str(message.get("SigningCertURL", "")))
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise Refused(403, "signing certificate is not RSA")
    try:
        key.verify(signature, sns_string_to_sign(message), padding.PKCS1v15(), algorithm)
    except InvalidSignature:
        raise Refused(403, "bad SNS signature") from None


def ses_events(notification: dict[str, Any]) -> list[Event]:
    """Bounces and complaints of an SES notification (or event-publishing record)."""
    kind = notification.get("notificationType") or notification.get("eventType")
    if kind == "Bounce":
        bounce = notification.get("bounce") or {}
        hard = bounce.get("bounceType") == "Permanent"
        detail = f"SES {bounce.get('bounceType')}/{bounce.get('bounceSubType')}"
        return [
            (str(r.get("emailAddress", "")), "hard" if hard else "soft", detail)
            for r in bounce.get("bouncedRecipients") or []
        ]
    if kind == "Complaint":
        complaint = notification.get("complaint") or {}
        detail = f"SES complaint {complaint.get('complaintFeedbackType', '')}".strip()
        return [
            (str(r.get("emailAddress", "")), "complaint", detail)
            for r in complaint.get("complainedRecipients") or []
        ]
    return []


# --- Postmark, Mailgun, SendGrid -----------------------------------------------------------


def check_basic_auth(header: str, username: str, password: str) -> bool:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user, _, given = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    same_user = hmac.compare_digest(user.encode(), username.encode())
    return hmac.compare_digest(given.encode(), password.encode()) and same_user


def postmark_events(record: dict[str, Any]) -> list[Event]:
    email, kind = str(record.get("Email", "")), str(record.get("Type", ""))
    if record.get("RecordType") == "SpamComplaint" or kind == "SpamComplaint":
        return [(email, "complaint", "Postmark spam complaint")]
    if record.get("RecordType") != "Bounce":
        return []
    if kind in ("HardBounce", "BadEmailAddress"):
        return [(email, "hard", f"Postmark {kind}")]
    if kind in ("SoftBounce", "Transient", "DnsError"):
        return [(email, "soft", f"Postmark {kind}")]
    return []


def verify_mailgun(payload: dict[str, Any], key: str) -> None:
    signature = payload.get("signature")
    if not isinstance(signature, dict):
        raise Refused(403, "no signature")
    timestamp, token = str(signature.get("timestamp", "")), str(signature.get("token", ""))
    _fresh(timestamp)
    expected = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), str(signature.get("signature", "")).encode()):
        raise Refused(403, "bad Mailgun signature")


def mailgun_events(data: dict[str, Any]) -> list[Event]:
    email, event = str(data.get("recipient", "")), data.get("event")
    if event == "complained":
        return [(email, "complaint", "Mailgun complaint")]
    if event == "failed":
        severity = data.get("severity")
        status = (data.get("delivery-status") or {}).get("code", "")
        return [(email, "hard" if severity == "permanent" else "soft", f"Mailgun {status}")]
    return []


def verify_sendgrid(body: bytes, signature: str, timestamp: str, public_key: str) -> None:
    _fresh(timestamp)
    try:
        key = serialization.load_der_public_key(base64.b64decode(public_key))
        sig = base64.b64decode(signature, validate=True)
    except (ValueError, binascii.Error):
        raise Refused(403, "bad SendGrid signature or key") from None
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise Refused(403, "the SendGrid verification key is not an EC key")
    try:
        key.verify(sig, timestamp.encode() + body, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise Refused(403, "bad SendGrid signature") from None


def sendgrid_events(event: dict[str, Any]) -> list[Event]:
    email, name = str(event.get("email", "")), event.get("event")
    if name == "spamreport":
        return [(email, "complaint", "SendGrid spam report")]
    if name == "bounce":
        blocked = event.get("type") == "blocked"
        detail = f"SendGrid {event.get('type', 'bounce')} {event.get('status', '')}".strip()
        return [(email, "soft" if blocked else "hard", detail)]
    return []


# --- applying and routing ------------------------------------------------------------------


def apply(db: Database, config: Config, events: list[Event], source: str) -> int:
    """Act on each verified event whose address is a subscriber; return how many were."""
    applied = 0
    for address, kind, detail in events:
        sub = store.find(db, address) if address else None
        if sub is None or sub.id is None:
            continue
        edition = bounce_events.latest_edition_sent_to(db, sub.id)
        outcome = act(db, config, Tie(sub.id, edition), kind, source=source, detail=detail)
        log.info("hook=%s subscriber=%s kind=%s outcome=%s", source, sub.id, kind, outcome)
        applied += 1
    return applied


def routes(site: Site) -> list[Route]:
    hooks = site.config.hooks
    certificates = SnsCertificates(site.config)

    def endpoint(source: str, enabled: bool, read: Any) -> Route:
        async def handler(request: Request) -> Response:
            if not enabled:
                return JSONResponse({"error": "not configured"}, status_code=404)
            try:
                events = await read(request, await _body(request, hooks.max_bytes))
            except Refused as e:
                log.warning("hook=%s refused status=%d why=%r", source, e.status, str(e))
                headers = {"WWW-Authenticate": 'Basic realm="hooks"'} if e.status == 401 else None
                return JSONResponse({"error": str(e)}, status_code=e.status, headers=headers)
            applied = await site.call(apply, site.config, events, source)
            return JSONResponse({"events": len(events), "applied": applied})

        return Route(f"/hooks/{source}", handler, methods=["POST"])

    async def ses(request: Request, body: bytes) -> list[Event]:
        message = _json(body)
        if not isinstance(message, dict):
            raise Refused(400, "not an SNS message")
        await verify_sns(message, certificates, hooks.ses_topic_arns)
        if message["Type"] == "SubscriptionConfirmation":
            log.warning(
                "hook=ses subscription to %s awaits confirmation: open %s",
                message.get("TopicArn"),
                message.get("SubscribeURL"),
            )
            return []
        if message["Type"] != "Notification":
            return []
        notification = _json(str(message.get("Message", "")).encode())
        return ses_events(notification) if isinstance(notification, dict) else []

    async def postmark(request: Request, body: bytes) -> list[Event]:
        password = os.environ.get(POSTMARK_PASSWORD_ENV, "")
        header = request.headers.get("authorization", "")
        if not (hooks.postmark_username and password) or not check_basic_auth(
            header, hooks.postmark_username, password
        ):
            raise Refused(401, "Basic auth required")
        record = _json(body)
        return postmark_events(record) if isinstance(record, dict) else []

    async def mailgun(request: Request, body: bytes) -> list[Event]:
        payload = _json(body)
        if not isinstance(payload, dict):
            raise Refused(400, "not a Mailgun webhook")
        verify_mailgun(payload, os.environ.get(MAILGUN_KEY_ENV, ""))
        data = payload.get("event-data")
        return mailgun_events(data) if isinstance(data, dict) else []

    async def sendgrid(request: Request, body: bytes) -> list[Event]:
        signature = request.headers.get("x-twilio-email-event-webhook-signature", "")
        timestamp = request.headers.get("x-twilio-email-event-webhook-timestamp", "")
        verify_sendgrid(body, signature, timestamp, hooks.sendgrid_public_key or "")
        events = _json(body)
        if not isinstance(events, list):
            raise Refused(400, "not a list of SendGrid events")
        return [found for e in events if isinstance(e, dict) for found in sendgrid_events(e)]

    return [
        endpoint("ses", bool(hooks.ses_topic_arns), ses),
        endpoint("postmark", bool(hooks.postmark_username), postmark),
        endpoint("mailgun", bool(os.environ.get(MAILGUN_KEY_ENV)), mailgun),
        endpoint("sendgrid", bool(hooks.sendgrid_public_key), sendgrid),
    ]
