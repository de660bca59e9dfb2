"""PostgreSQL behind the sqlite3 connection API the store is written against (psycopg 3).

The store's SQL is one text for both engines: `?` placeholders (rewritten to `%s` here, once per
query text), `ON CONFLICT … DO NOTHING`, `RETURNING`. What differs lives in digest.store (the
migrations folder, transaction(), json_field()) and in this wrapper: rows read by name or by
position, booleans sent as the 0/1 integers the schema stores, `BEGIN`/`COMMIT` as statements.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

URL_PREFIXES = ("postgresql://", "postgres://")
_QUOTED = re.compile(r"('(?:[^']|'')*')")


def is_url(location: object) -> bool:
    """Whether a `database:` value names a PostgreSQL server rather than a SQLite file."""
    return isinstance(location, str) and location.startswith(URL_PREFIXES)


class Row(tuple):
    """A result row read like sqlite3.Row: row[0], row["name"], keys(), dict(row)."""

    _index: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    index = {c.name: i for i, c in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        row = Row(values)
        row._index = index
        return row

    return make


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """`?` placeholders as `%s`, a literal `%` doubled; quoted text left as it is."""
    parts = _QUOTED.split(sql)
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("%", "%%").replace("?", "%s")
    return "".join(parts)


def _params(params: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(int(p) if isinstance(p, bool) else p for p in params)


class PgConnection:
    """One psycopg connection in autocommit mode, with sqlite3.Connection's execute API."""

    def __init__(self, raw: psycopg.Connection[Any], url: str) -> None:
        self.raw = raw
        self.url = url

    # Any, as sqlite3's cursors are: rows are read by name or position whatever the engine
    def execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
        cur = self.raw.cursor(row_factory=_row_factory)
        cur.execute(translate(sql), _params(params))
        return cur

    def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> Any:
        cur = self.raw.cursor(row_factory=_row_factory)
        cur.executemany(translate(sql), [_params(p) for p in seq])
        return cur

    def script(self, sql: str) -> None:
        """Run several statements (a migration file) as they are written."""
        self.raw.execute(sql.encode())  # bytes: no placeholder parsing

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def connect(url: str) -> PgConnection:
    """Connect to the server named by a postgresql:// URL (psycopg must be installed)."""
    try:
        import psycopg
    except ImportError as e:
        raise ImportError(
            "a postgresql:// database needs psycopg: pip install 'digest[postgres]'"
        ) from e
    name = f"digest {os.path.basename(sys.argv[0] or 'python')} {os.getpid()}"
    raw = psycopg.connect(url, autocommit=True, application_name=name[:63], connect_timeout=10)
    return PgConnection(raw, url)
