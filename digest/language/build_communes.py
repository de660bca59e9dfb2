"""Rebuild data/communes.tsv.gz, the table of French communes, départements and régions, from
INSEE's code officiel géographique as the npm package @etalab/decoupage-administratif ships it:

    npm pack @etalab/decoupage-administratif@6.0.0
    tar xzf etalab-decoupage-administratif-6.0.0.tgz
    python -m digest.language.build_communes package/data

The table has one line per région (R code name), département (D code name région) and commune
name (C name département). A name several communes share (homonyms) is kept when they all lie in
one région, or when the most populous has HOMONYM_RATIO times the people of the next one (it is
then that one); otherwise the name is left out and the place stays unknown. Communes déléguées
and associées (the old communes of a merger) are kept under their own name when no current
commune has it.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

from digest.language.fold import name_key

HOMONYM_RATIO = 5
OUT = Path(__file__).parent / "data" / "communes.tsv.gz"


def _resolve(homonyms: list[tuple[int, str, str]], region_of: dict[str, str]) -> str | None:
    """The département a name stands for among its (population, département, name) communes."""
    ranked = sorted(homonyms, reverse=True)
    if len({region_of[dep] for _, dep, _ in ranked}) == 1:
        return ranked[0][1]
    if ranked[0][0] >= HOMONYM_RATIO * max(ranked[1][0], 1):
        return ranked[0][1]
    return None


def build(folder: Path) -> list[str]:
    """The lines of the table from the package's data folder."""
    load = lambda name: json.loads((folder / name).read_text(encoding="utf-8"))  # noqa: E731
    regions = {r["code"]: r["nom"] for r in load("regions.json")}
    departements = {d["code"]: (d["nom"], d["region"]) for d in load("departements.json")}
    region_of = {code: region for code, (_, region) in departements.items()}
    current: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    former: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for c in load("communes.json"):
        if c["type"] == "arrondissement-municipal" or c.get("departement") not in departements:
            continue
        table = current if c["type"] == "commune-actuelle" else former
        table[name_key(c["nom"])].append((c.get("population") or 0, c["departement"], c["nom"]))
    for key in set(former) & set(current):
        del former[key]
    lines = [f"R\t{code}\t{name}" for code, name in sorted(regions.items())]
    lines += [f"D\t{code}\t{name}\t{reg}" for code, (name, reg) in sorted(departements.items())]
    communes = []
    for homonyms in (*current.values(), *former.values()):
        dep = _resolve(homonyms, region_of) if len(homonyms) > 1 else homonyms[0][1]
        if dep:
            communes.append((dep, max(homonyms, key=lambda h: (h[1] == dep, h[0]))[2]))
    # sorted by département, gzip finds the repeated codes
    return lines + [f"C\t{name}\t{dep}" for dep, name in sorted(communes)]


def main(argv: list[str]) -> None:
    lines = build(Path(argv[0]))
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    print(f"{OUT}: {len(lines)} lines, {OUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
