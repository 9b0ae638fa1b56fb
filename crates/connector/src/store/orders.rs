//! One row per Quipt order the connector decided about: its state, why, and what ShipStation knows
//! it as. The state machine lives in the sync passes; this module only reads and writes rows.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::{timeline, ts};
use crate::error::Result;
use crate::outcome::{Reason, ReasonCode, TimelineKind};

/// Where an order stands (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Seen, waiting (for example still validating in Quipt).
    Pending,
    /// In ShipStation, waiting for a label.
    Pushed,
    /// Not pushed because of a rule or bad data; the reason says what to fix.
    Held,
    /// ShipStation or Quipt refused it; retried on the next run.
    Failed,
    /// Tracking reported to Quipt.
    Shipped,
    /// Cancelled on either side and the other side told.
    Cancelled,
    /// The two sides disagree in a way only the operator can settle.
    Conflict,
    /// A conflict the operator settled outside the connector (Mark settled): closed like a
    /// conflict — never pushed, accepted or retried by itself — but no longer needing attention.
    /// Its reason stays the conflict's, so the history says what was settled. A build that does
    /// not know this state reads it as [`Conflict`](OrderState::Conflict): the safe way round.
    Settled,
}

impl OrderState {
    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Pending => "pending",
            OrderState::Pushed => "pushed",
            OrderState::Held => "held",
            OrderState::Failed => "failed",
            OrderState::Shipped => "shipped",
            OrderState::Cancelled => "cancelled",
            OrderState::Conflict => "conflict",
            OrderState::Settled => "settled",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "pending" => OrderState::Pending,
            "pushed" => OrderState::Pushed,
            "held" => OrderState::Held,
            "failed" => OrderState::Failed,
            "shipped" => OrderState::Shipped,
            "cancelled" => OrderState::Cancelled,
            "conflict" => OrderState::Conflict,
            "settled" => OrderState::Settled,
            _ => return None,
        })
    }

    /// Whether the order needs the operator's attention.
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            OrderState::Held | OrderState::Failed | OrderState::Conflict
        )
    }

    /// Whether the order is closed on our side: the runs no longer push, accept or re-plan it by
    /// themselves (shipped, cancelled, in conflict, or a conflict the operator settled); only a
    /// retry, or news about it from ShipStation, moves it on.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            OrderState::Shipped
                | OrderState::Cancelled
                | OrderState::Conflict
                | OrderState::Settled
        )
    }
}

/// An order as the history shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OrderRow {
    /// Quipt's order id.
    pub quipt_id: String,
    /// Quipt's order number (also ShipStation's `orderNumber`).
    pub order_number: String,
    /// The sales channel.
    pub channel: Option<String>,
    /// The Quipt warehouse code.
    pub warehouse_code: Option<String>,
    /// Where it stands.
    pub state: OrderState,
    /// What kind of reason holds the order, failed it or put it in conflict.
    pub reason_code: Option<ReasonCode>,
    /// The reason in words.
    pub reason: Option<String>,
    /// ShipStation's `orderId`, once pushed.
    pub ss_order_id: Option<i64>,
    /// ShipStation's last known `orderStatus`.
    pub ss_status: Option<String>,
    /// Hash of the last body ShipStation accepted.
    pub content_hash: Option<String>,
    /// Whether the order was split in ShipStation (updates are then not sent).
    pub split: bool,
    /// Whether the order's acknowledgement is settled: accepted in Quipt, or owed no more because
    /// Quipt closed the order before its turn (the timeline says which).
    pub acknowledged: bool,
    /// Whether the next run re-fetches and re-plans it.
    pub retry: bool,
    /// Last change.
    pub updated_at: String,
}

const COLUMNS: &str = "quipt_id, order_number, channel, warehouse_code, state, reason_code, reason, \
     ss_order_id, ss_status, content_hash, split, acknowledged, retry, updated_at";

impl OrderRow {
    /// Whether the order failed for one of `codes`.
    pub fn failed_for(&self, codes: &[ReasonCode]) -> bool {
        self.state == OrderState::Failed && self.reason_code.is_some_and(|c| codes.contains(&c))
    }

    /// Whether the order is in the acknowledgement backlog: ShipStation has it and its
    /// acknowledgement is not settled, whatever its state since (the rule of [`ack_backlog`]).
    pub fn owes_acknowledgement(&self) -> bool {
        self.ss_order_id.is_some() && !self.acknowledged
    }

