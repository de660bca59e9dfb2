"""The store is SQL only: no module of digest/store imports a stage (nor the spine)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import digest.store

STAGES = ("poll", "read", "group", "write", "edition", "send", "daemon", "web", "cli", "flow")
STORE = Path(digest.store.__file__).parent


def imported(source: str, package: str) -> set[str]:
    """Every module a source imports, anywhere in it (inside functions too), relative ones
    resolved against its package."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def stages_in(modules: set[str]) -> list[str]:
    """The imported modules that belong to a stage."""
    return sorted(
        m for m in modules for s in STAGES if m == f"digest.{s}" or m.startswith(f"digest.{s}.")
    )


@pytest.mark.parametrize(
    ("source", "stage"),
    [
        ("from digest.group.fit import key", "group"),
        ("from digest import flow", "flow"),
        ("import digest.poll.entries", "poll"),
        ("def f():\n    from digest.web import app", "web"),
        ("from ..read import reader", "read"),
        ("from digest.models import Item\nfrom digest.store import now", None),
        ("from digest.codec import dumps\nfrom . import stories", None),
    ],
)
def test_the_check_sees_every_form_of_import(source, stage):
    found = {m.split(".")[1] for m in stages_in(imported(source, "digest.store"))}
    assert found == ({stage} if stage else set())


@pytest.mark.parametrize(
    "path", sorted(STORE.rglob("*.py")), ids=lambda p: str(p.relative_to(STORE))
)
def test_no_store_module_imports_a_stage(path):
    package = ".".join(["digest", "store", *path.relative_to(STORE).parent.parts])
    assert stages_in(imported(path.read_text(), package)) == []
