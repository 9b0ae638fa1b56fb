-- The reference data a refused push asks to read again keeps the time it was read: a run that
-- cannot read it again uses it, and says when it was read (not the epoch the flag used to be).
ALTER TABLE reference_cache ADD COLUMN read_again INTEGER NOT NULL DEFAULT 0;
UPDATE reference_cache SET read_again = 1 WHERE fetched_at < '1971';
