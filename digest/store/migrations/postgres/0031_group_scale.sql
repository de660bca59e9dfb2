-- Scale fixes found by `make bench-group --db`: MinHash bands are looked up within the few weeks
-- a syndicated copy can be apart from its original (a band shared by templated texts otherwise
-- grows with the store), and retiring a merged story finds the stories merged into it by index.
-- Bands stored before this migration are dropped: only recent items are worth comparing anyway.

DROP TABLE item_bands;
CREATE TABLE item_bands (
    band     BIGINT NOT NULL,
    week     INTEGER NOT NULL,                      -- the item's publication, days since the epoch // 7
    item_id  BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    PRIMARY KEY (band, week, item_id)
);
CREATE INDEX item_bands_item ON item_bands(item_id);
CREATE INDEX stories_merged_into ON stories(merged_into);
