"""DKIM: copies sent through a real SMTP server verify; the signature covers List-Unsubscribe."""

from __future__ import annotations

import base64
import re
import sqlite3
import subprocess
from pathlib import Path

import dkim
import pytest

from digest.config import ConfigError
from digest.send.dkim import signer_for
from digest.send.mailing import send_latest
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import SECRET, add_subscribers, config_for, saved_edition


@pytest.fixture
def key(tmp_path: Path) -> tuple[Path, bytes]:
    """A 2048-bit RSA key made with openssl; returns its file and the DNS TXT record."""
    private = tmp_path / "dkim.pem"
    subprocess.run(
        ["openssl", "genrsa", "-out", str(private), "2048"], check=True, capture_output=True
    )
    der = subprocess.run(
        ["openssl", "rsa", "-in", str(private), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    return private, b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)


def _dns(record: bytes):
    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        return record if name == b"mail._domainkey.example.org." else None

    return lookup


def test_sent_copies_verify_and_cover_both_list_unsubscribe_headers(
    db: sqlite3.Connection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: tuple[Path, bytes],
) -> None:
    monkeypatch.setenv("DIGEST_SECRET", SECRET)
    saved_edition(db)
    (address,) = add_subscribers(db, 1)
    server = Recorder()
    options = {"dkim_selector": "mail", "dkim_domain": "example.org", "dkim_key_file": key[0].name}
    with smtp_server(server) as port:
        send_latest(db, config_for(tmp_path, port, **options))
    (raw,) = server.raw(address)
    assert raw.startswith(b"DKIM-Signature:")
    assert dkim.verify(raw, dnsfunc=_dns(key[1]))
    signed = re.search(rb"h=([^;]+);", re.sub(rb"\r\n\s+", b"", raw)).group(1).split(b":")
    assert {b"list-unsubscribe", b"list-unsubscribe-post", b"from", b"subject"} <= {
        h.strip().lower() for h in signed
    }
    tampered = re.sub(
        rb"List-Unsubscribe-Post: [^\r]+", b"List-Unsubscribe-Post: nothing", raw, count=1
    )
    assert not dkim.verify(tampered, dnsfunc=_dns(key[1]))
    swapped = raw.replace(b"/unsubscribe/", b"/unsubscribe-x/", 1)
    assert not dkim.verify(swapped, dnsfunc=_dns(key[1]))


def test_incomplete_or_unreadable_dkim_settings_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing dkim_domain, dkim_key_file"):
        signer_for(config_for(tmp_path, dkim_selector="mail"))
    options = {"dkim_selector": "mail", "dkim_domain": "example.org", "dkim_key_file": "nope.pem"}
    with pytest.raises(ConfigError, match="dkim_key_file: cannot read"):
        signer_for(config_for(tmp_path, **options))
    (tmp_path / "bad.pem").write_text("not a key")
    options["dkim_key_file"] = "bad.pem"
    with pytest.raises(ConfigError, match="not a usable private key"):
        signer_for(config_for(tmp_path, **options))