    /// ShipStation's `orderStatus` as last seen.
    pub fn shipstation_status(&self) -> Option<shipstation::OrderStatus> {
        let text = self.ss_status.as_deref()?;
        serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
    }

    /// The reason, when the order has one.
    pub fn reason(&self) -> Option<Reason> {
        Some(Reason::new(
            self.reason_code?,
            self.reason.clone().unwrap_or_default(),
        ))
    }

    /// A unit test's row: order `Q-1` in `state`, nothing else known; a test sets what it
    /// needs with struct update syntax.
    #[cfg(test)]
    pub(crate) fn sample(state: OrderState) -> Self {
        OrderRow {
            quipt_id: "q-1".into(),
            order_number: "Q-1".into(),
            channel: None,
            warehouse_code: None,
            state,
            reason_code: None,
            reason: None,
            ss_order_id: None,
            ss_status: None,
            content_hash: None,
            split: false,
            acknowledged: false,
            retry: false,
            updated_at: "2026-11-20T10:00:00.000Z".into(),
        }
    }
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<OrderRow> {
    let state: String = row.get(4)?;
    let reason_code: Option<String> = row.get(5)?;
    Ok(OrderRow {
        quipt_id: row.get(0)?,
        order_number: row.get(1)?,
        channel: row.get(2)?,
        warehouse_code: row.get(3)?,
        state: OrderState::parse(&state).unwrap_or(OrderState::Conflict),
        reason_code: reason_code.as_deref().and_then(ReasonCode::parse),
        reason: row.get(6)?,
        ss_order_id: row.get(7)?,
        ss_status: row.get(8)?,
        content_hash: row.get(9)?,
        split: row.get(10)?,
        acknowledged: row.get(11)?,
        retry: row.get(12)?,
        updated_at: row.get(13)?,
    })
}

/// The row of one Quipt order.
///
/// # Errors
/// When SQLite fails.
pub fn get(conn: &Connection, quipt_id: &str) -> Result<Option<OrderRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders WHERE quipt_id = ?1");
    Ok(conn.query_row(&sql, [quipt_id], from_row).optional()?)
}

/// The row whose ShipStation `orderId` is `ss_order_id`.
///
/// # Errors
/// When SQLite fails.
pub fn by_shipstation_id(conn: &Connection, ss_order_id: i64) -> Result<Option<OrderRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders WHERE ss_order_id = ?1");
    Ok(conn.query_row(&sql, [ss_order_id], from_row).optional()?)
}

/// Rows whose order number is exactly `number`.
///
/// # Errors
/// When SQLite fails.
pub fn by_number(conn: &Connection, number: &str) -> Result<Vec<OrderRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders WHERE order_number = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([number], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The orders an operator names by Quipt id or, failing that, by order number (Retry's and Mark
/// settled's lookup); empty when none matches.
///
/// # Errors
/// When SQLite fails.
pub fn find(conn: &Connection, search: &str) -> Result<Vec<OrderRow>> {
    match get(conn, search)? {
        Some(row) => Ok(vec![row]),
        None => by_number(conn, search),
    }
}

/// What is known about an order when it is first seen or re-planned.
#[derive(Debug, Clone)]
pub struct Seen<'a> {
    /// Quipt's order id.
    pub quipt_id: &'a str,
    /// Quipt's order number.
    pub order_number: &'a str,
    /// The sales channel.
    pub channel: Option<&'a str>,
    /// The Quipt warehouse code.
    pub warehouse_code: Option<&'a str>,
    /// Quipt's status code.
    pub quipt_status: i64,
}

/// Records a decision about an order: inserts the row or updates its state and reason. Clears the
/// retry flag, since the order has just been planned again.
///
/// # Errors
/// When SQLite fails.
pub fn set_state(
    conn: &Connection,
    seen: &Seen<'_>,
    state: OrderState,
    reason: Option<&Reason>,
    at: DateTime<Utc>,
) -> Result<()> {
    let (reason_code, reason) = reason
        .map(|r| (r.code.as_str(), super::kept(&r.message)))
        .unzip();
    conn.execute(
        "INSERT INTO orders(quipt_id, order_number, channel, warehouse_code, state, reason_code, reason,
                            quipt_status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
         ON CONFLICT(quipt_id) DO UPDATE SET order_number = excluded.order_number,
             channel = excluded.channel, warehouse_code = excluded.warehouse_code,
             state = excluded.state, reason_code = excluded.reason_code, reason = excluded.reason,
             quipt_status = excluded.quipt_status, retry = 0, updated_at = excluded.updated_at",
        params![
            seen.quipt_id,
            crate::shown::field(seen.order_number),
            seen.channel.map(crate::shown::field),
            seen.warehouse_code.map(crate::shown::field),
            state.as_str(),
            reason_code,
            reason,
            seen.quipt_status,
            ts(at)
        ],
    )?;
    Ok(())
}

/// A decision about an order as the history records it: the state and reason it leads to, what
/// ShipStation holds after an accepted push, and the timeline entries that explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The order's new state.
    pub state: OrderState,
    /// Why, when the state needs a reason (held, failed, conflict); `None` clears the old one.
    pub reason: Option<Reason>,
    /// What ShipStation accepted, when it did.
    pub pushed: Option<Pushed>,
    /// Timeline entries, in order.
    pub timeline: Vec<(TimelineKind, String)>,
}

