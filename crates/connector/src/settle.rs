//! Mark settled: the operator closes a conflict they dealt with outside the connector (settled
//! with the buyer, an order gone from Quipt, a package Quipt keeps refusing). Retry cannot close
//! one — it redoes what failed, and the conflict comes back — so without this every later run
//! would end Attention and the health stay amber for good.
//!
//! A settled order ([`OrderState::Settled`]) is closed as a conflict is: the runs never push,
//! accept, re-plan or retry it by themselves, and Retry on it queues nothing. It keeps the
//! conflict's reason, so the history still says what was settled, and its timeline gets a
//! [`TimelineKind::Settled`] entry with the operator's note. What moves it on afterwards is news,
//! never old news: a **new** package reported to Quipt makes it shipped, and a new failure the
//! engine decides (Quipt refusing a new package, a cancellation made in ShipStation since) makes
//! it a conflict again. A package Quipt refused before, or a cancellation ShipStation already had,
//! seen again is left alone.
//!
//! Only an order in conflict can be settled; anything else is a typed refusal ([`Settle`]), not
//! an error, so the CLI and the dashboard say why in their own words.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;
use crate::outcome::TimelineKind;
use crate::store::{self, orders::OrderRow, orders::OrderState};

/// The answer to Mark settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Settle {
    /// Settled: these orders (their numbers) no longer need attention.
    Settled {
        /// The order numbers settled (more than one only when several Quipt orders share it).
        order_numbers: Vec<String>,
    },
    /// No order of the history has this Quipt id or order number.
    Unknown,
    /// The order is not in conflict, so there is nothing to settle (a held or failed order is
    /// fixed, or retried, instead).
    NotAConflict {
        /// The order's number.
        order_number: String,
        /// Where it stands.
        state: OrderState,
    },
}

impl std::fmt::Display for Settle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Settle::Settled { order_numbers } => write!(
                f,
                "order {} marked settled: it no longer needs attention",
                order_numbers.join(", ")
            ),
            Settle::Unknown => f.write_str("no order with this number or Quipt id in the history"),
            Settle::NotAConflict {
                order_number,
                state,
            } => write!(
                f,
                "order {order_number} is {}, not in conflict: only a conflict can be marked settled",
                state.as_str()
            ),
        }
    }
}

/// Which of the named orders are settled: those in conflict, else the refusal. Pure.
pub fn decide(rows: &[OrderRow]) -> std::result::Result<Vec<&OrderRow>, Settle> {
    let conflicts: Vec<&OrderRow> = rows
        .iter()
        .filter(|r| r.state == OrderState::Conflict)
        .collect();
    match (conflicts.is_empty(), rows.first()) {
        (false, _) => Ok(conflicts),
        (true, None) => Err(Settle::Unknown),
        (true, Some(row)) => Err(Settle::NotAConflict {
            order_number: row.order_number.clone(),
            state: row.state,
        }),
    }
}

/// The timeline entry of a settlement, with the operator's note when they gave one.
fn entry(note: Option<&str>) -> String {
    let settled = "settled by the operator outside the connector";
    match note.map(str::trim).filter(|n| !n.is_empty()) {
        Some(note) => format!("{settled}: {note}"),
        None => settled.to_string(),
    }
}

/// Marks the order in conflict named by `search` (Quipt id or order number) settled, with the
/// operator's `note` in its timeline; its reason is kept and a retry it was queued for dropped.
///
/// # Errors
/// When SQLite fails.
pub fn request(
    conn: &Connection,
    search: &str,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> Result<Settle> {
    let rows = store::orders::find(conn, search.trim())?;
    let settled = match decide(&rows) {
        Ok(settled) => settled,
        Err(refusal) => return Ok(refusal),
    };
    let message = entry(note);
    let tx = conn.unchecked_transaction()?;
    for row in &settled {
        store::orders::update_state(
            &tx,
            &row.quipt_id,
            OrderState::Settled,
            row.reason().as_ref(),
            at,
        )?;
        store::timeline::append(
            &tx,
            &row.quipt_id,
            None,
            TimelineKind::Settled,
            &message,
            at,
        )?;
    }
    tx.commit()?;
    Ok(Settle::Settled {
        order_numbers: settled.iter().map(|r| r.order_number.clone()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn row(quipt_id: &str, state: OrderState) -> OrderRow {
        OrderRow {
            quipt_id: quipt_id.into(),
            ..OrderRow::sample(state)
        }
    }

    #[rstest]
    #[case::a_conflict_is_settled(vec![row("a", OrderState::Conflict)], Ok(vec!["a"]))]
    #[case::only_the_conflict_of_two_orders_sharing_a_number(
        vec![row("a", OrderState::Shipped), row("b", OrderState::Conflict)],
        Ok(vec!["b"])
    )]
    #[case::an_unknown_order_is_refused(vec![], Err(Settle::Unknown))]
    #[case::a_held_order_is_fixed_not_settled(
        vec![row("a", OrderState::Held)],
        Err(Settle::NotAConflict { order_number: "Q-1".into(), state: OrderState::Held })
    )]
    #[case::a_settled_order_is_not_settled_twice(
        vec![row("a", OrderState::Settled)],
        Err(Settle::NotAConflict { order_number: "Q-1".into(), state: OrderState::Settled })
    )]
    fn only_a_conflict_is_settled(
        #[case] rows: Vec<OrderRow>,
        #[case] expected: std::result::Result<Vec<&str>, Settle>,
    ) {
        let decided =
            decide(&rows).map(|rows| rows.iter().map(|r| r.quipt_id.as_str()).collect::<Vec<_>>());
        assert_eq!(decided, expected);
    }

    #[rstest]
    #[case::with_the_operator_s_note(
        Some(" refunded by the buyer's bank "),
        "settled by the operator outside the connector: refunded by the buyer's bank"
    )]
    #[case::without_one(None, "settled by the operator outside the connector")]
    #[case::a_blank_note_is_none(Some("  "), "settled by the operator outside the connector")]
    fn the_timeline_says_who_settled_it_and_how(
        #[case] note: Option<&str>,
        #[case] expected: &str,
    ) {
        assert_eq!(entry(note), expected);
    }
}
