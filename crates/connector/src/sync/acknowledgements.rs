//! The acknowledgement lane (SPEC §2.2): every order ShipStation accepted is acknowledged
//! (Accepted) in Quipt once, without ever holding back tracking or cancellations.
//!
//! Quipt takes one call per order and limits calls per token (the simulator: 120 a minute), so a
//! first sync of 5,000 orders owes Quipt some 42 minutes of acknowledgements. They are the last
//! work of a run, after tracking and cancellations, and get a time box: half the schedule's
//! interval ([`share`]). What is left when the box closes is the **backlog**, worked off by the
//! next runs; tracking and cancellations run first in each of them, whatever the backlog.
//!
//! The backlog has no state of its own: it is derived from the history (orders ShipStation has
//! whose acknowledgement is not settled, whatever their state since,
//! [`store::orders::ack_backlog`]) and from Quipt's own acknowledgements (read with the order):
//! after a crash between Quipt's answer and our record, the order read again shows its lines
//! accepted, and it is marked without a second call. So a kill at any instant loses nothing and
//! accepts nothing twice. `Acknowledgements` owns what the orders in the backlog owe in one run:
//! offered by the orders-out pass for the orders it read, the rest read from Quipt here — first
//! in one listing of the eligible orders, then, for those it did not return (shipped in Quipt
//! another way, cancelled, Pending after pending orders were turned off), one by one, at most
//! [`READS_BY_ID`] a run.
//!
//! What an order owes is decided from Quipt's state (`owed`), never from our own: an order
//! still open in Quipt is accepted, one Quipt closed before its turn owes nothing and leaves the
//! backlog with a timeline note. Tracking does not wait for the lane: the first report of an order
//! that still owes its acceptance sends the acceptance first (`settle_before_shipping`), while
//! the order is still open in Quipt.

use std::collections::{HashMap, HashSet};

use futures::StreamExt;

use crate::error::Result;
use crate::events::Pass;
use crate::mapping;
use crate::outcome::TimelineKind;
use crate::settings::ScheduleSettings;
use crate::store::{self, orders::AckSettled};

use super::Run;

/// The share of a run the lane may take: half the schedule's interval, so that a run with a
/// backlog still ends well before the next one is due and leaves Quipt's budget to the rest.
pub fn share(schedule: &ScheduleSettings) -> chrono::Duration {
    chrono::Duration::minutes(i64::from(schedule.interval_minutes.max(1))) / 2
}

/// Orders of the backlog the lane reads one by one in a run, when the listing of eligible orders
/// did not return them: bounded, so that a large backlog of closed orders spends a small share of
/// Quipt's budget a run (it is worked off over the next runs).
pub const READS_BY_ID: usize = 50;

/// Which of the backlog's `unlisted` orders (oldest first) run `run_id` reads by id: `limit` of
/// them, each run starting where the one before stopped (by run id), so orders Quipt keeps
/// refusing to read (an API user who lost a warehouse) do not take every run's reads while others
/// wait behind them. Any counter that goes up by one a turn will do for `run_id`: pass 2's daily
/// reading of held orders turns by the day. Pure.
pub(crate) fn reads_by_id<'a>(unlisted: &[&'a str], run_id: i64, limit: usize) -> Vec<&'a str> {
    if unlisted.len() <= limit {
        return unlisted.to_vec();
    }
    let start = usize::try_from(run_id.max(0)).unwrap_or(0) * limit % unlisted.len();
    unlisted
        .iter()
        .cycle()
        .skip(start)
        .take(limit)
        .copied()
        .collect()
}

/// What an order ShipStation has owes Quipt, decided from the order as Quipt has it now.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Owed {
    /// Lines not accepted yet: accept them.
    Accept(quipt::Acknowledgement),
    /// Quipt has every line accepted already (our record of the call was lost): record it.
    AlreadyAccepted,
    /// Quipt closed the order before its turn: nothing is sent.
    Nothing(Closed),
}

/// How Quipt closed an order before its acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Closed {
    /// Canceled (16): the contract refuses an acknowledgement on it.
    Canceled,
    /// Shipped (8) another way: accepting it now would tell nothing.
    Shipped,
    /// Every line Cancelled By Warehouse (the soft cancel): accepting it now would tell the
    /// channel the warehouse takes what it has just cancelled (the reconciliation counts such an
    /// order as cancelled).
    CancelledByWarehouse,
    /// The order is gone from Quipt (404).
    Gone,
}