/// What ShipStation holds after it accepted a push.
#[derive(Debug, Clone, PartialEq)]
pub struct Pushed {
    /// Its `orderId`.
    pub ss_order_id: i64,
    /// The `orderStatus` sent.
    pub ss_status: shipstation::OrderStatus,
    /// The hash of the body the mapping built (`None`: the body was not ours, keep the last hash).
    pub content_hash: Option<String>,
}

/// Records a [`Change`] of an existing order: its row and its timeline entries (one call, so that
/// a caller's transaction holds both).
///
/// # Errors
/// When SQLite fails.
pub fn record(
    conn: &Connection,
    quipt_id: &str,
    run_id: Option<i64>,
    change: &Change,
    at: DateTime<Utc>,
) -> Result<()> {
    match &change.pushed {
        Some(pushed) => {
            conn.execute(
                "UPDATE orders SET state = ?2, reason_code = NULL, reason = NULL, ss_order_id = ?3,
                     ss_status = ?4, content_hash = coalesce(?5, content_hash), retry = 0,
                     updated_at = ?6
                 WHERE quipt_id = ?1",
                params![
                    quipt_id,
                    change.state.as_str(),
                    pushed.ss_order_id,
                    pushed.ss_status.as_str(),
                    pushed.content_hash,
                    ts(at)
                ],
            )?;
        }
        None => update_state(conn, quipt_id, change.state, change.reason.as_ref(), at)?,
    }
    for (kind, message) in &change.timeline {
        timeline::append(conn, quipt_id, run_id, *kind, message, at)?;
    }
    Ok(())
}

/// Records a [`Change`] of an order read from Quipt, which the history may not know yet: inserts
/// its row (or refreshes what Quipt says of it), then records the change as [`record`] does, in
/// the caller's transaction.
///
/// # Errors
/// When SQLite fails.
pub fn record_seen(
    conn: &Connection,
    seen: &Seen<'_>,
    run_id: Option<i64>,
    change: &Change,
    at: DateTime<Utc>,
) -> Result<()> {
    set_state(conn, seen, change.state, change.reason.as_ref(), at)?;
    record(conn, seen.quipt_id, run_id, change, at)
}

/// Changes the state and reason of an existing order. Clears the retry flag: whatever was to be
/// redone has just been decided again.
///
/// # Errors
/// When SQLite fails.
pub fn update_state(
    conn: &Connection,
    quipt_id: &str,
    state: OrderState,
    reason: Option<&Reason>,
    at: DateTime<Utc>,
) -> Result<()> {
    let (reason_code, reason) = reason
        .map(|r| (r.code.as_str(), super::kept(&r.message)))
        .unzip();
    conn.execute(
        "UPDATE orders SET state = ?2, reason_code = ?3, reason = ?4, retry = 0, updated_at = ?5
         WHERE quipt_id = ?1",
        params![quipt_id, state.as_str(), reason_code, reason, ts(at)],
    )?;
    Ok(())
}

/// Records ShipStation's status and split flag as last seen.
///
/// # Errors
/// When SQLite fails.
pub fn record_shipstation_status(
    conn: &Connection,
    quipt_id: &str,
    ss_status: shipstation::OrderStatus,
    split: bool,
) -> Result<()> {
    conn.execute(
        "UPDATE orders SET ss_status = ?2, split = max(split, ?3) WHERE quipt_id = ?1",
        params![quipt_id, ss_status.as_str(), split],
    )?;
    Ok(())
}

