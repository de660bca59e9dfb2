-- The first schema: every unit of DESIGN.md, from feeds to deliveries.
-- Times are ISO 8601 text in UTC; facts that travel as a whole are JSON of the dataclasses.

CREATE TABLE feeds (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    url            TEXT NOT NULL UNIQUE,
    priority       INTEGER NOT NULL DEFAULT 0,
    lang           TEXT NOT NULL DEFAULT 'fr',
    active         INTEGER NOT NULL DEFAULT 1,
    status         TEXT NOT NULL DEFAULT 'new',     -- new | ok | not_modified | failing | gone
    etag           TEXT,
    last_modified  TEXT,
    last_polled    TEXT,
    next_poll      TEXT,
    failing_since  TEXT,
    error_count    INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    items_seen     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE items (
    id             INTEGER PRIMARY KEY,
    feed_id        INTEGER NOT NULL REFERENCES feeds(id),
    guid           TEXT NOT NULL,
    url            TEXT NOT NULL,
    canonical_url  TEXT NOT NULL,
    title          TEXT NOT NULL,
    text           TEXT NOT NULL,
    lang           TEXT NOT NULL DEFAULT 'fr',
    published      TEXT NOT NULL,
    first_seen     TEXT NOT NULL,
    updated_at     TEXT,
    content_hash   TEXT NOT NULL,
    duplicate_of   INTEGER REFERENCES items(id),
    read_at        TEXT,                            -- NULL: the read stage has not seen it yet
    UNIQUE (feed_id, guid)
);
CREATE INDEX items_canonical_url ON items(canonical_url);
CREATE INDEX items_content_hash ON items(content_hash);
CREATE INDEX items_unread ON items(read_at) WHERE read_at IS NULL;
CREATE INDEX items_published ON items(published);

CREATE TABLE stories (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL DEFAULT 'investment',
    investor         TEXT,
    beneficiary      TEXT,
    first_published  TEXT,
    last_published   TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    merged_into      TEXT REFERENCES stories(id),   -- set when an editor merged it into another
    written          TEXT,                          -- JSON of the written Story, NULL when stale
    written_at       TEXT
);
CREATE INDEX stories_investor ON stories(investor);
CREATE INDEX stories_last_published ON stories(last_published);

CREATE TABLE mentions (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    ordinal     INTEGER NOT NULL,                   -- position of the mention in its item
    kind        TEXT NOT NULL DEFAULT 'investment',
    investor    TEXT,
    beneficiary TEXT,
    facts       TEXT NOT NULL,                      -- JSON of the Mention
    story_id    TEXT REFERENCES stories(id),
    pinned      INTEGER NOT NULL DEFAULT 0,         -- an editor placed it: grouping leaves it be
    UNIQUE (item_id, ordinal)
);
CREATE INDEX mentions_story ON mentions(story_id);
CREATE INDEX mentions_investor ON mentions(investor);
CREATE INDEX mentions_ungrouped ON mentions(story_id) WHERE story_id IS NULL;

CREATE TABLE story_edits (                          -- editors' merges and splits, replayed by grouping
    id          INTEGER PRIMARY KEY,
    action      TEXT NOT NULL,                      -- merge | split
    payload     TEXT NOT NULL,                      -- JSON
    created_at  TEXT NOT NULL
);

CREATE TABLE editions (
    id            TEXT PRIMARY KEY,
    number        INTEGER NOT NULL UNIQUE,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'draft',    -- draft | approved | held | sending | sent | skipped
    subject       TEXT NOT NULL,
    preheader     TEXT NOT NULL,
    html          TEXT NOT NULL,
    text          TEXT NOT NULL,
    checks        TEXT NOT NULL DEFAULT '[]',       -- JSON list of Check
    out_dir       TEXT,
    approved_at   TEXT,
    sent_at       TEXT
);

CREATE TABLE edition_stories (                      -- what each edition said of each story
    edition_id  TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    story_id    TEXT NOT NULL REFERENCES stories(id),
    position    INTEGER NOT NULL,
    written     TEXT NOT NULL,                      -- JSON snapshot of the Story as sent
    dropped     INTEGER NOT NULL DEFAULT 0,         -- an editor dropped it from the edition
    PRIMARY KEY (edition_id, story_id)
);

CREATE TABLE subscribers (
    id          INTEGER PRIMARY KEY,
    email       TEXT NOT NULL,
    email_key   TEXT NOT NULL UNIQUE,               -- lower-cased: one address, one row
    name        TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT 'active',     -- pending | active | unsubscribed | bounced | complained
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    source      TEXT
);

CREATE TABLE deliveries (
    id             INTEGER PRIMARY KEY,
    edition_id     TEXT NOT NULL REFERENCES editions(id),
    subscriber_id  INTEGER NOT NULL REFERENCES subscribers(id),
    state          TEXT NOT NULL DEFAULT 'pending', -- pending | sending | sent | failed | bounced
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT,
    message_id     TEXT,
    claimed_at     TEXT,
    next_attempt   TEXT,
    sent_at        TEXT,
    UNIQUE (edition_id, subscriber_id)
);
CREATE INDEX deliveries_state ON deliveries(edition_id, state);

CREATE TABLE job_runs (                             -- the daemon's memory of what ran
    id           INTEGER PRIMARY KEY,
    job          TEXT NOT NULL,
    scheduled    TEXT,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    ok           INTEGER,
    detail       TEXT
);
CREATE INDEX job_runs_job ON job_runs(job, started_at);