impl Closed {
    /// The timeline's words.
    fn note(self) -> &'static str {
        match self {
            Closed::Canceled => "cancelled in Quipt before its acceptance: none sent",
            Closed::Shipped => "shipped in Quipt before its acceptance: none sent",
            Closed::CancelledByWarehouse => {
                "cancelled by warehouse in Quipt before its acceptance: none sent"
            }
            Closed::Gone => "gone from Quipt before its acceptance: none sent",
        }
    }
}

/// What `order` (read with Quipt's acknowledgements) owes. A cancelled order owes nothing even
/// with lines accepted; otherwise lines all accepted say the acceptance happened, however the
/// order stands since.
pub(crate) fn owed(order: &quipt::Order) -> Owed {
    if order.status == quipt::OrderStatus::Canceled {
        return Owed::Nothing(Closed::Canceled);
    }
    let ack = acceptance(order);
    if ack.lines.is_empty() {
        Owed::AlreadyAccepted
    } else if order.status == quipt::OrderStatus::Shipped {
        Owed::Nothing(Closed::Shipped)
    } else if mapping::cancel::is_soft_cancelled(order) {
        Owed::Nothing(Closed::CancelledByWarehouse)
    } else {
        Owed::Accept(ack)
    }
}

/// What the orders of the backlog owe in one run, by Quipt order id.
#[derive(Debug, Default)]
pub(crate) struct Acknowledgements {
    due: HashMap<String, Owed>,
}

impl Acknowledgements {
    /// Notes what `order` owes, from the order as just read with Quipt's acknowledgements; the
    /// lane settles it when the order is in the backlog.
    pub fn offer(&mut self, order: &quipt::Order) {
        self.due.insert(order.id.0.clone(), owed(order));
    }

    /// Works off the backlog, oldest first, until it is empty or the time box closes. A refusal is
    /// recorded and the order re-read next run; an unreachable Quipt ends the run's lane (and
    /// the run fails, as any pass's would). An order neither offered nor listed is read by id
    /// ([`READS_BY_ID`] a run); the rest wait for the next run.
    pub async fn work_off(mut self, run: &mut Run<'_>) -> Result<()> {
        if run.dry_run {
            return Ok(());
        }
        let deadline = run.now() + share(&run.ctx.schedule());
        let backlog = store::orders::ack_backlog(&run.ctx.db())?;
        if backlog.is_empty() {
            return Ok(());
        }
        // An order closed on our side (shipped, cancelled, in conflict, settled) may have been changed in
        // Quipt by this very run after the orders-out pass read it (a soft cancel): what it owes
        // is read again, by id, and the listing of eligible orders is not asked for it.
        let closed: HashSet<&str> = backlog
            .iter()
            .filter(|(_, state)| state.is_closed())
            .map(|(id, _)| id.as_str())
            .collect();
        self.due.retain(|id, _| !closed.contains(id.as_str()));
        let unknown: HashSet<&str> = backlog
            .iter()
            .map(|(id, _)| id.as_str())
            .filter(|id| !self.due.contains_key(*id) && !closed.contains(id))
            .collect();
        if !unknown.is_empty() {
            self.read_from_quipt(run, &unknown).await?;
        }
        let unlisted: Vec<&str> = backlog
            .iter()
            .map(|(id, _)| id.as_str())
            .filter(|id| !self.due.contains_key(*id))
            .collect();
        let to_read: HashSet<&str> = reads_by_id(&unlisted, run.id.unwrap_or(0), READS_BY_ID)
            .into_iter()
            .collect();
        let total = backlog.len() as u64;
        run.progress(Pass::Acknowledging, 0, total);
        for (done, (id, _)) in backlog.iter().enumerate() {
            if run.now() >= deadline {
                break;
            }
            let owed = match self.due.remove(id) {
                Some(owed) => Some(owed),
                None if to_read.contains(id.as_str()) => read_by_id(run, id).await?,
                None => None,
            };
            if let Some(owed) = owed {
                settle(run, id, owed, Unanswered::EndsTheLane).await?;
            }
            run.progress(Pass::Acknowledging, done as u64 + 1, total);
        }
        Ok(())
    }

