"""What the write stage needs of the configuration, taken once at the edge (flow, evaluation)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from digest.config import Config
from digest.language.fold import fold
from digest.language.names import Aliases, load_aliases


@dataclass(frozen=True)
class WriteSettings:
    aliases: Aliases  # the shipped table and the operator's files
    source_priority: tuple[str, ...]  # folded outlet names, most trusted first
    feed_priority: Mapping[str, int]  # folded feed name → the feed's priority

    @classmethod
    def of(cls, config: Config) -> WriteSettings:
        return cls(
            aliases=load_aliases(config),
            source_priority=tuple(fold(n) for n in config.writing.source_priority),
            feed_priority={fold(f.name): f.priority for f in config.feeds},
        )
