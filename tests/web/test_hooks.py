"""ESP webhooks over real HTTP: payloads shaped like the providers' documented examples, signed
as each provider signs them (SNS RSA certificate, Basic auth, Mailgun HMAC, SendGrid ECDSA) with
keys made here; anything unverified is refused and changes nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from digest.config import load_config
from digest.store import bounce_events, open_db
from digest.store import subscribers as store
from digest.web.limits import PUBLIC_BODY, BodyLimit
from tests.support.webserver import serving, web_env, write_config

TOPIC = "arn:aws:sns:eu-west-3:123456789012:digest-ses"
CERT_URL = "https://sns.eu-west-3.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem"
POSTMARK_USER, POSTMARK_PASSWORD = "postmark", "postmark-hook-password"
MAILGUN_KEY = "key-0123456789abcdef0123456789abcdef"
PEOPLE = [f"lecteur{i}@exemple.fr" for i in range(6)]


class Keys:
    """An SNS-like signing certificate and a SendGrid-like verification key, made for the test."""

    def __init__(self, folder: Path) -> None:
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")])
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.rsa.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .sign(self.rsa, hashes.SHA256())
        )
        self.cert_file = folder / "sns.pem"
        self.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        self.ec = ec.generate_private_key(ec.SECP256R1())
        der = self.ec.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.sendgrid_public = base64.b64encode(der).decode()

    def sns(self, message: dict, version: str = "2") -> dict:
        """Sign an SNS message the way the SNS documentation describes (fields in order)."""
        fields = (
            ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            if message["Type"] == "Notification"
            else ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
        )
        text = "".join(f"{k}\n{message[k]}\n" for k in fields if k in message)
        digest = hashes.SHA256() if version == "2" else hashes.SHA1()
        signature = self.rsa.sign(text.encode(), padding.PKCS1v15(), digest)
        return {
            **message,
            "SignatureVersion": version,
            "Signature": base64.b64encode(signature).decode(),
            "SigningCertURL": message.get("SigningCertURL", CERT_URL),
        }

    def sendgrid(self, body: bytes, timestamp: str | None = None) -> dict[str, str]:
        stamp = timestamp or str(int(time.time()))
        signature = self.ec.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": stamp,
            "Content-Type": "application/json",
        }


@pytest.fixture
def hooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_location: Path
) -> Iterator[tuple[httpx.Client, Keys, Path]]:
    web_env(monkeypatch)
    monkeypatch.setenv("DIGEST_POSTMARK_PASSWORD", POSTMARK_PASSWORD)
    monkeypatch.setenv("DIGEST_MAILGUN_SIGNING_KEY", MAILGUN_KEY)
    keys = Keys(tmp_path)
    write_config(tmp_path)
    path = tmp_path / "feeds.yaml"
    settings = {
        "ses_topic_arns": [TOPIC],
        "sns_certificates": {CERT_URL: str(keys.cert_file)},
        "postmark_username": POSTMARK_USER,
        "sendgrid_public_key": keys.sendgrid_public,
        "max_bytes": 64 * 1024,
    }
    path.write_text(path.read_text() + f"hooks: {json.dumps(settings)}\n", encoding="utf-8")
    db_path = db_location  # a SQLite file, then a PostgreSQL database
    db = open_db(db_path)
    store.insert_many(db, [(p, "") for p in PEOPLE], state="active", source="test")
    db.close()
    with serving(load_config(path), db_path) as url, httpx.Client(base_url=url) as client:
        yield client, keys, db_path


def _states(db_path: Path) -> list[str]:
    db = open_db(db_path)
    try:
        return [store.find(db, p).state for p in PEOPLE]  # type: ignore[union-attr]
    finally:
        db.close()


def _ses_notification(kind: str, address: str, bounce_type: str = "Permanent") -> dict:
    """An SES notification in an SNS envelope, after the examples of the SES documentation."""
    mail = {
        "timestamp": "2024-05-14T06:00:00.000Z",
        "source": "digest@example.org",
        "messageId": "0102018f7a1b2c3d-11111111-2222-3333-4444-555555555555-000000",
        "destination": [address],
    }
    if kind == "Bounce":
        body = {
            "notificationType": "Bounce",
            "bounce": {
                "bounceType": bounce_type,
                "bounceSubType": "General",
                "bouncedRecipients": [
                    {"emailAddress": address, "action": "failed", "status": "5.1.1"}
                ],
                "timestamp": "2024-05-14T06:00:02.000Z",
                "feedbackId": "0102018f7a1b2c3e-aaaa",
            },
            "mail": mail,
        }
    else:
        body = {
            "notificationType": "Complaint",
            "complaint": {
                "complainedRecipients": [{"emailAddress": address}],
                "complaintFeedbackType": "abuse",
                "timestamp": "2024-05-14T07:00:00.000Z",
                "feedbackId": "0102018f7a1b2c3f-bbbb",
            },
            "mail": mail,
        }
    return {
        "Type": "Notification",
        "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        "TopicArn": TOPIC,
        "Message": json.dumps(body),
        "Timestamp": "2024-05-14T06:00:03.000Z",
        "UnsubscribeURL": "https://sns.eu-west-3.amazonaws.com/?Action=Unsubscribe",
    }


def test_ses_through_sns_signatures(hooks) -> None:
    client, keys, db_path = hooks
    a, b, c, d = PEOPLE[:4]
    forged = keys.sns(_ses_notification("Bounce", d))
    forged["Message"] = forged["Message"].replace(d, a)  # re-addressed after signing
    other_host = keys.sns(
        {**_ses_notification("Bounce", d), "SigningCertURL": "https://sns.evil.example/x.pem"}
    )
    other_topic = keys.sns({**_ses_notification("Bounce", d), "TopicArn": TOPIC + "-x"})
    for refused in (forged, other_host, other_topic):
        answer = client.post("/hooks/ses", content=json.dumps(refused))
        assert answer.status_code == 403, answer.text
    assert _states(db_path) == ["active"] * 6
    confirm = keys.sns(
        {
            "Type": "SubscriptionConfirmation",
            "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
            "Token": "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a",
            "TopicArn": TOPIC,
            "Message": "You have chosen to subscribe to the topic.",
            "SubscribeURL": "https://sns.eu-west-3.amazonaws.com/?Action=ConfirmSubscription",
            "Timestamp": "2024-05-14T05:00:00.000Z",
        }
    )
    assert client.post("/hooks/ses", content=json.dumps(confirm)).status_code == 200
    for message, version in (
        (_ses_notification("Bounce", a), "2"),
        (_ses_notification("Complaint", b), "1"),
        (_ses_notification("Bounce", c, "Transient"), "2"),
    ):
        answer = client.post("/hooks/ses", content=json.dumps(keys.sns(message, version)))
        assert answer.status_code == 200 and answer.json()["applied"] == 1
    assert _states(db_path) == ["bounced", "complained", "active", "active", "active", "active"]
    db = open_db(db_path)
    soft = bounce_events.listing(db, store.find(db, c).id)  # type: ignore[union-attr]
    db.close()
    assert [(r["kind"], r["source"], r["tied"]) for r in soft] == [("soft", "ses", 1)]


def test_postmark_basic_auth(hooks) -> None:
    client, _, db_path = hooks
    bounce = {
        "RecordType": "Bounce",
        "ID": 42,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Description": "The server was unable to deliver your message.",
        "Email": PEOPLE[0],
        "BouncedAt": "2024-05-14T08:00:00Z",
        "Inactive": True,
    }
    complaint = {**bounce, "RecordType": "SpamComplaint", "Type": "SpamComplaint", "TypeCode": 512}
    complaint["Email"] = PEOPLE[1]
    missing = client.post("/hooks/postmark", json=bounce)
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Basic")
    wrong = client.post("/hooks/postmark", json=bounce, auth=(POSTMARK_USER, "devine"))
    assert wrong.status_code == 401
    assert _states(db_path) == ["active"] * 6
    for record in (bounce, complaint):
        done = client.post("/hooks/postmark", json=record, auth=(POSTMARK_USER, POSTMARK_PASSWORD))
        assert done.status_code == 200 and done.json()["applied"] == 1
    assert _states(db_path)[:2] == ["bounced", "complained"]


def _mailgun(event: dict, key: str = MAILGUN_KEY, timestamp: int | None = None) -> dict:
    stamp, token = str(timestamp or int(time.time())), "e0b5477167110d68991efc6b9f89f0a11066af2783"
    digest = hmac.new(key.encode(), (stamp + token).encode(), hashlib.sha256).hexdigest()
    return {
        "signature": {"timestamp": stamp, "token": token, "signature": digest},
        "event-data": event,
    }


def test_mailgun_hmac(hooks) -> None:
    client, _, db_path = hooks
    failed = {
        "event": "failed",
        "severity": "permanent",
        "reason": "bounce",
        "recipient": PEOPLE[0],
        "delivery-status": {"code": 550, "message": "5.1.1 The email account does not exist"},
        "timestamp": 1715673600.0,
    }
    complained = {"event": "complained", "recipient": PEOPLE[1], "timestamp": 1715673601.0}
    for refused in (
        _mailgun(failed, key="key-not-the-right-one-000000000000"),
        _mailgun(failed, timestamp=int(time.time()) - 3 * 24 * 3600),  # an old call replayed
        {"event-data": failed},
    ):
        assert client.post("/hooks/mailgun", json=refused).status_code == 403
    assert _states(db_path) == ["active"] * 6
    for event in (failed, complained):
        done = client.post("/hooks/mailgun", json=_mailgun(event))
        assert done.status_code == 200 and done.json()["applied"] == 1
    assert _states(db_path)[:2] == ["bounced", "complained"]


def test_sendgrid_ecdsa(hooks) -> None:
    client, keys, db_path = hooks
    events = [
        {
            "email": PEOPLE[0],
            "timestamp": 1715673600,
            "event": "bounce",
            "type": "bounce",
            "status": "5.1.1",
            "reason": "550 5.1.1 The email account that you tried to reach does not exist.",
            "sg_event_id": "ZGVsaXZlcmVkLTAtMjQ1",
            "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        },
        {"email": PEOPLE[1], "timestamp": 1715673601, "event": "spamreport"},
        {"email": PEOPLE[2], "timestamp": 1715673602, "event": "deferred", "attempt": "1"},
        {"email": PEOPLE[3], "timestamp": 1715673603, "event": "bounce", "type": "blocked"},
    ]
    body = json.dumps(events).encode()
    headers = keys.sendgrid(body)
    tampered = body.replace(PEOPLE[0].encode(), PEOPLE[4].encode())
    assert client.post("/hooks/sendgrid", content=tampered, headers=headers).status_code == 403
    unsigned = {"Content-Type": "application/json"}
    assert client.post("/hooks/sendgrid", content=body, headers=unsigned).status_code == 403
    assert _states(db_path) == ["active"] * 6
    done = client.post("/hooks/sendgrid", content=body, headers=headers)
    assert done.status_code == 200 and done.json() == {"events": 3, "applied": 3}
    assert _states(db_path)[:5] == ["bounced", "complained", "active", "active", "active"]


def test_bodies_are_capped_and_unset_providers_are_off(
    hooks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, keys, db_path = hooks
    huge = b"[" + b'{"email": "x@exemple.fr", "event": "bounce"},' * 2000 + b"{}]"
    for provider in ("ses", "postmark", "mailgun", "sendgrid"):
        answer = client.post(f"/hooks/{provider}", content=huge, headers=keys.sendgrid(huge))
        assert answer.status_code == 413, provider
    assert _states(db_path) == ["active"] * 6
    monkeypatch.delenv("DIGEST_MAILGUN_SIGNING_KEY")
    (tmp_path / "plain").mkdir()
    with serving(write_config(tmp_path / "plain"), tmp_path / "plain" / "plain.db") as url:
        for provider in ("ses", "postmark", "mailgun", "sendgrid"):
            assert httpx.post(f"{url}/hooks/{provider}", json={}).status_code == 404


def test_a_provider_batch_over_the_public_form_cap_is_read() -> None:
    """Providers batch events (an SNS message reaches 256 KB): /hooks/ has its own cap, the
    public forms keep theirs."""

    async def app(scope, receive, send) -> None:
        return None

    limit = BodyLimit(app, editor_limit=1 << 20, hooks_limit=300 * 1024, timeout=5)
    assert limit.limit_for("/hooks/ses") == 300 * 1024
    assert limit.limit_for("/subscribe") == PUBLIC_BODY < 300 * 1024
    assert limit.limit_for("/editor/editions") == 1 << 20