    /// Reads the backlog's orders this run did not read (a restart, or a backlog older than this
    /// run) from Quipt's eligible orders, with Quipt's own acknowledgements: one listing, paged.
    async fn read_from_quipt(&mut self, run: &Run<'_>, wanted: &HashSet<&str>) -> Result<()> {
        let mut statuses = vec![quipt::OrderStatus::Open];
        if run.settings.orders.push_validating {
            statuses.push(quipt::OrderStatus::Pending);
        }
        let api = run.ctx.quipt.orders();
        let mut stream = std::pin::pin!(api.list_all(
            quipt::OrderQuery {
                statuses,
                include: vec![quipt::Include::Acknowledgements],
                ..quipt::OrderQuery::default()
            },
            quipt::MAX_PAGE_SIZE
        ));
        while let Some(order) = stream.next().await {
            let order = match order {
                Ok(order) => order,
                // Recorded by the orders-out pass; what it owes waits until Quipt corrects it.
                Err(quipt::Error::UnreadableOrder(_)) => continue,
                Err(e) => return Err(e.into()),
            };
            if wanted.contains(order.id.0.as_str()) {
                self.offer(&order);
            }
        }
        Ok(())
    }
}

/// The acknowledgement that accepts the remaining quantity of every line not accepted yet.
pub fn acceptance(order: &quipt::Order) -> quipt::Acknowledgement {
    quipt::Acknowledgement {
        lines: order
            .lines
            .iter()
            .filter(|l| l.ordered.value - l.canceled.value > 0.0 && !l.is_accepted())
            .map(|l| quipt::AckLine {
                line_id: l.id.clone(),
                status: quipt::AckStatus::Accepted,
                quantity: quipt::Quantity {
                    units: l.ordered.units,
                    value: l.ordered.value - l.canceled.value,
                },
            })
            .collect(),
    }
}

/// Reads one order of the backlog from Quipt, for what it owes. A refusal to read it (other than
/// "gone") is noted and the order waits for the next run; an unreachable Quipt fails the run.
async fn read_by_id(run: &Run<'_>, id: &str) -> Result<Option<Owed>> {
    match run
        .ctx
        .quipt
        .orders()
        .get(&quipt::OrderId(id.to_string()))
        .await
    {
        Ok(order) => Ok(Some(owed(&order))),
        // What concerns every call (credentials refused, an outage, the rate budget) is the run's.
        Err(e) if !e.is_refusal() => Err(e.into()),
        Err(e) if e.status() == Some(404) => Ok(Some(Owed::Nothing(Closed::Gone))),
        Err(e) => {
            let message = format!("could not read the order for its acceptance: {e}");
            note_failure(run, id, &message)?;
            Ok(None)
        }
    }
}

/// Settles an order's acknowledgement before its first package is reported to Quipt: the
/// acceptance goes first while the order is still open there, so shipping before its turn in
/// the lane does not leave it unaccepted. `order` is the order as just read from Quipt. An
/// acceptance Quipt does not answer now is noted and left to the lane: acknowledgements never
/// hold back tracking (SPEC §2.2).
///
/// # Errors
/// When SQLite fails.
pub(crate) async fn settle_before_shipping(run: &mut Run<'_>, order: &quipt::Order) -> Result<()> {
    settle(run, &order.id.0, owed(order), Unanswered::Noted).await
}

/// What an acceptance Quipt did not answer (down, out of its rate budget) does to its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unanswered {
    /// The lane stops there, and the run fails as any pass's would.
    EndsTheLane,
    /// Noted on the order's timeline; the lane tries again next run, and the caller goes on.
    Noted,
}

/// Settles what one order owes: accepts it in Quipt, or records why nothing is sent.
async fn settle(run: &mut Run<'_>, id: &str, owed: Owed, unanswered: Unanswered) -> Result<()> {
    let ack = match owed {
        Owed::Accept(ack) => ack,
        Owed::AlreadyAccepted => {
            let message = "Quipt already had the order accepted";
            return record(run, id, AckSettled::Accepted, message);
        }
        Owed::Nothing(closed) => return record(run, id, AckSettled::NotOwed, closed.note()),
    };
    let order = quipt::OrderId(id.to_string());
    match run.ctx.quipt.orders().acknowledge(&order, &ack).await {
        Ok(()) => {
            run.summary.acknowledged += 1;
            record(run, id, AckSettled::Accepted, "accepted in Quipt")
        }
        // What concerns every call ends the run; only a failure that may pass is left noted
        // while shipping, so that acknowledgements never hold back tracking.
        Err(e)
            if !e.is_refusal() && (unanswered == Unanswered::EndsTheLane || !e.is_retryable()) =>
        {
            Err(e.into())
        }
        // Refused (or unanswered while shipping): the order stays in the backlog and is read
        // again next run.
        Err(e) => note_failure(run, id, &e.to_string()),
    }
}

fn note_failure(run: &Run<'_>, id: &str, message: &str) -> Result<()> {
    store::timeline::append(
        &run.ctx.db(),
        id,
        run.id,
        TimelineKind::AcknowledgeFailed,
        message,
        run.now(),
    )
}

