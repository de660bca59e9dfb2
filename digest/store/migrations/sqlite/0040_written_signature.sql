-- The write stage remembers which mentions (and which version of its phrases) a story's text was
-- written from, so a story is rewritten when a mention joins, leaves or is read again.
ALTER TABLE stories ADD COLUMN written_signature TEXT;
