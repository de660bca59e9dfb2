-- edition: where each copy's unsubscribe link goes is marked by a placeholder drawn at random
-- per edition, so that feed text cannot name it; '' for editions rendered before it
-- (they use the fixed __DIGEST_UNSUBSCRIBE_URL__).
ALTER TABLE editions ADD COLUMN unsubscribe_placeholder TEXT COLLATE "C" NOT NULL DEFAULT '';
