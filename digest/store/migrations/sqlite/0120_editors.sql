-- web: the editors' accounts (a password hashed with scrypt, salted per account) and, per
-- edition, who changed its state or edited it, and when.
CREATE TABLE editors (
    name          TEXT PRIMARY KEY,
    email         TEXT,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE edition_history (
    id         INTEGER PRIMARY KEY,
    edition_id TEXT NOT NULL,
    at         TEXT NOT NULL,
    by         TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX edition_history_edition ON edition_history (edition_id, id);
