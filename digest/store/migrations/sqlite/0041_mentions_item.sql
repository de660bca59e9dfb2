-- The write stage asks which of a story's items carry another story's mention (round-ups).
CREATE INDEX IF NOT EXISTS mentions_item ON mentions(item_id);