/// Records that the warehouse split the order in ShipStation, leaving ShipStation's status as the
/// history has it (the cancellations pass compares it with the next one it reads).
///
/// # Errors
/// When SQLite fails.
pub fn record_split(conn: &Connection, quipt_id: &str) -> Result<()> {
    conn.execute(
        "UPDATE orders SET split = 1 WHERE quipt_id = ?1",
        [quipt_id],
    )?;
    Ok(())
}

/// How an order's acknowledgement was settled, as the `acknowledged` column stores it (0 while
/// it is owed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckSettled {
    /// Accepted in Quipt.
    Accepted = 1,
    /// Owed no more: Quipt closed the order (shipped, cancelled, gone) before its turn.
    NotOwed = 2,
}

/// Records how the order's acknowledgement was settled; the order leaves the backlog.
///
/// # Errors
/// When SQLite fails.
pub fn settle_acknowledgement(conn: &Connection, quipt_id: &str, how: AckSettled) -> Result<()> {
    conn.execute(
        "UPDATE orders SET acknowledged = ?2 WHERE quipt_id = ?1",
        params![quipt_id, how as i64],
    )?;
    Ok(())
}

/// The states Retry without an order re-queues.
const HELD_OR_FAILED: [OrderState; 2] = [OrderState::Held, OrderState::Failed];

/// `states` as an SQL list (`'held','failed'`): the SQL names states through [`OrderState`], whose
/// [`as_str`](OrderState::as_str) is the one place their stored names are written.
fn sql_list(states: &[OrderState]) -> String {
    let quoted: Vec<String> = states.iter().map(|s| format!("'{}'", s.as_str())).collect();
    quoted.join(",")
}

/// The acknowledgement backlog: orders ShipStation has whose acknowledgement is not settled,
/// oldest first, whatever their state since (an order shipped or cancelled before its turn still
/// owes it until Quipt's own state settles it; [`OrderRow::owes_acknowledgement`]). Derived from
/// the history alone, so a crash or a restart loses none of it. Migration 0005's partial index
/// `orders_ack_owed` has this WHERE word for word: change both together.
const ACK_BACKLOG_ROWS: &str = "FROM orders WHERE acknowledged = 0 AND ss_order_id IS NOT NULL";

/// The acknowledgement backlog, oldest first: each order's Quipt id and its state on our side.
///
/// # Errors
/// When SQLite fails.
pub fn ack_backlog(conn: &Connection) -> Result<Vec<(String, OrderState)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT quipt_id, state {ACK_BACKLOG_ROWS} ORDER BY rowid"
    ))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, state)| Some((id, OrderState::parse(&state)?)))
        .collect())
}

/// How many orders the acknowledgement backlog holds (the dashboard's "acknowledging N orders").
///
/// # Errors
/// When SQLite fails.
pub fn ack_backlog_len(conn: &Connection) -> Result<u64> {
    Ok(
        conn.query_row(&format!("SELECT count(*) {ACK_BACKLOG_ROWS}"), [], |r| {
            r.get(0)
        })?,
    )
}

/// Flags held and failed orders (one, or all when `quipt_id` is `None`) to be redone on the next
/// run; returns how many were flagged.
///
/// # Errors
/// When SQLite fails.
pub fn request_retry(conn: &Connection, quipt_id: Option<&str>) -> Result<usize> {
    let n = match quipt_id {
        Some(id) => conn.execute("UPDATE orders SET retry = 1 WHERE quipt_id = ?1", [id])?,
        None => conn.execute(
            &format!(
                "UPDATE orders SET retry = 1 WHERE state IN ({})",
                sql_list(&HELD_OR_FAILED)
            ),
            [],
        )?,
    };
    Ok(n)
}

/// Quipt ids of the held and failed orders.
///
/// # Errors
/// When SQLite fails.
pub fn held_or_failed(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT quipt_id FROM orders WHERE state IN ({})",
        sql_list(&HELD_OR_FAILED)
    ))?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Clears an order's retry flag (its retry was done).
///
/// # Errors
/// When SQLite fails.
pub fn clear_retry(conn: &Connection, quipt_id: &str) -> Result<()> {
    conn.execute(
        "UPDATE orders SET retry = 0 WHERE quipt_id = ?1",
        [quipt_id],
    )?;
    Ok(())
}

