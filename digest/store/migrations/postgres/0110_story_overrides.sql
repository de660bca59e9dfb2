-- Editors' own values: a story's headline, summary or fact set by an editor (kept across polls
-- and rebuilds until undone), an edition's subject, preheader, opening line, order and lead,
-- and the opening line an edition was built with.
CREATE TABLE story_overrides (
    story_id   TEXT COLLATE "C" NOT NULL,
    field      TEXT COLLATE "C" NOT NULL,
    value      TEXT COLLATE "C" NOT NULL,   -- JSON: the editor's value (null: the fact removed)
    editor     TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (story_id, field)
);

CREATE TABLE edition_overrides (
    edition_id TEXT COLLATE "C" NOT NULL,
    field      TEXT COLLATE "C" NOT NULL,   -- subject | preheader | opening | order | lead
    value      TEXT COLLATE "C" NOT NULL,   -- JSON
    editor     TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (edition_id, field)
);

ALTER TABLE editions ADD COLUMN opening TEXT COLLATE "C" NOT NULL DEFAULT '';
