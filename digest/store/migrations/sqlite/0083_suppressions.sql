-- send: an erased address leaves only a keyed hash (HMAC-SHA256 with $DIGEST_SECRET) behind, so
-- that no import, add or sign-up brings it back while nothing readable of it is kept.
CREATE TABLE suppressions (
    hash        TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL
);
