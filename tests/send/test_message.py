"""The message of an edition: headers, both parts, and per-subscriber substitution."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest

from digest.edition.unsubscribe import UNSUBSCRIBE_PLACEHOLDER
from digest.send.message import (
    TEST_PREFIX,
    build_message,
    message_id,
    prepare,
    render_copy,
    to_wire,
)
from tests.support.sendkit import config_for, make_edition

URL = "https://digest.example.org/unsubscribe/42.AbCdEfGhIjKlMnOpQrStUvWx"


def test_build_message_has_every_header_and_both_parts(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    edition = make_edition()
    msg = build_message(edition, config, to="lectrice@exemple.fr", unsubscribe_url=URL)
    assert msg.get_content_type() == "multipart/alternative"
    plain, html = msg.iter_parts()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert msg["From"] == config.newsletter.sender
    assert msg["Reply-To"] == config.newsletter.reply_to
    assert msg["To"] == "lectrice@exemple.fr"
    assert msg["Subject"] == edition.subject
    assert msg["Date"].datetime is not None
    assert msg["Message-ID"].startswith("<digest.") and msg["Message-ID"].endswith("@example.org>")
    assert msg["List-Id"] == "Le Digest <digest.example.org>"
    assert str(msg["List-Unsubscribe"]) == (
        f"<{URL}>, <mailto:unsubscribe+42.AbCdEfGhIjKlMnOpQrStUvWx@example.org?subject=unsubscribe>"
    )
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert plain.get_content() == edition.text.replace(UNSUBSCRIBE_PLACEHOLDER, URL)
    assert html.get_content() == edition.html.replace(UNSUBSCRIBE_PLACEHOLDER, URL)


def test_test_copies_say_so_and_a_sample_has_no_list_unsubscribe(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    msg = build_message(make_edition(), config, to="a@exemple.fr", unsubscribe_url=None, test=True)
    assert msg["Subject"].startswith(TEST_PREFIX)
    assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None
    assert "https://digest.example.org/unsubscribe" in msg.get_body(("plain",)).get_content()
    assert UNSUBSCRIBE_PLACEHOLDER not in msg.as_string()


@pytest.mark.parametrize(
    "body",
    [
        "=".join(["é" * 90, "a" * 200, " \t \n.\n..\nFrom x\n"]) + UNSUBSCRIBE_PLACEHOLDER,
        UNSUBSCRIBE_PLACEHOLDER + "\r\n" + "x" * 75 + UNSUBSCRIBE_PLACEHOLDER + "fin ",
        "ligne\n" * 3 + "=3D" + UNSUBSCRIBE_PLACEHOLDER + "€" * 40 + "\n\n",
    ],
)
def test_substitution_survives_quoted_printable_edges(tmp_path: Path, body: str) -> None:
    config = config_for(tmp_path)
    edition = make_edition()
    edition.text, edition.html = body, f"<p>{body}</p>"
    template = prepare(edition, config)
    raw = render_copy(template, to="a@exemple.fr", unsubscribe_url=URL, message_id="<x@y>")
    assert raw.isascii() and all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only, as SMTP wants
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    expected = body.replace("\r\n", "\n").replace(UNSUBSCRIBE_PLACEHOLDER, URL)
    plain = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert plain == expected


def test_copies_differ_only_in_their_personal_parts(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    template = prepare(make_edition(), config)
    a = render_copy(
        template, to="a@exemple.fr", unsubscribe_url=URL, message_id=message_id(template, 1)
    )
    b = render_copy(
        template,
        to="b@exemple.fr",
        unsubscribe_url=URL.replace("42.", "43."),
        message_id=message_id(template, 2),
    )
    assert message_id(template, 1) == message_id(template, 1)  # stable: a re-send keeps it
    body_a, body_b = a.split(b"\r\n\r\n", 1)[1], b.split(b"\r\n\r\n", 1)[1]
    assert body_a.replace(b"/42.", b"/43.") == body_b


def test_names_and_non_ascii_subjects_are_encoded(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    edition = make_edition(subject="Levées : 1,2 milliard d'euros pour l'été — « IA »")
    template = prepare(edition, config)
    raw = render_copy(
        template, to="zoe@exemple.fr", name="Zoé Lefèvre", unsubscribe_url=URL, message_id="<a@b>"
    )
    assert raw.isascii()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Subject"] == edition.subject
    assert msg["To"].addresses[0].display_name == "Zoé Lefèvre"


def test_the_wire_form_is_the_message_dot_stuffed(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    edition = make_edition()
    edition.text = ".début\n..deux\n" + UNSUBSCRIBE_PLACEHOLDER + "\n.\nfin"
    edition.html = "<p>\n.x</p>" + UNSUBSCRIBE_PLACEHOLDER
    template = prepare(edition, config)
    url = "https://digest.example.org/unsubscribe/" + "7" * 36 + ".AAAA"  # 75 chars, then "."
    copies = [
        render_copy(template, to="a@exemple.fr", unsubscribe_url=url, message_id="<m@x>", wire=w)
        for w in (False, True)
    ]
    plain, wire = (re.sub(rb"Date: [^\r]+", b"", c) for c in copies)
    assert wire == to_wire(plain) and wire.endswith(b"\r\n.\r\n")
    assert b"\r\n..d" in wire  # the text's leading dots are doubled on the wire
    assert b"\r\n..AAAA" in wire  # and so is the URL's, where quoted-printable folds it
