-- Reconciliations (SPEC §2: on demand, and daily): one row per completed comparison of both sides,
-- with the size of each list, so the dashboard shows the latest without reading the report, and
-- the report itself for the operator. The latest row's time is when the daily one is next due.

CREATE TABLE reconciliations (
    id                        INTEGER PRIMARY KEY,
    at                        TEXT NOT NULL,
    trigger                   TEXT NOT NULL,     -- daily | on_demand
    missing_in_shipstation    INTEGER NOT NULL,
    shipped_without_tracking  INTEGER NOT NULL,
    cancel_mismatch           INTEGER NOT NULL,
    held                      INTEGER NOT NULL,
    report_json               TEXT NOT NULL
);
CREATE INDEX reconciliations_at ON reconciliations(at);
