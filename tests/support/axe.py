"""axe-core's colour-contrast rule (WCAG AA) run in a Playwright page.

axe-core comes from npm into out/.axe (`make browser` installs it, or the first test that needs
it); the test skips cleanly when neither the file nor npm is there. Pages are opened with
`bypass_csp` so that the injected script runs under the editors' strict CSP.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.browser import REPO

AXE_DIR = REPO / "out" / ".axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def axe_source() -> str:
    """axe.min.js, installed with npm when missing; skips the test when it cannot be had."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("axe-core is not installed and npm is not available")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [npm, "install", "--prefix", str(AXE_DIR), "axe-core@4", "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or not AXE_JS.exists():
            pytest.skip(f"axe-core could not be installed with npm: {done.stderr[-300:]}")
    return Path(AXE_JS).read_text(encoding="utf-8")


def contrast_failures(page: object, source: str) -> list[str]:
    """Each element failing WCAG AA colour contrast: its selector, colours and ratio."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # type: ignore[attr-defined]
        page.add_script_tag(content=source)  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        """async () => {
            const r = await axe.run(document, {runOnly: ['color-contrast'], iframes: false});
            return r.violations.flatMap(v => v.nodes.map(n =>
                n.target.join(' ') + ' :: ' + (n.any[0] ? n.any[0].message : n.failureSummary)));
        }"""
    )
    return list(result)
