-- Evidence about an address from bounce reports, complaints and ESP webhooks. `tied` is 1 when
-- the report was proved to concern a copy we sent (VERP token, our Message-ID, a signed webhook):
-- only those act; the others are kept as evidence. Soft bounces count per edition.
CREATE TABLE bounce_events (
    id             INTEGER PRIMARY KEY,
    subscriber_id  INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
    edition_id     TEXT,
    kind           TEXT NOT NULL,                   -- hard | soft | complaint
    tied           INTEGER NOT NULL,
    source         TEXT NOT NULL,                   -- mail | ses | postmark | mailgun | sendgrid
    detail         TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);
CREATE INDEX bounce_events_subscriber ON bounce_events(subscriber_id, kind);