fn record(run: &Run<'_>, id: &str, how: AckSettled, message: &str) -> Result<()> {
    let kind = match how {
        AckSettled::Accepted => TimelineKind::Acknowledged,
        AckSettled::NotOwed => TimelineKind::NotAcknowledged,
    };
    let mut db = run.ctx.db();
    let tx = db.transaction()?;
    store::orders::settle_acknowledgement(&tx, id, how)?;
    store::timeline::append(&tx, id, run.id, kind, message, run.now())?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use rstest::rstest;
    use serde_json::{Value, json};

    use super::*;

    #[rstest]
    #[case::all_when_within_the_limit(3, 7, 5, &["a", "b", "c"])]
    #[case::the_first_run_from_the_oldest(6, 0, 2, &["a", "b"])]
    #[case::the_next_run_where_it_stopped(6, 1, 2, &["c", "d"])]
    #[case::round_the_end_to_the_oldest_again(5, 2, 2, &["e", "a"])]
    fn each_run_reads_by_id_where_the_last_one_stopped(
        #[case] backlog: usize,
        #[case] run_id: i64,
        #[case] limit: usize,
        #[case] read: &[&str],
    ) {
        let unlisted = &["a", "b", "c", "d", "e", "f"][..backlog];
        assert_eq!(reads_by_id(unlisted, run_id, limit), read);
    }

    fn order(status: i64, lines: Vec<Value>) -> quipt::Order {
        serde_json::from_value(
            json!({"Id": "o", "OrderNumber": "Q-1", "Status": status, "Lines": lines}),
        )
        .expect("a Quipt order")
    }

    /// A line of 2, with `accepted` acknowledgements (status 1), `canceled` of it cancelled and
    /// `sub_status`.
    fn line(id: &str, accepted: bool, canceled: f64, sub_status: Option<i64>) -> Value {
        let acks: Vec<Value> = if accepted {
            vec![json!({"Status": 1, "Quantity": {"Units": 0, "Value": 2}})]
        } else {
            Vec::new()
        };
        json!({"Id": id, "Ordered": {"Units": 0, "Value": 2}, "Canceled": {"Units": 0, "Value": canceled},
               "SubStatus": sub_status, "Acknowledgements": acks})
    }

    fn accept(lines: &[&str]) -> Owed {
        Owed::Accept(quipt::Acknowledgement {
            lines: lines
                .iter()
                .map(|id| quipt::AckLine {
                    line_id: quipt::LineId((*id).to_string()),
                    status: quipt::AckStatus::Accepted,
                    quantity: quipt::Quantity {
                        units: 0,
                        value: 2.0,
                    },
                })
                .collect(),
        })
    }

    #[rstest]
    #[case::an_open_order_is_accepted(4, vec![line("a", false, 0.0, None), line("b", false, 0.0, None)], accept(&["a", "b"]))]
    #[case::a_pending_order_shipstation_has_is_accepted(2, vec![line("a", false, 0.0, None)], accept(&["a"]))]
    #[case::only_the_lines_not_accepted_yet_are_sent(4, vec![line("a", true, 0.0, None), line("b", false, 0.0, None)], accept(&["b"]))]
    #[case::every_line_accepted_means_an_earlier_answer_was_lost(4, vec![line("a", true, 0.0, None)], Owed::AlreadyAccepted)]
    #[case::a_shipped_order_accepted_before_it_shipped(8, vec![line("a", true, 0.0, None)], Owed::AlreadyAccepted)]
    #[case::an_order_shipped_in_quipt_another_way_owes_nothing(8, vec![line("a", false, 0.0, None)], Owed::Nothing(Closed::Shipped))]
    #[case::a_cancelled_order_owes_nothing_the_contract_refuses_it(16, vec![line("a", false, 2.0, None)], Owed::Nothing(Closed::Canceled))]
    #[case::a_cancelled_order_owes_nothing_even_with_lines_accepted(16, vec![line("a", true, 2.0, None)], Owed::Nothing(Closed::Canceled))]
    #[case::an_order_cancelled_by_warehouse_owes_nothing(4, vec![line("a", false, 0.0, Some(95))], Owed::Nothing(Closed::CancelledByWarehouse))]
    #[case::an_order_on_hold_is_still_accepted(4, vec![line("a", false, 0.0, Some(80))], accept(&["a"]))]
    fn what_an_order_owes_is_decided_from_quipt_s_state(
        #[case] status: i64,
        #[case] lines: Vec<Value>,
        #[case] expected: Owed,
    ) {
        assert_eq!(owed(&order(status, lines)), expected);
    }
}