/// The orders flagged for retry whose reason is one of `codes`.
///
/// # Errors
/// When SQLite fails.
pub fn retry_flagged(conn: &Connection, codes: &[ReasonCode]) -> Result<Vec<OrderRow>> {
    let (placeholders, names) = code_list(codes, 1);
    let sql =
        format!("SELECT {COLUMNS} FROM orders WHERE retry = 1 AND reason_code IN ({placeholders})");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(names), from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Quipt ids to read again and plan on this run: orders flagged for retry (except those whose
/// reason is in `redone_elsewhere`: their retry is not a re-plan) and failed ones (a failure is
/// retried automatically), at most `limit`.
///
/// # Errors
/// When SQLite fails.
pub fn to_refetch(
    conn: &Connection,
    redone_elsewhere: &[ReasonCode],
    limit: usize,
) -> Result<Vec<String>> {
    let (placeholders, names) = code_list(redone_elsewhere, 2);
    let sql = format!(
        "SELECT quipt_id FROM orders
         WHERE (retry = 1 AND coalesce(reason_code, '') NOT IN ({placeholders})) OR state IN ({})
         ORDER BY updated_at LIMIT ?1",
        sql_list(&[OrderState::Failed])
    );
    let mut stmt = conn.prepare(&sql)?;
    let params = std::iter::once(Value::Integer(limit as i64))
        .chain(names.into_iter().map(|n| Value::Text(n.to_string())));
    let ids = stmt
        .query_map(rusqlite::params_from_iter(params), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// `?n, ?n+1, …` for `codes`, and their stored names. An empty list gives one placeholder for a
/// name no reason has, so `IN (…)` stays valid SQL.
fn code_list(codes: &[ReasonCode], first: usize) -> (String, Vec<&'static str>) {
    let mut names: Vec<&'static str> = codes.iter().map(|c| c.as_str()).collect();
    if names.is_empty() {
        names.push("");
    }
    let placeholders: Vec<String> = (first..first + names.len())
        .map(|n| format!("?{n}"))
        .collect();
    (placeholders.join(", "), names)
}

/// Quipt ids of the orders held for a setting (a store, warehouse or carrier choice), and of the
/// orders in ShipStation whose update a setting holds back, which a change of the settings may
/// release.
///
/// # Errors
/// When SQLite fails.
pub fn held_for_a_setting(conn: &Connection) -> Result<Vec<String>> {
    let settings: Vec<ReasonCode> = ReasonCode::ALL
        .iter()
        .copied()
        .filter(|c| c.is_setting())
        .collect();
    let (placeholders, names) = code_list(&settings, 3);
    let sql = format!(
        "SELECT quipt_id FROM orders WHERE state IN (?1, ?2) AND reason_code IN ({placeholders})"
    );
    let mut stmt = conn.prepare(&sql)?;
    let params = [OrderState::Held.as_str(), OrderState::Pushed.as_str()]
        .into_iter()
        .chain(names);
    let ids = stmt
        .query_map(rusqlite::params_from_iter(params), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Filters of the history's order list.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub struct OrderFilter {
    /// Only orders in this state.
    pub state: Option<OrderState>,
    /// Only orders needing attention (held, failed, conflict).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub attention: bool,
    /// Quipt or ShipStation order number, Quipt id, or tracking number (exact, or a prefix of the
    /// order number).
    pub search: Option<String>,
    /// Only orders changed at or after this time (RFC 3339).
    pub since: Option<String>,
    /// At most this many rows (default 500).
    pub limit: Option<u32>,
}

/// The order list of the history, newest change first.
///
/// # Errors
/// When SQLite fails.
pub fn list(conn: &Connection, filter: &OrderFilter) -> Result<Vec<OrderRow>> {
    let mut sql = format!("SELECT {COLUMNS} FROM orders WHERE 1=1");
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
    let mut order = String::new();
    if let Some(state) = filter.state {
        args.push(Box::new(state.as_str()));
        sql += &format!(" AND state = ?{}", args.len());
    }
    if filter.attention {
        sql += &format!(
            " AND state IN ({})",
            sql_list(&[OrderState::Held, OrderState::Failed, OrderState::Conflict])
        );
    }
    if let Some(since) = &filter.since {
        args.push(Box::new(since.clone()));
        sql += &format!(" AND updated_at >= ?{}", args.len());
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        // One indexed lookup per kind of key, united: an OR across columns would make SQLite scan
        // every order (BENCHMARKS.md, history_query_ms_1m_events).
        args.push(Box::new(search.to_string()));
        let n = args.len();
        args.push(Box::new(format!("{search}%")));
        let prefix = args.len();
        // The prefix as a range of the order-number index: everything from `search` up to
        // `search` followed by the highest character.
        args.push(Box::new(format!("{search}\u{10FFFF}")));
        let upper = args.len();
        // A ShipStation order id is a number; compare it as one so that its index is used.
        let ss_order_id = search
            .parse::<i64>()
            .ok()
            .filter(|id| id.to_string() == search);
        args.push(Box::new(ss_order_id));
        let ss = args.len();
        sql += &format!(
            " AND quipt_id IN (
                   SELECT quipt_id FROM orders WHERE order_number = ?{n}
                   UNION SELECT quipt_id FROM orders WHERE quipt_id = ?{n}
                   UNION SELECT quipt_id FROM orders WHERE ss_order_id = ?{ss}
                   UNION SELECT quipt_id FROM orders
                       WHERE order_number >= ?{n} AND order_number < ?{upper}
                         AND order_number LIKE ?{prefix}
                   UNION SELECT quipt_id FROM tracking WHERE tracking_number = ?{n}
                   UNION SELECT quipt_id FROM tracking WHERE ss_order_id = ?{ss})"
        );
        // Exact matches first: looking up order 1001 must open 1001, not 10012 because that one
        // changed more recently (the detail view takes the first row).
        order = format!(
            "CASE WHEN order_number = ?{n} OR quipt_id = ?{n} OR ss_order_id = ?{ss}
                  OR quipt_id IN (SELECT quipt_id FROM tracking
                                  WHERE tracking_number = ?{n} OR ss_order_id = ?{ss})
             THEN 0 ELSE 1 END, "
        );
    }
    args.push(Box::new(i64::from(filter.limit.unwrap_or(500))));
    sql += &format!(" ORDER BY {order}updated_at DESC LIMIT ?{}", args.len());
    let mut stmt = conn.prepare(&sql)?;
    let params: Vec<&dyn rusqlite::ToSql> = args.iter().map(|a| a.as_ref()).collect();
    let rows = stmt
        .query_map(params.as_slice(), from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// How many orders are in each state.
///
/// # Errors
/// When SQLite fails.
pub fn count_by_state(conn: &Connection) -> Result<Vec<(OrderState, u64)>> {
    // Kept by triggers (migration 0003), so this reads a few rows, not every order.
    let mut stmt =
        conn.prepare_cached("SELECT state, n FROM order_counts WHERE n > 0 ORDER BY state")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .filter_map(|r| match r {
            Ok((s, n)) => OrderState::parse(&s).map(|s| Ok((s, n as u64))),
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Orders needing the operator's attention (held, failed, conflict) in the whole history.
///
/// # Errors
/// When SQLite fails.
pub fn attention_total(conn: &Connection) -> Result<u64> {
    Ok(count_by_state(conn)?
        .into_iter()
        .filter(|(state, _)| state.needs_attention())
        .map(|(_, n)| n)
        .sum())
}

/// Orders that ShipStation has and that are not closed on our side: the candidates for the
/// reconciliation's "deleted in ShipStation" check.
///
/// # Errors
/// When SQLite fails.
pub fn open_in_shipstation(conn: &Connection) -> Result<Vec<OrderRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM orders WHERE ss_order_id IS NOT NULL AND state IN ({})",
        sql_list(&[OrderState::Pushed, OrderState::Failed])
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_acknowledgement_backlog_is_read_through_its_own_index_not_a_scan_of_every_order() {
        let dir = tempfile::tempdir().unwrap();
        let conn = super::super::open(&dir.path().join("history.sqlite3")).unwrap();
        for select in ["SELECT count(*)", "SELECT quipt_id, state"] {
            let plan: Vec<String> = conn
                .prepare(&format!(
                    "EXPLAIN QUERY PLAN {select} {ACK_BACKLOG_ROWS} ORDER BY rowid"
                ))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(
                plan.iter().any(|step| step.contains("orders_ack_owed")),
                "{select}: the dashboard's count and the run's list use the partial index: {plan:?}"
            );
        }
    }
}
