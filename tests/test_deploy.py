"""The deployment files: the compose file's shape (no container engine here to run it), and the
systemd units' hardening (checked by systemd-analyze where it is installed)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = ("digest.service", "digest-web.service")


def seconds(duration: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    return int(duration[:-1]) * units[duration[-1]]


def test_compose_runs_web_daemon_and_postgres_with_healthchecks() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"web", "daemon", "db"}
    for name in ("web", "daemon", "db"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["daemon"]["healthcheck"]["test"] == ["CMD", "digest", "status"]
    assert seconds(services["daemon"]["stop_grace_period"]) >= 600  # a send may finish
    for name in ("web", "daemon"):
        service = services[name]
        assert service["environment"]["DIGEST_DB"].startswith("postgresql://digest:")
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert service["command"][0] == "digest"
        assert (DEPLOY / service["build"]["context"]).resolve() == DEPLOY.parent
        assert (DEPLOY.parent / service["build"]["dockerfile"]).is_file()


def unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser["Service"]


@pytest.mark.parametrize("name", UNITS)
def test_units_are_hardened(name: str) -> None:
    service = unit(name)
    assert service["CapabilityBoundingSet"] == ""
    assert service["PrivateDevices"] == "yes" and service["UMask"] == "0027"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == "/var/lib/digest" and service["ProtectHome"] == "yes"
    assert service["SystemCallFilter"] == "@system-service"
    assert set(service["RestrictAddressFamilies"].split()) == {"AF_UNIX", "AF_INET", "AF_INET6"}


def test_the_daemon_has_ten_minutes_to_finish_a_send() -> None:
    assert unit("digest.service")["TimeoutStopSec"] == "10min"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_analyze_accepts_the_units(tmp_path: Path) -> None:
    for name in UNITS:  # the program is not installed here: point ExecStart at one that is
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("/opt/digest/.venv/bin/digest", "/bin/true"))
    paths = [str(tmp_path / n) for n in UNITS]
    verify = subprocess.run(["systemd-analyze", "verify", *paths], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr
    for path in paths:
        security = subprocess.run(
            ["systemd-analyze", "security", "--offline=true", "--threshold=30", path],
            capture_output=True,
            text=True,
        )
        assert security.returncode == 0, security.stdout[-500:]
