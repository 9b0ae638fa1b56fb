//! Shipments and fulfilments reported to Quipt, keyed by the `ExternalId` Quipt knows them by, so
//! each is reported once and a void can be matched to what was reported.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::ts;
use crate::error::Result;

/// What became of a shipment or fulfilment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum TrackingState {
    /// Reported to Quipt.
    Reported,
    /// Its label was voided and the report withdrawn in Quipt.
    Withdrawn,
    /// Its label was voided but Quipt refused to withdraw it: the operator must act.
    VoidFlagged,
    /// Voided before it was ever reported: nothing was sent.
    VoidedUnreported,
    /// Quipt refused it: the order is a conflict until it is reported (on the operator's retry)
    /// or voided.
    Refused,
}

impl TrackingState {
    fn as_str(self) -> &'static str {
        match self {
            TrackingState::Reported => "reported",
            TrackingState::Withdrawn => "withdrawn",
            TrackingState::VoidFlagged => "void_flagged",
            TrackingState::VoidedUnreported => "voided_unreported",
            TrackingState::Refused => "refused",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "withdrawn" => TrackingState::Withdrawn,
            "void_flagged" => TrackingState::VoidFlagged,
            "voided_unreported" => TrackingState::VoidedUnreported,
            "refused" => TrackingState::Refused,
            _ => TrackingState::Reported,
        }
    }
}

/// One reported shipment or fulfilment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TrackingRow {
    /// The id Quipt knows it by (`ss-shipment-…` or `ss-fulfillment-…`).
    pub external_id: String,
    /// `shipment` (a label) or `fulfillment` (marked as shipped).
    pub kind: String,
    /// The Quipt order.
    pub quipt_id: String,
    /// The tracking number.
    pub tracking_number: Option<String>,
    /// The ShipStation carrier code.
    pub carrier_code: Option<String>,
    /// What became of it.
    pub state: TrackingState,
}

/// The row of an external id.
///
/// # Errors
/// When SQLite fails.
pub fn get(conn: &Connection, external_id: &str) -> Result<Option<TrackingRow>> {
    Ok(conn
        .query_row(
            "SELECT external_id, kind, quipt_id, tracking_number, carrier_code, state
             FROM tracking WHERE external_id = ?1",
            [external_id],
            |r| {
                Ok(TrackingRow {
                    external_id: r.get(0)?,
                    kind: r.get(1)?,
                    quipt_id: r.get(2)?,
                    tracking_number: r.get(3)?,
                    carrier_code: r.get(4)?,
                    state: TrackingState::parse(&r.get::<_, String>(5)?),
                })
            },
        )
        .optional()?)
}

/// Everything reported for an order.
///
/// # Errors
/// When SQLite fails.
pub fn for_order(conn: &Connection, quipt_id: &str) -> Result<Vec<TrackingRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT external_id, kind, quipt_id, tracking_number, carrier_code, state
         FROM tracking WHERE quipt_id = ?1 ORDER BY reported_at",
    )?;
    let rows = stmt
        .query_map([quipt_id], |r| {
            Ok(TrackingRow {
                external_id: r.get(0)?,
                kind: r.get(1)?,
                quipt_id: r.get(2)?,
                tracking_number: r.get(3)?,
                carrier_code: r.get(4)?,
                state: TrackingState::parse(&r.get::<_, String>(5)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A shipment or fulfilment being recorded.
#[derive(Debug, Clone)]
pub struct NewTracking<'a> {
    /// The id Quipt knows it by.
    pub external_id: &'a str,
    /// `shipment` or `fulfillment`.
    pub kind: &'a str,
    /// The Quipt order.
    pub quipt_id: &'a str,
    /// ShipStation's order id.
    pub ss_order_id: i64,
    /// The tracking number.
    pub tracking_number: Option<&'a str>,
    /// The carrier code.
    pub carrier_code: Option<&'a str>,
    /// The ship date.
    pub ship_date: Option<String>,
}

/// Records a report (or a void seen before any report, or a refusal); a second record of the same
/// id keeps the first one, so tracking is never overwritten ([`set_state`] moves a refused one on).
///
/// # Errors
/// When SQLite fails.
pub fn record(
    conn: &Connection,
    new: &NewTracking<'_>,
    state: TrackingState,
    at: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO tracking(external_id, kind, quipt_id, ss_order_id, tracking_number, carrier_code,
                              ship_date, state, reported_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT(external_id) DO NOTHING",
        params![
            new.external_id,
            new.kind,
            new.quipt_id,
            new.ss_order_id,
            new.tracking_number,
            new.carrier_code,
            new.ship_date,
            state.as_str(),
            ts(at)
        ],
    )?;
    Ok(())
}

/// Changes the state of a recorded report (withdrawn or flagged after a void).
///
/// # Errors
/// When SQLite fails.
pub fn set_state(
    conn: &Connection,
    external_id: &str,
    state: TrackingState,
    at: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE tracking SET state = ?2, updated_at = ?3 WHERE external_id = ?1",
        params![external_id, state.as_str(), ts(at)],
    )?;
    Ok(())
}
