"""How stories are named and found: stable ids, and the index keys and weeks under which a
story is filed and a mention looks for candidates (never a scan of every story)."""

from __future__ import annotations

import hashlib
import math

from digest.group.fit import EVENT, Evidence, Profile, compact
from digest.models import Item

WEEK = 7.0
_STEP = math.log(1.25)
_LOOSE = math.ceil(math.log(2.5) / _STEP)  # "plus de X", "jusqu'à X" reach 2.5×


def story_id_for(item: Item, ordinal: int) -> str:
    """A stable id from the creating mention: 'st-' + a short hash of its item and ordinal."""
    ref = f"{item.guid or item.url}#{ordinal}"
    return "st-" + hashlib.blake2b(ref.encode(), digest_size=5).hexdigest()


def lookup_keys(f: Evidence) -> list[str]:
    """Keys under which a mention looks for stories: its identities (the beneficiary and main
    investor when there is a beneficiary, else every investor named), and its places and event
    among stories that have no identity; with no identity, its places and event among all; and
    its amounts, whoever tells them (a misread actor still finds its deal by the sum)."""
    entities = f.entities()
    if f.beneficiary:  # the startup decides: its co-investors (Bpifrance…) would find too much
        identities = {f.beneficiary, *([f.investor] if f.investor else [])}
    else:
        identities = f.identities()
    sums = {f"sum:{n}" for v, _ in f.amounts for n in range(_bucket(v) - 1, _bucket(v) + 2)}
    if f.kind == EVENT and f.event:  # an event meets its topic's stories: the other pages
        sums.add("ent:" + f.event)  # may name its company otherwise (`fit.same_party`)
    if identities:
        return sorted(
            {"id:" + k for k in _forms(identities)} | {"anon:" + e for e in entities} | sums
        )
    return sorted({"ent:" + e for e in entities} | {"anon:" + e for e in entities} | sums)


def index_keys(p: Profile) -> list[str]:
    """Keys under which a story is filed: by identity, entity, and deal (identity and amount),
    or as anonymous entities; and by its amounts."""
    identities, entities = p.identities(), p.entities()
    sums = {f"sum:{_bucket(v)}" for v, _ in p.amounts}
    if identities:
        deal = _forms(set(p.beneficiaries) or set(p.investors))
        deals = {f"deal:{k}:{_bucket(v)}" for k in deal for v, _ in p.amounts}
        keys = {"id:" + k for k in _forms(identities)} | {"ent:" + e for e in entities} | deals
        return sorted(keys | sums)
    return sorted({"anon:" + e for e in entities} | sums)


def _bucket(value: float) -> int:
    """Amounts on a log scale of ratio 1.25: compatible amounts sit in neighbouring buckets."""
    return math.floor(math.log(max(value, 1.0)) / _STEP)


def recall_keys(f: Evidence) -> list[str]:
    """Deal keys under which a mention looks for an older story of the same deal."""
    deal = f.beneficiary or f.investor  # whose deal it is: see digest.signals.recalls
    if not deal:
        return []
    out: set[str] = set()
    for v, qualifier in f.amounts:
        spread = 1 if qualifier in ("exact", "about") else _LOOSE
        b = _bucket(v)
        out |= {f"deal:{k}:{n}" for k in _forms({deal}) for n in range(b - spread, b + spread + 1)}
    return sorted(out)


def _forms(names: set[str]) -> set[str]:
    """Name keys as read and without spaces ('back market', 'backmarket'): a story filed
    before either spelling was compacted is still found."""
    return names | {compact(k) for k in names}


def week(day: float) -> int:
    """The week number of a day (days since the epoch // 7)."""
    return int(day // WEEK)


def weeks(first: float, last: float) -> range:
    """The week numbers from one day to another."""
    return range(week(first), week(last) + 1)


def filed(p: Profile) -> list[tuple[str, int]]:
    """Every (key, week) row a story is filed under."""
    return [(k, w) for k in index_keys(p) for w in weeks(p.first, p.last)]
