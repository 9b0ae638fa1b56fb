-- Indexes for the dashboard and the history's search on a large history (SPEC §6: < 20 ms on
-- 1,000,000 events; measured by `cargo run --release -p bench`, see BENCHMARKS.md).

-- "Pushed today", "shipped today" and the per-day chart count one kind of event over a time range:
-- with (kind, at) they read only the matching index entries, never the table.
CREATE INDEX events_kind_at ON events(kind, at);
