-- Editors' own values: a story's headline, summary or fact set by an editor (kept across polls
-- and rebuilds until undone), an edition's subject, preheader, opening line, order and lead,
-- and the opening line an edition was built with.
CREATE TABLE story_overrides (
    story_id   TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,   -- JSON: the editor's value (null: the fact removed)
    editor     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (story_id, field)
);

CREATE TABLE edition_overrides (
    edition_id TEXT NOT NULL,
    field      TEXT NOT NULL,   -- subject | preheader | opening | order | lead
    value      TEXT NOT NULL,   -- JSON
    editor     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (edition_id, field)
);

ALTER TABLE editions ADD COLUMN opening TEXT NOT NULL DEFAULT '';
