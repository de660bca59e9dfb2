-- Polling state the first schema lacked: the new address announced by a 301/308 (polled
-- instead of `url`, which stays the key feeds.yaml is synced by), the time before which the
-- server asked us not to come back (Retry-After, honoured even by a forced poll), the last
-- success, and where the feed came from (feeds.yaml, or an OPML import kept in the database).

ALTER TABLE feeds ADD COLUMN moved_to TEXT COLLATE "C";
ALTER TABLE feeds ADD COLUMN not_before TEXT COLLATE "C";
ALTER TABLE feeds ADD COLUMN last_ok TEXT COLLATE "C";
ALTER TABLE feeds ADD COLUMN origin TEXT COLLATE "C" NOT NULL DEFAULT 'config';   -- config | opml
CREATE INDEX feeds_next_poll ON feeds(active, next_poll);
