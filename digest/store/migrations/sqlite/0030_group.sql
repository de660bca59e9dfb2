-- Grouping's memory, so a poll only does the work of its new mentions: each story's profile
-- (the facts it gathered), the index that finds candidate stories by key and week, the document
-- frequencies of the TF-IDF terms, and the MinHash signatures that recognise syndicated copies.

CREATE TABLE story_profiles (
    story_id  TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    profile   TEXT NOT NULL                         -- JSON of digest.signals.Profile
);

CREATE TABLE story_keys (                           -- id:<investor|beneficiary>, ent:<place|event>, anon:…
    key       TEXT NOT NULL,
    week      INTEGER NOT NULL,                     -- days since the epoch // 7
    story_id  TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    PRIMARY KEY (key, week, story_id)
) WITHOUT ROWID;
CREATE INDEX story_keys_story ON story_keys(story_id);

CREATE TABLE term_frequencies (
    term  TEXT PRIMARY KEY,
    df    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE group_counts (                         -- documents: mentions counted in term_frequencies
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);

CREATE TABLE item_signatures (
    item_id    INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
    signature  TEXT NOT NULL                        -- JSON list of MinHash minima
);

CREATE TABLE item_bands (
    band     INTEGER NOT NULL,
    item_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    PRIMARY KEY (band, item_id)
) WITHOUT ROWID;
