"""A real IMAP server for the inbox tests: Dovecot (from the Debian package dovecot-imapd, which
`make test` installs when it can), configured in a temporary folder, listening on 127.0.0.1 with
plain authentication of one passwd-file user and Maildir storage. Tests that need it are skipped
where Dovecot is missing or cannot run (it needs root to start)."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.mailserver import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "digest", "imap-test-password"

CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@dataclass(frozen=True)
class Imap:
    port: int
    user: str = USER
    password: str = PASSWORD

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(self.user, self.password)
        return conn

    def append(self, messages: list[bytes], folder: str = "INBOX") -> None:
        """Deliver messages the way a mail server's local delivery would, unseen."""
        conn = self.client()
        try:
            for m in messages:
                status, _ = conn.append(folder, "", imaplib.Time2Internaldate(time.time()), m)
                assert status == "OK"
        finally:
            conn.logout()

    def unseen(self, folder: str = "INBOX") -> int:
        conn = self.client()
        try:
            conn.select(folder)
            _, found = conn.search(None, "UNSEEN")
            return len(found[0].split()) if found and found[0] else 0
        finally:
            conn.logout()


def dovecot_available() -> str | None:
    """None when Dovecot can be started here, else why not."""
    if not Path(DOVECOT).exists():
        return "dovecot is not installed (apt-get install dovecot-imapd; `make test` tries it)"
    if os.geteuid() != 0:
        return "dovecot needs root to start"
    return None


@contextmanager
def dovecot() -> Iterator[Imap]:
    """Dovecot on a free 127.0.0.1 port, its files in a fresh folder; yields where to reach it."""
    why = dovecot_available()
    if why:
        pytest.skip(why)
    root = Path(tempfile.mkdtemp(prefix="digest-imap-"))
    root.chmod(0o755)  # Dovecot's unprivileged processes read their folders in it
    owner = pwd.getpwnam("dovecot")
    for sub in ("mail", "home"):
        (root / sub).mkdir()
        os.chown(root / sub, owner.pw_uid, owner.pw_gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n", encoding="utf-8")
    port = free_port()
    conf = root / "dovecot.conf"
    conf.write_text(
        CONF.format(root=root, port=port, uid=owner.pw_uid, gid=owner.pw_gid), encoding="utf-8"
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        server = Imap(port)
        deadline = time.monotonic() + 20
        while True:
            try:
                server.client().logout()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (root / "dovecot.log").read_text(errors="replace")[-2000:]
                    out = process.stdout.read().decode(errors="replace") if process.stdout else ""
                    pytest.fail(f"dovecot did not start: {out} {log}")
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)
