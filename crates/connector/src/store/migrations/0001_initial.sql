-- The history of SPEC §3. Append-only: never edit a migration that has shipped; add the next one.

CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    trigger       TEXT NOT NULL,             -- schedule | sync_now | cli | retry
    dry_run       INTEGER NOT NULL DEFAULT 0,
    outcome       TEXT NOT NULL,             -- running | ok | attention | failed | interrupted
    error         TEXT,
    summary_json  TEXT
);
CREATE INDEX runs_started ON runs(started_at);

-- One row per Quipt order the connector has seen and had to decide about.
CREATE TABLE orders (
    quipt_id          TEXT PRIMARY KEY,
    order_number      TEXT NOT NULL,
    channel           TEXT,
    warehouse_code    TEXT,
    state             TEXT NOT NULL,         -- pending | pushed | held | failed | shipped | cancelled | conflict
    reason_code       TEXT,
    reason            TEXT,
    quipt_status      INTEGER,
    content_hash      TEXT,                  -- hash of the last body ShipStation accepted
    ss_order_id       INTEGER,
    ss_status         TEXT,
    split             INTEGER NOT NULL DEFAULT 0,
    acknowledged      INTEGER NOT NULL DEFAULT 0,
    retry             INTEGER NOT NULL DEFAULT 0, -- re-fetch and re-plan on the next run
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX orders_state ON orders(state, updated_at);
CREATE INDEX orders_number ON orders(order_number);
CREATE INDEX orders_ss_order ON orders(ss_order_id);
CREATE INDEX orders_updated ON orders(updated_at);

-- The per-order timeline.
CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    quipt_id  TEXT NOT NULL,
    run_id    INTEGER,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    message   TEXT NOT NULL
);
CREATE INDEX events_order ON events(quipt_id, id);
CREATE INDEX events_at ON events(at);

-- Shipments and fulfilments reported to Quipt, keyed by the id Quipt knows them by (ExternalId).
CREATE TABLE tracking (
    external_id      TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,          -- shipment | fulfillment
    quipt_id         TEXT NOT NULL,
    ss_order_id      INTEGER,
    tracking_number  TEXT,
    carrier_code     TEXT,
    ship_date        TEXT,
    state            TEXT NOT NULL,          -- reported | withdrawn | void_flagged | voided_unreported
    reported_at      TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX tracking_number ON tracking(tracking_number);
CREATE INDEX tracking_order ON tracking(quipt_id);

CREATE TABLE cursors (
    pass   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE reference_cache (
    key         TEXT PRIMARY KEY,
    fetched_at  TEXT NOT NULL,
    json        TEXT NOT NULL
);
